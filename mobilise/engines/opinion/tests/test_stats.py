"""Each formula on small hand-computed inputs (Pol.is's stats.clj, repness.clj, conversation.clj)."""

import math

import numpy as np
import pytest

from mobilise.engines.opinion import _stats
from mobilise.engines.opinion._stats import (
    Z_90,
    adjusted_rand_index,
    group_aware_consensus,
    importance,
    priority,
    prop_test,
    repness_stats,
    select_consensus,
    select_representative,
    silhouette,
    two_prop_test,
)


def test_prop_test_by_hand() -> None:
    # 4 agrees out of 6 seen: 2 * sqrt(7) * (5/7 - 1/2) = 1.13389...
    assert prop_test(4, 6) == pytest.approx(2 * math.sqrt(7) * (5 / 7 - 0.5))
    assert prop_test(4, 6) == pytest.approx(1.1338934, abs=1e-6)
    # Pol.is smooths as (s + 1) / (n + 1), so no votes at all gives z = 2 * 1 * (1 - 1/2) = 1.
    assert prop_test(0, 0) == pytest.approx(1.0)


def test_two_prop_test_by_hand() -> None:
    # in: 4 of 6, out: 1 of 4 -> with +1s: p1 = 5/7, p2 = 2/5, pooled = 7/12.
    z = two_prop_test(4, 1, 6, 4)
    expected = (5 / 7 - 2 / 5) / math.sqrt(7 / 12 * 5 / 12 * (1 / 7 + 1 / 5))
    assert z == pytest.approx(expected)
    assert z == pytest.approx(1.0887177, abs=1e-6)


def test_two_prop_test_pooled_one_is_zero() -> None:
    # Everyone agrees everywhere: the pooled proportion is 1 and Pol.is returns 0.
    assert two_prop_test(5, 3, 5, 3) == 0.0


def test_significance_threshold() -> None:
    assert Z_90 == 1.2816
    assert list(_stats.z_significant([1.2816, 1.2817, 2.0])) == [False, True, True]


def test_repness_stats_by_hand() -> None:
    # Two groups, one statement. Group 0: 4 agree, 1 disagree, 1 pass. Group 1: 1 agree, 3 disagree.
    stats = repness_stats([[4], [1]], [[1], [3]], [[6], [4]])
    assert stats.pa[0, 0] == pytest.approx(5 / 8)
    assert stats.pd[0, 0] == pytest.approx(2 / 8)
    assert stats.pat[0, 0] == pytest.approx(2 * math.sqrt(7) * (5 / 7 - 0.5))
    assert stats.pdt[0, 0] == pytest.approx(2 * math.sqrt(7) * (2 / 7 - 0.5))
    # ra = pa / ((1 + na_rest) / (2 + ns_rest)) = (5/8) / (2/6)
    assert stats.ra[0, 0] == pytest.approx((5 / 8) / (2 / 6))
    assert stats.rd[0, 0] == pytest.approx((2 / 8) / (4 / 6))
    assert stats.rat[0, 0] == pytest.approx(two_prop_test(4, 1, 6, 4))
    assert stats.rdt[0, 0] == pytest.approx(two_prop_test(1, 3, 6, 4))
    # And from group 1's side.
    assert stats.pa[1, 0] == pytest.approx(2 / 6)
    assert stats.rd[1, 0] == pytest.approx((4 / 6) / (2 / 8))


def test_repness_stats_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="same"):
        repness_stats([[1, 2]], [[1]], [[2, 2]])


def _strong_two_group_counts() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # 3 statements, 2 groups of 20. Statement 0: group 0 agrees, group 1 disagrees;
    # statement 1: the reverse; statement 2: everyone agrees.
    na = np.array([[18, 2, 18], [2, 18, 18]])
    nd = np.array([[2, 18, 1], [18, 2, 1]])
    ns = np.array([[20, 20, 20], [20, 20, 20]])
    return na, nd, ns


