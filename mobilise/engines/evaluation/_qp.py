"""Least squares on the simplex: ``min ||A w - b||²`` subject to ``w >= 0`` and ``sum(w) = 1``.

This is the inner problem of synthetic control (donor weights given predictor weights). It is
solved exactly by an active-set route: Lawson–Hanson NNLS (``scipy.optimize.nnls``) on the problem
with the sum constraint added as a heavily weighted row finds the support, then the equality-
constrained least-squares problem on that support is solved exactly and the KKT conditions are
checked. When they fail (rare: a degenerate support), SLSQP finishes from that point.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_TOL = 1e-10


def simplex_lstsq(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """The weights ``w`` on the simplex that minimise ``||a @ w - b||²``."""
    from scipy.optimize import nnls

    k, j = a.shape
    if j == 1:
        return np.ones(1)
    big = 1e3 * max(1.0, float(np.abs(a).max()), float(np.abs(b).max()))
    aug = np.empty((k + 1, j))
    aug[:k] = a
    aug[k] = big
    rhs = np.empty(k + 1)
    rhs[:k] = b
    rhs[k] = big
    w, _ = nnls(aug, rhs, maxiter=50 * j)
    total = w.sum()
    w = w / total if total > 0 else np.full(j, 1.0 / j)
    if _is_optimal(a, b, w, tight=True):
        return w
    w = _polish(a, b, w)
    if not _is_optimal(a, b, w):
        w = _slsqp(a, b, w)
    return w


def _polish(
    a: NDArray[np.float64], b: NDArray[np.float64], w: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Solve the equality-constrained problem exactly on ``w``'s support (shrinking it if needed)."""
    support = np.flatnonzero(w > 1e-12)
    for _ in range(len(w)):
        if len(support) == 0:
            break
        a_s = a[:, support]
        n = len(support)
        kkt = np.zeros((n + 1, n + 1))
        kkt[:n, :n] = 2 * a_s.T @ a_s
        kkt[:n, n] = 1.0
        kkt[n, :n] = 1.0
        rhs = np.append(2 * a_s.T @ b, 1.0)
        sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:n]
        if (sol >= -_TOL).all():
            out = np.zeros_like(w)
            out[support] = np.clip(sol, 0, None)
            out /= out.sum()
            if _objective(a, b, out) <= _objective(a, b, w) + 1e-14:
                return out
            return w
        support = support[sol > 0]
    return w


def _objective(a: NDArray[np.float64], b: NDArray[np.float64], w: NDArray[np.float64]) -> float:
    r = a @ w - b
    return float(r @ r)


def _is_optimal(
    a: NDArray[np.float64], b: NDArray[np.float64], w: NDArray[np.float64], *, tight: bool = False
) -> bool:
    """KKT: every donor's gradient is at least the multiplier, with equality on the support."""
    grad = 2 * a.T @ (a @ w - b)
    support = w > 1e-12
    ws = w[support]
    if not len(ws):
        return False
    g = grad[support]
    lam = (g * ws).sum() / ws.sum()  # np.average, without its overhead
    tol = (1e-9 if tight else 1e-7) * max(1.0, np.abs(grad).max())
    return bool(np.abs(g - lam).max() <= tol and grad.min() >= lam - tol)


def _slsqp(
    a: NDArray[np.float64], b: NDArray[np.float64], w0: NDArray[np.float64]
) -> NDArray[np.float64]:
    from scipy.optimize import minimize

    h = 2 * a.T @ a
    c = -2 * a.T @ b

    def f(w: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        hw = h @ w
        return float(0.5 * w @ hw + c @ w), hw + c

    res = minimize(
        f,
        w0,
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * len(w0),
        constraints=[
            {"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)}
        ],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    w = np.clip(res.x, 0, None)
    w /= w.sum()
    return w if _objective(a, b, w) <= _objective(a, b, w0) else w0
