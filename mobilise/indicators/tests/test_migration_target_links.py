"""Migration 0003: each place's existing target goes to every outcome linked to its indicator
there, a copy each with its milestones, so outcomes stop sharing one target."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# Places as they were then too: later place columns (ons_code) are NOT NULL.
PLACES = ("places", "0002_place_successors")
BEFORE = [("indicators", "0003_indicator_link_data"), ("missions", "0002_outcome_parent"), PLACES]
AFTER = [("indicators", "0005_target_link_data")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    """Back to every app's newest migration, for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_targets_become_each_linked_outcomes_own():
    old = _migrate(BEFORE)
    Place = old.get_model("places", "Place")
    Organisation = old.get_model("accounts", "Organisation")
    Mission = old.get_model("missions", "Mission")
    Outcome = old.get_model("missions", "Outcome")
    Indicator = old.get_model("indicators", "Indicator")
    Series = old.get_model("indicators", "Series")
    Target = old.get_model("indicators", "Target")
    Milestone = old.get_model("indicators", "Milestone")
    IndicatorLink = old.get_model("indicators", "IndicatorLink")

    camden = Place.objects.create(code="E09000007", name="Camden", kind="unitary")
    owner = Organisation.objects.create(name="Camden", slug="camden", sector="public_body")
    outcomes = []
    for slug in ("air", "health"):
        mission = Mission.objects.create(
            title=slug, slug=slug, statement="s", horizon_year=2035, owner=owner
        )
        outcomes.append(Outcome.objects.create(mission=mission, title=slug, slug=slug))
    indicator = Indicator.objects.create(code="co2", title="CO2")
    series = Series.objects.create(indicator=indicator, key="")
    target = Target.objects.create(
        indicator=indicator,
        place=camden,
        series=series,
        baseline_period="2019",
        baseline_value=280.0,
        target_year=2035,
        target_value=140.0,
    )
    Milestone.objects.create(target=target, year=2030, value=185.0)
    for outcome in outcomes:
        IndicatorLink.objects.create(outcome=outcome, indicator=indicator, place=camden)
    lonely = Indicator.objects.create(code="lonely", title="Linked to nothing")
    Target.objects.create(
        indicator=lonely,
        place=camden,
        series=Series.objects.create(indicator=lonely, key=""),
        baseline_period="2019",
        baseline_value=1.0,
        target_year=2030,
        target_value=2.0,
    )

    new = _migrate(AFTER)
    NewTarget = new.get_model("indicators", "Target")
    moved = list(NewTarget.objects.filter(indicator__code="co2").order_by("pk"))
    assert sorted(t.link.outcome.slug for t in moved) == ["air", "health"]
    assert all(t.target_value == 140.0 for t in moved)
    assert all(list(t.milestones.values_list("year", "value")) == [(2030, 185.0)] for t in moved)
    assert NewTarget.objects.get(indicator__code="lonely").link_id is None
    _latest()


def test_existing_outcome_links_become_one_link_per_place():
    old = _migrate([("indicators", "0001_initial"), PLACES])
    Place = old.get_model("places", "Place")
    Organisation = old.get_model("accounts", "Organisation")
    Mission = old.get_model("missions", "Mission")
    Outcome = old.get_model("missions", "Outcome")
    Indicator = old.get_model("indicators", "Indicator")
    Series = old.get_model("indicators", "Series")
    Target = old.get_model("indicators", "Target")

    london = Place.objects.create(code="E12000007", name="London", kind="region")
    camden = Place.objects.create(code="E09000007", name="Camden", kind="unitary", parent=london)
    leeds = Place.objects.create(code="E08000035", name="Leeds", kind="unitary")
    owner = Organisation.objects.create(name="GLA", slug="gla", sector="public_body")
    mission = Mission.objects.create(
        title="London", slug="london", statement="s", horizon_year=2035, owner=owner
    )
    mission.places.add(london)
    outcome = Outcome.objects.create(mission=mission, title="Air", slug="air")
    indicator = Indicator.objects.create(code="co2", title="CO2")
    indicator.outcomes.add(outcome)
    series = Series.objects.create(indicator=indicator, key="")
    for place in (camden, leeds):  # Camden is inside the mission's London; Leeds is not
        Target.objects.create(
            indicator=indicator,
            place=place,
            series=series,
            baseline_period="2019",
            baseline_value=1.0,
            target_year=2030,
            target_value=0.5,
        )

    new = _migrate([("indicators", "0003_indicator_link_data"), PLACES])
    Link = new.get_model("indicators", "IndicatorLink")
    assert sorted(Link.objects.values_list("place__name", flat=True)) == ["Camden", "London"]
    _latest()
