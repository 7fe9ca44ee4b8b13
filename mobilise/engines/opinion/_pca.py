"""PCA of the mean-imputed vote matrix and Pol.is's sparsity-aware projection.

Pol.is (pca.clj, conversation.clj) replaces each missing vote by its statement's mean vote,
centres every column on that mean and takes the first two principal components by power
iteration. Mean imputation followed by centring leaves exactly the *observed* votes, each
minus its column mean, and zeros everywhere else. So the centred matrix ``Xc`` is as sparse
as the votes, and we never build the dense one: ``Xc`` is a CSR matrix with data
``v_ij - mu_j`` on the voted cells.

The leading right singular vectors of ``Xc`` are the eigenvectors of its covariance that
power iteration converges to. We take them from ARPACK (Lehoucq, Sorensen & Yang 1998) through
``scipy.sparse.linalg.svds``, or a dense SVD for tiny matrices, and from a few warm-started
block power iterations (Golub & Van Loan, *Matrix Computations*, 4th ed., 8.2.4 "orthogonal
iteration") when updating a previous result, as Pol.is restarts from its previous components.
"""

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import LinearOperator, svds

FloatArray = NDArray[np.float64]


def canonical_signs(components: FloatArray, reference: FloatArray | None = None) -> FloatArray:
    """Fix each component's arbitrary sign so results are reproducible.

    With a ``reference`` (the previous components) a component is flipped to point the same
    way as its predecessor, so the map does not mirror between updates. Without one, the
    entry of largest magnitude is made positive.
    """
    out = np.array(components, dtype=float)
    for i in range(out.shape[0]):
        if reference is not None and i < reference.shape[0] and reference.shape[1] == out.shape[1]:
            flip = float(out[i] @ reference[i]) < 0
        else:
            flip = out[i, np.argmax(np.abs(out[i]))] < 0 if out.shape[1] else False
        if flip:
            out[i] = -out[i]
    return out


def has_variance(parts: list[sp.csr_matrix]) -> bool:
    """Whether any centred vote differs from its statement's mean (else PCA has nothing to do)."""
    return any(bool(np.any(p.data != 0)) for p in parts)


def _operator(parts: list[sp.csr_matrix], dtype: type) -> LinearOperator:
    """``Xc`` as a linear operator: the sum of the base matrix and any pending additions."""
    shape = parts[0].shape

    def matmat(x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=dtype)
        out = parts[0] @ x
        for extra in parts[1:]:
            out = out + extra @ x
        return out

    def rmatmat(y: FloatArray) -> FloatArray:
        y = np.asarray(y, dtype=dtype)
        out = parts[0].T @ y
        for extra in parts[1:]:
            out = out + extra.T @ y
        return out

    return LinearOperator(
        shape,
        matvec=lambda v: matmat(v.reshape(-1, 1)).ravel(),
        rmatvec=lambda v: rmatmat(v.reshape(-1, 1)).ravel(),
        matmat=matmat,
        rmatmat=rmatmat,
        dtype=dtype,
    )


def leading_components(
    parts: list[sp.csr_matrix],
    n_components: int,
    rng: np.random.Generator,
) -> FloatArray:
    """The first ``n_components`` principal axes of ``Xc`` (rows of the returned array).

    ``parts`` sum to ``Xc`` (participants x statements, already centred). Columns with no
    variance get zero loadings. Fewer than ``n_components`` non-trivial axes are padded with
    zero rows, as Pol.is's ``wrapped-pca`` pads degenerate cases.
    """
    n, m = parts[0].shape
    out = np.zeros((n_components, m))
    if n == 0 or m == 0 or not has_variance(parts):
        # Everyone voted alike: there is no axis to find (ARPACK would fail on a zero start).
        return out
    k = min(n_components, n, m)
    if min(n, m) <= 2 * n_components + 2 or n * m <= 40_000:
        dense = sum((p.toarray() for p in parts[1:]), parts[0].toarray())
        _, s, vt = np.linalg.svd(dense, full_matrices=False)
        comps = vt[:k] * (s[:k, None] > 1e-12 * max(s[0], 1e-300))
    else:
        dtype = parts[0].dtype.type
        op = _operator(parts, dtype)
        v0 = rng.standard_normal(min(n, m)).astype(dtype)
        _, s, vt = svds(op, k=k, v0=v0, solver="arpack", return_singular_vectors="vh")
        order = np.argsort(-s)
        comps = vt[order] * (s[order, None] > 1e-9 * max(float(s.max()), 1e-300))
    out[:k] = comps
    return canonical_signs(out)


