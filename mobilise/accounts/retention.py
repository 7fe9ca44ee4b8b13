"""What the daily ``mobilise retention`` deletes about accounts (the schedule: core/retention.py)."""

import datetime as dt
from typing import Any

from mobilise.core.retention import SCHEDULE, register


def _unconfirmed_accounts(now: dt.datetime) -> Any:
    """Sign-ups whose e-mail address was never confirmed and that never signed in.

    Only accounts that signed up through the site have an address waiting for confirmation;
    accounts made by a command or the admin site (no address record) and staff are never touched.
    Never having signed in matters where confirmation is optional: those people use the site."""
    from allauth.account.models import EmailAddress

    from .models import User

    waiting = EmailAddress.objects.filter(verified=False).values("user_id")
    confirmed = EmailAddress.objects.filter(verified=True).values("user_id")
    return User.objects.filter(
        pk__in=waiting,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        date_joined__lt=now - dt.timedelta(days=SCHEDULE.unconfirmed_account_days),
    ).exclude(pk__in=confirmed)


def _expired_sessions(now: dt.datetime) -> Any:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now)


register("accounts never confirmed", _unconfirmed_accounts)
register("expired sign-in sessions", _expired_sessions)
