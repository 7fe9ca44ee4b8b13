"""Targets: their trajectories, bulk assessment (one ``assess_many`` call for a page) and the chart
of a series against its target."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet

from mobilise.engines.trajectory import (
    Assessment,
    ProgressAssessor,
    Trajectory,
    TrendProjector,
    format_year,
    period_to_year,
)
from mobilise.indicators.models import Indicator, Milestone, Observation, Target

from .common import CACHE_SECONDS, HEADLINE, data_version
from .display import decimals_for, is_percentage
from .values import Value, assessment_now, indicator_latest_years

# --- Targets and statuses ------------------------------------------------------------------------


def engine_polarity(indicator: Indicator, target: Target) -> str:
    """The engine needs a direction; an indicator with none takes its target's."""
    if indicator.polarity == Indicator.Polarity.HIGHER:
        return "higher_is_better"
    if indicator.polarity == Indicator.Polarity.LOWER:
        return "lower_is_better"
    return "lower_is_better" if target.target_value < target.baseline_value else "higher_is_better"


def trajectory_of(target: Target) -> Trajectory:
    """The target as the engine's plan. Milestones must be prefetched (or are read here)."""
    return Trajectory(
        baseline=(period_to_year(target.baseline_period), target.baseline_value),
        target=(float(target.target_year), target.target_value),
        milestones=[(float(m.year), m.value) for m in target.milestones.all()],
    )


def _bounds_for(indicator: Indicator, target: Target, values: Sequence[float]) -> tuple[Any, Any]:
    if is_percentage(indicator, target.series):
        return (0.0, 100.0)
    if min([target.baseline_value, target.target_value, *values]) >= 0:
        return (0.0, None)
    return (None, None)


def targets_queryset() -> QuerySet[Target]:
    return Target.objects.select_related("indicator", "series").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("year"))
    )


@dataclass
class TargetStatus:
    target: Target
    assessment: Assessment

    @property
    def status(self) -> str:
        return self.assessment.status.value


def targets_version() -> str:
    """Changes whenever a target is set, changed or removed (saving a target moves
    ``updated_at``; its milestones are saved with it)."""
    agg = Target.objects.aggregate(n=Count("id"), u=Max("updated_at"), m=Max("id"))
    return f"{agg['n']}.{agg['u'].timestamp() if agg['u'] else 0}.{agg['m'] or 0}"


def assess_targets(targets: Sequence[Target]) -> dict[int, TargetStatus]:
    """Every target's status, by target id: one query for the series and one ``assess_many``,
    cached until the data or the targets change (a place page assesses hundreds)."""
    targets = list(targets)
    if not targets:
        return {}
    ids = ",".join(str(t.pk) for t in sorted(targets, key=lambda t: t.pk))
    digest = hashlib.sha1(ids.encode()).hexdigest()
    key = f"indicators:assess:{data_version()}:{targets_version()}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = {pk: ts.assessment for pk, ts in _assess_targets(targets).items()}
        cache.set(key, cached, CACHE_SECONDS)
    return {t.pk: TargetStatus(t, cached[t.pk]) for t in targets if t.pk in cached}


def _assess_targets(targets: list[Target]) -> dict[int, TargetStatus]:
    pairs = {(t.series_id, t.place_id) for t in targets}
    # One query over the cross product of the targets' series and places (a page's targets are
    # one place's indicators, or a few indicators in a few places), keeping the pairs wanted.
    histories: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    rows = (
        Observation.objects.filter(
            series_id__in=sorted({s for s, _p in pairs}),
            place_id__in=sorted({p for _s, p in pairs}),
        )
        .order_by("time")
        .values_list("series_id", "place_id", "time", "value")
    )
    for s, p, t, v in rows:
        if (s, p) in pairs:
            histories[(s, p)].append((t, v))
    latest = indicator_latest_years(t.indicator_id for t in targets)

    width = max([len(histories[(t.series_id, t.place_id)]) for t in targets] + [1])
    years = np.full((len(targets), width), np.nan)
    values = np.full((len(targets), width), np.nan)
    plans, polarities, lows, highs = [], [], [], []
    for row, target in enumerate(targets):
        history = histories[(target.series_id, target.place_id)]
        for col, (t, v) in enumerate(history):
            years[row, col], values[row, col] = t, v
        plans.append(trajectory_of(target))
        polarities.append(engine_polarity(target.indicator, target))
        low, high = _bounds_for(target.indicator, target, [v for _, v in history])
        lows.append(-np.inf if low is None else low)
        highs.append(np.inf if high is None else high)
    result: dict[int, TargetStatus] = {}
    # ``now`` is one per call: group the rows by when their indicator was last published (its
    # national figures, or this series itself if later).
    groups: dict[float | None, list[int]] = defaultdict(list)
    for row, target in enumerate(targets):
        history = histories[(target.series_id, target.place_id)]
        own = history[-1][0] if history else None
        published = max(
            (t for t in (latest.get(target.indicator_id), own) if t is not None), default=None
        )
        groups[assessment_now(published)].append(row)
    for now, rows in groups.items():
        idx = np.array(rows)
        batch = ProgressAssessor().assess_many(
            years[idx],
            values[idx],
            [plans[i] for i in rows],
            [polarities[i] for i in rows],
            now=now if now is not None else 2000.0,
            bounds=(
                np.array([lows[i] for i in rows], dtype=float),
                np.array([highs[i] for i in rows], dtype=float),
            ),
        )
        for j, row in enumerate(rows):
            result[targets[row].pk] = TargetStatus(targets[row], batch[j])
    return result