def refine_components(
    parts: list[sp.csr_matrix],
    previous: FloatArray,
    *,
    max_iter: int,
    tol: float,
    lagged: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray | None, int]:
    """Warm-started power iteration from the previous components, as Pol.is updates its PCA.

    Each step multiplies the basis by ``Xc^T Xc`` (one pass over the votes each way) and
    re-orthonormalises it by QR, which keeps the first axis pointing where power iteration
    takes it and the second orthogonal to it: Pol.is's ``power-iteration`` with
    ``factor-matrix`` deflation, done for both axes at once (Golub & Van Loan 2013, 8.2.4).
    Stops when no axis moves by ``tol`` (Euclidean distance between unit vectors, after
    matching signs) or after ``max_iter`` steps.

    Returns (components, Xc @ components.T, next components or None, steps). The product is
    the unscaled projection, so the caller need not pass over the votes again. With
    ``lagged`` (big conversations, one step allowed) the map keeps the previous axes and the
    one step computes the axes for the *next* update: two passes over the votes instead of
    three, at the price of the map's axes trailing the data by one update.
    """
    k, m = previous.shape
    dtype = parts[0].dtype.type
    op = _operator(parts, dtype)
    basis = np.array(previous.T, dtype=float)
    live = np.linalg.norm(basis, axis=0) > 0
    if not live.all():
        # Axes that were degenerate last time get a fresh random start.
        basis[:, ~live] = np.random.default_rng(0).standard_normal((m, int((~live).sum())))
    basis, r = np.linalg.qr(basis)
    basis = basis * np.where(np.diag(r) < 0, -1.0, 1.0)
    projected = np.asarray(op.matmat(basis.astype(dtype)), dtype=float)
    if lagged:
        z = np.asarray(op.rmatmat(projected.astype(dtype)), dtype=float)
        new, r = np.linalg.qr(z)
        new = new * np.where(np.diag(r) < 0, -1.0, 1.0)
        return basis.T, projected, canonical_signs(new.T, previous), 1
    steps = 0
    for steps in range(1, max_iter + 1):  # noqa: B007 - steps is reported
        z = np.asarray(op.rmatmat(projected.astype(dtype)), dtype=float)
        new, r = np.linalg.qr(z)
        new = new * np.where(np.diag(r) < 0, -1.0, 1.0)  # QR's signs are arbitrary
        moved = float(np.linalg.norm(new - basis, axis=0).max())
        basis = new
        projected = np.asarray(op.matmat(basis.astype(dtype)), dtype=float)
        if moved < tol:
            break
    out = basis.T * (np.linalg.norm(basis, axis=0) > 0)[:, None]
    signs = np.sign(np.sum(canonical_signs(out, previous) * out, axis=1))
    signs[signs == 0] = 1.0
    return out * signs[:, None], projected * signs[None, :], None, steps


def project_participants(
    parts: list[sp.csr_matrix],
    components: FloatArray,
    n_counted: NDArray[np.int64],
    n_statements: int,
    projected: FloatArray | None = None,
) -> FloatArray:
    """Pol.is's sparsity-aware projection of every participant (``sparsity-aware-project-ptpt``).

    ``x_i = sqrt(C / max(n_i, 1)) * sum_{j voted by i} (v_ij - mu_j) * pc_j``, where C is the
    number of statements and ``n_i`` the number counted as voted. The sum alone is the usual
    PCA projection of the mean-imputed row (unvoted cells contribute zero after centring); the
    factor pushes out participants who voted on few statements, whose sums would otherwise
    crowd the centre just for lack of votes. ``projected`` is ``Xc @ components.T`` when the
    caller already has it.
    """
    if projected is None:
        comps = components.T.astype(parts[0].dtype.type)
        raw = np.asarray(parts[0] @ comps, dtype=float)
        for extra in parts[1:]:
            raw += np.asarray(extra @ comps, dtype=float)
    else:
        raw = projected
    scale = np.sqrt(n_statements / np.maximum(n_counted, 1).astype(float))
    return raw * scale[:, None]


def statement_projection(
    components: FloatArray, center: FloatArray, n_statements: int
) -> tuple[FloatArray, FloatArray]:
    """Where each statement sits on the map and how far out: Pol.is's ``pca-project-cmnts``.

    A statement is projected as a participant who agreed with it and voted on nothing else,
    through the sparsity-aware projection: ``sqrt(C) * (1 - mu_j) * pc_j``. (Pol.is writes the
    vote as -1 because agree is -1 inside its math; with agree = +1 and mean ``mu_j`` in our
    coding the value is the same up to the components' arbitrary sign.) The extremity
    ``E_j = ||projection_j||`` feeds the routing priority. Returns (projection, extremity).
    """
    proj = (np.sqrt(float(n_statements)) * (1.0 - center))[:, None] * components.T
    return proj, np.linalg.norm(proj, axis=1)
