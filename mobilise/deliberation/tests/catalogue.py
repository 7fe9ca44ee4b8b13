"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring)."""

# Anyone may read a conversation, vote, add a statement (anonymously, with the participant
# cookie) and see the results.
PUBLIC: set[str] = {
    "deliberation:index",
    "deliberation:detail",
    "deliberation:votes_json",
    "deliberation:statement_create",
    "deliberation:results",
}
SIGNED_IN: set[str] = set()
# The mission's leads open, moderate and export conversations.
PROTECTED: set[str] = {
    "deliberation:create",
    "deliberation:moderate",
    "deliberation:export",
}


def build(world: dict) -> dict:
    """Objects this app's pages need, added to the shared world (which has place, mission, lead, …)."""
    from mobilise.deliberation import services
    from mobilise.deliberation.models import Conversation

    conversation = services.conversation_create(
        mission=world["mission"],
        created_by=world["lead"],
        question="How should we cut traffic fumes?",
        moderation=Conversation.Moderation.PRE,
        place=world["place"],
        seed_statements=[
            "Streets outside schools should close to traffic at drop-off time",
            "We need more protected cycle lanes",
        ],
    )
    # One statement waiting, so the moderation page shows its queue.
    services.statement_add(conversation=conversation, text="Plant more street trees")
    return {"conversation": conversation}


def url_values(world: dict) -> dict:
    """Values for this app's URL parameters (overriding the shared ones, e.g. ``slug``)."""
    return {"conversation_id": world["conversation"].pk}
