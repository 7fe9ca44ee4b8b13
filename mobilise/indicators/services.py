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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobilise.engines.trajectory import Trajectory, period_to_year
from mobilise.missions.models import Outcome
from mobilise.places.models import Place

from .access import can_link_indicators, check_can_set_target, place_in_mission
from .models import Indicator, IndicatorLink, Milestone, Series, Target

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
    link: IndicatorLink | None = None,
) -> Target:
    """Create or replace the target for ``series`` of ``indicator`` in ``place``, with its
    milestones: the outcome's own through ``link`` (its leads may set it), or, without one, the
    place's own. Raises ``PermissionDenied`` or ``ValidationError`` (nothing saved)."""
    if link is not None:
        if not can_link_indicators(user, link.outcome):
            raise PermissionDenied
        if link.indicator_id != indicator.pk or link.place_id != place.pk:
            raise ValidationError(_("The target must be for the link’s indicator and place"))
    else:
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
    target = (
        Target.objects.select_for_update().filter(series=series, place=place, link=link).first()
    )
    if target is None:
        target = Target(indicator=indicator, series=series, place=place, link=link)
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
    if target.link_id is not None:
        if not can_link_indicators(user, target.link.outcome):
            raise PermissionDenied
    else:
        check_can_set_target(user, target.indicator, target.place)
    target.delete()


# --- Linking indicators to outcomes ----------------------------------------------------------------


def targets_to_links(*, indicator: Indicator, place: Place) -> int:
    """Give the place's own targets for ``indicator`` to the outcomes linked to it there: the
    first link takes each, the others get copies (with milestones). For loaders that set a
    place's targets (the demo); migration 0003 did the same to the targets it found. Returns
    how many targets were given."""
    links = list(IndicatorLink.objects.filter(indicator=indicator, place=place).order_by("pk"))
    if not links:
        return 0
    moved = 0
    for target in Target.objects.filter(indicator=indicator, place=place, link__isnull=True):
        milestones = list(target.milestones.values_list("year", "value"))
        for link in links[1:]:
            Target.objects.filter(series=target.series, link=link).delete()
            copy = Target.objects.create(
                indicator=indicator,
                place=place,
                series=target.series,
                link=link,
                baseline_period=target.baseline_period,
                baseline_value=target.baseline_value,
                target_year=target.target_year,
                target_value=target.target_value,
                note=target.note,
                set_by=target.set_by,
            )
            Milestone.objects.bulk_create(
                [Milestone(target=copy, year=y, value=v) for y, v in milestones]
            )
        Target.objects.filter(series=target.series, link=links[0]).delete()
        target.link = links[0]
        target.save(update_fields=["link", "updated_at"])
        moved += 1
    return moved


def link_places(
    *, outcome: Outcome, indicator: Indicator, places: Sequence[Place]
) -> list[IndicatorLink]:
    """Link without checking who asks (the demo's loader); ``indicator_link`` checks."""
    made = []
    for place in places:
        link, created = IndicatorLink.objects.get_or_create(
            outcome=outcome, indicator=indicator, place=place
        )
        if created:
            made.append(link)
    indicator.outcomes.add(outcome)
    return made


@transaction.atomic
def indicator_link(
    *, user: Any, outcome: Outcome, indicator: Indicator, places: Sequence[Place]
) -> list[IndicatorLink]:
    """Link ``indicator`` to ``outcome`` in each of ``places`` (those already linked are left
    as they are). Returns the new links. Raises ``PermissionDenied`` or ``ValidationError``."""
    if not can_link_indicators(user, outcome):
        raise PermissionDenied
    places = list(places)
    if not places:
        raise ValidationError({"places": _("Enter at least one place, like Camden")})
    outside = [p for p in places if not place_in_mission(p, outcome.mission)]
    if outside:
        raise ValidationError(
            {
                "places": _("%(places)s is not one of the mission’s places: %(mission_places)s")
                % {
                    "places": ", ".join(p.display_name for p in outside),
                    "mission_places": ", ".join(
                        p.display_name for p in outcome.mission.places.all()
                    ),
                }
            }
        )
    return link_places(outcome=outcome, indicator=indicator, places=places)


@transaction.atomic
def indicator_unlink(*, user: Any, link: IndicatorLink) -> None:
    """Remove one place's link; the outcome stops being measured by the indicator when its last
    place goes."""
    if not can_link_indicators(user, link.outcome):
        raise PermissionDenied
    outcome, indicator = link.outcome, link.indicator
    link.delete()
    if not IndicatorLink.objects.filter(outcome=outcome, indicator=indicator).exists():
        indicator.outcomes.remove(outcome)


@transaction.atomic
def indicator_unlink_all(*, user: Any, outcome: Outcome, indicator: Indicator) -> None:
    """The indicator no longer measures the outcome anywhere (its place links and their
    targets go too)."""
    if not can_link_indicators(user, outcome):
        raise PermissionDenied
    IndicatorLink.objects.filter(outcome=outcome, indicator=indicator).delete()
    indicator.outcomes.remove(outcome)
