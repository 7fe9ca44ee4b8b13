"""What the daily ``mobilise retention`` deletes from mission councils' records (the schedule:
core/retention.py)."""

import datetime as dt
from typing import Any

from mobilise.core.retention import SCHEDULE, register


def _old_notices(now: dt.datetime) -> Any:
    """The record of e-mails the reminders sent (address and subject), after the schedule's months.

    A record still needed to stop the same e-mail going again is kept: a reminder about an action
    still open with the same due date, a digest for a meeting still to come (if it was moved)."""
    from .models import Action, Meeting, Notice

    keep = [
        f"action:{pk}:{when}:{due.isoformat()}"
        for pk, due in Action.objects.filter(
            status__in=Action.OPEN_STATUSES, due_date__isnull=False
        ).values_list("pk", "due_date")
        for when in ("due", "overdue")
    ]
    keep += [
        f"meeting:{pk}"
        for pk in Meeting.objects.filter(starts_at__gt=now).values_list("pk", flat=True)
    ]
    return Notice.objects.filter(
        created_at__lt=now - dt.timedelta(days=SCHEDULE.email_log_days)
    ).exclude(subject_key__in=keep)


register("records of reminder e-mails sent", _old_notices)
