from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from mobilise.accounts.tests.factories import UserFactory
from mobilise.learning import services
from mobilise.learning.models import Design, Pilot

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


def _post(indicator, **overrides):
    data = {
        "title": "School streets",
        "hypothesis": "If we close streets at drop-off then NO2 falls because fewer cars idle",
        "intervention": "Timed closures outside five schools",
        "outcome": "",
        "treated_places": "Camden",
        "start_date-day": "1",
        "start_date-month": "9",
        "start_date-year": "2024",
        "planned_end_date-day": "31",
        "planned_end_date-month": "7",
        "planned_end_date-year": "2025",
        "indicators": [str(indicator.pk)],
        "design": Design.SYNTHETIC_CONTROL,
        "cost": "£8,000",
        "status": "planned",
        "published": "on",
    }
    data.update(overrides)
    return data


def test_lead_registers_a_pilot_typing_places_and_money_as_people_do(
    client, lead, mission, indicator
):
    client.force_login(lead)
    url = reverse("learning:pilot_create", args=[mission.slug])
    response = client.post(url, _post(indicator))
    pilot = Pilot.objects.get()
    assert response.status_code == 302
    assert pilot.cost == 8000
    assert [p.name for p in pilot.treated_places.all()] == ["Camden"]
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "School streets" in page and "£8,000" in page and "Synthetic control" in page


def test_bad_input_shows_errors_and_keeps_what_was_typed(client, lead, mission, indicator):
    client.force_login(lead)
    url = reverse("learning:pilot_create", args=[mission.slug])
    response = client.post(
        url, _post(indicator, treated_places="Atlantis", **{"planned_end_date-year": "2023"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Atlantis" in page
    assert not Pilot.objects.exists()


def test_end_before_start_is_refused(client, lead, mission, indicator, camden):
    client.force_login(lead)
    url = reverse("learning:pilot_create", args=[mission.slug])
    page = client.post(url, _post(indicator, **{"planned_end_date-year": "2023"})).content.decode()
    assert "The planned end date must be on or after the start date" in page
    assert not Pilot.objects.exists()


def test_only_leads_of_the_owning_organisation_register(client, mission):
    client.force_login(UserFactory())
    assert client.get(reverse("learning:pilot_create", args=[mission.slug])).status_code == 403


def test_public_reads_published_pilots_only(client, mission, camden):
    shown = PilotFactory(mission=mission, places=[camden], title="Shown pilot")
    hidden = PilotFactory(mission=mission, places=[camden], title="Hidden pilot", published=False)
    index = client.get(reverse("learning:index")).content.decode()
    assert "Shown pilot" in index and "Hidden pilot" not in index
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404


def _fields(pilot, **overrides):
    values = dict(
        title=pilot.title,
        hypothesis=pilot.hypothesis,
        intervention=pilot.intervention,
        outcome=pilot.outcome,
        treated_places=list(pilot.treated_places.all()),
        start_date=pilot.start_date,
        planned_end_date=pilot.planned_end_date,
        indicators=list(pilot.indicators.all()),
        design=pilot.design,
        cost=pilot.cost,
        partners=list(pilot.partners.all()),
        status=pilot.status,
        published=pilot.published,
    )
    values.update(overrides)
    return services.PilotFields(**values)


def test_plan_changes_freely_before_the_pilot_starts(lead, mission, camden):
    pilot = PilotFactory(mission=mission, places=[camden])
    services.pilot_update(pilot=pilot, user=lead, fields=_fields(pilot, design=Design.DID))
    assert pilot.design == Design.DID
    assert not pilot.deviations.exists()


def test_once_running_a_plan_change_needs_a_reason_and_is_kept(
    client, lead, mission, camden, hackney
):
    pilot = PilotFactory(mission=mission, places=[camden], status=Pilot.Status.RUNNING)
    with pytest.raises(ValidationError) as caught:
        services.pilot_update(
            pilot=pilot, user=lead, fields=_fields(pilot, treated_places=[camden, hackney])
        )
    assert "reason" in caught.value.message_dict
    pilot.refresh_from_db()
    assert pilot.treated_places.count() == 1

    services.pilot_update(
        pilot=pilot,
        user=lead,
        fields=_fields(pilot, treated_places=[camden, hackney], start_date=date(2024, 10, 1)),
        reason="Hackney joined the scheme a month late",
    )
    assert sorted(d.field for d in pilot.deviations.all()) == ["start_date", "treated_places"]
    # Changing what is not in the plan (the title) needs no reason.
    services.pilot_update(pilot=pilot, user=lead, fields=_fields(pilot, title="School streets"))
    page = client.get(pilot.get_absolute_url()).content.decode()
    assert "Hackney joined the scheme a month late" in page
    assert "Camden, Hackney" in page


def test_the_edit_page_asks_for_a_reason_once_running(client, lead, mission, camden, indicator):
    pilot = PilotFactory(
        mission=mission, places=[camden], status=Pilot.Status.RUNNING, indicators=[indicator]
    )
    client.force_login(lead)
    url = reverse("learning:pilot_edit", args=[pilot.pk])
    assert "Reason for changing the analysis plan" in client.get(url).content.decode()
    data = _post(indicator, status="running", design=Design.DID)
    page = client.post(url, data).content.decode()
    assert "say why you are changing it" in page
    data["reason"] = "Too few comparison boroughs had data"
    assert client.post(url, data).status_code == 302
    assert pilot.deviations.get().new == "Difference-in-differences"


def test_partners_must_be_in_the_coalition(lead, mission, camden, indicator):
    from mobilise.accounts.tests.factories import OrganisationFactory

    pilot = PilotFactory(mission=mission, places=[camden])
    with pytest.raises(ValidationError) as caught:
        services.pilot_update(
            pilot=pilot, user=lead, fields=_fields(pilot, partners=[OrganisationFactory()])
        )
    assert "partners" in caught.value.message_dict


def test_evaluate_command_passes_arguments_to_the_engine(capsys):
    with pytest.raises(SystemExit):
        call_command("evaluate", "--help")
    assert "synth" in capsys.readouterr().out
