"""Writes for indicators: setting and removing the target (a trajectory) for an indicator in a place.

Each write is one transaction, checks permission again (views have already), validates the plan
with the trajectory engine's ``Trajectory`` (the rule the assessment itself uses) and raises
``ValidationError`` keyed by field, saving nothing, when the input is wrong. Milestone errors are
keyed ``milestones.<n>`` (``n`` from 0, in the order given) so that a form can put each message by
the row it is about.
"""

import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobilise.engines.trajectory import Trajectory, period_to_year
from mobilise.places.models import Place

from .access import check_can_set_target
from .models import Indicator, Milestone, Series, Target

YEAR_MIN, YEAR_MAX = 2000, 2100


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def validate_target(
    *,
    baseline_period: str,
    baseline_value: float,
    target_year: int,
    target_value: float,
    milestones: Sequence[tuple[int, float]],
) -> Trajectory:
    """Check a plan without saving it; raises ``ValidationError`` keyed by field (milestones as
    ``milestones.<n>``). Returns the engine's ``Trajectory``."""
    errors: dict[str, list[str]] = {}
    baseline_year = None
    try:
        baseline_year = period_to_year(baseline_period)
    except (ValueError, TypeError):
        errors["baseline_period"] = [
            _("Enter the baseline period as a year, like 2019, or a financial year, like 2019/20")
        ]
    if not _finite(baseline_value):
        errors["baseline_value"] = [_("Enter the baseline value as a number, like 45.2")]
    if not _finite(target_value):
        errors["target_value"] = [_("Enter the target value as a number, like 25")]
    if not isinstance(target_year, int) or not YEAR_MIN <= target_year <= YEAR_MAX:
        errors["target_year"] = [
            _("Enter a target year between %(min)s and %(max)s")
            % {"min": YEAR_MIN, "max": YEAR_MAX}
        ]
    elif baseline_year is not None and target_year <= baseline_year:
        errors["target_year"] = [_("The target year must be after the baseline period")]
    previous = None
    for i, (year, value) in enumerate(milestones):
        key = f"milestones.{i}"
        if not isinstance(year, int) or not _finite(value):
            errors[key] = [_("Enter the milestone’s year and value as numbers")]
        elif baseline_year is not None and year <= baseline_year:
            errors[key] = [_("The milestone year must be after the baseline period")]
        elif isinstance(target_year, int) and year >= target_year:
            errors[key] = [_("The milestone year must be before the target year")]
        elif previous is not None and year <= previous:
            errors[key] = [_("Milestones must be in year order with no year twice")]
        if isinstance(year, int):
            previous = year
    if errors:
        raise ValidationError(errors)
    # The engine has the last word: it is the rule the assessment will apply to the plan.
    try:
        return Trajectory(
            baseline=(baseline_year, baseline_value),
            target=(float(target_year), target_value),
            milestones=[(float(y), v) for y, v in milestones],
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def target_set(
    *,
    user: Any,
    indicator: Indicator,
    place: Place,
    series: Series,
    baseline_period: str,
    baseline_value: float,
    target_year: int,
    target_value: float,
    milestones: Sequence[tuple[int, float]] = (),
    note: str = "",
) -> Target:
    """Create or replace the target for ``series`` of ``indicator`` in ``place``, with its
    milestones. Raises ``PermissionDenied`` or ``ValidationError`` (nothing saved)."""
    check_can_set_target(user, indicator, place)
    if series.indicator_id != indicator.pk:
        raise ValidationError({"series": _("Choose a breakdown of this indicator")})
    baseline_period = (baseline_period or "").strip()
    milestones = list(milestones)
    validate_target(
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
        milestones=milestones,
    )
    target = Target.objects.select_for_update().filter(series=series, place=place).first()
    if target is None:
        target = Target(indicator=indicator, series=series, place=place)
    target.baseline_period = baseline_period
    target.baseline_value = float(baseline_value)
    target.target_year = target_year
    target.target_value = float(target_value)
    target.note = note.strip()
    target.set_by = user if getattr(user, "is_authenticated", False) else None
    target.full_clean()
    target.save()
    target.milestones.all().delete()
    Milestone.objects.bulk_create(
        [Milestone(target=target, year=year, value=float(value)) for year, value in milestones]
    )
    return target


@transaction.atomic
def target_delete(*, user: Any, target: Target) -> None:
    check_can_set_target(user, target.indicator, target.place)
    target.delete()
