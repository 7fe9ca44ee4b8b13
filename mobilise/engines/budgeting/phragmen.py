"""Sequential Phragmén for participatory budgeting (pabutools ``sequential_phragmen``).

Voters earn virtual money continuously, all at the same rate, starting from nothing. As soon as the
supporters of some project have earned its cost between them (counting what they have already spent
on projects funded earlier, their *load*), it is funded and its supporters' loads are evened out.
Concretely, each round funds the project whose supporters would end with the smallest common load,
``(their current loads + cost) / number of supporters``; ties go to the lower id as a string. The rule
stops the first time a project it would fund next (or one tied with it) does not fit in what is left
of the budget. Only approval-style ballots (approval, choose-1) apply.

Loads are exact rationals: every supporter of a funded project ends on the same load, so a voter's
load is the load of the last funded project they supported, and sums of loads reduce to a few
counts times a few exact numbers. Floats only screen which projects could be cheapest.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final, Self

import numpy as np

from ._base import BudgetRule, check_election, money, plural, unexplained, vote_counts
from ._mes_core import MESData
from ._profile import build_profile
from .pabulib import PBElection
from .results import BudgetResult, ProjectExplanation

__all__ = ["SequentialPhragmen"]

_REL: Final = 1e-9


def phragmen_sequence(
    data: MESData,
) -> tuple[list[int], list[Fraction], int | None, list[int]]:
    """Run the rule: funded projects in order, their loads, the round it stopped in (``None`` if it
    ran out of projects) and the projects it would have funded next (whose cost did not fit)."""
    profile = data.profile
    budget = profile.budget
    n_groups = data.n_groups
    loads = np.zeros(n_groups)
    last = np.full(n_groups, -1, dtype=np.intp)  # round whose load each voter group carries
    exact_loads: list[Fraction] = []
    remaining = [j for j in range(profile.n_projects) if profile.costs[j] <= budget]
    spent = Fraction(0)
    sequence: list[int] = []
    scores = [int(w.sum()) for w in data.weight_i]

    def exact_load(j: int) -> Fraction:
        groups = data.supporters[j]
        carried = np.bincount(
            last[groups] + 1, weights=data.weight_f[j], minlength=len(exact_loads) + 1
        )
        total = sum(
            (exact_loads[t - 1] * round(carried[t]) for t in np.flatnonzero(carried[1:]) + 1),
            Fraction(0),
        )
        return (total + profile.costs[j]) / scores[j]

    while remaining:
        floats = np.array(
            [
                (float(np.dot(loads.take(data.supporters[j]), data.weight_f[j])) + data.cost_f[j])
                / scores[j]
                if scores[j]
                else np.inf
                for j in remaining
            ]
        )
        lowest = float(floats.min())
        if np.isinf(lowest):
            tied = [j for j in remaining if scores[j] == 0]
            best: Fraction | None = None
        else:
            near = [
                j for j, x in zip(remaining, floats, strict=True) if x <= lowest * (1 + 2 * _REL)
            ]
            exact = {j: exact_load(j) for j in near}
            best = min(exact.values())
            tied = [j for j in near if exact[j] == best]
        if any(spent + profile.costs[j] > budget for j in tied):
            return sequence, exact_loads, len(sequence) + 1, tied
        winner = min(tied, key=lambda j: data.rank[j])
        sequence.append(winner)
        remaining.remove(winner)
        spent += profile.costs[winner]
        if best is not None:
            exact_loads.append(best)
            groups = data.supporters[winner]
            loads[groups] = float(best)
            last[groups] = len(exact_loads) - 1
        else:
            exact_loads.append(Fraction(0))
    return sequence, exact_loads, None, []


class SequentialPhragmen(BudgetRule):
    """Sequential Phragmén for approval (and choose-1) ballots; no hyperparameters.

    Attributes (after ``fit``): see :class:`BudgetRule`; each funded project's explanation gives the
    round that funded it and its supporters' common load afterwards.
    """

    rule_name = "phragmen"

    def fit(self, election: PBElection) -> Self:
        election = check_election(election)
        if election.vote_type not in ("approval", "choose-1"):
            raise ValueError(
                f"Sequential Phragmén needs approval or choose-1 ballots; this election has "
                f"{election.vote_type} ballots. Use the greedy rule or the Method of Equal Shares."
            )
        profile = build_profile(election, "cardinality")
        data = MESData.from_profile(profile)
        sequence, loads, stop_round, blocked = phragmen_sequence(data)
        votes = vote_counts(profile)
        explanations = unexplained(election)
        position = {j: k for k, j in enumerate(sequence)}
        spent = sum((profile.costs[j] for j in sequence), Fraction(0))
        blocked_names = ", ".join(profile.project_ids[j] for j in blocked)
        for j, project in enumerate(election.projects):
            pid = project.project_id
            n = votes[pid]
            cost = money(project.cost, election)
            round_no: int | None = None
            if j in position:
                round_no = position[j] + 1
                if n:
                    reason = (
                        f"Funded in round {round_no}: its {plural(n, 'supporter')} had earned its cost of "
                        f"{cost} between them, leaving each with a load of "
                        f"{money(loads[position[j]], election)} (the money each has put into funded "
                        "projects), lower than any other project would have left."
                    )
                else:
                    reason = (
                        f"Funded in round {round_no}: nobody voted for it, but it still fitted once "
                        "every supported project had been dealt with."
                    )
            elif project.cost > election.budget:
                reason = f"Not funded: its cost of {cost} is more than the whole budget."
            elif j in blocked:
                reason = (
                    f"Not funded: it was next in line in round {stop_round}, but its cost of {cost} did "
                    f"not fit in the {money(election.budget - spent, election)} left, so the rule stopped."
                )
            elif stop_round is not None:
                reason = (
                    f"Not funded: the rule stopped in round {stop_round}, before this project's turn, "
                    f"because the next project ({blocked_names}) did not fit in the "
                    f"{money(election.budget - spent, election)} left."
                )
            else:
                reason = "Not funded."  # pragma: no cover - the rule only ends early by stopping
            if not n and j not in position:
                reason = reason.replace("Not funded:", "Not funded (nobody voted for it):", 1)
            explanations[pid] = ProjectExplanation(
                project_id=pid,
                name=project.name,
                cost=project.cost,
                votes=n,
                selected=j in position,
                reason=reason,
                position=position[j] + 1 if j in position else None,
                stage="phragmen" if j in position else "",
                round=round_no,
            )
        self._store(
            BudgetResult(
                rule=self.rule_name,
                settings={},
                selected=tuple(profile.project_ids[j] for j in sequence),
                total_cost=spent,
                budget=election.budget,
                currency=election.meta.get("currency", ""),
                explanations=explanations,
                details={"stopped_in_round": stop_round},
            )
        )
        return self
