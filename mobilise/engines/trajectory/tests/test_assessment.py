"""Assessing a series against its trajectory: the rule, the polarity and the explanation."""

from datetime import date

import numpy as np
import pytest

from mobilise.engines.trajectory import (
    Assessment,
    Polarity,
    ProgressAssessor,
    Reason,
    Status,
    Trajectory,
    assess,
)

LOWER, HIGHER = "lower_is_better", "higher_is_better"
# Planned: 50 in 2015 down to 20 in 2030, a straight line losing 2 a year (36 in 2022).
PLAN = Trajectory(baseline=(2015, 50.0), target=(2030, 20.0))
YEARS = np.arange(2015, 2023)


def line(slope, start=50.0, years=YEARS):
    return start + slope * (years - 2015)


def test_on_track_exact_sentence():
    result = assess(YEARS, line(-2.2), PLAN, LOWER, now=2023)
    assert result.status is Status.ON_TRACK and result.reason is Reason.ON_TRACK
    assert result.explanation == (
        "Latest 34.6 in 2022 is 1.4 below the trajectory value of 36.0, ahead of the trajectory; "
        "projected 17.0 ± 0.0 in 2030 against a target of 20, which the trend meets."
    )


def test_assessment_fields():
    result = assess(YEARS, line(-2.2), PLAN, LOWER, now=2023)
    assert isinstance(result, Assessment)
    assert result.latest == (2022.0, pytest.approx(34.6))
    assert result.target == (2030.0, 20.0)
    assert result.trajectory_value == pytest.approx(36.0)
    assert result.gap == pytest.approx(-1.4)
    assert result.favourable_gap == pytest.approx(1.4)  # lower is better, so below is ahead
    assert result.projection.value == pytest.approx(17.0)
    assert result.projection.year == 2030 and result.projection.interval == 0.8
    assert result.tolerance == pytest.approx(3.0)  # 10% of the planned change of 30
    assert result.n_points == 8 and result.polarity is Polarity.LOWER_IS_BETTER


def test_polarity_flips_the_verdict_and_the_words():
    # The same falling series, judged as if higher were better (say, a plan to limit a fall).
    lenient = assess(YEARS, line(-2.2), PLAN, HIGHER, now=2023)
    assert lenient.status is Status.OFF_TRACK and lenient.reason is Reason.OFF_TRACK
    assert (
        "is 1.4 below the trajectory value of 36.0, within the tolerance of 3.0;"
        in lenient.explanation
    )
    assert "even at the better end of the 80% range" in lenient.explanation
    strict = assess(YEARS, line(-2.2), PLAN, HIGHER, now=2023, tolerance=0)
    assert "1.4 below the trajectory value of 36.0, behind the trajectory;" in strict.explanation
    assert strict.favourable_gap == pytest.approx(-1.4)


def test_higher_is_better_on_track():
    plan = Trajectory((2015, 20.0), (2030, 50.0))
    result = assess(YEARS, line(2.2, start=20.0), plan, Polarity.HIGHER_IS_BETTER, now=2023)
    assert result.status is Status.ON_TRACK
    assert "1.4 above the trajectory value of 34.0, ahead of the trajectory" in result.explanation
    assert (
        "projected 53.0 ± 0.0 in 2030 against a target of 50, which the trend meets"
        in result.explanation
    )


def test_off_track_when_the_whole_interval_misses():
    values = 45 + np.tile([0.3, -0.3], 4)  # flat and tight: nowhere near 20 by 2030
    result = assess(YEARS, values, PLAN, LOWER, now=2023)
    assert result.status is Status.OFF_TRACK
    assert result.projection.lower > 20
    assert "behind the trajectory" in result.explanation
    assert result.explanation.endswith(
        "the trend misses the target even at the better end of the 80% range."
    )


def test_at_risk_when_the_interval_reaches_the_target():
    # Heading for 23, but noisy (the noise is balanced so the slope stays -1.8).
    values = line(-1.8) + np.array([3.0, -3, -3, 3, 3, -3, -3, 3])
    result = assess(YEARS, values, PLAN, LOWER, now=2023)
    assert result.status is Status.AT_RISK and result.reason is Reason.PROJECTION_MISSES
    assert result.projection.value > 20 > result.projection.lower
    assert result.explanation.endswith(
        "the trend misses the target, but the target is within the 80% range."
    )


