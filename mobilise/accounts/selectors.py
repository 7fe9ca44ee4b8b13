"""Reads about people: their platform roles and organisations."""

from django.db.models import QuerySet

from .models import Membership, Organisation, Role, User, UserRole


def user_has_role(user: User | None, role: str) -> bool:
    """True when ``user`` holds ``role`` (a ``Role`` value). Superusers hold every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return UserRole.objects.filter(user=user, role=role).exists()


def user_is_platform_admin(user: User | None) -> bool:
    return user_has_role(user, Role.PLATFORM_ADMIN)


def user_organisations(user: User, *, role: str | None = None) -> QuerySet[Organisation]:
    """Organisations ``user`` belongs to, optionally only those where they hold membership ``role``."""
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def user_is_member(user: User | None, organisation: Organisation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()
