"""Weighted k-means for the two clustering levels (base clusters, then opinion groups).

Lloyd's algorithm (Lloyd 1982, IEEE Trans. Inf. Theory 28:129-137) alternates assigning each
point to its nearest centre and moving each centre to the weighted mean of its points,
``c_k = sum_i w_i x_i / sum_i w_i`` over the points i assigned to k, which never increases the
weighted inertia ``sum_i w_i ||x_i - c_{k(i)}||^2``. Starting centres come from k-means++
(Arthur & Vassilvitskii 2007, SODA: each new centre drawn with probability proportional to
``w_i * D(x_i)^2``, D the distance to the nearest centre so far) or from a previous result.

Pol.is (clusters.clj) runs the same Lloyd step and stops when no centre moves by 0.01 or
more; for a brand-new conversation it seeds with the first k distinct points and afterwards
with the previous clustering. We seed with k-means++ and keep the best of several restarts,
because we usually start from nothing where Pol.is starts from a conversation's history.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# Above this many point-centre pairs a k-d tree over the centres beats the dense distance
# matrix (measured on 2-D maps with 100 centres).
_TREE_PAIRS = 20_000
_TWO_WORKERS = 40_000
_CHUNK = 65_536


@dataclass(frozen=True)
class KMeansResult:
    centers: FloatArray
    labels: IntArray
    inertia: float
    n_iter: int


def assign(points: FloatArray, centers: FloatArray) -> tuple[IntArray, FloatArray]:
    """Index of each point's nearest centre and the squared distance to it.

    Small problems use ``||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2`` (one matrix product per
    block); large ones a k-d tree over the centres, on both cores.
    """
    n, k = points.shape[0], centers.shape[0]
    if n * k > _TREE_PAIRS:
        # Two threads only pay for themselves on big batches.
        workers = 2 if n >= _TWO_WORKERS else 1
        dist, labels = cKDTree(centers).query(points, k=1, workers=workers)
        return labels.astype(np.intp), dist**2
    labels = np.empty(n, dtype=np.intp)
    sq = np.empty(n)
    c2 = (centers**2).sum(axis=1)
    for start in range(0, n, _CHUNK):
        block = points[start : start + _CHUNK]
        partial = c2 - 2.0 * (block @ centers.T)
        idx = partial.argmin(axis=1)
        labels[start : start + _CHUNK] = idx
        # Clip tiny negatives left by cancellation.
        sq[start : start + _CHUNK] = np.maximum(
            partial[np.arange(block.shape[0]), idx] + (block**2).sum(axis=1), 0.0
        )
    return labels, sq


def assign_with_margin(points: FloatArray, centers: FloatArray) -> tuple[IntArray, FloatArray]:
    """Nearest centre of each point and its *margin*: second-nearest minus nearest distance.

    The margin is what ``bounded_step`` needs to skip points that cannot have changed centre.
    """
    n, k = points.shape[0], centers.shape[0]
    if k < 2:
        return np.zeros(n, dtype=np.intp), np.full(n, np.inf)
    workers = 2 if n >= _TWO_WORKERS else 1
    dist, idx = cKDTree(centers).query(points, k=2, workers=workers)
    return idx[:, 0].astype(np.intp), dist[:, 1] - dist[:, 0]


def bounded_step(
    points: FloatArray,
    old_points: FloatArray,
    centers: FloatArray,
    labels: IntArray,
    margin: FloatArray,
    weights: FloatArray,
) -> tuple[KMeansResult, FloatArray] | None:
    """One Lloyd step that re-assigns only the points whose nearest centre may have changed.

    Hamerly's bound (Hamerly 2010, "Making k-means even faster", SIAM SDM): a point at
    distance u from its centre a and l from the next nearest keeps a when, after it moves by
    ``d`` and the centres by ``s_c``, ``u + d + s_a < l - d - max_c s_c``; so it is safe while
    ``margin = l - u > 2 d + s_a + max_c s_c``. The margin left over is carried forward as a
    lower bound; points that fail the test are queried afresh. ``old_points`` are the
    positions the labels and margins were computed for. Returns None when a centre would be
    left empty (the caller then takes the plain Lloyd step). The result's inertia is NaN.
    """
    k, dim = centers.shape
    mass = np.bincount(labels, weights=weights, minlength=k)
    if np.any(mass <= 0):
        return None
    sums = np.empty((k, dim))
    for d in range(dim):
        sums[:, d] = np.bincount(labels, weights=weights * points[:, d], minlength=k)
    new_centers = sums / mass[:, None]
    shift = np.sqrt(((new_centers - centers) ** 2).sum(axis=1))
    moved = np.sqrt(((points - old_points) ** 2).sum(axis=1))
    bound = margin - 2.0 * moved - shift[labels] - shift.max()
    redo = ~(bound > 0)
    labels = labels.copy()
    if redo.any():
        labels[redo], bound[redo] = assign_with_margin(points[redo], new_centers)
    # The inertia is left out (NaN): nothing compares this single step with another run,
    # and computing it would cost another pass over every point.
    return KMeansResult(new_centers, labels, float("nan"), 1), bound


def kmeans_plusplus(
    points: FloatArray, k: int, weights: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Weighted k-means++ seeding (Arthur & Vassilvitskii 2007).

    Stops early, with fewer than ``k`` centres, when every point already sits on a centre
    (fewer than ``k`` distinct points): k-means cannot have more clusters than distinct points.
    """
    n = points.shape[0]

    def draw(mass: FloatArray) -> int:
        # Inverse-CDF sampling: one uniform draw against the cumulative mass. Much cheaper
        # than Generator.choice(p=...), which re-validates p on every call.
        cumulative = np.cumsum(mass)
        return int(
            min(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"), n - 1)
        )

    first = draw(weights)
    centers = [points[first]]
    d2 = ((points - points[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        mass = weights * d2
        if mass.sum() <= 0:
            break
        nxt = draw(mass)
        centers.append(points[nxt])
        d2 = np.minimum(d2, ((points - points[nxt]) ** 2).sum(axis=1))
    return np.array(centers)


def lloyd(
    points: FloatArray,
    centers: FloatArray,
    weights: FloatArray,
    *,
    max_iter: int,
    tol: float,
    labels: IntArray | None = None,
) -> KMeansResult:
    """Lloyd iterations from ``centers`` until no centre moves by ``tol`` or more.

    A centre left with no points is dropped, as in Pol.is's ``cluster-step``; the caller sees
    fewer centres than it asked for. Pol.is's stopping rule is the same: every centre within
    ``tol`` (0.01) of where it was. ``labels`` (each point's centre from a previous run) saves
    the first assignment pass, the costly step on a million points.
    """
    centers = np.array(centers, dtype=float)
    dim = points.shape[1]
    if labels is None or max_iter == 0:
        labels, sq = assign(points, centers)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        k = centers.shape[0]
        mass = np.bincount(labels, weights=weights, minlength=k)
        sums = np.empty((k, dim))
        for d in range(dim):
            sums[:, d] = np.bincount(labels, weights=weights * points[:, d], minlength=k)
        keep = mass > 0
        new = sums[keep] / mass[keep, None]
        moved = (
            np.inf if not keep.all() else float(np.sqrt(((new - centers) ** 2).sum(axis=1)).max())
        )
        centers = new
        new_labels, sq = assign(points, centers)
        # Unchanged assignments are a fixed point: the centres would not move again.
        done = moved < tol or (keep.all() and np.array_equal(new_labels, labels))
        labels = new_labels
        if done:
            break
    return KMeansResult(centers, labels, float((weights * sq).sum()), n_iter)


def _batched_lloyd(
    points: FloatArray,
    starts: list[FloatArray],
    weights: FloatArray,
    *,
    max_iter: int,
    tol: float,
) -> list[KMeansResult]:
    """Lloyd's algorithm for many starts at once, for small problems (the opinion groups).

    Same steps as ``lloyd`` on a (starts, points, centres) block, so ten restarts cost about
    one. All starts must have the same number of centres. A centre that loses all its points
    stays where it was (a restart that ends like that loses on inertia to one that does not).
    """
    centers = np.stack(starts).astype(float)  # (S, k, d)
    n_starts, k, _ = centers.shape
    onehot = np.zeros((n_starts, points.shape[0], k))
    labels = np.full((n_starts, points.shape[0]), -1)
    active = np.ones(n_starts, dtype=bool)
    n_iter = np.zeros(n_starts, dtype=int)
    for _ in range(max_iter + 1):
        d2 = ((points[None, :, None, :] - centers[:, None, :, :]) ** 2).sum(axis=3)
        new_labels = d2.argmin(axis=2)
        stable = (new_labels == labels).all(axis=1)
        active &= ~stable
        labels = np.where(active[:, None], new_labels, labels)
        if not active.any():
            break
        onehot[:] = 0.0
        np.put_along_axis(onehot, labels[:, :, None], 1.0, axis=2)
        mass = np.einsum("snk,n->sk", onehot, weights)
        sums = np.einsum("snk,n,nd->skd", onehot, weights, points)
        new_centers = np.where(
            mass[:, :, None] > 0, sums / np.maximum(mass, 1e-300)[:, :, None], centers
        )
        moved = np.sqrt(((new_centers - centers) ** 2).sum(axis=2)).max(axis=1)
        centers = np.where(active[:, None, None], new_centers, centers)
        n_iter += active
        active &= moved >= tol
    d2 = ((points[None, :, None, :] - centers[:, None, :, :]) ** 2).sum(axis=3)
    labels = d2.argmin(axis=2)
    inertia = (np.take_along_axis(d2, labels[:, :, None], axis=2)[:, :, 0] * weights).sum(axis=1)
    out = []
    for i in range(n_starts):
        # Report only centres that kept points, as lloyd() does.
        used = np.bincount(labels[i], minlength=k) > 0
        remap = np.cumsum(used) - 1
        out.append(
            KMeansResult(centers[i][used], remap[labels[i]], float(inertia[i]), int(n_iter[i]))
        )
    return out


# Few centres and below this many point-centre-start triples: the batched Lloyd runs all
# restarts together (the opinion groups). Many centres (base clusters) go one at a time.
_BATCH_LIMIT = 400_000
_BATCH_MAX_K = 8


def kmeans(
    points: FloatArray,
    k: int,
    *,
    weights: FloatArray | None = None,
    rng: np.random.Generator,
    n_init: int = 1,
    max_iter: int = 100,
    tol: float = 0.01,
    init: FloatArray | None = None,
) -> KMeansResult:
    """Weighted k-means: the lowest-inertia result of ``n_init`` k-means++ restarts.

    If ``init`` is given (a previous clustering's centres) it is tried as well, and kept when
    it is at least as good, so a warm start never does worse than a cold one.
    """
    points = np.asarray(points, dtype=float)
    w = np.ones(points.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    starts: list[FloatArray] = []
    if init is not None and len(init):
        starts.append(np.asarray(init, dtype=float))
    starts.extend(kmeans_plusplus(points, k, w, rng) for _ in range(n_init))
    sizes = {len(start) for start in starts}
    batch = len(sizes) == 1 and max(sizes) <= _BATCH_MAX_K
    if batch and len(starts) * points.shape[0] * max(sizes) <= _BATCH_LIMIT:
        results = _batched_lloyd(points, starts, w, max_iter=max_iter, tol=tol)
    else:
        results = [lloyd(points, start, w, max_iter=max_iter, tol=tol) for start in starts]
    best: KMeansResult | None = None
    for result in results:
        # Strictly better only: ties keep the earlier start (the warm start, if any).
        if best is None or result.inertia < best.inertia - 1e-12 * max(1.0, best.inertia):
            best = result
    assert best is not None
    return best
