"""OpinionEngine: conventions, the in-conversation rule, the map, determinism and updates."""

import numpy as np
import pytest

from mobilise.engines._validation import NotFittedError
from mobilise.engines.opinion import (
    NOT_ENOUGH_DISAGREEMENT,
    OpinionEngine,
    OpinionResult,
    VoteMatrix,
    adjusted_rand_index,
)

from .conftest import planted_votes


def _matrix(seed: int = 0, **kw: float) -> VoteMatrix:
    p, s, v, _ = planted_votes(seed=seed, **kw)  # type: ignore[arg-type]
    return VoteMatrix.from_votes(p, s, v)


# ---- conventions ------------------------------------------------------------------------------
def test_init_stores_hyperparameters_only() -> None:
    engine = OpinionEngine(random_state=3, base_k=50)
    assert engine.random_state == 3 and engine.base_k == 50
    assert not hasattr(engine, "labels_")


def test_fit_returns_self() -> None:
    engine = OpinionEngine(random_state=0)
    assert engine.fit(_matrix()) is engine


def test_reading_results_before_fit_raises_not_fitted() -> None:
    engine = OpinionEngine()
    for name in ("labels_", "projection_", "repness_", "result_", "in_conv_", "priority_"):
        with pytest.raises(NotFittedError, match="fit"):
            getattr(engine, name)
    with pytest.raises(AttributeError):
        engine.no_such_thing  # noqa: B018


def test_result_object_is_typed_and_keyed_by_ids() -> None:
    engine = OpinionEngine(random_state=0).fit(_matrix())
    result = engine.result_
    assert isinstance(result, OpinionResult)
    groups = result.groups()
    assert set(groups) == set(result.participant_ids[result.labels >= 0].tolist())
    assert all(pid >= 1000 for pid in groups)
    assert result.projection.shape == (len(result.participant_ids), 2)
    assert result.statement_projection.shape == (len(result.statement_ids), 2)
    assert set(result.repness) == set(range(result.n_groups))
    for statements in result.repness.values():
        assert 1 <= len(statements) <= 5
        assert all(s.statement in set(result.statement_ids.tolist()) for s in statements)


def test_same_seed_same_result() -> None:
    matrix = _matrix(seed=4)
    a = OpinionEngine(random_state=11).fit(matrix)
    b = OpinionEngine(random_state=11).fit(matrix)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.projection_, b.projection_)
    np.testing.assert_array_equal(a.priority_, b.priority_)
    assert a.result_.to_json_dict() == b.result_.to_json_dict()


def test_finds_planted_groups() -> None:
    p, s, v, planted = planted_votes(n=300, m=30, groups=3, seed=2)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    assert engine.n_groups_ == 3
    position = {pid: i for i, pid in enumerate(engine.participant_ids_.tolist())}
    rows = [position[pid] for pid in np.unique(p)]
    truth = planted[np.unique(p) - 1000]
    assert adjusted_rand_index(truth, engine.labels_[rows]) > 0.9


