"""Shared helpers: small planted conversations and the shipped Pol.is samples."""

from pathlib import Path

import numpy as np
import pytest

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "polis"


def planted_votes(
    n: int = 400, m: int = 40, groups: int = 3, density: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(participants, statements, votes, planted group) for a conversation with clear groups.

    Each group agrees with a statement with probability 0.9 or 0.1 (a random pattern per
    group), passes 10% of the time, and each participant sees each statement with
    probability ``density``. Participant ids are 1000 + row, statement ids 0..m-1.
    """
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, size=n)
    pattern = np.where(rng.random((groups, m)) < 0.5, 0.9, 0.1)
    seen = rng.random((n, m)) < density
    rows, cols = np.nonzero(seen)
    agree = rng.random(len(rows)) < pattern[group[rows], cols]
    vote = np.where(rng.random(len(rows)) < 0.1, 0, np.where(agree, 1, -1))
    return rows + 1000, cols, vote, group


@pytest.fixture
def samples() -> Path:
    return SAMPLES
