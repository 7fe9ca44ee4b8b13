"""Interrupted time series: segmented regression with Newey–West standard errors.

``y_t = b0 + b1·(t − t0) + b2·post_t + b3·(t − start)·post_t + e_t`` for one series, where
``post_t`` is 1 from ``start`` on. ``b2`` is the change in level at the interruption and ``b3`` the
change in slope; standard errors are Newey–West (Bartlett kernel) with ``lags`` lags (default
``floor(4·(n/100)^(2/9))``), no small-sample correction, and intervals from Student's t with
``n − 4`` degrees of freedom. With no comparison group, this is the weakest of the engine's designs
and its summary says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mobilise.engines._validation import NotFittedError, check_array

from ._ols import newey_west, t_interval

__all__ = ["ITSResult", "InterruptedTimeSeries"]


@dataclass(frozen=True)
class ITSResult:
    start: float
    level_change: float
    level_se: float
    level_ci: tuple[float, float]
    slope_change: float
    slope_se: float
    slope_ci: tuple[float, float]
    pre_slope: float
    n: int
    lags: int
    alpha: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "level_change": self.level_change,
            "level_se": self.level_se,
            "level_ci": list(self.level_ci),
            "slope_change": self.slope_change,
            "slope_se": self.slope_se,
            "slope_ci": list(self.slope_ci),
            "pre_slope": self.pre_slope,
            "n": self.n,
            "lags": self.lags,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        from ._text import its_summary

        return its_summary(self)


class InterruptedTimeSeries:
    """``InterruptedTimeSeries(lags=None, alpha=0.05).fit(times, values, start=)``."""

    def __init__(self, *, lags: int | None = None, alpha: float = 0.05) -> None:
        self.lags = lags
        self.alpha = alpha

    def __getattr__(self, name: str) -> Any:
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(name)

    def fit(
        self, times: Sequence[float], values: Sequence[float], *, start: float
    ) -> InterruptedTimeSeries:
        t = check_array(times, name="times", ndim=1)
        y = check_array(values, name="values", ndim=1)
        if len(t) != len(y):
            raise ValueError(f"times and values differ in length ({len(t)} and {len(y)}).")
        order = np.argsort(t)
        t, y = t[order], y[order]
        post = (t >= start).astype(float)
        n_pre, n_post = int((post == 0).sum()), int(post.sum())
        if n_pre < 3 or n_post < 2:
            raise ValueError(
                f"an interrupted time series needs at least 3 periods before {start:g} and 2 from "
                f"it on; got {n_pre} and {n_post}."
            )
        x = np.column_stack([np.ones_like(t), t - t[0], post, (t - start) * post])
        n = len(y)
        lags = self.lags if self.lags is not None else int(np.floor(4 * (n / 100) ** (2 / 9)))
        fit = newey_west(x, y, lags)
        se = np.sqrt(np.diag(fit.cov))
        lvl = t_interval(float(fit.beta[2]), float(se[2]), n - 4, self.alpha)
        slp = t_interval(float(fit.beta[3]), float(se[3]), n - 4, self.alpha)
        self.result_ = ITSResult(
            start=float(start),
            level_change=float(fit.beta[2]),
            level_se=float(se[2]),
            level_ci=(lvl[0], lvl[1]),
            slope_change=float(fit.beta[3]),
            slope_se=float(se[3]),
            slope_ci=(slp[0], slp[1]),
            pre_slope=float(fit.beta[1]),
            n=n,
            lags=lags,
            alpha=self.alpha,
        )
        self.level_change_ = self.result_.level_change
        self.slope_change_ = self.result_.slope_change
        return self
