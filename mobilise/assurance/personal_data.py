"""What mission councils hold about a person, and how their account's erasure leaves them.

A council seat, its decisions and actions belong to the public record of the council: on erasure
they stay, but the seat, the actions and the decisions name a "Former participant" and lose every
link and contact address; notices sent to the person's address are forgotten, and the names in
stocktake pack snapshots are replaced the same way.
"""

from typing import Any

from django.db.models import Q

from mobilise.core.personal_data import FORMER_PARTICIPANT, Rows, rows_of

from .models import Action, Assessment, CouncilMember, Decision, Notice, Pack


def export(user: Any) -> dict[str, Rows]:
    seats = CouncilMember.objects.filter(user=user)
    return {
        "council_seats": rows_of(
            seats,
            "council__mission__title",
            "name",
            "email",
            "affiliation",
            "role",
            "sector",
            "term_start",
            "term_end",
        ),
        "actions": rows_of(
            Action.objects.filter(Q(owner=user) | Q(owner_member__in=seats)),
            "council__mission__title",
            "text",
            "owner_name",
            "due_date",
            "status",
        ),
        "assessments": rows_of(
            Assessment.objects.filter(assessor=user),
            "mission__title",
            "rating",
            "rationale",
            "assessed_on",
        ),
        "notices_sent": rows_of(
            Notice.objects.filter(email__iexact=user.email), "kind", "subject_key", "created_at"
        ),
    }


def _replace(value: Any, names: set[str]) -> Any:
    if isinstance(value, str):
        return FORMER_PARTICIPANT if value in names else value
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, names) for key, item in value.items()}
    return value


def erase(user: Any) -> None:
    seats = CouncilMember.objects.filter(user=user)
    names = {name for name in seats.values_list("name", flat=True) if name}
    names |= {name for name in [user.name, user.email] if name}
    Decision.objects.filter(Q(proposed_by__in=seats) | Q(proposer_name__in=names)).update(
        proposer_name=FORMER_PARTICIPANT
    )
    Action.objects.filter(
        Q(owner=user) | Q(owner_member__in=seats) | Q(owner_name__in=names)
    ).update(owner=None, owner_name=FORMER_PARTICIPANT)
    Notice.objects.filter(email__iexact=user.email).delete()
    for pack in Pack.objects.exclude(facts={}).only("pk", "facts"):
        facts = _replace(pack.facts, names)
        if facts != pack.facts:
            Pack.objects.filter(pk=pack.pk).update(facts=facts)
    seats.update(user=None, name=FORMER_PARTICIPANT, email="")
