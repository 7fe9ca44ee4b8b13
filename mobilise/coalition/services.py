"""Writes to coalitions: membership, pledges and progress, asks, offers and matches, volunteering.

Every service takes keyword arguments, runs in one transaction, checks who is acting (views have
checked already through ``access``; services check again because they decide what may be written),
and raises ``ValidationError`` keyed by field, writing nothing, when the input is wrong. The
database constraints in models.py back each rule, so a race ends in a refusal, not bad data.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation, Role
from mobilise.accounts.selectors import user_has_role
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place

from . import access, emails
from .models import (
    Ask,
    CoalitionMember,
    ListingStatus,
    Match,
    Offer,
    Opportunity,
    Pledge,
    PledgeUpdate,
    Session,
    SignUp,
)

MAX_CAPACITY = 1000
MAX_TAGS = 12


def _today() -> date:
    return timezone.localdate()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _full_clean(obj: Any, errors: dict[str, list[str]], **kwargs: Any) -> None:
    """Run the model's own checks, keeping the friendlier messages already found for a field.

    The database constraints are checked only when nothing else is wrong: otherwise a negative
    quantity would be reported twice, once plainly and once as the constraint behind it.
    """
    kwargs.setdefault("validate_constraints", not errors)
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field not in errors:
                errors[field] = list(messages)
    _raise(errors)


def _check_amount(
    errors: dict[str, list[str]], field: str, value: Decimal | None, *, allow_zero: bool = False
) -> None:
    if value is None:
        return
    if value < 0:
        _add(errors, field, _("Enter an amount of 0 or more, not a negative number"))
    elif value == 0 and not allow_zero:
        _add(errors, field, _("Enter an amount more than 0"))


def _check_not_past(errors: dict[str, list[str]], field: str, value: date | None) -> None:
    if value is not None and value < _today():
        _add(errors, field, _("The date must be today or in the future"))


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Trimmed, lower-case, without repeats, in the order given."""
    result: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()
        if tag and tag not in result:
            result.append(tag[:40])
    return result


def _mission_leads(mission: Mission) -> list[Any]:
    """The people who decide on the coalition: the owning organisation's mission leads."""
    people = [m.user for m in mission.owner.memberships.select_related("user") if m.user.is_active]
    return [p for p in people if user_has_role(p, Role.MISSION_LEAD)]


def _public(mission: Mission) -> None:
    if not mission.is_public:
        raise ValidationError(_("This mission is not published yet"))


# --- membership ----------------------------------------------------------------------------------


@transaction.atomic
def coalition_join_request(
    *, mission: Mission, organisation: Organisation, user: Any, statement: str, base_url: str = ""
) -> CoalitionMember:
    """An organisation's admin asks for it to join the coalition; the mission leads are told."""
    _public(mission)
    if not access.joinable_organisations(user, mission).filter(pk=organisation.pk).exists():
        if organisation.pk == mission.owner_id:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s runs this mission, so it is in the coalition already"
                    )
                    % {"organisation": organisation.name}
                }
            )
        if CoalitionMember.objects.filter(
            mission=mission, organisation=organisation, status__in=CoalitionMember.LIVE_STATUSES
        ).exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s is already in the coalition or has asked to join"
                    )
                    % {"organisation": organisation.name}
                }
            )
        raise PermissionDenied
    member = CoalitionMember(
        mission=mission, organisation=organisation, statement=statement.strip(), requested_by=user
    )
    errors: dict[str, list[str]] = {}
    if not member.statement:
        _add(errors, "statement", _("Say what your organisation will bring"))
    _full_clean(member, errors, validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "organisation": _("%(organisation)s has asked to join already")
                % {"organisation": organisation.name}
            }
        ) from exc
    emails.member_requested(member, leads=_mission_leads(mission), base_url=base_url)
    return member


@transaction.atomic
def coalition_member_decide(
    *, member: CoalitionMember, user: Any, accept: bool, note: str = "", base_url: str = ""
) -> CoalitionMember:
    """A mission lead accepts or declines a request to join."""
    member = (
        CoalitionMember.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner", "organisation", "requested_by")
        .get(pk=member.pk)
    )
    if not access.can_manage_coalition(user, member.mission):
        raise PermissionDenied
    if member.status != CoalitionMember.Status.PENDING:
        raise ValidationError(_("This request has been decided already"))
    member.status = CoalitionMember.Status.ACCEPTED if accept else CoalitionMember.Status.DECLINED
    member.decided_by = user
    member.decided_at = timezone.now()
    member.decision_note = note.strip()
    _full_clean(member, {}, validate_constraints=False)
    member.save()
    emails.member_decided(member, base_url=base_url)
    return member


