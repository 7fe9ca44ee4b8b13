"""The import report: every problem found, with where it is, and what was (or would be) written.

Errors stop the import (nothing is written); warnings describe rows that were skipped or
reinterpreted but do not stop it. Errors are listed one per cell, as the file shows them (row 2 is
the first data row, after the header), up to ``MAX_LISTED_ERRORS``; the totals always count them
all. Warnings repeat (a national file has the same "England and Wales is not a place we hold" on
hundreds of rows), so each distinct warning is listed once, with how many rows it affects and the
first few of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

MAX_LISTED_ERRORS = 1000
MAX_ROWS_PER_WARNING = 10


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    # The file as a whole
    BAD_FILE = "bad_file"  # missing, unreadable, not CSV, too large
    UNKNOWN_FORMAT = "unknown_format"
    BAD_META = "bad_meta"
    MISSING_COLUMN = "missing_column"
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


@dataclass
class Problem:
    kind: Kind
    severity: Severity
    message: str
    file: str = ""
    row: int | None = None  # as in the file: the header is row 1
    column: str = ""
    value: str = ""
    count: int = 1  # rows this problem covers (warnings are listed once per distinct problem)
    rows: list[int] = field(default_factory=list)  # the first few of those rows

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        return ", ".join(parts)

    def describe(self) -> str:
        """One line for a terminal: where, what, and how often."""
        text = f"{self.where()}: {self.message}" if self.where() else self.message
        if self.count > 1:
            more = ", ".join(str(r) for r in self.rows[:MAX_ROWS_PER_WARNING])
            text += " " + _("(%(count)s rows: %(rows)s…)") % {"count": self.count, "rows": more}
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
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    counts_by_kind: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, for benchmarks
    _warnings: dict[tuple, Problem] = field(default_factory=dict, repr=False)
    _listed_errors: int = field(default=0, repr=False)

    # --- recording ------------------------------------------------------------------------------

    def error(
        self,
        kind: Kind,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str = "",
        value: Any = "",
    ) -> None:
        self.error_count += 1
        self.counts_by_kind[kind] += 1
        if self._listed_errors < MAX_LISTED_ERRORS:
            self._listed_errors += 1
            self.problems.append(
                Problem(kind, Severity.ERROR, message, file, row, column, _short(value))
            )

    def count_unlisted_errors(self, kind: Kind, count: int) -> None:
        """Errors counted in the totals but not listed one by one."""
        self.error_count += count
        self.counts_by_kind[kind] += count

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
    ) -> None:
        """Record a warning; the same warning on further rows only adds to its count."""
        self.warning_count += count
        self.counts_by_kind[kind] += count
        key = (kind, file, column, str(value), message)
        problem = self._warnings.get(key)
        if problem is None:
            problem = Problem(kind, Severity.WARNING, message, file, row, column, _short(value), 0)
            self._warnings[key] = problem
            self.problems.append(problem)
        problem.count += count
        if row is not None and len(problem.rows) < MAX_ROWS_PER_WARNING:
            problem.rows.append(row)

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
        return self.error_count - self._listed_errors

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
        shown = self.errors + self.warnings
        for problem in shown[:max_problems]:
            label = _("Error") if problem.is_error else _("Warning")
            out.append(f"{label}: {problem.describe()}")
        hidden = len(shown) - min(len(shown), max_problems) + self.errors_not_listed
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
                {"where": p.where(), "message": p.message, "count": p.count} for p in self.warnings
            ][:100],
        }


def _short(value: Any, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
