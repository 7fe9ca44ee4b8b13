"""The pabutools call that matches each of our rules and settings, for tests and benchmarks.

pabutools is a development dependency, imported only when these functions run. The mapping here is
the one documented in ``docs/budgeting-engine.md``; :func:`same_outcome` says what "identical"
means when comparing the two.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

__all__ = ["pabutools_selection", "same_outcome"]


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
