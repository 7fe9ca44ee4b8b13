"""Vectorised trend fits for many series at once: the arithmetic behind every projection.

Every function works on a block of series laid out as rows: ``x`` (years) and ``y`` (values) of
shape ``(n_series, n_periods)`` with a boolean ``mask`` marking the observations that exist. Gaps
are simply ``False`` in the mask, so a block can mix series of different lengths and spacings.
The one-series ``TrendProjector`` runs through the same code with a single row, which is why a
batch and a loop of single fits agree to the last bit.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

# Consistency constant for the median absolute deviation: for Gaussian noise
# 1.4826 * MAD estimates the standard deviation (1 / Phi^-1(3/4); Rousseeuw & Croux 1993).
MAD_TO_SD = 1.482602218505602
# Asymptotic variance inflation of the Theil–Sen slope against least squares under Gaussian
# errors: its asymptotic relative efficiency is 3/pi (Sen 1968), so the variance is pi/3 larger.
THEIL_SEN_SLOPE_INFLATION = np.pi / 3
# The Theil–Sen level is a median, whose Gaussian efficiency against the mean is 2/pi.
THEIL_SEN_LEVEL_INFLATION = np.pi / 2
# Gaussian efficiency of the MAD as a scale estimate (about 37%, Rousseeuw & Croux 1993). It sets
# the effective degrees of freedom of the robust residual scale, see ``fit_theil_sen``.
MAD_EFFICIENCY = 0.37
# Pairwise slopes are built in blocks of about this many numbers to keep memory flat.
_PAIR_BLOCK = 4_000_000


@dataclass(frozen=True)
class TrendFit:
    """One fitted straight line per row, in a form that makes prediction cheap.

    The line is ``level + slope * (x - x_mean)``: centring on the mean year keeps the arithmetic
    well conditioned for years around 2000 (an intercept at year 0 would lose digits).
    """

    n: NDArray[np.int64]
    x_mean: FloatArray
    sxx: FloatArray
    level: FloatArray
    slope: FloatArray
    scale: FloatArray
    dof: FloatArray
    level_inflation: float
    slope_inflation: float

    def predict(self, x0: FloatArray | float, interval: float) -> tuple[FloatArray, FloatArray]:
        """Point prediction and half-width of the prediction interval at ``x0`` (per row or shared).

        The half-width is the textbook prediction interval for a new observation from a simple
        linear regression (Montgomery, Peck & Vining, *Introduction to Linear Regression
        Analysis*, 5th ed., 2012, "Prediction of new observations"):

            t_{(1+p)/2, dof} * s * sqrt(1 + a/n + c * (x0 - x_mean)^2 / Sxx)

        with ``a = c = 1`` for least squares and ``a = pi/2``, ``c = pi/3`` for Theil–Sen (see
        ``fit_theil_sen``).
        Rows with too few points for a scale (``dof <= 0``) get NaN.
        """
        x0 = np.asarray(x0, dtype=float)
        d = x0 - self.x_mean
        point = self.level + self.slope * d
        with np.errstate(invalid="ignore", divide="ignore"):
            # stdtrit is the Student t quantile as a bare ufunc: the same numbers as
            # scipy.stats.t.ppf without its per-call overhead, which dominates for one series.
            q = special.stdtrit(np.where(self.dof > 0, self.dof, np.nan), 0.5 + interval / 2)
            spread = np.sqrt(
                1 + self.level_inflation / self.n + self.slope_inflation * d**2 / self.sxx
            )
        return point, q * self.scale * spread


def _centre(x: FloatArray, y: FloatArray, mask: BoolArray) -> tuple[Any, ...]:
    n = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = np.where(mask, x, 0.0).sum(axis=1) / n
        y_mean = np.where(mask, y, 0.0).sum(axis=1) / n
    dx = np.where(mask, x - x_mean[:, None], 0.0)
    dy = np.where(mask, y - y_mean[:, None], 0.0)
    return n, x_mean, y_mean, dx, dy


def fit_ols(x: FloatArray, y: FloatArray, mask: BoolArray) -> TrendFit:
    """Ordinary least squares line per row, with the residual standard error.

    slope = Sxy / Sxx, level = mean(y) at mean(x), s^2 = RSS / (n - 2) (Montgomery, Peck &
    Vining 2012, simple linear regression). Rows with fewer than two distinct years get NaN.
    """
    n, x_mean, y_mean, dx, dy = _centre(x, y, mask)
    sxx = (dx * dx).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (dx * dy).sum(axis=1) / sxx
        resid = np.where(mask, dy - slope[:, None] * dx, 0.0)
        dof = (n - 2).astype(float)
        scale = np.sqrt((resid * resid).sum(axis=1) / dof)
    return TrendFit(n, x_mean, sxx, y_mean, slope, scale, dof, 1.0, 1.0)


def masked_median(values: FloatArray, mask: BoolArray) -> FloatArray:
    """Median of each row over the entries where ``mask`` is true; NaN for an empty row.

    ``np.nanmedian`` loops in Python over rows of a 2-D array; sorting once with the missing
    entries pushed to the end and picking the middle by count is a single vectorised pass.
    """
    filled = np.where(mask, values, np.inf)
    filled.sort(axis=1)
    k = mask.sum(axis=1)
    rows = np.arange(values.shape[0])
    lo = np.maximum((k - 1) // 2, 0)
    hi = np.minimum(k // 2, max(values.shape[1] - 1, 0))
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    with np.errstate(invalid="ignore"):
        median = 0.5 * (filled[rows, lo] + filled[rows, hi])
    return np.where(k > 0, median, np.nan)


def _pairwise_slope_median(x: FloatArray, y: FloatArray, mask: BoolArray) -> FloatArray:
    """Theil–Sen slope per row: the median of (y_j - y_i) / (x_j - x_i) over pairs i < j."""
    n_rows, width = x.shape
    i, j = np.triu_indices(width, k=1)
    out = np.full(n_rows, np.nan)
    if i.size == 0:
        return out
    step = max(1, _PAIR_BLOCK // i.size)
    for start in range(0, n_rows, step):
        block = slice(start, start + step)
        xb, yb, mb = x[block], y[block], mask[block]
        dx = xb[:, j] - xb[:, i]
        # Pairs at the same year carry no slope information (Sen 1968 drops them too).
        ok = mb[:, i] & mb[:, j] & (dx != 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            slopes = (yb[:, j] - yb[:, i]) / np.where(ok, dx, 1.0)
        out[block] = masked_median(slopes, ok)
    return out


def fit_theil_sen(x: FloatArray, y: FloatArray, mask: BoolArray) -> TrendFit:
    """Theil–Sen line per row with a robust residual scale.

    slope = median over pairs of (y_j - y_i)/(x_j - x_i) (Theil 1950; Sen 1968); level =
    median(y - slope * (x - mean x)), the "joint" intercept, so the residuals have median zero
    (``scipy.stats.theilslopes(method="joint")`` gives the same line). The residual scale is
    s = 1.4826 * median |r| * sqrt(n / (n - 2)): the MAD about the residual median made
    consistent for Gaussian noise (Rousseeuw & Croux 1993), times the same n / (n - 2) allowance
    for the two fitted parameters that turns RSS / n into the unbiased RSS / (n - 2). If more
    than half the residuals are exactly zero (a few points sitting on the line) the MAD is zero
    though the series is not; then the mean absolute residual * sqrt(pi/2), its Gaussian-
    consistent form, stands in, so only a series that is exactly straight gets a zero-width
    interval.

    The interval reuses the least-squares form with three approximations: the 1/n (level) term is
    inflated by pi/2 and the slope term by pi/3, the Gaussian variance ratios of a median and of
    the Theil–Sen slope against their least-squares counterparts (Sen 1968), and the t quantile
    uses 0.37 * (n - 2) degrees of freedom (the MAD's Gaussian efficiency, floored at 1), because
    a MAD from a handful of residuals is a much noisier scale than s. Simulated coverage of the
    nominal 80% interval with Gaussian noise is 0.76-0.80 for 3-40 points (95%: 0.93-0.95); with
    heavy tails it is lower, since the interval describes typical noise, not the outliers that
    the line ignores.
    """
    n, x_mean, _, dx, _ = _centre(x, y, mask)
    sxx = (dx * dx).sum(axis=1)
    slope = _pairwise_slope_median(x, y, mask)
    with np.errstate(invalid="ignore"):
        shifted = y - slope[:, None] * (x - x_mean[:, None])
    level = masked_median(shifted, mask)
    abs_resid = np.abs(shifted - level[:, None])
    mad_scale = MAD_TO_SD * masked_median(abs_resid, mask)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_abs = np.where(mask, abs_resid, 0.0).sum(axis=1) / n * np.sqrt(np.pi / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(mad_scale > 0, mad_scale, mean_abs) * np.sqrt(n / (n - 2.0))
    dof = np.where(n > 2, np.maximum(MAD_EFFICIENCY * (n - 2), 1.0), n - 2.0)
    return TrendFit(
        n,
        x_mean,
        sxx,
        level,
        slope,
        scale,
        dof,
        THEIL_SEN_LEVEL_INFLATION,
        THEIL_SEN_SLOPE_INFLATION,
    )


FITTERS = {"linear": fit_ols, "theil_sen": fit_theil_sen}
