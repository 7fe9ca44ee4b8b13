"""The comparison of a place's indicators with the places above it (its region, nation, the UK)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache

from mobilise.indicators.models import Indicator, Series, Target
from mobilise.places.models import Place

from .common import CACHE_SECONDS, HEADLINE, KIND_ORDER, Kind, data_version
from .derived import latest_derived
from .display import decimals_for
from .targets import assess_targets, pick_target, targets_queryset, targets_version
from .values import Value, latest_values

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
    if place.kind in Place.GROUPED_KINDS:
        # An area's own figures win; where it has none, its local authorities' summed.
        missing = [s for s in headline.values() if (s.pk, place.pk) not in latest]
        for series_id, value in latest_derived(missing, place).items():
            latest[(series_id, place.pk)] = value
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
