"""Indicators, their themes, series, links to outcomes and targets, the places with data, and
the downloads (CSV rows and file names, a series across places)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from mobilise.indicators.models import Indicator, IndicatorLink, Observation, Series, Target
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from .common import HEADLINE, KIND_ORDER, Kind
from .targets import pick_target, targets_queryset
from .values import Value

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
