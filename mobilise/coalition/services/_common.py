"""What every coalition service shares: checks, errors and who the mission leads are."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Role
from mobilise.accounts.selectors import user_has_role
from mobilise.coalition.models import Pledge
from mobilise.missions.models import Mission

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
