"""Turn a parsed election into the arrays the rules compute on.

Each satisfaction measure gives every (voter, project) pair a utility, the same numbers pabutools'
satisfaction classes give:

``cost``         the project's cost if the voter lists it (pabutools ``Cost_Sat``);
``cardinality``  1 if the voter lists it (``Cardinality_Sat``);
``points``       the points the voter gave it, for cumulative and scoring ballots (``Additive_Cardinal_Sat``);
``borda``        for ordinal ballots, ballot length minus position minus one, so a voter's last choice
                 scores 0 (``Additive_Borda_Sat``).

Utilities are kept exactly, as integers after multiplying every one by a common ``scale``: every rule
here only compares and adds utilities, so scaling them all by one positive number changes no outcome,
and integers let NumPy add them without rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .pabulib import PBElection

Satisfaction: TypeAlias = Literal["cost", "cardinality", "points", "borda"]
SATISFACTIONS: Final[tuple[str, ...]] = ("cost", "cardinality", "points", "borda")

# Which measures make sense for which ballots (pabutools raises for the others).
_ALLOWED: Final[dict[str, tuple[str, ...]]] = {
    "approval": ("cost", "cardinality"),
    "choose-1": ("cost", "cardinality"),
    "cumulative": ("points", "cost", "cardinality"),
    "scoring": ("points", "cost", "cardinality"),
    "ordinal": ("cost", "cardinality", "borda"),
}

# Largest integer a float64 holds exactly; utilities and their sums stay below it so that the
# floating-point screen and the exact arithmetic see the same numbers.
_FLOAT_EXACT: Final = 2**53


def default_satisfaction(vote_type: str) -> Satisfaction:
    """The measure used when none is chosen: the first one listed for the ballot type.

    Approval-style ballots use cost satisfaction (equalshares.net's default, and greedy-by-votes);
    cumulative and scoring ballots use their points; ordinal ballots count every ranked project as
    approved, because pabutools' Borda measure gives a voter's last choice no weight at all.
    """
    return _ALLOWED[vote_type][0]  # type: ignore[return-value]


def check_satisfaction(satisfaction: str | None, vote_type: str) -> Satisfaction:
    if satisfaction is None:
        return default_satisfaction(vote_type)
    allowed = _ALLOWED[vote_type]
    if satisfaction not in allowed:
        raise ValueError(
            f"satisfaction {satisfaction!r} does not apply to {vote_type} ballots; use one of {', '.join(allowed)}."
        )
    return satisfaction  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class Profile:
    """An election as numbers.

    Projects keep the file's order. ``indptr``/``voters``/``util`` list, project by project, every
    voter who lists the project and the (scaled, exact) utility they get from it, zero or negative
    points included: greedy counts those, MES ignores them, as pabutools does.
    """

    project_ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    budget: Fraction
    n_voters: int
    vote_type: str
    satisfaction: Satisfaction
    scale: int
    indptr: NDArray[np.intp]
    voters: NDArray[np.intp]
    util: NDArray[np.int64]
    listed: NDArray[np.int64]

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    def supporters(self, project: int) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
        lo, hi = self.indptr[project], self.indptr[project + 1]
        return self.voters[lo:hi], self.util[lo:hi]

    def total_utility(self, project: int) -> Fraction:
        """Total satisfaction the project brings, unscaled (pabutools' ``total_satisfaction_project``)."""
        _, util = self.supporters(project)
        return Fraction(int(util.sum()), self.scale)

    def lexicographic_rank(self) -> NDArray[np.intp]:
        """Position of each project when ids are sorted as strings: pabutools' lexicographic tie-break."""
        order = sorted(range(self.n_projects), key=lambda j: self.project_ids[j])
        rank = np.empty(self.n_projects, dtype=np.intp)
        rank[order] = np.arange(self.n_projects)
        return rank


def _lcm_of_denominators(values: list[Fraction]) -> int:
    scale = 1
    for value in values:
        scale = math.lcm(scale, value.denominator)
    return scale


def build_profile(election: PBElection, satisfaction: str | None = None) -> Profile:
    """Compute the utility of every listed (voter, project) pair under ``satisfaction``."""
    sat = check_satisfaction(satisfaction, election.vote_type)
    ids = election.project_ids
    index = {pid: j for j, pid in enumerate(ids)}
    costs = tuple(p.cost for p in election.projects)
    votes = election.votes
    n_projects = len(ids)

    # Every listing, in file order, as flat arrays (vectorised: big cities have 70,000 ballots).
    lengths = np.fromiter((len(v.projects) for v in votes), dtype=np.intp, count=len(votes))
    total = int(lengths.sum())
    voter_all = np.repeat(np.arange(len(votes), dtype=np.intp), lengths)
    project_all = np.fromiter(
        (index[pid] for v in votes for pid in v.projects), dtype=np.intp, count=total
    )
    # One entry per distinct (voter, project). A project listed twice counts once, as pabutools'
    # ballot types have it: a set for approval, a dict for points (the last value wins) and an
    # insertion-ordered dict for rankings (the first position wins).
    key = voter_all * max(n_projects, 1) + project_all
    with_points = election.vote_type in ("cumulative", "scoring")
    if with_points:
        _, last_from_end = np.unique(key[::-1], return_index=True)
        keep = np.sort(total - 1 - last_from_end)
    else:
        _, keep = np.unique(key, return_index=True)
        keep = np.sort(keep)
    voter_col = voter_all[keep]
    project_col = project_all[keep]

    if sat == "cost":
        scale = _lcm_of_denominators(list(costs))
        per_project = np.asarray([int(c * scale) for c in costs], dtype=np.int64)
        scaled = per_project[project_col] if total else np.zeros(0, dtype=np.int64)
        biggest = int(per_project.max(initial=0))
    elif sat == "cardinality":
        scale = 1
        scaled = np.ones(project_col.size, dtype=np.int64)
        biggest = 1
    elif sat == "points":
        flat = [x for v in votes for x in (v.points or ())]
        if all(type(x) is int and abs(x) < _FLOAT_EXACT for x in flat):
            # The usual case, kept fast: whole numbers of points (the parser keeps them as ints).
            scale = 1
            scaled = np.asarray(flat, dtype=np.int64)[keep]
        else:
            values = [flat[k] for k in keep.tolist()]
            scale = _lcm_of_denominators(values)
            as_ints = [int(x * scale) for x in values]
            if max(map(abs, as_ints), default=0) >= _FLOAT_EXACT:
                raise ValueError(
                    "Some points are too large or too finely divided to compute with exactly."
                )
            scaled = np.asarray(as_ints, dtype=np.int64)
        biggest = int(np.abs(scaled).max(initial=0))
    else:  # borda: ballot length minus position minus one, over distinct projects
        starts = (
            np.flatnonzero(np.r_[True, voter_col[1:] != voter_col[:-1]])
            if voter_col.size
            else voter_col
        )
        counts = np.diff(np.r_[starts, voter_col.size])
        position = np.arange(voter_col.size) - np.repeat(starts, counts)
        scaled = (np.repeat(counts, counts) - position - 1).astype(np.int64)
        scale = 1
        biggest = int(counts.max(initial=0))

    n_entries = int(scaled.size)
    if biggest * max(n_entries, 1) >= _FLOAT_EXACT:
        raise ValueError(
            "The costs or points are too large or too finely divided to compute exactly "
            f"(scaled utilities reach {biggest}); round them to fewer decimal places."
        )

    order = np.argsort(project_col, kind="stable")
    indptr = np.searchsorted(project_col[order], np.arange(n_projects + 1)).astype(np.intp)
    voters = voter_col[order]
    util = scaled[order]
    listed = np.diff(indptr).astype(np.int64)
    return Profile(
        project_ids=ids,
        costs=costs,
        budget=election.budget,
        n_voters=election.num_voters,
        vote_type=election.vote_type,
        satisfaction=sat,
        scale=scale,
        indptr=indptr,
        voters=voters,
        util=util,
        listed=listed,
    )
