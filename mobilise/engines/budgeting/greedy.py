"""Greedy utilitarian budgeting: fund projects in order of satisfaction per unit of cost while they fit.

This is pabutools' ``greedy_utilitarian_welfare``. With ``satisfaction="cost"`` a project's
satisfaction per unit of cost is simply its number of votes, so this is the rule most cities use:
fund the most-voted projects, skipping any that no longer fit. With ``"cardinality"`` projects are
ranked by votes per unit of cost; with ``"points"`` by points per unit of cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Self

from ._base import BudgetRule, check_election, money, ordinal, plural, unexplained, vote_counts
from ._profile import Profile, build_profile, check_satisfaction
from .pabulib import PBElection
from .results import BudgetResult, ProjectExplanation

__all__ = ["GreedyUtilitarian"]

_CRITERION = {
    "cost": "number of votes",
    "cardinality": "votes per unit of cost",
    "points": "points per unit of cost",
    "borda": "Borda score per unit of cost",
}


@dataclass(frozen=True)
class GreedyStep:
    """One project's turn in the greedy order."""

    project: int
    rank: int  # 1-based place in the order
    score: float  # what it was ranked by (votes, votes per unit of cost …)
    available: Fraction  # money left when its turn came
    taken: bool


def greedy_order(profile: Profile) -> list[tuple[int, float]]:
    """All projects, best first, with the score each is ranked by.

    Satisfaction per unit of cost, exactly; free projects with any satisfaction come first; ties go to
    the lower project id as a string (pabutools' lexicographic tie-breaking). pabutools computes
    Borda satisfaction with its general (non-additive) greedy, which puts every free project first
    even without support; that is followed here so the order matches too.
    """
    keyed: list[tuple[tuple[int, Fraction, str], int, float]] = []
    for j in range(profile.n_projects):
        total = Fraction(int(profile.supporters(j)[1].sum()), profile.scale)
        cost = profile.costs[j]
        if cost == 0 and (total > 0 or profile.satisfaction == "borda"):
            key, score = (0, Fraction(0), profile.project_ids[j]), float("inf")
        elif total > 0:
            density = total / cost
            key, score = (1, -density, profile.project_ids[j]), float(density)
        else:
            key, score = (1, Fraction(0), profile.project_ids[j]), 0.0
        keyed.append((key, j, score))
    keyed.sort()
    return [(j, score) for _, j, score in keyed]


def greedy_fill(
    profile: Profile, taken: list[int], order: list[tuple[int, float]] | None = None
) -> list[GreedyStep]:
    """Go down the greedy order adding every project that still fits, after ``taken``."""
    order = greedy_order(profile) if order is None else order
    already = set(taken)
    left = profile.budget - sum((profile.costs[j] for j in taken), Fraction(0))
    steps: list[GreedyStep] = []
    rank = 0
    for j, score in order:
        if j in already:
            continue
        rank += 1
        fits = profile.costs[j] <= left
        steps.append(GreedyStep(j, rank, score, left, fits))
        if fits:
            left -= profile.costs[j]
    return steps


def describe_score(satisfaction: str, score: float, votes: int) -> str:
    if satisfaction == "cost":
        return plural(votes, "vote")
    if score == float("inf"):
        return "it costs nothing"
    return f"{score:.3g} {_CRITERION[satisfaction].split(' per ')[0]} per unit of cost"


class GreedyUtilitarian(BudgetRule):
    """Fund projects in order of satisfaction per unit of cost, skipping those that do not fit.

    Parameters
    ----------
    satisfaction : {"cost", "cardinality", "points", "borda"} or None
        How a voter's satisfaction is measured (see :mod:`._profile`); ``None`` picks the default for
        the ballot type (``"cost"``, that is ranking by votes, for approval ballots).

    Attributes (after ``fit``): see :class:`BudgetRule`; each explanation gives the project's
    ``rank`` and ``score`` in the greedy order and whether it fitted when its turn came.
    """

    rule_name = "greedy"

    def __init__(self, *, satisfaction: str | None = None) -> None:
        self.satisfaction = satisfaction

    def fit(self, election: PBElection) -> Self:
        election = check_election(election)
        satisfaction = check_satisfaction(self.satisfaction, election.vote_type)
        profile = build_profile(election, satisfaction)
        steps = greedy_fill(profile, [])
        votes = vote_counts(profile)
        explanations = unexplained(election)
        criterion = _CRITERION[satisfaction]
        selected: list[str] = []
        n = len(steps)
        for step in steps:
            project = election.projects[step.project]
            pid = project.project_id
            ranked = (
                f"ranked {ordinal(step.rank)} of {n} by {criterion} "
                f"({describe_score(satisfaction, step.score, votes[pid])})"
            )
            if step.taken:
                selected.append(pid)
                reason = (
                    f"Funded: {ranked}; its cost of {money(project.cost, election)} fitted in the "
                    f"{money(step.available, election)} still available."
                )
            else:
                reason = (
                    f"Not funded: {ranked}; when its turn came only {money(step.available, election)} "
                    f"was left, less than its cost of {money(project.cost, election)}."
                )
            explanations[pid] = ProjectExplanation(
                project_id=pid,
                name=project.name,
                cost=project.cost,
                votes=votes[pid],
                selected=step.taken,
                reason=reason,
                position=len(selected) if step.taken else None,
                stage="greedy" if step.taken else "",
                rank=step.rank,
                score=step.score,
            )
        total = sum((election.project(pid).cost for pid in selected), Fraction(0))
        self._store(
            BudgetResult(
                rule=self.rule_name,
                settings={"satisfaction": satisfaction},
                selected=tuple(selected),
                total_cost=total,
                budget=election.budget,
                currency=election.meta.get("currency", ""),
                explanations=explanations,
            )
        )
        return self
