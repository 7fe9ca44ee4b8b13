"""What a budgeting rule returns: the funded projects and, for every project, why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

__all__ = ["BudgetResult", "ProjectExplanation", "format_money"]


def format_money(amount: Fraction | int | float, currency: str = "") -> str:
    """``12,000 PLN`` or ``12,000.50 PLN``: whole units when the amount is whole, else two decimals."""
    value = Fraction(amount) if not isinstance(amount, float) else amount
    if isinstance(value, Fraction) and value.denominator == 1:
        text = f"{value.numerator:,}"
    else:
        number = float(value)
        text = f"{number:,.0f}" if abs(number - round(number)) < 0.005 else f"{number:,.2f}"
    return f"{text} {currency}".strip()


def _number(value: Fraction | int) -> int | float:
    """A JSON number: exact when whole, else the nearest float."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class ProjectExplanation:
    """Why one project was or was not funded, in figures and in a sentence a resident can read.

    ``position`` is the project's place in the selection order (1 = funded first). ``round`` is the
    round of equal shares or Phragmén that funded it; ``rank`` and ``score`` are its place and
    figure in the greedy ordering. ``effective_votes`` (MES) is the project's cost divided by the
    largest amount any one supporter paid for it: as many voters as would have paid an equal share,
    so it falls below the vote count when supporters had already spent their shares elsewhere.
    ``stage`` says which step funded it: ``"free"`` (costs nothing), ``"equal shares"``,
    ``"completion"``, ``"greedy"`` or ``"phragmen"``.
    """

    project_id: str
    name: str
    cost: Fraction
    votes: int
    selected: bool
    reason: str
    position: int | None = None
    stage: str = ""
    round: int | None = None
    rank: int | None = None
    score: float | None = None
    effective_votes: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "name": self.name,
            "cost": _number(self.cost),
            "votes": self.votes,
            "selected": self.selected,
            "position": self.position,
            "stage": self.stage or None,
            "round": self.round,
            "rank": self.rank,
            "score": self.score,
            "effective_votes": self.effective_votes,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class BudgetResult:
    """The outcome of a rule on one election.

    ``selected`` lists project ids in the order the rule funded them. ``explanations`` has an entry
    for every project, in the file's order. ``notes`` are sentences about the run as a whole (for
    example how far the add1 completion raised each voter's share).
    """

    rule: str
    settings: Mapping[str, str]
    selected: tuple[str, ...]
    total_cost: Fraction
    budget: Fraction
    currency: str
    explanations: Mapping[str, ProjectExplanation]
    notes: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def leftover(self) -> Fraction:
        return self.budget - self.total_cost

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "settings": dict(self.settings),
            "selected": list(self.selected),
            "total_cost": _number(self.total_cost),
            "budget": _number(self.budget),
            "currency": self.currency,
            "notes": list(self.notes),
            "details": {
                k: (_number(v) if isinstance(v, Fraction) else v) for k, v in self.details.items()
            },
            "projects": [e.to_dict() for e in self.explanations.values()],
        }
