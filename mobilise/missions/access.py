"""Who may see and change a mission, and the only way views fetch the objects they protect.

Views call ``access_*`` with the signed-in user and the identifiers from the URL; each helper
returns the object or raises ``Http404`` / ``PermissionDenied``. Keeping every lookup here means a
new view cannot forget the check, and the rules are tested in one place.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.accounts.models import Role
from mobilise.accounts.selectors import user_has_role, user_is_member, user_is_platform_admin

from .models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode


def _mission_queryset():
    return Mission.objects.select_related("owner", "contributes_to")


def can_create_mission(user: Any) -> bool:
    """Mission leads create missions (superusers hold every role, see ``user_has_role``)."""
    return user_has_role(user, Role.MISSION_LEAD)


def can_edit_mission(user: Any, mission: Mission) -> bool:
    """Platform admins, and mission leads who belong to the organisation that owns the mission."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user_is_platform_admin(user):
        return True
    return user_has_role(user, Role.MISSION_LEAD) and user_is_member(user, mission.owner)


def missions_led_by(user: Any):  # type: ignore[no-untyped-def]
    """The missions ``user`` may edit (``can_edit_mission`` for each), as one query: every mission
    for a platform admin, those owned by their organisations for a mission lead, none otherwise."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Mission.objects.none()
    if user_is_platform_admin(user):
        return Mission.objects.all()
    if not user_has_role(user, Role.MISSION_LEAD):
        return Mission.objects.none()
    return Mission.objects.filter(owner__memberships__user=user).distinct()


def can_view_mission(user: Any, mission: Mission) -> bool:
    return mission.status in Mission.PUBLIC_STATUSES or can_edit_mission(user, mission)


def access_mission_for_view(user: Any, slug: str) -> Mission:
    """A public mission for anyone; a draft only for those who may edit it; otherwise 404.

    A draft answers 404 rather than 403 so its existence is not revealed before it is published.
    """
    try:
        mission = _mission_queryset().get(slug=slug)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_mission(user, mission):
        raise Http404
    return mission


def access_mission_for_edit(user: Any, slug: str) -> Mission:
    try:
        mission = _mission_queryset().get(slug=slug)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    if not can_edit_mission(user, mission):
        raise PermissionDenied
    return mission


def _outcome_of(mission: Mission, outcome_slug: str) -> Outcome:
    try:
        outcome = Outcome.objects.select_related("parent__mission").get(
            mission=mission, slug=outcome_slug
        )
    except Outcome.DoesNotExist as exc:
        raise Http404 from exc
    outcome.mission = mission  # already checked; saves a query when the page links back to it
    return outcome


def access_outcome_for_view(user: Any, slug: str, outcome_slug: str) -> Outcome:
    return _outcome_of(access_mission_for_view(user, slug), outcome_slug)


def access_outcome_for_edit(user: Any, slug: str, outcome_slug: str) -> Outcome:
    # The mission is checked first, so someone without rights gets 403 whatever the outcome slug.
    return _outcome_of(access_mission_for_edit(user, slug), outcome_slug)


def access_node_for_edit(user: Any, slug: str, node_id: int) -> TheoryOfChangeNode:
    mission = access_mission_for_edit(user, slug)
    try:
        node = TheoryOfChangeNode.objects.select_related("outcome").get(mission=mission, pk=node_id)
    except TheoryOfChangeNode.DoesNotExist as exc:
        raise Http404 from exc
    node.mission = mission
    return node


def access_link_for_edit(user: Any, slug: str, link_id: int) -> TheoryOfChangeLink:
    mission = access_mission_for_edit(user, slug)
    try:
        link = TheoryOfChangeLink.objects.select_related("source", "target").get(
            mission=mission, pk=link_id
        )
    except TheoryOfChangeLink.DoesNotExist as exc:
        raise Http404 from exc
    link.mission = mission
    return link