# --- pledges -------------------------------------------------------------------------------------


def _check_serves(
    errors: dict[str, list[str]],
    mission: Mission,
    outcome: Outcome | None,
    node: TheoryOfChangeNode | None,
) -> None:
    if (outcome is not None and outcome.mission_id != mission.pk) or (
        node is not None and node.mission_id != mission.pk
    ):
        _add(errors, "serves", _("Choose an outcome or step of this mission"))


@transaction.atomic
def pledge_create(
    *,
    mission: Mission,
    user: Any,
    title: str,
    quantity: Decimal,
    unit: str,
    due_date: date,
    organisation: Organisation | None = None,
    description: str = "",
    outcome: Outcome | None = None,
    toc_node: TheoryOfChangeNode | None = None,
    places: Iterable[Place] = (),
    money_value: Decimal | None = None,
    in_kind_value: Decimal | None = None,
) -> Pledge:
    """A pledge by a coalition organisation ``user`` belongs to, or by ``user`` as a resident."""
    _public(mission)
    if not user.is_authenticated:
        raise PermissionDenied
    if (
        organisation is not None
        and not access.acting_organisations(user, mission).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError(
            {
                "pledger": _(
                    "You can pledge for an organisation in this coalition that you belong to"
                )
            }
        )
    errors: dict[str, list[str]] = {}
    _check_amount(errors, "quantity", quantity)
    _check_amount(errors, "money_value", money_value, allow_zero=True)
    _check_amount(errors, "in_kind_value", in_kind_value, allow_zero=True)
    _check_not_past(errors, "due_date", due_date)
    _check_serves(errors, mission, outcome, toc_node)
    pledge = Pledge(
        mission=mission,
        organisation=organisation,
        person=None if organisation is not None else user,
        made_by=user,
        title=title.strip(),
        description=description.strip(),
        outcome=outcome,
        toc_node=toc_node,
        quantity=quantity,
        unit=unit.strip(),
        due_date=due_date,
        money_value=money_value,
        in_kind_value=in_kind_value,
    )
    _full_clean(pledge, errors)
    pledge.save()
    pledge.places.set(list(places))
    return pledge


def pledge_recount(*, pledge: Pledge) -> Pledge:
    """Work out ``delivered`` and ``fulfilled_on`` again from the pledge's updates (for imports and
    repairs; ``pledge_progress_add`` keeps them right as it goes)."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        _recount(pledge)
    return pledge


def _recount(pledge: Pledge) -> None:
    """Delivered so far, and the date the running total first reached the pledge, from its updates."""
    total, fulfilled_on = Decimal(0), None
    for amount, reported_on in pledge.updates.order_by("reported_on", "id").values_list(
        "amount", "reported_on"
    ):
        total += amount
        if fulfilled_on is None and total >= pledge.quantity:
            fulfilled_on = reported_on
    Pledge.objects.filter(pk=pledge.pk).update(
        delivered=total, fulfilled_on=fulfilled_on, updated_at=timezone.now()
    )
    pledge.delivered, pledge.fulfilled_on = total, fulfilled_on


@transaction.atomic
def pledge_progress_add(
    *,
    pledge: Pledge,
    user: Any,
    amount: Decimal,
    reported_on: date,
    evidence_url: str = "",
    note: str = "",
) -> PledgeUpdate:
    """The pledger reports what has been delivered since the last update."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not access.is_pledger(user, pledge):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    _check_amount(errors, "amount", amount, allow_zero=True)
    if amount == 0 and not note.strip():
        _add(errors, "note", _("Nothing was delivered: say why in the note"))
    if reported_on is not None:
        if reported_on > _today():
            _add(errors, "reported_on", _("The date cannot be in the future"))
        elif reported_on < pledge.created_at.date():
            _add(errors, "reported_on", _("The date cannot be before the pledge was made"))
    update = PledgeUpdate(
        pledge=pledge,
        amount=amount,
        reported_on=reported_on,
        evidence_url=evidence_url.strip(),
        note=note.strip(),
        made_by=user,
    )
    _full_clean(update, errors)
    update.save()
    _recount(pledge)
    return update


@transaction.atomic
def pledge_flag(*, pledge: Pledge, user: Any, flagged: bool, note: str = "") -> Pledge:
    """A mission lead flags a pledge for follow-up (with a note for the team), or clears the flag."""
    pledge = (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner")
        .get(pk=pledge.pk)
    )
    if not access.can_manage_coalition(user, pledge.mission):
        raise PermissionDenied
    if flagged:
        pledge.flagged_at, pledge.flagged_by, pledge.flag_note = timezone.now(), user, note.strip()
    else:
        pledge.flagged_at, pledge.flagged_by, pledge.flag_note = None, None, ""
    pledge.save(update_fields=["flagged_at", "flagged_by", "flag_note", "updated_at"])
    return pledge


# --- asks, offers and matches --------------------------------------------------------------------


def _listing_errors(
    *,
    quantity: Decimal,
    tags: list[str],
    start: date | None,
    end: date | None,
    start_field: str,
    end_field: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _check_amount(errors, "quantity", quantity)
    if len(tags) > MAX_TAGS:
        _add(errors, "tags", _("Enter %(max)s skills or tags at most") % {"max": MAX_TAGS})
    _check_not_past(errors, start_field, start)
    if start is not None and end is not None and end < start:
        _add(errors, end_field, _("The end date must be on or after the start date"))
    return errors


@transaction.atomic
def ask_create(
    *,
    mission: Mission,
    user: Any,
    organisation: Organisation,
    category: str,
    title: str,
    quantity: Decimal,
    unit: str,
    place: Place,
    start_date: date,
    end_date: date,
    description: str = "",
    tags: Iterable[str] = (),
) -> Ask:
    """A coalition organisation (the mission team included) asks for something."""
    _public(mission)
    if not access.acting_organisations(user, mission).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("Choose an organisation in this coalition that you belong to")}
        )
    tags = normalise_tags(tags)
    errors = _listing_errors(
        quantity=quantity,
        tags=tags,
        start=start_date,
        end=end_date,
        start_field="start_date",
        end_field="end_date",
    )
    ask = Ask(
        mission=mission,
        organisation=organisation,
        made_by=user,
        category=category,
        title=title.strip(),
        description=description.strip(),
        tags=tags,
        quantity=quantity,
        unit=unit.strip(),
        place=place,
        start_date=start_date,
        end_date=end_date,
    )
    _full_clean(ask, errors)
    ask.save()
    return ask


