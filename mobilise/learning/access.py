"""Who may see and change a pilot, and the only way views fetch pilots.

Leads of the mission's owning organisation (``can_edit_mission``) register and change pilots;
anyone reads a published pilot of a public mission; others get 404.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.missions.access import (
    access_mission_for_edit,
    can_edit_mission,
    can_view_mission,
)
from mobilise.missions.models import Mission

from .models import Learning, Pilot


def can_manage_pilot(user: Any, pilot: Pilot) -> bool:
    return can_edit_mission(user, pilot.mission)


def can_view_pilot(user: Any, pilot: Pilot) -> bool:
    if can_manage_pilot(user, pilot):
        return True
    return pilot.published and can_view_mission(user, pilot.mission)


def _get(pilot_id: int) -> Pilot:
    pilot = (
        Pilot.objects.select_related("mission__owner", "outcome", "replicates")
        .filter(pk=pilot_id)
        .first()
    )
    if pilot is None:
        raise Http404
    return pilot


def access_pilot_for_view(user: Any, pilot_id: int) -> Pilot:
    pilot = _get(pilot_id)
    if not can_view_pilot(user, pilot):
        raise Http404
    return pilot


def access_pilot_for_edit(user: Any, pilot_id: int) -> Pilot:
    pilot = _get(pilot_id)
    if not can_view_pilot(user, pilot):
        raise Http404
    if not can_manage_pilot(user, pilot):
        raise PermissionDenied
    return pilot


def access_mission_for_pilots(user: Any, slug: str) -> Mission:
    """The mission a lead registers a pilot under (403 for anyone else)."""
    return access_mission_for_edit(user, slug)


def can_view_learning(user: Any, learning: Learning) -> bool:
    if can_edit_mission(user, learning.mission):
        return True
    return learning.published and can_view_mission(user, learning.mission)


def can_manage_learning(user: Any, learning: Learning) -> bool:
    """Leads of the owning organisation of the learning's mission change it."""
    return can_edit_mission(user, learning.mission)


def access_learning_for_view(user: Any, learning_id: int) -> Learning:
    learning = Learning.objects.select_related("mission").filter(pk=learning_id).first()
    if learning is None or not can_view_learning(user, learning):
        raise Http404
    return learning


def access_learning_for_edit(user: Any, learning_id: int) -> Learning:
    """404 for a learning the person may not read, 403 for one they may read but not change."""
    learning = access_learning_for_view(user, learning_id)
    if not can_manage_learning(user, learning):
        raise PermissionDenied
    return learning
