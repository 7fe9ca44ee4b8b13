"""From a round's ballots to the engine's election, and from the engine's result to what we keep.

Ballots become a Pabulib election (``PBElection``) with anonymous voter ids: voters are numbered
1, 2, 3 … in the order of their choices (not of when they voted), so the published file cannot be
matched to the time someone voted, and nothing else about the voter is written.
"""

from fractions import Fraction
from typing import Any

from mobilise.engines.budgeting import (
    BudgetResult,
    PBElection,
    PBProject,
    PBVote,
    format_pb,
    make_rule,
)

from .models import Ballot, BallotChoice, BallotType, BudgetRound, Project, Rule

VOTE_TYPE = {
    BallotType.APPROVAL: "approval",
    BallotType.K_APPROVAL: "approval",
    BallotType.CUMULATIVE: "cumulative",
}


def ballot_projects(round_: BudgetRound) -> list[Project]:
    """The projects on the ballot, in ballot order."""
    return list(round_.projects.filter(status=Project.Status.FEASIBLE).order_by("position", "pk"))


def _meta(round_: BudgetRound, projects: list[Project], num_votes: int) -> dict[str, str]:
    meta = {
        "description": round_.title,
        "country": "United Kingdom" if round_.currency == "GBP" else "",
        "unit": round_.place.name,
        "instance": str(round_.created_at.year),
        "num_projects": str(len(projects)),
        "num_votes": str(num_votes),
        "budget": _number(round_.budget),
        "vote_type": VOTE_TYPE[BallotType(round_.ballot_type)],
        "rule": "equalshares/add1" if round_.rule == Rule.MES else "greedy",
        "currency": round_.currency,
    }
    if round_.ballot_type == BallotType.APPROVAL:
        meta["max_sum_cost"] = _number(round_.budget)
    elif round_.ballot_type == BallotType.K_APPROVAL:
        meta["max_length"] = str(round_.max_choices)
    else:
        meta["max_sum_points"] = str(round_.points)
    return {key: value for key, value in meta.items() if value}


def _number(value: Any) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def build_election(round_: BudgetRound) -> PBElection:
    """Every ballot cast in the round, anonymised, as an election the engine can count."""
    projects = ballot_projects(round_)
    ids = {p.pk: p.pb_id for p in projects}
    choices: dict[int, list[tuple[str, int]]] = {}
    rows = BallotChoice.objects.filter(ballot__round=round_, project_id__in=ids).values_list(
        "ballot_id", "project_id", "points"
    )
    for ballot_id, project_id, points in rows.order_by(
        "ballot_id", "project__position", "project_id"
    ):
        choices.setdefault(ballot_id, []).append((ids[project_id], points))
    # Empty ballots count too: under equal shares they hold a share of the budget.
    for ballot_id in Ballot.objects.filter(round=round_).values_list("pk", flat=True):
        choices.setdefault(ballot_id, [])
    cumulative = round_.ballot_type == BallotType.CUMULATIVE
    ordered = sorted(choices.values())
    votes = tuple(
        PBVote(
            voter_id=str(n),
            projects=tuple(pid for pid, _ in ballot),
            points=tuple(points for _, points in ballot) if cumulative else None,
        )
        for n, ballot in enumerate(ordered, start=1)
    )
    pb_projects = tuple(
        PBProject(
            project_id=p.pb_id,
            cost=Fraction(p.cost),
            extra={"name": p.title, **({"category": p.category} if p.category else {})},
        )
        for p in projects
    )
    return PBElection(meta=_meta(round_, projects, len(votes)), projects=pb_projects, votes=votes)


def anonymised_pb(round_: BudgetRound) -> str:
    return format_pb(build_election(round_))


def count(
    round_: BudgetRound, election: PBElection | None = None
) -> tuple[BudgetResult, BudgetResult]:
    """The round's own rule, and greedy by votes beside it for comparison."""
    election = election or build_election(round_)
    if round_.rule == Rule.MES:
        chosen = make_rule("mes", completion=round_.completion).fit(election).result_
    else:
        chosen = make_rule("greedy").fit(election).result_
    greedy = chosen if round_.rule == Rule.GREEDY else make_rule("greedy").fit(election).result_
    return chosen, greedy