@transaction.atomic
def offer_create(
    *,
    mission: Mission,
    user: Any,
    category: str,
    title: str,
    quantity: Decimal,
    unit: str,
    place: Place,
    available_from: date,
    available_until: date | None = None,
    organisation: Organisation | None = None,
    description: str = "",
    tags: Iterable[str] = (),
    contact_consent: bool = False,
) -> Offer:
    """A partner (any organisation ``user`` belongs to) or a resident offers something."""
    _public(mission)
    if not user.is_authenticated:
        raise PermissionDenied
    if (
        organisation is not None
        and not access.offering_organisations(user).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"offerer": _("Choose an organisation you belong to")})
    tags = normalise_tags(tags)
    errors = _listing_errors(
        quantity=quantity,
        tags=tags,
        start=available_from,
        end=available_until,
        start_field="available_from",
        end_field="available_until",
    )
    offer = Offer(
        mission=mission,
        organisation=organisation,
        person=None if organisation is not None else user,
        made_by=user,
        category=category,
        title=title.strip(),
        description=description.strip(),
        tags=tags,
        quantity=quantity,
        unit=unit.strip(),
        place=place,
        available_from=available_from,
        available_until=available_until,
        contact_consent=contact_consent,
    )
    _full_clean(offer, errors)
    offer.save()
    return offer


def _close(model: type[Ask] | type[Offer], obj: Any, user: Any, allowed: Any) -> Any:
    obj = (
        model.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner")
        .get(pk=obj.pk)
    )
    if not allowed(user, obj):
        raise PermissionDenied
    if obj.status != ListingStatus.CLOSED:
        obj.status, obj.closed_at = ListingStatus.CLOSED, timezone.now()
        obj.save(update_fields=["status", "closed_at", "updated_at"])
    return obj


@transaction.atomic
def ask_close(*, ask: Ask, user: Any) -> Ask:
    """The ask has been met, or is no longer needed: it leaves the open list and the matching."""
    return _close(Ask, ask, user, access.can_manage_ask)


