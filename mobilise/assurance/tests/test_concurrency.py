"""Concurrency on PostgreSQL: overlapping cron runs send each e-mail once; racing "Try again"
clicks queue a failed or stalled stocktake pack once; racing finishers store a pack once.

The ``Notice`` row is the claim (a unique key per e-mail and address), so threads racing on the
same digest meet at the database's unique constraint and only one of them sends. A retry's claim
is a conditional UPDATE (failed, or pending and started over an hour ago → pending, started now)
that only one thread's row count can win; so is storing a finished pack (not ready → ready).
Skipped on SQLite only because SQLite runs one write transaction at a time, so the runs cannot race.
"""

import datetime as dt
import threading
from pathlib import Path

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


def _race(target, *, timeout: float, returned: list | None = None) -> list[Exception]:
    """Run ``target`` in RUNS threads released together; return what they raised.

    What each call returned is appended to ``returned``, when given.
    """
    barrier = threading.Barrier(RUNS)
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            result = target()
            if returned is not None:
                returned.append(result)
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


def _failed_pack(mission) -> Pack:
    """Its PDF could not be printed on the first attempt."""
    today = timezone.localdate()
    return Pack.objects.create(
        mission=mission,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=Pack.Status.FAILED,
        attempts=1,
        error="OSError: the printer went away",
    )


def _stalled_pack(mission) -> Pack:
    """Pending since a worker started on it two hours ago and died (machine restarted)."""
    today = timezone.localdate()
    return Pack.objects.create(
        mission=mission,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=Pack.Status.PENDING,
        attempts=1,
        attempt_started_at=timezone.now() - dt.timedelta(hours=2),
    )


@pytest.mark.parametrize("make_pack", [_failed_pack, _stalled_pack], ids=["failed", "stalled"])
def test_racing_retries_queue_a_pack_once(borough, make_pack):
    pack = make_pack(borough["mission"])
    claimed: list[bool] = []
    errors = _race(
        lambda: services.pack_retry(pack=Pack.objects.get(pk=pack.pk)),
        timeout=120,
        returned=claimed,
    )

    assert not errors
    assert sorted(claimed) == [False] * (RUNS - 1) + [True]
    pack.refresh_from_db()
    # The tests' immediate task backend ran the one queued generation: the worker counted one
    # more attempt, not six, and the pack is ready.
    assert (pack.status, pack.attempts) == ("ready", 2)


def test_racing_finishers_store_the_pack_once(borough, settings):
    """A slow worker and its retry finishing together: one pack is stored, the rest discarded."""
    pack = _stalled_pack(borough["mission"])
    output = services.pack_attempt_produce(pack_id=pack.pk, attempt=1)
    kept: list[bool] = []
    errors = _race(
        lambda: services.pack_attempt_finish(pack_id=pack.pk, output=output),
        timeout=120,
        returned=kept,
    )

    assert not errors
    assert sorted(kept) == [False] * (RUNS - 1) + [True]
    pack.refresh_from_db()
    assert pack.status == "ready"
    printed = list(Path(settings.MEDIA_ROOT, "assurance", "packs").rglob("*.pdf"))
    assert [p.name for p in printed] == [Path(pack.pdf.name).name]
