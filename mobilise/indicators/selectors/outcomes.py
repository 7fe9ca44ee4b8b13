"""Missions and outcomes: the statuses of the indicators linked to them, contributions, and the
roll-up of a mission."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from mobilise.engines.trajectory import (
    RollUp,
    roll_up,
)
from mobilise.indicators.models import Indicator, IndicatorLink, Target
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from .catalogue import _light_places, place_sort_key
from .targets import assess_targets, pick_target, targets_queryset
from .values import Value

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