@transaction.atomic
def offer_close(*, offer: Offer, user: Any) -> Offer:
    return _close(Offer, offer, user, access.can_manage_offer)


def _match_people(match: Match, *, ask_side: bool) -> list[Any]:
    """Who hears about a match on one side: whoever posted, or the resident."""
    listing = match.ask if ask_side else match.offer
    person = getattr(listing, "person", None) or listing.made_by
    return [person] if person is not None else []


@transaction.atomic
def match_create(*, ask: Ask, offer: Offer, user: Any, consent: bool, base_url: str = "") -> Match:
    """Bring an ask and an offer together: either side, or a mission lead, may.

    A side that makes the match agrees there and then to share its contact details (``consent``);
    an offer made with consent already counts as agreed. Once both sides agree, the match is a
    connection and each sees the other's contact details.
    """
    from . import selectors  # scoring reads places; services may read

    ask = (
        Ask.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner", "made_by", "place")
        .defer("place__boundary")
        .get(pk=ask.pk)
    )
    offer = (
        Offer.objects.select_related("mission", "person", "made_by", "place")
        .defer("place__boundary")
        .get(pk=offer.pk)
    )
    ask_side, offer_side = access.is_ask_side(user, ask), access.is_offer_side(user, offer)
    if not (ask_side or offer_side or access.can_manage_coalition(user, ask.mission)):
        raise PermissionDenied
    if ask.status != ListingStatus.OPEN or offer.status != ListingStatus.OPEN:
        raise ValidationError(_("Only open asks and offers can be matched"))
    if (ask_side or offer_side) and not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Agree to share your contact details, so the other side can get in touch"
                )
            }
        )
    if Match.objects.filter(ask=ask, offer=offer).exists():
        raise ValidationError(_("This ask and offer have been matched already"))
    scored = selectors.score_pair(ask, offer)
    now = timezone.now()
    match = Match(
        ask=ask,
        offer=offer,
        proposed_by=user,
        score=scored.score if scored else 0.0,
        reasons=selectors.reasons_to_json(scored.reasons) if scored else [],
        ask_consented_at=now if ask_side else None,
        offer_consented_at=now if (offer_side or offer.contact_consent) else None,
    )
    if match.ask_consented_at and match.offer_consented_at:
        match.status = Match.Status.CONNECTED
    _full_clean(match, {}, validate_constraints=False)
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError as exc:
        raise ValidationError(_("This ask and offer have been matched already")) from exc
    to = []
    if not ask_side or match.status == Match.Status.CONNECTED:
        to += _match_people(match, ask_side=True)
    if not offer_side or match.status == Match.Status.CONNECTED:
        to += _match_people(match, ask_side=False)
    emails.match_news(
        match, to=[p for p in to if p.pk != getattr(user, "pk", None)], base_url=base_url
    )
    return match


@transaction.atomic
def match_respond(
    *, match: Match, user: Any, accept: bool, consent: bool, base_url: str = ""
) -> Match:
    """A side that has not agreed yet accepts (sharing its contact details) or declines."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "ask",
            "ask__organisation",
            "ask__made_by",
            "offer",
            "offer__person",
            "offer__made_by",
            "offer__organisation",
        )
        .get(pk=match.pk)
    )
    ask_side = access.is_ask_side(user, match.ask) and match.ask_consented_at is None
    offer_side = access.is_offer_side(user, match.offer) and match.offer_consented_at is None
    if not (ask_side or offer_side):
        raise PermissionDenied
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(
            _("This match has been %(status)s already")
            % {"status": match.get_status_display().lower()}
        )
    now = timezone.now()
    if not accept:
        match.status, match.declined_at = Match.Status.DECLINED, now
    else:
        if not consent:
            raise ValidationError(
                {"consent": _("To accept, agree to share your contact details with the other side")}
            )
        if ask_side:
            match.ask_consented_at = now
        if offer_side:
            match.offer_consented_at = now
        if match.ask_consented_at and match.offer_consented_at:
            match.status = Match.Status.CONNECTED
    _full_clean(match, {}, validate_constraints=False)
    match.save()
    others = _match_people(match, ask_side=not ask_side) if not (ask_side and offer_side) else []
    emails.match_news(match, to=others, base_url=base_url)
    return match


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
