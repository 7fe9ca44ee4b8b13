"""Finding and opening the files of an import: one CSV, a ``.csv.gz``, or a folder.

A folder is read the way Open SDG lays out its repository (``data/indicator_<id>.csv`` with
``meta/<id>.md``), and any other CSV in it that has a metadata file next to it (``X.csv`` with
``X.yaml``) is read as a tidy CSV. Files without metadata in a folder are left alone, so a folder
can also hold lookups and notes. Files are sniffed for gzip by their first bytes, not their name,
so an upload called ``data.csv`` that is really gzip still works.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

OPENSDG, TIDY, AUTO = "opensdg", "tidy", "auto"
FORMATS = (AUTO, OPENSDG, TIDY)
GZIP_MAGIC = b"\x1f\x8b"
SDG_FILE = re.compile(r"^indicator_(?P<code>[0-9a-zA-Z]+(?:-[0-9a-zA-Z]+)+)\.csv(?:\.gz)?$")
CSV_SUFFIXES = (".csv", ".csv.gz")
META_SUFFIXES = (".yaml", ".yml")


def human_size(size: int) -> str:
    """Bytes as people read them: "20 MB", "500 KB" (decimal units, as file managers show)."""
    if size >= 1_000_000:
        return _("%(size)s MB") % {"size": f"{size / 1_000_000:.3g}"}
    if size >= 1000:
        return _("%(size)s KB") % {"size": f"{size / 1000:.3g}"}
    return _("%(size)s bytes") % {"size": size}


class SourceError(ValueError):
    """A file that cannot be found or opened. The message names it."""


class TooLarge(SourceError):
    pass


@dataclass
class Source:
    """One data file and how to read it."""

    name: str  # shown in the report
    open_binary: Callable[[], IO[bytes]]
    format: str = AUTO
    meta_path: Path | None = None
    meta_text: str | None = None  # metadata given as text (an upload)
    code: str | None = None  # the Open SDG indicator code, from the file name


def _path_source(path: Path, *, format: str, meta: Path | None) -> Source:
    match = SDG_FILE.match(path.name)
    code = match["code"] if match else None
    if meta is None:
        meta = _sidecar_meta(path, code)
    return Source(
        name=path.name,
        open_binary=lambda: path.open("rb"),
        format=format,
        meta_path=meta,
        code=code,
    )


def _sidecar_meta(path: Path, code: str | None) -> Path | None:
    """Open SDG: ``../meta/<id>.md`` or ``<id>.md`` alongside; tidy: ``X.yaml`` next to ``X.csv``."""
    if code:
        for candidate in (path.parent.parent / "meta" / f"{code}.md", path.parent / f"{code}.md"):
            if candidate.is_file():
                return candidate
        return None
    stem = path.name.removesuffix(".gz").removesuffix(".csv")
    for suffix in META_SUFFIXES:
        candidate = path.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def discover(
    path: Path | str, *, format: str = AUTO, meta: Path | str | None = None
) -> list[Source]:
    """The sources under ``path`` (a file or a folder), in a stable order."""
    path = Path(path)
    meta_path = Path(meta) if meta else None
    if meta_path is not None and not meta_path.is_file():
        raise SourceError(_("%(file)s: metadata file not found.") % {"file": meta_path})
    if path.is_file():
        return [_path_source(path, format=format, meta=meta_path)]
    if not path.is_dir():
        raise SourceError(_("%(path)s: no such file or folder.") % {"path": path})
    if meta_path is not None:
        raise SourceError(
            _("--meta is for a single file; in a folder, each file's metadata sits next to it.")
        )
    sources = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        if not file.name.endswith(CSV_SUFFIXES):
            continue
        if SDG_FILE.match(file.name):
            if format in (AUTO, OPENSDG):
                sources.append(_path_source(file, format=OPENSDG, meta=None))
        elif _sidecar_meta(file, None) is not None and format in (AUTO, TIDY):
            sources.append(_path_source(file, format=TIDY, meta=None))
    if not sources:
        raise SourceError(
            _(
                "%(path)s: no data files found (Open SDG data/indicator_<id>.csv, or CSV files "
                "with a .yaml metadata file next to them)."
            )
            % {"path": path}
        )
    return sources


class _Limited(io.RawIOBase):
    """A byte stream that refuses to go past ``limit`` bytes (a gzip bomb, a huge upload)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw, self.limit, self.seen = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.seen += len(data)
        if self.seen > self.limit:
            raise TooLarge(
                _("The data is larger than %(size)s once uncompressed.")
                % {"size": human_size(self.limit)}
            )
        buffer[: len(data)] = data
        return len(data)