# ---- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "votes, message",
    [
        ([[1, 2], [0, 1]], "1 \\(agree\\), -1 \\(disagree\\) or 0"),
        ([1, 0, -1], "two-dimensional"),
        ([[1, np.inf]], "infinite"),
        ([["a", "b"]], "could not convert|numeric|string"),
    ],
)
def test_bad_votes_raise_value_error(votes: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OpinionEngine().fit(votes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"base_k": 0}, "base_k"),
        ({"max_groups": 1}, "max_groups"),
        ({"min_votes": 2.5}, "min_votes"),
        ({"group_k_buffer": -1}, "group_k_buffer"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_bad_hyperparameters_raise_value_error(params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OpinionEngine(**params).fit(_matrix())


def test_scipy_sparse_input_is_refused_with_advice() -> None:
    import scipy.sparse as sp

    with pytest.raises(ValueError, match="VoteMatrix"):
        OpinionEngine().fit(sp.csr_matrix(np.eye(3)))


# ---- who is clustered -------------------------------------------------------------------------
def _counts_matrix(counts: list[int], n_statements: int) -> VoteMatrix:
    dense = np.full((len(counts), n_statements), np.nan)
    rng = np.random.default_rng(0)
    for i, c in enumerate(counts):
        dense[i, :c] = rng.choice([-1, 0, 1], size=c)
    return VoteMatrix.from_dense(dense)


def test_in_conv_needs_seven_votes_when_there_are_enough_statements() -> None:
    counts = [7] * 16 + [6] * 5 + [20] * 2
    engine = OpinionEngine(random_state=0).fit(_counts_matrix(counts, 20))
    assert engine.in_conv_.tolist() == [c >= 7 for c in counts]


def test_in_conv_threshold_is_capped_at_the_number_of_statements() -> None:
    # Only 5 statements: 5 votes is everything, so it suffices.
    counts = [5] * 16 + [4] * 3
    engine = OpinionEngine(random_state=0).fit(_counts_matrix(counts, 5))
    assert engine.in_conv_.tolist() == [c >= 5 for c in counts]


def test_in_conv_is_topped_up_to_fifteen_by_most_votes() -> None:
    # Ten qualify; the five most active of the rest join (ties by position).
    counts = [8] * 10 + [1, 6, 2, 5, 5, 5, 3, 0, 4]
    engine = OpinionEngine(random_state=0).fit(_counts_matrix(counts, 20))
    expected = [True] * 10 + [False, True, False, True, True, True, False, False, True]
    assert engine.in_conv_.tolist() == expected
    assert engine.in_conv_.sum() == 15


def test_in_conv_counts_passes_and_moderated_out_votes() -> None:
    dense = np.full((16, 10), np.nan)
    dense[:, :7] = 0  # seven passes each
    dense[0, :7] = np.nan
    dense[0, 3:10] = 1  # participant 0: seven votes, three of them on moderated-out statements
    matrix = VoteMatrix.from_dense(dense, moderated_out=[7, 8, 9])
    engine = OpinionEngine(random_state=0, greedy_n=1).fit(matrix)
    assert engine.in_conv_.all()


def test_in_conv_keeps_participants_already_clustered() -> None:
    counts = [8] * 20 + [1]
    matrix = _counts_matrix(counts, 20)
    assert not OpinionEngine(random_state=0).fit(matrix).in_conv_[20]
    engine = OpinionEngine(random_state=0).fit(matrix, in_conv=[20])
    assert engine.in_conv_[20] and engine.labels_[20] >= 0


def test_unclustered_participants_have_label_minus_one_but_a_position() -> None:
    counts = [8] * 20 + [2, 3]
    engine = OpinionEngine(random_state=0).fit(_counts_matrix(counts, 20))
    assert (engine.labels_[20:] == -1).all()
    assert np.isfinite(engine.projection_[20:]).all()
    assert set(engine.result_.groups()) == set(range(20))


# ---- the map ----------------------------------------------------------------------------------
def test_projection_is_pca_of_mean_imputed_matrix_with_sparsity_scaling() -> None:
    p, s, v, _ = planted_votes(n=60, m=12, density=0.6, seed=5)
    matrix = VoteMatrix.from_votes(p, s, v, moderated_out=[11])
    engine = OpinionEngine(random_state=0).fit(matrix)
    dense = matrix.to_dense()
    seen = ~np.isnan(dense)
    # Pol.is: moderated-out columns become 0 for everyone; missing votes take the column mean.
    dense[:, 11] = 0.0
    mean = np.nanmean(dense, axis=0)
    filled = np.where(np.isnan(dense), mean, dense)
    centred = filled - filled.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    for i in range(2):
        assert abs(abs(vt[i] @ engine.components_[i]) - 1) < 1e-8
    # Sparsity-aware: only voted cells, scaled by sqrt(C / n_votes), where the zeroed column
    # counts as voted for everyone.
    n_counted = seen[:, :11].sum(axis=1) + 1
    raw = np.where(seen, dense - mean, 0.0) @ engine.components_.T
    expected = raw * np.sqrt(12 / n_counted)[:, None]
    np.testing.assert_allclose(engine.projection_, expected, atol=1e-9)
    # The statement projection: a participant who agreed with that statement alone.
    stmt = np.sqrt(12) * (1 - engine.center_)[:, None] * engine.components_.T
    np.testing.assert_allclose(engine.statement_projection_, stmt)
    np.testing.assert_allclose(engine.statement_extremity_, np.linalg.norm(stmt, axis=1))
    assert engine.center_[11] == 0 and not engine.components_[:, 11].any()


def test_group_votes_and_statistics_follow_the_groups() -> None:
    matrix = _matrix(seed=1)
    engine = OpinionEngine(random_state=0).fit(matrix)
    dense = matrix.to_dense()
    gv = engine.group_votes_
    for g in range(engine.n_groups_):
        rows = engine.labels_ == g
        np.testing.assert_array_equal(gv.agree[g], (dense[rows] == 1).sum(axis=0))
        np.testing.assert_array_equal(gv.disagree[g], (dense[rows] == -1).sum(axis=0))
        np.testing.assert_array_equal(gv.seen[g], (~np.isnan(dense[rows])).sum(axis=0))
    expected = np.prod((gv.agree + 1) / (gv.seen + 2), axis=0)
    np.testing.assert_allclose(engine.group_aware_consensus_["agree"], expected)
    assert engine.result_.to_json_dict()["group_aware_consensus"]["0"] == pytest.approx(expected[0])


def test_meta_and_moderated_statements_in_priority_and_selections() -> None:
    p, s, v, _ = planted_votes(seed=3)
    matrix = VoteMatrix.from_votes(p, s, v, moderated_out=[0, 1], meta=[2])
    engine = OpinionEngine(random_state=0).fit(matrix)
    assert engine.priority_[2] == pytest.approx(49.0)
    assert (engine.priority_[:2] == 0).all()
    assert (engine.priority_[3:] > 0).all()
    chosen = {s.statement for lst in engine.repness_.values() for s in lst}
    chosen |= {c.statement for side in engine.consensus_.values() for c in side}
    assert not chosen & {0, 1, 2}


def test_statement_with_no_votes_gets_the_new_statement_boost() -> None:
    p, s, v, _ = planted_votes(n=100, m=10, seed=0)
    matrix = VoteMatrix.from_votes(p, s, v, statement_ids=np.arange(11))
    engine = OpinionEngine(random_state=0).fit(matrix)
    # No votes: a = p = 1/2, E = 0 -> importance 1/4, boost 9.
    assert engine.priority_[10] == pytest.approx((0.25 * 9) ** 2)


def test_tiny_conversations_do_not_break() -> None:
    one = VoteMatrix.from_votes([1], [1], [1])
    engine = OpinionEngine(random_state=0).fit(one)
    # One person, one vote: nothing to split (issue #16 defect 4), so no groups, and a reason.
    assert engine.n_groups_ == 0 and engine.labels_.tolist() == [-1]
    assert engine.result_.no_groups_reason.startswith(NOT_ENOUGH_DISAGREEMENT)
    empty = VoteMatrix.from_dense(np.full((3, 2), np.nan))
    engine = OpinionEngine(random_state=0).fit(empty)
    assert engine.n_groups_ == 0 and (engine.labels_ == -1).all()
    assert engine.result_.to_json_dict()["groups"] == {}


# ---- incremental updates ----------------------------------------------------------------------
def _split(seed: int) -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    p, s, v, _ = planted_votes(seed=seed)
    order = np.random.default_rng(seed).permutation(len(v))
    cut = int(0.9 * len(v))
    return (p, s, v), order[:cut], order[cut:]


@pytest.mark.parametrize("seed", [0, 1])
def test_update_matches_full_fit(seed: int) -> None:
    """partial_fit warm-starts, so it may settle a few border participants differently from a
    cold fit; we require the same number of groups and ARI >= 0.95 between the two."""
    (p, s, v), first, rest = _split(seed)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p[first], s[first], v[first]))
    engine.partial_fit(p[rest], s[rest], v[rest])
    full = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    assert engine.n_groups_ == full.n_groups_
    position = {pid: i for i, pid in enumerate(engine.participant_ids_.tolist())}
    mine = engine.labels_[[position[pid] for pid in full.participant_ids_.tolist()]]
    assert adjusted_rand_index(mine, full.labels_) >= 0.95
    # The bookkeeping is exact: counts equal a recount for the same groups.
    recount = engine._ratings.group_counts(engine.labels_, engine.n_groups_)
    np.testing.assert_array_equal(recount[:, :, 2], engine.group_votes_.agree)
    np.testing.assert_array_equal(recount[:, :, 0], engine.group_votes_.disagree)
    np.testing.assert_array_equal(recount.sum(axis=2), engine.group_votes_.seen)
    # The map converges to the full fit's (up to each axis's sign).
    for i in range(2):
        assert abs(abs(engine.components_[i] @ full.components_[i]) - 1) < 1e-3


