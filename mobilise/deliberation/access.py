"""Who may do what in a conversation, and the only way views fetch the conversations they show.

Anyone may read an open mission's conversations, vote and add statements (signed in or with the
participant cookie). The mission's leads (``missions.access.can_edit_mission``) open conversations,
moderate them and download the Pol.is export.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.missions.access import access_mission_for_edit, can_edit_mission, can_view_mission
from mobilise.missions.models import Mission

from .models import Conversation

__all__ = [
    "access_conversation_for_moderation",
    "can_edit_mission",
    "access_conversation_for_view",
    "access_conversation_for_voting",
    "access_mission_for_new_conversation",
    "can_moderate",
]


def can_moderate(user: Any, conversation: Conversation) -> bool:
    return can_edit_mission(user, conversation.mission)


def _conversation(conversation_id: int) -> Conversation:
    try:
        return Conversation.objects.select_related("mission", "mission__owner", "place").get(
            pk=conversation_id
        )
    except Conversation.DoesNotExist as exc:
        raise Http404 from exc


def access_conversation_for_view(user: Any, conversation_id: int) -> Conversation:
    """A conversation on a mission the person may see; a draft mission's is a 404 to others."""
    conversation = _conversation(conversation_id)
    if not can_view_mission(user, conversation.mission):
        raise Http404
    return conversation


def access_conversation_for_voting(user: Any, conversation_id: int) -> Conversation:
    """The same rule as ``access_conversation_for_view``, fetched lean for the vote hot path.

    Only the columns a vote needs are read (no joins beyond the mission's status); a draft
    mission's conversation falls back to the full check.
    """
    row = (
        Conversation.objects.filter(pk=conversation_id)
        .values("pk", "status", "recompute_pending", "mission_id", "mission__status")
        .first()
    )
    if row is None:
        raise Http404
    if row["mission__status"] not in Mission.PUBLIC_STATUSES:
        return access_conversation_for_view(user, conversation_id)
    return Conversation(
        pk=row["pk"],
        status=row["status"],
        recompute_pending=row["recompute_pending"],
        mission_id=row["mission_id"],
    )


def access_conversation_for_moderation(user: Any, conversation_id: int) -> Conversation:
    conversation = access_conversation_for_view(user, conversation_id)
    if not can_moderate(user, conversation):
        raise PermissionDenied
    return conversation


def access_mission_for_new_conversation(user: Any, slug: str) -> Mission:
    return access_mission_for_edit(user, slug)
