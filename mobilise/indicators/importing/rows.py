"""What the two readers share: a checked row as the stage takes it, and the parsing of a number.

A reader (``read_opensdg``, ``read_tidy``) yields one :data:`StageRow` for each row that passed
every check, and reports every problem to the import's report; the pipeline only stages the rows
it is given. A stage row is ``(file number, row number, series index, place id, period text,
period start, value, status, key)``, the key packing (series, place, period) into one 63-bit
integer for the duplicate check.
"""

from __future__ import annotations

import math
import re

# The stage's duplicate key packs (series, place, period) into one 63-bit integer.
PERIOD_BITS, PLACE_BITS, SERIES_BITS = 14, 24, 25
PLACE_SHIFT = PERIOD_BITS
SERIES_SHIFT = PERIOD_BITS + PLACE_BITS

StageRow = tuple[int, int, int, int, str, float, float, str, int]

NOT_AVAILABLE = {"..", ":", "-", "x", "[x]", "[c]", "[z]", "[u]", "[low]", "n/a", "na", "*"}
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float | None:
    """A cell as a number; ``None`` for "not available" markers; ``ValueError`` otherwise."""
    text = text.strip()
    if not text or text.lower() in NOT_AVAILABLE:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    value = float(text)  # ValueError for anything else
    if not math.isfinite(value):
        raise ValueError(text)
    return value
