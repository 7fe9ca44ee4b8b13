"""Building the indicator data that ships in ``mobilise/data/indicators`` from the full sources.

``mobilise indicators trim --source /work/shared/data`` runs :func:`build`. The layout it expects
is that of the shared data folder (``ons-sdg/``, ``extra/…``); what it writes, and why each file
is reduced the way it is, is described in ``mobilise/data/indicators/LICENCE.md``. Output is
deterministic (gzip with no timestamp, rows in a fixed order), so rebuilding from the same sources
gives the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from collections.abc import Iterable
from pathlib import Path

from .places import HELD_PREFIXES, SHIPPED_DIR

LOOKUP_COLUMNS = (
    "local-authority-code",
    "gss-code",
    "former-gss-codes",
    "nice-name",
    "official-name",
    "alt-names",
    "local-authority-type",
    "start-date",
    "end-date",
)
# mySociety emissions columns → (indicator code, decimals kept).
EMISSIONS = {
    "Total Emissions:kt CO2": ("co2-total", 2),
    "Transport Total:kt CO2": ("co2-transport", 2),
    "Domestic Total:kt CO2": ("co2-domestic", 2),
    "Per Person Emissions:t": ("co2-per-person", 3),
}


def _write_gz(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # mtime=0 and no file name: the same input always gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path.stat().st_size


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _number(text: str, decimals: int) -> str:
    """A number rounded to ``decimals`` places, without trailing zeros."""
    out = f"{float(text):.{decimals}f}"
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def build(source: Path | str, dest: Path | str = SHIPPED_DIR) -> dict[str, int]:
    """Write the shipped files from the shared data folder; returns {relative path: bytes}."""
    source, dest = Path(source), Path(dest)
    sizes: dict[str, int] = {}

    # 1. ONS UK SDG: every shared indicator, data gzipped, metadata as is.
    sdg = source / "ons-sdg"
    for csv_file in sorted((sdg / "data").glob("indicator_*.csv")):
        target = dest / "sdg" / "data" / (csv_file.name + ".gz")
        sizes[str(target.relative_to(dest))] = _write_gz(
            target, csv_file.read_bytes().decode("utf-8")
        )
    for md in sorted((sdg / "meta").glob("*.md")):
        target = dest / "sdg" / "meta" / md.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(md, target)
        sizes[str(target.relative_to(dest))] = target.stat().st_size

    # 2. mySociety names and codes: the columns name resolution needs.
    lookup = _read_csv(
        source / "extra" / "mysociety-la-names-codes" / "uk_local_authorities_current.csv"
    )
    lookup.sort(key=lambda r: r["local-authority-code"])
    target = dest / "lookups" / "la-names.csv.gz"
    sizes[str(target.relative_to(dest))] = _write_gz(
        target, _csv_text(LOOKUP_COLUMNS, ([r[c] for c in LOOKUP_COLUMNS] for r in lookup))
    )
    gss_by_la = {r["local-authority-code"]: r["gss-code"] for r in lookup}

    def held(code: str) -> bool:
        return code[:3] in HELD_PREFIXES

    # 3. Population (mySociety pop-2020, from ONS mid-2020 estimates) for authorities we hold.
    population = sorted(
        (r["gss-code"], r["pop-2020"])
        for r in lookup
        if r["gss-code"] and held(r["gss-code"]) and r["pop-2020"] and not r["end-date"]
    )
    target = dest / "population" / "la-population-2020.csv.gz"
    sizes[str(target.relative_to(dest))] = _write_gz(
        target,
        _csv_text(
            ("indicator", "geocode", "period", "value"),
            (("population", code, "2020", _number(pop, 0)) for code, pop in population),
        ),
    )

    # 4. Territorial CO2 by local authority, 2005–2020 (mySociety's transformation of DESNZ).
    emissions = _read_csv(
        source / "extra" / "mysociety-la-emissions" / "local_authority_emissions.csv"
    )
    rows = []
    for r in emissions:
        code = gss_by_la.get(r["local-authority-code"], "")
        if not held(code):  # combined authorities and the GLA are not places
            continue
        for column, (indicator, decimals) in EMISSIONS.items():
            if r[column]:
                rows.append((indicator, code, r["Year"], _number(r[column], decimals)))
    rows.sort()
    target = dest / "emissions" / "la-co2-emissions.csv.gz"
    sizes[str(target.relative_to(dest))] = _write_gz(
        target, _csv_text(("indicator", "geocode", "period", "value"), rows)
    )

    # 5. English Indices of Deprivation 2019, local authority district summaries.
    imd = _read_csv(source / "extra" / "humaniverse-imd2019-lad" / "imd_england_lad.csv")
    rows = []
    for r in imd:
        rows.append(("imd-2019-score", r["lad_code"], "2019", _number(r["Score"], 3)))
        rows.append(
            (
                "imd-2019-most-deprived",
                r["lad_code"],
                "2019",
                _number(str(float(r["Proportion"]) * 100), 2),
            )
        )
    rows.sort()
    target = dest / "deprivation" / "imd-2019-lad.csv.gz"
    sizes[str(target.relative_to(dest))] = _write_gz(
        target, _csv_text(("indicator", "geocode", "period", "value"), rows)
    )
    return sizes
