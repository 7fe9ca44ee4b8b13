"""Synthetic control on small constructed panels: the optimiser, the inference and the checks."""

from __future__ import annotations

import numpy as np
import pytest

from mobilise.engines._validation import NotFittedError
from mobilise.engines.evaluation import Panel, PanelError, Predictor, SyntheticControl, parse_years
from mobilise.engines.evaluation._qp import _slsqp, simplex_lstsq
from mobilise.engines.evaluation.synth import _hull_vertices


def _panel(n_units: int = 12, n_times: int = 20, seed: int = 1, effect: float = 0.0) -> Panel:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(2, n_times)).cumsum(axis=1)
    loadings = rng.uniform(0.5, 1.5, size=(n_units, 2))
    y = 50 + loadings @ factors + rng.normal(scale=0.05, size=(n_units, n_times))
    # Unit 0 is an exact mix of units 1-3.
    y[0] = 0.5 * y[1] + 0.3 * y[2] + 0.2 * y[3]
    times = np.arange(2000, 2000 + n_times, dtype=float)
    y[0, times >= 2015] += effect
    units = tuple(f"u{k:02d}" for k in range(n_units))
    return Panel(units, times, {"y": y, "x": y + 1.0})


@pytest.mark.parametrize("seed", range(5))
def test_simplex_lstsq_matches_slsqp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(6, 30)), rng.normal(size=6)
    w = simplex_lstsq(a, b)
    assert w.min() >= 0 and w.sum() == pytest.approx(1)
    ref = _slsqp(a, b, np.full(30, 1 / 30))
    assert np.sum((a @ w - b) ** 2) <= np.sum((a @ ref - b) ** 2) + 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_leaving_out_donors_inside_the_hull_changes_no_fit(seed: int) -> None:
    # 3 predictors, 200 donors: most lie inside the hull, and for any V (a diagonal scaling) the
    # nearest mix of the hull's vertices is as near as the nearest mix of every donor.
    rng = np.random.default_rng(seed)
    x0, x1 = rng.normal(size=(3, 200)), rng.normal(size=3) * 2.5
    hull = _hull_vertices(x0)
    assert 4 <= len(hull) < 100
    for v in (np.full(3, 1 / 3), rng.dirichlet(np.ones(3)), np.array([0.98, 0.01, 0.01])):
        root = np.sqrt(v)
        every = simplex_lstsq(root[:, None] * x0, root * x1)
        some = simplex_lstsq(root[:, None] * x0[:, hull], root * x1)
        best = np.sum((root * (x0 @ every - x1)) ** 2)
        assert np.sum((root * (x0[:, hull] @ some - x1)) ** 2) == pytest.approx(best, abs=1e-9)


def test_hull_shortcut_is_skipped_where_it_cannot_help() -> None:
    rng = np.random.default_rng(0)
    assert len(_hull_vertices(rng.normal(size=(3, 10)))) == 10  # too few donors
    assert len(_hull_vertices(rng.normal(size=(8, 100)))) == 100  # too many predictors
    flat = rng.normal(size=(3, 50))
    flat[2] = flat[0] + flat[1]  # every donor in one plane: Qhull cannot build the hull
    assert len(_hull_vertices(flat)) == 50


def test_recovers_an_exact_mix_and_a_known_effect() -> None:
    panel = _panel(effect=-5.0)
    model = SyntheticControl().fit(panel, outcome="y", treated="u00", start=2015)
    assert model.weights_["u01"] == pytest.approx(0.5, abs=1e-3)
    assert model.weights_["u02"] == pytest.approx(0.3, abs=1e-3)
    assert model.weights_["u03"] == pytest.approx(0.2, abs=1e-3)
    assert model.pre_rmspe_ < 1e-6
    assert model.effect_ == pytest.approx(-5.0, abs=1e-3)
    assert model.gap_[2019.0] == pytest.approx(-5.0, abs=1e-3)


