"""Writes to the exchange: asks and offers (one service for both), closing them, and matches."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.coalition import access, emails
from mobilise.coalition.models import (
    Ask,
    ListingStatus,
    Match,
    Offer,
    Pledge,
    PledgeUpdate,
)
from mobilise.engines import matching
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import (
    MAX_TAGS,
    _add,
    _check_amount,
    _check_not_past,
    _full_clean,
    _public,
    _recount,
    normalise_tags,
)

# --- asks and offers: one service for both ------------------------------------------------------


@dataclass(frozen=True)
class ListingKind:
    """How an ask and an offer differ, so one service writes both: the model, the names of its
    date fields (the forms use the same names, so errors land on the right field), and who may
    post one."""

    model: type[Ask] | type[Offer]
    start_field: str
    end_field: str
    # The form field naming who posts it: an ask is always an organisation's, an offer may be a
    # resident's own.
    by_field: str


KINDS: dict[str, ListingKind] = {
    "ask": ListingKind(Ask, "start_date", "end_date", "organisation"),
    "offer": ListingKind(Offer, "available_from", "available_until", "offerer"),
}


def listing_kind(listing: Ask | Offer) -> str:
    return "ask" if isinstance(listing, Ask) else "offer"


def _listing_errors(
    *, kind: ListingKind, quantity: Decimal, tags: list[str], start: date | None, end: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _check_amount(errors, "quantity", quantity)
    if len(tags) > MAX_TAGS:
        _add(errors, "tags", _("Enter %(max)s skills or tags at most") % {"max": MAX_TAGS})
    _check_not_past(errors, kind.start_field, start)
    if start is not None and end is not None and end < start:
        _add(errors, kind.end_field, _("The end date must be on or after the start date"))
    return errors


def _check_poster(
    kind: str, mission: Mission, user: Any, organisation: Organisation | None
) -> None:
    if kind == "ask":
        # A coalition organisation (the mission team included) asks.
        if (
            organisation is None
            or not access.acting_organisations(user, mission).filter(pk=organisation.pk).exists()
        ):
            raise ValidationError(
                {"organisation": _("Choose an organisation in this coalition that you belong to")}
            )
    elif (
        organisation is not None
        and not access.offering_organisations(user).filter(pk=organisation.pk).exists()
    ):
        # A partner (any organisation the person belongs to) or a resident offers.
        raise ValidationError({"offerer": _("Choose an organisation you belong to")})


@transaction.atomic
def listing_create(
    *,
    kind: str,
    mission: Mission,
    user: Any,
    category: str,
    title: str,
    quantity: Decimal,
    unit: str,
    place: Place,
    start: date,
    end: date | None = None,
    organisation: Organisation | None = None,
    description: str = "",
    tags: Iterable[str] = (),
    contact_consent: bool = False,
    pledge: Any = None,
) -> Ask | Offer:
    """Post an ask (``kind="ask"``, an organisation's, needed ``start``–``end``) or an offer
    (``kind="offer"``, an organisation's or a resident's, available from ``start``, until ``end``
    or open-ended; ``contact_consent`` and ``pledge`` are for offers only)."""
    spec = KINDS[kind]
    _public(mission)
    if not user.is_authenticated:
        raise PermissionDenied
    _check_poster(kind, mission, user, organisation)
    tags = normalise_tags(tags)
    errors = _listing_errors(kind=spec, quantity=quantity, tags=tags, start=start, end=end)
    fields: dict[str, Any] = {
        "mission": mission,
        "organisation": organisation,
        "made_by": user,
        "category": category,
        "title": title.strip(),
        "description": description.strip(),
        "tags": tags,
        "quantity": quantity,
        "unit": unit.strip(),
        "place": place,
        spec.start_field: start,
        spec.end_field: end,
    }
    if kind == "offer":
        fields.update(
            person=None if organisation is not None else user, contact_consent=contact_consent
        )
        if pledge is not None:
            # An in-kind pledge offered in the exchange: its pledger offers it, in its mission.
            if pledge.mission_id != mission.pk or not access.is_pledger(user, pledge):
                raise PermissionDenied
            fields["pledge"] = pledge
    listing = spec.model(**fields)
    _full_clean(listing, errors)
    listing.save()
    return listing


def ask_create(*, start_date: date, end_date: date, **fields: Any) -> Ask:
    """``listing_create`` for an ask, with the ask's own date names."""
    return listing_create(kind="ask", start=start_date, end=end_date, **fields)  # type: ignore[return-value]


def offer_create(
    *, available_from: date, available_until: date | None = None, **fields: Any
) -> Offer:
    """``listing_create`` for an offer, with the offer's own date names."""
    return listing_create(kind="offer", start=available_from, end=available_until, **fields)  # type: ignore[return-value]


@transaction.atomic
def listing_close(*, listing: Ask | Offer, user: Any) -> Ask | Offer:
    """The ask has been met, or is no longer needed (or the offer is gone): it leaves the open
    list and the matching."""
    model = type(listing)
    listing = (
        model.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner")
        .get(pk=listing.pk)
    )
    allowed = access.can_manage_ask if isinstance(listing, Ask) else access.can_manage_offer
    if not allowed(user, listing):
        raise PermissionDenied
    if listing.status != ListingStatus.CLOSED:
        listing.status, listing.closed_at = ListingStatus.CLOSED, timezone.now()
        listing.save(update_fields=["status", "closed_at", "updated_at"])
    return listing


def ask_close(*, ask: Ask, user: Any) -> Ask:
    return listing_close(listing=ask, user=user)  # type: ignore[return-value]


def offer_close(*, offer: Offer, user: Any) -> Offer:
    return listing_close(listing=offer, user=user)  # type: ignore[return-value]


# --- matches -------------------------------------------------------------------------------------


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
    from mobilise.coalition import selectors  # scoring reads places; services may read

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
    _count_towards_pledge(match, user)
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
    _count_towards_pledge(match, user)
    others = _match_people(match, ask_side=not ask_side) if not (ask_side and offer_side) else []
    emails.match_news(match, to=others, base_url=base_url)
    return match


def _count_towards_pledge(match: Match, user: Any) -> PledgeUpdate | None:
    """A connection on an offer made from an in-kind pledge counts towards the pledge, once.

    It counts what the ask needs, at most what was offered, in the pledge's unit (converted where
    the engine's ``units`` rule allows, a day being 8 hours). When the units do not convert it
    counts nothing but says so on the pledge, so the pledger reports the amount themselves.
    """
    offer = match.offer
    if match.status != Match.Status.CONNECTED or offer.pledge_id is None:
        return None
    if PledgeUpdate.objects.filter(match=match).exists():
        return None
    pledge = Pledge.objects.select_for_update().get(pk=offer.pledge_id)
    asked = matching.units.convert(float(match.ask.quantity), match.ask.unit, pledge.unit)
    offered = matching.units.convert(float(offer.quantity), offer.unit, pledge.unit)
    organisation = match.ask.organisation.name
    if asked is None or offered is None:
        amount = Decimal(0)
        note = _(
            "Matched in the exchange with ‘%(ask)s’ (%(organisation)s), asked in %(unit)s: "
            "report what was delivered in an update."
        ) % {"ask": match.ask.title, "organisation": organisation, "unit": match.ask.unit}
    else:
        amount = Decimal(str(round(min(asked, offered), 2)))
        note = _("Matched in the exchange with ‘%(ask)s’ (%(organisation)s)") % {
            "ask": match.ask.title,
            "organisation": organisation,
        }
    update = PledgeUpdate.objects.create(
        pledge=pledge,
        amount=amount,
        reported_on=timezone.localdate(),
        note=note,
        made_by=user if getattr(user, "is_authenticated", False) else None,
        match=match,
    )
    _recount(pledge)
    return update


class OnBehalf:
    """How a mission lead answers for a side of a match that has nobody on the site."""

    RECORDED = "recorded"  # they agreed (by phone, in person, by letter): the lead records how
    EMAILED = "emailed"  # the lead e-mails them the other side's contact details


@transaction.atomic
def match_consent_on_behalf(
    *,
    match: Match,
    user: Any,
    side: str,
    method: str,
    note: str = "",
    email: str = "",
    base_url: str = "",
) -> Match:
    """A mission lead answers for the ``side`` ("ask" or "offer") of a proposed match whose
    organisation has no member accounts, so the match does not wait for ever.

    ``OnBehalf.RECORDED``: the organisation agreed some other way; ``note`` says how (required,
    e.g. "by phone on 3 Dec"). ``OnBehalf.EMAILED``: the lead e-mails the other side's contact
    details to ``email``, the address the lead holds for the organisation (only once the other
    side has agreed to share them). Either way the side counts as agreed, with a note of how and by
    whom, and the match becomes a connection when the other side has agreed too.
    """
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "ask",
            "ask__mission",
            "ask__mission__owner",
            "ask__organisation",
            "ask__made_by",
            "offer",
            "offer__person",
            "offer__made_by",
            "offer__organisation",
        )
        .get(pk=match.pk)
    )
    if not access.can_manage_coalition(user, match.ask.mission):
        raise PermissionDenied
    if side not in ("ask", "offer"):
        raise ValidationError({"side": _("Choose which side you are answering for")})
    listing = match.ask if side == "ask" else match.offer
    consented_field = f"{side}_consented_at"
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(
            _("This match has been %(status)s already")
            % {"status": match.get_status_display().lower()}
        )
    if getattr(match, consented_field) is not None:
        raise ValidationError(_("That side has agreed already"))
    if access.has_people(listing):
        raise ValidationError(
            _("%(name)s has people on this site: they answer for themselves")
            % {"name": listing.organisation.name if listing.organisation else _("The resident")}
        )
    errors: dict[str, list[str]] = {}
    note, email = note.strip(), email.strip()
    other_consented = (
        match.offer_consented_at if side == "ask" else match.ask_consented_at
    ) is not None
    who = user.get_full_name() or user.email
    if method == OnBehalf.RECORDED:
        if not note:
            _add(errors, "note", _("Say how they agreed, for example ‘by phone on 3 Dec’"))
        text = _("Agreed %(how)s (recorded by %(who)s)") % {"how": note, "who": who}
    elif method == OnBehalf.EMAILED:
        if not email:
            _add(errors, "email", _("Enter the e-mail address you hold for them"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                _add(errors, "email", _("Enter an e-mail address, like name@example.org"))
        if not other_consented:
            _add(
                errors,
                "method",
                _("The other side has not agreed to share its contact details yet"),
            )
        text = _("Contact details e-mailed to %(email)s by %(who)s") % {"email": email, "who": who}
        if note:
            text += f" ({note})"
    else:
        _add(errors, "method", _("Choose how they agreed"))
        text = ""
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    setattr(match, consented_field, now)
    setattr(match, f"{side}_consent_note", text[:500])
    if method == OnBehalf.EMAILED:
        match.handed_over_to = email
    if match.ask_consented_at and match.offer_consented_at:
        match.status = Match.Status.CONNECTED
    _full_clean(match, {}, validate_constraints=False)
    match.save()
    _count_towards_pledge(match, user)
    if method == OnBehalf.EMAILED:
        other = match.offer if side == "ask" else match.ask
        from mobilise.coalition import selectors  # contact details are a read

        emails.handover(match, to=email, contact=selectors.contact_for(other), listing=listing)
    emails.match_news(match, to=_match_people(match, ask_side=side != "ask"), base_url=base_url)
    return match
