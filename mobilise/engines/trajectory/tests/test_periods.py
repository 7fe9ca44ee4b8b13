"""Period strings to float years."""

from datetime import date

import numpy as np
import pytest

from mobilise.engines.trajectory import (
    date_to_year,
    format_year,
    period_bounds,
    period_to_year,
    periods_to_years,
)


@pytest.mark.parametrize(
    ("period", "start", "mid"),
    [
        ("2021", 2021.0, 2021.5),
        ("2021-Q2", 2021.25, 2021.375),
        ("2021 Q2", 2021.25, 2021.375),
        ("2021Q4", 2021.75, 2021.875),
        ("2000 q1", 2000.0, 2000.125),
        ("2021-03", 2021 + 2 / 12, 2021 + 2.5 / 12),
        ("2021-12", 2021 + 11 / 12, 2021 + 11.5 / 12),
        ("2021/22", 2021.25, 2021.75),
        ("2021/2022", 2021.25, 2021.75),
        ("2010 to 2011", 2010.25, 2010.75),
        ("1999/00", 1999.25, 1999.75),
        ("2021/22 [Note 5]", 2021.25, 2021.75),
        (" 2019 ", 2019.0, 2019.5),
        ("2013/16", 2013.0, 2015.0),
        ("2018 to 2020", 2018.0, 2019.5),
        ("2010/20", 2010.0, 2015.5),
    ],
)
def test_period_start_and_mid(period, start, mid):
    assert period_to_year(period) == pytest.approx(start)
    assert period_to_year(period, anchor="start") == pytest.approx(start)
    assert period_to_year(period, anchor="mid") == pytest.approx(mid)


def test_academic_years_start_in_september():
    assert period_to_year("2021/22", split_year_start_month=9) == pytest.approx(2021 + 8 / 12)
    assert period_bounds("2021/22", split_year_start_month=9)[1] == pytest.approx(2022 + 8 / 12)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "21/22",
        "2021-13",
        "2021-00",
        "2021-22",
        "2021/21",
        "2021/19",
        "2021-Q5",
        "Q2 2021",
        "twenty",
        "2021.5",
    ],
)
def test_bad_period_strings_raise(bad):
    with pytest.raises(ValueError, match="2021"):
        period_to_year(bad)


@pytest.mark.parametrize("bad", [2021, 2021.25, None])
def test_non_strings_raise(bad):
    with pytest.raises(ValueError, match="must be a string"):
        period_to_year(bad)


def test_bad_anchor_and_month_setting_raise():
    with pytest.raises(ValueError, match="anchor"):
        period_to_year("2021", anchor="end")
    with pytest.raises(ValueError, match="split_year_start_month"):
        period_to_year("2021/22", split_year_start_month=13)


def test_many_periods_at_once():
    years = periods_to_years(["2019", "2020-Q3", "2021/22"], anchor="mid")
    np.testing.assert_allclose(years, [2019.5, 2020.625, 2021.75])
    assert years.dtype == np.float64


def test_date_to_year_is_exact_in_leap_years():
    assert date_to_year(date(2024, 1, 1)) == 2024.0
    assert date_to_year(date(2024, 7, 2)) == pytest.approx(2024 + 183 / 366)
    assert date_to_year(date(2023, 7, 2)) == pytest.approx(2023 + 182 / 365)


def test_format_year():
    assert format_year(2022.0) == "2022"
    assert format_year(2030.25) == "April 2030"
    assert format_year(period_to_year("2021-03")) == "March 2021"
    assert format_year(2021.37) == "2021.37"
