"""Period strings to float years, the engine's one representation of time.

A float year places a period on a single continuous axis, so annual, quarterly, monthly and
financial-year series can be fitted, compared and mixed: 2021.0 is 1 January 2021 and 2021.25
is 1 April 2021. Months are taken as twelfths of a year and quarters as quarters, ignoring the
few days' difference in their real lengths, which no trend at this scale can see.

Each period is a span ``[start, end)``. ``anchor="start"`` (the default) maps a period to its
start and ``anchor="mid"`` to its mid-point:

=================  =====================================  =============  ===========
string             meaning                                start          mid
=================  =====================================  =============  ===========
``2021``           calendar year                          2021.0         2021.5
``2021-Q2``        quarter (also ``2021 Q2``, ``2021Q2``)  2021.25        2021.375
``2021-03``        month (ISO 8601 ``YYYY-MM``)           2021.1667      2021.2083
``2021/22``        UK financial year, April to March      2021.25        2021.75
``2021 to 2022``   the same split year, spelt out         2021.25        2021.75
``2013/16``        calendar years 2013 to 2016 inclusive  2013.0         2015.0
``2018 to 2020``   calendar years 2018 to 2020 inclusive  2018.0         2019.5
=================  =====================================  =============  ===========

Start is the default because it is what people write: "Q2 2021 is 2021.25", and a target "by
2030" entered as the year 2030 lines up with annual data labelled 2030. Use ``mid`` when a series
mixes frequencies (say annual and financial-year figures), so each value sits at the centre of
the time it describes. Whichever you choose, use it for the whole series and its trajectory.

Split years (``2021/22``) are financial years starting in April unless ``split_year_start_month``
says otherwise (9 for academic years). A ``YYYY-MM`` string is always a month, as in ISO 8601,
so write financial years with a slash or "to". Trailing notes in square brackets, as in the ONS
SDG data (``2021/22 [Note 5]``), are ignored.
"""

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Anchor = Literal["start", "mid"]

_NOTE = re.compile(r"\s*\[[^\]]*\]\s*$")
_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*[-\s]?\s*Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SPLIT = re.compile(r"(\d{4})\s*(?:/|\s+to\s+)\s*(\d{2}|\d{4})", re.IGNORECASE)

_FORMATS = '"2021", "2021-Q2", "2021-03", "2021/22", "2021 to 2022" or "2013/16"'


def period_bounds(period: str, *, split_year_start_month: int = 4) -> tuple[float, float]:
    """The span ``[start, end)`` that a period string covers, in float years.

    See the module docstring for the formats. Raises ``ValueError`` for anything else.
    """
    if not isinstance(period, str):
        raise ValueError(f"A period must be a string such as {_FORMATS}; got {period!r}.")
    if not 1 <= split_year_start_month <= 12:
        raise ValueError(f"split_year_start_month must be 1 to 12, got {split_year_start_month}.")
    return _bounds(period, split_year_start_month)


@lru_cache(maxsize=4096)
def _bounds(period: str, split_month: int) -> tuple[float, float]:
    # Series repeat the same few dozen period strings across thousands of places, so caching
    # the parse makes converting a whole table cost about one dictionary lookup per cell.
    text = _NOTE.sub("", period).strip()
    if m := _YEAR.fullmatch(text):
        year = int(m[1])
        return float(year), float(year + 1)
    if m := _QUARTER.fullmatch(text):
        start = int(m[1]) + (int(m[2]) - 1) / 4
        return start, start + 0.25
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(
                f"{period!r} has month {month}; months run from 01 to 12 "
                "(write a financial year as 2021/22)."
            )
        start = year + (month - 1) / 12
        return start, start + 1 / 12
    if m := _SPLIT.fullmatch(text):
        first, second = int(m[1]), m[2]
        # "2021/22" names its second year by the last two digits; resolve it in the first's
        # century, rolling over only where that gives a short span ("1999/00"), so a slip
        # such as "2021/19" is refused rather than read as a century.
        last = int(second) if len(second) == 4 else first - first % 100 + int(second)
        if len(second) == 2 and last < first and last + 100 - first <= 20:
            last += 100
        if last == first + 1:
            start = first + (split_month - 1) / 12
            return start, start + 1.0
        if last > first + 1:
            return float(first), float(last + 1)
        raise ValueError(f"{period!r} ends before it starts; write a split year as 2021/22.")
    raise ValueError(f"Cannot read the period {period!r}; expected a form such as {_FORMATS}.")


def period_to_year(
    period: str, *, anchor: Anchor = "start", split_year_start_month: int = 4
) -> float:
    """A period string as a float year: its start (default) or mid-point.

    >>> period_to_year("2021-Q2")
    2021.25
    >>> period_to_year("2021/22", anchor="mid")
    2021.75
    """
    start, end = period_bounds(period, split_year_start_month=split_year_start_month)
    if anchor == "start":
        return start
    if anchor == "mid":
        return (start + end) / 2
    raise ValueError(f"anchor must be 'start' or 'mid', got {anchor!r}.")


def periods_to_years(
    periods: Iterable[str], *, anchor: Anchor = "start", split_year_start_month: int = 4
) -> NDArray[np.float64]:
    """Many period strings as an array of float years (see ``period_to_year``)."""
    return np.array(
        [
            period_to_year(p, anchor=anchor, split_year_start_month=split_year_start_month)
            for p in periods
        ],
        dtype=float,
    )


def date_to_year(day: date) -> float:
    """A calendar date as a float year: 1 July 2025 is about 2025.496.

    The fraction is the days elapsed over the days in that year, so leap years are exact.
    """
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_year(year: float) -> str:
    """A float year for a sentence: "2022" for a whole year, "April 2030" for the start of a
    month (2030.25), otherwise two decimals ("2021.37").

    Month names read correctly for start-anchored quarters, months and financial years, which
    all begin on the first of a month. Pass period labels where the engine accepts them to show
    the period itself ("2021/22") instead.
    """
    whole = np.floor(year + 1e-9)
    months = (year - whole) * 12
    if abs(months) < 1e-6:
        return str(int(whole))
    if abs(months - round(months)) < 1e-6:
        return f"{_MONTHS[int(round(months))]} {int(whole)}"
    return f"{year:.2f}"
