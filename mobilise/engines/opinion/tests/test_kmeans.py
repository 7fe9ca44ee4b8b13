"""The k-means pieces: assignment, margins, the bounded step and batched restarts."""

import numpy as np
import pytest

from mobilise.engines.opinion import _kmeans
from mobilise.engines.opinion._kmeans import (
    _batched_lloyd,
    assign,
    assign_with_margin,
    bounded_step,
    kmeans,
    kmeans_plusplus,
    lloyd,
)


def _blobs(n: int = 600, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    return centres[rng.integers(0, 3, n)] + rng.normal(size=(n, 2))


@pytest.mark.parametrize("pairs", [10**12, 0])
def test_assign_matches_brute_force_on_both_paths(
    pairs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_kmeans, "_TREE_PAIRS", pairs)
    x = _blobs()
    c = x[:7]
    labels, sq = assign(x, c)
    d2 = ((x[:, None, :] - c[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(labels, d2.argmin(axis=1))
    np.testing.assert_allclose(sq, d2.min(axis=1), atol=1e-9)


def test_margin_is_second_minus_first_distance() -> None:
    x = _blobs(200)
    c = x[:5]
    labels, margin = assign_with_margin(x, c)
    d = np.sqrt(((x[:, None, :] - c[None]) ** 2).sum(axis=2))
    d.sort(axis=1)
    np.testing.assert_allclose(margin, d[:, 1] - d[:, 0], atol=1e-9)
    np.testing.assert_array_equal(labels, assign(x, c)[0])


def test_bounded_step_equals_a_plain_lloyd_step() -> None:
    """Hamerly's bound only skips work: the result is the plain step's, exactly."""
    x_old = _blobs(2000, seed=1)
    centres = kmeans_plusplus(x_old, 20, np.ones(len(x_old)), np.random.default_rng(0))
    labels, margin = assign_with_margin(x_old, centres)
    x_new = x_old + np.random.default_rng(2).normal(scale=0.05, size=x_old.shape)
    out = bounded_step(x_new, x_old, centres, labels, margin, np.ones(len(x_new)))
    assert out is not None
    fast, bound = out
    plain = lloyd(x_new, centres, np.ones(len(x_new)), max_iter=1, tol=0.0, labels=labels)
    np.testing.assert_array_equal(fast.labels, plain.labels)
    np.testing.assert_allclose(fast.centers, plain.centers)
    # The carried margins are lower bounds on the true ones.
    _, true_margin = assign_with_margin(x_new, fast.centers)
    assert (bound <= true_margin + 1e-9).all()


def test_bounded_step_declines_when_a_centre_would_empty() -> None:
    x = _blobs(50)
    centres = np.vstack([x[:3], [[100.0, 100.0]]])
    labels, margin = assign_with_margin(x, centres)
    assert bounded_step(x, x, centres, labels, margin, np.ones(len(x))) is None


def test_batched_restarts_match_one_at_a_time() -> None:
    x = _blobs(300, seed=3)
    w = np.random.default_rng(4).integers(1, 5, len(x)).astype(float)
    starts = [kmeans_plusplus(x, 3, w, np.random.default_rng(s)) for s in range(5)]
    batched = _batched_lloyd(x, starts, w, max_iter=100, tol=0.0)
    single = [lloyd(x, s, w, max_iter=100, tol=0.0) for s in starts]
    for a, b in zip(batched, single, strict=True):
        assert a.inertia == pytest.approx(b.inertia)
        np.testing.assert_array_equal(a.labels, b.labels)


def test_kmeans_finds_the_blobs_and_never_loses_to_a_warm_start() -> None:
    x = _blobs()
    result = kmeans(x, 3, rng=np.random.default_rng(0), n_init=5, tol=0.0)
    assert len(result.centers) == 3
    # Each blob (about 200 points) is one cluster: centres near (0,0), (5,0) and (0,5).
    found = sorted(map(tuple, np.round(result.centers)))
    assert found == [(0.0, 0.0), (0.0, 5.0), (5.0, 0.0)]
    bad_start = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1]])
    warm = kmeans(x, 3, rng=np.random.default_rng(0), n_init=5, tol=0.0, init=bad_start)
    assert warm.inertia <= result.inertia + 1e-9


def test_kmeans_plusplus_stops_at_the_number_of_distinct_points() -> None:
    x = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    centres = kmeans_plusplus(x, 3, np.ones(3), np.random.default_rng(0))
    assert len(centres) == 2
