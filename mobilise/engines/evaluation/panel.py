"""A balanced-or-not panel (units × periods) read from long-format rows, with errors people can act on.

A :class:`Panel` holds one matrix per column: ``values[column][i, t]`` is unit ``units[i]`` in
period ``times[t]``, NaN where the file has no value. :func:`read_panel_csv` reads a CSV with one
row per unit and period and says which file, column and row is wrong when something is.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Panel", "PanelError", "parse_number", "read_panel_csv"]


class PanelError(ValueError):
    """Bad panel input; the message names the file, column and row where it can."""


def parse_number(text: str) -> float:
    """``"1,234.5"``, ``" 12 "``, ``"£8,000"`` or ``"7%"`` as a float; blank, ``NA`` or ``.`` as NaN."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace("$", "").replace("€", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if cleaned in {"", "NA", "N/A", "NaN", "nan", ".", "-"}:
        return math.nan
    value = float(cleaned)  # ValueError for anything else
    if math.isinf(value):
        raise ValueError(text)
    return value


@dataclass(frozen=True)
class Panel:
    """Units × periods matrices, one per column.

    ``units`` are labels (strings), ``times`` are sorted numbers (years, usually) and ``values``
    maps each column name to a float array of shape ``(len(units), len(times))``.
    """

    units: tuple[str, ...]
    times: NDArray[np.float64]
    values: Mapping[str, NDArray[np.float64]]
    source: str = "the panel"
    labels: Mapping[str, NDArray[np.object_]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shape = (len(self.units), len(self.times))
        for name, matrix in self.values.items():
            if np.shape(matrix) != shape:
                raise PanelError(
                    f"{self.source}: column {name!r} has shape {np.shape(matrix)}, expected {shape}."
                )

    @classmethod
    def from_long(
        cls,
        units: Sequence[Any],
        times: Sequence[float],
        columns: Mapping[str, Sequence[float]],
        *,
        source: str = "the panel",
        labels: Mapping[str, Sequence[str]] | None = None,
    ) -> Panel:
        """Build from parallel sequences, one entry per unit-period observation."""
        unit_labels = [str(u) for u in units]
        time_values = np.asarray(times, dtype=float)
        order = sorted(dict.fromkeys(unit_labels))
        grid = np.unique(time_values)
        row = {u: k for k, u in enumerate(order)}
        col = np.searchsorted(grid, time_values)
        values: dict[str, NDArray[np.float64]] = {}
        seen = np.zeros((len(order), len(grid)), dtype=bool)
        rows = np.array([row[u] for u in unit_labels], dtype=int)
        if len(rows):
            np.add.at(seen, (rows, col), True)
            counts = np.zeros_like(seen, dtype=int)
            np.add.at(counts, (rows, col), 1)
            if (counts > 1).any():
                i, t = np.argwhere(counts > 1)[0]
                raise PanelError(
                    f"{source}: unit {order[i]!r} has more than one row for period {_fmt(grid[t])}."
                )
        for name, data in columns.items():
            matrix = np.full((len(order), len(grid)), np.nan)
            matrix[rows, col] = np.asarray(data, dtype=float)
            values[name] = matrix
        texts: dict[str, NDArray[np.object_]] = {}
        for name, data in (labels or {}).items():
            text = np.full((len(order), len(grid)), None, dtype=object)
            text[rows, col] = np.asarray(list(data), dtype=object)
            texts[name] = text
        return cls(tuple(order), grid, values, source, texts)

    def column(self, name: str) -> NDArray[np.float64]:
        if name not in self.values:
            raise PanelError(
                f"{self.source}: no column {name!r} (columns: {', '.join(self.values) or 'none'})."
            )
        return self.values[name]

    def label_column(self, name: str) -> NDArray[np.object_]:
        """A text column (read with ``labels=``), or a numeric one as text."""
        if name in self.labels:
            return self.labels[name]
        return self.column(name).astype(object)

    def unit_index(self, unit: str) -> int:
        index = self.__dict__.get("_index")
        if index is None:
            index = {u: k for k, u in enumerate(self.units)}
            object.__setattr__(self, "_index", index)
        try:
            return index[str(unit)]
        except KeyError:
            raise PanelError(f"{self.source}: unit {unit!r} is not in the panel.") from None

    def time_mask(
        self,
        years: Iterable[float] | None = None,
        *,
        start: float | None = None,
        end: float | None = None,
    ) -> NDArray[np.bool_]:
        mask = np.ones(len(self.times), dtype=bool)
        if years is not None:
            mask &= np.isin(self.times, np.asarray(list(years), dtype=float))
        if start is not None:
            mask &= self.times >= start
        if end is not None:
            mask &= self.times <= end
        return mask


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def read_panel_csv(
    path: str | Path,
    *,
    unit: str,
    time: str,
    columns: Iterable[str] | None = None,
    labels: Iterable[str] = (),
) -> Panel:
    """Read a long-format CSV (one row per unit and period) into a :class:`Panel`.

    Only ``columns`` are parsed as numbers (every other column when omitted); ``labels`` columns
    are kept as text (for clusters, say). Raises
    :class:`PanelError` naming the file, column and row (counting the header as row 1) when a
    column is missing, a value is not a number or a unit has two rows for one period.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PanelError(f"{name}: cannot open the file ({exc.strerror}).") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PanelError(
            f"{name}, line {line}: the file is not UTF-8 text (save it as UTF-8 CSV and try again)."
        ) from None
    try:
        with io.StringIO(content, newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise PanelError(f"{name}: the file is empty.")
            reader.fieldnames = header
            label_names = [c for c in dict.fromkeys(labels) if c not in {unit, time}]
            wanted = (
                list(columns)
                if columns is not None
                else [h for h in header if h not in {unit, time, *label_names}]
            )
            for column in [unit, time, *wanted, *label_names]:
                if column not in header:
                    raise PanelError(
                        f"{name}: no column {column!r} in the header (columns: {', '.join(header)})."
                    )
            units: list[str] = []
            times: list[float] = []
            data: dict[str, list[float]] = {c: [] for c in dict.fromkeys(wanted)}
            text: dict[str, list[str]] = {c: [] for c in label_names}
            for line, record in enumerate(reader, start=2):
                label = (record.get(unit) or "").strip()
                if not label:
                    raise PanelError(f"{name}, row {line}: column {unit!r} is blank.")
                units.append(label)
                times.append(_number(record.get(time), name, time, line, allow_blank=False))
                for column in data:
                    data[column].append(_number(record.get(column), name, column, line))
                for column in text:
                    text[column].append((record.get(column) or "").strip())
    except csv.Error as exc:
        raise PanelError(f"{name}: not a readable CSV file ({exc}).") from None
    if not units:
        raise PanelError(f"{name}: the file has a header but no rows.")
    return Panel.from_long(units, times, data, source=name, labels=text)


def _number(
    text: str | None, file: str, column: str, line: int, *, allow_blank: bool = True
) -> float:
    try:
        value = parse_number(text or "")
    except ValueError:
        raise PanelError(
            f"{file}, row {line}, column {column!r}: {text!r} is not a number."
        ) from None
    if math.isnan(value) and not allow_blank:
        raise PanelError(f"{file}, row {line}, column {column!r}: the value is blank.")
    return value