def test_update_handles_revotes_new_people_and_new_statements() -> None:
    p, s, v, _ = planted_votes(n=200, m=20, seed=6)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    first = int(p[0]), int(s[0])
    old_vote = int(engine.result_.group_votes.agree.sum())
    new_p = [first[0], 5000, 5000, 5000, 5000, 5000, 5000, 5000, 1001]
    new_s = [first[1], 0, 1, 2, 3, 4, 5, 6, 99]
    new_v = [-int(v[0]) or 1, 1, 1, 1, -1, -1, 0, 1, 1]
    engine.partial_fit(new_p, new_s, new_v)
    ids = engine.participant_ids_.tolist()
    assert 5000 in ids and 99 in engine.statement_ids_.tolist()
    assert engine.in_conv_[ids.index(5000)]  # seven votes
    # A re-vote replaces the old vote rather than adding one.
    assert engine._ratings.nnz == len(v) + 8
    dense_votes = VoteMatrix.from_votes(
        np.concatenate([p, new_p]), np.concatenate([s, new_s]), np.concatenate([v, new_v])
    )
    assert dense_votes.nnz == engine._ratings.nnz
    np.testing.assert_array_equal(
        engine._ratings.col_count,
        np.diff(
            np.r_[0, np.cumsum(np.bincount(dense_votes.indices, minlength=dense_votes.shape[1]))]
        ),
    )
    assert old_vote >= 0


