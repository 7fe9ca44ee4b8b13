"""``mobilise assurance_reminders``: a digest before each meeting and reminders to action
owners, each sent once however often the command runs."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from .factories import ActionFactory, AssessmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_digests_and_reminders_are_sent_once(borough, django_capture_on_commit_callbacks):
    council = borough["council"]
    upcoming = MeetingFactory(
        council=council, starts_at=timezone.now() + dt.timedelta(days=3), location="Town hall"
    )
    upcoming.agenda.create(title="Recovery plan", order=0)
    MeetingFactory(council=council, starts_at=timezone.now() + dt.timedelta(days=30))
    AssessmentFactory(mission=borough["mission"], rating="amber_green")
    ActionFactory(
        council=council,
        owner=borough["assessor"],
        owner_name="Margaret Hughes",
        due_date=timezone.localdate() + dt.timedelta(days=2),
    )
    ActionFactory(  # not due for a month: no reminder yet
        council=council,
        owner=borough["assessor"],
        owner_name="Margaret Hughes",
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("assurance_reminders", stdout=open("/dev/null", "w"))
    sent = {(m.to[0], m.subject) for m in mail.outbox}
    digests = [m for m in mail.outbox if "papers for the meeting" in m.subject]
    # Members with an address: the secretariat, the assessor, the member (accounts) and the chair.
    assert {m.to[0] for m in digests} == {
        "sec@example.org",
        borough["assessor"].email,
        borough["member"].email,
        "chair@example.org",
    }
    body = digests[0].body
    assert "Recovery plan" in body and "Bring the recovery plan" in body and "OVERDUE" in body
    assert "Amber/Green" in body
    reminders = [m for m in mail.outbox if m not in digests]
    assert sorted(m.subject.split(":")[0] for m in reminders) == [
        "Action due soon",
        "Overdue action",
    ]
    assert len(sent) == len(mail.outbox) == 6

    with django_capture_on_commit_callbacks(execute=True):
        call_command("assurance_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 6  # nothing twice