def test_predictors_give_weights_on_the_simplex() -> None:
    panel = _panel()
    model = SyntheticControl(["x@2010-2014", "y@2005", Predictor("y", (2012.0,))])
    model.fit(panel, outcome="y", treated="u00", start=2015)
    assert sum(model.predictor_weights_.values()) == pytest.approx(1)
    assert sum(model.weights_.values()) == pytest.approx(1)
    assert set(model.predictor_weights_) == {"x 2010–2014", "y 2005", "y 2012"}
    assert model.pre_rmspe_ < 0.5


def test_placebos_give_a_rank_p_value_and_time_placebo() -> None:
    panel = _panel(effect=-20.0)
    result = (
        SyntheticControl(placebos=True, placebo_time=2010)
        .fit(panel, outcome="y", treated="u00", start=2015)
        .result_
    )
    assert result.rank == 1
    assert result.p_value == pytest.approx(1 / 12)
    assert abs(result.time_placebo["effect"]) < 0.01
    text = result.summary()
    assert "ranks 1 of 12" in text and "With only 12 units" in text


def test_summary_without_placebos_says_there_is_no_uncertainty() -> None:
    result = SyntheticControl().fit(_panel(), outcome="y", treated="u00", start=2015).result_
    assert result.p_value is None
    assert "No placebo test was run" in result.summary()
    assert result.summary().endswith("Evidence of an effect: weak.")
    data = result.to_dict()
    assert "p_value" not in data and set(data["gap"]) == {str(y) for y in range(2000, 2020)}


def test_unfitted_model_says_so() -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        _ = SyntheticControl().weights_


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated": "nowhere"}, "unit 'nowhere' is not in the panel"),
        ({"start": 2000}, "no pre-period"),
        ({"outcome": "z"}, "no column 'z'"),
    ],
)
def test_bad_input_is_named(kwargs: dict[str, object], message: str) -> None:
    args = {"outcome": "y", "treated": "u00", "start": 2015, **kwargs}
    with pytest.raises(PanelError, match=message):
        SyntheticControl().fit(_panel(), **args)  # type: ignore[arg-type]


def test_too_few_donors() -> None:
    with pytest.raises(PanelError, match="at least 2 donor units"):
        SyntheticControl(donors=["u01"]).fit(_panel(), outcome="y", treated="u00", start=2015)


def test_missing_outcome_is_named() -> None:
    panel = _panel()
    panel.values["y"][3, 4] = np.nan
    with pytest.raises(PanelError, match="no value for unit 'u03' in 2004"):
        SyntheticControl().fit(panel, outcome="y", treated="u00", start=2015)


def test_parse_years() -> None:
    assert parse_years("1980-1982") == (1980.0, 1981.0, 1982.0)
    assert parse_years("1975, 1988") == (1975.0, 1988.0)
    with pytest.raises(ValueError, match="must be a year"):
        parse_years("soon")


def test_time_placebo_drops_predictors_measured_after_the_placebo_start() -> None:
    panel = _panel(effect=-5.0)
    model = SyntheticControl(["x@2012-2014", "y@2003", "x"], placebo_time=2010)
    result = model.fit(panel, outcome="y", treated="u00", start=2015).result_
    assert result.time_placebo is not None and result.time_placebo["start"] == 2010
    assert abs(result.time_placebo["effect"]) < 0.5


def test_placebos_in_two_processes_give_the_same_answer() -> None:
    panel = _panel(effect=-3.0)
    serial = SyntheticControl(["x@2010-2014", "y@2003"], placebos=True)
    parallel = SyntheticControl(["x@2010-2014", "y@2003"], placebos=True, n_jobs=2)
    a = serial.fit(panel, outcome="y", treated="u00", start=2015).result_
    b = parallel.fit(panel, outcome="y", treated="u00", start=2015).result_
    assert a.p_value == b.p_value
    assert [p.ratio for p in a.placebos] == pytest.approx([p.ratio for p in b.placebos])
