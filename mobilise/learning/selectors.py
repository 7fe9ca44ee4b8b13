"""Reads for pilots."""

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.coalition.access import coalition_organisation_ids
from mobilise.indicators import selectors as indicator_selectors
from mobilise.indicators.models import Indicator
from mobilise.missions.access import missions_led_by
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from .models import Learning, Pilot


def pilots_visible_to(user: Any) -> QuerySet[Pilot]:
    """Published pilots of public missions, and every pilot of the missions ``user`` leads."""
    public = Q(published=True, mission__status__in=Mission.PUBLIC_STATUSES)
    led = Q(mission__in=missions_led_by(user).values("pk"))
    return (
        Pilot.objects.filter(public | led)
        .select_related("mission")
        .prefetch_related("treated_places")
        .distinct()
    )


def partner_choices(mission: Mission) -> QuerySet[Organisation]:
    """The organisations a pilot may name as partners: those in the mission's coalition."""
    return Organisation.objects.filter(pk__in=coalition_organisation_ids(mission)).order_by("name")


def indicator_choices(mission: Mission) -> QuerySet[Indicator]:
    """Indicators measuring the mission's outcomes; every indicator if none is linked yet."""
    linked = Indicator.objects.filter(links__outcome__mission=mission).distinct()
    if linked.exists():
        return linked.order_by("title")
    return Indicator.objects.order_by("title")


def deviations(pilot: Pilot) -> list:
    return list(pilot.deviations.select_related("changed_by"))


def replications(pilot: Pilot, user: Any) -> list[Pilot]:
    return list(pilots_visible_to(user).filter(replicates=pilot))


# --- Comparison places ---------------------------------------------------------------------------

# How many suggested comparison places a pilot is shown, and how many pre-period years two places
# must share to be compared at all.
SUGGESTION_COUNT = 10
MIN_PRE_YEARS = 3


def decimal_year(day: date) -> float:
    start = date(day.year, 1, 1)
    return day.year + (day - start).days / 365.25


def _standardised(values: dict[float, float]) -> dict[float, float]:
    numbers = list(values.values())
    mean = sum(numbers) / len(numbers)
    spread = math.sqrt(sum((v - mean) ** 2 for v in numbers) / len(numbers)) or 1.0
    return {t: (v - mean) / spread for t, v in values.items()}


def pre_period_distance(treated: dict[float, float], other: dict[float, float]) -> float | None:
    """The root-mean-square difference of the two places' standardised pre-period series over
    the periods both have (None when they share fewer than ``MIN_PRE_YEARS``). Standardising
    compares the shape of the trend, not the size of the place."""
    common = sorted(set(treated) & set(other))
    if len(common) < MIN_PRE_YEARS:
        return None
    a = _standardised({t: treated[t] for t in common})
    b = _standardised({t: other[t] for t in common})
    return math.sqrt(sum((a[t] - b[t]) ** 2 for t in common) / len(common))


@dataclass
class Candidate:
    place: Place
    distance: float | None
    reason: str
    in_pool: bool = False
    excluded: bool = False


@dataclass
class Suggestions:
    indicator: Indicator | None
    treated: Place | None
    suggested: list[Candidate] = field(default_factory=list)
    excluded: list[Candidate] = field(default_factory=list)
    problem: str = ""


def outcome_indicator(pilot: Pilot) -> Indicator | None:
    """The indicator the pilot is judged on: the first of its outcome indicators."""
    return pilot.indicators.order_by("pk").first()


def contaminated_place_ids(pilot: Pilot) -> dict[int, Pilot]:
    """Places treated by another pilot of the same design or on the same indicator: their trend
    carries that pilot's effect, so they are no comparison."""
    others = (
        Pilot.objects.exclude(pk=pilot.pk)
        .filter(Q(design=pilot.design) | Q(indicators__in=pilot.indicators.all()))
        .exclude(status=Pilot.Status.PLANNED)
        .distinct()
        .prefetch_related("treated_places")
    )
    return {place.pk: other for other in others for place in other.treated_places.all()}


