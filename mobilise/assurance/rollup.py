"""The national roll-up: a national mission's page shows the places whose local missions
contribute to it, by indicator status and delivery confidence, exceptions first.

One row per (local mission, place). A row is an **exception** when its indicators are off track
or its latest delivery confidence is red or amber/red. The map is drawn on the server from the
shipped boundaries: the UK's outline once (cached until places are reloaded) and a marker per
place, since a borough is a few pixels wide on a UK-wide map; the table is the accessible
alternative and says everything the map does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from mobilise.engines.trajectory import Status, roll_up
from mobilise.indicators import selectors as indicators
from mobilise.indicators.models import Indicator
from mobilise.missions.models import Mission
from mobilise.places import geo
from mobilise.places.models import Place

from . import charts, selectors
from .models import EXCEPTION_RATINGS, RATING_SCORES, Assessment, Rating

UK_CODE = "K02000001"
STATUS_ORDER = {
    Status.OFF_TRACK: 0,
    Status.AT_RISK: 1,
    Status.UNCERTAIN: 2,
    Status.INSUFFICIENT_DATA: 4,
    Status.ON_TRACK: 3,
}


@dataclass
class LocalOutcome:
    title: str
    status: str
    url: str


@dataclass
class RollUpRow:
    mission: Mission
    place: Place
    status: str  # indicator roll-up status, or "" when nothing is measured
    assessment: Assessment | None
    outcomes: list[LocalOutcome] = field(default_factory=list)

    @property
    def is_exception(self) -> bool:
        return self.status == Status.OFF_TRACK or (
            self.assessment is not None and self.assessment.rating in EXCEPTION_RATINGS
        )

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        score = RATING_SCORES[Rating(self.assessment.rating)] if self.assessment else 6
        return (
            0 if self.is_exception else 1,
            score,
            STATUS_ORDER.get(self.status, 5),
            self.place.name,
        )


@dataclass
class NationalRollUp:
    mission: Mission
    rows: list[RollUpRow]
    by_status: list[tuple[str, str, int]]
    by_confidence: list[tuple[str, str, int]]
    national_outcomes: list[str]

    @property
    def exceptions(self) -> int:
        return sum(1 for r in self.rows if r.is_exception)


def _statuses(locals_: list[Mission]) -> dict[int, dict[int, str]]:
    """Each local mission's outcome statuses, ``{mission id: {outcome id: status}}``, in a fixed
    number of queries however many missions contribute: one read of the links, one of the targets
    (with milestones) and one ``assess_targets`` for them all.

    The same rules as a mission's own page (``indicators.selectors.outcome_statuses``): in each of
    the mission's places the target that speaks for an indicator (``pick_target``), worst-of
    roll-up over the indicator–place statuses of each outcome. Only the missions' own places
    count here (not the places inside them): local missions are set for one place.
    """
    links = list(
        Indicator.outcomes.through.objects.filter(outcome__mission__in=locals_).values_list(
            "outcome_id", "outcome__mission_id", "indicator_id"
        )
    )
    if not links:
        return {}
    place_ids = {m.pk: [p.pk for p in m.places.all()] for m in locals_}
    targets = list(
        indicators.targets_queryset()
        .filter(
            indicator_id__in={i for _o, _m, i in links},
            place_id__in={p for ids in place_ids.values() for p in ids},
        )
        .defer("indicator__description")
    )
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for t in targets:
        grouped[(t.indicator_id, t.place_id)].append(t)
    chosen = {k: indicators.pick_target(v) for k, v in grouped.items()}
    assessed = indicators.assess_targets([t for t in chosen.values() if t is not None])
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for outcome_id, mission_id, indicator_id in links:
        for place_id in place_ids.get(mission_id, []):
            target = chosen.get((indicator_id, place_id))
            if target is not None and target.pk in assessed:
                cells[(mission_id, outcome_id)].append(assessed[target.pk].status)
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for (mission_id, outcome_id), items in cells.items():
        result[mission_id][outcome_id] = roll_up(items, noun="place").status.value
    return result


def national_rollup(mission: Mission) -> NationalRollUp:
    locals_ = list(
        Mission.objects.filter(contributes_to=mission, status__in=Mission.PUBLIC_STATUSES)
        .select_related("owner")
        .prefetch_related(
            "outcomes", Prefetch("places", queryset=Place.objects.defer("boundary", "bbox"))
        )
        .order_by("title")
    )
    ratings = selectors.latest_mission_ratings(locals_)
    statuses = _statuses(locals_)
    rows: list[RollUpRow] = []
    for local in locals_:
        own = statuses.get(local.pk, {})
        outcomes = [
            LocalOutcome(o.title, own.get(o.pk, ""), o.get_absolute_url())
            for o in local.outcomes.all()
        ]
        status = roll_up(list(own.values()), noun="outcome").status.value if own else ""
        for place in local.places.all():
            rows.append(RollUpRow(local, place, status, ratings.get(local.pk), outcomes))
    rows.sort(key=lambda r: r.sort_key)
    status_counts = Counter(r.status or "not_measured" for r in rows)
    by_status = [
        (key, label, status_counts[key])
        for key, label in (
            (Status.OFF_TRACK.value, indicators.status_label(Status.OFF_TRACK)),
            (Status.AT_RISK.value, indicators.status_label(Status.AT_RISK)),
            (Status.UNCERTAIN.value, indicators.status_label(Status.UNCERTAIN)),
            (Status.ON_TRACK.value, indicators.status_label(Status.ON_TRACK)),
            (Status.INSUFFICIENT_DATA.value, indicators.status_label(Status.INSUFFICIENT_DATA)),
            ("not_measured", _("Not measured")),
        )
    ]
    confidence_counts = Counter(r.assessment.rating if r.assessment else "none" for r in rows)
    by_confidence = [
        (value, str(label), confidence_counts[value]) for value, label in reversed(Rating.choices)
    ] + [("none", _("Not yet assessed"), confidence_counts["none"])]
    return NationalRollUp(
        mission, rows, by_status, by_confidence, [o.title for o in mission.outcomes.all()]
    )


# --- the map -------------------------------------------------------------------------------------


def _outline() -> tuple[Any, str] | None:
    """The UK's outline as (frame, path), cached until the places change."""
    version = indicators.places_version()
    key = f"assurance:uk-outline:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    uk = Place.objects.filter(code=UK_CODE).only("boundary", "bbox").first()
    if uk is None or not uk.boundary or not uk.bbox:
        return None  # not cached: boundaries may be loaded at any moment
    frame = geo.Frame(uk.bbox, width=400, height=560)
    path = frame.path(geo.simplify(uk.boundary, frame.degrees_per_unit * 2))
    result = (frame, path)
    cache.set(key, result, 24 * 3600)
    return result


