"""The retention schedule for the record of reminder e-mails sent (issue #16)."""

import datetime as dt

import pytest
from django.utils import timezone

from mobilise.assurance.models import Action, Notice
from mobilise.core.retention import SCHEDULE, run

from .factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 8, 3, 0))
YEAR = dt.timedelta(days=SCHEDULE.email_log_days)
MINUTE = dt.timedelta(minutes=1)


def _notice(key, age, kind=Notice.Kind.REMINDER):
    notice = Notice.objects.create(kind=kind, subject_key=key, email="member@example.org")
    Notice.objects.filter(pk=notice.pk).update(created_at=NOW - age)
    return notice.pk


def test_records_of_e_mails_sent_are_deleted_after_12_months():
    assert SCHEDULE.email_log_months == 12 and YEAR >= dt.timedelta(days=365)
    inside = _notice("meeting:1", YEAR - MINUTE, Notice.Kind.DIGEST)
    _notice("meeting:2", YEAR + MINUTE, Notice.Kind.DIGEST)
    run(now=NOW)
    assert set(Notice.objects.values_list("pk", flat=True)) == {inside}


def test_a_record_still_stopping_a_repeat_e_mail_is_kept():
    open_action = ActionFactory(due_date=dt.date(2025, 11, 1))
    closed = ActionFactory(due_date=dt.date(2025, 11, 1), status=Action.Status.DONE)
    moved = ActionFactory(due_date=dt.date(2026, 1, 20))
    coming = MeetingFactory(starts_at=NOW + dt.timedelta(days=3))
    old = YEAR + MINUTE
    kept = {
        _notice(f"action:{open_action.pk}:overdue:2025-11-01", old),
        _notice(f"action:{open_action.pk}:due:2025-11-01", old),
        _notice(f"meeting:{coming.pk}", old, Notice.Kind.DIGEST),
    }
    _notice(f"action:{closed.pk}:overdue:2025-11-01", old)
    _notice(f"action:{moved.pk}:overdue:2025-11-01", old)  # the due date has moved since
    run(now=NOW)
    assert set(Notice.objects.values_list("pk", flat=True)) == kept