def test_at_risk_when_behind_the_trajectory_though_the_trend_meets_the_target():
    years = np.arange(2018, 2023)
    values = 50.0 - 3 * (years - 2018)  # 38 in 2022 (2 behind), but falling fast enough
    assert assess(years, values, PLAN, LOWER, now=2023).status is Status.ON_TRACK  # within 3
    result = assess(years, values, PLAN, LOWER, now=2023, tolerance=0.05)  # allowance 1.5
    assert result.status is Status.AT_RISK and result.reason is Reason.BEHIND_TRAJECTORY
    assert "2.0 above the trajectory value of 36.0, behind the trajectory" in result.explanation
    assert result.explanation.endswith(
        "the trend meets the target but the latest value is behind the trajectory."
    )
    # The same allowance in the indicator's units.
    assert (
        assess(years, values, PLAN, LOWER, now=2023, tolerance=0, abs_tolerance=2.5).status
        is Status.ON_TRACK
    )


def test_on_the_trajectory():
    result = assess(YEARS, line(-2.0), PLAN, LOWER, now=2023)
    assert result.status is Status.ON_TRACK
    assert (
        "Latest 36.0 in 2022 is on the trajectory; projected 20.0 ± 0.0 in 2030"
        in result.explanation
    )


def test_target_already_met():
    years = np.arange(2018, 2023)
    values = np.array([24.0, 22.0, 21.0, 19.5, 18.0])
    result = assess(years, values, PLAN, LOWER, now=2023)
    assert result.status is Status.ON_TRACK
    assert result.explanation.startswith(
        "Latest 18.0 in 2022 already meets the target and is 18.0 below the trajectory value of 36.0, ahead"
    )


def test_target_already_met_but_slipping_back_is_flagged():
    years = np.arange(2018, 2023)
    values = np.array([12.0, 13.0, 14.0, 15.0, 16.0])  # met, but rising towards the target
    result = assess(years, values, PLAN, LOWER, now=2023)
    assert "already meets the target" in result.explanation
    assert result.status is Status.OFF_TRACK  # heading for 24 by 2030


def test_target_date_reached_is_judged_on_the_observation():
    years = np.array([2027, 2028, 2031])
    met = assess(years, [24.0, 22.0, 19.2], PLAN, LOWER, now=2032)
    assert met.status is Status.ON_TRACK and met.reason is Reason.TARGET_MET
    assert met.explanation == "Latest 19.2 in 2031 meets the target of 20 for 2030."
    missed = assess(years, [24.0, 22.0, 21.5], PLAN, LOWER, now=2032)
    assert missed.status is Status.OFF_TRACK and missed.reason is Reason.TARGET_MISSED
    assert missed.explanation == "Latest 21.5 in 2031 misses the target of 20 for 2030 by 1.5."
    # One observation at the target year is enough: no trend is needed.
    assert assess([2030], [19.0], PLAN, LOWER, now=2031).status is Status.ON_TRACK


def test_no_data():
    result = assess([], [], PLAN, LOWER, now=2023)
    assert result.status is Status.INSUFFICIENT_DATA and result.reason is Reason.NO_DATA
    assert result.explanation == "No observations yet, so progress cannot be assessed."
    assert result.latest is None and result.projection is None and result.gap is None


def test_one_point_is_insufficient():
    result = assess([2021], [38.1], PLAN, LOWER, now=2023)
    assert result.status is Status.INSUFFICIENT_DATA and result.reason is Reason.TOO_FEW
    assert result.explanation == (
        "Only 1 observation, 38.1 in 2021; at least 3 are needed to project a trend."
    )
    assert result.latest == (2021.0, 38.1) and result.projection is None


