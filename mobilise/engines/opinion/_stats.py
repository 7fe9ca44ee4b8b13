"""The statistics behind representative statements, consensus and statement routing.

Every function here is a vectorised transcription of a formula in Pol.is's math
(``math/src/polismath/math/stats.clj``, ``repness.clj`` and ``conversation.clj`` in
github.com/compdemocracy/polis), cited in each docstring. They work on vote *counts*, so the
sign convention of the votes has already been dealt with: ``na`` counts agrees, ``nd``
disagrees and ``ns`` every vote seen (agree, disagree or pass).

Pol.is's math stores agree as -1 internally (``utils/agree?`` is ``n < 0``) while its exports,
and this engine, use agree = +1. Counting turns both into the same ``na``, so the formulas
below are identical to Pol.is's once the counts are taken.
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# One-sided 90% critical value of the standard normal, Pol.is's ``z-sig-90?``
# (stats.clj): Phi^-1(0.90) = 1.28155..., which Pol.is rounds to 1.2816.
Z_90 = 1.2816

# Pol.is's ``meta-priority`` (conversation.clj): meta statements are routed at a fixed
# importance of 7 before squaring.
META_PRIORITY = 7.0


def prop_test(successes: ArrayLike, trials: ArrayLike) -> FloatArray:
    """One-proportion z statistic against p = 1/2, with Pol.is's add-one smoothing.

    ``z = 2 * sqrt(n + 1) * ((s + 1) / (n + 1) - 1/2)`` (Pol.is ``stats/prop-test``). This is the
    usual ``(p_hat - p0) / sqrt(p0 (1 - p0) / n)`` with ``p0 = 1/2``, after adding one to both
    the successes and the trials so an empty column gives a finite value.
    """
    s = np.asarray(successes, dtype=float) + 1.0
    n = np.asarray(trials, dtype=float) + 1.0
    return 2.0 * np.sqrt(n) * (s / n - 0.5)


def two_prop_test(
    succ_in: ArrayLike, succ_out: ArrayLike, pop_in: ArrayLike, pop_out: ArrayLike
) -> FloatArray:
    """Two-proportion pooled z statistic, with Pol.is's add-one smoothing.

    After adding one to each count (Pol.is ``stats/two-prop-test``):
    ``p1 = s1 / n1``, ``p2 = s2 / n2``, ``p = (s1 + s2) / (n1 + n2)`` and
    ``z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))``. When the pooled proportion is exactly 1
    the statistic is undefined and Pol.is returns 0, as we do.
    """
    s1 = np.asarray(succ_in, dtype=float) + 1.0
    s2 = np.asarray(succ_out, dtype=float) + 1.0
    n1 = np.asarray(pop_in, dtype=float) + 1.0
    n2 = np.asarray(pop_out, dtype=float) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return np.where(pooled >= 1.0, 0.0, z)


def z_significant(z: ArrayLike, threshold: float = Z_90) -> NDArray[np.bool_]:
    """True where a one-sided z statistic is significant: ``z > 1.2816`` (Pol.is ``z-sig-90?``)."""
    return np.asarray(z, dtype=float) > threshold


@dataclass(frozen=True)
class RepnessStats:
    """Per-group, per-statement representativeness statistics, arrays of shape (groups, statements).

    The names follow Pol.is (repness.clj): ``n`` number, ``p`` probability, ``r`` representativeness,
    ``t`` test statistic; ``a`` agree, ``d`` disagree, ``s`` seen.
    """

    na: IntArray
    nd: IntArray
    ns: IntArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def repness_stats(na: ArrayLike, nd: ArrayLike, ns: ArrayLike) -> RepnessStats:
    """Pol.is's repness statistics from each group's agree, disagree and seen counts.

    For group g and statement j, with counts in the group and summed over the *other* groups
    (Pol.is ``comment-stats`` and ``add-comparitive-stats``, repness.clj):

    * ``pa = (1 + na) / (2 + ns)`` and ``pd = (1 + nd) / (2 + ns)``: smoothed probability that a
      member agrees (disagrees), a Beta(1, 1) prior's posterior mean;
    * ``pat = prop_test(na, ns)``, ``pdt = prop_test(nd, ns)``: is that probability above 1/2?
    * ``ra = pa / ((1 + na_rest) / (2 + ns_rest))`` and likewise ``rd``: how many times likelier
      the group is to agree (disagree) than everyone else in a group;
    * ``rat = two_prop_test(na, na_rest, ns, ns_rest)`` and likewise ``rdt``: is the difference
      significant?

    ``na``, ``nd`` and ``ns`` have shape (groups, statements).
    """
    na = np.asarray(na, dtype=np.int64)
    nd = np.asarray(nd, dtype=np.int64)
    ns = np.asarray(ns, dtype=np.int64)
    if not (na.shape == nd.shape == ns.shape) or na.ndim != 2:
        raise ValueError("na, nd and ns must be arrays of the same (groups, statements) shape.")
    na_rest = na.sum(axis=0, keepdims=True) - na
    nd_rest = nd.sum(axis=0, keepdims=True) - nd
    ns_rest = ns.sum(axis=0, keepdims=True) - ns
    pa = (1.0 + na) / (2.0 + ns)
    pd = (1.0 + nd) / (2.0 + ns)
    return RepnessStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1.0 + na_rest) / (2.0 + ns_rest)),
        rd=pd / ((1.0 + nd_rest) / (2.0 + ns_rest)),
        rat=two_prop_test(na, na_rest, ns, ns_rest),
        rdt=two_prop_test(nd, nd_rest, ns, ns_rest),
    )


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart, as Pol.is reports it (``finalize-cmt-stats``).

    ``repful_for`` says whether the group stands out by agreeing or by disagreeing;
    ``n_success`` / ``n_trials`` are the group's agrees (or disagrees) and votes seen,
    ``p_success`` / ``p_test`` are ``pa``/``pat`` (or ``pd``/``pdt``) and ``repness`` /
    ``repness_test`` are ``ra``/``rat`` (or ``rd``/``rdt``). ``best_agree`` marks the statement
    Pol.is puts first so every group shows something it agrees on.
    """

    statement: int
    repful_for: Literal["agree", "disagree"]
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False

    @property
    def metric(self) -> float:
        """Pol.is's ranking metric ``repness * repness_test * p_success * p_test`` (``repness-metric``)."""
        return self.repness * self.repness_test * self.p_success * self.p_test


