"""Property-based tests of ``read_panel_csv``: a valid panel reads back exactly, a damaged file
raises only ``PanelError`` (see docs/security.md, "Property-based tests of every file reader")."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.engines.evaluation.panel import PanelError, read_panel_csv
from tests.mutations import mutated_bytes

SETTINGS = settings(max_examples=100, deadline=None, database=None)

UNITS = st.text("abcdefXYZ 0123-ł'", min_size=1, max_size=6).map(str.strip).filter(bool)
VALUES = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False))


@st.composite
def panels(draw: st.DrawFn) -> tuple[bytes, dict[tuple[str, int], float | None]]:
    """A long-format CSV with a few units and years, and the values it holds."""
    units = draw(st.lists(UNITS, min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.integers(1900, 2100), min_size=1, max_size=4, unique=True))
    cells = {(u, y): draw(VALUES) for u in units for y in years}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit", "year", "outcome"])
    for (u, y), value in cells.items():
        writer.writerow([u, y, "" if value is None else repr(value)])
    return buffer.getvalue().encode("utf-8"), cells


def _write(data: bytes) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
    with handle:
        handle.write(data)
    return Path(handle.name)


@SETTINGS
@given(panel=panels())
def test_a_valid_panel_reads_back_every_value(
    panel: tuple[bytes, dict[tuple[str, int], float | None]],
) -> None:
    data, cells = panel
    path = _write(data)
    try:
        read = read_panel_csv(path, unit="unit", time="year")
    finally:
        path.unlink()
    outcome = read.column("outcome")
    assert set(read.units) == {u for u, _ in cells}
    assert read.times.tolist() == sorted({y for _, y in cells})
    for (u, y), value in cells.items():
        got = outcome[read.unit_index(u), read.times.tolist().index(y)]
        assert math.isnan(got) if value is None else got == value
    assert np.isnan(outcome).sum() == sum(v is None for v in cells.values())


@SETTINGS
@given(data=st.data(), panel=panels())
def test_a_damaged_panel_is_read_or_refused_with_a_panel_error(
    data: st.DataObject, panel: tuple[bytes, dict[tuple[str, int], float | None]]
) -> None:
    damaged = data.draw(mutated_bytes(panel[0]))
    path = _write(damaged)
    try:
        read_panel_csv(path, unit="unit", time="year", labels=["outcome"])
        read_panel_csv(path, unit="unit", time="year")
    except PanelError as exc:
        assert str(path) in str(exc)
    finally:
        path.unlink()