def test_two_points_are_insufficient():
    result = assess([2019, 2020, 2021], [40.2, np.nan, 38.1], PLAN, LOWER, now=2023)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.explanation == (
        "Only 2 observations, from 2019 to 2021; at least 3 are needed to project a trend."
    )


def test_nan_values_do_not_count():
    result = assess([2019, 2020, 2021], [40.0, np.nan, 38.0], PLAN, LOWER, now=2023)
    assert result.status is Status.INSUFFICIENT_DATA
    assert result.notes == ("1 missing value left out (2020).",)


def test_recent_years_too_few_says_so():
    result = assess(
        [2010, 2011, 2012, 2021, 2022],
        [50, 49, 48, 37, 36.5],
        PLAN,
        LOWER,
        now=2023,
        recent_years=5,
    )
    assert result.status is Status.INSUFFICIENT_DATA
    assert "Only 2 observations, from 2021 to 2022 (the last 5 years)" in result.explanation


def test_stale_data_is_insufficient():
    result = assess(YEARS - 5, line(-2.2, years=YEARS - 5), PLAN, LOWER, now=2023)
    assert result.status is Status.INSUFFICIENT_DATA and result.reason is Reason.STALE
    assert "in 2017 is more than 4 years before the assessment (in 2023)" in result.explanation
    fresh = assess(
        YEARS - 5, line(-2.2, years=YEARS - 5), PLAN, LOWER, now=2023, max_age_years=None
    )
    assert fresh.status is not Status.INSUFFICIENT_DATA


def test_now_accepts_a_date():
    assert assess(YEARS, line(-2.2), PLAN, LOWER, now=date(2031, 6, 1)).reason is Reason.STALE
    assert assess(YEARS, line(-2.2), PLAN, LOWER, now=date(2024, 6, 1)).reason is Reason.ON_TRACK


def test_max_extrapolation_refuses_long_projections_from_short_spans():
    years, values = [2018, 2019, 2020, 2021], [9.55, 9.27, 7.41, 6.4]
    plan = Trajectory((2018, 9.55), (2030, 4.0))
    assert assess(years, values, plan, LOWER, now=2023).status is Status.ON_TRACK
    result = assess(years, values, plan, LOWER, now=2023, max_extrapolation=2)
    assert result.status is Status.INSUFFICIENT_DATA and result.reason is Reason.SHORT_SPAN
    assert result.explanation == (
        "Latest 6.40 in 2021 ends only 4 observations from 2018; "
        "a trend over so short a span cannot be projected 9 years on to 2030."
    )


def test_bounds_clip_the_projection_and_the_sentence_says_so():
    years, values = [2018, 2019, 2020, 2021], [9.55, 9.27, 7.41, 6.4]
    plan = Trajectory((2018, 9.55), (2030, 4.0))
    unbounded = assess(years, values, plan, LOWER, now=2023)
    assert unbounded.projection.value < 0
    result = assess(years, values, plan, LOWER, now=2023, bounds=(0, 100))
    assert result.projection.value == 0 and result.projection.lower == 0
    assert (
        "projected to reach the lower limit of 0 by 2030 (80% range 0.00 to 0.49)"
        in result.explanation
    )
    partly = assess(
        [2019, 2020, 2021, 2022], [30.0, 22.0, 14.0, 8.0], PLAN, LOWER, now=2023, bounds=(0, None)
    )
    assert "projected to reach the lower limit of 0 by 2030" in partly.explanation
    with pytest.raises(ValueError, match="lower bound must be below"):
        assess(years, values, plan, LOWER, now=2023, bounds=(5, 5))
    with pytest.raises(ValueError, match="pair"):
        assess(years, values, plan, LOWER, now=2023, bounds=0)


def test_asymmetric_interval_after_clipping_gives_both_ends():
    values = np.array([3.0, 2.1, 2.9, 1.9, 2.7, 1.8])
    result = assess(
        np.arange(2017, 2023),
        values,
        Trajectory((2017, 3.0), (2030, 1.0)),
        LOWER,
        now=2023,
        bounds=(0, None),
    )
    assert result.projection.lower == 0 < result.projection.value
    assert "projected 0.8 (80% range 0.0 to 2.9) in 2030" in result.explanation
    assert "±" not in result.explanation


