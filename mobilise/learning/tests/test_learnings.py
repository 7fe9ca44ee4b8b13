import re

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


def test_a_lead_changes_a_learning_and_unpublishes_it(client, lead, pilot):
    _record(client, lead, pilot)
    learning = Learning.objects.get()
    page = client.get(learning.get_absolute_url()).content.decode()
    edit_url = reverse("learning:learning_edit", args=[learning.pk])
    assert edit_url in page and "Change this learning" in page
    form = client.get(edit_url).content.decode()
    assert "Children walking to primary school" in form  # the form starts from what was said
    response = client.post(
        edit_url,
        {
            "title": "School streets cut NO2 where traffic can go round",
            "summary": "NO2 fell by a fifth.",
            "for_whom": "Primary schools on residential streets",
            "conditions": "",
            "evidence_level": "3",
            "pilots": [str(pilot.pk)],
            # "published" left unticked
        },
    )
    assert response.status_code == 302 and response.url == learning.get_absolute_url()
    learning.refresh_from_db()
    assert learning.title == "School streets cut NO2 where traffic can go round"
    assert learning.evidence_level == 3 and learning.conditions == ""
    assert not learning.published
    page = client.get(learning.get_absolute_url()).content.decode()
    assert "3 – before and after, against a comparison group" in page
    assert "Not published" in page
    client.logout()
    assert client.get(learning.get_absolute_url()).status_code == 404
    assert "School streets cut NO2" not in client.get(reverse("learning:library")).content.decode()


def test_a_bad_change_names_the_field_and_writes_nothing(client, lead, pilot):
    _record(client, lead, pilot)
    learning = Learning.objects.get()
    response = client.post(
        reverse("learning:learning_edit", args=[learning.pk]),
        {"title": "", "summary": "x", "evidence_level": "4", "pilots": [str(pilot.pk)]},
    )
    assert response.status_code == 200
    assert "Say in a line what was learned" in response.content.decode()
    learning.refresh_from_db()
    assert learning.title == "Closing school streets cuts NO2 at the gate"


def test_only_the_owning_leads_may_change_a_learning(client, lead, pilot, hackney_world):
    _record(client, lead, pilot)
    learning = Learning.objects.get()
    edit_url = reverse("learning:learning_edit", args=[learning.pk])
    client.logout()
    assert client.get(edit_url).status_code == 302  # signed out: to sign in
    assert edit_url not in client.get(learning.get_absolute_url()).content.decode()
    other = hackney_world["lead"]
    client.force_login(other)
    assert edit_url not in client.get(learning.get_absolute_url()).content.decode()
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"title": "Hijacked"}).status_code == 403
    # An unpublished learning is not there at all for outsiders.
    Learning.objects.filter(pk=learning.pk).update(published=False)
    assert client.get(edit_url).status_code == 404
    learning.refresh_from_db()
    assert learning.title == "Closing school streets cuts NO2 at the gate"


NAV_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="\w+")?>'
    r"\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<"
)


def test_test_and_learn_is_in_the_main_navigation(client, pilot):
    for url in (reverse("home"), reverse("learning:library")):
        links = NAV_LINK.findall(client.get(url).content.decode())
        found = [(href, bool(current)) for href, current, text in links if text == "Test and learn"]
        # Marked as the current section on the learning pages only.
        assert found == [(reverse("learning:index"), url != reverse("home"))]
