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
    Pledge,
    PledgeUpdate,
)
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place

from ._common import _add, _check_amount, _check_not_past, _full_clean, _public, _today

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
