"""Writes to volunteering: opportunities, sessions, sign-ups, waiting lists and attendance."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.coalition import access, emails
from mobilise.coalition.models import (
    Opportunity,
    Session,
    SignUp,
)
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import MAX_CAPACITY, _add, _full_clean, _public, _raise

# --- volunteering --------------------------------------------------------------------------------


@dataclass
class OpportunityFields:
    role: str
    description: str
    place: Place
    location: str
    dbs_check_required: bool = False
    minimum_age: int | None = None
    requirements: str = ""
    accessibility: str = ""


def _opportunity_errors(fields: OpportunityFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.minimum_age is not None and not 0 <= fields.minimum_age <= 100:
        _add(errors, "minimum_age", _("Enter an age between 0 and 100"))
    return errors


def _apply(opportunity: Opportunity, fields: OpportunityFields) -> None:
    opportunity.role = fields.role.strip()
    opportunity.description = fields.description.strip()
    opportunity.place = fields.place
    opportunity.location = fields.location.strip()
    opportunity.dbs_check_required = fields.dbs_check_required
    opportunity.minimum_age = fields.minimum_age
    opportunity.requirements = fields.requirements.strip()
    opportunity.accessibility = fields.accessibility.strip()


@transaction.atomic
def opportunity_create(
    *, mission: Mission, user: Any, organisation: Organisation, fields: OpportunityFields
) -> Opportunity:
    _public(mission)
    if not access.acting_organisations(user, mission).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("Choose an organisation in this coalition that you belong to")}
        )
    opportunity = Opportunity(mission=mission, organisation=organisation, made_by=user)
    _apply(opportunity, fields)
    _full_clean(opportunity, _opportunity_errors(fields))
    opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, user: Any, fields: OpportunityFields, status: str
) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner")
        .get(pk=opportunity.pk)
    )
    if not access.can_manage_opportunity(user, opportunity):
        raise PermissionDenied
    _apply(opportunity, fields)
    opportunity.status = status
    _full_clean(opportunity, _opportunity_errors(fields))
    opportunity.save()
    return opportunity


def _session_errors(
    starts_at: datetime, ends_at: datetime, capacity: int, *, confirmed: int = 0, moved: bool = True
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if moved and starts_at <= timezone.now():
        _add(errors, "starts_at", _("The session must start in the future"))
    if ends_at <= starts_at:
        _add(errors, "ends_at", _("The session must end after it starts"))
    elif (ends_at - starts_at).total_seconds() > 24 * 3600:
        _add(errors, "ends_at", _("A session can last 24 hours at most"))
    if capacity < 1:
        _add(errors, "capacity", _("Enter at least 1 place"))
    elif capacity > MAX_CAPACITY:
        _add(errors, "capacity", _("Enter %(max)s places or fewer") % {"max": MAX_CAPACITY})
    elif capacity < confirmed:
        _add(
            errors,
            "capacity",
            _("%(count)s people have a place already: enter %(count)s or more")
            % {"count": confirmed},
        )
    return errors


@transaction.atomic
def session_create(
    *, opportunity: Opportunity, user: Any, starts_at: datetime, ends_at: datetime, capacity: int
) -> Session:
    if not access.can_manage_opportunity(user, opportunity):
        raise PermissionDenied
    session = Session(
        opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, capacity=capacity
    )
    _full_clean(session, _session_errors(starts_at, ends_at, capacity))
    session.save()
    return session


def _lock_session(session: Session) -> Session:
    # Every change to a session's places takes its row lock first (PostgreSQL; SQLite serialises
    # writers anyway), so sign-ups, cancellations and promotions for one session happen one by one.
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("opportunity", "opportunity__mission")
        .get(pk=session.pk)
    )


def _promote_waiting(session: Session, places: int, *, base_url: str) -> list[SignUp]:
    """Give up to ``places`` free places to the earliest people waiting, in the same transaction."""
    promoted: list[SignUp] = []
    for _n in range(places):
        sign_up = (
            SignUp.objects.select_for_update()
            .filter(session=session, status=SignUp.Status.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if sign_up is None:
            break
        got_place = Session.objects.filter(pk=session.pk, confirmed_count__lt=F("capacity")).update(
            confirmed_count=F("confirmed_count") + 1
        )
        if not got_place:
            break
        sign_up.status, sign_up.promoted_at = SignUp.Status.CONFIRMED, timezone.now()
        sign_up.save(update_fields=["status", "promoted_at", "updated_at"])
        sign_up.session = session
        emails.promoted(sign_up, base_url=base_url)
        promoted.append(sign_up)
    return promoted


@transaction.atomic
def session_update(
    *,
    session: Session,
    user: Any,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    base_url: str = "",
) -> Session:
    """Change a session's time or places. More places go to the waiting list at once; fewer than
    the people already confirmed is refused."""
    session = _lock_session(session)
    if not access.can_manage_opportunity(user, session.opportunity):
        raise PermissionDenied
    moved = starts_at != session.starts_at
    errors = _session_errors(
        starts_at, ends_at, capacity, confirmed=session.confirmed_count, moved=moved
    )
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    _full_clean(session, errors)
    session.save(update_fields=["starts_at", "ends_at", "capacity", "updated_at"])
    if moved:
        # Reminders queued for the old time check the start they were meant for and stand down.
        confirmed = list(
            session.sign_ups.filter(status=SignUp.Status.CONFIRMED).select_related("person")
        )
        SignUp.objects.filter(pk__in=[s.pk for s in confirmed]).update(reminder_sent_at=None)
        for sign_up in confirmed:
            sign_up.session = session
            emails.schedule_reminder(sign_up, base_url=base_url)
    _promote_waiting(session, session.capacity - session.confirmed_count, base_url=base_url)
    session.refresh_from_db(fields=["confirmed_count"])
    return session


@transaction.atomic
def signup_create(*, session: Session, person: Any, base_url: str = "") -> SignUp:
    """A place on the session if one is free, otherwise a place on its waiting list.

    The place is taken by a conditional UPDATE (``confirmed_count + 1`` only while below
    ``capacity``) in the same transaction as the sign-up row, so concurrent sign-ups can never
    overfill a session; the check constraint on the count refuses it even if this code were wrong.
    """
    if not person.is_authenticated:
        raise PermissionDenied
    session = _lock_session(session)
    opportunity = session.opportunity
    if not opportunity.mission.is_public or opportunity.status != Opportunity.Status.OPEN:
        raise ValidationError(_("This opportunity is not taking sign-ups"))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has started already, so you cannot sign up to it"))
    if SignUp.objects.filter(
        session=session, person=person, status__in=SignUp.ACTIVE_STATUSES
    ).exists():
        raise ValidationError(_("You have signed up to this session already"))
    got_place = Session.objects.filter(pk=session.pk, confirmed_count__lt=F("capacity")).update(
        confirmed_count=F("confirmed_count") + 1, updated_at=timezone.now()
    )
    sign_up = SignUp(
        session=session,
        person=person,
        status=SignUp.Status.CONFIRMED if got_place else SignUp.Status.WAITING,
    )
    try:
        with transaction.atomic():
            sign_up.save()
    except IntegrityError as exc:
        # The same person, twice at once: the unique constraint let one through. Raising undoes
        # this transaction, the place taken above included.
        raise ValidationError(_("You have signed up to this session already")) from exc
    emails.signed_up(sign_up, base_url=base_url)
    return sign_up


@transaction.atomic
def signup_cancel(*, sign_up: SignUp, user: Any, base_url: str = "") -> list[SignUp]:
    """Give up a place (or leave the waiting list). A freed place goes to the earliest person
    waiting, in the same transaction; returns whoever was promoted."""
    session = _lock_session(sign_up.session)
    sign_up = (
        SignUp.objects.select_for_update(of=("self",)).select_related("person").get(pk=sign_up.pk)
    )
    if sign_up.person_id != getattr(user, "pk", None):
        raise PermissionDenied
    if sign_up.status == SignUp.Status.CANCELLED:
        return []  # cancelled already (a double click): the outcome asked for holds
    if session.starts_at <= timezone.now():
        raise ValidationError(
            _("The session has started, so your place can no longer be cancelled")
        )
    was_confirmed = sign_up.status == SignUp.Status.CONFIRMED
    sign_up.status, sign_up.cancelled_at = SignUp.Status.CANCELLED, timezone.now()
    sign_up.save(update_fields=["status", "cancelled_at", "updated_at"])
    sign_up.session = session
    emails.cancelled(sign_up, base_url=base_url)
    if not was_confirmed:
        return []
    Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") - 1)
    return _promote_waiting(session, 1, base_url=base_url)


@dataclass
class Attendance:
    sign_up_id: int
    attended: bool | None
    hours: Decimal | None = None


@transaction.atomic
def attendance_record(*, session: Session, user: Any, records: Iterable[Attendance]) -> int:
    """The organiser marks who came and their hours (the session's length unless given)."""
    session = _lock_session(session)
    if not access.can_manage_opportunity(user, session.opportunity):
        raise PermissionDenied
    if session.starts_at > timezone.now():
        raise ValidationError(_("You can record attendance once the session has started"))
    by_id = {
        s.pk: s for s in session.sign_ups.select_for_update().filter(status=SignUp.Status.CONFIRMED)
    }
    errors: dict[str, list[str]] = {}
    changed = []
    for record in records:
        sign_up = by_id.get(record.sign_up_id)
        if sign_up is None:
            _add(errors, "__all__", _("Someone on the list no longer has a place: reload the page"))
            continue
        hours = record.hours
        if record.attended:
            if hours is None:
                hours = session.hours
            if not Decimal(0) <= hours <= SignUp.MAX_HOURS:
                _add(errors, f"hours_{sign_up.pk}", _("Enter hours between 0 and 24"))
                continue
        else:
            hours = None
        sign_up.attended, sign_up.hours = record.attended, hours
        changed.append(sign_up)
    _raise(errors)
    for sign_up in changed:
        sign_up.save(update_fields=["attended", "hours", "updated_at"])
    return len(changed)


def signups_erase(*, person: Any, base_url: str = "") -> int:
    """Remove every sign-up of ``person`` whose account is being deleted (their own erasure, in
    its transaction). A confirmed place on a session still to come goes to the earliest person
    waiting, as a cancellation would; places counted on past sessions are given back so the count
    matches the sign-ups left. Returns how many sign-ups went."""
    sign_ups = list(SignUp.objects.filter(person=person).select_related("session"))
    now = timezone.now()
    for sign_up in sign_ups:
        session = _lock_session(sign_up.session)
        was_confirmed = sign_up.status == SignUp.Status.CONFIRMED
        SignUp.objects.filter(pk=sign_up.pk).delete()
        if was_confirmed:
            Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") - 1)
            if session.starts_at > now:
                _promote_waiting(session, 1, base_url=base_url)
    return len(sign_ups)
