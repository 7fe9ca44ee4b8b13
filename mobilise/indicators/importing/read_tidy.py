"""Reading a tidy CSV (one value per row: ``indicator``, ``geocode`` or an area name, ``period``,
``value``, optional ``unit`` and ``status``; any other column a breakdown) with its YAML metadata,
and rows given as Python sequences (``import_observations``).

:func:`read_tidy` yields one checked stage row (see ``rows``) for each row that passed every
check; every problem goes to the import's report with its row and column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from mobilise.indicators.models import Observation

from . import meta as meta_module
from .meta import IndicatorMeta, MetaError
from .places import HeldBack, Resolved
from .readers import Source, normalise_header
from .report import Kind
from .rows import PLACE_SHIFT, SERIES_SHIFT, StageRow, parse_number

if TYPE_CHECKING:
    from .pipeline import Importer

# Tidy columns, by role.
TIDY_ROLES = {
    "indicator": {"indicator", "indicator code", "indicator id"},
    "geocode": {"geocode", "geo code", "area code", "gss code", "ons code", "place code"},
    "name": {"area name", "place name", "area", "place", "local authority name"},
    "period": {"period", "time period", "year"},
    "value": {"value", "obs value", "observation value"},
    "unit": {"unit", "units", "unit measure"},
    "status": {"status", "observation status", "obs status"},
}

STATUS_WORDS = {
    "": Observation.Status.FINAL,
    "f": Observation.Status.FINAL,
    "final": Observation.Status.FINAL,
    "normal value": Observation.Status.FINAL,
    "p": Observation.Status.PROVISIONAL,
    "provisional": Observation.Status.PROVISIONAL,
    "provisional value": Observation.Status.PROVISIONAL,
    "e": Observation.Status.ESTIMATED,
    "estimated": Observation.Status.ESTIMATED,
    "estimate": Observation.Status.ESTIMATED,
    "estimated value": Observation.Status.ESTIMATED,
}
# Markers publishers put in place of a number that is not available. Treated like a blank cell.


def tidy_metas(importer: Importer, source: Source) -> dict[str, IndicatorMeta] | None:
    try:
        if source.meta_text is not None:
            return meta_module.tidy_meta(meta_module.parse_front_matter(source.meta_text))
        if source.meta_path is not None:
            return meta_module.read_tidy_meta(source.meta_path)
    except MetaError as exc:
        importer.report.error(Kind.BAD_META, str(exc), file=source.name)
        return None
    return {}


def read_tidy(
    importer: Importer,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    file: str,
    file_no: int,
    metas: dict[str, IndicatorMeta],
    first_row: int = 2,
) -> Iterator[StageRow]:
    """Tidy rows: one observation per row, in columns named by ``header``."""
    report, resolver = importer.report, importer.resolver
    names = [normalise_header(str(h)) for h in header]
    roles: dict[str, int] = {}
    for role, aliases in TIDY_ROLES.items():
        for i, n in enumerate(names):
            if n in aliases and i not in roles.values():
                roles[role] = i
                break
    single_code = next(iter(metas)) if len(metas) == 1 else None
    missing = []
    if "indicator" not in roles and single_code is None:
        missing.append("indicator")
    if "geocode" not in roles and "name" not in roles:
        missing.append("geocode")
    missing += [role for role in ("period", "value") if role not in roles]
    if missing:
        for column in missing:
            report.error(
                Kind.MISSING_COLUMN,
                _("There is no “%(column)s” column.") % {"column": column},
                file=file,
                row=1,
                column=column,
            )
        return
    i_ind = roles.get("indicator")
    i_code = roles.get("geocode")
    i_name = roles.get("name")
    i_period, i_value = roles["period"], roles["value"]
    i_unit, i_status = roles.get("unit"), roles.get("status")
    dims = [
        (i, str(header[i]).strip())
        for i in range(len(header))
        if i not in roles.values() and str(header[i]).strip()
    ]
    dim_idx = [i for i, _h in dims]
    dim_names = [h for _i, h in dims]
    h_value, h_period = str(header[i_value]), str(header[i_period])
    h_code = str(header[i_code]) if i_code is not None else ""
    h_ind = str(header[i_ind]) if i_ind is not None else ""
    width = len(header)

    ids = resolver.ids
    ind_cache: dict[str, Any] = {}  # code → the indicator's state, or None
    # Per indicator: the positions of breakdown columns it may not use.
    forbidden: dict[str, list[int]] = {}
    all_periods = importer._periods
    series_cache: dict = {}
    status_cache: dict = {}
    read = blank = 0
    # Rows whose place name fits several places wait until the whole file has been read (see
    # PlaceResolver.decide).
    held = HeldBack(resolver)
    for row_no, row in held.every_row(rows, start=first_row):
        if not held.replaying:
            read += 1
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        ok = True
        # The value.
        raw_value = row[i_value]
        if raw_value.__class__ is float:
            value = raw_value
            if value != value or value in (math.inf, -math.inf):
                ok = False
                report.error(
                    Kind.NON_NUMERIC,
                    _("“%(value)s” is not a number.") % {"value": raw_value},
                    file=file,
                    row=row_no,
                    column=h_value,
                    value=raw_value,
                )
        else:
            text = (
                raw_value.strip()
                if raw_value.__class__ is str
                else ("" if raw_value is None else str(raw_value))
            )
            if not text:
                blank += 1
                continue
            try:
                value = float(text)
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                try:
                    value = parse_number(text)
                except ValueError:
                    ok = False
                    report.error(
                        Kind.NON_NUMERIC,
                        _("“%(value)s” is not a number.") % {"value": text},
                        file=file,
                        row=row_no,
                        column=h_value,
                        value=text,
                    )
                else:
                    if value is None:
                        blank += 1
                        continue
        # The indicator.
        code = row[i_ind] if i_ind is not None else single_code
        if code.__class__ is not str:
            code = "" if code is None else str(code)
        code = code.strip()
        state = ind_cache.get(code, False)
        if state is False:
            state = ind_cache[code] = importer._indicator(code, metas, opensdg=False)
            if state is not None:
                forbidden[code] = (
                    [i for i, n in dims if n not in state.declared]
                    if state.declared is not None
                    else []
                )
        if state is None:
            ok = False
            if not code:
                message = _("The indicator code is blank.")
            elif not meta_module.CODE_RE.match(code):
                message = _(
                    "“%(code)s” is not a usable indicator code (letters, digits and dashes)."
                ) % {"code": code}
            else:
                message = _(
                    "There is no indicator “%(code)s”: describe it in the metadata file "
                    "(title, unit, source) to create it."
                ) % {"code": code}
            report.error(
                Kind.UNKNOWN_INDICATOR, message, file=file, row=row_no, column=h_ind, value=code
            )
            split = 4
        else:
            split = state.split_month
            for i in forbidden[code]:
                if str(row[i]).strip():
                    ok = False
                    report.error(
                        Kind.UNKNOWN_DIMENSION,
                        _(
                            "%(indicator)s has no breakdown “%(column)s” (it has: %(declared)s). "
                            "Declare it in the metadata's dimensions to add it."
                        )
                        % {
                            "indicator": code,
                            "column": header[i],
                            "declared": ", ".join(sorted(state.declared)) or _("none"),
                        },
                        file=file,
                        row=row_no,
                        column=str(header[i]),
                        value=row[i],
                    )
        # The period.
        raw_period = row[i_period]
        entry = all_periods[split].get(raw_period) or importer._period(raw_period, split)
        if entry.__class__ is str:
            ok = False
            period = None
            report.error(
                Kind.BAD_PERIOD, entry, file=file, row=row_no, column=h_period, value=raw_period
            )
        else:
            period, pidx = entry
            if state is not None:
                kinds = state.period_kinds
                kinds[period.kind] = kinds.get(period.kind, 0) + 1
        # The place.
        place_code = row[i_code] if i_code is not None else ""
        if place_code.__class__ is not str:
            place_code = "" if place_code is None else str(place_code)
        place_id = ids.get(place_code)
        if place_id is None:
            place_code = place_code.strip()
            if place_code:
                resolved, column, cell = resolver.code(place_code), h_code, place_code
                by_name = False
            elif i_name is not None and str(row[i_name]).strip():
                cell = str(row[i_name]).strip()
                year = int(period.start) if period is not None else None
                resolved, column, by_name = (
                    resolver.name(cell, level="la", year=year),
                    str(header[i_name]),
                    False,
                )
                if resolved.kind == Kind.UNKNOWN_PLACE and not resolved.ambiguous:
                    # A region or nation written out ("London", "Wales").
                    area = resolver.name(cell, level="area", year=year)
                    resolved = area if area.kind is None else resolved
            else:
                resolved = Resolved(None, Kind.UNKNOWN_PLACE, _("The place code is blank."))
                column, cell, by_name = h_code, "", False
            if resolved.deferred:
                if ok and not held.replaying:
                    held.hold(row_no, row)
                continue
            place_id = resolved.place_id
            if resolved.kind is not None and not importer._place_problem(
                resolved, file=file, row=row_no, column=column, value=cell, name=by_name
            ):
                ok = False
        if state is None or not ok:
            continue
        # The series.
        unit = row[i_unit].strip() if i_unit is not None and row[i_unit] else ""
        if dim_idx:
            dims_key = (code, tuple(str(row[i]).strip() for i in dim_idx))
        else:
            dims_key = code
        series = series_cache.get(dims_key)
        if series is None:
            values = dims_key[1] if dim_idx else ()
            pairs = tuple(sorted((n, v) for n, v in zip(dim_names, values, strict=True) if v))
            series = series_cache[dims_key] = importer._series(state, pairs, unit)
        if unit != series.unit:
            if not series.unit:
                series.unit = unit
            elif unit:
                report.error(
                    Kind.INCONSISTENT_UNIT,
                    _("The unit changes within one series (“%(first)s” before, “%(unit)s” here).")
                    % {"first": series.unit, "unit": unit},
                    file=file,
                    row=row_no,
                    column=str(header[i_unit]),
                    value=unit,
                )
                continue
        if i_status is not None:
            raw_status = row[i_status]
            status = status_cache.get(raw_status)
            if status is None:
                status = STATUS_WORDS.get(str(raw_status or "").strip().lower())
                if status is None:
                    report.error(
                        Kind.BAD_STATUS,
                        _(
                            "“%(value)s” is not a status: use F (final), P (provisional) or E (estimated)."
                        )
                        % {"value": raw_status},
                        file=file,
                        row=row_no,
                        column=str(header[i_status]),
                        value=raw_status,
                    )
                    continue
                status_cache[raw_status] = status
        else:
            status = "F"
        series.rows += 1
        yield (
            file_no,
            row_no,
            series.sidx,
            place_id,
            period.text,
            period.start,
            value,
            status,
            (series.sidx << SERIES_SHIFT) | (place_id << PLACE_SHIFT) | pidx,
        )
    report.rows_read += read
    report.rows_blank += blank
