"""Who may set targets for an indicator in a place.

Platform admins may, anywhere. A mission lead may for an indicator that measures an outcome of a
mission they can edit (``can_edit_mission``), in the places that mission covers: its own places
and everything inside them, or any place when the mission names none (a national mission).
A lead at Camden cannot set Westminster's targets.
"""

from typing import Any

from django.core.exceptions import PermissionDenied

from mobilise.accounts.selectors import user_is_platform_admin
from mobilise.missions.access import can_edit_mission
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from .models import Indicator


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
