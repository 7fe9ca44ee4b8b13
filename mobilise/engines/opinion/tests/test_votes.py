"""VoteMatrix: passes are kept, later votes win, bad input says what is wrong."""

import numpy as np
import pytest

from mobilise.engines.opinion import VoteMatrix


def test_from_votes_keeps_passes_and_sorts_ids() -> None:
    m = VoteMatrix.from_votes([7, 3, 3], [20, 10, 20], [0, 1, -1])
    assert m.participant_ids.tolist() == [3, 7]
    assert m.statement_ids.tolist() == [10, 20]
    dense = m.to_dense()
    assert dense[0].tolist() == [1, -1]
    assert dense[1, 1] == 0 and np.isnan(dense[1, 0])
    assert m.nnz == 3


def test_later_vote_wins() -> None:
    m = VoteMatrix.from_votes([1, 1, 1, 2], [5, 5, 5, 5], [1, 0, -1, 1])
    assert m.nnz == 2
    assert m.to_dense()[:, 0].tolist() == [-1, 1]


def test_from_indices_and_dense_agree() -> None:
    rng = np.random.default_rng(0)
    dense = np.where(rng.random((30, 8)) < 0.5, np.nan, rng.integers(-1, 2, size=(30, 8)))
    a = VoteMatrix.from_dense(dense)
    rows, cols = np.nonzero(~np.isnan(dense))
    b = VoteMatrix.from_indices(rows, cols, dense[rows, cols].astype(int), shape=dense.shape)
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.to_dense(), dense)


def test_explicit_ids_include_people_and_statements_without_votes() -> None:
    m = VoteMatrix.from_votes(
        ["b"], ["y"], [1], participant_ids=["a", "b"], statement_ids=["x", "y", "z"]
    )
    assert m.shape == (2, 3)
    assert m.votes_per_participant().tolist() == [0, 1]


def test_moderation_masks() -> None:
    m = VoteMatrix.from_votes([1, 2], [10, 11], [1, 1], moderated_out=[11, 99], meta=[10])
    assert m.moderated_out.tolist() == [False, True]
    assert m.meta.tolist() == [True, False]
    assert m.with_moderation(moderated_out=[10]).moderated_out.tolist() == [True, False]


def test_arrays_are_read_only() -> None:
    m = VoteMatrix.from_votes([1], [1], [1])
    with pytest.raises(ValueError):
        m.values[0] = -1


@pytest.mark.parametrize(
    "args, message",
    [
        (([1, 2], [1], [1]), "same length"),
        (([1], [1], [2]), "1 \\(agree\\), -1 \\(disagree\\) or 0 \\(pass\\); found 2"),
        (([1], [1], [np.nan]), "missing"),
        (([1.5], [1], [1]), "whole numbers"),
    ],
)
def test_bad_triplets(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VoteMatrix.from_votes(*args)


def test_unknown_id_is_named() -> None:
    with pytest.raises(ValueError, match="participant 9"):
        VoteMatrix.from_votes([9], [1], [1], participant_ids=[1, 2])


def test_bad_csr_arrays() -> None:
    with pytest.raises(ValueError, match="indptr"):
        VoteMatrix([0, 2], [0], [1], participant_ids=[1, 2], statement_ids=[1])
    with pytest.raises(ValueError, match="repeat"):
        VoteMatrix([0, 0, 0], [], [], participant_ids=[1, 1], statement_ids=[1])
    with pytest.raises(ValueError, match="outside"):
        VoteMatrix.from_indices(np.array([0]), np.array([3]), [1], shape=(1, 2))
