"""Reads of indicators: lists, one indicator's series in one place, latest values across places,
choropleth maps, statistical neighbours, and the statuses of targets.

Everything here is bulk. A page asks for what it shows in a fixed number of queries whatever the
number of indicators or places: the latest value of every indicator in three places is one query
(``latest_values``), and the statuses of all the targets on a page are one ``assess_many`` call
(``assess_targets``). Observations are millions of rows, so nothing reads more of them than the
page needs: latest values use the database's own "latest row per group" (PostgreSQL's DISTINCT
ON, SQLite's bare column beside MAX) rather than loading every period into Python.

Derived data that only changes when data are imported (simplified boundaries, the nearest
neighbours, the latest year of each indicator) is cached under a key that changes when the data do
(``data_version``).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from mobilise.engines.trajectory import (
    Assessment,
    ProgressAssessor,
    RollUp,
    Status,
    Trajectory,
    TrendProjector,
    format_year,
    period_to_year,
    roll_up,
)
from mobilise.missions.models import Mission, Outcome
from mobilise.places import geo
from mobilise.places.models import Place

from .models import Indicator, IndicatorLink, Milestone, Observation, Series, Target

Kind = Place.Kind
HEADLINE = ""
CACHE_SECONDS = 24 * 60 * 60

# Indicators the importer loads for population and deprivation; the nearest-neighbour comparison
# is computed from their latest values. Settings may name others (``MOBILISE_NEIGHBOUR_INDICATORS``).
NEIGHBOUR_INDICATORS = ("population", "imd-2019-score")
# Population is skewed (Birmingham is a hundred times the Isles of Scilly): compare its logarithm.
NEIGHBOUR_LOG_INDICATORS = ("population",)
NEIGHBOUR_COUNT = 10

# Places compared with each other: a London borough is compared with districts and other unitary
# authorities (the lower tier, which IMD and most local data describe), a county with counties.
COMPARABLE_KINDS: dict[str, tuple[str, ...]] = {
    Kind.UNITARY: (Kind.UNITARY, Kind.DISTRICT),
    Kind.DISTRICT: (Kind.UNITARY, Kind.DISTRICT),
    Kind.COUNTY: (Kind.COUNTY,),
    Kind.REGION: (Kind.REGION,),
    Kind.NATION: (Kind.NATION,),
    # ITL 3 with ITL 3 of the same classification, combined authority with combined authority.
    **{kind: (kind,) for kind in Place.GROUPED_KINDS},
}
KIND_ORDER = {
    Kind.UK: 0,
    Kind.NATION: 1,
    Kind.REGION: 2,
    Kind.COUNTY: 3,
    Kind.UNITARY: 4,
    Kind.DISTRICT: 5,
}


# --- Cache keys ----------------------------------------------------------------------------------


def data_version() -> str:
    """Changes whenever indicators are imported or edited: two index-only aggregates.

    The importer moves ``updated_at`` of every indicator whose observations it created, updated
    or removed (a value corrected in place changes no id), and new observations get higher ids;
    either changes the key.
    """
    ind = Indicator.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    obs = Observation.objects.aggregate(m=Max("id"))
    stamp = ind["u"].timestamp() if ind["u"] else 0
    return f"{ind['n']}.{stamp}.{obs['m'] or 0}"


def places_version() -> str:
    latest = Place.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    return f"{latest['n']}.{latest['u'].timestamp() if latest['u'] else 0}"


# --- Indicators ----------------------------------------------------------------------------------


@dataclass
class Theme:
    """A national mission: the indicators that measure its outcomes, or those of the local
    missions contributing to it, belong to its theme."""

    slug: str
    title: str


def themes() -> list[Theme]:
    return [
        Theme(m.slug, m.title)
        for m in Mission.objects.filter(
            scope=Mission.Scope.NATIONAL, status__in=Mission.PUBLIC_STATUSES
        ).order_by("title")
    ]


def _themes_by_indicator(indicator_ids: Iterable[int] | None = None) -> dict[int, list[Theme]]:
    links = Indicator.outcomes.through.objects.filter(
        outcome__mission__status__in=Mission.PUBLIC_STATUSES
    )
    if indicator_ids is not None:
        links = links.filter(indicator_id__in=list(indicator_ids))
    rows = links.values_list(
        "indicator_id",
        "outcome__mission__scope",
        "outcome__mission__slug",
        "outcome__mission__title",
        "outcome__mission__contributes_to__slug",
        "outcome__mission__contributes_to__title",
        "outcome__mission__contributes_to__status",
    )
    result: dict[int, dict[str, Theme]] = defaultdict(dict)
    for ind, scope, slug, title, parent_slug, parent_title, parent_status in rows:
        if scope == Mission.Scope.NATIONAL:
            result[ind][slug] = Theme(slug, title)
        elif parent_slug and parent_status in Mission.PUBLIC_STATUSES:
            result[ind][parent_slug] = Theme(parent_slug, parent_title)
    return {k: sorted(v.values(), key=lambda t: t.title) for k, v in result.items()}


@dataclass
class IndicatorRow:
    indicator: Indicator
    themes: list[Theme]
    series_count: int


def indicator_list(*, theme: str | None = None, search: str | None = None) -> list[IndicatorRow]:
    """Every indicator with its themes and number of series, filtered; three queries."""
    qs = Indicator.objects.annotate(series_count=Count("series")).order_by("code")
    if search:
        # Every word somewhere, so "CO2 transport" finds "CO2 emissions from transport".
        for word in search.split()[:10]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(code__icontains=word)
                | Q(description__icontains=word)
                | Q(source_name__icontains=word)
            )
    if theme:
        qs = qs.filter(
            Q(outcomes__mission__slug=theme, outcomes__mission__scope=Mission.Scope.NATIONAL)
            | Q(outcomes__mission__contributes_to__slug=theme),
            outcomes__mission__status__in=Mission.PUBLIC_STATUSES,
        ).distinct()
    indicators = list(qs)
    by_indicator = _themes_by_indicator(i.pk for i in indicators)
    return [IndicatorRow(i, by_indicator.get(i.pk, []), i.series_count) for i in indicators]


def indicator_detail(code: str) -> Indicator:
    """Raises ``Indicator.DoesNotExist``."""
    return Indicator.objects.get(code=code)


def series_of(indicator: Indicator) -> list[Series]:
    """The indicator's series, headline first, then by breakdown."""
    return sorted(indicator.series.all(), key=lambda s: (s.key != HEADLINE, s.key))


