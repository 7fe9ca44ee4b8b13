"""Reminders under concurrency, on PostgreSQL: two cron runs overlapping send each e-mail once.

The ``Notice`` row is the claim (a unique key per e-mail and address), so threads racing on the
same digest meet at the database's unique constraint and only one of them sends. Skipped on
SQLite only because SQLite runs one write transaction at a time, so the runs cannot race.
"""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from mobilise.assurance import notifications
from mobilise.assurance.models import Notice

from .factories import MeetingFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one write transaction at a time, so the runs cannot race",
    ),
    pytest.mark.django_db(transaction=True),
]

RUNS = 6


def test_overlapping_runs_send_each_digest_and_reminder_once(borough):
    MeetingFactory(council=borough["council"], starts_at=timezone.now() + dt.timedelta(days=2))
    barrier = threading.Barrier(RUNS)
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            notifications.send_all()
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    # Four members with an address get the digest; the overdue action's owner one reminder.
    assert Notice.objects.filter(kind="digest").count() == 4
    assert Notice.objects.filter(kind="reminder").count() == 1
    assert len(mail.outbox) == 5
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 5
