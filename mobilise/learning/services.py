"""Writes for pilots: validate first, then one transaction.

A pilot's analysis plan (design, indicators, treated and comparison places, start date) is frozen
once it starts: a later change is still made, but only with a reason, and is kept as a
``PilotDeviation`` shown on the pilot's page.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.indicators.models import Indicator
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from . import selectors
from .models import Evaluation, EvidenceLevel, Learning, Pilot, PilotDeviation, PoolChange


@dataclass
class PilotFields:
    title: str
    hypothesis: str
    intervention: str
    outcome: Outcome | None
    treated_places: list[Place]
    start_date: date
    planned_end_date: date
    indicators: list[Indicator]
    design: str
    cost: Decimal | None = None
    partners: list[Organisation] = field(default_factory=list)
    status: str = Pilot.Status.PLANNED
    published: bool = True
    replicates: Pilot | None = None


_SCALARS = (
    "title",
    "hypothesis",
    "intervention",
    "outcome",
    "start_date",
    "planned_end_date",
    "design",
    "cost",
    "status",
    "published",
    "replicates",
)
_MANY = ("treated_places", "indicators", "partners")


def _validate(mission: Mission, fields: PilotFields) -> None:
    errors: dict[str, list[str]] = {}
    if fields.planned_end_date < fields.start_date:
        errors.setdefault("planned_end_date", []).append(
            _("The planned end date must be on or after the start date")
        )
    if fields.outcome is not None and fields.outcome.mission_id != mission.pk:
        errors.setdefault("outcome", []).append(_("Choose an outcome of this mission"))
    allowed = set(selectors.partner_choices(mission).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in fields.partners):
        errors.setdefault("partners", []).append(
            _("Partners must be organisations in the mission's coalition")
        )
    if not fields.treated_places:
        errors.setdefault("treated_places", []).append(_("Enter the places the pilot runs in"))
    if not fields.indicators:
        errors.setdefault("indicators", []).append(_("Choose at least one outcome indicator"))
    if errors:
        raise ValidationError(errors)


def pilot_create(*, mission: Mission, user: Any, fields: PilotFields) -> Pilot:
    _validate(mission, fields)
    with transaction.atomic():
        pilot = Pilot.objects.create(
            mission=mission,
            created_by=user,
            **{name: getattr(fields, name) for name in _SCALARS},
        )
        for name in _MANY:
            getattr(pilot, name).set(getattr(fields, name))
    return pilot


def _show(name: str, value: Any) -> str:
    """A plan value as a deviation record shows it."""
    if name in ("indicators", "treated_places", "comparison_places"):
        return ", ".join(sorted(str(item) for item in value))
    if name == "design":
        return str(dict(Pilot._meta.get_field("design").choices).get(value, value))
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _plan(pilot: Pilot) -> dict[str, str]:
    return {
        "design": _show("design", pilot.design),
        "indicators": _show("indicators", list(pilot.indicators.all())),
        "treated_places": _show("treated_places", list(pilot.treated_places.all())),
        "comparison_places": _show("comparison_places", list(pilot.comparison_places.all())),
        "start_date": _show("start_date", pilot.start_date),
    }


def plan_changes(pilot: Pilot, fields: PilotFields) -> list[tuple[str, str, str]]:
    """The analysis-plan fields that ``fields`` would change: (field, old, new)."""
    before = _plan(pilot)
    after = {
        "design": _show("design", fields.design),
        "indicators": _show("indicators", fields.indicators),
        "treated_places": _show("treated_places", fields.treated_places),
        "start_date": _show("start_date", fields.start_date),
    }
    return [(name, before[name], new) for name, new in after.items() if before[name] != new]


def pilot_update(*, pilot: Pilot, user: Any, fields: PilotFields, reason: str = "") -> Pilot:
    """Change a pilot. Once it has started, a change to its plan needs ``reason`` and is recorded
    as a deviation; before then the plan may change freely."""
    _validate(pilot.mission, fields)
    changes = plan_changes(pilot, fields) if pilot.plan_frozen else []
    if changes and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "The pilot has started, so its analysis plan is frozen: "
                    "say why you are changing it"
                )
            }
        )
    with transaction.atomic():
        for name in _SCALARS:
            setattr(pilot, name, getattr(fields, name))
        pilot.save()
        for name in _MANY:
            getattr(pilot, name).set(getattr(fields, name))
        PilotDeviation.objects.bulk_create(
            PilotDeviation(
                pilot=pilot, field=name, old=old, new=new, reason=reason.strip(), changed_by=user
            )
            for name, old, new in changes
        )
    return pilot


def pool_change(
    *, pilot: Pilot, user: Any, places: list[Place], action: str, reason: str
) -> list[PoolChange]:
    """Add places to the comparison pool or take them out, with the reason. Once the pilot has
    started this changes its plan, so it is also kept as a deviation."""
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why you are changing the comparison places")]
    treated = {p.pk for p in pilot.treated_places.all()}
    if action == PoolChange.Action.ADDED and any(p.pk in treated for p in places):
        errors["places"] = [_("A place where the pilot runs cannot also be a comparison")]
    if action not in PoolChange.Action.values:
        errors["action"] = [_("Choose whether to add or remove the places")]
    if errors:
        raise ValidationError(errors)
    before = _show("comparison_places", list(pilot.comparison_places.all()))
    with transaction.atomic():
        if action == PoolChange.Action.ADDED:
            pilot.comparison_places.add(*places)
        else:
            pilot.comparison_places.remove(*places)
        changes = PoolChange.objects.bulk_create(
            PoolChange(pilot=pilot, place=p, action=action, reason=reason.strip(), changed_by=user)
            for p in places
        )
        after = _show("comparison_places", list(pilot.comparison_places.all()))
        if pilot.plan_frozen and after != before:
            PilotDeviation.objects.create(
                pilot=pilot,
                field="comparison_places",
                old=before,
                new=after,
                reason=reason.strip(),
                changed_by=user,
            )
    return changes


# --- Evaluation ----------------------------------------------------------------------------------


def evaluation_compute(*, pilot: Pilot) -> Evaluation:
    """Run the engine on the pilot's data now and keep the results (or why there are none)."""
    from . import evaluating

    status, results, message = Evaluation.Status.DONE, {}, ""
    try:
        results = evaluating.json_ready(evaluating.run(pilot))
    except evaluating.NotReady as exc:
        status, message = Evaluation.Status.WAITING, str(exc)
    except ValueError as exc:  # the engine's PanelError and bad-shape errors
        status, message = Evaluation.Status.FAILED, str(exc)
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            pilot=pilot,
            defaults={
                "status": status,
                "results": results,
                "message": message,
                "computed_at": timezone.now(),
            },
        )
    return evaluation


