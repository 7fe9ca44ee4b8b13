"""Concurrency on PostgreSQL: overlapping cron runs send each e-mail once; racing "Try again"
clicks queue a failed stocktake pack once.

The ``Notice`` row is the claim (a unique key per e-mail and address), so threads racing on the
same digest meet at the database's unique constraint and only one of them sends. A retry's claim
is a conditional UPDATE (failed → pending) that only one thread's row count can win. Skipped on
SQLite only because SQLite runs one write transaction at a time, so the runs cannot race.
"""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from mobilise.assurance import notifications, services
from mobilise.assurance.models import Notice, Pack

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


def _race(target, *, timeout: float) -> list[Exception]:
    """Run ``target`` in RUNS threads released together; return what they raised."""
    barrier = threading.Barrier(RUNS)
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            target()
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors


def test_overlapping_runs_send_each_digest_and_reminder_once(borough):
    MeetingFactory(council=borough["council"], starts_at=timezone.now() + dt.timedelta(days=2))
    errors = _race(notifications.send_all, timeout=60)

    assert not errors
    # Four members with an address get the digest; the overdue action's owner one reminder.
    assert Notice.objects.filter(kind="digest").count() == 4
    assert Notice.objects.filter(kind="reminder").count() == 1
    assert len(mail.outbox) == 5
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 5


def test_racing_retries_queue_a_failed_pack_once(borough):
    today = timezone.localdate()
    pack = Pack.objects.create(
        mission=borough["mission"],
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=Pack.Status.FAILED,
        attempts=1,
        error="OSError: the printer went away",
    )
    claimed: list[bool] = []
    errors = _race(
        lambda: claimed.append(services.pack_retry(pack=Pack.objects.get(pk=pack.pk))),
        timeout=120,
    )

    assert not errors
    assert sorted(claimed) == [False] * (RUNS - 1) + [True]
    pack.refresh_from_db()
    # The tests' immediate task backend ran the one queued generation: one more attempt, ready.
    assert (pack.status, pack.attempts) == ("ready", 2)
