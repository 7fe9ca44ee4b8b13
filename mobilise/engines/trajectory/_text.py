"""Numbers and years written for people: how many decimals, and how to spell them."""

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

MAX_DECIMALS = 4


def data_decimals(values: NDArray[np.float64], mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Per row, the fewest decimals (up to 4) that write every observed value exactly.

    A series published to one decimal place comes back as 1; a computed one (16.52829…) as 4.
    """
    result = np.full(values.shape[0], MAX_DECIMALS)
    pending = np.arange(values.shape[0])
    for places in range(MAX_DECIMALS):
        # Only rows still undecided are tested again, so the loop costs about two passes.
        block, observed = values[pending], mask[pending]
        with np.errstate(invalid="ignore"):
            off = np.abs(np.round(block, places) - block) > 1e-9 * np.maximum(1, np.abs(block))
        exact = ~(off & observed).any(axis=1)
        result[pending[exact]] = places
        pending = pending[~exact]
        if not len(pending):
            break
    return result


def sentence_decimals(
    scale: NDArray[np.float64], data_places: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Decimals for a sentence's numbers: about three significant figures at the series' scale,
    but no more than the data itself carries (and at least one, so small differences show).

    38.1 → 1; 4.73 → 1 when the data are to one decimal place; 0.0523 → 4; 12,345 → 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.where(scale > 0, scale, 1.0)))
    significant = np.clip(2 - magnitude, 0, MAX_DECIMALS).astype(int)
    significant = np.where(scale > 0, significant, 1)
    return np.minimum(significant, np.maximum(data_places, 1))


def number(value: float, places: int) -> str:
    """A measured value at a fixed number of decimals, with thousands separators."""
    text = f"{value:,.{places}f}"
    # "-0.0" reads as a sign error to a person; a rounded zero has no sign.
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


@lru_cache(maxsize=4096)
def entered(value: float, places: int) -> str:
    """A value a person typed (a target): as typed, so 25 stays "25" and 25.25 keeps its digits.

    Up to four decimals are kept, trailing zeros dropped, if that writes the value exactly; a
    value with more (a computed target, 1.0588…) is written like a measured one, to ``places``.
    """
    if abs(round(value, MAX_DECIMALS) - value) > 1e-9 * max(1.0, abs(value)):
        return number(value, places)
    text = number(value, MAX_DECIMALS)
    return text.rstrip("0").rstrip(".")


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def percent(p: float) -> str:
    """0.8 → "80%", 0.975 → "97.5%"."""
    return f"{p * 100:.10g}%"
