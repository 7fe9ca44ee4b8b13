"""Writes to pledges: making one, reporting progress, flagging."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.coalition import access
from mobilise.coalition.models import (
    Offer,
    Pledge,
    PledgeUpdate,
)
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place

from ._common import _add, _check_amount, _check_not_past, _full_clean, _public, _recount, _today
from .exchange import listing_create

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
    offer_category: str = "",
    offer_contact_consent: bool = False,
) -> Pledge:
    """A pledge by a coalition organisation ``user`` belongs to, or by ``user`` as a resident.

    With ``offer_category`` (a meeting room is "premises") the pledge is also offered in the
    exchange, in the same step: an offer of the same thing, quantity and unit, available from
    today until the pledge is due, linked to the pledge so a connection on it counts towards it.
    """
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
    places = list(places)
    pledge.places.set(places)
    if offer_category:
        pledge_offer(
            pledge=pledge,
            user=user,
            category=offer_category,
            contact_consent=offer_contact_consent,
            place=places[0] if places else None,
        )
    return pledge


# How an error in the offer made with a pledge shows on the pledge form.
_OFFER_FIELDS = {"category": "offer_category"}


@transaction.atomic
def pledge_offer(
    *,
    pledge: Pledge,
    user: Any,
    category: str,
    contact_consent: bool = False,
    place: Place | None = None,
) -> Offer:
    """Offer an in-kind pledge in the exchange: an offer of the same thing, linked to the pledge,
    so a connection on it counts towards the pledge (``exchange._count_towards_pledge``)."""
    mission = pledge.mission
    place = (
        place
        or pledge.places.defer("boundary", "bbox").order_by("name").first()
        or (pledge.organisation.home_place if pledge.organisation else None)
        or getattr(user, "home_place", None)
        or mission.places.defer("boundary", "bbox").first()
    )
    if place is None:
        raise ValidationError({"offer_category": _("Say where the pledge is, to offer it")})
    try:
        return listing_create(  # type: ignore[return-value]
            kind="offer",
            mission=mission,
            user=user,
            organisation=pledge.organisation,
            category=category,
            title=pledge.title,
            description=pledge.description,
            quantity=pledge.quantity,
            unit=pledge.unit,
            place=place,
            start=_today(),
            end=pledge.due_date,
            contact_consent=contact_consent,
            pledge=pledge,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                _OFFER_FIELDS.get(field, "offer_in_exchange"): messages
                for field, messages in exc.message_dict.items()
            }
        ) from exc


def pledge_recount(*, pledge: Pledge) -> Pledge:
    """Work out ``delivered`` and ``fulfilled_on`` again from the pledge's updates (for imports and
    repairs; ``pledge_progress_add`` keeps them right as it goes)."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        _recount(pledge)
    return pledge


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
