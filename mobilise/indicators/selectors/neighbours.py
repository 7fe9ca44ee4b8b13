"""Statistical nearest neighbours of a place (from population and deprivation) and the comparison
of a place with them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from mobilise.indicators.models import Indicator, Series
from mobilise.places.models import Place

from .catalogue import _light_places
from .common import (
    CACHE_SECONDS,
    COMPARABLE_KINDS,
    HEADLINE,
    NEIGHBOUR_COUNT,
    NEIGHBOUR_INDICATORS,
    NEIGHBOUR_LOG_INDICATORS,
    data_version,
)
from .display import decimals_for
from .values import Value, latest_values

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
