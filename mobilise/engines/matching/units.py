"""Comparing quantities in different units: only where a documented rule converts them.

A unit is compared as people type it, trimmed and in lower case ("Room hours" is "room hours").
Two units are *the same* when they read the same. Otherwise they convert only when both are units
of **time** with the same thing being counted:

* the time word is one of hour(s), hr(s), h; day(s); week(s);
* the words around it name the thing (``room hours`` counts a room, ``volunteer hours`` a
  volunteer; ``of`` and ``use`` are ignored, so ``hours of room use`` counts a room too); either side
  may leave the thing out (``hours`` converts with ``room days``), but two different things never
  convert (``volunteer hours`` and ``room days`` do not);
* the rule: **one day is 8 hours** (a working day, the way rooms and volunteering are booked) and
  **one week is 5 days** (40 hours).

Anything else – "places" and "hours", "£" and "people" – does not convert, and the engine says the
units differ rather than compare them.
"""

HOURS_PER_DAY = 8.0
DAYS_PER_WEEK = 5.0

_TIME_WORDS = {
    "hour": 1.0,
    "hours": 1.0,
    "hr": 1.0,
    "hrs": 1.0,
    "h": 1.0,
    "day": HOURS_PER_DAY,
    "days": HOURS_PER_DAY,
    "week": HOURS_PER_DAY * DAYS_PER_WEEK,
    "weeks": HOURS_PER_DAY * DAYS_PER_WEEK,
}
_IGNORED = {"of", "use", "a", "per"}


def normalise(unit: str) -> str:
    return " ".join((unit or "").casefold().split())


def _time(unit: str) -> tuple[float, tuple[str, ...]] | None:
    """(hours in one of this unit, the thing counted), or None when it is not a unit of time."""
    words = normalise(unit).replace("-", " ").split()
    found = [w for w in words if w in _TIME_WORDS]
    if len(found) != 1:
        return None
    thing = tuple(w.rstrip("s") for w in words if w not in _TIME_WORDS and w not in _IGNORED)
    return _TIME_WORDS[found[0]], thing


def factor(from_unit: str, to_unit: str) -> float | None:
    """How many ``to_unit`` one ``from_unit`` is (1 for the same unit), or None when they do not
    convert. ``factor("room days", "room hours") == 8``."""
    if normalise(from_unit) == normalise(to_unit):
        return 1.0
    a, b = _time(from_unit), _time(to_unit)
    if a is None or b is None:
        return None
    if a[1] and b[1] and a[1] != b[1]:
        return None
    return a[0] / b[0]


def convert(quantity: float, from_unit: str, to_unit: str) -> float | None:
    """``quantity`` of ``from_unit`` in ``to_unit``, or None when the units do not convert."""
    f = factor(from_unit, to_unit)
    return None if f is None else float(quantity) * f
