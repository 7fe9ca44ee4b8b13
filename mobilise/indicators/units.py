"""What an indicator's unit says about adding its values up across places."""

from __future__ import annotations

import re

# Words that make a measure a rate, share or average: never added up, whatever else the unit says.
_NOT_ADDITIVE = re.compile(
    r"%|/|\bper\b|\bpercent|\bpercentage|\bper\s*cent\b|\brates?\b|\bratios?\b|\bindex\b"
    r"|\bindices\b|\bscores?\b|\bmean\b|\baverages?\b|\bmedian\b|\bproportions?\b|\bshares?\b"
    r"|\bprevalence\b|\bper[- ]capita\b|\bpcm\b",
    re.IGNORECASE,
)
# Words that make it a count or a total.
_ADDITIVE = re.compile(
    r"£|\bnumbers?\b|\bcounts?\b|\btotals?\b|\btonnes?\b|\bkilotonnes?\b|\bkt\b|\bktco2e?\b"
    r"|\bmt\b|\bmtco2e?\b|\bgbp\b|\bpounds?\b|\bpeople\b|\bpersons?\b|\bhouseholds?\b"
    r"|\bdwellings?\b|\bdeaths\b|\bbirths\b|\bjobs\b",
    re.IGNORECASE,
)


def additive_unit(unit: str | None) -> bool | None:
    """Whether values in ``unit`` can be added up across places.

    True where the unit clearly names a count or a total ("Number", "Count", "Tonnes",
    "kt CO2", "£ million", "people"); False where it names a rate, share or average ("%",
    "per 100,000", "rate", "ratio", "index", "score", "mean", "average", "median") — even beside
    a count word ("Number per 1,000 people" is a rate); None when it says neither (an empty unit,
    "Years", "MW"), which leaves the decision to a person.
    """
    text = (unit or "").strip()
    if not text:
        return None
    if _NOT_ADDITIVE.search(text):
        return False
    if _ADDITIVE.search(text):
        return True
    return None
