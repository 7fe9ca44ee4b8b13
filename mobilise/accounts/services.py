"""Writes about people, their platform roles, and organisations and their members."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mobilise.places.models import Place

from .models import DataExport, Membership, Organisation, Role, User, UserRole

SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length or 80
# Words used in the organisation URLs themselves (/organisations/new/), never given as a slug.
RESERVED_SLUGS = frozenset({"new"})


class LastAdminError(ValidationError):
    """Raised when a change would leave an organisation with nobody able to manage it."""


def user_role_grant(*, user: User, role: str) -> UserRole:
    """Give ``user`` the platform role ``role``; granting a role they already hold changes nothing."""
    if role not in Role.values:
        raise ValidationError({"role": _("Select a platform role")})
    with transaction.atomic():
        user_role, _created = UserRole.objects.get_or_create(user=user, role=role)
    return user_role


def user_update(*, user: User, name: str, home_place: Place | None) -> User:
    """Change the details a person may edit about themselves."""
    user.name = name.strip()
    user.home_place = home_place
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=["name", "home_place"])
    return user


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[: SLUG_MAX_LENGTH - 6].strip("-") or "organisation"
    taken = (
        set(
            Organisation.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def organisation_create(
    *,
    creator: User,
    name: str,
    sector: str,
    registered_number: str = "",
    home_place: Place | None = None,
    website: str = "",
    description: str = "",
) -> Organisation:
    """Create an organisation with a web address made from its name; the creator becomes its admin."""
    for attempt in range(3):
        organisation = Organisation(
            name=name.strip(),
            slug=_unique_slug(name),
            sector=sector,
            registered_number=registered_number.strip(),
            home_place=home_place,
            website=website,
            description=description,
        )
        organisation.full_clean()
        try:
            with transaction.atomic():
                organisation.save()
                membership = Membership(
                    user=creator, organisation=organisation, role=Membership.Role.ADMIN
                )
                membership.full_clean()
                membership.save()
        except IntegrityError:
            # Someone else took the same slug between our check and our insert: pick again.
            if attempt == 2:
                raise
            continue
        return organisation
    raise AssertionError("unreachable")  # pragma: no cover


def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    sector: str,
    registered_number: str = "",
    home_place: Place | None = None,
    website: str = "",
    description: str = "",
) -> Organisation:
    """Change an organisation's details. Its slug stays put so links to it keep working."""
    organisation.name = name.strip()
    organisation.sector = sector
    organisation.registered_number = registered_number.strip()
    organisation.home_place = home_place
    organisation.website = website
    organisation.description = description
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
    return organisation


def _lock(organisation: Organisation) -> None:
    # Every change to an organisation's members takes this row lock first, so two admins acting at
    # once cannot both remove "the other" admin and leave nobody in charge.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _reload(membership: Membership) -> bool:
    """Re-read ``membership`` under the lock; False if it has gone meanwhile."""
    try:
        membership.refresh_from_db()
    except Membership.DoesNotExist:
        return False
    return True


def _would_leave_no_admin(membership: Membership) -> bool:
    if membership.role != Membership.Role.ADMIN:
        return False
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk)
    return not others.exists()


def membership_add(
    *, organisation: Organisation, user: User, role: str = Membership.Role.MEMBER
) -> Membership:
    """Add ``user`` to ``organisation``; they must not belong to it already."""
    with transaction.atomic():
        _lock(organisation)
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise ValidationError(
                {"email": _("%(person)s is already a member") % {"person": user.get_full_name()}}
            )
        membership = Membership(organisation=organisation, user=user, role=role)
        membership.full_clean()
        membership.save()
    return membership


def membership_update(*, membership: Membership, role: str) -> Membership:
    """Change a member's role. The last admin cannot be made an ordinary member."""
    with transaction.atomic():
        _lock(membership.organisation)
        if not _reload(membership):
            raise ValidationError(_("This person is no longer a member"))
        if role != Membership.Role.ADMIN and _would_leave_no_admin(membership):
            raise LastAdminError(
                {
                    "role": _(
                        "An organisation must have at least one admin. Make another member an admin first."
                    )
                }
            )
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role", "updated_at"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    """Remove a member. The last admin cannot be removed: someone must be able to manage the members."""
    with transaction.atomic():
        _lock(membership.organisation)
        if not _reload(membership):
            return  # someone else removed them first: the outcome asked for holds
        if _would_leave_no_admin(membership):
            raise LastAdminError(
                _(
                    "You cannot remove the last admin. Make another member an admin first, then remove this person."
                )
            )
        membership.delete()


# --- people's rights: download my data, delete my account ---------------------------------------

# A download still "being prepared" this long after it was asked for has stalled (its worker died):
# the person may ask again.
DATA_EXPORT_STALE_AFTER = dt.timedelta(minutes=10)


def data_export_request(*, user: User) -> DataExport:
    """Ask for a ZIP of everything held about ``user``; a worker builds it.

    One download per person: asking again replaces the last one, unless one is being prepared
    (then that one is returned and nothing new is queued).
    """
    from .tasks import build_data_export

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = (
            DataExport.objects.filter(
                user=user,
                status=DataExport.Status.PENDING,
                created_at__gt=timezone.now() - DATA_EXPORT_STALE_AFTER,
            )
            .defer("content")
            .first()
        )
        if pending is not None:
            return pending
        DataExport.objects.filter(user=user).delete()
        export = DataExport.objects.create(user=user)
        export_id = export.pk
        transaction.on_commit(lambda: build_data_export.enqueue(export_id=export_id))
    return export


def data_export_build(*, export_id: int) -> str:
    """Fill in a download's ZIP (the worker calls this). Returns its status."""
    from .personal_data import build_zip

    export = DataExport.objects.filter(pk=export_id).select_related("user").defer("content").first()
    if export is None:
        return "gone"  # replaced, or the account was deleted meanwhile
    try:
        content = build_zip(export.user)
    except Exception:
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    DataExport.objects.filter(pk=export_id).update(
        status=DataExport.Status.READY,
        content=content,
        size=len(content),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return DataExport.Status.READY


class ErasureBlocked(ValidationError):
    """Raised when deleting an account would leave something without anyone in charge."""


def account_erase(*, user: User) -> None:
    """Delete ``user``'s account and personal data; keep their public contributions, anonymised.

    Nothing is deleted while something blocks it (an organisation they are the last admin of):
    they are told what to do first. Every app erases its own rows (``core.personal_data``), then
    the account row goes in the same transaction; the rows that pointed at it and belong to the
    public record keep their content and show a "Former participant".
    """
    from mobilise.core.personal_data import personal_data

    with transaction.atomic():
        # Lock the organisations they administer, so nobody removes the other admin meanwhile.
        for organisation in Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN
        ):
            _lock(organisation)
        problems = personal_data.blockers(user)
        if problems:
            raise ErasureBlocked(problems)
        personal_data.erase(user)
        User.objects.filter(pk=user.pk).delete()