def test_select_representative_picks_the_dividing_statements() -> None:
    na, nd, ns = _strong_two_group_counts()
    stats = repness_stats(na, nd, ns)
    picked = select_representative(stats, np.ones(3, dtype=bool))
    # Group 0: statement 0 is its best agree; statement 1 is repful by disagreement.
    assert [(s.statement, s.repful_for) for s in picked[0]] == [(0, "agree"), (1, "disagree")]
    assert picked[0][0].best_agree
    assert [(s.statement, s.repful_for) for s in picked[1]] == [(1, "agree"), (0, "disagree")]
    first = picked[0][0]
    assert first.n_success == 18 and first.n_trials == 20
    assert first.p_success == pytest.approx(19 / 22)
    assert first.metric == pytest.approx(
        stats.ra[0, 0] * stats.rat[0, 0] * stats.pa[0, 0] * stats.pat[0, 0]
    )


def test_select_representative_respects_eligibility_and_limit() -> None:
    na, nd, ns = _strong_two_group_counts()
    stats = repness_stats(na, nd, ns)
    picked = select_representative(stats, np.array([False, True, True]), limit=2)
    # Statement 0 is excluded. Group 0's best agree is then statement 2 (everyone agrees),
    # which goes first; statement 1 follows, representative by disagreement. As in Pol.is,
    # the best agree is reported the way its z-scores lean: here rat = rdt = 0, and a tie
    # reads as "disagree" (finalize-cmt-stats tests rat > rdt).
    assert [s.statement for s in picked[0]] == [2, 1]
    assert picked[0][0].best_agree and picked[0][0].repful_for == "disagree"
    assert picked[0][0].repness_test == 0.0
    picked = select_representative(stats, np.array([False, True, True]), limit=1)
    assert [s.statement for s in picked[0]] == [2]


def test_select_representative_ranks_by_metric_agrees_first() -> None:
    # One group of 30 against another of 30 on four statements with different strengths.
    na = np.array([[25, 28, 0, 20], [5, 2, 25, 10]])
    nd = np.array([[5, 2, 28, 10], [25, 28, 5, 20]])
    ns = np.array([[30, 30, 30, 30], [30, 30, 30, 30]])
    stats = repness_stats(na, nd, ns)
    picked = select_representative(stats, np.ones(4, dtype=bool))[0]
    agrees = [s for s in picked if s.repful_for == "agree"]
    disagrees = [s for s in picked if s.repful_for == "disagree"]
    assert picked == agrees + disagrees
    # The best agree (statement 1: 28 of 30 and most representative) comes first.
    assert picked[0].statement == 1 and picked[0].best_agree
    # Then the other sufficient agrees by ra * rat * pa * pat (statement 0 beats 3), then the
    # disagree (statement 2).
    assert stats.ra[0, 0] * stats.rat[0, 0] * stats.pa[0, 0] * stats.pat[0, 0] > (
        stats.ra[0, 3] * stats.rat[0, 3] * stats.pa[0, 3] * stats.pat[0, 3]
    )
    assert [s.statement for s in picked] == [1, 0, 3, 2]
    assert [s.statement for s in disagrees] == [2]


def test_select_representative_falls_back_to_best_when_nothing_passes() -> None:
    # Tiny groups: nothing is significant; the group still gets one statement.
    stats = repness_stats([[1, 0], [0, 1]], [[0, 1], [1, 0]], [[1, 1], [1, 1]])
    picked = select_representative(stats, np.ones(2, dtype=bool))
    assert all(len(lst) == 1 for lst in picked)


def test_select_consensus_by_hand() -> None:
    na = np.array([40, 10, 30, 5])
    nd = np.array([5, 35, 30, 2])
    ns = np.array([50, 50, 60, 10])
    agree, disagree = select_consensus(na, nd, ns, np.ones(4, dtype=bool))
    # Statement 0: pa = 41/52 > 1/2 and pat = 2 sqrt(51)(41/51 - 1/2) = 4.34 > 1.2816.
    assert [c.statement for c in agree] == [0]
    assert agree[0].p_success == pytest.approx(41 / 52)
    assert agree[0].p_test == pytest.approx(2 * math.sqrt(51) * (41 / 51 - 0.5))
    # Statement 3 has pa = 6/12 = 0.5, not above one half.
    assert [c.statement for c in disagree] == [1]
    assert disagree[0].n_success == 35 and disagree[0].n_trials == 50
    # Excluded statements never appear.
    agree, _ = select_consensus(na, nd, ns, np.array([False, True, True, True]))
    assert agree == []


