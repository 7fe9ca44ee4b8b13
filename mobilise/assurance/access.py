"""Who may do what in a mission's assurance, and the only way views fetch what they protect.

Decisions (documented in docs/assurance.md):

* **Reading** – a mission's council, meetings, minutes, decisions, actions, confidence history
  and stocktake packs are public whenever the mission is: accountability is done in the open.
* **Meetings, agendas, minutes, decisions and papers** – only the council's **secretariat** (a
  council member with the secretariat role, linked to a user account, within their term)
  schedules and moves meetings, sets their agendas, edits minutes, records decisions (on the
  council's behalf, naming the member who proposed each), uploads papers and adds a stocktake
  pack to a meeting's papers.
  Mission leads are deliberately not included: the minutes are the council's record, not the
  mission team's.
* **Assessing delivery confidence** – the mission's **leads** (``can_edit_mission``) and council
  members marked **"assesses delivery confidence"**, within their term.
* **Requesting a stocktake pack**, and trying a failed or stalled one again (which also shows why
  it failed) – mission leads and the secretariat.
* **Recording an action** (and choosing its owner from the council's members, or someone else)
  – the secretariat.
* **Updating an action's status** – the secretariat, mission leads, and the action's owner: the
  account it names, or the account of the council member who owns it.
* **Correcting an action** (its words, owner and due date) – the secretariat, who records
  actions; owners and leads keep the status alone.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.missions.access import access_mission_for_view, can_edit_mission
from mobilise.missions.models import Mission

from .models import Action, Council, CouncilMember, Meeting, Pack, Paper


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _seats(user: Any, mission: Mission):  # type: ignore[no-untyped-def]
    return CouncilMember.objects.filter(council__mission=mission, user=user).in_term()


def is_secretariat(user: Any, mission: Mission) -> bool:
    if not _signed_in(user):
        return False
    return _seats(user, mission).filter(role=CouncilMember.Role.SECRETARIAT).exists()


def can_assess(user: Any, mission: Mission) -> bool:
    if not _signed_in(user):
        return False
    return (
        can_edit_mission(user, mission) or _seats(user, mission).filter(is_assessor=True).exists()
    )


def can_request_pack(user: Any, mission: Mission) -> bool:
    return _signed_in(user) and (can_edit_mission(user, mission) or is_secretariat(user, mission))


def can_update_action(user: Any, action: Action, mission: Mission) -> bool:
    if not _signed_in(user):
        return False
    # The member's account counts even when it was linked after the action was minuted.
    member_user = action.owner_member.user_id if action.owner_member_id else None
    return (
        user.pk in (action.owner_id, member_user)
        or can_edit_mission(user, mission)
        or is_secretariat(user, mission)
    )


def can_correct_action(user: Any, mission: Mission) -> bool:
    """Who may change an action's words, owner and due date: who records actions."""
    return is_secretariat(user, mission)


# --- fetching ------------------------------------------------------------------------------------


def access_mission(user: Any, slug: str) -> Mission:
    return access_mission_for_view(user, slug)


def access_council(user: Any, slug: str) -> Council:
    mission = access_mission_for_view(user, slug)
    council = Council.objects.filter(mission=mission).first()
    if council is None:
        raise Http404
    council.mission = mission
    return council


def access_council_for_secretariat(user: Any, slug: str) -> Council:
    council = access_council(user, slug)
    if not is_secretariat(user, council.mission):
        raise PermissionDenied
    return council


def access_meeting(user: Any, slug: str, meeting_id: int) -> Meeting:
    council = access_council(user, slug)
    meeting = Meeting.objects.filter(council=council, pk=meeting_id).first()
    if meeting is None:
        raise Http404
    meeting.council = council
    return meeting


def access_meeting_for_secretariat(user: Any, slug: str, meeting_id: int) -> Meeting:
    meeting = access_meeting(user, slug, meeting_id)
    if not is_secretariat(user, meeting.council.mission):
        raise PermissionDenied
    return meeting


def access_paper(user: Any, paper_id: int) -> Paper:
    paper = Paper.objects.select_related("meeting__council__mission").filter(pk=paper_id).first()
    if paper is None:
        raise Http404
    access_mission_for_view(user, paper.meeting.council.mission.slug)
    return paper


def access_mission_for_assessing(user: Any, slug: str) -> Mission:
    mission = access_mission_for_view(user, slug)
    if not can_assess(user, mission):
        raise PermissionDenied
    return mission


def access_mission_for_pack(user: Any, slug: str) -> Mission:
    mission = access_mission_for_view(user, slug)
    if not can_request_pack(user, mission):
        raise PermissionDenied
    return mission


def access_pack(user: Any, slug: str, pack_id: int) -> Pack:
    mission = access_mission_for_view(user, slug)
    pack = Pack.objects.filter(mission=mission, pk=pack_id).first()
    if pack is None:
        raise Http404
    pack.mission = mission
    return pack


def access_pack_for_retry(user: Any, slug: str, pack_id: int) -> Pack:
    """The people who may request a pack may try a failed or stalled one again."""
    pack = access_pack(user, slug, pack_id)
    if not can_request_pack(user, pack.mission):
        raise PermissionDenied
    return pack


def access_pack_for_secretariat(user: Any, slug: str, pack_id: int) -> Pack:
    """Adding a pack to a meeting's papers: the secretariat, who keeps the papers."""
    pack = access_pack(user, slug, pack_id)
    if not is_secretariat(user, pack.mission):
        raise PermissionDenied
    return pack


def access_action_for_update(user: Any, slug: str, action_id: int) -> Action:
    council = access_council(user, slug)
    action = (
        Action.objects.filter(council=council, pk=action_id).select_related("owner_member").first()
    )
    if action is None:
        raise Http404
    if not can_update_action(user, action, council.mission):
        raise PermissionDenied
    action.council = council
    return action
