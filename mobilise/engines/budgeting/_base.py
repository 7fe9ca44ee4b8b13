"""What every budgeting rule shares: fitted-attribute handling, input checks and wording."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, ClassVar

from mobilise.engines._validation import NotFittedError

from ._profile import Profile
from .pabulib import PBElection
from .results import BudgetResult, ProjectExplanation, format_money


class BudgetRule:
    """Base class: ``fit(election)`` sets ``result_`` and the shortcuts below, then returns ``self``.

    Attributes (after ``fit``)
    --------------------------
    selected_ : tuple[str, ...]
        Funded project ids, in the order the rule funded them.
    total_cost_ : Fraction
        What the funded projects cost together.
    budget_ : Fraction
        The election's budget.
    explanations_ : Mapping[str, ProjectExplanation]
        One explanation per project, in the file's order.
    result_ : BudgetResult
        All of the above in one object, plus the settings used and notes about the run.
    """

    rule_name: ClassVar[str] = ""

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a learned attribute read before fit().
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(name)

    def get_params(self) -> dict[str, Any]:
        return {
            k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")
        }

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def _store(self, result: BudgetResult) -> None:
        self.result_ = result
        self.selected_ = result.selected
        self.total_cost_ = result.total_cost
        self.budget_ = result.budget
        self.explanations_ = result.explanations


def check_election(election: object) -> PBElection:
    if not isinstance(election, PBElection):
        raise ValueError(
            f"fit() needs a PBElection (from read_pb or parse_pb), got {type(election).__name__}."
        )
    return election


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th`` …"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def money(amount: Fraction | int | float, election: PBElection) -> str:
    return format_money(amount, election.meta.get("currency", ""))


def unexplained(election: PBElection) -> dict[str, ProjectExplanation]:
    """Placeholder explanations in file order, to be replaced project by project."""
    return {
        p.project_id: ProjectExplanation(p.project_id, p.name, p.cost, 0, False, "")
        for p in election.projects
    }


def vote_counts(profile: Profile) -> dict[str, int]:
    """How many ballots list each project (a project listed twice on one ballot counts once)."""
    return {pid: int(n) for pid, n in zip(profile.project_ids, profile.listed, strict=True)}


def total_cost(election: PBElection, ids: tuple[str, ...] | list[str]) -> Fraction:
    costs = {p.project_id: p.cost for p in election.projects}
    return sum((costs[i] for i in ids), Fraction(0))