def series_label(series: Series) -> str:
    if series.is_headline:
        return _("All (headline)")
    if series.dimensions:
        return ", ".join(f"{k}: {v}" for k, v in series.dimensions.items())
    return series.key.replace("=", ": ").replace("|", ", ").replace(";", ", ")


def indicator_by_code(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


def outcome_links(outcome: Outcome) -> list[IndicatorLink]:
    """The outcome's indicators, place by place, by indicator then place name."""
    return list(
        IndicatorLink.objects.filter(outcome=outcome)
        .annotate(target_count=Count("targets"))
        .select_related("indicator", "place")
        .defer("place__boundary", "place__bbox")
        .order_by("indicator__code", "place__name")
    )


def placeless_indicators(outcome: Outcome) -> list[Indicator]:
    """Indicators linked to the outcome with no place of their own (linked before places were,
    or in the admin): they show the mission's places, or any with a target."""
    placed = IndicatorLink.objects.filter(outcome=outcome).values("indicator_id")
    return list(outcome.indicators.exclude(pk__in=placed).order_by("code"))


def link_has_target(link: IndicatorLink) -> bool:
    return link.targets.exists()


def link_target(link: IndicatorLink, series: Series) -> Target | None:
    """The target an outcome's link sets for ``series`` (with its milestones), if any."""
    return targets_queryset().filter(link=link, series=series).first()


def place_target(series: Series, place: Place) -> Target | None:
    """The target the indicator's page shows for a place: the place's own (set on the
    indicator's page), else the first outcome's."""
    return pick_target(targets_queryset().filter(series=series, place=place))


def headline_series(indicator: Indicator) -> Series | None:
    return indicator.series.filter(key=HEADLINE).first()


@dataclass
class LinkedOutcome:
    outcome: Outcome
    mission: Mission


def linked_outcomes(indicator: Indicator) -> list[LinkedOutcome]:
    """The public missions' outcomes this indicator measures."""
    outcomes = (
        indicator.outcomes.filter(mission__status__in=Mission.PUBLIC_STATUSES)
        .select_related("mission")
        .order_by("mission__title", "order", "id")
    )
    return [LinkedOutcome(o, o.mission) for o in outcomes]


def _light_places() -> QuerySet[Place]:
    return Place.objects.defer("boundary", "bbox")


# What lists, tables and maps need of a place: no boundary, and no timestamps to convert.
_PLACE_FIELDS = ("code", "name", "name_cy", "kind", "parent_id", "valid_from", "valid_to")


def place_sort_key(place: Place) -> tuple[int, str]:
    return (KIND_ORDER.get(place.kind, 9), place.name)


def places_with_data(series: Series) -> list[tuple[Place, int]]:
    """The places the series has observations for, with how many, UK and nations first."""
    counts = dict(
        Observation.objects.filter(series=series)
        .values("place_id")
        .annotate(n=Count("id"))
        .values_list("place_id", "n")
    )
    places = _light_places().filter(pk__in=list(counts))
    return sorted(((p, counts[p.pk]) for p in places), key=lambda pc: place_sort_key(pc[0]))


def default_place(places: Sequence[tuple[Place, int]]) -> Place | None:
    """The UK, a nation or, failing those, whichever place has the most data; the UK and then
    England win ties."""
    if not places:
        return None
    national = [pc for pc in places if pc[0].kind in (Kind.UK, Kind.NATION)]
    pool = national or list(places)
    return max(
        pool,
        key=lambda pc: (pc[1], -KIND_ORDER.get(pc[0].kind, 9), pc[0].code.startswith("E")),
    )[0]


def place_by_code(code: str) -> Place | None:
    return (
        _light_places()
        .select_related("parent", "parent__parent", "parent__parent__parent")
        .defer("parent__boundary", "parent__parent__boundary", "parent__parent__parent__boundary")
        .filter(code=(code or "").strip().upper())
        .first()
    )


# --- Observations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One observation as pages show it."""

    period: str
    time: float
    value: float
    status: str = Observation.Status.FINAL


def series_history(series: Series, place: Place) -> list[Value]:
    return [
        Value(*row)
        for row in Observation.objects.filter(series=series, place=place)
        .order_by("time")
        .values_list("period", "time", "value", "status")
    ]


def latest_values(
    series_ids: Iterable[int], place_ids: Iterable[int]
) -> dict[tuple[int, int], Value]:
    """The latest observation of every series in every place, keyed ``(series_id, place_id)``.

    One query that returns one row per pair: PostgreSQL's DISTINCT ON, SQLite's documented bare
    column beside MAX(), and a window function elsewhere.
    """
    series_ids, place_ids = sorted(set(series_ids)), sorted(set(place_ids))
    if not series_ids or not place_ids:
        return {}
    vendor = connection.vendor
    if vendor == "postgresql":
        rows = (
            Observation.objects.filter(series_id__in=series_ids, place_id__in=place_ids)
            # In the order of the (place, series, time) index, read backwards: no sort.
            .order_by("-place_id", "-series_id", "-time")
            .distinct("place_id", "series_id")
            .values_list("series_id", "place_id", "period", "time", "value", "status")
        )
    elif vendor == "sqlite":
        table = Observation._meta.db_table
        sql = (
            f"SELECT series_id, place_id, period, MAX(time), value, status FROM {table} "  # noqa: S608
            f"WHERE series_id IN ({','.join(['%s'] * len(series_ids))}) "
            f"AND place_id IN ({','.join(['%s'] * len(place_ids))}) "
            "GROUP BY series_id, place_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*series_ids, *place_ids])
            rows = cursor.fetchall()
    else:  # pragma: no cover - other databases
        from django.db.models import F, Window
        from django.db.models.functions import RowNumber

        rows = (
            Observation.objects.filter(series_id__in=series_ids, place_id__in=place_ids)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("series_id"), F("place_id")],
                    order_by=F("time").desc(),
                )
            )
            .filter(rank=1)
            .values_list("series_id", "place_id", "period", "time", "value", "status")
        )
    return {
        (s, p): Value(period, time, value, status) for s, p, period, time, value, status in rows
    }


