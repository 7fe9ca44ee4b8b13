"""Reading an Open SDG CSV (``Year``, ``Value``, ``GeoCode``, breakdown columns, place-name
columns such as ``Local authority`` or ``Region``) with its front-matter metadata.

:func:`read_opensdg` yields one checked stage row (see ``rows``) for each row that passed every
check; every problem goes to the import's report with its row and column. The rows it is given
are already the header's width (``readers.checked_rows``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

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

# --- Columns -----------------------------------------------------------------------------------

# Open SDG columns that are not breakdowns (compared after normalise_header).
SDG_YEAR, SDG_VALUE, SDG_GEOCODE = "year", "value", "geocode"
SDG_UNITS = ("units", "unit measure")
SDG_MULTIPLIER = "unit multiplier"
SDG_STATUS = "observation status"
SDG_IGNORED = {"comment", "comments", "notes", "note"}
# Geography columns name a place; they never form a series.
SDG_LA_COLUMNS = {
    "local authority",
    "local authority district",
    "lower tier local authority",
    "upper tier local authority",
    "unitary authority",
    "welsh unitary authority",
    "scottish council area",
    "waste collection authority",
    "county",
    "council",
    # ITL and NUTS areas and combined authorities: resolved among every level (see places.py).
    "combined authority",
    "nuts1",
    "nuts2",
    "nuts3",
    "nuts 1",
    "nuts 2",
    "nuts 3",
    "nuts region",
    "nuts1 region",
    "nuts2 region",
    "nuts3 region",
    "nuts 3 region",
    "itl1",
    "itl2",
    "itl3",
    "itl 1",
    "itl 2",
    "itl 3",
    "itl region",
    "itl1 region",
    "itl2 region",
    "itl3 region",
    "itl 3 region",
    "international territorial level",
}
SDG_AREA_COLUMNS = ("region", "country", "nation")
LA_CODE_PREFIXES = ("E06", "E07", "E08", "E09", "E10", "W06", "S12", "N09")


def sdg_status(text: str) -> str:
    """Open SDG's free-text ``Observation status`` as F/P/E (statuses we cannot map are final)."""
    lowered = text.strip().lower()
    if "provisional" in lowered:
        return Observation.Status.PROVISIONAL
    if any(w in lowered for w in ("estimat", "low reliability", "applied to", "combined", "imput")):
        return Observation.Status.ESTIMATED
    return Observation.Status.FINAL


def opensdg_meta(importer: Importer, source: Source) -> IndicatorMeta | None:
    code = source.code
    try:
        if source.meta_text is not None:
            data = meta_module.parse_front_matter(source.meta_text)
            code = code or (
                meta_module.sdg_code(str(data["indicator_number"]))
                if data.get("indicator_number")
                else None
            )
            if code:
                return meta_module.opensdg_meta(data, code)
        elif source.meta_path is not None:
            return meta_module.read_opensdg_meta(source.meta_path, code)
    except MetaError as exc:
        importer.report.error(Kind.BAD_META, str(exc), file=source.name)
        return None
    if code:
        return meta_module.opensdg_meta({}, code)
    importer.report.error(
        Kind.BAD_META,
        _(
            "Cannot tell which indicator this is: name the file indicator_<id>.csv, or give "
            "its metadata (with indicator_number) or an indicator code."
        ),
        file=source.name,
    )
    return None


