"""Least squares with cluster-robust (CR1) and Newey–West covariance, and within-unit demeaning."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class OLSFit:
    beta: NDArray[np.float64]
    cov: NDArray[np.float64]
    n: int
    n_clusters: int
    df: int  # degrees of freedom for t and F tests (clusters - 1, or n - k)


def group_codes(groups: NDArray[np.object_] | NDArray[np.float64]) -> tuple[NDArray[np.intp], int]:
    values = np.asarray(groups)
    if values.dtype.kind not in "iu":  # labels of any type; integers are grouped as they are
        values = values.astype(str)
    _, codes = np.unique(values, return_inverse=True)
    return codes.ravel(), int(codes.max()) + 1 if len(codes) else 0


def group_sums(
    values: NDArray[np.float64], groups: NDArray[np.intp], n_groups: int
) -> NDArray[np.float64]:
    """Column sums of ``values`` (n × k) within each group: ``np.add.at``, by ``np.bincount``."""
    return (
        np.column_stack(
            [
                np.bincount(groups, weights=values[:, j], minlength=n_groups)
                for j in range(values.shape[1])
            ]
        )
        if values.shape[1]
        else np.zeros((n_groups, 0))
    )


def ols_cluster(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    clusters: NDArray[np.intp],
    *,
    absorbed: int = 0,
) -> OLSFit:
    """OLS with the CR1 cluster-robust covariance of Stata and statsmodels.

    ``V = G/(G-1) · (N-1)/(N-K) · (X'X)⁻¹ (Σ_g X_g'u_g u_g'X_g) (X'X)⁻¹`` with ``K`` the columns of
    ``x`` plus ``absorbed`` (effects swept out beforehand that are not nested in clusters; unit
    effects nested in unit clusters are not counted, as in Stata's ``xtreg, fe`` and ``reghdfe``).
    """
    n, k = x.shape
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)
    resid = y - x @ beta
    g = int(clusters.max()) + 1
    scores = group_sums(x * resid[:, None], clusters, g)
    meat = scores.T @ scores
    kk = k + absorbed
    if g < 2 or n <= kk:
        raise ValueError(f"too few clusters ({g}) or observations ({n}) for {kk} parameters.")
    c = g / (g - 1) * (n - 1) / (n - kk)
    cov = c * xtx_inv @ meat @ xtx_inv
    return OLSFit(beta, cov, n, g, g - 1)


def newey_west(x: NDArray[np.float64], y: NDArray[np.float64], lags: int) -> OLSFit:
    """OLS with the Newey–West (Bartlett kernel) HAC covariance, no small-sample correction."""
    n, k = x.shape
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)
    u = (y - x @ beta)[:, None] * x
    s = u.T @ u
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        gamma = u[lag:].T @ u[:-lag]
        s += weight * (gamma + gamma.T)
    cov = xtx_inv @ s @ xtx_inv
    return OLSFit(beta, cov, n, n, n - k)


def demean_within(
    values: NDArray[np.float64], units: NDArray[np.intp], n_units: int
) -> NDArray[np.float64]:
    """Subtract each unit's mean from every column (the within transformation)."""
    two_d = values if values.ndim == 2 else values[:, None]
    sums = group_sums(two_d, units, n_units)
    counts = np.bincount(units, minlength=n_units).astype(float)
    out = two_d - (sums / np.maximum(counts, 1)[:, None])[units]
    return out if values.ndim == 2 else out[:, 0]


def t_interval(estimate: float, se: float, df: int, alpha: float) -> tuple[float, float, float]:
    """(low, high, two-sided p) from Student's t with ``df`` degrees of freedom."""
    from scipy import stats

    q = float(stats.t.ppf(1 - alpha / 2, df))
    p = float(2 * stats.t.sf(abs(estimate / se), df)) if se > 0 else float("nan")
    return estimate - q * se, estimate + q * se, p


def wald(beta: NDArray[np.float64], cov: NDArray[np.float64], df: int) -> tuple[float, float]:
    """Joint test that every coefficient is zero: (F statistic, p) with (q, df) degrees of freedom."""
    from scipy import stats

    q = len(beta)
    stat = float(beta @ np.linalg.pinv(cov) @ beta) / q
    return stat, float(stats.f.sf(stat, q, df))