def indicator_latest_years(indicator_ids: Iterable[int]) -> dict[int, float]:
    """The latest period (as a float year) each indicator's headline series has for the UK or a
    nation: when the indicator was last published. Two small queries (national rows only), so
    no page ever scans an indicator's millions of local rows for it."""
    ids = sorted(set(indicator_ids))
    if not ids:
        return {}
    series = dict(
        Series.objects.filter(indicator_id__in=ids, key=HEADLINE).values_list("pk", "indicator_id")
    )
    national = Place.objects.filter(kind__in=(Kind.UK, Kind.NATION)).values_list("pk", flat=True)
    result: dict[int, float] = {}
    for (series_id, _place), value in latest_values(series, national).items():
        indicator = series[series_id]
        result[indicator] = max(result.get(indicator, value.time), value.time)
    return result


def assessment_now(latest_year: float | None) -> float | None:
    """Judge staleness against the indicator's own latest data, a year on: shared data sets end
    years before today, and a place is stale only if its data stopped before the others'."""
    return None if latest_year is None else math.floor(latest_year) + 1.0


# --- Formatting ----------------------------------------------------------------------------------


def decimals_for(values: Iterable[float]) -> int:
    """Decimals enough for the values as published (at most 3)."""
    best = 0
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        while best < 3 and abs(round(v, best) - v) > 1e-9 * max(1.0, abs(v)):
            best += 1
        if best == 3:
            break
    return best


def format_value(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return f"{value:,.{decimals}f}"


def is_percentage(indicator: Indicator, series: Series | None = None) -> bool:
    unit = ((series.unit if series and series.unit else "") or indicator.unit).lower()
    return "%" in unit or "percent" in unit


# --- Targets and statuses ------------------------------------------------------------------------


STATUS_TAG_CLASSES = {
    Status.ON_TRACK: "govuk-tag--green",
    Status.UNCERTAIN: "govuk-tag--orange",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.OFF_TRACK: "govuk-tag--red",
    Status.INSUFFICIENT_DATA: "govuk-tag--grey",
    "no_target": "govuk-tag--grey",
}


_STATUS_LABELS: dict[str, dict[str, str]] = {}


def status_label(status: str) -> str:
    """The status as people read it, in the page's language (looked up once per language: a
    mission page shows hundreds)."""
    from django.utils.translation import get_language

    language = get_language() or ""
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = _STATUS_LABELS[language] = {
            Status.ON_TRACK: _("On track"),
            Status.UNCERTAIN: _("Uncertain"),
            Status.AT_RISK: _("At risk"),
            Status.OFF_TRACK: _("Off track"),
            Status.INSUFFICIENT_DATA: _("Insufficient data"),
            "no_target": _("No target"),
        }
    return labels[status]


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
            }
        return rows[key]

    for a in actual:
        item = row(a["x"], a["period"])
        item["value"], item["status"] = a["y"], a["status"]
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


# --- Comparisons in a place ----------------------------------------------------------------------


def comparators(place: Place, ancestors: Sequence[Place]) -> list[Place]:
    """The areas a place is compared with: its region and nation (a nation: the UK)."""
    wanted = {
        Kind.COUNTY: (Kind.REGION, Kind.NATION),
        Kind.UNITARY: (Kind.REGION, Kind.NATION),
        Kind.DISTRICT: (Kind.REGION, Kind.NATION),
        Kind.REGION: (Kind.NATION,),
        Kind.NATION: (Kind.UK,),
    }.get(place.kind, ())
    found = [a for a in ancestors if a.kind in wanted]
    # Innermost first: region, then nation.
    return sorted(found, key=lambda p: -KIND_ORDER[p.kind])[:2]


@dataclass
class PlaceIndicatorRow:
    indicator: Indicator
    series: Series
    latest: Value | None
    comparisons: list[Value | None]
    status: str  # a Status value or "no_target"
    explanation: str
    decimals: int


