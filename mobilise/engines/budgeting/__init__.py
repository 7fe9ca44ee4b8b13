"""Participatory budgeting: read Pabulib ``.pb`` files and decide which projects to fund.

Rules, each a scikit-learn-style estimator (``Rule(**settings).fit(election)``), give the same
outcomes as pabutools for the same settings (see ``docs/budgeting-engine.md``):

* :class:`GreedyUtilitarian` — fund the best-ranked projects while they fit (by votes, by default);
* :class:`MethodOfEqualShares` — the Method of Equal Shares, with the ``add1`` and ``utilitarian``
  completions;
* :class:`SequentialPhragmen` — sequential Phragmén.

Every fitted rule has ``selected_`` (ids in funding order), ``total_cost_``, ``budget_``,
``explanations_`` (a sentence and figures per project) and ``result_`` (:class:`BudgetResult`).

>>> from mobilise.engines.budgeting import read_pb, MethodOfEqualShares
>>> election = read_pb("Poland_Swiecie_2023.pb")                       # doctest: +SKIP
>>> MethodOfEqualShares(completion="add1").fit(election).selected_      # doctest: +SKIP
"""

from typing import Any

from ._base import BudgetRule
from ._profile import SATISFACTIONS, default_satisfaction
from .greedy import GreedyUtilitarian
from .mes import COMPLETIONS, MethodOfEqualShares
from .pabulib import (
    VOTE_TYPES,
    PBElection,
    PBFormatError,
    PBProject,
    PBVote,
    format_pb,
    parse_pb,
    read_pb,
    write_pb,
)
from .phragmen import SequentialPhragmen
from .results import BudgetResult, ProjectExplanation

__all__ = [
    "COMPLETIONS",
    "RULES",
    "SATISFACTIONS",
    "VOTE_TYPES",
    "BudgetResult",
    "BudgetRule",
    "PBFormatError",
    "GreedyUtilitarian",
    "MethodOfEqualShares",
    "PBElection",
    "PBProject",
    "PBVote",
    "ProjectExplanation",
    "SequentialPhragmen",
    "default_satisfaction",
    "format_pb",
    "make_rule",
    "parse_pb",
    "read_pb",
    "write_pb",
]

RULES: dict[str, type[BudgetRule]] = {
    "greedy": GreedyUtilitarian,
    "mes": MethodOfEqualShares,
    "phragmen": SequentialPhragmen,
}


def make_rule(name: str, **settings: Any) -> BudgetRule:
    """The rule called ``name`` (``greedy``, ``mes`` or ``phragmen``) with the given settings."""
    if name not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}; got {name!r}.")
    return RULES[name](**settings)
