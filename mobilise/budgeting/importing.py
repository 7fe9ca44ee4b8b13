"""Load a closed round from a Pabulib ``.pb`` file: its projects and every ballot, as they were.

Used by the demo to show real outcomes. Project ids from the file are kept (``external_id``), so
counting breaks ties exactly as the file's own count did; voters get keys ``file:<voter id>`` and
no user. Costs keep the file's currency: they are not converted.
"""

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from mobilise.engines.budgeting import read_pb

from .models import Ballot, BallotChoice, BallotType, BudgetRound, Phase, Project, Rule

VOTE_TYPES = {"approval": BallotType.APPROVAL, "cumulative": BallotType.CUMULATIVE}


@transaction.atomic
def round_from_pabulib(
    path: str | Path,
    *,
    mission: Any,
    place: Any,
    title: str,
    description: str = "",
    source_note: str = "",
    phase: str = Phase.RESULTS,
) -> BudgetRound:
    election = read_pb(path)
    if election.vote_type not in VOTE_TYPES:
        raise ValueError(
            f"{path}: only approval and cumulative ballots can be loaded into a round."
        )
    ballot_type = VOTE_TYPES[election.vote_type]
    k = election.meta.get("max_length")
    if ballot_type == BallotType.APPROVAL and k and "max_sum_cost" not in election.meta:
        ballot_type = BallotType.K_APPROVAL
    round_ = BudgetRound.objects.create(
        mission=mission,
        place=place,
        title=title,
        description=description,
        budget=Decimal(election.meta["budget"].replace(",", ".")),
        currency=election.meta.get("currency", "GBP")[:3],
        phase=phase,
        ballot_type=ballot_type,
        max_choices=int(k) if ballot_type == BallotType.K_APPROVAL else None,
        points=int(election.meta.get("max_sum_points", 0) or 0) or None
        if ballot_type == BallotType.CUMULATIVE
        else None,
        rule=Rule.MES,
        postcode_districts="",
        allow_voter_codes=False,
        source_note=source_note,
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                round=round_,
                title=p.name[:300],
                description=p.extra.get("description", ""),
                cost=Decimal(p.cost.numerator) / Decimal(p.cost.denominator),
                status=Project.Status.FEASIBLE,
                category=p.extra.get("category", "")[:100],
                position=n,
                external_id=p.project_id,
            )
            for n, p in enumerate(election.projects, start=1)
        ]
    )
    by_id = {p.external_id: p for p in projects}
    ballots = Ballot.objects.bulk_create(
        [Ballot(round=round_, voter_key=f"file:{v.voter_id}") for v in election.votes]
    )
    choices = []
    for ballot, vote in zip(ballots, election.votes, strict=True):
        points = vote.points or [1] * len(vote.projects)
        seen: dict[str, int] = {}
        for pid, pts in zip(vote.projects, points, strict=True):
            seen[pid] = int(pts)  # a project listed twice counts once, its last points kept
        choices += [
            BallotChoice(ballot=ballot, project=by_id[pid], points=pts)
            for pid, pts in seen.items()
            if pts > 0
        ]
    BallotChoice.objects.bulk_create(choices, batch_size=5000)
    return round_
