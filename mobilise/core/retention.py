"""How long the site keeps what it knows about people, and the daily job that applies it.

The schedule (``SCHEDULE``) is the one the privacy notice shows, so the two cannot disagree. Each
app states its own steps in a ``retention`` module (``mobilise/<app>/retention.py``) with
``register``; ``mobilise retention`` finds them all (as Django finds ``admin`` modules, so this
module imports no app) and runs each step in its own transaction. ``docs/security.md`` lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Schedule:
    unconfirmed_account_days: int = 30
    voter_codes_days: int = 30
    email_log_months: int = 12
    task_days: int = 30

    @property
    def session_days(self) -> int:
        return max(1, round(settings.SESSION_COOKIE_AGE / 86400))

    @property
    def email_log_days(self) -> int:
        return self.email_log_months * 365 // 12 + 1  # 12 months: 366 days, never less than a year


SCHEDULE = Schedule()


@dataclass(frozen=True)
class Step:
    """One rule: ``find(now)`` is the query set of rows it would act on; ``apply(rows)`` acts on
    them (by default deletes them) and says how many it acted on."""

    kind: str
    find: Callable[[dt.datetime], Any]
    apply: Callable[[Any], int] | None = None
    verb: str = "delete"


_STEPS: dict[str, Step] = {}


def register(
    kind: str,
    find: Callable[[dt.datetime], Any],
    apply: Callable[[Any], int] | None = None,
    verb: str = "delete",
) -> None:
    _STEPS[kind] = Step(kind=kind, find=find, apply=apply, verb=verb)


def steps() -> list[Step]:
    autodiscover_modules("retention")
    return list(_STEPS.values())


def _delete(rows: Any) -> int:
    # Count the rows themselves, not the rows their deletion cascades to.
    count = rows.count()
    rows.delete()
    return count


def run(*, now: dt.datetime, dry_run: bool = False) -> list[tuple[Step, int]]:
    """Each step in its own transaction: a failing step undoes itself and stops the run."""
    done = []
    for step in steps():
        if dry_run:
            done.append((step, step.find(now).count()))
            continue
        with transaction.atomic():
            rows = step.find(now)
            done.append((step, (step.apply or _delete)(rows)))
    return done


# --- the site's own records ---------------------------------------------------------------------


def _finished_tasks(now: dt.datetime) -> Any:
    """Background tasks' records keep their arguments: an e-mail's address and text."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(finished_at__lt=now - dt.timedelta(days=SCHEDULE.task_days))


register("finished background tasks (e-mails sent)", _finished_tasks)