def _finalize(
    stats: RepnessStats, g: int, j: int, best_agree: bool = False
) -> RepresentativeStatement:
    # Pol.is's finalize-cmt-stats: report whichever of agree/disagree has the larger z; ties go
    # to disagree because Pol.is tests ``rat > rdt``.
    if stats.rat[g, j] > stats.rdt[g, j]:
        return RepresentativeStatement(
            j,
            "agree",
            int(stats.na[g, j]),
            int(stats.ns[g, j]),
            float(stats.pa[g, j]),
            float(stats.pat[g, j]),
            float(stats.ra[g, j]),
            float(stats.rat[g, j]),
            best_agree,
        )
    return RepresentativeStatement(
        j,
        "disagree",
        int(stats.nd[g, j]),
        int(stats.ns[g, j]),
        float(stats.pd[g, j]),
        float(stats.pdt[g, j]),
        float(stats.rd[g, j]),
        float(stats.rdt[g, j]),
        best_agree,
    )


def select_representative(
    stats: RepnessStats,
    eligible: ArrayLike,
    *,
    limit: int = 5,
    z: float = Z_90,
) -> list[list[RepresentativeStatement]]:
    """Pick each group's representative statements, Pol.is's ``select-rep-comments`` (repness.clj).

    A statement is *sufficient* for a group when both its agree tests pass
    (``rat > z`` and ``pat > z``) or both its disagree tests pass (``rdt > z`` and ``pdt > z``),
    with ``z = 1.2816`` (90% one-sided). Sufficient statements are ranked by
    ``ra * rat * pa * pat`` (or the disagree twins), highest first, and at most ``limit`` kept.

    Pol.is also tracks the group's *best agree* statement, scanning statements in order and
    replacing the current best when the candidate has some agree or disagree votes and

    * the current best has ``ra > 1``: the candidate's ``ra * rat * pa * pat`` is larger;
    * there is a current best: the candidate's ``pa * pat`` is larger;
    * there is none yet: ``pat > z``, or ``ra > 1`` and ``pa > 1/2``.

    The best agree goes first in the list (it is removed from the sufficient ones so it is not
    repeated), then agrees are listed before disagrees. If no statement is sufficient the group
    gets just its best agree, or failing that the statement with the largest ``max(rat, rdt)``,
    so every group has at least one statement once anything has been voted on.

    ``eligible`` is a boolean mask over statements; moderated-out and meta statements are not
    eligible. Returns one list per group of statement *indices* wrapped in
    ``RepresentativeStatement``.
    """
    eligible = np.asarray(eligible, dtype=bool)
    n_groups, n_statements = stats.na.shape
    if eligible.shape != (n_statements,):
        raise ValueError("eligible must be one boolean per statement.")
    passes = (z_significant(stats.rat, z) & z_significant(stats.pat, z)) | (
        z_significant(stats.rdt, z) & z_significant(stats.pdt, z)
    )
    agree_metric = stats.ra * stats.rat * stats.pa * stats.pat
    agree_prob = stats.pa * stats.pat
    columns = np.flatnonzero(eligible)
    rep_metric = np.where(
        stats.rat > stats.rdt, agree_metric, stats.rd * stats.rdt * stats.pd * stats.pdt
    )
    result: list[list[RepresentativeStatement]] = []
    for g in range(n_groups):
        sufficient = columns[passes[g, columns]]
        best: int | None = None
        if len(sufficient) == 0 and len(columns):
            # The first statement with the largest max(rat, rdt) (argmax keeps the earliest).
            best_z = np.maximum(stats.rat[g, columns], stats.rdt[g, columns])
            best = int(columns[int(np.argmax(best_z))])
        best_agree = _best_agree(
            columns[(stats.na[g, columns] + stats.nd[g, columns]) > 0].tolist(),
            stats.ra[g].tolist(),
            stats.pa[g].tolist(),
            stats.pat[g].tolist(),
            agree_metric[g].tolist(),
            agree_prob[g].tolist(),
            z,
        )
        head = [_finalize(stats, g, best_agree, best_agree=True)] if best_agree is not None else []
        if len(sufficient) == 0:
            if not head and best is not None:
                head = [_finalize(stats, g, best)]
            result.append(head)
            continue
        others = sufficient[sufficient != best_agree] if best_agree is not None else sufficient
        # Highest metric first; a stable sort keeps statement order among ties, as Clojure's
        # sort-by does. Only the top few can make the list.
        order = others[np.argsort(-rep_metric[g, others], kind="stable")[:limit]]
        chosen = (head + [_finalize(stats, g, int(j)) for j in order])[:limit]
        result.append(
            [s for s in chosen if s.repful_for == "agree"]
            + [s for s in chosen if s.repful_for == "disagree"]
        )
    return result


