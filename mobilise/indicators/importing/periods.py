"""Period strings as published, to one canonical spelling and a start year.

Publishers spell the same period several ways ("2021 Q2", "2021-Q2"; "2010 to 2011", "2010/11";
"2021/22 [Note 5]"). Observations are keyed on (series, place, period), so the importer stores one
spelling per period; otherwise a re-import with a differently written period would add a second
row for the same figure instead of updating it. Times come from the trajectory engine's
``period_bounds`` so charts, targets and imports agree on where a period starts.

==================  ============  ==========
as published        stored        kind
==================  ============  ==========
2021                2021          year
2021 Q2, 2021-Q2    2021-Q2       quarter
2021-03             2021-03       month
2021/22, 2021 to 2022  2021/22    split (financial or academic year)
2013/16, 2018 to 2020  2013/16    multi (calendar years inclusive)
==================  ============  ==========
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mobilise.engines.trajectory.periods import period_bounds

YEAR, QUARTER, MONTH, SPLIT, MULTI = "year", "quarter", "month", "split", "multi"

_NOTE = re.compile(r"\s*\[[^\]]*\]\s*$")
_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*[-\s]?\s*Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SPLIT = re.compile(r"(\d{4})\s*(?:/|\s+to\s+)\s*(\d{2}|\d{4})", re.IGNORECASE)

# Outside these years a period is almost certainly a typo (a value pasted into the period column).
FIRST_YEAR, LAST_YEAR = 1800, 2200


@dataclass(frozen=True, slots=True)
class Period:
    text: str  # canonical spelling, at most 16 characters (Observation.period)
    start: float  # start as a decimal year
    kind: str


@lru_cache(maxsize=8192)
def parse_period(raw: str, split_year_start_month: int = 4) -> Period:
    """The canonical period for ``raw``. Raises ``ValueError`` with a readable message."""
    text = _NOTE.sub("", raw).strip()
    start, _end = period_bounds(text, split_year_start_month=split_year_start_month)
    if m := _YEAR.fullmatch(text):
        canonical, kind = m[1], YEAR
    elif m := _QUARTER.fullmatch(text):
        canonical, kind = f"{m[1]}-Q{m[2]}", QUARTER
    elif m := _MONTH.fullmatch(text):
        canonical, kind = f"{m[1]}-{int(m[2]):02d}", MONTH
    elif m := _SPLIT.fullmatch(text):
        first = int(m[1])
        # A split year spans exactly one year from its start month; a multi-year period spans
        # whole calendar years ("2013/16" is 2013 to 2016 inclusive).
        kind = SPLIT if abs(_end - start - 1.0) < 1e-9 else MULTI
        last = first + 1 if kind == SPLIT else round(_end) - 1
        canonical = f"{first}/{last % 100:02d}"
    else:  # period_bounds accepted it, so this cannot happen; keep the guard explicit
        raise ValueError(f"Cannot read the period {raw!r}.")
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(f"{raw!r} is not a plausible period (the year is out of range).")
    return Period(canonical, start, kind)