def test_update_before_fit_is_a_fit() -> None:
    p, s, v, _ = planted_votes(n=100, m=10, seed=0)
    a = OpinionEngine(random_state=0).partial_fit(p, s, v)
    b = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    np.testing.assert_array_equal(a.labels_, b.labels_)


def test_update_can_change_moderation() -> None:
    p, s, v, _ = planted_votes(n=150, m=15, seed=0)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    engine.partial_fit([], [], [], moderated_out=[3])
    assert engine.priority_[3] == 0 and not engine.components_[:, 3].any()
    assert engine.result_.moderated_out[3]


def test_group_count_changes_only_after_winning_repeatedly() -> None:
    """Pol.is's smoother: a new best k must win group_k_buffer updates in a row."""
    from mobilise.engines.opinion.engine import _smooth_k

    state = _smooth_k(2, None, 4)
    assert state["smoothed_k"] == 2
    for expected in (2, 2, 2, 3):
        state = _smooth_k(3, state, 4)
        assert state["smoothed_k"] == expected
    state = _smooth_k(2, state, 4)
    assert state == {"last_k": 2, "last_k_count": 1, "smoothed_k": 3}


def test_group_numbers_stay_stable_across_updates() -> None:
    (p, s, v), first, rest = _split(2)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p[first], s[first], v[first]))
    before = engine.labels_.copy()
    engine.partial_fit(p[rest], s[rest], v[rest])
    after = engine.labels_[: len(before)]
    both = (before >= 0) & (after >= 0)
    assert (before[both] == after[both]).mean() > 0.95


