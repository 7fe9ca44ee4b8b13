"""The national roll-up: its figures match the local missions' own data, exceptions come first,
and only national missions show it."""

import pytest
from django.urls import reverse

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.assurance.rollup import national_rollup
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory
from mobilise.places.models import Place

from .factories import AssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(camden):
    uk = camden.parent
    return {
        code: Place.objects.create(code=code, name=name, kind=Place.Kind.UNITARY, parent=uk)
        for code, name in (
            ("E08000003", "Manchester"),
            ("W06000015", "Cardiff"),
            ("E06000001", "Hartlepool"),
        )
    }


def test_roll_up_counts_match_the_local_missions_and_exceptions_come_first(client, borough, places):
    national = borough["national"]
    OutcomeFactory(mission=national, title="Lower territorial emissions")
    ratings = {"E08000003": "amber_red", "W06000015": "green", "E06000001": None}
    for code, rating in ratings.items():
        local = MissionFactory(
            title=f"{places[code].name} net zero",
            owner=OrganisationFactory(),
            contributes_to=national,
        )
        local.places.add(places[code])
        OutcomeFactory(mission=local, title=f"{places[code].name}'s own outcome")
        if rating:
            AssessmentFactory(mission=local, rating=rating)
    # A draft local mission is not counted.
    draft = MissionFactory(status="draft", contributes_to=national)
    draft.places.add(places["E06000001"])

    data = national_rollup(national)
    names = [r.place.name for r in data.rows]
    assert sorted(names) == ["Camden", "Cardiff", "Hartlepool", "Manchester"]
    # Manchester is the one exception (amber/red); Camden's indicator is on track.
    assert [r.place.name for r in data.rows if r.is_exception] == ["Manchester"]
    assert names[0] == "Manchester"

    confidence = {key: n for key, _label, n in data.by_confidence}
    assert confidence == {
        "red": 0,
        "amber_red": 1,
        "amber": 1,
        "amber_green": 0,
        "green": 1,
        "none": 1,
    }
    status = {key: n for key, _label, n in data.by_status}
    assert sum(status.values()) == 4
    assert status["not_measured"] == 3  # only Camden's mission has indicators
    camden_row = next(r for r in data.rows if r.place.name == "Camden")
    assert status[camden_row.status] == 1
    assert [o.title for o in camden_row.outcomes][0] == "Halve transport emissions by 2035"

    page = client.get(national.get_absolute_url()).content.decode()
    assert "Places contributing to this mission" in page
    assert "Manchester&#39;s own outcome" in page or "Manchester's own outcome" in page
    assert "Lower territorial emissions" in page
    local_page = client.get(borough["mission"].get_absolute_url()).content.decode()
    assert "Places contributing to this mission" not in local_page
    assert reverse("assurance:confidence", args=[borough["mission"].slug]) in local_page