def place_indicators(
    place: Place, ancestors: Sequence[Place]
) -> tuple[list[Place], list[PlaceIndicatorRow]]:
    """Every indicator with data or a target for ``place``: its latest value, the region's and
    nation's, and its status; cached until the data or the targets change."""
    key = f"indicators:place:{place.pk}:{data_version()}:{targets_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = _place_indicators(place, ancestors)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _place_indicators(
    place: Place, ancestors: Sequence[Place]
) -> tuple[list[Place], list[PlaceIndicatorRow]]:
    """Every indicator with data or a target for ``place``: its latest value, the region's and
    nation's, and its status. Five queries and one ``assess_many`` whatever the number."""
    compare = comparators(place, ancestors)
    headline = {
        s.indicator_id: s for s in Series.objects.filter(key=HEADLINE).select_related("indicator")
    }
    if not headline:
        return compare, []
    series_ids = [s.pk for s in headline.values()]
    latest = latest_values(series_ids, [place.pk, *(c.pk for c in compare)])
    targets = list(targets_queryset().filter(place=place))
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        by_indicator[t.indicator_id].append(t)
    chosen = {i: pick_target(ts) for i, ts in by_indicator.items()}
    statuses = assess_targets([t for t in chosen.values() if t is not None])
    rows = []
    for indicator_id, series in headline.items():
        mine = latest.get((series.pk, place.pk))
        target = chosen.get(indicator_id)
        if mine is None and target is None:
            continue
        others = [latest.get((series.pk, c.pk)) for c in compare]
        st = statuses.get(target.pk) if target else None
        rows.append(
            PlaceIndicatorRow(
                indicator=series.indicator,
                series=series,
                latest=mine,
                comparisons=others,
                status=st.status if st else "no_target",
                explanation=st.assessment.explanation if st else "",
                decimals=decimals_for([v.value for v in [mine, *others] if v is not None]),
            )
        )
    rows.sort(key=lambda r: r.indicator.code)
    return compare, rows


# --- Nearest neighbours --------------------------------------------------------------------------


def neighbour_indicator_codes() -> tuple[str, ...]:
    return tuple(getattr(settings, "MOBILISE_NEIGHBOUR_INDICATORS", NEIGHBOUR_INDICATORS))


@dataclass
class Neighbour:
    place: Place
    distance: float
    features: list[float | None]


@dataclass
class Neighbourhood:
    place: Place
    features: list[Indicator]
    own: list[float | None]
    neighbours: list[Neighbour]
    pool_size: int


def _neighbour_table(
    kinds: tuple[str, ...], codes: tuple[str, ...], vintage: int | None = None
) -> dict[str, Any] | None:
    """The latest value of each comparison indicator for every current place of ``kinds`` (or,
    for ITL/NUTS areas, every area of the ``vintage`` classification); cached."""
    key = f"indicators:neighbours:{data_version()}:{','.join(kinds)}:{','.join(codes)}:{vintage}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    if len(indicators) != len(codes):
        cache.set(key, {}, CACHE_SECONDS)
        return {}
    series = {
        s.indicator_id: s.pk
        for s in Series.objects.filter(indicator__in=indicators.values(), key=HEADLINE)
    }
    pool = Q(vintage=vintage) if vintage is not None else Q(valid_to__isnull=True)
    place_ids = list(Place.objects.filter(pool, kind__in=kinds).values_list("pk", flat=True))
    latest = latest_values(series.values(), place_ids)
    table: dict[int, list[float | None]] = {}
    for pid in place_ids:
        row = []
        for code in codes:
            sid = series.get(indicators[code].pk)
            v = latest.get((sid, pid)) if sid else None
            row.append(v.value if v else None)
        table[pid] = row
    result = {"codes": list(codes), "table": table}
    cache.set(key, result, CACHE_SECONDS)
    return result


