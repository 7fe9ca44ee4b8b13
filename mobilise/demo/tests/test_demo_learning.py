"""The demo's test and learn: Waltham Forest's mini-Holland on the real transport CO2 figures."""

import gzip

import pytest

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.demo.learning import LEFT_OUT, PILOT_TITLE, REPLICATION_TITLE, demo_learning
from mobilise.indicators.importing import SHIPPED_DIR, import_path
from mobilise.learning.models import Learning, Pilot
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db


def _london_boroughs(tmp_path):
    """The London boroughs, and the shipped transport CO2 figures for them (the real file, cut
    to London so the test needs no other place)."""
    folder = SHIPPED_DIR / "emissions"
    with gzip.open(folder / "la-co2-emissions.csv.gz", "rt", encoding="utf-8") as f:
        header, *rows = f.read().splitlines()
    london = [r for r in rows if r.startswith("co2-transport,E09")]
    for code in sorted({r.split(",")[1] for r in london}):
        Place.objects.get_or_create(
            code=code,
            defaults={
                "name": "Waltham Forest" if code == "E09000031" else code,
                "kind": Place.Kind.UNITARY,
            },
        )
    data = tmp_path / "la-co2-emissions.csv"
    data.write_text("\n".join([header, *london]) + "\n", encoding="utf-8")
    report = import_path(data, meta=folder / "la-co2-emissions.yaml")
    assert report.ok, report.lines()


def test_waltham_forest_is_evaluated_on_real_figures_and_camden_plans_to_try_it(client, tmp_path):
    _london_boroughs(tmp_path)
    camden = Place.objects.get(code="E09000007")
    MissionFactory(
        owner=OrganisationFactory(slug="camden-council"), slug="camden-clean-air"
    ).places.add(camden)

    demo_learning()
    pilot = demo_learning()  # safe to run again

    assert pilot.title == PILOT_TITLE and pilot.status == Pilot.Status.EVALUATED
    pool = set(pilot.comparison_places.values_list("code", flat=True))
    assert not pool & set(LEFT_OUT) and "E09000031" not in pool and len(pool) >= 20
    assert pilot.evaluation.status == "done"
    assert pilot.evaluation.results["method"] == "synth"
    assert Learning.objects.get().pilots.get() == pilot
    copy = Pilot.objects.get(title=REPLICATION_TITLE)
    assert copy.replicates == pilot and copy.mission.slug == "camden-clean-air"

    page = client.get(pilot.get_absolute_url()).content.decode()
    assert (
        "Demonstration data" in page
        and "figures and the evaluation computed from them are real" in page
    )
    assert REPLICATION_TITLE in page
    results = client.get(f"/learning/pilots/{pilot.pk}/results/").content.decode()
    assert "Evidence of an effect" in results
