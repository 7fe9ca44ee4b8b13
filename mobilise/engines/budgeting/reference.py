"""The pabutools call that matches each of our rules and settings, for tests and benchmarks.

pabutools is a development dependency, imported only when these functions run. The mapping here is
the one documented in ``docs/budgeting-engine.md``; :func:`same_outcome` says what "identical"
means when comparing the two.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

__all__ = ["pabutools_mes_runs", "pabutools_selection", "same_outcome", "trimmed_mes_memo"]


@contextmanager
def trimmed_mes_memo() -> Iterator[None]:
    """Keep pabutools' MES memo to the values it can still use, without changing any result.

    Each pabutools ``MESVoter`` memoises ``budget / satisfaction`` per (project, budget) and never
    forgets an entry. With ``voter_budget_increment`` every rerun starts from a new budget, so the
    memo grows by voters × projects × reruns: on the largest Pabulib files add1 exhausts 15 GB
    before it finishes. An entry for a budget the voter no longer has is never read again, so this
    clears a voter's memo when its budget changes. The value computed is still pabutools' own
    ``frac(budget, satisfaction)``; only the memory changes.
    """
    from pabutools.rules.mes import mes_rule

    original = mes_rule.MESVoter.budget_over_sat_project

    def budget_over_sat_project(self: Any, proj: Any) -> Any:
        if getattr(self, "_memo_budget", None) != self.budget:
            self.budget_over_sat_map.clear()
            self._memo_budget = self.budget
        return original(self, proj)

    mes_rule.MESVoter.budget_over_sat_project = budget_over_sat_project  # type: ignore[method-assign]
    try:
        yield
    finally:
        mes_rule.MESVoter.budget_over_sat_project = original  # type: ignore[method-assign]


def _sat_class(satisfaction: str) -> Any:
    from pabutools.election import (
        Additive_Borda_Sat,
        Additive_Cardinal_Sat,
        Cardinality_Sat,
        Cost_Sat,
    )

    return {
        "cost": Cost_Sat,
        "cardinality": Cardinality_Sat,
        "points": Additive_Cardinal_Sat,
        "borda": Additive_Borda_Sat,
    }[satisfaction]


def pabutools_selection(
    path: str | os.PathLike[str],
    rule: str,
    *,
    satisfaction: str = "cost",
    completion: str = "none",
    increment: int | Fraction = 1,
    exhaustive_stop: bool = True,
) -> list[str]:
    """Project ids pabutools selects, in its order, for the rule and settings given.

    ``rule`` is ``greedy``, ``mes`` or ``phragmen``; ``satisfaction``, ``completion``,
    ``increment`` and ``exhaustive_stop`` mean what they mean for our rules.
    """
    from pabutools.election import parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    instance, profile = parse_pabulib(str(path))
    sat = _sat_class(satisfaction)
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule == "phragmen":
        outcome = sequential_phragmen(instance, profile)
    elif rule == "mes":
        mes_params: dict[str, Any] = {"sat_class": sat}
        mes_rule: Any = method_of_equal_shares
        if completion.startswith("add1"):
            if exhaustive_stop:
                mes_params["voter_budget_increment"] = increment
            else:
                mes_rule = exhaustion_by_budget_increase
                mes_params = {
                    "rule": method_of_equal_shares,
                    "rule_params": {"sat_class": sat},
                    "budget_step": increment * profile.num_ballots(),
                    "exhaustive_stop": False,
                }
        if completion.endswith("utilitarian"):
            outcome = completion_by_rule_combination(
                instance,
                profile,
                [mes_rule, greedy_utilitarian_welfare],
                [mes_params, {"sat_class": sat}],
            )
        else:
            outcome = mes_rule(instance, profile, **mes_params)
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return [project.name for project in outcome]


def pabutools_mes_runs(
    path: str | os.PathLike[str], shares: Sequence[Fraction], *, satisfaction: str = "cost"
) -> list[list[str]]:
    """Project ids pabutools' MES funds, in its order, when every voter starts with each share.

    Each is pabutools' ``method_of_equal_shares_scheme`` started at that share with no increment:
    the very run its add1 loop (``voter_budget_increment``) makes when it reaches that share.
    """
    from gmpy2 import mpq
    from pabutools.election import AbstractApprovalProfile, parse_pabulib
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking

    instance, profile = parse_pabulib(str(path))
    sat_profile = profile.as_sat_profile(sat_class=_sat_class(satisfaction))
    binary = isinstance(profile, AbstractApprovalProfile)
    runs = []
    for share in shares:
        outcome = method_of_equal_shares_scheme(
            instance,
            profile,
            sat_profile,
            mpq(share.numerator, share.denominator),
            BudgetAllocation(),
            lexico_tie_breaking,
            binary_sat=binary,
        )
        runs.append([project.name for project in outcome])
    return runs


def same_outcome(
    rule: str, ours: Sequence[str], theirs: Sequence[str], free: Sequence[str] = ()
) -> bool:
    """Whether two selections are the same outcome.

    Greedy and MES must match in order, except that pabutools puts MES's free projects (supported,
    costing nothing) first in an arbitrary set order; sequential Phragmén is compared as a set
    because pabutools returns it sorted.
    """
    if rule == "phragmen":
        return sorted(ours) == sorted(theirs)
    head = len(free)
    return sorted(ours[:head]) == sorted(theirs[:head]) and list(ours[head:]) == list(theirs[head:])
