"""Many series at once: the vectorised path must agree with one-at-a-time."""

import numpy as np
import pytest

from mobilise.engines.trajectory import (
    BatchTrendProjector,
    ProgressAssessor,
    Reason,
    Trajectory,
    TrendProjector,
)

MODELS = ["linear", "theil_sen"]


def gappy_table(n_series=120, seed=0):
    """Series of 0-15 annual points with random gaps, trends, noise, spikes and flat lines."""
    rng = np.random.default_rng(seed)
    years = np.arange(2008.0, 2023.0)
    slopes = rng.normal(-0.5, 0.8, (n_series, 1))
    values = 40 + slopes * (years - 2008) + rng.normal(0, 1.5, (n_series, len(years)))
    values[rng.random(values.shape) < 0.3] = np.nan
    values[::17] = 12.5  # flat lines
    values[3, :-2] = np.nan  # two points
    values[4, :-1] = np.nan  # one point
    values[5] = np.nan  # nothing
    values[6, -6:] = np.nan  # stops early: stale
    values[7, 4] += 40  # a spike
    return years, np.round(values, 1)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("recent_years", [None, 6])
def test_batch_projection_equals_one_at_a_time(model, recent_years):
    years, values = gappy_table()
    settings = {"model": model, "recent_years": recent_years}
    batch = BatchTrendProjector(**settings).fit(years, values)
    projection = batch.predict(2030)
    for row in range(len(values)):
        single = TrendProjector(**settings).fit(years, values[row])
        assert batch.sufficient_[row] == single.sufficient_
        assert batch.n_points_[row] == single.n_points_
        if single.sufficient_:
            expected = single.predict(2030)
            assert projection[row].value == pytest.approx(expected.value, rel=1e-12, abs=1e-12)
            assert projection[row].lower == pytest.approx(expected.lower, rel=1e-12, abs=1e-12)
            assert projection[row].upper == pytest.approx(expected.upper, rel=1e-12, abs=1e-12)
        else:
            assert np.isnan(projection.value[row])


@pytest.mark.parametrize("model", MODELS)
def test_batch_assessment_equals_one_at_a_time(model):
    years, values = gappy_table(seed=1)
    rng = np.random.default_rng(2)
    plans = [
        Trajectory((2012, 40.0), (2030, float(target)), [(2020, 40 - (40 - target) / 2)])
        for target in rng.uniform(20, 45, len(values))
    ]
    polarity = rng.choice(["lower_is_better", "higher_is_better"], len(values)).tolist()
    # Rows that reach the branches random series rarely do.
    polarity[10:14] = ["lower_is_better"] * 4
    plans[10] = plans[11] = Trajectory((2012, 40.0), (2020, 30.0))  # target year passed
    values[10], values[11] = np.linspace(40, 25, 15), np.linspace(40, 35, 15)
    values[12, :-3], values[12, -3:] = np.nan, [30.0, 29.0, 28.5]  # 2020-22: too short a span
    plans[13] = Trajectory((2012, 40.0), (2030, 20.0), [(2020, 30.0)])
    values[13] = 50 - 3 * (years - 2016)  # 32 in 2022, 4 behind the path, falling fast
    polarity[14] = "lower_is_better"
    plans[14] = Trajectory((2012, 40.0), (2030, 30.0))
    values[14] = 40 - (years - 2012)  # a straight fall well past the target...
    values[14, years == 2020] -= 3  # ...with a dip in 2020: on course, but unusual
    labels = [str(int(y)) for y in years]
    assessor = ProgressAssessor(model=model, max_extrapolation=3)
    batch = assessor.assess_many(
        years, values, plans, polarity, now=2023.5, labels=labels, bounds=(0, None)
    )
    assert len(batch) == len(values)
    for row in range(len(values)):
        single = assessor.assess(
            years,
            values[row],
            plans[row],
            polarity[row],
            now=2023.5,
            labels=labels,
            bounds=(0, None),
        )
        assert batch[row].status == single.status
        assert batch[row].explanation == single.explanation
        if single.projection is not None:
            assert batch[row].projection.value == pytest.approx(single.projection.value, abs=1e-12)
    # Every branch of the rule shows up in this table, so the comparison covers them all.
    assert {Reason(code) for code in batch.reason} == set(Reason)


def test_shared_trajectory_and_polarity():
    years, values = gappy_table(seed=3)
    plan = Trajectory((2012, 40.0), (2030, 30.0))
    assessor = ProgressAssessor()
    shared = assessor.assess_many(years, values, plan, "lower_is_better", now=2023)
    each = assessor.assess_many(
        years, values, [plan] * len(values), ["lower_is_better"] * len(values), now=2023
    )
    np.testing.assert_array_equal(shared.status, each.status)
    np.testing.assert_array_equal(shared.trajectory_value, each.trajectory_value)
    assert shared.explanations() == each.explanations()


def test_per_row_years():
    # Two series on different calendars, padded with NaN, give the same as fitting each alone.
    years = np.array([[2019.0, 2020.0, 2021.0, 2022.0], [2019.25, 2019.5, 2019.75, np.nan]])
    values = np.array([[10.0, 9.0, 8.5, 7.0], [1.0, 1.5, 1.7, np.nan]])
    projection = BatchTrendProjector().fit(years, values).predict([2030.0, 2021.0])
    assert projection[0].value == pytest.approx(
        TrendProjector().fit(years[0], values[0]).predict(2030).value
    )
    assert projection[1].value == pytest.approx(
        TrendProjector().fit(years[1, :3], values[1, :3]).predict(2021).value
    )


@pytest.mark.parametrize(
    ("years", "values", "message"),
    [
        ([2019, 2020], [[1, 2, 3]], "3 columns"),
        ([2019, 2019, 2020], [[1, 2, 3]], "repeats a year"),
        ([[2019, 2019, 2020]], [[1, 2, 3]], "Row 0 repeats a year"),
        ([2019, 2020, 2021], [1, 2, 3], "2 dimension"),
        ([2019, 2020, 2021], [[1, np.inf, 3]], "infinite"),
        ([[2019, 2020]], [[1, 2, 3]], "shape"),
    ],
)
def test_bad_tables_raise(years, values, message):
    with pytest.raises(ValueError, match=message):
        BatchTrendProjector().fit(years, values)


def test_batch_argument_checks():
    years, values = gappy_table(n_series=10)
    plan = Trajectory((2012, 40.0), (2030, 30.0))
    assessor = ProgressAssessor()
    with pytest.raises(ValueError, match="one Trajectory"):
        assessor.assess_many(years, values, [plan, plan], "lower_is_better", now=2023)
    with pytest.raises(ValueError, match="one polarity"):
        assessor.assess_many(years, values, plan, ["lower_is_better"], now=2023)
    with pytest.raises(ValueError, match="labels"):
        assessor.assess_many(years, values, plan, "lower_is_better", now=2023, labels=["2019"])


def test_empty_table():
    result = ProgressAssessor().assess_many(
        np.arange(2019.0, 2022.0), np.empty((0, 3)), [], [], now=2023
    )
    assert len(result) == 0 and result.explanations() == []
