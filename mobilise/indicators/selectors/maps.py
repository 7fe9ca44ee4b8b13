"""Choropleth maps: the simplified boundaries (cached under ``data_version``), classes and colours,
the SVG drawn server-side, and the map's table."""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from mobilise.engines.trajectory import (
    period_to_year,
)
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.places import geo
from mobilise.places.models import Place

from .catalogue import _PLACE_FIELDS
from .common import CACHE_SECONDS, Kind, data_version, places_version
from .display import decimals_for, format_value
from .values import Value, latest_values

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