def _point(place: Place) -> tuple[float, float] | None:
    key = f"assurance:point:{place.code}:{place.updated_at.timestamp()}"
    cached = cache.get(key)
    if cached is not None:
        return tuple(cached) if cached else None
    boundary = Place.objects.filter(pk=place.pk).values_list("boundary", flat=True).first()
    point = geo.interior_point(boundary) if boundary else None
    cache.set(key, list(point) if point else [], 24 * 3600)
    return tuple(point) if point else None


def rollup_map(rollup: NationalRollUp) -> Markup:
    """The UK with a marker per place, coloured by delivery confidence (grey when unassessed);
    exceptions are drawn larger. Empty when the boundaries are not loaded."""
    outline = _outline()
    if outline is None or not rollup.rows:
        return Markup("")
    frame, path = outline
    body = [f'<path d="{path}" fill="#f3f2f1" stroke="#505a5f" stroke-width="1"/>']
    for row in rollup.rows:
        point = _point(row.place)
        if point is None:
            continue
        x, y = frame.project(*point)
        colour = (
            charts.RATING_COLOURS.get(row.assessment.rating, "#b1b4b6")
            if row.assessment
            else "#b1b4b6"
        )
        radius = 10 if row.is_exception else 7
        body.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{colour}" stroke="#0b0c0c" '
            f'stroke-width="2"/><text x="{x + radius + 4:.0f}" y="{y + 4:.0f}" '
            f'font-size="14" fill="#0b0c0c">{escape(row.place.name)}</text>'
        )
    return charts._svg(
        frame.width,
        frame.height,
        _("Map of the places contributing to this mission, coloured by delivery confidence"),
        "".join(body),
        "mobilise-assurance-map",
    )