def suggest_comparison(pilot: Pilot) -> Suggestions:
    indicator = outcome_indicator(pilot)
    treated_places = list(pilot.treated_places.all())
    treated = treated_places[0] if treated_places else None
    result = Suggestions(indicator=indicator, treated=treated)
    if indicator is None or treated is None:
        result.problem = _("The pilot needs an outcome indicator and a place first.")
        return result
    series = indicator_selectors.headline_series(indicator)
    if series is None:
        result.problem = _("%(indicator)s has no data yet.") % {"indicator": indicator.title}
        return result
    kinds = indicator_selectors.COMPARABLE_KINDS.get(treated.kind, (treated.kind,))
    with_data = [p for p, _n in indicator_selectors.places_with_data(series) if p.kind in kinds]
    panel = indicator_selectors.series_panel(series, [p.pk for p in with_data] + [treated.pk])
    start = decimal_year(pilot.start_date)

    def pre(place_id: int) -> dict[float, float]:
        return {v.time: v.value for v in panel.get(place_id, []) if v.time < start}

    treated_pre = pre(treated.pk)
    if len(treated_pre) < MIN_PRE_YEARS:
        result.problem = _(
            "%(place)s has fewer than %(n)s periods of %(indicator)s before the pilot started, "
            "so no comparison can be suggested."
        ) % {"place": treated.name, "n": MIN_PRE_YEARS, "indicator": indicator.title}
        return result
    pool = set(pilot.comparison_places.values_list("pk", flat=True))
    contaminated = contaminated_place_ids(pilot)
    treated_ids = {p.pk for p in treated_places}
    ranked: list[Candidate] = []
    for place in with_data:
        if place.pk in treated_ids:
            continue
        if place.pk in contaminated:
            result.excluded.append(
                Candidate(
                    place,
                    None,
                    _("Runs its own pilot, ‘%(title)s’, which would blur the comparison.")
                    % {"title": contaminated[place.pk].title},
                    in_pool=place.pk in pool,
                    excluded=True,
                )
            )
            continue
        distance = pre_period_distance(treated_pre, pre(place.pk))
        if distance is None:
            continue
        ranked.append(
            Candidate(
                place,
                distance,
                _(
                    "Its %(indicator)s trend before %(year)s followed %(treated)s’s closely "
                    "(difference %(distance)s standard deviations)."
                )
                % {
                    "indicator": indicator.title,
                    "year": pilot.start_date.year,
                    "treated": treated.name,
                    "distance": f"{distance:.2f}",
                },
                in_pool=place.pk in pool,
            )
        )
    ranked.sort(key=lambda c: (c.distance, c.place.name))
    result.suggested = ranked[:SUGGESTION_COUNT]
    return result


def pool_changes(pilot: Pilot) -> list:
    return list(pilot.pool_changes.select_related("place", "changed_by"))


# --- Learnings -----------------------------------------------------------------------------------


def learnings_visible_to(user: Any) -> QuerySet[Learning]:
    public = Q(published=True, mission__status__in=Mission.PUBLIC_STATUSES)
    led = Q(mission__in=missions_led_by(user).values("pk"))
    return Learning.objects.filter(public | led).select_related("mission").distinct()


def learning_search(
    user: Any,
    *,
    text: str = "",
    mission: Mission | None = None,
    place: Place | None = None,
    indicator: Indicator | None = None,
    design: str = "",
) -> list[Learning]:
    found = learnings_visible_to(user)
    if text:
        words = Q()
        for word in text.split():
            words &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(for_whom__icontains=word)
                | Q(conditions__icontains=word)
                | Q(pilots__title__icontains=word)
            )
        found = found.filter(words)
    if mission is not None:
        found = found.filter(mission=mission)
    if place is not None:
        found = found.filter(pilots__treated_places=place)
    if indicator is not None:
        found = found.filter(pilots__indicators=indicator)
    if design:
        found = found.filter(pilots__design=design)
    return list(found.distinct().prefetch_related("pilots__treated_places"))


def learning_filter_choices(user: Any) -> dict[str, QuerySet]:
    """What the library's filters offer: only what some visible learning has."""
    visible = learnings_visible_to(user)
    pilots = Pilot.objects.filter(learnings__in=visible.values("pk"))
    return {
        "missions": Mission.objects.filter(learnings__in=visible.values("pk"))
        .distinct()
        .order_by("title"),
        "indicators": Indicator.objects.filter(pilots__in=pilots.values("pk"))
        .distinct()
        .order_by("title"),
    }


def mission_pilots(mission: Mission, *, leads: bool) -> list[Pilot]:
    """The mission's pilots for its page: all of them for its leads, the published otherwise."""
    pilots = Pilot.objects.filter(mission=mission)
    if not leads:
        pilots = pilots.filter(published=True)
    return list(pilots)


def mission_learnings(mission: Mission, *, leads: bool) -> tuple[list[Learning], list[Learning]]:
    """The mission's own learnings, and other missions' published ones on the measures its
    outcomes are judged by (one query: the mission page shows them)."""
    measures = Indicator.objects.filter(links__outcome__mission=mission).values("pk")
    own = Q(mission=mission) if leads else Q(mission=mission, published=True)
    others = Q(
        pilots__indicators__in=measures,
        published=True,
        mission__status__in=Mission.PUBLIC_STATUSES,
    )
    found = list(Learning.objects.filter(own | others).select_related("mission").distinct())
    return (
        [learning for learning in found if learning.mission_id == mission.pk],
        [learning for learning in found if learning.mission_id != mission.pk],
    )


def pilot_learnings(pilot: Pilot, user: Any) -> list[Learning]:
    return list(learnings_visible_to(user).filter(pilots=pilot))


def published_learnings(mission: Mission) -> list[Learning]:
    """The mission's published learnings, newest first, with their published pilots and the
    places those ran in (for the stocktake pack's "What we learned")."""
    from django.db.models import Prefetch

    pilots = Pilot.objects.filter(published=True).prefetch_related("treated_places")
    return list(
        Learning.objects.filter(mission=mission, published=True).prefetch_related(
            Prefetch("pilots", queryset=pilots, to_attr="published_pilots")
        )
    )