def test_big_conversation_update_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcuts for big conversations (lazy re-centring, lagged power step, Hamerly's
    bound), forced on a small one: the update stays close to a cold fit and the counts exact."""
    from mobilise.engines.opinion import engine as engine_module

    monkeypatch.setattr(engine_module, "_BIG_VOTES", 0)
    monkeypatch.setattr(engine_module, "_BOUND_MIN", 0)
    (p, s, v), first, rest = _split(3)
    engine = OpinionEngine(random_state=0, update_pca_iter=1, update_base_iter=1)
    engine.fit(VoteMatrix.from_votes(p[first], s[first], v[first]))
    assert engine._warm.base_margin is not None
    for chunk in np.array_split(rest, 4):
        engine.partial_fit(p[chunk], s[chunk], v[chunk])
        assert engine.n_iter_ == 1
    full = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    assert engine.n_groups_ == full.n_groups_
    position = {pid: i for i, pid in enumerate(engine.participant_ids_.tolist())}
    mine = engine.labels_[[position[pid] for pid in full.participant_ids_.tolist()]]
    assert adjusted_rand_index(mine, full.labels_) >= 0.9
    recount = engine._ratings.group_counts(engine.labels_, engine.n_groups_)
    np.testing.assert_array_equal(recount.sum(axis=2), engine.group_votes_.seen)
    # Lazy re-centring: the centre in use is within the refresh tolerance of the true means.
    r = engine._ratings
    true_mean = (r.col_agree - r.col_disagree) / np.maximum(r.col_count, 1)
    assert np.abs(engine.center_ - true_mean).max() <= 1e-3 + 1e-12
    for i in range(2):
        assert abs(engine.components_[i] @ full.components_[i]) > 0.99


def test_bad_update_is_refused_and_leaves_the_engine_usable() -> None:
    p, s, v, _ = planted_votes(n=100, m=10, seed=0)
    engine = OpinionEngine(random_state=0).fit(VoteMatrix.from_votes(p, s, v))
    before = engine.labels_.copy()
    with pytest.raises(ValueError, match="same kind"):
        engine.partial_fit([9999], ["not-a-number"], [1])
    with pytest.raises(ValueError, match="found 5"):
        engine.partial_fit([1000], [0], [5])
    with pytest.raises(ValueError, match="same length"):
        engine.partial_fit([1000, 1001], [0], [1])
    assert engine._ratings.n_rows == len(engine._ratings.row_count) == len(before)
    engine.partial_fit([1000], [0], [1])
    assert len(engine.labels_) == len(before)


# ---- degenerate input (issue #16, defect 4) --------------------------------------------------
@pytest.mark.parametrize(
    ("name", "dense"),
    [
        ("all agree, 1,000 x 50", np.ones((1000, 50))),
        ("all pass, 1,000 x 50", np.zeros((1000, 50))),
        ("all agree, small", np.ones((20, 5))),
        ("one statement", np.r_[np.ones((30, 1)), -np.ones((30, 1))]),
        ("one participant", np.array([[1.0, -1.0, 0.0, 1.0]])),
    ],
)
def test_degenerate_votes_give_no_groups_and_say_why(name: str, dense: np.ndarray) -> None:
    result = OpinionEngine(random_state=0).fit(dense).result_
    assert result.n_groups == 0, name
    assert (result.labels == -1).all()
    assert result.no_groups_reason.startswith(NOT_ENOUGH_DISAGREEMENT)
    assert np.isfinite(result.projection).all() and np.isfinite(result.priority).all()


def test_unanimous_votes_still_report_consensus() -> None:
    result = OpinionEngine(random_state=0).fit(np.ones((1000, 50))).result_
    assert len(result.consensus_agree) > 0 and result.consensus_disagree == []


def test_an_update_to_unanimous_votes_does_not_raise() -> None:
    engine = OpinionEngine(random_state=0).fit(_matrix())
    rows, cols = np.meshgrid(engine.participant_ids_, engine.statement_ids_, indexing="ij")
    engine.partial_fit(rows.ravel(), cols.ravel(), np.ones(rows.size))
    assert engine.result_.n_groups == 0 and engine.result_.no_groups_reason


def test_real_disagreement_has_groups_and_no_reason() -> None:
    result = OpinionEngine(random_state=0).fit(_matrix()).result_
    assert result.n_groups >= 2 and result.no_groups_reason == ""
