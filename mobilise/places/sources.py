"""Reading the ONS boundary files into place records, checked before anything is written.

The layout is that of ``/work/shared/data/geo`` (and of the trimmed copy shipped in
``mobilise/data/geo``)::

    DIR/ons-uk-topojson/topo.json          layers uk, ctry, rgn, cty, ltla (others are ignored)
    DIR/ons-uk-topojson/changes.csv        old code -> new code, type, first year
    DIR/ons-uk-topojson/ltla14-lookup.csv  2014 district/unitary -> county, region, country
    DIR/names-cy.csv                       Welsh names (optional; the shipped one is used if absent)

Everything here is plain Python: it returns :class:`PlaceRecord` objects and raises
:class:`PlacesDataError`, naming the file, on anything it cannot make sense of.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import geo

SHIPPED_GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
TOPO_DIR = "ons-uk-topojson"
TOPO_FILE = "topo.json"
CHANGES_FILE = "changes.csv"
LOOKUP_FILE = "ltla14-lookup.csv"
WELSH_NAMES_FILE = "names-cy.csv"

UK_CODE = "K02000001"
ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND = "E92000001", "W92000004", "S92000003", "N92000002"
NATION_BY_LETTER = {"E": ENGLAND, "W": WALES, "S": SCOTLAND, "N": NORTHERN_IRELAND}

# Kinds are spelt as Place.Kind values; this module stays free of Django.
UK, NATION, REGION, COUNTY, UNITARY, DISTRICT = (
    "uk",
    "nation",
    "region",
    "county",
    "unitary",
    "district",
)
KIND_BY_PREFIX = {
    "K02": UK,
    "E92": NATION,
    "W92": NATION,
    "S92": NATION,
    "N92": NATION,
    "E12": REGION,
    "E10": COUNTY,
    "E06": UNITARY,  # unitary authorities
    "E08": UNITARY,  # metropolitan boroughs: single tier since 1986
    "E09": UNITARY,  # London boroughs and the City
    "W06": UNITARY,
    "S12": UNITARY,
    "N09": UNITARY,
    "E07": DISTRICT,
}
# Which TopoJSON layer holds which codes. Other codes in ``rgn`` (the three non-English nations,
# repeated there so the layer covers the UK) are skipped: ``ctry`` already has them.
LAYERS: dict[str, tuple[str, ...]] = {
    "uk": ("K02",),
    "ctry": ("E92", "W92", "S92", "N92"),
    "rgn": ("E12",),
    "cty": ("E10",),
    "ltla": ("E06", "E07", "E08", "E09", "W06", "S12", "N09"),
}
# Loading order: every parent comes before its children.
TIERS: tuple[tuple[str, ...], ...] = ((UK,), (NATION,), (REGION,), (COUNTY,), (UNITARY, DISTRICT))
CODE_RE = re.compile(r"^[EKNSW]\d{8}$")
# Change types that replace one local authority code with another. ``new_geo`` is also used for
# combined authority membership (E47 codes), which is not a succession and is filtered by code.
SUCCESSION_TYPES = {"merger", "new_code", "new_geo"}


class PlacesDataError(ValueError):
    """A boundary file is missing or malformed. The message names the file."""


@dataclass
class PlaceRecord:
    code: str
    name: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    boundary: dict[str, Any]
    bbox: list[float] | None
    name_cy: str = ""
    parent_code: str | None = None
    successor_codes: set[str] = field(default_factory=set)


@dataclass
class Change:
    old_code: str
    new_code: str
    new_name: str
    type: str
    year: int


def resolve_dir(path: Path | str) -> Path:
    """The folder holding topo.json: ``DIR/ons-uk-topojson`` or ``DIR`` itself."""
    path = Path(path)
    return path / TOPO_DIR if (path / TOPO_DIR).is_dir() else path


# --- Files ---------------------------------------------------------------------------------------


def _read_csv(file: Path, required: set[str]) -> list[dict[str, str]]:
    try:
        with file.open(encoding="utf-8-sig", newline="") as f:  # the ONS files start with a BOM
            reader = csv.DictReader(f)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise PlacesDataError(f"{file}: missing column(s) {', '.join(sorted(missing))}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except FileNotFoundError as exc:
        raise PlacesDataError(f"{file}: file not found") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PlacesDataError(f"{file}: cannot read as CSV ({exc})") from exc


def read_changes(file: Path) -> list[Change]:
    changes = []
    for line, row in enumerate(
        _read_csv(file, {"oldcd", "newcd", "newnm", "type", "start"}), start=2
    ):
        if row["oldcd"] and not CODE_RE.match(row["oldcd"]):
            raise PlacesDataError(f"{file}: line {line}: {row['oldcd']!r} is not an ONS code")
        if row["newcd"] and not CODE_RE.match(row["newcd"]):
            raise PlacesDataError(f"{file}: line {line}: {row['newcd']!r} is not an ONS code")
        try:
            year = int(row["start"])
        except ValueError as exc:
            raise PlacesDataError(
                f"{file}: line {line}: start {row['start']!r} is not a year"
            ) from exc
        changes.append(Change(row["oldcd"], row["newcd"], row["newnm"], row["type"], year))
    return changes


def read_lookup(file: Path) -> dict[str, dict[str, str]]:
    rows = _read_csv(file, {"ltlacd", "ctycd", "rgncd"})
    lookup = {}
    for line, row in enumerate(rows, start=2):
        if not CODE_RE.match(row["ltlacd"]):
            raise PlacesDataError(f"{file}: line {line}: {row['ltlacd']!r} is not an ONS code")
        lookup[row["ltlacd"]] = row
    return lookup


def read_welsh_names(file: Path) -> dict[str, str]:
    if not file.exists():
        file = SHIPPED_GEO_DIR / WELSH_NAMES_FILE
        if not file.exists():
            return {}
    return {
        row["code"]: row["name_cy"]
        for row in _read_csv(file, {"code", "name_cy"})
        if row["name_cy"]
    }


def _year(value: Any, file: Path, where: str, key: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise PlacesDataError(f"{file}: {where}: {key} {value!r} is not a year")
    return value


def read_topology(file: Path) -> list[PlaceRecord]:
    try:
        topology = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PlacesDataError(f"{file}: file not found") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlacesDataError(f"{file}: not valid JSON ({exc})") from exc
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise PlacesDataError(f"{file}: not a TopoJSON Topology")
    objects = topology.get("objects") or {}
    missing = [name for name in LAYERS if name not in objects]
    if missing:
        raise PlacesDataError(f"{file}: missing layer(s) {', '.join(missing)}")
    try:
        arcs = geo.decode_arcs(topology)
    except (geo.TopologyError, KeyError, TypeError, ValueError) as exc:
        raise PlacesDataError(f"{file}: cannot decode arcs ({exc})") from exc

    records: dict[str, PlaceRecord] = {}
    for layer, prefixes in LAYERS.items():
        for index, feature in enumerate(objects[layer].get("geometries") or []):
            where = f"layer {layer!r} feature {index}"
            props = feature.get("properties") or {}
            code, name = (
                str(props.get("areacd") or "").strip(),
                str(props.get("areanm") or "").strip(),
            )
            if not CODE_RE.match(code):
                raise PlacesDataError(f"{file}: {where}: areacd {code!r} is not an ONS code")
            if code[:3] not in prefixes:
                if layer == "rgn" and KIND_BY_PREFIX.get(code[:3]) == NATION:
                    continue
                raise PlacesDataError(f"{file}: {where}: {code} does not belong in layer {layer!r}")
            if not name:
                raise PlacesDataError(f"{file}: {where}: {code} has no areanm")
            if code in records:
                raise PlacesDataError(f"{file}: {where}: {code} appears twice")
            valid_from = _year(props.get("start"), file, where, "start")
            valid_to = _year(props.get("end"), file, where, "end")
            if valid_from and valid_to and valid_to < valid_from:
                raise PlacesDataError(
                    f"{file}: {where}: {code} ends ({valid_to}) before it starts ({valid_from})"
                )
            try:
                boundary = geo.topology_geometry(feature, arcs)
            except geo.TopologyError as exc:
                raise PlacesDataError(f"{file}: {where}: {code}: {exc}") from exc
            records[code] = PlaceRecord(
                code=code,
                name=name,
                kind=KIND_BY_PREFIX[code[:3]],
                valid_from=valid_from,
                valid_to=valid_to,
                boundary=boundary,
                bbox=geo.bbox(boundary),
            )
    return list(records.values())


# --- Putting them together -----------------------------------------------------------------------


def read(path: Path | str) -> list[PlaceRecord]:
    """Every place in the files, with parents and successors resolved, in loading order."""
    folder = resolve_dir(path)
    if not folder.is_dir():
        raise PlacesDataError(f"{folder}: no such folder")
    topo_file, changes_file, lookup_file = (
        folder / TOPO_FILE,
        folder / CHANGES_FILE,
        folder / LOOKUP_FILE,
    )
    records = {r.code: r for r in read_topology(topo_file)}
    changes = read_changes(changes_file)
    lookup = read_lookup(lookup_file)
    root = folder.parent if folder.name == TOPO_DIR else folder
    welsh = read_welsh_names(root / WELSH_NAMES_FILE)

    for uk in (UK_CODE, *NATION_BY_LETTER.values()):
        if uk not in records:
            raise PlacesDataError(f"{topo_file}: {uk} is missing")
    _add_code_changes_missing_from_topology(records, changes)
    _set_parents(records, changes, lookup, topo_file, lookup_file)
    _set_successors(records, changes)
    for code, name_cy in welsh.items():
        if code in records:
            records[code].name_cy = name_cy

    order = {kind: i for i, tier in enumerate(TIERS) for kind in tier}
    return sorted(records.values(), key=lambda r: (order[r.kind], r.code))


def _add_code_changes_missing_from_topology(
    records: dict[str, PlaceRecord], changes: list[Change]
) -> None:
    """Scotland's 2019 codes for Glasgow City (S12000049) and North Lanarkshire (S12000050).

    changes.csv records them, but the upstream topo.json left them out of its ltla layer and kept the
    old codes current. The boundary moved by a few streets, invisible at this generalisation, so
    the new code takes the old shape and the old code is closed the year before.
    """
    for change in changes:
        old = records.get(change.old_code)
        if (
            old is None
            or change.type not in SUCCESSION_TYPES
            or change.new_code in records
            or KIND_BY_PREFIX.get(change.new_code[:3]) != old.kind
            or old.valid_to is not None
        ):
            continue
        records[change.new_code] = PlaceRecord(
            code=change.new_code,
            name=change.new_name or old.name,
            kind=old.kind,
            valid_from=change.year,
            valid_to=None,
            boundary=old.boundary,
            bbox=old.bbox,
        )
        old.valid_to = change.year - 1


def _set_parents(
    records: dict[str, PlaceRecord],
    changes: list[Change],
    lookup: dict[str, dict[str, str]],
    topo_file: Path,
    lookup_file: Path,
) -> None:
    predecessors: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        if change.type in SUCCESSION_TYPES and change.old_code and change.new_code:
            predecessors[change.new_code].append(change.old_code)

    def lookup_row(code: str, seen: frozenset[str] = frozenset()) -> dict[str, str] | None:
        """The 2014 lookup row for a code, or for the codes it replaced (merged areas stay
        within one county and region)."""
        if code in lookup:
            return lookup[code]
        for old in predecessors.get(code, []):
            if old not in seen and (row := lookup_row(old, seen | {code})):
                return row
        return None

    region_of_county: dict[str, str] = {}
    for row in lookup.values():
        if row.get("ctycd") and row.get("rgncd"):
            region_of_county.setdefault(row["ctycd"], row["rgncd"])

    for record in records.values():
        code, kind = record.code, record.kind
        if kind == UK:
            record.parent_code = None
        elif kind == NATION:
            record.parent_code = UK_CODE
        elif kind == REGION:
            record.parent_code = ENGLAND
        elif not code.startswith("E"):
            record.parent_code = NATION_BY_LETTER[code[0]]
        elif kind == COUNTY:
            record.parent_code = region_of_county.get(code) or _containing(
                record, records, {REGION}
            )
        elif kind == DISTRICT:
            row = lookup_row(code)
            record.parent_code = (row or {}).get("ctycd") or _containing(record, records, {COUNTY})
        else:
            row = lookup_row(code)
            record.parent_code = (row or {}).get("rgncd") or _containing(record, records, {REGION})

        if kind != UK:
            parent = records.get(record.parent_code or "")
            if parent is None:
                source = lookup_file if record.parent_code else topo_file
                raise PlacesDataError(
                    f"{source}: cannot place {code} ({record.name}): "
                    + (
                        f"its parent {record.parent_code} is not in {topo_file.name}"
                        if record.parent_code
                        else "no parent found"
                    )
                )
            expected = {NATION: {UK}, REGION: {NATION}, COUNTY: {REGION}, DISTRICT: {COUNTY}}.get(
                kind, {REGION, NATION}
            )
            if parent.kind not in expected:
                raise PlacesDataError(
                    f"{lookup_file}: {code} ({record.name}) cannot sit under {parent.code}, a {parent.kind}"
                )


def _containing(
    record: PlaceRecord, records: dict[str, PlaceRecord], kinds: set[str]
) -> str | None:
    """Fallback for a code neither the lookup nor changes.csv explains: the area of the wanted kind,
    in use at the same time, that contains a point inside this one."""
    point = geo.interior_point(record.boundary)
    if point is None:
        return None
    for other in records.values():
        if other.kind not in kinds or not _overlap_in_time(record, other):
            continue
        if (
            other.bbox
            and geo.bboxes_touch(other.bbox, [*point, *point])
            and geo.contains(other.boundary, point)
        ):
            return other.code
    return None


def _overlap_in_time(a: PlaceRecord, b: PlaceRecord) -> bool:
    lo = max(a.valid_from or 0, b.valid_from or 0)
    hi = min(a.valid_to or 9999, b.valid_to or 9999)
    return lo <= hi


def _set_successors(records: dict[str, PlaceRecord], changes: list[Change]) -> None:
    for change in changes:
        old, new = records.get(change.old_code), records.get(change.new_code)
        if (
            old
            and new
            and change.type in SUCCESSION_TYPES
            and old.kind in (UNITARY, DISTRICT, COUNTY)
        ):
            if new.kind in (UNITARY, DISTRICT, COUNTY):
                old.successor_codes.add(new.code)
    # A county that ended: its successors are whatever its districts became that same year
    # (Buckinghamshire → Buckinghamshire; Northamptonshire → North and West Northamptonshire).
    for county in records.values():
        if county.kind != COUNTY or county.valid_to is None or county.successor_codes:
            continue
        for district in records.values():
            if district.parent_code == county.code and district.valid_to == county.valid_to:
                county.successor_codes |= district.successor_codes


# --- Making the shipped copy ---------------------------------------------------------------------

LOOKUP_COLUMNS = ("ltlacd", "ltlanm", "ctycd", "rgncd", "ctrycd")


def trim(source: Path | str, dest: Path | str) -> dict[str, int]:
    """Write the smaller copy shipped in ``mobilise/data/geo`` from the full ONS files.

    Keeps only the layers the loader reads (and only E12 features of ``rgn``), drops the arcs
    nothing then uses, and keeps the quantised integer arcs as they are, so no precision is lost.
    The lookup keeps the columns the loader reads; changes.csv is copied unchanged.
    Returns the size in bytes of each file written.
    """
    src, out = resolve_dir(source), Path(dest) / TOPO_DIR
    out.mkdir(parents=True, exist_ok=True)
    try:
        topology = json.loads((src / TOPO_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PlacesDataError(f"{src / TOPO_FILE}: {exc}") from exc

    objects: dict[str, Any] = {}
    for layer, prefixes in LAYERS.items():
        geometries = [
            {"type": g["type"], "arcs": g["arcs"], "properties": g["properties"]}
            for g in topology["objects"][layer]["geometries"]
            if str(g["properties"].get("areacd", ""))[:3] in prefixes
        ]
        objects[layer] = {"type": "GeometryCollection", "geometries": geometries}

    renumber: dict[int, int] = {}

    def remap(index: int) -> int:
        arc = index if index >= 0 else ~index
        if arc not in renumber:
            renumber[arc] = len(renumber)
        return renumber[arc] if index >= 0 else ~renumber[arc]

    for layer in objects.values():
        for g in layer["geometries"]:
            if g["type"] == "Polygon":
                g["arcs"] = [[remap(i) for i in ring] for ring in g["arcs"]]
            else:
                g["arcs"] = [[[remap(i) for i in ring] for ring in poly] for poly in g["arcs"]]
    arcs = [None] * len(renumber)
    for old, new in renumber.items():
        arcs[new] = topology["arcs"][old]
    trimmed = {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": objects,
        "arcs": arcs,
    }
    (out / TOPO_FILE).write_text(json.dumps(trimmed, separators=(",", ":")), encoding="utf-8")

    (out / CHANGES_FILE).write_bytes((src / CHANGES_FILE).read_bytes())

    rows = _read_csv(src / LOOKUP_FILE, set(LOOKUP_COLUMNS))
    with (out / LOOKUP_FILE).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=LOOKUP_COLUMNS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    return {name: (out / name).stat().st_size for name in (TOPO_FILE, CHANGES_FILE, LOOKUP_FILE)}
