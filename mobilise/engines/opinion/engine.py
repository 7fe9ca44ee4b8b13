"""``OpinionEngine``: Pol.is's opinion-group analysis, in NumPy and SciPy.

The pipeline follows Pol.is's conversation update (``conversation.clj`` in
github.com/compdemocracy/polis, ``math/src/polismath/math``):

1. **Who is clustered** (``in-conv``): participants with at least ``min(7, C)`` votes, C the
   number of statements with any vote; if fewer than 15 qualify, the most active others are
   added until there are 15. Once in, a participant stays in across updates.
2. **Map**: PCA of the vote matrix with each missing vote replaced by its statement's mean,
   moderated-out and meta statements zeroed; every participant is projected with the
   sparsity-aware scaling ``sqrt(C / n_votes)`` (see ``_pca``).
3. **Base clusters**: k-means with k = 100 on the in-conversation participants' positions.
4. **Opinion groups**: weighted k-means of the base-cluster centres (weights = their sizes)
   for k = 2 .. min(5, 2 + B // 12), B the number of base clusters, choosing the k with the
   best silhouette (averaged over the base-clustering restarts of a cold fit); on updates a
   change of k only sticks after it has won ``group_k_buffer`` updates in a row (Pol.is's
   ``group-k-smoother``).
5. **Statistics** per group and statement: representative statements, overall consensus,
   group-aware consensus and routing priority (see ``_stats``).

Votes are agree = +1, disagree = -1, pass = 0 as in Pol.is's exports.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from mobilise.engines._random import check_random_state
from mobilise.engines._validation import NotFittedError, check_positive

from . import _pca, _stats
from ._kmeans import (
    KMeansResult,
    assign,
    assign_with_margin,
    bounded_step,
    kmeans,
    kmeans_plusplus,
    lloyd,
)
from ._ratings import Ratings
from .results import NOT_ENOUGH_DISAGREEMENT, GroupVotes, OpinionResult
from .votes import MIN_VOTES, VoteMatrix, as_vote_matrix

# From this many clustered participants, updates use Hamerly's bound for the base clusters.
_BOUND_MIN = 100_000
# Above this many votes, updates re-centre lazily and take the one PCA step lagged.
_BIG_VOTES = 5_000_000

_LEARNED = (
    "participant_ids_",
    "statement_ids_",
    "in_conv_",
    "projection_",
    "components_",
    "center_",
    "statement_projection_",
    "statement_extremity_",
    "base_labels_",
    "base_centers_",
    "labels_",
    "n_groups_",
    "group_centers_",
    "silhouettes_",
    "group_votes_",
    "repness_",
    "consensus_",
    "group_aware_consensus_",
    "priority_",
    "result_",
    "n_iter_",
)


@dataclass
class _Warm:
    """What an update carries over from the previous result (Pol.is persists the same things)."""

    components: NDArray[np.float64]
    base_centers: NDArray[np.float64]
    group_centers: dict[int, NDArray[np.float64]]
    k_smoother: dict[str, int]
    labels: NDArray[np.intp]
    base_labels: NDArray[np.intp]
    projection: NDArray[np.float64]
    base_margin: NDArray[np.float64] | None
    n_groups: int
    counts: NDArray[np.int64]
    in_conv: NDArray[np.bool_]
    changed_votes: tuple[NDArray[Any], ...] = ()


class OpinionEngine:
    """Opinion groups, maps and statement statistics for a deliberation, the Pol.is way.

    Parameters
    ----------
    min_votes:
        Votes a participant needs to be clustered, capped at the number of statements
        (Pol.is: 7).
    greedy_n:
        Top up the clustered participants to this many with the most active (Pol.is: 15).
    base_k:
        Number of base clusters (Pol.is: 100).
    max_groups:
        Most opinion groups considered (Pol.is: 5).
    group_k_buffer:
        Updates in a row a new group count must win before it replaces the current one
        (Pol.is: 4). A full ``fit`` starts afresh and takes the best count at once.
    n_init:
        k-means++ restarts for the opinion groups (cheap: they cluster at most ``base_k``
        points); the lowest-inertia result is kept.
    base_n_init:
        k-means++ restarts for the base clusters (when they fit in ``base_sample``).
    base_sample:
        Above this many clustered participants the base clusters are first found on a random
        sample of this size (one start), then refined on everyone (``base_iter`` Lloyd steps).
    base_iter:
        Lloyd steps on all participants after the sampled start.
    update_base_iter:
        Largest number of Lloyd steps for the base clusters in ``partial_fit`` (warm-started
        from the previous centres). None: as many as fit a budget of about a million point
        assignments, at least one (one at a million participants, 10 at 100,000, at most 20).
    update_pca_iter:
        Largest number of warm-started power-iteration steps in ``partial_fit``. None: as
        many as fit a budget of about 50 million vote passes, at least one (one step at 50
        million votes, 50 at a million), stopping earlier once converged.
    rep_limit, consensus_limit:
        Most representative statements per group and consensus statements per side (Pol.is: 5).
    random_state:
        Seed (int), ``numpy.random.Generator`` or None. The same seed on the same data gives
        the same result.

    Attributes
    ----------
    participant_ids_, statement_ids_:
        Row and column ids (updates append new ones).
    in_conv_:
        True for each participant who is clustered.
    projection_:
        (participants, 2) map positions; ``components_`` (2, statements) and ``center_``
        (statements,) define the map, ``statement_projection_`` and ``statement_extremity_``
        place the statements.
    base_labels_, base_centers_:
        Each clustered participant's base cluster (-1 otherwise) and the base-cluster centres.
    labels_, n_groups_, group_centers_:
        Each participant's opinion group (-1 if not clustered), the number of groups and
        their centres on the map.
    silhouettes_:
        {k: silhouette} for the group counts considered.
    group_votes_:
        ``GroupVotes``: agrees, disagrees and votes seen per group and statement.
    repness_:
        {group: [RepresentativeStatement, ...]}, statement fields holding statement ids.
    consensus_:
        {"agree": [ConsensusStatement, ...], "disagree": [...]}.
    group_aware_consensus_:
        {"agree": array, "disagree": array}, one value per statement.
    priority_:
        Routing priority per statement.
    n_iter_:
        Power-iteration steps of the last update (0 after a cold fit).
    result_:
        All of the above as one ``OpinionResult``, keyed by ids.
    """

    def __init__(
        self,
        *,
        min_votes: int = MIN_VOTES,
        greedy_n: int = 15,
        base_k: int = 100,
        max_groups: int = 5,
        group_k_buffer: int = 4,
        n_init: int = 10,
        base_n_init: int = 10,
        base_sample: int = 20_000,
        base_iter: int = 10,
        update_base_iter: int | None = None,
        update_pca_iter: int | None = None,
        rep_limit: int = 5,
        consensus_limit: int = 5,
        random_state: None | int | np.random.Generator = None,
    ) -> None:
        self.min_votes = min_votes
        self.greedy_n = greedy_n
        self.base_k = base_k
        self.max_groups = max_groups
        self.group_k_buffer = group_k_buffer
        self.n_init = n_init
        self.base_n_init = base_n_init
        self.base_sample = base_sample
        self.base_iter = base_iter
        self.update_base_iter = update_base_iter
        self.update_pca_iter = update_pca_iter
        self.rep_limit = rep_limit
        self.consensus_limit = consensus_limit
        self.random_state = random_state

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a learned attribute read before fit.
        if name in _LEARNED:
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(random_state={self.random_state!r})"

    # ---- public API -----------------------------------------------------------------------
    def fit(
        self,
        votes: VoteMatrix | ArrayLike,
        *,
        in_conv: Iterable[Hashable] = (),
    ) -> Self:
        """Analyse a conversation from scratch and return ``self``.

        ``votes`` is a ``VoteMatrix`` (or a dense array with NaN for unseen). ``in_conv``
        optionally names participants already clustered in an earlier analysis: Pol.is never
        drops a participant once clustered, and this carries that history over.
        """
        self._check_params()
        matrix = as_vote_matrix(votes)
        self._ratings = Ratings(matrix)
        prior = np.zeros(self._ratings.n_rows, dtype=bool)
        wanted = [k.item() if isinstance(k, np.generic) else k for k in in_conv]
        if wanted:
            lookup = {k: i for i, k in enumerate(self._ratings.participant_id_array().tolist())}
            for key in wanted:
                if key in lookup:
                    prior[lookup[key]] = True
        self._run(check_random_state(self.random_state), warm=None, prior_in_conv=prior)
        return self

    def partial_fit(
        self,
        participants: ArrayLike,
        statements: ArrayLike,
        votes: ArrayLike,
        *,
        moderated_out: Iterable[Hashable] | None = None,
        meta: Iterable[Hashable] | None = None,
    ) -> Self:
        """Add new votes (id triplets; new ids are new rows or columns) and update the analysis.

        Warm-starts from the previous result, as Pol.is does: the PCA restarts from the previous
        components, k-means from the previous centres, the in-conversation set only grows and
        the group count follows the ``group_k_buffer`` smoother. A re-vote replaces the earlier
        vote. ``moderated_out`` / ``meta``, when given, replace the sets of statement ids.
        Before any ``fit`` this is the same as fitting the given votes.
        """
        self._check_params()
        if not hasattr(self, "_ratings"):
            matrix = VoteMatrix.from_votes(
                participants,
                statements,
                votes,
                moderated_out=moderated_out or (),
                meta=meta or (),
            )
            return self.fit(matrix)
        ratings = self._ratings
        old_zeroed = ratings.zeroed.copy()
        rows, cols, old, new = ratings.apply(participants, statements, votes)
        if moderated_out is not None or meta is not None:
            mod = (
                ratings.moderation_mask(list(moderated_out))
                if moderated_out is not None
                else ratings.moderated_out
            )
            met = ratings.moderation_mask(list(meta)) if meta is not None else ratings.meta
            ratings.set_moderation(mod, met)
        if len(ratings.extra_vals) > max(100_000, 0.05 * max(ratings.nnz, 1)):
            # Too many side entries slow every product; fold them in (amortised rebuild).
            ratings.compact()
        warm = self._warm
        warm.changed_votes = (rows, cols, old, new)
        moderation_changed = not np.array_equal(old_zeroed, ratings.zeroed[: len(old_zeroed)])
        self._run(
            check_random_state(self.random_state),
            warm=warm,
            prior_in_conv=warm.in_conv,
            recount=moderation_changed,
        )
        return self

    # ---- the pipeline ---------------------------------------------------------------------
    def _check_params(self) -> None:
        for name in (
            "min_votes",
            "greedy_n",
            "base_k",
            "max_groups",
            "n_init",
            "base_n_init",
            "base_sample",
            "base_iter",
            "rep_limit",
            "consensus_limit",
        ):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or isinstance(value, bool):
                raise ValueError(f"{name} must be a whole number, got {value!r}.")
            check_positive(value, name=name)
        for name in ("group_k_buffer", "update_pca_iter", "update_base_iter"):
            value = getattr(self, name)
            if value is None and name != "group_k_buffer":
                continue
            if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number, zero or more; got {value!r}.")
        if self.max_groups < 2:
            raise ValueError(f"max_groups must be at least 2, got {self.max_groups}.")

    def _in_conv(self, prior: NDArray[np.bool_], n_statements: int) -> NDArray[np.bool_]:
        """Pol.is's in-conv rule (conversation.clj, ``:in-conv``).

        In = previously in, or at least ``min(min_votes, C)`` votes (passes count; so do votes
        on moderated-out statements). If that leaves fewer than ``greedy_n``, the participants
        with the most votes are added until there are ``greedy_n`` (ties by position).
        """
        counts = self._ratings.row_count
        n = len(counts)
        inc = np.zeros(n, dtype=bool)
        inc[: len(prior)] = prior
        inc |= (counts >= min(self.min_votes, n_statements)) & (counts > 0)
        short = self.greedy_n - int(inc.sum())
        if short > 0:
            candidates = np.flatnonzero(~inc & (counts > 0))
            order = candidates[np.argsort(-counts[candidates], kind="stable")]
            inc[order[:short]] = True
        return inc

    def _update_steps(self, n_points: int) -> int:
        if self.update_base_iter is not None:
            return int(self.update_base_iter)
        return int(np.clip(1_000_000 // max(n_points, 1), 1, 20))

    def _base_step(
        self,
        points: NDArray[np.float64],
        members: NDArray[np.intp],
        rng: np.random.Generator,
        warm: _Warm | None,
    ) -> tuple[list[KMeansResult], NDArray[np.float64] | None]:
        """Base clusterings for this fit or update, plus margins for the next update.

        On an update of a big conversation (one Lloyd step, at least ``_BOUND_MIN`` points),
        ``bounded_step`` re-assigns only the participants who may have changed base cluster.
        Margins (see ``assign_with_margin``) are returned for big conversations only.
        """
        n = len(members)
        big = n >= _BOUND_MIN
        previous_labels = None
        if warm is not None and len(warm.base_centers) >= min(self.base_k, n) > 0:
            previous_labels = np.full(n, -1, dtype=np.intp)
            known = members < len(warm.base_labels)
            previous_labels[known] = warm.base_labels[members[known]]
            fresh = previous_labels < 0
            if big and warm.base_margin is not None and self._update_steps(n) == 1:
                margin = np.full(n, -np.inf)
                old_points = points.copy()
                seen = ~fresh
                margin[seen] = warm.base_margin[members[seen]]
                old_points[seen] = warm.projection[members[seen]]
                if fresh.any():
                    previous_labels[fresh], margin[fresh] = assign_with_margin(
                        points[fresh], warm.base_centers
                    )
                stepped = bounded_step(
                    points, old_points, warm.base_centers, previous_labels, margin, np.ones(n)
                )
                if stepped is not None:
                    return [stepped[0]], stepped[1]
            elif fresh.any():
                previous_labels[fresh] = assign(points[fresh], warm.base_centers)[0]
        runs = self._base_clusters(points, rng, warm, previous_labels)
        if not big:
            return runs, None
        labels, margin = assign_with_margin(points, runs[0].centers)
        runs[0] = replace(runs[0], labels=labels)
        return runs, margin

    def _base_clusters(
        self,
        points: NDArray[np.float64],
        rng: np.random.Generator,
        warm: _Warm | None,
        previous_labels: NDArray[np.intp] | None = None,
    ) -> list[KMeansResult]:
        """Base clusterings of the clustered participants' positions, lowest inertia first.

        A cold fit that fits in ``base_sample`` returns all ``base_n_init`` k-means++ restarts
        (their silhouettes are averaged when choosing the group count, see ``_groups``);
        otherwise there is one. On an update, ``previous_labels`` holds each point's base
        cluster from last time (new points already assigned to the nearest previous centre),
        so the first Lloyd step can move the centres without a fresh pass over everyone.
        """
        n = points.shape[0]
        k = min(self.base_k, n)
        spread = float(np.sqrt(points.var(axis=0).sum())) if n else 0.0
        # Pol.is stops when no centre moves 0.01 map units; we scale that to the map's spread
        # so the rule does not depend on how many statements stretch the projection.
        tol = 1e-3 * max(spread, 1e-12)
        weights = np.ones(n)
        if warm is not None and len(warm.base_centers):
            start = warm.base_centers
            if len(start) < k:
                # New distinct positions may allow more clusters than last time.
                extra = kmeans_plusplus(points, k - len(start) + 1, weights, rng)[1:]
                start = np.vstack([start, extra]) if len(extra) else start
            steps = self._update_steps(n)
            return [lloyd(points, start, weights, max_iter=steps, tol=tol, labels=previous_labels)]
        if n > self.base_sample:
            # A large sample pins 100 centres down well enough that restarts buy nothing.
            sample = points[rng.choice(n, size=self.base_sample, replace=False)]
            start = kmeans(sample, k, rng=rng, n_init=1, max_iter=100, tol=tol).centers
            return [lloyd(points, start, weights, max_iter=self.base_iter, tol=tol)]
        runs = [
            kmeans(points, k, rng=rng, n_init=1, max_iter=100, tol=tol)
            for _ in range(self.base_n_init)
        ]
        return sorted(runs, key=lambda res: res.inertia)  # stable: ties keep run order

    def _group_clusterings(
        self,
        centers: NDArray[np.float64],
        sizes: NDArray[np.float64],
        rng: np.random.Generator,
        warm: _Warm | None,
        n_init: int,
    ) -> tuple[dict[int, NDArray[np.intp]], dict[int, NDArray[np.float64]], dict[int, float]]:
        """Weighted k-means of the base-cluster centres for k = 2 .. max_k, and silhouettes.

        ``max_k = min(max_groups, 2 + B // 12)`` for B base clusters (Pol.is's ``max-k-fn``);
        the weights are the base clusters' sizes, and the silhouette is computed on the
        distances between base-cluster centres (Pol.is's ``group-clusterings-silhouettes``).
        """
        b = centers.shape[0]
        max_k = min(self.max_groups, 2 + b // 12, b)
        dist = cdist(centers, centers)
        labelings: dict[int, NDArray[np.intp]] = {}
        clusterings: dict[int, NDArray[np.float64]] = {}
        scores: dict[int, float] = {}
        for k in range(2, max_k + 1):
            init = warm.group_centers.get(k) if warm is not None else None
            # A warm start is the only start, as in Pol.is: groups then evolve smoothly from
            # one update to the next instead of jumping to whichever optimum a restart finds.
            starts = 0 if init is not None and len(init) == k else n_init
            res = kmeans(
                centers, k, weights=sizes, rng=rng, n_init=starts, max_iter=100, tol=0.0, init=init
            )
            labelings[k], clusterings[k] = res.labels, res.centers
            scores[k] = _stats.silhouette(dist, res.labels)
        return labelings, clusterings, scores

    def _groups(
        self,
        candidates: list[tuple[NDArray[np.float64], NDArray[np.float64]]],
        rng: np.random.Generator,
        warm: _Warm | None,
    ) -> tuple[NDArray[np.intp], dict[int, float], dict[int, NDArray[np.float64]], dict[str, int]]:
        """Opinion groups of the base clusters: the k with the best silhouette, smoothed.

        ``candidates`` are (centres, sizes) of one or more base clusterings, best first. The
        silhouette of each k is averaged over them before choosing: Pol.is steadies its
        choice over time (a new k must win ``group_k_buffer`` updates running); a cold fit
        has no history, so it steadies the choice over its k-means restarts instead. The groups
        themselves come from the best (lowest-inertia) base clustering. Ties go to the larger
        k, as Clojure's ``max-key`` returns the last maximum.
        """
        centers = candidates[0][0]
        b = centers.shape[0]
        if b < 2:
            smoother = {"last_k": 1, "last_k_count": 1, "smoothed_k": 1}
            return np.zeros(b, dtype=np.intp), {}, {1: centers.copy()}, smoother
        labelings, clusterings, scores = self._group_clusterings(
            centers, candidates[0][1], rng, warm, self.n_init
        )
        totals = {k: [v] for k, v in scores.items()}
        for other_centers, other_sizes in candidates[1:]:
            if other_centers.shape[0] < 2:
                continue
            # Two starts suffice here: these runs only vote on k.
            others = self._group_clusterings(other_centers, other_sizes, rng, None, 2)[2]
            for k, v in others.items():
                totals.setdefault(k, []).append(v)
        scores = {k: float(np.mean(totals[k])) for k in labelings}
        this_k = max(scores, key=lambda kk: (scores[kk], kk))
        smoother = _smooth_k(
            this_k, warm.k_smoother if warm is not None else None, self.group_k_buffer
        )
        k = smoother["smoothed_k"]
        if k not in labelings:  # the smoothed k is no longer possible
            k = this_k
            smoother["smoothed_k"] = k
        return labelings[k], scores, clusterings, smoother

    def _run(
        self,
        rng: np.random.Generator,
        *,
        warm: _Warm | None,
        prior_in_conv: NDArray[np.bool_],
        recount: bool = False,
    ) -> None:
        r = self._ratings
        n, m = r.n_rows, r.n_cols
        present = r.col_count > 0
        n_present = int(present.sum())
        zeroed = r.zeroed
        # Column means of the observed votes; zeroed columns are all 0 in Pol.is's rating matrix.
        center = np.where(
            present & ~zeroed, (r.col_agree - r.col_disagree) / np.maximum(r.col_count, 1), 0.0
        )
        dtype = np.float32 if r.nnz > 20_000_000 else np.float64
        big = r.nnz > _BIG_VOTES
        # Big updates keep the centred values until some statement's mean moves by 0.001.
        parts, center = r.centered_parts(center, dtype, refresh=1e-3 if warm and big else 0.0)

        n_components = 2
        pca_steps = self.update_pca_iter
        if pca_steps is None:
            pca_steps = int(np.clip(50_000_000 // max(r.nnz, 1), 1, 50))
        projected = None
        next_components = None
        varied = _pca.has_variance(parts)
        if not varied:
            components = np.zeros((n_components, m))
            n_iter = 0
        elif warm is not None and pca_steps > 0 and np.any(warm.components):
            previous = np.zeros((n_components, m))
            previous[:, : warm.components.shape[1]] = warm.components
            components, projected, next_components, n_iter = _pca.refine_components(
                parts, previous, max_iter=pca_steps, tol=1e-6, lagged=big and pca_steps == 1
            )
        elif warm is not None and pca_steps == 0:
            components = np.zeros((n_components, m))
            components[:, : warm.components.shape[1]] = warm.components
            n_iter = 0
        else:
            components = _pca.leading_components(parts, n_components, rng)
            n_iter = 0
        # Pol.is counts a zeroed column as voted for everyone (its cells become 0, not nil),
        # so n_i = votes on live statements + number of zeroed statements with votes.
        n_zeroed_present = int((present & zeroed).sum())
        counted = r.row_count - r.row_zeroed + n_zeroed_present
        projection = _pca.project_participants(parts, components, counted, n_present, projected)
        del parts, projected
        stmt_proj, extremity = _pca.statement_projection(components, center, n_present)

        in_conv = self._in_conv(prior_in_conv, n_present)
        members = np.flatnonzero(in_conv)
        no_groups_reason = ""
        if n_present < 2:
            no_groups_reason = f"{NOT_ENOUGH_DISAGREEMENT}: fewer than two statements have votes."
        elif len(members) < 2:
            no_groups_reason = f"{NOT_ENOUGH_DISAGREEMENT}: fewer than two people voted enough."
        elif not varied:
            no_groups_reason = f"{NOT_ENOUGH_DISAGREEMENT}: everyone voted alike."
        if no_groups_reason:
            members = members[:0]  # no groups; consensus below is still reported
        points = projection[members]
        base_margin: NDArray[np.float64] | None = None
        if len(members):
            runs, member_margin = self._base_step(points, members, rng, warm)
            if member_margin is not None:
                base_margin = np.full(n, np.nan)
                base_margin[members] = member_margin
            candidates = []
            for res in runs:
                # Drop empty base clusters: Pol.is's cluster-step filters them out.
                sizes = np.bincount(res.labels, minlength=len(res.centers)).astype(float)
                candidates.append((res.centers[sizes > 0], sizes[sizes > 0]))
            sizes = np.bincount(runs[0].labels, minlength=len(runs[0].centers)).astype(float)
            keep = sizes > 0
            base_centers, sizes = runs[0].centers[keep], sizes[keep]
            base_of_member = (np.cumsum(keep) - 1)[runs[0].labels]
        else:
            base_centers = np.zeros((0, n_components))
            sizes = np.zeros(0)
            base_of_member = np.zeros(0, dtype=np.intp)
            candidates = [(base_centers, sizes)]
        group_of_base, silhouettes, clusterings, smoother = self._groups(candidates, rng, warm)
        n_groups = int(group_of_base.max()) + 1 if len(group_of_base) else 0

        labels = np.full(n, -1, dtype=np.intp)
        if len(members):
            labels[members] = group_of_base[base_of_member]
        base_labels = np.full(n, -1, dtype=np.intp)
        base_labels[members] = base_of_member
        labels, order = _relabel(labels, n_groups, warm)
        group_centers = (
            _weighted_centers(base_centers, sizes, group_of_base, n_groups)[order]
            if n_groups
            else np.zeros((0, n_components))
        )
        # The warm start for this k next time: the chosen groups, in their new numbering.
        clusterings[n_groups] = group_centers

        counts = self._counts(labels, n_groups, warm, recount)
        group_votes = GroupVotes(
            agree=counts[:, :, 2], disagree=counts[:, :, 0], seen=counts.sum(axis=2)
        )

        statement_ids = r.statement_id_array()
        eligible = ~zeroed
        if n_groups:
            rep = _stats.repness_stats(group_votes.agree, group_votes.disagree, group_votes.seen)
            picked = _stats.select_representative(rep, eligible, limit=self.rep_limit)
        else:
            picked = []
        repness = {
            g: [replace(s, statement=_plain(statement_ids[s.statement])) for s in lst]
            for g, lst in enumerate(picked)
        }
        agree_list, disagree_list = _stats.select_consensus(
            r.col_agree, r.col_disagree, r.col_count, eligible, limit=self.consensus_limit
        )
        consensus = {
            "agree": [replace(s, statement=_plain(statement_ids[s.statement])) for s in agree_list],
            "disagree": [
                replace(s, statement=_plain(statement_ids[s.statement])) for s in disagree_list
            ],
        }
        if n_groups:
            gac_agree, gac_disagree = _stats.group_aware_consensus(
                group_votes.agree, group_votes.disagree, group_votes.seen
            )
        else:
            gac_agree, gac_disagree = np.full(m, np.nan), np.full(m, np.nan)
        total_a = group_votes.agree.sum(axis=0)
        total_s = group_votes.seen.sum(axis=0)
        total_p = total_s - total_a - group_votes.disagree.sum(axis=0)
        priority = _stats.priority(total_a, total_p, total_s, extremity, r.meta)
        # Pol.is computes a priority for moderated-out statements too but never routes them;
        # we say so in the number.
        priority = np.where(r.moderated_out & ~r.meta, 0.0, priority)

        participant_ids = r.participant_id_array()
        self.participant_ids_ = participant_ids
        self.statement_ids_ = statement_ids
        self.in_conv_ = in_conv
        self.projection_ = projection
        self.components_ = components
        self.center_ = center
        self.statement_projection_ = stmt_proj
        self.statement_extremity_ = extremity
        self.base_labels_ = base_labels
        self.base_centers_ = base_centers
        self.labels_ = labels
        self.n_groups_ = n_groups
        self.group_centers_ = group_centers
        self.silhouettes_ = silhouettes
        self.group_votes_ = group_votes
        self.repness_ = repness
        self.consensus_ = consensus
        self.group_aware_consensus_ = {"agree": gac_agree, "disagree": gac_disagree}
        self.priority_ = priority
        self.n_iter_ = n_iter
        self.result_ = OpinionResult(
            participant_ids=participant_ids,
            statement_ids=statement_ids,
            in_conv=in_conv,
            projection=projection,
            labels=labels,
            n_groups=n_groups,
            group_centers=group_centers,
            components=components,
            center=center,
            statement_projection=stmt_proj,
            statement_extremity=extremity,
            silhouettes=silhouettes,
            group_votes=group_votes,
            repness=repness,
            consensus_agree=consensus["agree"],
            consensus_disagree=consensus["disagree"],
            group_aware_consensus_agree=gac_agree,
            group_aware_consensus_disagree=gac_disagree,
            priority=priority,
            moderated_out=r.moderated_out.copy(),
            meta=r.meta.copy(),
            no_groups_reason=no_groups_reason,
        )
        self._warm = _Warm(
            components=components if next_components is None else next_components,
            base_centers=base_centers,
            group_centers=clusterings,
            k_smoother=smoother,
            labels=labels,
            base_labels=base_labels,
            projection=projection,
            base_margin=base_margin,
            n_groups=n_groups,
            counts=counts,
            in_conv=in_conv,
        )

    def _counts(
        self, labels: NDArray[np.intp], n_groups: int, warm: _Warm | None, recount: bool
    ) -> NDArray[np.int64]:
        """Votes per group, statement and kind; an update only recounts participants who moved."""
        r = self._ratings
        m = r.n_cols
        if warm is None or recount or warm.n_groups != n_groups or n_groups == 0:
            return r.group_counts(labels, n_groups)
        old_labels = np.full(len(labels), -1, dtype=np.intp)
        old_labels[: len(warm.labels)] = warm.labels
        moved = np.flatnonzero(old_labels != labels)
        if len(moved) > 0.2 * len(labels):
            return r.group_counts(labels, n_groups)
        counts = np.zeros((n_groups, m, 3), dtype=np.int64)
        counts[:, : warm.counts.shape[1]] = warm.counts
        # 1. The batch's votes for participants who kept their group: swap old vote for new.
        rows, cols, old, new = warm.changed_votes
        if len(rows):
            g = old_labels[rows]
            stay = (g >= 0) & (labels[rows] == g)
            had = stay & (old != -128)
            np.add.at(counts, (g[had], cols[had], old[had].astype(np.intp) + 1), -1)
            np.add.at(counts, (g[stay], cols[stay], new[stay].astype(np.intp) + 1), 1)
        # 2. Participants who changed group: take all their (current) votes out of the old
        # group and into the new. For the ones also in the batch, the old group held their
        # old votes, so first turn those back into the new ones.
        if len(moved):
            if len(rows):
                mv = np.zeros(len(labels), dtype=bool)
                mv[moved] = True
                sel = mv[rows] & (old_labels[rows] >= 0)
                g = old_labels[rows[sel]]
                had = old[sel] != -128
                np.add.at(counts, (g[had], cols[sel][had], old[sel][had].astype(np.intp) + 1), -1)
                np.add.at(counts, (g, cols[sel], new[sel].astype(np.intp) + 1), 1)
            counts -= r.group_counts(old_labels, n_groups, rows=moved)
            counts += r.group_counts(labels, n_groups, rows=moved)
        return counts


def _smooth_k(this_k: int, previous: dict[str, int] | None, buffer: int) -> dict[str, int]:
    """Pol.is's ``group-k-smoother``: switch k only after it has won ``buffer`` times running."""
    if previous is None:
        return {"last_k": this_k, "last_k_count": 1, "smoothed_k": this_k}
    count = previous["last_k_count"] + 1 if previous["last_k"] == this_k else 1
    smoothed = this_k if count >= buffer else previous["smoothed_k"]
    return {"last_k": this_k, "last_k_count": count, "smoothed_k": smoothed}


def _weighted_centers(
    centers: NDArray[np.float64],
    sizes: NDArray[np.float64],
    groups: NDArray[np.intp],
    n_groups: int,
) -> NDArray[np.float64]:
    mass = np.bincount(groups, weights=sizes, minlength=n_groups)
    sums = np.stack(
        [
            np.bincount(groups, weights=sizes * centers[:, d], minlength=n_groups)
            for d in range(centers.shape[1])
        ],
        axis=1,
    )
    return sums / np.maximum(mass, 1e-300)[:, None]


def _relabel(
    labels: NDArray[np.intp], n_groups: int, warm: _Warm | None
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Stable group numbers: largest group first on a fresh fit, previous numbers on an update.

    On an update each new group takes the number of the previous group it shares most
    participants with (an assignment problem, solved exactly by the Hungarian method); groups
    left over are numbered after, largest first. Returns (new labels, order) where ``order[i]``
    is the old index of the group now numbered i.
    """
    if n_groups == 0:
        return labels, np.zeros(0, dtype=np.intp)
    clustered = labels >= 0
    sizes = np.bincount(labels[clustered], minlength=n_groups)
    rank = np.argsort(-sizes, kind="stable")
    if warm is not None and warm.n_groups:
        old = np.full(len(labels), -1, dtype=np.intp)
        old[: len(warm.labels)] = warm.labels
        both = clustered & (old >= 0)
        overlap = np.bincount(
            labels[both] * warm.n_groups + old[both], minlength=n_groups * warm.n_groups
        ).reshape(n_groups, warm.n_groups)
        new_idx, old_idx = linear_sum_assignment(-overlap)
        matched = dict(zip(new_idx.tolist(), old_idx.tolist(), strict=True))
        rank = np.array(
            sorted(
                range(n_groups), key=lambda g: (0, matched[g]) if g in matched else (1, -sizes[g])
            )
        )
    order = rank.astype(np.intp)
    inverse = np.empty(n_groups, dtype=np.intp)
    inverse[order] = np.arange(n_groups)
    out = labels.copy()
    out[clustered] = inverse[labels[clustered]]
    return out, order


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
