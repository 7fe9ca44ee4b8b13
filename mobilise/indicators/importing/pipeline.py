"""The import itself: read every source, check every row, then write everything or nothing.

The pipeline orchestrates; the formats are read elsewhere: ``readers`` finds and opens the files
and checks each row's shape against the header (``checked_rows``: a row cut short, cells beyond
the header, a quote never closed, and ``duplicate_columns``), and ``read_opensdg`` and
``read_tidy`` turn rows into checked stage rows (``rows.StageRow``), reporting every problem.

1. **Read and check.** Each row is parsed and checked (value, period, place, indicator,
   breakdowns) by its format's reader; problems go to the report with their row and column, and
   the rows it yields go to a temporary stage table (see ``writer``) in batches. Reading carries
   on after a problem, so one run lists every problem in the file.
2. **Decide the series.** Breakdown columns become series keys ("Age=16 to 24|Sex=Female"); a row
   whose breakdown cells are all blank belongs to the headline series (key ""). In Open SDG files
   a column with one value on every row (often ``Series``) describes the indicator rather than
   breaking it down, so it is not part of the key. When no row set is all blank, the headline is
   the series Open SDG shows first (``data_start_values``), else the one with the fewest
   breakdowns, the most rows, and the first in the file; its ``dimensions`` still say what it is.
3. **Check keys.** A (series, place, period) that occurs twice is an error if the values differ
   (a harmless exact repeat is a warning and kept once). ``duplicates="skip"`` instead skips
   every row of a conflicting key with a warning: which value is right cannot be known. The
   default, ``"auto"``, skips them when every file is a publisher's Open SDG file and stops
   otherwise.
4. **Write**, only if there is no error: indicators, series, then one upsert of the observations.
   The whole import runs in one transaction; an error anywhere, or a dry run, rolls it all back.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as default_connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobilise.indicators.models import (
    ImportRecord,
    ImportRecordIndicator,
    Indicator,
    Observation,
    Series,
)
from mobilise.indicators.signals import observations_changed
from mobilise.indicators.units import additive_unit

from . import meta as meta_module
from .meta import IndicatorMeta
from .periods import MONTH, MULTI, QUARTER, SPLIT, YEAR, Period, parse_period
from .places import PlaceResolver, Resolved
from .read_opensdg import read_opensdg
from .read_tidy import read_tidy, tidy_metas
from .readers import (
    OPENSDG,
    TIDY,
    RowError,
    Source,
    SourceError,
    checked_rows,
    csv_rows,
    detect_format,
    duplicate_columns,
    open_text,
)
from .report import ImportReport, Kind, Problem, Severity
from .rows import PERIOD_BITS, PLACE_BITS, StageRow
from .scope import ImportScope
from .writer import SeriesCounts, Stage

BATCH = 20_000
KEY_MAX = 500  # Series.key
_STAGE_KEY = itemgetter(8)  # the packed key's place in a stage row


@dataclass
class ImportOptions:
    dry_run: bool = False
    # "error": one key with different values stops the import; "skip": its rows are skipped
    # with a warning (the demo uses this for the handful of such keys in the ONS files).
    duplicates: str = "auto"
    # Open SDG place *names* that match no place: "error", or "warning" to skip their rows.
    unresolved_names: str = "error"
    # Tidy rows for an indicator neither in the database nor in the metadata: an error, or
    # create the indicator with its code as its title.
    create_indicators: bool = False
    max_bytes: int | None = None  # uncompressed size limit per file (uploads)
    # The file is the whole of each indicator it names: stored observations of those indicators
    # (any series) that it no longer contains are deleted, in the same transaction.
    replace: bool = False
    # Every indicator in the data can (True) or cannot (False) be added up across places; None
    # leaves it to the metadata and the unit (``IndicatorMeta.additive``).
    additive: bool | None = None
    # Where the person importing may write (see ``scope``); None: anywhere.
    scope: ImportScope | None = None
    # For the import history (``ImportRecord``): who imported, and how.
    user: Any = None
    via: str = ImportRecord.Via.COMMAND
    record: bool = True


# Rows of one place outside the scope whose numbers are kept for the message (the rest are counted).
OUTSIDE_ROWS_KEPT = 2000


class _IndicatorState:
    __slots__ = (
        "code",
        "meta",
        "existing",
        "columns",
        "period_kinds",
        "split_month",
        "declared",
        "opensdg",
        "units",
    )

    def __init__(self, code: str, meta: IndicatorMeta, existing: Indicator | None, opensdg: bool):
        self.code = code
        self.meta = meta
        self.existing = existing
        self.columns: list[str] = []  # breakdown columns, in the order first seen
        self.period_kinds: dict[str, int] = {}  # period kind → rows
        self.split_month = 9 if meta.academic_year else 4
        declared = meta.dimensions
        if declared is None and existing is not None and existing.dimensions and not opensdg:
            declared = list(existing.dimensions)
        self.declared = set(declared) if declared is not None else None
        self.opensdg = opensdg
        self.units: dict[str, int] = {}


class _SeriesState:
    __slots__ = ("sidx", "code", "pairs", "unit", "rows", "key", "dimensions")

    def __init__(self, sidx: int, code: str, pairs: tuple[tuple[str, str], ...], unit: str):
        self.sidx, self.code, self.pairs, self.unit = sidx, code, pairs, unit
        self.rows = 0
        self.key = ""
        self.dimensions: dict[str, str] = {}


class Importer:
    """One import run. Use :func:`run_import` rather than this class directly."""

    def __init__(
        self, options: ImportOptions, report: ImportReport, resolver: PlaceResolver
    ) -> None:
        self.options = options
        self.report = report
        self.resolver = resolver
        self.indicators: dict[str, _IndicatorState] = {}
        self.series: list[_SeriesState] = []
        self._series_by_pairs: dict[tuple[str, tuple], int] = {}
        if resolver.ids and max(resolver.ids.values()) >= 1 << PLACE_BITS:
            # Duplicate keys pack the place id into PLACE_BITS bits; the UK has a few thousand places.
            raise OverflowError(
                f"Place ids of {1 << PLACE_BITS:,} or more do not fit the importer's duplicate key."
            )
        self.stage = Stage()
        self.batch: list[tuple] = []
        self._keys = array("q")
        self.files: list[str] = []
        # Parsed periods by split-year start month, then by the cell as written.
        self._periods: dict[int, dict[Any, tuple[Period, int] | str]] = {4: {}, 9: {}}
        self._clock = time.perf_counter()
        self._period_index: dict[str, int] = {}
        # Rows for places outside ``options.scope``: (file_no, place_id) → [count, row numbers].
        self._outside: dict[tuple[int, int], list] = {}

    # --- shared helpers -------------------------------------------------------------------------

    def _flush(self) -> None:
        scope = self.options.scope
        if scope is not None:
            allowed = scope.place_ids
            outside = self._outside
            for row in self.batch:
                if row[3] not in allowed:
                    seen = outside.setdefault((row[0], row[3]), [0, []])
                    seen[0] += 1
                    if len(seen[1]) < OUTSIDE_ROWS_KEPT:
                        seen[1].append(row[1])
        self.stage.add(self.batch)
        # Each row's packed (series, place, period) key, 8 bytes a row: enough to tell in memory
        # whether there are any duplicates at all (see ``_may_have_duplicates``).
        self._keys.extend(map(_STAGE_KEY, self.batch))
        self.batch = []

    def _may_have_duplicates(self) -> bool:
        """Whether any key occurs twice: a sort of 8-byte integers (a fraction of a second for
        millions of rows) instead of a GROUP BY in the database. Only when there are duplicates
        does the database work out which rows they are."""
        if len(self._keys) < 2:
            return False
        keys = np.frombuffer(self._keys, dtype=np.int64).copy()
        keys.sort()
        return bool((keys[1:] == keys[:-1]).any())

    def _indicator(
        self, code: str, metas: dict[str, IndicatorMeta], *, opensdg: bool
    ) -> _IndicatorState | None:
        state = self.indicators.get(code)
        if state is not None:
            return state
        if not meta_module.CODE_RE.match(code):
            return None
        existing = Indicator.objects.filter(code=code).first()
        meta = metas.get(code)
        if meta is None:
            if existing is None and not self.options.create_indicators:
                return None
            meta = IndicatorMeta(code=code)
        state = self.indicators[code] = _IndicatorState(code, meta, existing, opensdg)
        return state

    def _series(self, state: _IndicatorState, pairs: tuple, unit: str) -> _SeriesState:
        key = (state.code, pairs)
        sidx = self._series_by_pairs.get(key)
        if sidx is None:
            sidx = self._series_by_pairs[key] = len(self.series)
            self.series.append(_SeriesState(sidx, state.code, pairs, unit))
            for name, _value in pairs:
                if name not in state.columns:
                    state.columns.append(name)
        return self.series[sidx]

    def _period(self, raw: Any, split_month: int) -> tuple[Period, int] | str:
        """The period and its index in this import (part of the duplicate key), or a message.
        Callers look in ``self._periods[split_month]`` first: this is the slow path."""
        text = str(raw).strip() if raw is not None else ""
        try:
            period = parse_period(text, split_month) if text else None
        except ValueError as exc:
            found: tuple[Period, int] | str = str(exc)
        else:
            if period is None:
                found = _("The period is blank.")
            else:
                index = self._period_index.setdefault(period.text, len(self._period_index))
                if index >= 1 << PERIOD_BITS:
                    found = _("Too many different periods in one import.")
                else:
                    found = (period, index)
        self._periods.setdefault(split_month, {})[raw] = found
        return found

    def _place_problem(
        self, resolved: Resolved, *, file: str, row: int, column: str, value: str, name: bool
    ) -> bool:
        """Report a place problem. True when the row can still be used."""
        kind = resolved.kind
        if kind == Kind.PLACE_RECODED:
            self.report.warning(
                kind, resolved.message, file=file, row=row, column=column, value=value
            )
            return True
        if kind in (Kind.NOT_HELD, Kind.NO_PLACE) or (
            kind == Kind.UNKNOWN_PLACE and name and self.options.unresolved_names == "warning"
        ):
            self.report.warning(
                kind,
                resolved.message,
                file=file,
                row=row,
                column=column,
                value=value,
                hint=resolved.hint,
            )
            self.report.rows_skipped += 1
            return False
        self.report.error(
            kind,
            resolved.message,
            file=file,
            row=row,
            column=column,
            value=value,
            hint=resolved.hint,
        )
        return False

    # --- reading --------------------------------------------------------------------------------

    def read_source(self, source: Source) -> None:
        file_no = len(self.files)
        self.files.append(source.name)
        self.report.sources.append(source.name)
        name = source.name
        try:
            text = open_text(source, max_bytes=self.options.max_bytes)
        except SourceError as exc:
            self.report.error(Kind.BAD_FILE, str(exc), file=name)
            return
        try:
            with text:
                rows = csv_rows(text)
                try:
                    header = [h.strip() for h in next(rows)]
                except StopIteration:
                    self.report.error(Kind.BAD_FILE, _("The file is empty."), file=name)
                    return
                doubled = duplicate_columns(header)
                for column, positions in doubled:
                    self.report.error(
                        Kind.BAD_HEADER,
                        _(
                            "The column “%(column)s” appears %(count)s times in the header "
                            "(columns %(positions)s): which one holds the data cannot be known."
                        )
                        % {
                            "column": column,
                            "count": len(positions),
                            "positions": ", ".join(map(str, positions)),
                        },
                        file=name,
                        row=1,
                        column=column,
                    )
                if doubled:
                    return
                rows = checked_rows(rows, header, self._row_problem(name))
                format = (
                    source.format if source.format in (OPENSDG, TIDY) else detect_format(header)
                )
                if format is None:
                    self.report.error(
                        Kind.UNKNOWN_FORMAT,
                        _(
                            "Cannot tell the format from the first row. An Open SDG file has "
                            "Year and Value columns; a tidy file has indicator, geocode, period "
                            "and value columns."
                        ),
                        file=name,
                        row=1,
                    )
                    return
                if format == OPENSDG:
                    self.stage_rows(read_opensdg(self, source, header, rows, file_no))
                else:
                    metas = tidy_metas(self, source)
                    if metas is not None:
                        self.read_tidy(header, rows, file=name, file_no=file_no, metas=metas)
        except UnicodeDecodeError:
            self.report.error(
                Kind.BAD_FILE,
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
                file=name,
            )
        except SourceError as exc:
            self.report.error(Kind.BAD_FILE, str(exc), file=name)
        except csv.Error as exc:
            self.report.error(
                Kind.BAD_FILE, _("Not a readable CSV file: %(error)s") % {"error": exc}, file=name
            )
        except (OSError, EOFError) as exc:  # a truncated gzip, a broken upload
            self.report.error(
                Kind.BAD_FILE, _("The file cannot be read: %(error)s") % {"error": exc}, file=name
            )

    def _row_problem(self, file: str):
        def report(problem: RowError) -> None:
            self.report.error(
                Kind.BAD_ROW,
                problem.message,
                file=file,
                row=problem.row,
                column=problem.column,
                value=problem.value,
            )

        return report

    def read_tidy(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        file: str,
        file_no: int,
        metas: dict[str, IndicatorMeta],
        first_row: int = 2,
    ) -> None:
        """Stage tidy rows (a file's, or Python rows from ``import_observations``)."""
        self.stage_rows(
            read_tidy(
                self, header, rows, file=file, file_no=file_no, metas=metas, first_row=first_row
            )
        )

    def stage_rows(self, rows: Iterator[StageRow]) -> None:
        """Stage the checked rows a reader yields, in batches."""
        while chunk := list(itertools.islice(rows, BATCH)):
            self.batch.extend(chunk)
            if len(self.batch) >= BATCH:
                self._flush()

    # --- deciding and writing -------------------------------------------------------------------

    def _lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.report.timings[phase] = self.report.timings.get(phase, 0.0) + now - self._clock
        self._clock = now

    def finish(self) -> None:
        self._flush()
        self._lap("read and stage")
        report = self.report
        self._check_scope()
        self._decide_series()
        deduplicated = self._may_have_duplicates() and self._check_duplicates()
        self._lap("check keys")
        if not report.ok:
            return
        if deduplicated:
            counts_by_sidx = self.stage.rows_per_series()
        else:  # every staged row is still there: the counts kept while reading are exact
            counts_by_sidx = {s.sidx: s.rows for s in self.series if s.rows}
        written: dict[str, Indicator] = {}
        mapping: list[tuple[int, int, bool]] = []
        all_series: dict[str, list[int]] = {}  # per indicator, every series id it has
        for code, state in self.indicators.items():
            indicator, created = self._write_indicator(state, counts_by_sidx)
            written[code] = indicator
            result = report.indicator(code)
            result.title = indicator.title
            result.created = created
            mine = [s for s in self.series if s.code == code and counts_by_sidx.get(s.sidx)]
            existing = {s.key: s for s in Series.objects.filter(indicator=indicator)}
            new, changed = [], []
            for s in mine:
                s.unit = s.unit or indicator.unit  # tidy rows often leave the unit to the metadata
                row = existing.get(s.key)
                if row is None:
                    new.append(
                        Series(
                            indicator=indicator,
                            key=s.key,
                            dimensions=s.dimensions,
                            unit=s.unit[:100],
                        )
                    )
                elif row.dimensions != s.dimensions or row.unit != s.unit[:100]:
                    row.dimensions, row.unit = s.dimensions, s.unit[:100]
                    changed.append(row)
            before = set(existing)
            for row in Series.objects.bulk_create(new):
                existing[row.key] = row
            if changed:
                Series.objects.bulk_update(changed, ["dimensions", "unit"])
            for s in mine:
                mapping.append((s.sidx, existing[s.key].pk, s.key in before))
            all_series[code] = [row.pk for row in existing.values()]
            result.series = len(mine)
            result.series_created = len(new)
        self.stage.map_series(mapping)
        self.stage.analyze()
        self._lap("indicators and series")
        counts = self.stage.compare()
        self._lap("compare")
        existed_by_sidx = {sidx: existed for sidx, _id, existed in mapping}
        for sidx, _series_id, existed in mapping:
            if not existed:
                counts[sidx] = SeriesCounts(created=counts_by_sidx[sidx])
        by_sidx = {s.sidx: s for s in self.series}
        for sidx, c in counts.items():
            result = report.indicator(by_sidx[sidx].code)
            result.rows += c.created + c.updated + c.unchanged
            result.observations_created += c.created
            result.observations_updated += c.updated
            result.observations_unchanged += c.unchanged
            report.created += c.created
            report.updated += c.updated
            report.unchanged += c.unchanged
        if self.options.replace:
            report.replace = True
            for code, series_ids in all_series.items():
                removed = self.stage.remove_missing(
                    series_ids,
                    place_ids=self.options.scope.place_ids if self.options.scope else None,
                )
                report.indicator(code).observations_removed += removed
                report.removed += removed
            self._lap("remove")
        new_rows = any(not existed for _s, _id, existed in mapping)
        changed_old = any(
            (c.created or c.updated) for sidx, c in counts.items() if existed_by_sidx.get(sidx)
        )
        # A dry run has its counts already (compare, remove) and would roll the write back.
        if (new_rows or changed_old) and not self.options.dry_run:
            self.stage.write(
                new_series=new_rows,
                existing_series=changed_old,
                rows=report.created + report.updated,
            )
            self._lap("write")
            if self.stage.validate_seconds:
                report.timings["of which validating keys"] = self.stage.validate_seconds
        self._touch(written, report)

    def _touch(self, written: dict[str, Indicator], report: ImportReport) -> None:
        """Move ``updated_at`` of every indicator whose observations changed: the page caches'
        key (``selectors.data_version``) includes it, and a value corrected in place would
        otherwise leave the key, and so the cached pages, as they were."""
        changed = [
            indicator.pk
            for code, indicator in written.items()
            if (r := report.indicator(code)).observations_created
            or r.observations_updated
            or r.observations_removed
        ]
        if changed:
            Indicator.objects.filter(pk__in=changed).update(updated_at=timezone.now())
            observations_changed.send(sender=Indicator, indicator_ids=changed)

    def _check_scope(self) -> None:
        """Refuse rows for places the person may not import figures for: one error per file and
        place, with its rows ("3 rows are for Islington (rows 4–6)")."""
        scope = self.options.scope
        if scope is None or not self._outside:
            return
        for (file_no, place_id), (count, rows) in sorted(
            self._outside.items(), key=lambda item: (item[0][0], min(item[1][1] or [0]))
        ):
            place = self.resolver.place(place_id)
            where = Problem(
                Kind.NOT_YOUR_PLACE, Severity.ERROR, "", count=count, ranges=[], rows=[]
            )
            for row in sorted(rows):
                where.add_row(row)
            name = f"{place.name} ({place.code})"
            message = ngettext(
                "You can import figures only for %(allowed)s; %(count)s row is for "
                "%(place)s (%(rows)s).",
                "You can import figures only for %(allowed)s; %(count)s rows are for "
                "%(place)s (%(rows)s).",
                count,
            ) % {
                "allowed": scope.description,
                "count": count,
                "place": place.name,
                "rows": where.rows_text(),
            }
            self.report.error_on_rows(
                Kind.NOT_YOUR_PLACE,
                message,
                sorted(rows),
                count=count,
                file=self.files[file_no] if file_no < len(self.files) else "",
                value=name,
            )

    def _decide_series(self) -> None:
        by_code: dict[str, list[_SeriesState]] = {}
        for s in self.series:
            by_code.setdefault(s.code, []).append(s)
        for code, series in by_code.items():
            state = self.indicators[code]
            live = [s for s in series if s.rows] or series
            constant: set[str] = set()
            if state.opensdg:
                for column in state.columns:
                    values = {dict(s.pairs).get(column, "") for s in live}
                    if len(values) == 1 and "" not in values:
                        constant.add(column)
            for s in series:
                s.pairs = tuple(p for p in s.pairs if p[0] not in constant)
                s.dimensions = dict(s.pairs)
                s.key = _key(s.pairs)
            state.columns = [c for c in state.columns if c not in constant]
            if not any(not s.pairs for s in live):
                start = {k: v for k, v in state.meta.start_values.items() if k in state.columns}
                candidates = [
                    s
                    for s in live
                    if start and all(s.dimensions.get(k) == v for k, v in start.items())
                ]
                candidates = candidates or live
                headline = min(candidates, key=lambda s: (len(s.pairs), -s.rows, s.sidx))
                headline.key = ""

    def _skip_conflicts(self) -> bool:
        """Whether a key with different values is skipped (with a warning) rather than an error.
        ``"auto"``: skipped when every file is a publisher's Open SDG file — the statistics as
        published, which the person importing cannot correct (several ONS files repeat a key
        with two values) — and an error for a team's own tidy data, which they can."""
        if self.options.duplicates == "skip":
            return True
        if self.options.duplicates == "auto":
            return bool(self.indicators) and all(s.opensdg for s in self.indicators.values())
        return False

    def _check_duplicates(self) -> bool:
        """Report keys that occur more than once and drop the rows that are not imported.
        True when the stage changed."""
        report = self.report
        total, groups = self.stage.duplicates()
        if not total:
            return False
        skip = self._skip_conflicts()
        by_sidx = {s.sidx: s for s in self.series}
        conflicting = 0
        for group in groups:
            series = by_sidx[group.sidx]
            place = self.resolver.place(group.place_id)
            rows = [row for _f, row, _v in group.rows]
            file = self.files[group.rows[0][0]] if group.rows else ""
            what = _("%(indicator)s%(series)s, %(place)s (%(code)s), %(period)s") % {
                "indicator": series.code,
                "series": f" [{series.key}]" if series.key else "",
                "place": place.name,
                "code": place.code,
                "period": group.period,
            }
            rows_text = ", ".join(str(r) for r in rows)
            if group.distinct_values > 1:
                conflicting += 1
                values = ", ".join(_format_number(v) for _f, _r, v in group.rows)
                message = _(
                    "%(what)s appears on rows %(rows)s with different values (%(values)s)."
                ) % {
                    "what": what,
                    "rows": rows_text,
                    "values": values,
                }
                if skip:
                    report.warning(
                        Kind.DUPLICATE_KEY,
                        message + " " + _("None of them was imported."),
                        file=file,
                        row=rows[0] if rows else None,
                        count=1,
                    )
                else:
                    report.error(
                        Kind.DUPLICATE_KEY, message, file=file, row=rows[0] if rows else None
                    )
            else:
                report.warning(
                    Kind.DUPLICATE_KEY,
                    _(
                        "%(what)s is repeated on rows %(rows)s with the same value; it was imported once."
                    )
                    % {"what": what, "rows": rows_text},
                    file=file,
                    row=rows[0] if rows else None,
                )
        hidden = total - len(groups)
        if hidden and not skip:
            # The first groups are listed; the rest are counted without detail.
            report.count_unlisted_errors(Kind.DUPLICATE_KEY, hidden)
        if skip:
            dropped, _keys = self.stage.drop_duplicates()
            report.rows_skipped += dropped
        else:
            report.rows_skipped += self.stage.drop_identical_duplicates()
        return True

    def _write_indicator(
        self, state: _IndicatorState, rows_by_sidx: dict[int, int]
    ) -> tuple[Indicator, bool]:
        meta, existing = state.meta, state.existing
        values: dict[str, Any] = {}
        for name in IndicatorMeta.MODEL_FIELDS:
            value = getattr(meta, name)
            if value is not None:
                values[name] = value
        if existing is not None and meta.polarity_is_default:
            values.pop("polarity", None)  # a person may have changed it since
        if self.options.additive is not None:
            values["additive"] = self.options.additive  # the person importing said so
        elif meta.additive_is_default and existing is not None and meta.additive is not False:
            # Read from the unit: a person may have changed it since, but a rate is never summed.
            values.pop("additive", None)
        if meta.periodicity is None and state.period_kinds:
            values["periodicity"] = _periodicity(state.period_kinds, academic=meta.academic_year)
        # Breakdowns only accumulate: a file with some of an indicator's breakdowns must not make
        # the others unknown to the next import.
        known = list(existing.dimensions or []) if existing is not None else []
        values["dimensions"] = known + [c for c in state.columns if c not in known]
        if "unit" not in values:
            units = [s.unit for s in self.series if s.code == state.code and s.key == "" and s.unit]
            if units:
                values["unit"] = units[0][:100]
        if existing is not None and self._shared(existing):
            # The description of an indicator with figures for places beyond the scope is shared
            # by those places: only data managers change it. A lead's data may add breakdowns.
            kept = [
                name
                for name, value in values.items()
                if name != "dimensions"
                and getattr(existing, name) != value
                and (
                    getattr(meta, name, None) is not None
                    or (name == "additive" and self.options.additive is not None)
                )
            ]
            if kept:
                self.report.warning(
                    Kind.META_KEPT,
                    _(
                        "The description of %(code)s was not changed (%(fields)s): only "
                        "platform data managers change an existing indicator's description."
                    )
                    % {"code": state.code, "fields": ", ".join(kept)},
                )
            values = {"dimensions": values["dimensions"]}
        if existing is None:
            values.setdefault("title", state.code)
            if "additive" not in values:  # the unit came from the rows, not the metadata
                values["additive"] = bool(additive_unit(values.get("unit")))
            indicator = Indicator.objects.create(code=state.code, **values)
            return indicator, True
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.save(update_fields=[*changed, "updated_at"])
        return existing, False

    def _shared(self, indicator: Indicator) -> bool:
        """Whether the indicator has stored figures for places outside the scope."""
        scope = self.options.scope
        if scope is None:
            return False
        return (
            Observation.objects.filter(series__indicator=indicator)
            .exclude(place_id__in=scope.place_ids)
            .exists()
        )


def _key(pairs: tuple[tuple[str, str], ...]) -> str:
    key = "|".join(f"{name}={value}" for name, value in pairs)
    if len(key) > KEY_MAX:
        digest = hashlib.sha1(key.encode()).hexdigest()[:16]
        key = key[: KEY_MAX - 18] + "#" + digest
    return key


def _periodicity(kinds: dict[str, int], *, academic: bool) -> str:
    """The periodicity the periods show: one kind of period for nine rows in ten, else irregular
    (3-b-1 is financial years with one "2010/20" row; that does not make it irregular)."""
    P = Indicator.Periodicity
    kind, rows = max(kinds.items(), key=lambda kv: kv[1])
    if rows < 0.9 * sum(kinds.values()):
        return P.IRREGULAR
    return {
        YEAR: P.ANNUAL,
        QUARTER: P.QUARTERLY,
        MONTH: P.MONTHLY,
        SPLIT: P.ACADEMIC_YEAR if academic else P.FINANCIAL_YEAR,
        MULTI: P.MULTI_YEAR,
    }[kind]


def _format_number(value: float) -> str:
    return f"{value:g}"


def run_import(
    read: Any,
    *,
    options: ImportOptions | None = None,
    resolver: PlaceResolver | None = None,
) -> ImportReport:
    """Run ``read(importer)`` (which feeds sources or rows to the importer) and finish the import
    in one transaction: written only when there is no error and it is not a dry run."""
    options = options or ImportOptions()
    report = ImportReport(dry_run=options.dry_run)
    started = time.perf_counter()
    resolver = resolver or PlaceResolver.from_database()
    try:
        with transaction.atomic():
            set_import_timeouts()
            importer = Importer(options, report, resolver)
            try:
                read(importer)
                importer.finish()
                importer.stage.close()
            finally:
                importer.stage.release()
            report.indicator_codes = list(importer.indicators)
            if report.ok and not options.dry_run:
                report.written = True
                _record(report, options)
            else:
                # Nothing stays: not the indicators, not the series.
                transaction.set_rollback(True)
    except DatabaseError as exc:
        if _sqlstate(exc) not in TIMEOUT_STATES:
            raise
        # The transaction is rolled back: nothing was written.
        report.written = False
        report.error(
            Kind.BUSY,
            _(
                "The import waited too long for the database (another import or a long task "
                "was changing the same data) and was stopped. Nothing was saved: try again in a "
                "few minutes."
            ),
        )
    if not report.ok and not options.dry_run:
        # A refused import is on the record too, outside the transaction that was rolled back.
        try:
            with transaction.atomic():
                _record(report, options)
        except DatabaseError:
            # The session was ended (idle_in_transaction_session_timeout): nothing to record
            # with. The import is refused all the same and nothing was written.
            if report.counts_by_kind[Kind.BUSY] == 0:
                raise
    report.seconds = time.perf_counter() - started
    return report


# lock_not_available (lock_timeout), query_canceled (statement_timeout), and the session ended by
# idle_in_transaction_session_timeout.
TIMEOUT_STATES = frozenset({"55P03", "57014", "25P03"})


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__ or exc.__context__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def import_timeouts() -> dict[str, str]:
    """PostgreSQL settings for an import's transaction, from ``settings.INDICATOR_IMPORT_TIMEOUTS``
    over these defaults. An import whose client died (a killed command, a dropped upload) must not
    keep its locks: ``idle_in_transaction_session_timeout`` ends its session once it has waited
    that long between statements, ``statement_timeout`` bounds one statement, and
    ``lock_timeout`` stops the import itself queueing behind other sessions' locks (while it
    queued, pages would queue behind it)."""
    values = {
        "lock_timeout": "10s",
        "idle_in_transaction_session_timeout": "60s",
        "statement_timeout": "15min",
    }
    values.update(getattr(settings, "INDICATOR_IMPORT_TIMEOUTS", {}) or {})
    return values


def set_import_timeouts(connection: Any = None) -> None:
    """``SET LOCAL`` the import timeouts at the start of the import's transaction (PostgreSQL;
    SQLite has a single writer and no such settings). They end with the transaction."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, value in import_timeouts().items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, str(value)])


def _record(report: ImportReport, options: ImportOptions) -> None:
    """Add the import to the history (``ImportRecord``)."""
    if not options.record:
        return
    user = options.user if getattr(options.user, "is_authenticated", False) else None
    record = ImportRecord.objects.create(
        user=user,
        organisation=options.scope.organisation if options.scope else None,
        via=options.via,
        files=", ".join(report.sources)[:1000],
        replace=options.replace,
        ok=report.ok,
        errors=report.error_count,
        created=report.created if report.ok else 0,
        updated=report.updated if report.ok else 0,
        unchanged=report.unchanged if report.ok else 0,
        removed=report.removed if report.ok else 0,
    )
    indicators = Indicator.objects.filter(code__in=report.indicator_codes).only("pk", "code")
    lines = []
    for indicator in indicators:
        result = report.indicators.get(indicator.code) if report.ok else None
        lines.append(
            ImportRecordIndicator(
                record=record,
                indicator=indicator,
                created=result.observations_created if result else 0,
                updated=result.observations_updated if result else 0,
                unchanged=result.observations_unchanged if result else 0,
                removed=result.observations_removed if result else 0,
            )
        )
    ImportRecordIndicator.objects.bulk_create(lines)