def test_labels_name_the_latest_period():
    labels = [f"{y}/{(y + 1) % 100:02d}" for y in YEARS]
    result = assess(
        YEARS + 0.25,
        line(-2.2),
        Trajectory((2015.25, 50.0), (2030.25, 20.0)),
        LOWER,
        now=2023.5,
        labels=labels,
    )
    assert result.explanation.startswith("Latest 34.6 in 2022/23 is 1.4 below")
    assert "in April 2030 against a target of 20" in result.explanation


def test_rounding_follows_the_data():
    counts = assess(
        YEARS,
        52_000 - 1_234 * (YEARS - 2015),
        Trajectory((2015, 52_000), (2030, 30_000)),
        LOWER,
        now=2023,
    )
    assert "Latest 43,362 in 2022" in counts.explanation
    assert "against a target of 30,000" in counts.explanation
    rates = assess(
        YEARS,
        0.0512 - 0.0011 * (YEARS - 2015),
        Trajectory((2015, 0.05), (2030, 0.035)),
        LOWER,
        now=2023,
    )
    assert "Latest 0.0435 in 2022" in rates.explanation and "target of 0.035" in rates.explanation
    fixed = assess(YEARS, line(-2.2), PLAN, LOWER, now=2023, decimals=2)
    assert "Latest 34.60 in 2022 is 1.40 below the trajectory value of 36.00" in fixed.explanation
    assert "target of 20," in fixed.explanation  # a typed target stays as typed


def test_milestones_shape_the_trajectory_value():
    plan = Trajectory((2015, 50.0), (2030, 20.0), milestones=[(2020, 48.0), (2025, 30.0)])
    result = assess(YEARS, line(-2.2), plan, LOWER, now=2023)
    assert result.trajectory_value == pytest.approx(48 - 18 * 2 / 5)  # 40.8 in 2022
    assert "6.2 below the trajectory value of 40.8" in result.explanation


def test_theil_sen_model_is_available():
    values = line(-2.2).copy()
    values[5] += 15  # a one-off spike
    robust = assess(YEARS, values, PLAN, LOWER, now=2023, model="theil_sen", break_years=())
    assert robust.projection.value == pytest.approx(17.0)
    # The trend meets the target of 20, but the spike widens the range past it.
    assert robust.projection.upper > 20
    assert robust.status is Status.UNCERTAIN and robust.unusual_years == ()
    # The spike is in 2020, which is checked as a known break year.
    flagged = assess(YEARS, values, PLAN, LOWER, now=2023, model="theil_sen")
    assert flagged.status is Status.UNCERTAIN and flagged.unusual_years == (2020.0,)
    assert "2020 is unusual" in flagged.explanation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tolerance": -0.1}, "tolerance"),
        ({"abs_tolerance": -1}, "abs_tolerance"),
        ({"max_age_years": 0}, "max_age_years"),
        ({"max_extrapolation": -1}, "max_extrapolation"),
        ({"model": "quadratic"}, "model"),
        ({"interval": 1.5}, "interval"),
        ({"decimals": -1}, "decimals"),
        ({"now": float("nan")}, "now"),
    ],
)
def test_bad_settings_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        assess(YEARS, line(-2.2), PLAN, LOWER, **({"now": 2023} | kwargs))


def test_bad_polarity_raises():
    with pytest.raises(
        ValueError, match="polarity must be one of higher_is_better, lower_is_better"
    ):
        assess(YEARS, line(-2.2), PLAN, "down", now=2023)


def test_assessor_stores_hyperparameters_only():
    assessor = ProgressAssessor(model="theil_sen", tolerance=0.2, max_age_years=None)
    assert vars(assessor) == {
        "model": "theil_sen",
        "interval": 0.8,
        "min_points": 3,
        "recent_years": None,
        "tolerance": 0.2,
        "abs_tolerance": 0.0,
        "max_age_years": None,
        "max_extrapolation": None,
        "unusual_interval": 0.99,
        "unusual_share": 0.02,
        "break_years": (2020,),
    }
