"""What a conversation holds about a person, and how their account's erasure leaves it.

Statements and votes belong to the public record of a conversation: on erasure they stay, counted as
before, but the participant and the statements are unlinked from the account (an anonymous
participant, as a browser without an account is).
"""

from typing import Any

from django.db.models import Q

from mobilise.core.personal_data import Rows, rows_of

from .models import Participant, Statement, Vote


def export(user: Any) -> dict[str, Rows]:
    participants = Participant.objects.filter(user=user)
    return {
        "conversations": rows_of(
            participants, "conversation_id", "conversation__question", "hidden", "created_at"
        ),
        "statements": rows_of(
            Statement.objects.filter(Q(author=user) | Q(participant__in=participants)),
            "id",
            "conversation_id",
            "conversation__question",
            "text",
            "status",
            "is_meta",
            "created_at",
        ),
        "votes": rows_of(
            Vote.objects.filter(participant__in=participants),
            "statement__conversation_id",
            "statement_id",
            "statement__text",
            "value",
            "updated_at",
        ),
    }


def erase(user: Any) -> None:
    Statement.objects.filter(author=user).update(author=None)
    Participant.objects.filter(user=user).update(user=None)