def test_select_consensus_ranks_by_pa_times_pat() -> None:
    na = np.array([30, 45, 40])
    nd = np.array([0, 0, 0])
    ns = np.array([30, 50, 40])
    agree, _ = select_consensus(na, nd, ns, np.ones(3, dtype=bool), limit=2)
    metric = [(1 + a) / (2 + s) * prop_test(a, s) for a, s in zip(na, ns, strict=True)]
    assert [c.statement for c in agree] == list(np.argsort(metric)[::-1][:2])


def test_group_aware_consensus_by_hand() -> None:
    # Group 0: 4 of 6 agree; group 1: 1 of 4. Product of (A + 1) / (S + 2).
    agree, disagree = group_aware_consensus([[4], [1]], [[1], [3]], [[6], [4]])
    assert agree[0] == pytest.approx((5 / 8) * (2 / 6))
    assert disagree[0] == pytest.approx((2 / 8) * (4 / 6))
    # Unvoted statement: (1/2) per group.
    agree, _ = group_aware_consensus([[0], [0], [0]], [[0], [0], [0]], [[0], [0], [0]])
    assert agree[0] == pytest.approx(0.125)


def test_priority_by_hand() -> None:
    # Pol.is's own test values: (priority-metric false 1 0 1 0).
    # a = 2/3, p = 1/3, importance = (1 - 1/3) * 1 * 2/3 = 4/9; factor 1 + 8 * 2^(-1/5).
    assert importance(1, 0, 1, 0) == pytest.approx(4 / 9)
    expected = (4 / 9 * (1 + 8 * 2 ** (-1 / 5))) ** 2
    assert priority(1, 0, 1, 0, False) == pytest.approx(expected)
    assert priority(1, 0, 1, 0, False) == pytest.approx(12.52973, abs=1e-4)
    # Extremity multiplies importance by (E + 1); many votes remove the new-statement boost.
    assert importance(20, 3, 20, 1) == pytest.approx((1 - 4 / 22) * 2 * 21 / 22)
    assert priority(20, 3, 20, 1, False) == pytest.approx(
        ((1 - 4 / 22) * 2 * 21 / 22 * (1 + 8 * 2**-4)) ** 2
    )
    # Meta statements: a fixed 7, squared.
    assert priority(20, 3, 20, 1, True) == pytest.approx(49.0)


def test_silhouette_by_hand() -> None:
    # Points on a line at 0, 1, 10, 11 in two clusters.
    x = np.array([0.0, 1.0, 10.0, 11.0])
    dist = np.abs(x[:, None] - x[None, :])
    labels = np.array([0, 0, 1, 1])
    # Point 0: a = 1, b = mean(10, 11) = 10.5, s = 9.5/10.5. Point 1: a = 1, b = 9.5,
    # s = 8.5/9.5. Points 3 and 2 mirror them.
    assert silhouette(dist, labels) == pytest.approx((9.5 / 10.5 + 8.5 / 9.5) / 2)
    # A point alone in its cluster scores 0 (Pol.is and Rousseeuw). Point 0: b = min(10, 11);
    # point 1: b = min(9, 10).
    labels = np.array([0, 0, 1, 2])
    assert silhouette(dist, labels) == pytest.approx((9 / 10 + 8 / 9 + 0 + 0) / 4)


def test_adjusted_rand_index() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == pytest.approx(1.0)
    # Hand-computed: table [[2, 1], [0, 1]]: index = 1, sums C(a) = 3 + 0 = 3, C(b) = 1 + 1 = 2,
    # expected = 3 * 2 / 6 = 1, max = 2.5 -> ARI = 0.
    assert adjusted_rand_index([0, 0, 0, 1], [0, 0, 1, 1]) == pytest.approx(0.0)
    a = [0, 0, 0, 1, 1, 1, 2, 2]
    b = [0, 0, 1, 1, 1, 2, 2, 2]
    # Table rows (3,0,0),(0,2,1)... computed: index = C(2)+C(2)+C(2)... checked against the formula.
    table = np.zeros((3, 3), int)
    for i, j in zip(a, b, strict=True):
        table[i, j] += 1
    c2 = lambda v: (v * (v - 1) / 2).sum()  # noqa: E731
    idx, sa, sb = c2(table), c2(table.sum(1)), c2(table.sum(0))
    exp = sa * sb / c2(np.array([8]))
    assert adjusted_rand_index(a, b) == pytest.approx((idx - exp) / ((sa + sb) / 2 - exp))
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])