def nearest_neighbours(place: Place, count: int = NEIGHBOUR_COUNT) -> Neighbourhood | None:
    """The ``count`` current places of the same tier most like ``place`` by the comparison
    indicators (population and deprivation): standardised Euclidean distance, each feature
    divided by its standard deviation across the tier (population on a log scale).

    None when the indicators are not loaded or the place has no value for one of them.
    """
    kinds = COMPARABLE_KINDS.get(place.kind)
    codes = neighbour_indicator_codes()
    if not kinds or not codes:
        return None
    data = _neighbour_table(kinds, codes, place.vintage)
    if not data:
        return None
    table: dict[int, list[float | None]] = data["table"]
    own = table.get(place.pk)
    if own is None:
        own = _own_features(place, codes)
    if own is None or any(v is None for v in own):
        return None
    complete = {pid: row for pid, row in table.items() if all(v is not None for v in row)}
    if len(complete) < 2:
        return None

    def transform(row: Sequence[float]) -> list[float]:
        return [
            math.log10(max(v, 1e-9)) if code in NEIGHBOUR_LOG_INDICATORS else v
            for code, v in zip(codes, row, strict=True)
        ]

    ids = list(complete)
    matrix = np.array([transform(complete[i]) for i in ids], dtype=float)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    me = np.array(transform(own), dtype=float)
    distance = np.sqrt((((matrix - me) / scale) ** 2).sum(axis=1))
    order = [ids[i] for i in np.argsort(distance, kind="stable") if ids[i] != place.pk][:count]
    dist = dict(zip(ids, distance.tolist(), strict=True))
    places = {p.pk: p for p in _light_places().filter(pk__in=order)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return Neighbourhood(
        place=place,
        features=[indicators[c] for c in codes],
        own=list(own),
        neighbours=[
            Neighbour(places[pid], dist[pid], complete[pid]) for pid in order if pid in places
        ],
        pool_size=len(complete),
    )


def _own_features(place: Place, codes: Sequence[str]) -> list[float | None] | None:
    series = dict(
        Series.objects.filter(indicator__code__in=codes, key=HEADLINE).values_list(
            "indicator__code", "pk"
        )
    )
    latest = latest_values(series.values(), [place.pk])
    return [
        (latest[(series[c], place.pk)].value if (series.get(c), place.pk) in latest else None)
        for c in codes
    ]


@dataclass
class ComparisonRow:
    indicator: Indicator
    series: Series
    own: Value | None
    values: list[Value | None]
    median: float | None
    rank: int | None
    ranked: int
    decimals: int


def neighbour_comparison(neighbourhood: Neighbourhood) -> list[ComparisonRow]:
    """Every indicator's latest value in the place and in each neighbour, with the place's rank
    among them (1 = best by the indicator's polarity; by size when it has none). Two queries,
    cached until the data change."""
    places = [neighbourhood.place, *(n.place for n in neighbourhood.neighbours)]
    key = f"indicators:compare:{data_version()}:{','.join(str(p.pk) for p in places)}"
    cached = cache.get(key)
    if cached is None:
        cached = _neighbour_comparison(places)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _neighbour_comparison(places: Sequence[Place]) -> list[ComparisonRow]:
    headline = {
        s.indicator_id: s for s in Series.objects.filter(key=HEADLINE).select_related("indicator")
    }
    latest = latest_values([s.pk for s in headline.values()], [p.pk for p in places])
    rows = []
    for series in sorted(headline.values(), key=lambda s: s.indicator.code):
        values = [latest.get((series.pk, p.pk)) for p in places]
        if values[0] is None and not any(values[1:]):
            continue
        present = [v.value for v in values if v is not None]
        rank = None
        if values[0] is not None:
            sign = -1 if series.indicator.polarity == Indicator.Polarity.LOWER else 1
            rank = 1 + sum(1 for v in present if sign * v > sign * values[0].value)
        neighbours = [v.value for v in values[1:] if v is not None]
        rows.append(
            ComparisonRow(
                indicator=series.indicator,
                series=series,
                own=values[0],
                values=values[1:],
                median=float(np.median(neighbours)) if neighbours else None,
                rank=rank,
                ranked=len(present),
                decimals=decimals_for(present),
            )
        )
    return rows


# --- Choropleth maps -----------------------------------------------------------------------------

LEVELS = ("region", "la")
# Colour-blind-safe sequential classes (viridis, lightest first): they differ in lightness as well
# as hue, so they read in greyscale and with any colour vision. Each area is outlined in dark grey
# so that even the lightest class stands out from the white page.
PALETTE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
NO_DATA_COLOUR = "#f3f2f1"
MAP_TOLERANCE = 0.008  # degrees, under 1 km: finer than a UK-wide map shows; ~90 kB gzipped


def level_kinds(level: str) -> tuple[str, ...]:
    return (Kind.UNITARY, Kind.DISTRICT) if level == "la" else (Kind.REGION, Kind.NATION)


def level_places(level: str) -> QuerySet[Place]:
    """Regions (and the nations without regions: Wales, Scotland and Northern Ireland), or the
    lower-tier and unitary authorities: the areas that tile the UK at that level."""
    places = Place.objects.only(*_PLACE_FIELDS)
    if level == "la":
        return places.filter(kind__in=(Kind.UNITARY, Kind.DISTRICT))
    with_regions = Place.objects.filter(kind=Kind.REGION).values("parent_id")
    return places.filter(Q(kind=Kind.REGION) | (Q(kind=Kind.NATION) & ~Q(pk__in=with_regions)))


def map_geometry(level: str) -> dict[str, Any]:
    """Simplified boundaries of every place at ``level``, current and retired: ``{"bbox": …,
    "features": {code: {"geometry": …, "bbox": …}}}``; cached until places are reloaded."""
    key = f"indicators:map-geometry:{level}:{places_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    features: dict[str, dict[str, Any]] = {}
    for p in (
        level_places(level).defer(None).only("code", "boundary", "bbox").iterator(chunk_size=100)
    ):
        if not p.boundary:
            continue
        simple = geo.simplify(p.boundary, MAP_TOLERANCE, decimals=3)
        features[p.code] = {"geometry": simple, "bbox": p.bbox or geo.bbox(simple)}
    result = {"features": features}
    cache.set(key, result, CACHE_SECONDS)
    return result


def geojson_for(level: str) -> dict[str, Any]:
    data = map_geometry(level)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": code}, "geometry": f["geometry"]}
            for code, f in sorted(data["features"].items())
        ],
    }


def geojson_bytes(level: str) -> tuple[bytes, str]:
    """The level's boundaries as a compact GeoJSON document and its ETag; cached."""
    import json

    key = f"indicators:map-geojson:{level}:{places_version()}"
    cached = cache.get(key)
    if cached is None:
        body = json.dumps(geojson_for(level), separators=(",", ":")).encode()
        cached = (body, hashlib.sha1(body).hexdigest()[:16])
        cache.set(key, cached, CACHE_SECONDS)
    return cached


@dataclass
class MapRow:
    place: Place
    value: Value
    rank: int
    colour_class: int
    rank_label: str = ""


@dataclass
class MapClass:
    index: int
    colour: str
    low: float
    high: float
    label: str


@dataclass
class Choropleth:
    level: str
    period: str  # "" for each place's latest
    periods: list[str]
    rows: list[MapRow]
    classes: list[MapClass]
    no_data: list[Place]
    decimals: int
    view_box: str = "0 0 800 600"
    paths: list[dict[str, Any]] = field(default_factory=list)
    key: str = ""  # the cache key: names the data, places and language it was built from

    def island(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "palette": list(PALETTE),
            "noData": NO_DATA_COLOUR,
            "areas": [
                {
                    "code": r.place.code,
                    "name": r.place.display_name,
                    "value": round(r.value.value, self.decimals),
                    "period": r.value.period,
                    "class": r.colour_class,
                    "rank": r.rank,
                }
                for r in self.rows
            ],
            "noDataAreas": [{"code": p.code, "name": p.display_name} for p in self.no_data],
        }


def map_periods(series: Series, level: str) -> list[str]:
    """Periods with data at ``level``, latest first."""
    places = level_places(level).values("pk")
    return [
        period
        for period, _t in Observation.objects.filter(series=series, place_id__in=places)
        .values_list("period", "time")
        .distinct()
        .order_by("-time")
    ]