def _best_agree(
    candidates: list[int],
    ra: list[float],
    pa: list[float],
    pat: list[float],
    metric: list[float],
    prob: list[float],
    z: float,
) -> int | None:
    """Pol.is's ``beats-best-agr?`` scan over the statements with any agree or disagree vote.

    It is sequential because the test depends on the current best: plain Python lists make
    the loop cheap.
    """
    best: int | None = None
    for j in candidates:
        if best is None:
            better = pat[j] > z or (ra[j] > 1.0 and pa[j] > 0.5)
        elif ra[best] > 1.0:
            better = metric[j] > metric[best]
        else:
            better = prob[j] > prob[best]
        if better:
            best = j
    return best


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most of the conversation agrees (or disagrees) with, as Pol.is reports it."""

    statement: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def select_consensus(
    na: ArrayLike,
    nd: ArrayLike,
    ns: ArrayLike,
    eligible: ArrayLike,
    *,
    limit: int = 5,
    z: float = Z_90,
) -> tuple[list[ConsensusStatement], list[ConsensusStatement]]:
    """Overall consensus statements, Pol.is's ``select-consensus-comments`` (repness.clj).

    Over every participant's votes on a statement, ``pa = (1 + na) / (2 + ns)`` and
    ``pat = prop_test(na, ns)``. A statement is an agree consensus when ``pa > 1/2`` and
    ``pat > z``; the agree list is ranked by ``pa * pat``, highest first, and cut at ``limit``.
    The disagree list is the same with ``nd``, ``pd`` and ``pdt``. Returns (agree, disagree),
    each a list of ``ConsensusStatement`` holding statement *indices*.
    """
    na = np.asarray(na, dtype=np.int64)
    nd = np.asarray(nd, dtype=np.int64)
    ns = np.asarray(ns, dtype=np.int64)
    eligible = np.asarray(eligible, dtype=bool)
    lists = []
    for n_success in (na, nd):
        p = (1.0 + n_success) / (2.0 + ns)
        t = prop_test(n_success, ns)
        metric = p * t
        candidates = np.flatnonzero(eligible & (p > 0.5) & z_significant(t, z))
        order = candidates[np.argsort(-metric[candidates], kind="stable")][:limit]
        lists.append(
            [
                ConsensusStatement(int(j), int(n_success[j]), int(ns[j]), float(p[j]), float(t[j]))
                for j in order
            ]
        )
    return lists[0], lists[1]


def group_aware_consensus(
    na: ArrayLike, nd: ArrayLike, ns: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Group-aware consensus per statement: how far *every* group agrees (or disagrees).

    ``agree_j = prod_g (A_gj + 1) / (S_gj + 2)`` over the opinion groups g, the product of each
    group's Laplace-smoothed agree probability (Pol.is ``group-aware-consensus``,
    conversation.clj, where "+1 acts as a dumb prior"); ``disagree_j`` is the same with the
    disagree counts ``D``. A statement scores high only if every group tends the same way, so
    a large majority group cannot carry it alone. Inputs have shape (groups, statements).
    """
    na = np.asarray(na, dtype=float)
    nd = np.asarray(nd, dtype=float)
    ns = np.asarray(ns, dtype=float)
    agree = np.prod((na + 1.0) / (ns + 2.0), axis=0)
    disagree = np.prod((nd + 1.0) / (ns + 2.0), axis=0)
    return agree, disagree


