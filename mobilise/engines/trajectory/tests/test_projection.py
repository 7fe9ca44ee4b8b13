"""Trend projections: least squares and Theil–Sen, single series and their intervals."""

import numpy as np
import pytest
from scipy import stats

from mobilise.engines._validation import NotFittedError
from mobilise.engines.trajectory import BatchTrendProjector, Projection, TrendProjector

MODELS = ["linear", "theil_sen"]


@pytest.mark.parametrize("model", MODELS)
def test_fit_returns_self_and_learns_attributes(model):
    projector = TrendProjector(model=model)
    assert projector.fit([2019, 2020, 2021], [1.0, 2.0, 3.5]) is projector
    assert projector.sufficient_ is True and projector.reason_ is None
    assert projector.n_points_ == 3


@pytest.mark.parametrize("model", MODELS)
def test_reading_before_fit_raises_not_fitted(model):
    projector = TrendProjector(model=model)
    with pytest.raises(NotFittedError, match="call fit"):
        _ = projector.slope_
    with pytest.raises(NotFittedError, match="call fit"):
        projector.predict(2030)
    with pytest.raises(NotFittedError):
        BatchTrendProjector().predict(2030)
    # NotFittedError is an AttributeError, so hasattr() still answers plainly.
    assert not hasattr(projector, "slope_")


def test_init_stores_hyperparameters_only():
    projector = TrendProjector(model="theil_sen", interval=0.9, min_points=4, recent_years=10)
    assert vars(projector) == {
        "model": "theil_sen",
        "interval": 0.9,
        "min_points": 4,
        "recent_years": 10,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "cubic"}, "model must be one of"),
        ({"interval": 1.0}, "interval"),
        ({"interval": 0}, "interval"),
        ({"min_points": 2}, "min_points"),
        ({"min_points": 3.5}, "min_points"),
        ({"recent_years": 0}, "recent_years"),
    ],
)
def test_bad_hyperparameters_raise_at_fit(kwargs, message):
    projector = TrendProjector(**kwargs)  # __init__ accepts anything, like scikit-learn
    with pytest.raises(ValueError, match=message):
        projector.fit([2019, 2020, 2021], [1, 2, 3])


@pytest.mark.parametrize(
    ("years", "values", "message"),
    [
        ([2019, 2020], [1, 2, 3], "same length"),
        ([2019, np.nan, 2021], [1, 2, 3], "years contains missing"),
        ([2019, 2020, 2021], [1, np.inf, 3], "infinite"),
        ([[2019, 2020]], [[1, 2]], "1 dimension"),
        (["a", "b", "c"], [1, 2, 3], "numeric"),
    ],
)
def test_bad_series_raise(years, values, message):
    with pytest.raises(ValueError, match=message):
        TrendProjector().fit(years, values)


@pytest.mark.parametrize("model", MODELS)
def test_exact_linear_series_projects_exactly(model):
    years = np.arange(2010, 2021)
    values = 50 - 1.5 * (years - 2010)
    projection = TrendProjector(model=model).fit(years, values).predict(2030)
    assert projection.value == pytest.approx(50 - 1.5 * 20, abs=1e-9)
    assert projection.half_width == pytest.approx(0, abs=1e-9)
    assert (
        isinstance(projection, Projection)
        and projection.year == 2030
        and projection.interval == 0.8
    )


@pytest.mark.parametrize("model", MODELS)
def test_flat_line(model):
    projector = TrendProjector(model=model).fit([2015, 2016, 2018, 2021], [7.0, 7.0, 7.0, 7.0])
    projection = projector.predict(2030)
    assert projector.slope_ == 0
    assert (projection.value, projection.lower, projection.upper) == (7.0, 7.0, 7.0)


@pytest.mark.parametrize("model", MODELS)
def test_gaps_and_irregular_years(model):
    years = [2005, 2006, 2011, 2012.25, 2019.5, 2020]
    values = [3 + 0.5 * (y - 2005) for y in years]
    projection = TrendProjector(model=model).fit(years, values).predict(2030)
    assert projection.value == pytest.approx(3 + 0.5 * 25)


