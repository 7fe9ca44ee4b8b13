"""CSV files that are safe to open in a spreadsheet (no formula injection).

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
tab or carriage return) as a formula, so a pledge described as ``=HYPERLINK("http://evil", "x")``
would become a live link, or worse, in the file someone downloads. Every CSV the project writes
goes through :func:`safe_writer` (or :func:`safe_cell` cell by cell), which puts a ``'`` in front
of such a cell, as OWASP recommends. Genuine numbers are left as they are: an ``int``, ``float``
or ``Decimal`` value, and a string that reads as a number (``-3.5``, ``+44``, ``-1e-05``).

A cell that already begins with ``'`` followed by something that would be escaped gets one more
``'``, so :func:`unescape_cell` gives back exactly what was written (our own Pol.is exports read
back the same statement text).

Plain Python, no Django: the engines' writers use it too.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_escape(text: str) -> bool:
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return _NUMBER.fullmatch(text) is None
    return text[0] == "'" and _needs_escape(text[1:])


def safe_cell(value: Any) -> Any:
    """``value`` with a ``'`` in front if a spreadsheet would read it as a formula."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if _needs_escape(text) else value


def unescape_cell(text: str) -> str:
    """The inverse of :func:`safe_cell` for text read back from a file we wrote."""
    if text.startswith("'") and _needs_escape(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, handle: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: Any, **kwargs: Any) -> SafeWriter:
    """Like ``csv.writer(handle, **kwargs)``, with formula cells neutralised."""
    return SafeWriter(handle, **kwargs)