def _classes(values: Sequence[float], decimals: int) -> list[MapClass]:
    """Up to five quantile classes, their breaks rounded as the values are shown."""
    if not values:
        return []
    ordered = sorted(values)
    distinct = sorted(set(round(v, decimals) for v in ordered))
    n = min(len(PALETTE), len(distinct))
    if n <= 1:
        return [
            MapClass(0, PALETTE[2], ordered[0], ordered[-1], format_value(ordered[0], decimals))
        ]
    qs = np.quantile(np.array(ordered), np.linspace(0, 1, n + 1))
    breaks = sorted(set(round(float(q), decimals) for q in qs))
    breaks[0], breaks[-1] = min(breaks[0], ordered[0]), max(breaks[-1], ordered[-1])
    count = len(breaks) - 1
    # Spread the palette so that three classes still run from light to dark.
    colours = [PALETTE[round(i * (len(PALETTE) - 1) / max(count - 1, 1))] for i in range(count)]
    return [
        MapClass(
            i,
            colours[i],
            breaks[i],
            breaks[i + 1],
            _("%(low)s to %(high)s")
            % {
                "low": format_value(breaks[i], decimals),
                "high": format_value(breaks[i + 1], decimals),
            },
        )
        for i in range(count)
    ]


def _class_of(value: float, classes: Sequence[MapClass]) -> int:
    for c in classes:
        if value <= c.high:
            return c.index
    return classes[-1].index


# About 0.5 MB each for a map of every local authority, so at most ~36 MB per process; 64 holds
# the 25 shared indicators at both levels (fewer thrashed: each miss meant the shared cache or a
# full recomputation, ~10× the page's time).
CHOROPLETH_MEMO_SIZE = 64
_CHOROPLETH_MEMO: OrderedDict[str, Choropleth] = OrderedDict()


def choropleth(indicator: Indicator, series: Series, level: str, period: str = "") -> Choropleth:
    """The series at ``level``: each place's latest value (``period=""``) or the value for one
    period, ranked, classed and drawn; cached until the data or the places change."""
    from django.utils.translation import get_language

    key = (
        f"indicators:choropleth:{series.pk}:{level}:{period}:{get_language()}:"
        f"{data_version()}:{places_version()}"
    )
    # Unpickling a national map from the shared cache (hundreds of places and paths) took a fifth
    # of the page's time, so this process keeps the last few too. The key names the data and
    # places versions, so a memo is never stale; the map is only read, never changed, by pages.
    cached = _CHOROPLETH_MEMO.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is None:
            cached = _choropleth(indicator, series, level, period)
            cached.key = key
            cache.set(key, cached, CACHE_SECONDS)
        _CHOROPLETH_MEMO[key] = cached
        while len(_CHOROPLETH_MEMO) > CHOROPLETH_MEMO_SIZE:
            _CHOROPLETH_MEMO.popitem(last=False)
    else:
        _CHOROPLETH_MEMO.move_to_end(key)
    return cached


def _choropleth(indicator: Indicator, series: Series, level: str, period: str = "") -> Choropleth:
    periods = map_periods(series, level)
    if period and period not in periods:
        period = ""
    candidates = {p.pk: p for p in level_places(level)}
    year = math.floor(period_to_year(period)) if period else None
    if period:
        rows = Observation.objects.filter(
            series=series, period=period, place_id__in=list(candidates)
        ).values_list("place_id", "period", "time", "value", "status")
        values = {pid: Value(per, t, v, st) for pid, per, t, v, st in rows}
    else:
        latest = latest_values([series.pk], list(candidates))
        values = {pid: v for (_s, pid), v in latest.items()}

    def in_use(p: Place) -> bool:
        """In use in the period's year, or now when showing each place's latest."""
        if year is None:
            return p.valid_to is None
        return (p.valid_from is None or p.valid_from <= year) and (
            p.valid_to is None or p.valid_to >= year
        )

    # Where data use both an old code and its successor's, show the successor; where only the
    # old code has data, show it instead of an empty successor.
    links = list(
        Place.successors.through.objects.filter(from_place_id__in=list(candidates)).values_list(
            "from_place_id", "to_place_id"
        )
    )
    successors: dict[int, set[int]] = defaultdict(set)
    predecessors: dict[int, set[int]] = defaultdict(set)
    for old, new in links:
        successors[old].add(new)
        predecessors[new].add(old)
    shown = {pid for pid in values if pid in candidates}
    shown = {pid for pid in shown if in_use(candidates[pid]) or not (successors[pid] & shown)}
    no_data = [
        p
        for pid, p in candidates.items()
        if pid not in shown and in_use(p) and not (predecessors[pid] & shown)
    ]
    decimals = decimals_for(values[pid].value for pid in shown)
    shown_values = [values[pid].value for pid in shown]
    classes = _classes(shown_values, decimals)
    sign = -1 if indicator.polarity == Indicator.Polarity.LOWER else 1
    rows = [
        MapRow(candidates[pid], values[pid], 0, _class_of(values[pid].value, classes))
        for pid in shown
    ]
    # Rank 1 is the best; ties share a rank. One sort, then a binary search per row.
    better_first = sorted(-sign * v for v in shown_values)
    of = _("%(rank)s of %(n)s")
    for row in rows:
        row.rank = 1 + bisect.bisect_left(better_first, -sign * row.value.value)
        row.rank_label = of % {"rank": row.rank, "n": len(rows)}
    rows.sort(key=lambda r: (r.rank, r.place.name))
    result = Choropleth(
        level=level,
        period=period,
        periods=periods,
        rows=rows,
        classes=classes,
        no_data=sorted(no_data, key=lambda p: p.name),
        decimals=decimals,
    )
    _draw(result)
    return result


