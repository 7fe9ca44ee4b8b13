"""What budget rounds hold about a person, and how their account's erasure leaves them.

Ballots belong to the public record of a round (they fund projects): on erasure they stay, with
their choices, but lose every link to the account — the user, and the ``user:<id>`` voter key, which
becomes a random key nobody can trace back (it still keeps the ballot unique in its round).
"""

import secrets
from typing import Any

from django.db.models import Q

from mobilise.core.personal_data import Rows, rows_of

from .models import Ballot, BallotChoice, DeliverySubscription, Project, VoterCode


def _ballots(user: Any):  # type: ignore[no-untyped-def]
    return Ballot.objects.filter(Q(user=user) | Q(voter_key=f"user:{user.pk}"))


def export(user: Any) -> dict[str, Rows]:
    ballots = _ballots(user)
    return {
        "ballots": rows_of(
            ballots,
            "id",
            "round_id",
            "round__title",
            "postcode_district",
            "created_at",
            "updated_at",
        ),
        "ballot_choices": rows_of(
            BallotChoice.objects.filter(ballot__in=ballots),
            "ballot_id",
            "project_id",
            "project__title",
            "points",
        ),
        "projects_proposed": rows_of(
            Project.objects.filter(proposer=user),
            "id",
            "round__title",
            "title",
            "description",
            "status",
            "created_at",
        ),
        "voter_codes_used": rows_of(
            VoterCode.objects.filter(used_by=user), "round_id", "round__title", "used_at"
        ),
        "delivery_subscriptions": rows_of(
            DeliverySubscription.objects.filter(user=user),
            "item__project__title",
            "created_at",
        ),
    }


def erase(user: Any) -> None:
    for ballot_id in _ballots(user).values_list("pk", flat=True):
        Ballot.objects.filter(pk=ballot_id).update(
            user=None, voter_key=f"erased:{secrets.token_hex(16)}"
        )
    DeliverySubscription.objects.filter(user=user).delete()
    # Projects, codes and round changes keep their rows; their user links empty on deletion.
