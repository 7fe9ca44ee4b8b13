"""The retention schedule for background tasks' records, which hold e-mails' addresses and text."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mobilise.core.retention import SCHEDULE, run

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 8, 3, 0))
MINUTE = dt.timedelta(minutes=1)


def _task(finished_at, status="SUCCESSFUL"):
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        args_kwargs={"args": [], "kwargs": {"to": ["jo@example.org"], "body": "Dear Jo"}},
        task_path="mobilise.core.tasks.send_email",
        backend_name="default",
        run_after=NOW - dt.timedelta(days=60),
    ).pk


def test_finished_tasks_are_deleted_30_days_after_they_finish():
    assert SCHEDULE.task_days == 30
    limit = dt.timedelta(days=30)
    inside = _task(NOW - limit + MINUTE)
    failed_inside = _task(NOW - limit + MINUTE, status="FAILED")
    _task(NOW - limit - MINUTE)
    _task(NOW - limit - MINUTE, status="FAILED")
    waiting = _task(None, status="READY")
    run(now=NOW)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        inside,
        failed_inside,
        waiting,
    }
