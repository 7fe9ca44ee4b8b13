"""Typed results of an opinion analysis, keyed by the conversation's own ids."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._stats import ConsensusStatement, RepresentativeStatement

__all__ = [
    "NOT_ENOUGH_DISAGREEMENT",
    "ConsensusStatement",
    "GroupVotes",
    "OpinionResult",
    "RepresentativeStatement",
]

# Why a result has no opinion groups although people voted (``OpinionResult.no_groups_reason``).
NOT_ENOUGH_DISAGREEMENT = "not enough disagreement to form groups"


@dataclass(frozen=True)
class GroupVotes:
    """Vote counts per opinion group and statement, arrays of shape (groups, statements).

    Only participants in a group count (Pol.is's ``group-votes``); ``seen`` includes passes.
    """

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    seen: NDArray[np.int64]

    @property
    def passes(self) -> NDArray[np.int64]:
        return self.seen - self.agree - self.disagree


@dataclass(frozen=True)
class OpinionResult:
    """Everything one analysis produced, with participants and statements named by their ids.

    Arrays are aligned with ``participant_ids`` (rows) or ``statement_ids`` (columns).
    ``labels`` is the opinion group of each participant, -1 for those not clustered (too few
    votes, see ``in_conv``). In ``repness`` and ``consensus`` the ``statement`` field of every
    entry is a statement id. ``no_groups_reason`` is empty when groups could be looked for, and
    starts with ``NOT_ENOUGH_DISAGREEMENT`` when the votes cannot split people (everyone voted
    alike, fewer than two statements or two participants): then there are no groups, and the
    consensus is still reported.
    """

    participant_ids: NDArray[Any]
    statement_ids: NDArray[Any]
    in_conv: NDArray[np.bool_]
    projection: NDArray[np.float64]
    labels: NDArray[np.intp]
    n_groups: int
    group_centers: NDArray[np.float64]
    components: NDArray[np.float64]
    center: NDArray[np.float64]
    statement_projection: NDArray[np.float64]
    statement_extremity: NDArray[np.float64]
    silhouettes: dict[int, float]
    group_votes: GroupVotes
    repness: dict[int, list[RepresentativeStatement]]
    consensus_agree: list[ConsensusStatement]
    consensus_disagree: list[ConsensusStatement]
    group_aware_consensus_agree: NDArray[np.float64]
    group_aware_consensus_disagree: NDArray[np.float64]
    priority: NDArray[np.float64]
    moderated_out: NDArray[np.bool_] = field(repr=False)
    meta: NDArray[np.bool_] = field(repr=False)
    no_groups_reason: str = ""

    def groups(self) -> dict[Hashable, int]:
        """Opinion group of every clustered participant, by participant id."""
        idx = np.flatnonzero(self.labels >= 0)
        return dict(zip(_plain(self.participant_ids[idx]), self.labels[idx].tolist(), strict=True))

    def to_json_dict(self) -> dict[str, Any]:
        """The shape ``mobilise opinion analyse DIR --json`` prints.

        ``{"groups": {participant_id: group}, "repness": {group: [statement_id, ...]},
        "consensus": {"agree": [...], "disagree": [...]}, "group_aware_consensus":
        {statement_id: value}}``. JSON object keys are strings; ids inside lists keep their type.
        Group-aware consensus is the agree version, the one Pol.is reports.
        """
        sids = _plain(self.statement_ids)
        return {
            "groups": {str(k): v for k, v in self.groups().items()},
            "repness": {
                str(g): [_plain_one(s.statement) for s in stmts]
                for g, stmts in self.repness.items()
            },
            "consensus": {
                "agree": [_plain_one(s.statement) for s in self.consensus_agree],
                "disagree": [_plain_one(s.statement) for s in self.consensus_disagree],
            },
            "group_aware_consensus": {
                str(sid): float(v)
                for sid, v in zip(sids, self.group_aware_consensus_agree.tolist(), strict=True)
            },
        }


def _plain_one(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _plain(ids: NDArray[Any]) -> list[Any]:
    return [_plain_one(v) for v in ids.tolist()]
