import pytest
from django.urls import reverse

from mobilise.accounts.tests.factories import OrganisationFactory, mission_lead
from mobilise.indicators.services import link_places
from mobilise.learning.models import Learning, Pilot
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(mission, camden, indicator):
    return PilotFactory(
        mission=mission,
        places=[camden],
        indicators=[indicator],
        title="School streets",
        status=Pilot.Status.EVALUATED,
    )


@pytest.fixture
def hackney_world(hackney, indicator):
    council = OrganisationFactory(name="London Borough of Hackney", home_place=hackney)
    mission = MissionFactory(owner=council, title="Clean air in Hackney", slug="hackney-air")
    mission.places.add(hackney)
    outcome = OutcomeFactory(mission=mission)
    link_places(outcome=outcome, indicator=indicator, places=[hackney])
    return {"mission": mission, "lead": mission_lead(council)}


def _record(client, lead, pilot, **overrides):
    client.force_login(lead)
    data = {
        "title": "Closing school streets cuts NO2 at the gate",
        "summary": "NO2 fell by a fifth against the synthetic Camden.",
        "for_whom": "Children walking to primary school",
        "conditions": "Streets with another way round for through traffic",
        "evidence_level": "4",
        "pilots": [str(pilot.pk)],
        "published": "on",
    }
    data.update(overrides)
    return client.post(reverse("learning:learning_create", args=[pilot.pk]), data)


def test_a_lead_records_a_learning_and_the_pilot_shows_it(client, lead, pilot):
    page = client.get(reverse("learning:learning_create", args=[pilot.pk]))
    assert page.status_code == 302  # signed out: to sign in
    assert _record(client, lead, pilot).status_code == 302
    learning = Learning.objects.get()
    assert learning.evidence_level == 4
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "Closing school streets cuts NO2 at the gate" in page
    page = client.get(learning.get_absolute_url()).content.decode()
    assert "4 – a close comparison" in page and "Try this in my place" in page


def test_the_evidence_level_is_suggested_from_the_design(client, lead, pilot):
    client.force_login(lead)
    page = client.get(reverse("learning:learning_create", args=[pilot.pk])).content.decode()
    assert 'value="4" checked' in page  # synthetic control: level 4


def test_a_learning_needs_what_was_learned(client, lead, pilot):
    page = _record(client, lead, pilot, summary="").content.decode()
    assert "Say what was learned" in page
    assert not Learning.objects.exists()


def test_the_library_searches_and_filters(client, lead, pilot, indicator):
    _record(client, lead, pilot)
    client.logout()
    library = reverse("learning:library")
    assert "Closing school streets" in client.get(library).content.decode()
    assert "Closing school streets" in client.get(library, {"q": "gate NO2"}).content.decode()
    assert "No learnings match" in client.get(library, {"q": "bicycles"}).content.decode()
    found = client.get(
        library, {"place": "Camden", "indicator": indicator.pk, "design": "synthetic_control"}
    )
    assert "Closing school streets" in found.content.decode()
    assert "No learnings match" in client.get(library, {"design": "randomised"}).content.decode()
    assert "govuk-error-summary" in client.get(library, {"place": "Atlantis"}).content.decode()


def test_another_place_finds_it_on_its_mission_page_and_replicates(
    client, lead, pilot, hackney_world
):
    _record(client, lead, pilot)
    hackney_lead = hackney_world["lead"]
    client.force_login(hackney_lead)
    mission_page = client.get(hackney_world["mission"].get_absolute_url()).content.decode()
    assert "What other places learned on the same measures" in mission_page
    assert "Closing school streets cuts NO2 at the gate" in mission_page

    response = client.post(
        reverse("learning:pilot_replicate", args=[pilot.pk]),
        {"mission": hackney_world["mission"].pk},
    )
    create_url = response["Location"]
    assert create_url.endswith(f"?replicates={pilot.pk}")
    form = client.get(create_url).content.decode()
    assert "School streets (replication)" in form and "Hackney" in form
    data = {
        "title": "School streets in Hackney",
        "hypothesis": pilot.hypothesis,
        "intervention": pilot.intervention,
        "outcome": "",
        "treated_places": "Hackney",
        "start_date-day": "1",
        "start_date-month": "9",
        "start_date-year": "2026",
        "planned_end_date-day": "31",
        "planned_end_date-month": "7",
        "planned_end_date-year": "2027",
        "indicators": [str(i.pk) for i in pilot.indicators.all()],
        "design": pilot.design,
        "cost": "",
        "status": "planned",
        "published": "on",
    }
    assert client.post(create_url, data).status_code == 302
    copy = Pilot.objects.get(title="School streets in Hackney")
    assert copy.replicates == pilot
    original = client.get(pilot.get_absolute_url()).content.decode()
    assert "School streets in Hackney" in original  # the original shows its replications


def test_someone_leading_no_mission_is_told_who_can_replicate(client, pilot):
    from mobilise.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("learning:pilot_replicate", args=[pilot.pk])).content.decode()
    assert "Ask your organisation" in page


def test_unpublished_learnings_stay_hidden(client, lead, pilot):
    _record(client, lead, pilot, published="")
    learning = Learning.objects.get()
    client.logout()
    assert client.get(learning.get_absolute_url()).status_code == 404
    assert "Closing school streets" not in client.get(reverse("learning:library")).content.decode()
