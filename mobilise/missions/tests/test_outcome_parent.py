"""A local outcome contributes to an outcome of the national mission (it could not be tied to it)."""

import pytest

from mobilise.missions.models import Mission, Outcome

from .factories import MissionFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    mission = MissionFactory(
        title="Clean energy", slug="clean-energy", scope=Mission.Scope.NATIONAL
    )
    OutcomeFactory(mission=mission, title="Clean power by 2030", slug="clean-power")
    OutcomeFactory(mission=mission, title="Lower bills", slug="lower-bills")
    return mission


@pytest.fixture
def local(owner, places, national):
    mission = MissionFactory(
        owner=owner,
        title="Clean energy in Lambeth",
        slug="clean-energy-lambeth",
        contributes_to=national,
    )
    mission.places.add(places["lambeth"])
    return mission


def test_a_local_outcome_is_added_with_the_national_outcome_as_parent(
    client, lead, local, national
):
    client.force_login(lead)
    form = client.get("/missions/clean-energy-lambeth/outcomes/new/").content.decode()
    assert "National outcome it contributes to" in form
    assert "Clean power by 2030" in form and "Lower bills" in form
    parent = Outcome.objects.get(slug="clean-power")
    response = client.post(
        "/missions/clean-energy-lambeth/outcomes/new/",
        {"title": "Halve transport emissions by 2035", "parent": str(parent.pk)},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(mission=local)
    assert outcome.parent == parent
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "Contributes to" in page and "Clean power by 2030" in page


def test_only_the_national_missions_outcomes_can_be_parents(client, lead, local, mission):
    other = OutcomeFactory(mission=mission, title="Somebody else's")
    client.force_login(lead)
    response = client.post(
        "/missions/clean-energy-lambeth/outcomes/new/",
        {"title": "Halve transport emissions", "parent": str(other.pk)},
    )
    assert "Select a national outcome from the list" in response.content.decode()
    assert not Outcome.objects.filter(mission=local).exists()
    # A mission that contributes to nothing is not asked.
    form = client.get(f"/missions/{mission.slug}/outcomes/new/").content.decode()
    assert "National outcome it contributes to" not in form
