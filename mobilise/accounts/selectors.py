"""Reads about people: their platform roles and organisations."""

from django.db.models import QuerySet

from .models import DataExport, Membership, Organisation, Role, Sector, User, UserRole


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


def user_is_organisation_admin(user: User | None, organisation: Organisation) -> bool:
    """True when ``user`` is an admin member of ``organisation`` (platform roles do not count here)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    ).exists()


def user_role_list(user: User) -> list[str]:
    """The labels of the platform roles ``user`` holds, in the order ``Role`` lists them."""
    held = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    return [label for value, label in Role.choices if value in held]


def user_membership_list(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_list(*, sector: str | None = None) -> QuerySet[Organisation]:
    """Every organisation, optionally of one sector; an unknown sector gives an empty list."""
    qs = Organisation.objects.select_related("home_place").defer("home_place__boundary")
    if sector:
        qs = qs.filter(sector=sector) if sector in Sector.values else qs.none()
    return qs.order_by("name")


def organisation_get(*, slug: str) -> Organisation | None:
    return (
        Organisation.objects.select_related("home_place")
        .defer("home_place__boundary")
        .filter(slug=slug)
        .first()
    )


def organisation_member_list(organisation: Organisation) -> QuerySet[Membership]:
    """Members, admins first, then by name or e-mail address."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def organisation_admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN).count()


def organisation_public_missions(organisation: Organisation) -> QuerySet:
    """The missions ``organisation`` owns that anyone may see.

    The missions app sits above accounts in the layer order, so its model is reached through the
    reverse relation rather than imported; the statuses the public may see are the mission model's
    own ``PUBLIC_STATUSES``, so the rule stays in one place.
    """
    missions = organisation.missions  # type: ignore[attr-defined]
    public_statuses = getattr(missions.model, "PUBLIC_STATUSES", None)
    if public_statuses is None:
        return missions.none()
    return missions.filter(status__in=public_statuses).order_by("title")


def user_data_export(user: User, *, with_content: bool = False) -> DataExport | None:
    """The person's latest data download (its ZIP bytes only when asked for), or None."""
    qs = DataExport.objects.filter(user=user).order_by("-created_at", "-pk")
    if not with_content:
        qs = qs.defer("content")
    return qs.first()
