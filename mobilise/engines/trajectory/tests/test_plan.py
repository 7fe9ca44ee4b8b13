"""The trajectory: a piecewise-linear path from baseline through milestones to target."""

import numpy as np
import pytest

from mobilise.engines.trajectory import Trajectory, trajectory_values


def test_value_at_is_piecewise_linear_through_the_points():
    t = Trajectory(baseline=(2020, 40.0), target=(2030, 20.0), milestones=[(2025, 35.0)])
    assert t.value_at(2020) == 40.0
    assert t.value_at(2022.5) == pytest.approx(37.5)
    assert t.value_at(2025) == 35.0
    assert t.value_at(2027.5) == pytest.approx(27.5)
    assert t.value_at(2030) == 20.0


def test_value_at_holds_baseline_before_and_target_after():
    t = Trajectory((2020, 40.0), (2030, 20.0))
    assert t.value_at(2010) == 40.0
    assert t.value_at(2040) == 20.0
    assert isinstance(t.value_at(2025), float)


def test_value_at_arrays_and_nan():
    t = Trajectory((2020, 0.0), (2030, 10.0))
    np.testing.assert_allclose(t.value_at(np.array([2020.0, 2021.5, np.nan])), [0.0, 1.5, np.nan])


def test_points_are_normalised_floats_and_equal_plans_compare_equal():
    a = Trajectory((2020, 40), (2030, 20), [[2025, 35]])
    b = Trajectory((2020.0, 40.0), (2030.0, 20.0), ((2025.0, 35.0),))
    assert a == b
    assert a.points == ((2020.0, 40.0), (2025.0, 35.0), (2030.0, 20.0))
    assert (a.baseline_year, a.baseline_value, a.target_year, a.target_value) == (
        2020,
        40,
        2030,
        20,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline": (2030, 1), "target": (2020, 2)}, "must be after the baseline"),
        ({"baseline": (2030, 1), "target": (2030, 2)}, "must be after the baseline"),
        ({"baseline": (2020, 1), "target": (2030, 2), "milestones": [(2035, 1)]}, "not between"),
        ({"baseline": (2020, 1), "target": (2030, 2), "milestones": [(2020, 1)]}, "not between"),
        (
            {"baseline": (2020, 1), "target": (2030, 2), "milestones": [(2026, 1), (2024, 1)]},
            "year order",
        ),
        (
            {"baseline": (2020, 1), "target": (2030, 2), "milestones": [(2025, 1), (2025, 2)]},
            "year order",
        ),
        ({"baseline": (2020, float("nan")), "target": (2030, 2)}, "finite"),
        ({"baseline": 2020, "target": (2030, 2)}, "pair"),
        ({"baseline": (2020, "lots"), "target": (2030, 2)}, "pair"),
    ],
)
def test_bad_trajectories_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Trajectory(**kwargs)


def test_trajectory_values_matches_value_at_row_by_row():
    rng = np.random.default_rng(3)
    plans = [
        Trajectory((2015, 50), (2030, 20)),
        Trajectory((2018, 10), (2035, 30), [(2020, 12), (2025, 20), (2030, 24)]),
        Trajectory((2020, 5), (2022, 5), [(2021, 7)]),
    ] * 20
    years = rng.uniform(2010, 2040, len(plans))
    years[5] = np.nan
    expected = [p.value_at(y) for p, y in zip(plans, years, strict=True)]
    np.testing.assert_allclose(trajectory_values(plans, years), expected)


def test_trajectory_values_needs_one_year_per_plan():
    with pytest.raises(ValueError, match="one year per trajectory"):
        trajectory_values([Trajectory((2020, 1), (2030, 2))], [2021, 2022])
