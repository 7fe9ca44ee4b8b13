"""The retention schedule for accounts: sign-ups never confirmed, expired sessions (issue #16)."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from mobilise.accounts.models import User
from mobilise.core.retention import SCHEDULE, run

from .factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 8, 3, 0))
LIMIT = dt.timedelta(days=SCHEDULE.unconfirmed_account_days)
MINUTE = dt.timedelta(minutes=1)


def _joined(age, **kwargs):
    return UserFactory(date_joined=NOW - age, **kwargs)


def test_accounts_never_confirmed_are_deleted_after_30_days():
    assert SCHEDULE.unconfirmed_account_days == 30
    just_inside = _joined(LIMIT - MINUTE, email_verified=False)
    just_outside = _joined(LIMIT + MINUTE, email_verified=False)
    confirmed = _joined(LIMIT * 10)
    signed_in = _joined(LIMIT + MINUTE, email_verified=False, last_login=NOW - LIMIT)
    staff = _joined(LIMIT + MINUTE, email_verified=False, is_staff=True)
    made_by_a_command = User.objects.create_user("ops@example.org", date_joined=NOW - LIMIT * 2)

    run(now=NOW)

    left = set(User.objects.values_list("pk", flat=True))
    assert just_outside.pk not in left
    assert {just_inside.pk, confirmed.pk, signed_in.pk, staff.pk, made_by_a_command.pk} <= left


def test_expired_sessions_are_deleted():
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=NOW - MINUTE)
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=NOW + MINUTE)
    run(now=NOW)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_the_command_says_what_it_would_delete_by_kind_and_deletes_nothing_on_a_dry_run():
    _joined(dt.timedelta(days=400), email_verified=False)
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=timezone.now())
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "Would delete 1: accounts never confirmed" in out.getvalue()
    assert "Would delete 1: expired sign-in sessions" in out.getvalue()
    assert "Would delete 0: voter codes of counted rounds" in out.getvalue()
    assert User.objects.count() == 1 and Session.objects.count() == 1

    out = StringIO()
    call_command("retention", stdout=out)
    assert "Deleted 1: accounts never confirmed" in out.getvalue()
    assert User.objects.count() == 0 and Session.objects.count() == 0


def test_a_step_that_fails_changes_nothing_of_its_own(monkeypatch):
    from mobilise.core import retention

    victim = _joined(LIMIT * 2, email_verified=False)

    def broken(rows):
        rows.delete()
        raise RuntimeError("disk full")

    step = next(s for s in retention.steps() if s.kind == "accounts never confirmed")
    monkeypatch.setitem(
        retention._STEPS, step.kind, retention.Step(kind=step.kind, find=step.find, apply=broken)
    )
    with pytest.raises(RuntimeError):
        run(now=NOW)
    assert User.objects.filter(pk=victim.pk).exists()


def test_the_privacy_notice_shows_the_schedule(client):
    page = " ".join(client.get("/privacy/").content.decode().split())
    assert "are deleted 30 days after sign-up" in page
    assert f"once they expire, at most {SCHEDULE.session_days} days after you sign in" in page
    assert "deleted 30 days after their round" in page
    assert "deleted after 12 months" in page
    assert "A daily job applies these limits." in page
