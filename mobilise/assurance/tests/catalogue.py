"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring).

Everything a mission's council records is public whenever the mission is (accountability in the
open); writing is for the secretariat, assessors and mission leads (see ``access.py``).
"""

PUBLIC: set[str] = {
    "assurance:council",
    "assurance:meeting",
    "assurance:paper_download",
    "assurance:confidence",
    "assurance:packs",
    "assurance:pack",
    "assurance:pack_pdf",
}
SIGNED_IN: set[str] = set()
PROTECTED: set[str] = {
    "assurance:meeting_create",
    "assurance:meeting_edit",
    "assurance:agenda_edit",
    "assurance:decision_create",
    "assurance:pack_paper",
    "assurance:minutes_edit",
    "assurance:paper_add",
    "assurance:action_create",
    "assurance:action_update",
    "assurance:assess",
    "assurance:pack_create",
    "assurance:pack_retry",
}


def build(world: dict) -> dict:
    """A council whose secretariat is the world's lead (so one person opens every page), a held
    meeting with a paper, a decision and an action, an assessment and a ready pack."""
    from .factories import (
        ActionFactory,
        AssessmentFactory,
        CouncilFactory,
        CouncilMemberFactory,
        MeetingFactory,
        PaperFactory,
        ready_pack,
    )

    council = CouncilFactory(mission=world["mission"])
    CouncilMemberFactory(council=council, user=world["lead"], role="secretariat")
    meeting = MeetingFactory(council=council)
    paper = PaperFactory(meeting=meeting)
    action = ActionFactory(council=council, meeting=meeting)
    AssessmentFactory(mission=world["mission"])
    pack = ready_pack(world["mission"])
    return {
        "assurance_council": council,
        "assurance_meeting": meeting,
        "assurance_paper": paper,
        "assurance_action": action,
        "assurance_pack": pack,
    }


def url_values(world: dict) -> dict:
    return {
        "meeting_id": world["assurance_meeting"].pk,
        "paper_id": world["assurance_paper"].pk,
        "action_id": world["assurance_action"].pk,
        "pack_id": world["assurance_pack"].pk,
    }
