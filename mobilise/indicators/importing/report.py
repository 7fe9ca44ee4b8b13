"""The import report: every problem found, with where it is, and what was (or would be) written.

Errors stop the import (nothing is written); warnings describe rows that were skipped or
reinterpreted but do not stop it. Problems are kept as a person reads them: the same problem with
the same value (one misspelt place name on 500 rows) is one :class:`Problem` with how many rows it
covers and those rows as ranges ("rows 10–17, 20, 26–33"); :meth:`ImportReport.groups` then puts
problems of one cause in one file and column together ("30 areas not recognised"), each with its
values, rows and, where a known name is close, a "did you mean" hint. Row 2 is the first data row,
after the header. At most ``MAX_LISTED_PROBLEMS`` distinct problems are kept; the totals always
count them all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_LISTED_PROBLEMS = 1000
MAX_LISTED_ERRORS = MAX_LISTED_PROBLEMS  # the older name
MAX_RANGES = 20  # row ranges kept per problem; beyond them rows are only counted
MAX_ROWS_PER_WARNING = 10
VALUES_IN_HEADING = 3  # values named in a group's one-line heading


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    # The file as a whole
    BAD_FILE = "bad_file"  # missing, unreadable, not CSV, too large
    BUSY = "busy"  # the database's import timeouts ended the import (PostgreSQL)
    UNKNOWN_FORMAT = "unknown_format"
    BAD_META = "bad_meta"
    MISSING_COLUMN = "missing_column"
    BAD_HEADER = "bad_header"  # a column named twice
    BAD_ROW = "bad_row"  # a row cut short, cells beyond the header, a quote never closed
    # One cell or row
    NON_NUMERIC = "non_numeric"
    BAD_PERIOD = "bad_period"
    UNKNOWN_PLACE = "unknown_place"  # a code we do not know, or a name we cannot resolve
    NO_PLACE = "no_place"  # nothing on the row says where it is
    NOT_HELD = "not_held"  # a real area that is not in Mobilise's geography (GB, Inner London…)
    PLACE_RECODED = "place_recoded"  # a code or name recorded against the place that holds it now
    DUPLICATE_KEY = "duplicate_key"
    UNKNOWN_DIMENSION = "unknown_dimension"
    UNKNOWN_INDICATOR = "unknown_indicator"
    BAD_STATUS = "bad_status"
    INCONSISTENT_UNIT = "inconsistent_unit"
    # Who may import what (``ImportOptions.scope``)
    NOT_YOUR_PLACE = "not_your_place"  # rows for a place the person may not import figures for
    META_KEPT = "meta_kept"  # an existing indicator's description, which only data managers change


@dataclass
class Problem:
    kind: Kind
    severity: Severity
    message: str
    file: str = ""
    row: int | None = None  # as in the file: the header is row 1
    column: str = ""
    value: str = ""
    count: int = 1  # rows this problem covers (each distinct problem is listed once)
    rows: list[int] = field(default_factory=list)  # the first few of those rows
    ranges: list[list[int]] = field(default_factory=list)  # [first, last] runs of those rows
    hint: str = ""  # "Did you mean “Camden”?"

    def add_row(self, row: int | None) -> None:
        if row is None:
            return
        if len(self.rows) < MAX_ROWS_PER_WARNING:
            self.rows.append(row)
        if self.ranges and self.ranges[-1][1] + 1 == row:
            self.ranges[-1][1] = row
        elif self.ranges and self.ranges[-1][0] <= row <= self.ranges[-1][1]:
            pass
        elif len(self.ranges) < MAX_RANGES:
            self.ranges.append([row, row])

    def ranges_text(self, limit: int = 6) -> str:
        """ "10–17, 20, 26–33": the first ``limit`` runs of rows, then "…" if there are more."""
        runs = self.ranges[:limit]
        parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs]
        shown = sum(b - a + 1 for a, b in runs)
        return ", ".join(parts) + (", …" if shown < self.count else "")

    def rows_text(self, limit: int = 6) -> str:
        """ "row 20", "rows 10–17, 20, 26–33" (see :meth:`ranges_text`)."""
        if not self.ranges:
            return ""
        text = self.ranges_text(limit)
        if self.count == 1:
            return _("row %(rows)s") % {"rows": text}
        return _("rows %(rows)s") % {"rows": text}

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.ranges:
            parts.append(self.rows_text())
        elif self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        return ", ".join(parts)

    def describe(self) -> str:
        """One line for a terminal: where, what, how often, and a hint."""
        text = f"{self.where()}: {self.message}" if self.where() else self.message
        if self.count > 1:
            text += " " + _("(%(count)s rows)") % {"count": self.count}
        if self.hint:
            text += " " + self.hint
        return text


def group_label(kind: Kind, number: int) -> str:
    """What a group of ``number`` distinct problems of one kind is called ("30 areas not
    recognised"). Each wording is its own ``ngettext`` call so that it is translated."""
    if kind == Kind.UNKNOWN_PLACE:
        text = ngettext("%(num)s area not recognised", "%(num)s areas not recognised", number)
    elif kind == Kind.NOT_HELD:
        text = ngettext(
            "%(num)s area Mobilise does not hold (skipped)",
            "%(num)s areas Mobilise does not hold (skipped)",
            number,
        )
    elif kind == Kind.PLACE_RECODED:
        text = ngettext(
            "%(num)s old code or name read as the place that holds it now",
            "%(num)s old codes or names read as the places that hold them now",
            number,
        )
    elif kind == Kind.NON_NUMERIC:
        text = ngettext(
            "%(num)s value that is not a number", "%(num)s values that are not numbers", number
        )
    elif kind == Kind.BAD_PERIOD:
        text = ngettext("%(num)s period not understood", "%(num)s periods not understood", number)
    elif kind == Kind.UNKNOWN_INDICATOR:
        text = ngettext("%(num)s indicator not known", "%(num)s indicators not known", number)
    elif kind == Kind.UNKNOWN_DIMENSION:
        text = ngettext(
            "%(num)s breakdown the indicator does not have",
            "%(num)s breakdowns the indicator does not have",
            number,
        )
    elif kind == Kind.BAD_STATUS:
        text = ngettext("%(num)s status not understood", "%(num)s statuses not understood", number)
    elif kind == Kind.DUPLICATE_KEY:
        text = ngettext(
            "%(num)s value given more than once", "%(num)s values given more than once", number
        )
    elif kind == Kind.INCONSISTENT_UNIT:
        text = ngettext("%(num)s change of unit", "%(num)s changes of unit", number)
    elif kind == Kind.BAD_ROW:
        text = ngettext(
            "%(num)s kind of row that does not fit the header",
            "%(num)s kinds of row that do not fit the header",
            number,
        )
    elif kind == Kind.BAD_HEADER:
        text = ngettext("%(num)s column named twice", "%(num)s columns named twice", number)
    elif kind == Kind.MISSING_COLUMN:
        text = ngettext("%(num)s column missing", "%(num)s columns missing", number)
    elif kind == Kind.NO_PLACE:
        text = ngettext(
            "%(num)s kind of row without a place", "%(num)s kinds of row without a place", number
        )
    elif kind == Kind.NOT_YOUR_PLACE:
        text = ngettext(
            "%(num)s place you cannot import figures for",
            "%(num)s places you cannot import figures for",
            number,
        )
    else:
        text = ngettext("%(num)s problem of this kind", "%(num)s problems of this kind", number)
    return text % {"num": number}


@dataclass
class ProblemGroup:
    """Problems of one cause (kind and severity) in one file and column."""

    kind: Kind
    severity: Severity
    file: str
    column: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def rows(self) -> int:
        return sum(p.count for p in self.problems)

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        return ", ".join(parts)

    def heading(self) -> str:
        """ "30 areas not recognised (580 rows): “Foo” (rows 10–17), “Bar” (rows 26–33), …"."""
        number = len(self.problems)
        text = group_label(self.kind, number)
        text += " " + ngettext("(%(num)s row)", "(%(num)s rows)", self.rows) % {"num": self.rows}
        named = [p for p in self.problems if p.value][:VALUES_IN_HEADING]
        if named:
            items = [
                f"“{p.value}” ({p.rows_text(limit=3)})" if p.ranges else f"“{p.value}”"
                for p in named
            ]
            more = ", …" if number > len(named) else ""
            text += ": " + ", ".join(items) + more
        return text


@dataclass
class IndicatorResult:
    code: str
    title: str = ""
    created: bool = False  # the indicator itself was new
    rows: int = 0  # observations in the file after skipping
    observations_created: int = 0
    observations_updated: int = 0
    observations_unchanged: int = 0
    observations_removed: int = 0  # replace mode: stored but no longer in the file
    series_created: int = 0
    series: int = 0


@dataclass
class ImportReport:
    sources: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    rows_read: int = 0
    rows_blank: int = 0  # no value: skipped and counted, not a problem
    rows_skipped: int = 0  # skipped because of a warning (a place we do not hold, a duplicate)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # replace mode only
    replace: bool = False
    # Every indicator the data names, written or not (the import history links them).
    indicator_codes: list[str] = field(default_factory=list)
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    counts_by_kind: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, for benchmarks
    _seen: dict[tuple, Problem] = field(default_factory=dict, repr=False)
    _listed_errors: int = field(default=0, repr=False)
    _unlisted_errors: int = field(default=0, repr=False)

    # --- recording ------------------------------------------------------------------------------

    def _record(
        self,
        severity: Severity,
        kind: Kind,
        message: str,
        *,
        file: str,
        row: int | None,
        column: str,
        value: Any,
        count: int,
        hint: str,
    ) -> bool:
        """Add the problem to the one like it (same cause, file, column, value and message), or
        list it anew. False when it could not be listed (too many distinct problems)."""
        short = _short(value)
        key = (severity, kind, file, column, short, message)
        problem = self._seen.get(key)
        if problem is None:
            if len(self._seen) >= MAX_LISTED_PROBLEMS:
                return False
            problem = Problem(kind, severity, message, file, row, column, short, 0, hint=hint)
            self._seen[key] = problem
            self.problems.append(problem)
        problem.count += count
        problem.add_row(row)
        return True

    def error(
        self,
        kind: Kind,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str = "",
        value: Any = "",
        hint: str = "",
    ) -> None:
        self.error_count += 1
        self.counts_by_kind[kind] += 1
        listed = self._record(
            Severity.ERROR,
            kind,
            message,
            file=file,
            row=row,
            column=column,
            value=value,
            count=1,
            hint=hint,
        )
        if listed:
            self._listed_errors += 1
        else:
            self._unlisted_errors += 1

    def error_on_rows(
        self,
        kind: Kind,
        message: str,
        rows: list[int],
        *,
        count: int,
        file: str = "",
        value: Any = "",
    ) -> None:
        """One error that covers ``count`` rows (``rows``: those known, in order)."""
        self.error_count += count
        self.counts_by_kind[kind] += count
        short = _short(value)
        problem = Problem(
            kind, Severity.ERROR, message, file, rows[0] if rows else None, "", short, count
        )
        for row in rows:
            problem.add_row(row)
        self.problems.append(problem)
        self._seen[(Severity.ERROR, kind, file, "", short, message)] = problem
        self._listed_errors += count

    def count_unlisted_errors(self, kind: Kind, count: int) -> None:
        """Errors counted in the totals but not listed one by one."""
        self.error_count += count
        self.counts_by_kind[kind] += count
        self._unlisted_errors += count

    def warning(
        self,
        kind: Kind,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str = "",
        value: Any = "",
        count: int = 1,
        hint: str = "",
    ) -> None:
        """Record a warning; the same warning on further rows only adds to its count."""
        self.warning_count += count
        self.counts_by_kind[kind] += count
        self._record(
            Severity.WARNING,
            kind,
            message,
            file=file,
            row=row,
            column=column,
            value=value,
            count=count,
            hint=hint,
        )

    # --- reading --------------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def errors_not_listed(self) -> int:
        return self._unlisted_errors

    def groups(self) -> list[ProblemGroup]:
        """The problems by cause, file and column: errors first, each in the order first met."""
        groups: dict[tuple, ProblemGroup] = {}
        for problem in self.errors + self.warnings:
            key = (problem.severity, problem.kind, problem.file, problem.column)
            group = groups.get(key)
            if group is None:
                group = groups[key] = ProblemGroup(*key[1:2], problem.severity, *key[2:])
            group.problems.append(problem)
        return list(groups.values())

    def indicator(self, code: str) -> IndicatorResult:
        if code not in self.indicators:
            self.indicators[code] = IndicatorResult(code=code)
        return self.indicators[code]

    def lines(self, *, max_problems: int = 200) -> list[str]:
        """The report as text, for the command line."""
        out: list[str] = []
        if len(self.sources) > 3:
            sources = _("%(count)s files") % {"count": len(self.sources)}
        else:
            sources = ", ".join(self.sources) or "-"
        if not self.ok:
            out.append(
                _("Nothing was imported: %(errors)s error(s) in %(sources)s.")
                % {"errors": self.error_count, "sources": sources}
            )
        else:
            verb = _("Checked (dry run, nothing written)") if self.dry_run else _("Imported")
            out.append(
                _(
                    "%(verb)s %(sources)s: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "verb": verb,
                    "sources": sources,
                    "created": self.created,
                    "updated": self.updated,
                    "unchanged": self.unchanged,
                }
            )
            if self.replace:
                out.append(
                    _("Replace: %(removed)s stored value(s) no longer in the file removed.")
                    % {"removed": self.removed}
                )
        out.append(
            _(
                "Rows read: %(read)s; without a value (skipped): %(blank)s; "
                "skipped with a warning: %(skipped)s."
            )
            % {"read": self.rows_read, "blank": self.rows_blank, "skipped": self.rows_skipped}
        )
        if self.ok:
            for result in self.indicators.values():
                line = _(
                    "%(code)s: %(rows)s observations in %(series)s series "
                    "(%(created)s created, %(updated)s updated, %(unchanged)s unchanged)"
                ) % {
                    "code": result.code,
                    "rows": result.rows,
                    "series": result.series,
                    "created": result.observations_created,
                    "updated": result.observations_updated,
                    "unchanged": result.observations_unchanged,
                }
                if self.replace:
                    line += " " + _("%(removed)s removed") % {
                        "removed": result.observations_removed
                    }
                out.append("  " + line)
        budget = max_problems
        hidden = 0
        for group in self.groups():
            label = _("Error") if group.is_error else _("Warning")
            if len(group.problems) == 1:
                if budget > 0:
                    out.append(f"{label}: {group.problems[0].describe()}")
                    budget -= 1
                else:
                    hidden += 1
                continue
            where = group.where()
            heading = group.heading()
            out.append(f"{label}: {where}: {heading}" if where else f"{label}: {heading}")
            for problem in group.problems:
                if budget <= 0:
                    hidden += 1
                    continue
                budget -= 1
                line = (
                    f"  {problem.rows_text()}: {problem.message}"
                    if problem.ranges
                    else f"  {problem.message}"
                )
                if problem.count > 1:
                    line += " " + _("(%(count)s rows)") % {"count": problem.count}
                if problem.hint:
                    line += " " + problem.hint
                out.append(line)
        hidden += self.errors_not_listed
        if hidden:
            out.append(_("… and %(count)s more problem(s) not shown.") % {"count": hidden})
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe summary (the upload page keeps it in the session between redirect and page)."""
        return {
            "sources": self.sources,
            "dry_run": self.dry_run,
            "written": self.written,
            "rows_read": self.rows_read,
            "rows_blank": self.rows_blank,
            "rows_skipped": self.rows_skipped,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "replace": self.replace,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "indicators": [asdict(r) for r in self.indicators.values()],
            "warnings": [
                {
                    "where": g.where() if len(g.problems) > 1 else g.problems[0].where(),
                    "message": g.heading() if len(g.problems) > 1 else g.problems[0].message,
                    "count": g.rows,
                }
                for g in self.groups()
                if not g.is_error
            ][:100],
        }


def _short(value: Any, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
