"""Who may set targets for an indicator in a place.

Platform admins may, anywhere. A mission lead may for an indicator that measures an outcome of a
mission they can edit (``can_edit_mission``), in the places that mission covers: its own places
and everything inside them, or any place when the mission names none (a national mission).
A lead at Camden cannot set Westminster's targets.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.accounts.selectors import user_is_platform_admin
from mobilise.missions.access import access_outcome_for_edit, can_edit_mission
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from .models import Indicator, IndicatorLink


def _place_and_ancestor_ids(place: Place) -> set[int]:
    ids, current, depth = {place.pk}, place, 0
    while current.parent_id is not None and depth < 6:
        ids.add(current.parent_id)
        current = current.parent
        depth += 1
    return ids


def missions_for_targets(user: Any, indicator: Indicator, place: Place) -> list[Mission]:
    """The missions through which ``user`` may set ``indicator``'s target in ``place``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    missions = (
        Mission.objects.filter(outcomes__indicators=indicator)
        .select_related("owner")
        .prefetch_related("places")
        .distinct()
    )
    within = _place_and_ancestor_ids(place)
    allowed = []
    for mission in missions:
        covered = {p.pk for p in mission.places.all()}
        if covered and not covered & within:
            continue
        if can_edit_mission(user, mission):
            allowed.append(mission)
    return allowed


def can_set_target(user: Any, indicator: Indicator, place: Place) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user_is_platform_admin(user):
        return True
    return bool(missions_for_targets(user, indicator, place))


def check_can_set_target(user: Any, indicator: Indicator, place: Place) -> None:
    if not can_set_target(user, indicator, place):
        raise PermissionDenied


# --- Linking indicators to outcomes ----------------------------------------------------------------


def can_link_indicators(user: Any, outcome: Outcome) -> bool:
    """The leads of the organisation that owns the outcome's mission (and platform admins)."""
    return can_edit_mission(user, outcome.mission)


def place_in_mission(place: Place, mission: Mission) -> bool:
    """A place the mission covers: one of its places or inside one (any place for a mission
    that names none, like a national mission)."""
    covered = {p.pk for p in mission.places.all()}
    return not covered or bool(covered & _place_and_ancestor_ids(place))


def access_outcome_for_links(user: Any, slug: str, outcome_slug: str) -> Outcome:
    return access_outcome_for_edit(user, slug, outcome_slug)


def access_link_for_edit(user: Any, slug: str, outcome_slug: str, link_id: int) -> IndicatorLink:
    outcome = access_outcome_for_edit(user, slug, outcome_slug)
    try:
        link = IndicatorLink.objects.select_related("indicator", "place").get(
            outcome=outcome, pk=link_id
        )
    except IndicatorLink.DoesNotExist as exc:
        raise Http404 from exc
    link.outcome = outcome
    return link