def _draw(result: Choropleth) -> None:
    """SVG paths for the server-drawn map, framed on the areas shown; cached per frame."""
    geometry = map_geometry(result.level)["features"]
    # Framed on the areas with data (England's data is not drawn as a speck beside Scotland);
    # areas without data are drawn, and listed, only within that frame.
    box = geo.bbox_union(
        geometry[r.place.code]["bbox"] for r in result.rows if r.place.code in geometry
    )
    if not box:
        return
    result.no_data = [
        p for p in result.no_data if p.code in geometry and _inside(geometry[p.code]["bbox"], box)
    ]
    codes = [r.place.code for r in result.rows] + [p.code for p in result.no_data]
    frame = geo.Frame(box, width=600, height=800, padding=0.03)
    result.view_box = frame.view_box
    digest = hashlib.sha1(",".join(sorted(codes)).encode()).hexdigest()
    key = f"indicators:map-svg:{result.level}:{places_version()}:{digest}"
    paths = cache.get(key)
    if paths is None:
        # Simplified again at the frame's scale: detail under a unit of the viewBox is invisible.
        tolerance = frame.degrees_per_unit * 0.75
        paths = {
            c: frame.path(geo.simplify(geometry[c]["geometry"], tolerance))
            for c in codes
            if c in geometry
        }
        cache.set(key, paths, CACHE_SECONDS)
    colours = {c.index: c.colour for c in result.classes}
    result.paths = [
        {
            "code": p.code,
            "name": p.display_name,
            "d": paths[p.code],
            "fill": NO_DATA_COLOUR,
            "value": None,
        }
        for p in result.no_data
        if paths.get(p.code)
    ] + [
        {
            "code": r.place.code,
            "name": r.place.display_name,
            "d": paths[r.place.code],
            "fill": colours.get(r.colour_class, NO_DATA_COLOUR),
            "value": r.value,
        }
        for r in result.rows
        if paths.get(r.place.code)
    ]


def _inside(inner: Sequence[float], outer: Sequence[float]) -> bool:
    """Whether a box's centre lies within another box."""
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


MAP_SORTS = ("rank", "name", "value", "period")


def sort_map_rows(rows: Sequence[MapRow], sort: str, descending: bool) -> list[MapRow]:
    keys = {
        "rank": lambda r: (r.rank, r.place.name),
        "name": lambda r: (r.place.name.lower(), r.place.code),
        "value": lambda r: (r.value.value, r.place.name),
        "period": lambda r: (r.value.time, r.place.name),
    }
    return sorted(rows, key=keys.get(sort, keys["rank"]), reverse=descending)


# --- Missions and outcomes -----------------------------------------------------------------------


@dataclass
class IndicatorPlaceStatus:
    indicator: Indicator
    place: Place
    target: Target | None
    status: str  # a Status value or "no_target"
    explanation: str
    latest: Value | None = None
    link: IndicatorLink | None = None


@dataclass
class IndicatorStatuses:
    indicator: Indicator
    places: list[IndicatorPlaceStatus]
    rollup: RollUp


@dataclass
class OutcomeStatuses:
    outcome: Outcome
    indicators: list[IndicatorStatuses]
    rollup: RollUp
    # For a national outcome: the local outcomes contributing to it, each with its own status.
    contributions: list[OutcomeStatuses] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return bool(self.indicators or any(c.rollup.total for c in self.contributions))


def _status_items(statuses: Iterable[IndicatorPlaceStatus]) -> list[str]:
    return [s.status for s in statuses if s.status != "no_target"]


def indicator_links(*, mission: Mission | None = None, outcome: Outcome | None = None) -> list[Any]:
    """The (outcome, indicator) links of a mission's or an outcome's indicators: one query, and
    all a page without indicators pays."""
    links = Indicator.outcomes.through.objects.select_related("indicator")
    if outcome is not None:
        links = links.filter(outcome=outcome)
    else:
        links = links.filter(outcome__mission=mission)
    return list(links.order_by("indicator__code"))