def pick_target(targets: Iterable[Target]) -> Target | None:
    """The target that speaks for an indicator in a place: the headline series' if set, else the
    first breakdown's; the place's own (no outcome link) before an outcome's."""
    ordered = sorted(
        targets, key=lambda t: (t.series.key != HEADLINE, t.link_id is not None, t.series_id, t.pk)
    )
    return ordered[0] if ordered else None


@dataclass
class Chart:
    """What the indicator page draws and tabulates for one series in one place."""

    rows: list[dict[str, Any]]
    actual: list[dict[str, Any]]
    trajectory: list[dict[str, Any]]
    projection: list[dict[str, Any]]
    decimals: int
    interval: float = 0.8

    def island(self) -> dict[str, Any]:
        return {
            "actual": self.actual,
            "trajectory": self.trajectory,
            "projection": self.projection,
            "decimals": self.decimals,
            "interval": self.interval,
        }


def chart_data(
    history: Sequence[Value], target: Target | None, status: TargetStatus | None
) -> Chart:
    """The actuals, the planned trajectory and the projection fan, and one table of them all.

    The table has a row per year from the first observation (or the baseline) to the target
    year; the chart's data island holds the same numbers (rounded as shown), so a reader of the
    table sees exactly what the chart draws.
    """
    decimals = decimals_for([v.value for v in history])
    if target is not None:
        decimals = max(decimals, decimals_for([target.baseline_value, target.target_value]))

    def r(x: float | None) -> float | None:
        return None if x is None or not math.isfinite(x) else round(float(x), decimals)

    actual = [
        {"x": v.time, "y": r(v.value), "period": v.period, "status": v.status} for v in history
    ]
    trajectory: list[dict[str, Any]] = []
    projection: list[dict[str, Any]] = []
    plan = None
    if target is not None:
        plan = trajectory_of(target)
        labels = (
            [target.baseline_period]
            + [str(m.year) for m in target.milestones.all()]
            + [str(target.target_year)]
        )
        trajectory = [
            {"x": x, "y": r(y), "period": label}
            for (x, y), label in zip(plan.points, labels, strict=True)
        ]
    if target is not None and status is not None and status.assessment.projection is not None:
        assessment = status.assessment
        fit = TrendProjector().fit([v.time for v in history], [v.value for v in history])
        if fit.sufficient_ and assessment.latest_year is not None:
            start = assessment.latest_year
            end = float(target.target_year)
            xs = [start] + [float(y) for y in range(math.floor(start) + 1, math.ceil(end) + 1)]
            xs = sorted({x for x in xs if start <= x <= end})
            mid, low, high = fit.predict_many(xs)
            bounds = _bounds_for(target.indicator, target, [v.value for v in history])
            lo, hi = (
                (-np.inf if bounds[0] is None else bounds[0]),
                (np.inf if bounds[1] is None else bounds[1]),
            )
            mid, low, high = (np.clip(a, lo, hi) for a in (mid, low, high))
            projection = [
                {"x": x, "y": r(m), "low": r(lo_), "high": r(hi_), "period": format_year(x)}
                for x, m, lo_, hi_ in zip(
                    xs, mid.tolist(), low.tolist(), high.tolist(), strict=True
                )
            ]

    # The table: one row per distinct time point of any of the three, in time order.
    rows: dict[float, dict[str, Any]] = {}

    def row(x: float, period: str) -> dict[str, Any]:
        key = round(x, 6)
        if key not in rows:
            rows[key] = {
                "x": x,
                "period": period,
                "value": None,
                "status": "",
                "trajectory": None,
                "projection": None,
                "low": None,
                "high": None,
                "derived": 0,  # a derived value: how many local authorities were summed
            }
        return rows[key]

    for v, a in zip(history, actual, strict=True):
        item = row(a["x"], a["period"])
        item["value"], item["status"] = a["y"], a["status"]
        item["derived"] = v.members if getattr(v, "derived", False) else 0
    if plan is not None:
        for a in actual:
            if plan.baseline_year <= a["x"] <= plan.target_year:
                row(a["x"], a["period"])["trajectory"] = r(plan.value_at(a["x"]))
        for t in trajectory:
            row(t["x"], t["period"])["trajectory"] = t["y"]
    for p in projection:
        item = row(p["x"], p["period"])
        item["projection"], item["low"], item["high"] = p["y"], p["low"], p["high"]
    ordered = [rows[k] for k in sorted(rows)]
    return Chart(
        rows=ordered, actual=actual, trajectory=trajectory, projection=projection, decimals=decimals
    )
