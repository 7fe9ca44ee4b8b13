"""Interrupted time series: segmented regression and Newey–West by hand."""

from __future__ import annotations

import numpy as np
import pytest

from mobilise.engines.evaluation import InterruptedTimeSeries


def test_recovers_level_and_slope_change() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(2000, 2030, dtype=float)
    y = (
        5
        + 0.5 * (t - 2000)
        + np.where(t >= 2018, -4 + 0.3 * (t - 2018), 0)
        + rng.normal(0, 0.3, 30)
    )
    result = InterruptedTimeSeries().fit(t, y, start=2018).result_
    assert result.level_change == pytest.approx(-4, abs=0.6)
    assert result.slope_change == pytest.approx(0.3, abs=0.15)
    assert result.level_ci[1] < 0
    assert result.lags == 3  # floor(4 · 0.3^(2/9)) = floor(3.06)
    assert "no comparison group" in result.summary()


def test_newey_west_by_hand() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(20, dtype=float)
    y = rng.normal(size=20).cumsum()
    result = InterruptedTimeSeries(lags=3).fit(t, y, start=12).result_
    post = (t >= 12).astype(float)
    x = np.column_stack([np.ones(20), t, post, (t - 12) * post])
    b = np.linalg.lstsq(x, y, rcond=None)[0]
    u = y - x @ b
    s = sum(np.outer(x[i] * u[i], x[i] * u[i]) for i in range(20))
    for lag in range(1, 4):
        w = 1 - lag / 4
        for i in range(lag, 20):
            g = np.outer(x[i] * u[i], x[i - lag] * u[i - lag])
            s = s + w * (g + g.T)
    bread = np.linalg.inv(x.T @ x)
    cov = bread @ s @ bread
    assert result.level_change == pytest.approx(b[2])
    assert result.level_se == pytest.approx(np.sqrt(cov[2, 2]))
    assert result.slope_se == pytest.approx(np.sqrt(cov[3, 3]))


def test_too_short() -> None:
    with pytest.raises(ValueError, match="at least 3 periods before"):
        InterruptedTimeSeries().fit([1, 2, 3, 4], [1, 2, 3, 4], start=3)
