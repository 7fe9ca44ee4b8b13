"""Reactions to allauth's signals. Connected in ``AccountsConfig.ready``."""

from typing import Any

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from . import services
from .models import Role


@receiver(user_signed_up, dispatch_uid="accounts_grant_resident_on_signup")
def grant_resident_role(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Everyone who signs up is a resident somewhere; other roles are granted later by admins."""
    services.user_role_grant(user=user, role=Role.RESIDENT)
