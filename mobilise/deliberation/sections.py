"""Conversations on mission and place pages, and their evidence for stocktakes (see apps.py)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mobilise.core.sections import Evidence

from . import access, selectors
from .models import Conversation, Participant, Statement, Vote


def mission_section(request: HttpRequest, mission: Any) -> str | None:
    conversations = selectors.mission_conversations(mission)
    can_open = access.can_edit_mission(request.user, mission)
    if not conversations and not can_open:
        return None
    return render_to_string(
        "deliberation/_mission_section.html",
        {"mission": mission, "conversations": conversations, "can_open": can_open},
        request=request,
    )


def place_section(request: HttpRequest, place: Any) -> str | None:
    conversations = selectors.place_conversations(place)
    if not conversations:
        return None
    return render_to_string(
        "deliberation/_place_section.html",
        {"place": place, "conversations": conversations},
        request=request,
    )


def mission_evidence(mission: Any, since: Any = None) -> Evidence | None:
    """Participation in the mission's conversations: who took part, and what they agree on."""
    conversations = list(Conversation.objects.filter(mission=mission).order_by("-created_at"))
    if not conversations:
        return None
    votes = Vote.objects.filter(statement__conversation__mission=mission, participant__hidden=False)
    participants = Participant.objects.filter(conversation__mission=mission, hidden=False)
    statements = Statement.objects.filter(
        conversation__mission=mission, status=Statement.Status.ACCEPTED
    )
    if since is not None:
        votes = votes.filter(updated_at__date__gte=since)
        participants = participants.filter(votes__updated_at__date__gte=since)
        statements = statements.filter(created_at__date__gte=since)
    participants = participants.filter(votes__isnull=False).distinct()
    figures = [
        (_("Conversations"), str(len(conversations))),
        (_("People taking part"), f"{participants.count():,}"),
        (_("Votes"), f"{votes.count():,}"),
        (_("Statements"), f"{statements.count():,}"),
    ]
    highlights = []
    groups = []
    for conversation in conversations:
        found = selectors.results(conversation)
        if found.groups:
            groups.append(len(found.groups))
        for item in (found.common_ground + found.consensus_agree)[:2]:
            highlights.append(
                _("%(share)s%% agree: “%(text)s” (%(question)s)")
                % {"share": item["share"], "text": item["text"], "question": conversation.question}
            )
    if groups:
        figures.append((_("Opinion groups found"), ", ".join(str(g) for g in groups)))
    return Evidence(
        key="deliberation",
        title=_("Conversations"),
        figures=figures,
        highlights=highlights[:5],
        link=reverse("deliberation:results", args=[conversations[0].pk])
        if len(conversations) == 1
        else reverse("deliberation:index"),
    )