def test_unsorted_input_is_sorted():
    projector = TrendProjector().fit([2021, 2019, 2020], [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(projector.years_, [2019, 2020, 2021])
    np.testing.assert_array_equal(projector.values_, [1, 2, 3])
    assert projector.latest_year_ == 2021 and projector.latest_value_ == 3.0


def test_nan_values_are_dropped_with_a_note():
    projector = TrendProjector().fit([2018, 2019, 2020, 2021, 2022], [1, np.nan, 3, np.nan, 5])
    assert projector.n_points_ == 3
    assert projector.notes_ == ("2 missing values left out (2019, 2021).",)
    assert projector.predict(2030).value == pytest.approx(13)


def test_repeated_years_are_averaged_with_a_note():
    projector = TrendProjector().fit([2019, 2020, 2020, 2021], [1.0, 1.8, 2.2, 3.0])
    np.testing.assert_array_equal(projector.years_, [2019, 2020, 2021])
    np.testing.assert_allclose(projector.values_, [1, 2, 3])
    assert projector.notes_ == ("2 values for 2020 were averaged.",)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    ("years", "values"), [([], []), ([2021], [5.0]), ([2020, 2021], [5.0, 6.0])]
)
def test_one_or_two_points_are_insufficient(model, years, values):
    projector = TrendProjector(model=model).fit(years, values)
    assert projector.sufficient_ is False
    assert f"{len(years)} observation" in projector.reason_
    assert "at least 3" in projector.reason_
    with pytest.raises(ValueError, match="Cannot project: .*at least 3"):
        projector.predict(2030)


def test_missing_values_count_against_min_points():
    projector = TrendProjector(min_points=4).fit([2019, 2020, 2021, 2022], [1, 2, np.nan, 4])
    assert not projector.sufficient_


def test_recent_years_limits_the_fit():
    years = np.arange(2000, 2023)
    # Rising until 2012, then falling: only the recent fall should be projected.
    values = np.where(years <= 2012, years - 2000.0, 12.0 - (years - 2012))
    projector = TrendProjector(recent_years=10).fit(years, values)
    assert projector.n_points_ == 11
    assert projector.slope_ == pytest.approx(-1)
    assert any("Only the 10 years to 2022" in note for note in projector.notes_)


def test_ols_matches_scipy_and_the_matrix_form_of_the_prediction_interval():
    rng = np.random.default_rng(7)
    years = np.array([2008, 2009, 2011, 2014, 2015, 2016, 2019, 2020, 2021.5])
    values = 20 + 0.7 * (years - 2008) + rng.normal(0, 1.5, len(years))
    projector = TrendProjector(interval=0.9).fit(years, values)
    reference = stats.linregress(years, values)
    assert projector.slope_ == pytest.approx(reference.slope)
    projection = projector.predict(2030)
    assert projection.value == pytest.approx(reference.intercept + reference.slope * 2030)
    # Prediction interval as s^2 (1 + x0' (X'X)^-1 x0), computed from the design matrix.
    design = np.column_stack([np.ones_like(years), years - 2000])
    coef, rss, *_ = np.linalg.lstsq(design, values, rcond=None)
    s2 = rss[0] / (len(years) - 2)
    x0 = np.array([1.0, 30.0])
    half = stats.t.ppf(0.95, len(years) - 2) * np.sqrt(
        s2 * (1 + x0 @ np.linalg.inv(design.T @ design) @ x0)
    )
    assert projection.half_width == pytest.approx(half)
    assert projection.lower == pytest.approx(projection.value - half)


def test_theil_sen_matches_scipy_and_shrugs_off_an_outlier():
    years = np.arange(2010, 2022, dtype=float)
    values = 100 - 2 * (years - 2010) + np.tile([0.3, -0.2, 0.1], 4)
    values[10] -= 30  # one wild year, say a pandemic
    projector = TrendProjector(model="theil_sen").fit(years, values)
    reference = stats.theilslopes(values, years, method="joint")
    assert projector.slope_ == pytest.approx(reference.slope)
    assert projector.predict(2030).value == pytest.approx(
        reference.intercept + reference.slope * 2030
    )
    assert projector.slope_ == pytest.approx(-2, abs=0.1)
    ols = TrendProjector().fit(years, values)
    assert abs(ols.slope_ + 2) > 0.5  # least squares is dragged by the outlier


def test_predict_many_draws_the_fan():
    projector = TrendProjector().fit([2018, 2019, 2020, 2021], [1.0, 2.1, 2.9, 4.0])
    point, lower, upper = projector.predict_many([2022, 2026, 2030])
    assert np.all(lower < point) and np.all(point < upper)
    assert np.all(np.diff(upper - lower) > 0)  # wider the further out
    assert point[-1] == pytest.approx(projector.predict(2030).value)


def _coverage(model, interval, n_points, noise, n_series=4000, seed=12345):
    rng = np.random.default_rng(seed)
    years = np.arange(2010.0, 2010.0 + n_points)
    truth = 30 - 0.8 * (years - 2010)
    values = truth + noise(rng, (n_series, n_points))
    target_year = years[-1] + 8
    new = 30 - 0.8 * (target_year - 2010) + noise(rng, n_series)
    projection = (
        BatchTrendProjector(model=model, interval=interval).fit(years, values).predict(target_year)
    )
    return np.mean((projection.lower <= new) & (new <= projection.upper))


def _gaussian(rng, size):
    return rng.normal(0, 2.0, size)


@pytest.mark.parametrize("n_points", [3, 6, 12])
@pytest.mark.parametrize("interval", [0.8, 0.95])
def test_least_squares_interval_covers_at_the_stated_rate(n_points, interval):
    # 4000 seeded series: the standard error of the coverage is under 0.007.
    assert _coverage("linear", interval, n_points, _gaussian) == pytest.approx(interval, abs=0.025)


@pytest.mark.parametrize("n_points", [4, 8, 15])
def test_theil_sen_interval_covers_near_the_stated_rate(n_points):
    # The Theil–Sen interval is an approximation; simulation puts it at 0.76-0.80 for 80%.
    assert 0.74 <= _coverage("theil_sen", 0.8, n_points, _gaussian) <= 0.84