def outcome_statuses(
    outcomes: Sequence[Outcome],
    mission: Mission,
    links: Sequence[Any] | None = None,
    *,
    with_contributions: bool = True,
) -> list[OutcomeStatuses]:
    """Each outcome's indicators, each with its status in each place it is linked for (an
    ``IndicatorLink``), rolled up to the indicator and the outcome (worst of those assessed).
    An indicator linked to the outcome without places (as before places were linked) shows the
    mission's places and the places inside them that have targets; a mission with no places of
    its own, the places that have targets.

    A fixed number of queries and one ``assess_many`` for the lot.
    """
    if links is None:
        outcome_ids = [o.pk for o in outcomes]
        links = list(
            Indicator.outcomes.through.objects.filter(outcome_id__in=outcome_ids)
            .select_related("indicator")
            .order_by("indicator__code")
        )
    indicators = {link.indicator_id: link.indicator for link in links}
    placed: dict[tuple[int, int], list[IndicatorLink]] = defaultdict(list)
    for link in (
        IndicatorLink.objects.filter(outcome__in=[o.pk for o in outcomes])
        .select_related("place")
        .defer("place__boundary", "place__bbox")
    ):
        placed[(link.outcome_id, link.indicator_id)].append(link)
    mission_places = list(_light_places().filter(missions=mission))
    targets_qs = (
        targets_queryset().filter(indicator_id__in=list(indicators)).select_related("place")
    )
    linked_place_ids = {link.place_id for ls in placed.values() for link in ls}
    if mission_places:
        # The mission's places and the places inside them (a UK mission's target for England).
        within = Q(place__in=mission_places) | Q(place__in=linked_place_ids)
        for depth in range(1, 5):
            within |= Q(**{"place__" + "parent__" * depth + "in": mission_places})
        targets_qs = targets_qs.filter(within)
    targets = list(targets_qs.defer("place__boundary", "place__bbox"))
    fallback = list(mission_places)
    fallback += sorted({t.place for t in targets} - set(mission_places), key=place_sort_key)
    # A link's own targets speak for it; a place's own (no link) for the place-free links.
    grouped: dict[tuple[int, int], list[Target]] = defaultdict(list)
    by_link: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        if t.link_id is None:
            grouped[(t.indicator_id, t.place_id)].append(t)
        else:
            by_link[t.link_id].append(t)
    chosen = {k: pick_target(v) for k, v in grouped.items()}
    chosen_by_link = {k: pick_target(v) for k, v in by_link.items()}
    assessed = assess_targets(
        [t for t in [*chosen.values(), *chosen_by_link.values()] if t is not None]
    )

    def statuses_for(outcome: Outcome, indicator_id: int) -> IndicatorStatuses:
        indicator = indicators[indicator_id]
        links = placed.get((outcome.pk, indicator_id))
        if links:
            rows = [
                (link.place, link, chosen_by_link.get(link.pk))
                for link in sorted(links, key=lambda k: place_sort_key(k.place))
            ]
        else:
            rows = [(place, None, chosen.get((indicator_id, place.pk))) for place in fallback]
        cells = []
        for place, link, target in rows:
            st = assessed.get(target.pk) if target else None
            cells.append(
                IndicatorPlaceStatus(
                    indicator=indicator,
                    place=place,
                    target=target,
                    status=st.status if st else "no_target",
                    explanation=st.assessment.explanation if st else "",
                    link=link,
                )
            )
        return IndicatorStatuses(indicator, cells, roll_up(_status_items(cells), noun="place"))

    by_outcome: dict[int, list[int]] = defaultdict(list)
    for link in links:
        by_outcome[link.outcome_id].append(link.indicator_id)
    contributions = (
        contribution_statuses(outcomes)
        if with_contributions and mission.scope == Mission.Scope.NATIONAL
        else {}
    )
    result = []
    for outcome in outcomes:
        items = [statuses_for(outcome, i) for i in by_outcome.get(outcome.pk, [])]
        cells = [c for item in items for c in item.places]
        local = contributions.get(outcome.pk, [])
        if local:
            # A national outcome: its own indicators' places and each contributing local
            # outcome's status, worst of those assessed.
            statuses = _status_items(cells) + [c.rollup.status for c in local if c.rollup.total]
            rollup = roll_up(statuses, noun="measure")
        else:
            rollup = roll_up(_status_items(cells), noun="indicator")
        result.append(OutcomeStatuses(outcome, items, rollup, local))
    return result


def has_contributions(*, mission: Mission | None = None, outcome: Outcome | None = None) -> bool:
    """Do published local outcomes contribute to the mission's (or the outcome's) outcomes?
    Only a national mission's can: a local mission's pages pay no query for it."""
    owner = mission if mission is not None else outcome.mission  # type: ignore[union-attr]
    if owner.scope != Mission.Scope.NATIONAL:
        return False
    qs = Outcome.objects.filter(mission__status__in=Mission.PUBLIC_STATUSES)
    if outcome is not None:
        return qs.filter(parent=outcome).exists()
    return qs.filter(parent__mission=mission).exists()


def contribution_statuses(outcomes: Sequence[Outcome]) -> dict[int, list[OutcomeStatuses]]:
    """The local outcomes of published missions contributing to each of ``outcomes``, each with
    its status in its own mission's places, by parent outcome id. One ``outcome_statuses`` per
    contributing mission."""
    children = list(
        Outcome.objects.filter(
            parent__in=[o.pk for o in outcomes],
            mission__status__in=Mission.PUBLIC_STATUSES,
        )
        .select_related("mission", "mission__owner")
        .order_by("mission__title", "order", "id")
    )
    by_mission: dict[int, list[Outcome]] = defaultdict(list)
    for child in children:
        by_mission[child.mission_id].append(child)
    result: dict[int, list[OutcomeStatuses]] = defaultdict(list)
    for group in by_mission.values():
        for data in outcome_statuses(group, group[0].mission, with_contributions=False):
            result[data.outcome.parent_id].append(data)
    return result


def mission_rollup(outcomes: Sequence[OutcomeStatuses]) -> RollUp:
    measured = [o.rollup for o in outcomes if o.measured and o.rollup.total]
    return roll_up(measured, noun="outcome")


# --- Permissions -----------------------------------------------------------------------------------


def missions_measured_by(indicator: Indicator) -> QuerySet[Mission]:
    return Mission.objects.filter(outcomes__indicators=indicator).select_related("owner").distinct()


def csv_rows(indicator: Indicator, place: Place | None = None) -> Iterable[tuple[Any, ...]]:
    """Every observation of the indicator (or of one place), in series, place and time order,
    streamed in chunks."""
    qs = Observation.objects.filter(series__indicator=indicator)
    if place is not None:
        qs = qs.filter(place=place)
    return (
        qs.order_by("series__key", "place__code", "time")
        .values_list(
            "series__key",
            "series__dimensions",
            "place__code",
            "place__name",
            "period",
            "value",
            "status",
        )
        .iterator(chunk_size=5000)
    )


_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def csv_filename(indicator: Indicator, place: Place | None = None) -> str:
    name = f"indicator-{indicator.code}" + (f"-{place.code}" if place else "") + ".csv"
    return _SAFE_FILENAME.sub("-", name)


def series_panel(series: Series, place_ids: Iterable[int]) -> dict[int, list[Value]]:
    """Every observation of ``series`` in each of ``place_ids``, by place id, oldest first (one
    query; for comparisons across places, such as a pilot's comparison pool)."""
    panel: dict[int, list[Value]] = defaultdict(list)
    rows = (
        Observation.objects.filter(series=series, place_id__in=list(place_ids))
        .order_by("place_id", "time")
        .values_list("place_id", "period", "time", "value", "status")
    )
    for place_id, *value in rows:
        panel[place_id].append(Value(*value))
    return dict(panel)
