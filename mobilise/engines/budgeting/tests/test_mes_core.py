"""The fast MES engine against its exact reference, and certified add1 jumps against plain stepping."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from mobilise.engines.budgeting import read_pb
from mobilise.engines.budgeting._mes_core import MESData, MESEngine, Run, add1_search, exact_run
from mobilise.engines.budgeting._profile import _ALLOWED, build_profile

from .conftest import SHIPPED, election


def _engine(path: Path, satisfaction: str | None = None) -> tuple[MESData, MESEngine]:
    data = MESData.from_profile(build_profile(read_pb(path), satisfaction))
    return data, MESEngine(data)


CASES = [(path, sat) for path in SHIPPED for sat in _ALLOWED[read_pb(path).vote_type]]


@pytest.mark.parametrize(("path", "satisfaction"), CASES, ids=lambda x: getattr(x, "name", x))
def test_float_runs_match_exact_runs(path: Path, satisfaction: str) -> None:
    data, engine = _engine(path, satisfaction)
    start = data.profile.budget / data.profile.n_voters
    betas = (start, start + 1, start * Fraction(3, 2), start * 3)
    for beta in betas if path.stat().st_size < 60_000 else betas[::2]:
        run = engine.run(beta)
        assert run.sequence == exact_run(data, beta)[0]


def _stepping(engine: MESEngine, data: MESData, exhaustive_stop: bool) -> tuple[list[int], int]:
    """add1 the slow way: every endowment in turn."""
    budget = data.profile.budget
    start = budget / data.profile.n_voters

    def cost(run: Run) -> Fraction:
        return sum((data.cost[j] for j in run.sequence), Fraction(0))

    def exhaustive(run: Run) -> bool:
        spent = cost(run)
        return all(j in run.sequence or spent + data.cost[j] > budget for j in data.eligible)

    current, k = engine.run(start), 0
    while not (exhaustive_stop and exhaustive(current)):
        following = engine.run(start + k + 1)
        if cost(following) > budget:
            break
        current, k = following, k + 1
    return current.sequence, k


# Stepping one currency unit at a time is slow (that is the point of the jumps), so only the
# smaller files are stepped through, and without the exhaustive stop only the smallest.
STEPPING = [(p, True) for p in SHIPPED if p.stat().st_size < 60_000] + [
    (p, False) for p in SHIPPED if p.stat().st_size < 4_500
]


@pytest.mark.parametrize(
    ("path", "exhaustive_stop"), STEPPING, ids=lambda x: getattr(x, "name", str(x))
)
def test_add1_jumps_match_stepping(path: Path, exhaustive_stop: bool) -> None:
    data, engine = _engine(path)
    budget = data.profile.budget

    def cost(run: Run) -> Fraction:
        return sum((data.cost[j] for j in run.sequence), Fraction(0))

    def exhaustive(run: Run) -> bool:
        spent = cost(run)
        return all(j in run.sequence or spent + data.cost[j] > budget for j in data.eligible)

    found = add1_search(
        engine,
        budget / data.profile.n_voters,
        Fraction(1),
        cost_of=cost,
        exhaustive=exhaustive if exhaustive_stop else None,
        budget=budget,
    )
    sequence, steps = _stepping(MESEngine(data), data, exhaustive_stop)
    assert (found.run.sequence, found.steps) == (sequence, steps)
    assert found.runs <= steps + 2


def test_exact_ties_with_exhausted_supporters_are_decided_exactly() -> None:
    # Y and Z tie exactly at a price of 1/20 of their cost once X's supporters are at zero; floats
    # alone would decide the tie by rounding noise.
    voters = ["X"] * 20 + ["X,Y"] * 5 + ["X,Z"] * 5 + ["Y"] * 20 + ["Z"] * 20
    e = election({"X": 30, "Y": 20, "Z": 20}, voters, budget=70)
    data = MESData.from_profile(build_profile(e))
    run = MESEngine(data).run(e.budget / e.num_voters)
    ids = [data.profile.project_ids[j] for j in run.sequence]
    assert ids == [data.profile.project_ids[j] for j in exact_run(data, e.budget / e.num_voters)[0]]
    assert run.rho_exact[0] is not None


def test_identical_voters_are_merged() -> None:
    e = election({"A": 10, "B": 10}, ["A", "A", "A,B", "B", "A,B"], budget=20)
    data = MESData.from_profile(build_profile(e))
    assert data.n_groups == 3
    # A's supporters: {A} twice and {A, B} twice, so two groups of two.
    assert [int(w) for w in data.weight_i[0]] == [2, 2]
