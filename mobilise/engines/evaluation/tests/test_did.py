"""Difference-in-differences: closed forms, Card & Krueger (1994), event study, Callaway–Sant'Anna."""

from __future__ import annotations

import numpy as np
import pytest

from mobilise.engines.evaluation import (
    CallawaySantAnna,
    DifferenceInDifferences,
    EventStudy,
    Panel,
    PanelError,
    read_panel_csv,
)

from .conftest import DATA


def _cr1(
    x: np.ndarray, y: np.ndarray, clusters: np.ndarray, k_extra: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """CR1 by the textbook formula, written out independently of the engine."""
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    u = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = np.zeros((x.shape[1], x.shape[1]))
    for g in np.unique(clusters):
        s = x[clusters == g].T @ u[clusters == g]
        meat += np.outer(s, s)
    n, k = x.shape
    G = len(np.unique(clusters))
    c = G / (G - 1) * (n - 1) / (n - k - k_extra)
    return beta, c * bread @ meat @ bread


def _random_panel(seed: int = 0, n_units: int = 40, n_times: int = 8, effect: float = 2.0) -> Panel:
    rng = np.random.default_rng(seed)
    alpha = rng.normal(size=n_units)[:, None]
    lam = rng.normal(size=n_times)[None, :]
    y = 10 + alpha + lam + rng.normal(size=(n_units, n_times))
    treated = np.arange(n_units) < n_units // 2
    post = np.arange(n_times) >= n_times // 2
    y += effect * np.outer(treated, post)
    y[3, 1] = np.nan  # unbalanced
    units = tuple(f"s{k:03d}" for k in range(n_units))
    return Panel(units, np.arange(2010, 2010 + n_times, dtype=float), {"y": y})


def test_2x2_matches_closed_form_cr1() -> None:
    panel = _random_panel()
    treated = [u for k, u in enumerate(panel.units) if k < 20]
    result = (
        DifferenceInDifferences(design="2x2")
        .fit(panel, outcome="y", treated=treated, start=2014)
        .result_
    )
    rows, cols = np.nonzero(~np.isnan(panel.values["y"]))
    g = (rows < 20).astype(float)
    p = (panel.times[cols] >= 2014).astype(float)
    x = np.column_stack([np.ones_like(g), g, p, g * p])
    beta, cov = _cr1(x, panel.values["y"][rows, cols], rows)
    assert result.estimate == pytest.approx(beta[3], rel=1e-10)
    assert result.se == pytest.approx(np.sqrt(cov[3, 3]), rel=1e-10)
    from scipy import stats

    q = stats.t.ppf(0.975, 39)
    assert result.ci_low == pytest.approx(beta[3] - q * np.sqrt(cov[3, 3]))
    assert result.n == 319 and result.n_clusters == 40


def test_twfe_matches_dummy_regression() -> None:
    panel = _random_panel(seed=3)
    treated = [u for k, u in enumerate(panel.units) if k < 20]
    result = DifferenceInDifferences().fit(panel, outcome="y", treated=treated, start=2014).result_
    rows, cols = np.nonzero(~np.isnan(panel.values["y"]))
    d = ((rows < 20) & (panel.times[cols] >= 2014)).astype(float)
    unit_d = np.eye(40)[rows]
    time_d = np.eye(8)[cols][:, 1:]
    x = np.column_stack([d, unit_d, time_d])
    # Unit effects nested in unit clusters are not counted in K (xtreg, fe / reghdfe): K = 1 + 7 + 1.
    beta, cov = _cr1(x, panel.values["y"][rows, cols], rows, k_extra=-(40 - 1))
    assert result.estimate == pytest.approx(beta[0], rel=1e-9)
    assert result.se == pytest.approx(np.sqrt(cov[0, 0]), rel=1e-9)
    assert result.ci_low < 2.0 < result.ci_high


def test_card_krueger_table_3() -> None:
    panel = read_panel_csv(DATA / "card_krueger.csv", unit="store", time="wave")
    result = (
        DifferenceInDifferences(design="2x2")
        .fit(panel, outcome="fte", treated_col="nj", start=1)
        .result_
    )
    # Table 3, row (i): NJ − PA change in FTE employment 2.76 (1.36); our unrounded 2.754.
    assert result.estimate == pytest.approx(2.76, abs=0.01)
    # Clustered by store, the within-store correlation the paper's independent-samples SE ignores.
    assert result.se == pytest.approx(1.31, abs=0.01)
    assert result.n == 794 and result.n_clusters == 410


def test_card_krueger_balanced_sample_twfe() -> None:
    panel = read_panel_csv(DATA / "card_krueger.csv", unit="store", time="wave")
    result = DifferenceInDifferences().fit(panel, outcome="fte", treated_col="nj", start=1).result_
    # Store fixed effects use only stores seen in both waves: Table 3's balanced-sample row,
    # 2.75 (1.34).
    assert result.estimate == pytest.approx(2.75, abs=0.005)
    assert result.se == pytest.approx(1.34, abs=0.01)


def _staggered(
    seed: int = 0, pretrend: float = 0.0, effects: tuple[float, float] = (1.0, 3.0)
) -> tuple[Panel, dict[str, float | None]]:
    rng = np.random.default_rng(seed)
    n, times = 120, np.arange(2000, 2010, dtype=float)
    groups = np.array([2004.0] * 40 + [2007.0] * 40 + [np.inf] * 40)
    y = rng.normal(size=(n, 1)) + 0.3 * np.arange(10)[None, :] + rng.normal(scale=0.5, size=(n, 10))
    for i in range(n):
        if np.isfinite(groups[i]):
            after = times >= groups[i]
            # Effect 1 for the 2004 group, 3 for the 2007 group.
            y[i, after] += effects[0] if groups[i] == 2004 else effects[1]
            y[i] += pretrend * np.minimum(times - groups[i], 0)
    units = tuple(f"u{k:03d}" for k in range(n))
    adoption = {u: (None if np.isinf(g) else float(g)) for u, g in zip(units, groups, strict=True)}
    return Panel(units, times, {"y": y}), adoption


def test_event_study_pretrend_test() -> None:
    # One effect for both cohorts: with cohort-specific effects the binned TWFE event study is
    # contaminated (Sun & Abraham 2021), which is what Callaway–Sant'Anna is for.
    panel, adoption = _staggered(effects=(2.0, 2.0))
    flat = EventStudy(leads=3, lags=2).fit(panel, outcome="y", adoption=adoption).result_
    assert flat.pretrend_p > 0.05
    assert set(flat.terms) == {"-3", "-2", "0", "1", "2"}
    assert abs(flat.terms["-2"][0]) < 0.3
    panel, adoption = _staggered(pretrend=0.4, effects=(2.0, 2.0))
    trending = EventStudy(leads=3, lags=2).fit(panel, outcome="y", adoption=adoption).result_
    assert trending.pretrend_p < 0.001
    assert "parallel trends is doubtful" in trending.summary()


def test_callaway_santanna_recovers_group_effects() -> None:
    panel, adoption = _staggered()
    result = CallawaySantAnna().fit(panel, outcome="y", adoption=adoption).result_
    assert result.terms["g=2004,t=2005"][0] == pytest.approx(1.0, abs=0.4)
    assert result.terms["g=2007,t=2008"][0] == pytest.approx(3.0, abs=0.4)
    # Post cells: 6 for 2004, 3 for 2007, equal group sizes: (6·1 + 3·3) / 9.
    assert result.estimate == pytest.approx(15 / 9, abs=0.25)
    assert result.ci_low < 15 / 9 < result.ci_high
    assert 0 < result.se < 0.3


def test_callaway_santanna_by_hand() -> None:
    panel, adoption = _staggered(seed=5)
    result = CallawaySantAnna().fit(panel, outcome="y", adoption=adoption).result_
    y = panel.values["y"]
    g, c = slice(0, 40), slice(80, 120)
    att = (y[g, 6] - y[g, 3]).mean() - (y[c, 6] - y[c, 3]).mean()
    assert result.terms["g=2004,t=2006"][0] == pytest.approx(att)


def test_bad_did_input() -> None:
    panel = _random_panel()
    with pytest.raises(PanelError, match="no pre-period"):
        DifferenceInDifferences().fit(panel, outcome="y", treated=["s001"], start=2000)
    with pytest.raises(PanelError, match="unit 'nope' is not in the panel"):
        DifferenceInDifferences().fit(panel, outcome="y", treated=["nope"], start=2014)
    with pytest.raises(ValueError, match="either treated units or a treated column"):
        DifferenceInDifferences().fit(panel, outcome="y", start=2014)
