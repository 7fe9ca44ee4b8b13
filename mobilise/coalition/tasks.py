"""Background work for coalitions: the reminder a day before a volunteering session."""

from django.utils import timezone
from django_tasks import task


@task()
def send_session_reminder(*, sign_up_id: int, starts_at: str, base_url: str = "") -> bool:
    """Remind a volunteer of tomorrow's session, once, if they still have a place.

    Queued when the place is confirmed, to run a day before the session; by then the person may
    have cancelled, or the session may have moved (``starts_at`` is the start this reminder was
    queued for: a moved session has a newer reminder), so everything is checked again here. Marking the
    sign-up first (a conditional UPDATE) means two workers picking up the same task send one e-mail.
    """
    from datetime import datetime

    from . import emails
    from .models import SignUp

    now = timezone.now()
    planned_start = datetime.fromisoformat(starts_at)
    claimed = SignUp.objects.filter(
        pk=sign_up_id,
        status=SignUp.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__starts_at=planned_start,
        session__starts_at__gt=now,
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    sign_up = SignUp.objects.select_related("person", "session", "session__opportunity").get(
        pk=sign_up_id
    )
    emails.reminder(sign_up, base_url=base_url)
    return True