def read_opensdg(
    importer: Importer, source: Source, header: list[str], rows, file_no: int
) -> Iterator[StageRow]:
    report, file = importer.report, source.name
    meta = opensdg_meta(importer, source)
    if meta is None:
        return
    names = [normalise_header(h) for h in header]
    missing = [
        label for label, key in (("Year", SDG_YEAR), ("Value", SDG_VALUE)) if key not in names
    ]
    if missing:
        for label in missing:
            report.error(
                Kind.MISSING_COLUMN,
                _("There is no “%(column)s” column.") % {"column": label},
                file=file,
                row=1,
                column=label,
            )
        return
    state = importer._indicator(meta.code, {meta.code: meta}, opensdg=True)
    if state is None:  # an invalid code from a file name or metadata
        report.error(
            Kind.UNKNOWN_INDICATOR,
            _("“%(code)s” is not a usable indicator code.") % {"code": meta.code},
            file=file,
        )
        return
    i_year, i_value = names.index(SDG_YEAR), names.index(SDG_VALUE)
    i_code = names.index(SDG_GEOCODE) if SDG_GEOCODE in names else None
    i_units = [names.index(u) for u in SDG_UNITS if u in names]
    i_mult = names.index(SDG_MULTIPLIER) if SDG_MULTIPLIER in names else None
    i_status = names.index(SDG_STATUS) if SDG_STATUS in names else None
    la_cols = [(i, header[i]) for i, n in enumerate(names) if n in SDG_LA_COLUMNS]
    area_cols = {n: (i, header[i]) for i, n in enumerate(names) if n in SDG_AREA_COLUMNS}
    region = area_cols.get("region")
    country = area_cols.get("country") or area_cols.get("nation")
    used = {i_year, i_value, i_code, i_mult, i_status, *i_units}
    used |= {i for i, _h in la_cols} | {i for i, _h in area_cols.values()}
    dims = [
        (i, header[i])
        for i, n in enumerate(names)
        if i not in used and n not in SDG_IGNORED and header[i]
    ]
    dim_idx = [i for i, _h in dims]
    dim_names = [h for _i, h in dims]
    coverage = meta_module.national_coverage_code(meta.national_coverage)
    width = len(header)

    periods = importer._periods.setdefault(state.split_month, {})
    place_cache: dict = {}
    series_cache: dict = {}
    unit_cache: dict = {}
    status_cache: dict = {}
    read = blank = 0
    split = state.split_month
    kinds = state.period_kinds
    # Rows whose place name fits several places (a council and an ITL area, or one area in
    # several classifications) wait until the whole file has been read; then the file's other
    # names decide (see PlaceResolver.decide).
    held = HeldBack(importer.resolver, on_decide=place_cache.clear)
    for row_no, row in held.every_row(rows, start=2):
        if not held.replaying:
            read += 1
        if len(row) < width:
            row = row + [""] * (width - len(row))
        raw_value = row[i_value].strip()
        if not raw_value:
            blank += 1
            continue
        ok = True
        try:
            value = float(raw_value)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            try:
                value = parse_number(raw_value)
            except ValueError:
                value = None
                ok = False
                report.error(
                    Kind.NON_NUMERIC,
                    _("“%(value)s” is not a number.") % {"value": raw_value},
                    file=file,
                    row=row_no,
                    column=header[i_value],
                    value=raw_value,
                )
            else:
                if value is None:
                    blank += 1
                    continue
        raw_period = row[i_year]
        entry = periods.get(raw_period) or importer._period(raw_period, split)
        if entry.__class__ is str:
            report.error(
                Kind.BAD_PERIOD,
                entry,
                file=file,
                row=row_no,
                column=header[i_year],
                value=raw_period,
            )
            ok = False
            year = None
        else:
            period, pidx = entry
            kinds[period.kind] = kinds.get(period.kind, 0) + 1
            year = int(period.start)
        # Where: cached by everything that decides it.
        code = row[i_code].strip() if i_code is not None else ""
        la = next(((row[i].strip(), h) for i, h in la_cols if row[i].strip()), ("", ""))
        reg = row[region[0]].strip() if region else ""
        ctry = row[country[0]].strip() if country else ""
        place_key = (code, la[0], reg, ctry, year)
        where = place_cache.get(place_key)
        if where is None:
            where = place_cache[place_key] = _sdg_place(
                importer,
                code,
                la,
                reg,
                ctry,
                year,
                header[i_code] if i_code is not None else "GeoCode",
                region[1] if region else "",
                country[1] if country else "",
                coverage,
                meta,
            )
        resolved, column, cell, by_name = where
        if resolved.deferred:
            if ok:
                held.hold(row_no, row)
            continue
        place_id = resolved.place_id
        if resolved.kind is not None and not importer._place_problem(
            resolved, file=file, row=row_no, column=column, value=cell, name=by_name
        ):
            ok = False
        # Which series.
        unit_key = (tuple(row[i] for i in i_units), row[i_mult] if i_mult is not None else "")
        unit = unit_cache.get(unit_key)
        if unit is None:
            unit = unit_cache[unit_key] = _sdg_unit(*unit_key)
        dims_key = tuple(row[i].strip() for i in dim_idx)
        series = series_cache.get(dims_key)
        if series is None:
            pairs = tuple(sorted((n, v) for n, v in zip(dim_names, dims_key, strict=True) if v))
            series = series_cache[dims_key] = importer._series(state, pairs, unit)
        if unit != series.unit:
            if not series.unit:
                series.unit = unit
            elif unit:
                report.warning(
                    Kind.INCONSISTENT_UNIT,
                    _(
                        "The unit changes within one series (“%(first)s”, then “%(unit)s”); the first is kept."
                    )
                    % {"first": series.unit, "unit": unit},
                    file=file,
                    row=row_no,
                    value=unit,
                )
        if not ok:
            continue
        series.rows += 1
        raw_status = row[i_status] if i_status is not None else ""
        status = status_cache.get(raw_status)
        if status is None:
            status = status_cache[raw_status] = sdg_status(raw_status)
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


def _sdg_place(
    importer: Importer,
    code: str,
    la: tuple[str, str],
    region: str,
    country: str,
    year: int | None,
    code_column: str,
    region_column: str,
    country_column: str,
    coverage: str | None,
    meta: IndicatorMeta,
) -> tuple[Resolved, str, str, bool]:
    """(where, the column that decided it, its value, whether it was a name)."""
    resolver = importer.resolver
    la_name, la_column = la
    if la_name:
        if code and code[:3] in LA_CODE_PREFIXES:
            resolved = resolver.code(code)
            if resolved.kind != Kind.UNKNOWN_PLACE:
                return resolved, code_column, code, False
        # GeoCode is blank or holds the region (4-2-2, 4-c-1, 11-6-1): the name wins.
        return resolver.name(la_name, level="la", year=year), la_column, la_name, True
    if code:
        return resolver.code(code), code_column, code, False
    if region:
        return resolver.name(region, level="area", year=year), region_column, region, True
    if country:
        return resolver.name(country, level="area", year=year), country_column, country, True
    if coverage:
        resolved = resolver.code(coverage)
        if resolved.kind == Kind.NOT_HELD:
            resolved = Resolved(
                None,
                Kind.NOT_HELD,
                _(
                    "Rows without a place are for the indicator's national coverage, "
                    "%(coverage)s, which is not a place Mobilise holds; they were skipped."
                )
                % {"coverage": meta.national_coverage},
            )
        return resolved, "", "", False
    return (
        Resolved(
            None,
            Kind.NO_PLACE,
            _(
                "Rows without a GeoCode or place name were skipped: without the metadata "
                "(national_geographical_coverage) it is not known where they are."
            ),
        ),
        "",
        "",
        False,
    )


def _sdg_unit(units: tuple[str, ...], multiplier: str) -> str:
    unit = next((u.strip() for u in units if u.strip()), "")
    multiplier = multiplier.strip()
    if multiplier and multiplier.lower() not in ("units", "unit", "1"):
        unit = f"{unit} ({multiplier.lower()})" if unit else multiplier
    return unit
