"""Importing indicator data: Open SDG CSV + metadata, and tidy CSV, checked before anything is written.

The public API::

    from mobilise.indicators.importing import import_path, import_observations, import_upload

    report = import_path("mobilise/data/indicators")                 # a folder, a .csv or .csv.gz
    report = import_path("indicator_3-9-1.csv", meta="3-9-1.md", dry_run=True)
    report = import_observations(rows, indicators={"co2": {"title": "CO2", "unit": "kt"}})

Each returns an :class:`ImportReport`: ``report.ok`` (no errors), ``report.written``, the counts
(``rows_read``, ``rows_blank``, ``rows_skipped``, ``created``, ``updated``, ``unchanged``,
per indicator in ``report.indicators``) and ``report.problems`` (each a :class:`Problem` with
``kind``, ``severity``, ``file``, ``row`` (the first), ``column``, ``value``, ``message``,
``count``, ``ranges`` and a ``hint``; ``report.groups()`` puts them together by cause). Nothing
is written when there is any error, and everything is written in one transaction when there is
none.
Re-importing the same data changes nothing (0 created, 0 updated); a corrected value is updated
in place. With ``replace=True`` the data is the whole of each indicator it names: stored values
it no longer contains are deleted in the same transaction (``report.removed``). Indicators whose
values changed get a new ``updated_at``, so cached pages change at once.

Reading is strict: a row with fewer or more cells than the header has columns, a quoted cell the
file ends inside, and a column named twice are errors (``readers.checked_rows``). Problems are kept
grouped by cause and value, each with its rows as ranges (``report``). The two formats are read by
``read_opensdg`` and ``read_tidy``, each yielding checked rows; ``pipeline`` stages them, decides
the series, checks keys and writes; place resolution is in ``places``, the fast writer in
``writer``, metadata in ``meta``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from mobilise.indicators.models import ImportRecord

from .meta import IndicatorMeta, MetaError, tidy_meta
from .pipeline import Importer, ImportOptions, run_import
from .places import SHIPPED_DIR, PlaceResolver
from .readers import AUTO, FORMATS, OPENSDG, TIDY, Source, SourceError, discover
from .report import ImportReport, IndicatorResult, Kind, Problem, Severity
from .scope import ImportScope

__all__ = [
    "AUTO",
    "FORMATS",
    "OPENSDG",
    "SHIPPED_DIR",
    "PlaceResolver",
    "TIDY",
    "ImportOptions",
    "ImportReport",
    "ImportScope",
    "IndicatorMeta",
    "IndicatorResult",
    "Kind",
    "Problem",
    "Severity",
    "import_observations",
    "import_path",
    "import_upload",
]

DEFAULT_COLUMNS = ("indicator", "geocode", "period", "value")


def _options(**kwargs: Any) -> ImportOptions:
    return ImportOptions(**{k: v for k, v in kwargs.items() if v is not None})


def import_path(
    path: Path | str,
    *,
    meta: Path | str | None = None,
    format: str = AUTO,
    dry_run: bool = False,
    duplicates: str = "auto",
    unresolved_names: str = "error",
    create_indicators: bool = False,
    replace: bool = False,
    additive: bool | None = None,
) -> ImportReport:
    """Import one CSV (or ``.csv.gz``) or every data file in a folder.

    A folder is read as Open SDG (``data/indicator_<id>.csv`` + ``meta/<id>.md``) plus any tidy
    CSV with a ``.yaml`` metadata file of the same name. ``meta`` names the metadata of a single
    file (Open SDG ``.md`` or tidy ``.yaml``). ``format`` is "auto", "opensdg" or "tidy".
    ``replace`` deletes the stored observations of the indicators imported that the data no
    longer contains (see ``ImportOptions.replace``). ``additive`` True or False marks every
    indicator imported as a count or total that can (or cannot) be added up across places; None
    leaves it to the metadata and the unit.
    """
    options = _options(
        additive=additive,
        replace=replace,
        dry_run=dry_run,
        duplicates=duplicates,
        unresolved_names=unresolved_names,
        create_indicators=create_indicators,
    )
    try:
        sources = discover(path, format=format, meta=meta)
    except SourceError as exc:
        report = ImportReport(dry_run=dry_run, sources=[str(path)])
        report.error(Kind.BAD_FILE, str(exc))
        return report

    def read(importer: Importer) -> None:
        for source in sources:
            importer.read_source(source)

    return run_import(read, options=options)


def import_upload(
    data: IO[bytes],
    *,
    name: str,
    format: str = AUTO,
    meta_text: str | None = None,
    code: str | None = None,
    dry_run: bool = False,
    max_bytes: int | None = None,
    replace: bool = False,
    additive: bool | None = None,
    scope: ImportScope | None = None,
    user: Any = None,
) -> ImportReport:
    """Import an uploaded file (a binary file object, CSV or gzip). ``meta_text`` is the content
    of its metadata file; ``code`` names the indicator of an Open SDG file whose name and
    metadata do not. ``scope`` limits the places it may write (see ``scope``; None: any);
    ``user`` is recorded in the import history."""
    from .meta import sdg_code
    from .readers import SDG_FILE

    match = SDG_FILE.match(Path(name).name)
    source = Source(
        name=Path(name).name,
        open_binary=lambda: data,
        format=format,
        meta_text=meta_text,
        code=sdg_code(code) if code else (match["code"] if match else None),
    )
    options = _options(dry_run=dry_run, max_bytes=max_bytes, replace=replace, additive=additive)
    options.scope, options.user, options.via = scope, user, ImportRecord.Via.SITE
    return run_import(lambda importer: importer.read_source(source), options=options)


def import_observations(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    indicators: Mapping[str, IndicatorMeta | Mapping[str, Any]] | None = None,
    columns: Sequence[str] | None = None,
    dry_run: bool = False,
    duplicates: str = "auto",
    create_indicators: bool = False,
    source: str = "rows",
    replace: bool = False,
) -> ImportReport:
    """Import observations given as Python rows: the fast path for big generated data sets.

    ``rows`` are mappings (keys as in a tidy CSV header: ``indicator``, ``geocode``, ``period``,
    ``value``, optional ``unit``, ``status``; any other key is a breakdown) or sequences in the
    order of ``columns`` (default ``("indicator", "geocode", "period", "value")``). Values may be
    numbers or strings. ``indicators`` describes indicators to create or update, by code, as
    :class:`IndicatorMeta` or as a mapping of the tidy metadata keys (``title``, ``unit``,
    ``polarity``, ``periodicity``, ``source_name``, ``dimensions`` …). Row numbers in the report
    count from 1. Rows are streamed: memory does not grow with their number.
    """
    metas: dict[str, IndicatorMeta] = {}
    if indicators:
        plain = {k: v for k, v in indicators.items() if not isinstance(v, IndicatorMeta)}
        try:
            metas = (
                tidy_meta({"indicators": {k: dict(v) for k, v in plain.items()}}) if plain else {}
            )
        except MetaError as exc:
            report = ImportReport(dry_run=dry_run, sources=[source])
            report.error(Kind.BAD_META, str(exc), file=source)
            return report
        metas.update({k: v for k, v in indicators.items() if isinstance(v, IndicatorMeta)})

    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        header: Sequence[str] = tuple(columns or DEFAULT_COLUMNS)
        body: Iterable[Sequence[Any]] = ()
    elif isinstance(first, Mapping):
        header = tuple(columns or first.keys())
        body = (tuple(r.get(k, "") for k in header) for r in itertools.chain([first], iterator))
    else:
        header = tuple(columns or DEFAULT_COLUMNS)
        body = itertools.chain([first], iterator)

    def read(importer: Importer) -> None:
        importer.files.append(source)
        importer.report.sources.append(source)
        importer.read_tidy(header, body, file=source, file_no=0, metas=metas, first_row=1)

    options = _options(
        dry_run=dry_run,
        duplicates=duplicates,
        create_indicators=create_indicators,
        replace=replace,
    )
    return run_import(read, options=options)


def open_bytes(content: bytes) -> IO[bytes]:
    """A helper for tests and callers that hold a file in memory."""
    return io.BytesIO(content)
