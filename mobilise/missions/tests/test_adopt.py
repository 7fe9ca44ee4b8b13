"""Adopting a national mission for a place: there was no such action."""

import pytest

from mobilise.accounts.tests.factories import UserFactory
from mobilise.missions.models import Mission

from .factories import MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    return MissionFactory(
        title="Clean energy",
        slug="clean-energy",
        scope=Mission.Scope.NATIONAL,
        statement="Clean power by 2030.",
        horizon_year=2030,
    )


def test_a_lead_adopts_a_national_mission_typing_the_place_name(
    client, lead, owner, places, national
):
    client.force_login(lead)
    page = client.get("/missions/clean-energy/").content.decode()
    assert "Adopt for your place" in page
    form = client.get("/missions/clean-energy/adopt/").content.decode()
    assert 'value="Clean energy"' in form and "Clean power by 2030." in form
    response = client.post(
        "/missions/clean-energy/adopt/",
        {
            "place": "lambeth",
            "title": "Clean energy",
            "statement": "Clean power by 2030.",
            "horizon_year": "2030",
            "owner": str(owner.pk),
        },
    )
    assert response.status_code == 302
    local = Mission.objects.get(scope=Mission.Scope.LOCAL)
    assert local.title == "Clean energy in Lambeth"
    assert local.contributes_to == national
    assert list(local.places.all()) == [places["lambeth"]]
    assert local.owner == owner and local.status == Mission.Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Lambeth has adopted ‘Clean energy’" in page


def test_a_place_that_cannot_be_found_keeps_what_was_typed(client, lead, owner, places, national):
    client.force_login(lead)
    response = client.post(
        "/missions/clean-energy/adopt/",
        {
            "place": "Lambith",
            "title": "Cleaner Lambeth",
            "statement": "Clean power.",
            "horizon_year": "2030",
            "owner": str(owner.pk),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "No place is called ‘Lambith’. Did you mean Lambeth (E09000022" in page
    assert 'value="Cleaner Lambeth"' in page
    assert Mission.objects.count() == 1


def test_only_leads_see_and_use_the_adopt_action_and_only_on_national_missions(
    client, places, national, mission
):
    client.force_login(UserFactory())
    assert "Adopt for your place" not in client.get("/missions/clean-energy/").content.decode()
    assert client.get("/missions/clean-energy/adopt/").status_code == 403
    assert client.get(f"/missions/{mission.slug}/adopt/").status_code == 403
