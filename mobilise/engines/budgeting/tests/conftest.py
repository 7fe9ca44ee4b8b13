"""Shared helpers for the budgeting-engine tests: the shipped sample files and tiny hand-made elections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from mobilise.engines.budgeting import PBElection, parse_pb

DATA = Path(__file__).resolve().parents[3] / "data" / "pabulib"
SHIPPED = sorted(DATA.glob("*.pb"))


def make_pb(
    costs: Mapping[str, int | str],
    votes: Iterable[str],
    *,
    budget: int | str,
    vote_type: str = "approval",
    points: Iterable[str] | None = None,
    currency: str = "GBP",
) -> str:
    """The text of a small ``.pb`` file: ``votes`` are comma-separated project ids, one per voter."""
    lines = [
        "META",
        "key;value",
        "description;test election",
        "country;UK",
        "unit;Testshire",
        "instance;2025",
        f"num_projects;{len(costs)}",
        f"budget;{budget}",
        f"vote_type;{vote_type}",
        "rule;greedy",
        f"currency;{currency}",
        "PROJECTS",
        "project_id;cost;name",
    ]
    lines += [f"{pid};{cost};Project {pid}" for pid, cost in costs.items()]
    lines.append("VOTES")
    votes = list(votes)
    if points is None:
        lines.append("voter_id;vote")
        lines += [f"v{k};{vote}" for k, vote in enumerate(votes, 1)]
    else:
        lines.append("voter_id;vote;points")
        lines += [
            f"v{k};{vote};{p}" for k, (vote, p) in enumerate(zip(votes, points, strict=True), 1)
        ]
    return "\n".join(lines) + "\n"


def election(*args: object, **kwargs: object) -> PBElection:
    return parse_pb(make_pb(*args, **kwargs))  # type: ignore[arg-type]


@pytest.fixture
def four_voters() -> PBElection:
    """Budget 100, four voters (a share of 25 each). A costs 60 (3 votes), B 40 (2), C 30 (1).

    MES funds A (each supporter pays 20); then B's supporters have 5 + 25 = 30 < 40 and C's 25 < 30.
    """
    return election({"A": 60, "B": 40, "C": 30}, ["A", "A", "A,B", "B,C"], budget=100)