def importance(
    agrees: ArrayLike, passes: ArrayLike, seen: ArrayLike, extremity: ArrayLike
) -> FloatArray:
    """Pol.is's ``importance-metric`` (conversation.clj): ``(1 - p) * (E + 1) * a``.

    ``a = (A + 1) / (S + 2)`` is the smoothed agree rate, ``p = (P + 1) / (S + 2)`` the smoothed
    pass rate and ``E`` the statement's extremity (the length of its projection, see
    ``_pca.statement_projection``): statements that people take a side on, that agree, and that
    divide the map count most.
    """
    a = (np.asarray(agrees, dtype=float) + 1.0) / (np.asarray(seen, dtype=float) + 2.0)
    p = (np.asarray(passes, dtype=float) + 1.0) / (np.asarray(seen, dtype=float) + 2.0)
    return (1.0 - p) * (np.asarray(extremity, dtype=float) + 1.0) * a


def priority(
    agrees: ArrayLike,
    passes: ArrayLike,
    seen: ArrayLike,
    extremity: ArrayLike,
    is_meta: ArrayLike,
) -> FloatArray:
    """Statement-routing priority, Pol.is's ``priority-metric`` (conversation.clj).

    ``priority = (importance * (1 + 8 * 2^(-S / 5)))^2`` and ``7^2 = 49`` for meta statements.
    The factor ``1 + 8 * 2^(-S/5)`` lets new statements (few votes seen, S) bubble up: it starts
    at 9 and halves its excess every five votes. Squaring deepens the bias when a participant's
    next statement is drawn with probability proportional to priority.
    """
    seen = np.asarray(seen, dtype=float)
    value = importance(agrees, passes, seen, extremity) * (1.0 + 8.0 * np.power(2.0, -seen / 5.0))
    return np.where(np.asarray(is_meta, dtype=bool), META_PRIORITY, value) ** 2


def silhouette(distances: ArrayLike, labels: ArrayLike) -> float:
    """Mean silhouette coefficient of a clustering, as Pol.is computes it (clusters.clj).

    For point i in cluster C (Rousseeuw 1987, J. Comput. Appl. Math. 20:53-65):
    ``a = mean distance to the other members of C``, ``b = min over other clusters C' of the
    mean distance to the members of C'`` and ``s = (b - a) / max(a, b)``; a point alone in its
    cluster scores 0. The result is the unweighted mean of ``s`` over the points. Pol.is
    applies it to the base clusters' centres, so each base cluster counts once whatever its size.
    """
    dist = np.asarray(distances, dtype=float)
    labels = np.asarray(labels)
    n = labels.shape[0]
    if dist.shape != (n, n):
        raise ValueError("distances must be a square matrix with one row per label.")
    clusters, inverse = np.unique(labels, return_inverse=True)
    if n == 0 or clusters.size < 2:
        return 0.0
    onehot = np.zeros((n, clusters.size))
    onehot[np.arange(n), inverse] = 1.0
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot  # sum of distances from each point to each cluster
    own = inverse
    own_size = sizes[own] - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[np.arange(n), own] / own_size
        means = sums / sizes
    means[np.arange(n), own] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (b - a) / np.maximum(a, b)
    s = np.where((own_size == 0) | ~np.isfinite(s), 0.0, s)
    return float(s.mean())


def adjusted_rand_index(labels_a: ArrayLike, labels_b: ArrayLike) -> float:
    """Adjusted Rand index between two labellings of the same items (Hubert & Arabie 1985).

    With contingency table ``n_ij``, row sums ``a_i``, column sums ``b_j`` and ``C(x) = x(x-1)/2``:
    ``index = sum C(n_ij)``, ``expected = sum C(a_i) * sum C(b_j) / C(n)``,
    ``max = (sum C(a_i) + sum C(b_j)) / 2`` and ``ARI = (index - expected) / (max - expected)``.
    1 means identical partitions (up to renaming), about 0 chance agreement. When both
    labellings are a single cluster (or every item its own) the formula is 0/0 and we return
    1.0, as scikit-learn does. (Hubert, L. & Arabie, P., J. Classification 2:193-218.)
    """
    a = np.asarray(labels_a)
    b = np.asarray(labels_b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("Both labellings must be one-dimensional and of the same length.")
    n = a.shape[0]
    if n < 2:
        return 1.0
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(table, (ia, ib), 1)

    def comb2(x: NDArray[np.int64]) -> float:
        return float((x * (x - 1)).sum() / 2)

    index = comb2(table)
    sum_a = comb2(table.sum(axis=1))
    sum_b = comb2(table.sum(axis=0))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