def evaluation_request(*, pilot: Pilot) -> Evaluation:
    """Mark the pilot's evaluation as being computed and compute it in the background."""
    from .tasks import compute_evaluation

    with transaction.atomic():
        evaluation, _created = Evaluation.objects.get_or_create(pilot=pilot)
        if evaluation.status != Evaluation.Status.PENDING:
            evaluation.status = Evaluation.Status.PENDING
            evaluation.save(update_fields=["status", "updated_at"])
        pilot_id = pilot.pk
        transaction.on_commit(lambda: compute_evaluation.enqueue(pilot_id=pilot_id))
    evaluation.refresh_from_db()
    return evaluation


def indicators_changed(*, indicator_ids: list[int]) -> int:
    """Indicator data were re-imported: recompute every evaluated pilot measured on them."""
    pilots = Pilot.objects.filter(indicators__in=indicator_ids, evaluation__isnull=False).distinct()
    count = 0
    for pilot in pilots:
        evaluation_request(pilot=pilot)
        count += 1
    return count


# --- Learnings -----------------------------------------------------------------------------------


@dataclass
class LearningFields:
    title: str
    summary: str
    for_whom: str
    conditions: str
    evidence_level: int
    pilots: list[Pilot]
    published: bool = True


def _validate_learning(mission: Mission, fields: LearningFields) -> None:
    errors: dict[str, list[str]] = {}
    if not fields.pilots:
        errors["pilots"] = [_("Choose the pilots this was learned from")]
    elif any(p.mission_id != mission.pk for p in fields.pilots):
        errors["pilots"] = [_("Choose pilots of this mission")]
    if fields.evidence_level not in EvidenceLevel.values:
        errors["evidence_level"] = [_("Choose the evidence level")]
    if errors:
        raise ValidationError(errors)


_LEARNING_SCALARS = ("title", "summary", "for_whom", "conditions", "evidence_level", "published")


def learning_create(*, mission: Mission, user: Any, fields: LearningFields) -> Learning:
    _validate_learning(mission, fields)
    with transaction.atomic():
        learning = Learning.objects.create(
            mission=mission,
            created_by=user,
            **{name: getattr(fields, name) for name in _LEARNING_SCALARS},
        )
        learning.pilots.set(fields.pilots)
    return learning


def learning_update(*, learning: Learning, user: Any, fields: LearningFields) -> Learning:
    """Change what a learning says, its evidence level, the pilots it came from and whether it is
    published. The mission stays: a learning belongs to the mission it was learned in."""
    _validate_learning(learning.mission, fields)
    with transaction.atomic():
        for name in _LEARNING_SCALARS:
            setattr(learning, name, getattr(fields, name))
        learning.save()
        learning.pilots.set(fields.pilots)
    return learning
