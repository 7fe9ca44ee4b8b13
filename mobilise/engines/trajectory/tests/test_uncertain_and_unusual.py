"""Statuses that are not too rosy: projections respect the measure's bounds, a status follows
the prediction interval (Uncertain when it spans both meeting and missing the target), and
unusual latest or 2020 years are said."""

import numpy as np
import pytest

from mobilise.engines.trajectory import ProgressAssessor, Reason, Status, Trajectory, assess

LOWER = "lower_is_better"
HIGHER = "higher_is_better"

# Camden's transport CO2 (kt), falling, with the 2020 lockdown dip and a partial rebound.
CAMDEN_YEARS = np.arange(2015, 2022)
CAMDEN_CO2 = np.array([330.0, 318.0, 305.0, 290.0, 280.0, 195.0, 240.0])
HALVE_BY_2035 = Trajectory(baseline=(2019, 280.0), target=(2035, 140.0))


def test_camden_lockdown_line_is_not_on_track_and_never_below_zero():
    result = assess(CAMDEN_YEARS, CAMDEN_CO2, HALVE_BY_2035, LOWER, now=2023, bounds=(0, None))
    # The straight line through 2020 reaches zero before 2035...
    slope, intercept = np.polyfit(CAMDEN_YEARS, CAMDEN_CO2, 1)
    assert slope * 2035 + intercept < 0
    # ...but emissions cannot be negative: the projection and its range stop at 0.
    assert result.projection.value >= 0 and result.projection.lower >= 0
    # The line rests on the lockdown year: not "On track" but "Uncertain", saying why.
    assert result.status is Status.UNCERTAIN
    assert result.reason is Reason.UNUSUAL
    assert 2020.0 in result.unusual_years
    assert "rests on unusual years, so it is uncertain" in result.explanation
    assert "2020 is unusual against the trend of the other years" in result.explanation
    assert "2020 pandemic" in result.explanation


def test_a_range_spanning_meeting_and_missing_the_target_is_uncertain():
    years = np.arange(2015, 2023)
    noise = np.array([6.0, -7.0, 5.0, -6.0, 7.0, -5.0, 6.0, -6.0])
    values = 300.0 - 7.5 * (years - 2015) + noise  # the line reaches 150 in 2035
    result = assess(
        years,
        values,
        Trajectory((2015, 300.0), (2035, 150.0)),
        LOWER,
        now=2023,
        bounds=(0, None),
        break_years=(),
    )
    assert result.projection.value <= 150 < result.projection.upper
    assert result.status is Status.UNCERTAIN and result.reason is Reason.UNCERTAIN
    assert "also includes values that miss it, so it is uncertain" in result.explanation


def test_a_narrow_range_that_meets_the_target_stays_on_track():
    years = np.arange(2012, 2023)
    values = 300.0 - 10 * (years - 2012) + np.array([1, -1] * 5 + [0])
    result = assess(
        years,
        values,
        Trajectory((2012, 300.0), (2030, 150.0)),
        LOWER,
        now=2023,
        bounds=(0, None),
    )
    assert result.status is Status.ON_TRACK and result.unusual_years == ()


def test_percentages_are_clipped_at_100():
    years = np.arange(2015, 2023)
    values = 80.0 + 4 * (years - 2015)  # 108% by 2022 on the line
    result = assess(
        years, values, Trajectory((2015, 80.0), (2030, 95.0)), HIGHER, now=2023, bounds=(0, 100)
    )
    assert result.projection.value == 100 and result.projection.upper <= 100
    assert "upper limit of 100" in result.explanation


def test_an_unusual_latest_value_is_said_and_keeps_on_track_at_uncertain():
    years = np.arange(2010, 2023)
    values = 300.0 - 10 * (years - 2010)
    values[-1] -= 40  # the latest year falls far off the line
    result = ProgressAssessor(break_years=()).assess(
        years,
        values,
        Trajectory((2010, 300.0), (2035, 100.0)),
        LOWER,
        now=2023,
        bounds=(0, None),
    )
    assert result.unusual_years == (2022.0,)
    assert "2022 is unusual against the trend of the other years" in result.explanation
    assert result.status is Status.UNCERTAIN


@pytest.mark.parametrize("bad", [0, 1, 1.5])
def test_bad_unusual_interval(bad):
    with pytest.raises(ValueError, match="unusual_interval"):
        ProgressAssessor(unusual_interval=bad).assess(
            [2015, 2016, 2017], [1.0, 2.0, 3.0], Trajectory((2015, 1.0), (2030, 5.0)), HIGHER
        )
