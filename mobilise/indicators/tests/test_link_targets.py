"""Targets belong to an outcome's link to the indicator in a place: two missions' outcomes on the
same measure in the same place no longer share one target silently."""

import pytest
from django.core.cache import cache

from mobilise.accounts.tests.factories import OrganisationFactory, mission_lead
from mobilise.indicators import services
from mobilise.indicators.models import Target
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory

from .factories import MilestoneFactory, TargetFactory
from .pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_missions():
    world = build_world(with_target=False)
    camden = world.places["E09000007"]
    services.link_places(outcome=world.outcome, indicator=world.indicator, places=[camden])
    health_owner = OrganisationFactory(name="Camden Health Partnership")
    health = MissionFactory(owner=health_owner, title="Healthy Camden", slug="healthy-camden")
    health.places.add(camden)
    lungs = OutcomeFactory(mission=health, title="Healthier lungs", slug="lungs")
    services.link_places(outcome=lungs, indicator=world.indicator, places=[camden])
    return world, lungs, health_owner


def _target_url(outcome):
    link = outcome.indicator_links.get()
    return f"/indicators/outcomes/{outcome.mission.slug}/{outcome.slug}/link/{link.pk}/target/"


def test_each_outcome_sets_its_own_target_and_milestones(client, two_missions):
    world, lungs, health_owner = two_missions
    client.force_login(mission_lead(world.owner))
    outcome_page = client.get("/missions/clean-air-camden/outcomes/cleaner-air/").content.decode()
    assert "Set target" in outcome_page
    url = _target_url(world.outcome)
    assert "this outcome’s own" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "series": str(world.headline.pk),
            "baseline_period": "2015",
            "baseline_value": "",  # the published value for 2015 is used
            "target_year": "2030",
            "target_value": " 4 ",
            "milestone_1_year": "2025",
            "milestone_1_value": "6.0",
            "milestone_2_year": "2020",
            "milestone_2_value": "7.5",
            "note": "",
        },
    )
    assert response.status_code == 302
    mine = Target.objects.get(link__outcome=world.outcome)
    assert (mine.baseline_value, mine.target_year, mine.target_value) == (8.7, 2030, 4.0)
    assert [(m.year, m.value) for m in mine.milestones.all()] == [(2020, 7.5), (2025, 6.0)]
    page = client.get(response["Location"]).content.decode()
    assert "Change target" in page
    assert 'data-indicator="pm25" data-place="E09000007"' in page
    row = page.split('data-indicator="pm25" data-place="E09000007"')[1].split("</tr>")[0]
    assert "No target" not in row

    # The indicator's page for Camden says whose target it shows, and changes it there.
    indicator_page = client.get("/indicators/pm25/?place=E09000007").content.decode()
    assert "Set for the outcome" in indicator_page and "Cleaner air" in indicator_page
    assert url in indicator_page

    # The other mission's outcome on the same measure and place has no target of its own...
    health_page = client.get("/missions/healthy-camden/outcomes/lungs/").content.decode()
    row = health_page.split('data-indicator="pm25" data-place="E09000007"')[1].split("</tr>")[0]
    assert "No target" in row
    # ...and its leads cannot change the first one's, but set their own without touching it.
    client.force_login(mission_lead(health_owner))
    assert client.get(url).status_code == 403
    client.post(
        _target_url(lungs),
        {
            "series": str(world.headline.pk),
            "baseline_period": "2015",
            "baseline_value": "8.7",
            "target_year": "2035",
            "target_value": "2",
            "note": "",
        },
    )
    assert Target.objects.count() == 2
    mine.refresh_from_db()
    assert (mine.target_year, mine.target_value) == (2030, 4.0)


def test_a_places_target_is_given_to_each_linked_outcome_as_its_own_copy(two_missions):
    world, lungs, _owner = two_missions
    shared = TargetFactory(series=world.headline, place=world.places["E09000007"], target_value=3.0)
    MilestoneFactory(target=shared, year=2025, value=6.0)
    moved = services.targets_to_links(indicator=world.indicator, place=world.places["E09000007"])
    assert moved == 1
    targets = list(Target.objects.order_by("pk"))
    assert {t.link.outcome for t in targets} == {world.outcome, lungs}
    assert all(t.target_value == 3.0 for t in targets)
    assert all([(m.year, m.value) for m in t.milestones.all()] == [(2025, 6.0)] for t in targets)