def open_text(source: Source, *, max_bytes: int | None = None) -> IO[str]:
    """The source as text: gunzipped if it is gzip, UTF-8 with or without a byte-order mark."""
    try:
        raw = source.open_binary()
    except OSError as exc:
        raise SourceError(f"{source.name}: {exc.strerror or exc}") from exc
    head = raw.read(2)
    raw.seek(0)
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if head == GZIP_MAGIC else raw
    if max_bytes is not None:
        stream = io.BufferedReader(_Limited(stream, max_bytes), buffer_size=1 << 16)
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def csv_rows(text: IO[str]) -> Iterator[list[str]]:
    # Large fields (Open SDG footnotes pasted into cells) are rare but legal. ``strict`` makes a
    # quoted cell that is never closed (a file cut short inside quotes) an error, not a cell.
    csv.field_size_limit(1 << 24)
    return csv.reader(text, strict=True)


class RowError(ValueError):
    """A row that cannot be read as the file's columns (see :func:`checked_rows`)."""

    def __init__(self, message: str, *, row: int, column: str = "", value: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column, self.value = message, row, column, value


def duplicate_columns(header: list[str]) -> list[tuple[str, list[int]]]:
    """Header names that occur more than once (compared as :func:`normalise_header` does), each
    with the 1-based positions it is at. Blank names are left to the readers."""
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(header, start=1):
        key = normalise_header(name)
        if key:
            seen.setdefault(key, []).append(position)
    return [(header[places[0] - 1], places) for places in seen.values() if len(places) > 1]


def checked_rows(
    rows: Iterator[list[str]],
    header: list[str],
    on_problem: Callable[[RowError], None],
    *,
    first_row: int = 2,
) -> Iterator[list[str]]:
    """The data rows, each exactly as wide as the header; every row that is not is passed to
    ``on_problem`` (row number as the file shows it, the header being row 1) and still yielded,
    cut or padded to the header's width, so row numbers stay right and the rest of the file is
    still checked. A row cut short (``co2-total,E09000007,20`` under four columns), cells beyond
    the last column, and a quoted cell that the file ends inside are all problems. An empty line
    is a row without a value (as before), not a problem."""
    width = len(header)
    # Columns without a name at the end of the header (a spreadsheet's stray commas) may be
    # missing from a row: only a row without a named column is cut short.
    named = max((i + 1 for i, h in enumerate(header) if h.strip()), default=0)
    row_no = first_row - 1
    try:
        for row in rows:
            row_no += 1
            if len(row) == width or not row:
                yield row
            elif named <= len(row) < width:
                yield row + [""] * (width - len(row))
            else:
                yield _misfit(row, row_no, header, on_problem)
    except csv.Error as exc:
        row_no += 1
        if "end of data" in str(exc):
            message = _(
                'A quoted cell is never closed: the file ends inside quotes (a “"” is '
                "missing, or the file was cut short)."
            )
        else:
            message = _("This row cannot be read as CSV: %(error)s.") % {"error": exc}
        on_problem(RowError(message, row=row_no))  # the reader cannot go on past a CSV error


def _misfit(
    row: list[str], row_no: int, header: list[str], on_problem: Callable[[RowError], None]
) -> list[str]:
    """Report a row that is not the header's width; return it cut or padded to that width."""
    width, cells = len(header), len(row)
    if cells < width:
        on_problem(
            RowError(
                _(
                    "The row has %(cells)s cells but the header has %(columns)s columns: "
                    "it is cut short, with no “%(column)s”."
                )
                % {"cells": cells, "columns": width, "column": header[cells]},
                row=row_no,
                column=header[cells],
            )
        )
        return row + [""] * (width - cells)
    extra = [c for c in row[width:] if c.strip()]
    if extra:
        on_problem(
            RowError(
                _(
                    "The row has %(cells)s cells but the header has %(columns)s columns: "
                    "“%(value)s” is beyond the last column."
                )
                % {"cells": cells, "columns": width, "value": extra[0]},
                row=row_no,
                column=_("after “%(column)s”") % {"column": header[-1]},
                value=extra[0],
            )
        )
    return row[:width]


def normalise_header(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").lower().split())


def detect_format(header: list[str]) -> str | None:
    """ "opensdg" for Open SDG's Year/Value columns, "tidy" for indicator/period/value."""
    names = {normalise_header(h) for h in header}
    if "indicator" in names or "indicator code" in names or "period" in names:
        return TIDY
    if "year" in names and "value" in names:
        return OPENSDG
    return None
