"""Observations: one series in one place, the latest values across places (one query), the latest
year of each indicator."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from mobilise.indicators.models import Observation, Series
from mobilise.places.models import Place

from .common import HEADLINE, Kind

# --- Observations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One observation as pages show it. A derived value is not published for the place: it is
    the sum of ``members`` local authorities' values (see ``derived``)."""

    period: str
    time: float
    value: float
    status: str = Observation.Status.FINAL
    derived: bool = False
    members: int = 0


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
