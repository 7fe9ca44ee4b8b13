"""Reading the ONS ITL/NUTS lookups and the combined authorities into area records.

The layout is that of ``mobilise/data/geo/itl`` (see its README for sources and quirks)::

    lad13_nuts315.csv        LAD 2013 → NUTS 3/2/1 (2013 classification, in force 2015-2017)
    lad18_nuts318.csv        LAD 2018 × LAU1 → NUTS 3/2/1 (2016 classification, 2018-2020)
    lad23_itl21.csv          LAD 2023 × LAU1 → ITL 3/2/1 (January 2021, in force 2021-2024)
    lad25_itl25.csv          LAD 2025 × LAU1 → ITL 3/2/1 (January 2025, in force from 2025)
    nuts315_to_nuts318.csv   NUTS 3 2013 → NUTS 3 2016
    combined_authorities.csv combined authorities and the GLA with their member authorities

ITL and NUTS codes are reused across classifications, so each area's key (``Place.code``) is its
published code and the classification's last two digits: ``TLC11-21``, ``UKF22-16``.
Plain Python, no Django: it returns :class:`AreaRecord` objects and raises
:class:`~mobilise.places.sources.PlacesDataError`, naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .sources import (
    CHANGES_FILE,
    ENGLAND,
    SHIPPED_GEO_DIR,
    SUCCESSION_TYPES,
    TOPO_DIR,
    UK_CODE,
    PlacesDataError,
    _read_csv,
    read_changes,
)

ITL_DIR = "itl"
CROSSWALK_FILE = "nuts315_to_nuts318.csv"
COMBINED_FILE = "combined_authorities.csv"
COMBINED, LONDON = "combined", "E12000007"
GLA_CODE = "E61000001"
# Codes of local authorities that can be members: the rest of an LAU1 column (Scottish S30
# wards groups) names parts of an authority, and then the row's LAD code is the member.
MEMBER_RE = re.compile(r"^(E06|E07|E08|E09|E10|W06|S12|N09)\d{6}$")
AREA_CODE_RE = re.compile(r"^(UK|TL)[C-N][0-9A-Z]{0,3}$")


@dataclass(frozen=True)
class Vintage:
    year: int  # the classification: NUTS 2013 / 2016, ITL 2021 / 2025
    file: str
    scheme: str  # "nuts" or "itl"
    lad: str  # column of the local authority code
    lau: str | None  # column of the LAU1 code (one row per LAD × LAU1)
    levels: tuple[tuple[str, str], ...]  # (code column, name column) for levels 1, 2, 3
    valid_from: int
    valid_to: int | None


VINTAGES = (
    Vintage(
        2013,
        "lad13_nuts315.csv",
        "nuts",
        "LAD13CD",
        None,
        (("NUT115CD", "NUTS115NM"), ("NUTS215CD", "NUTS215NM"), ("NUTS315CD", "NUTS315NM")),
        2015,
        2017,
    ),
    Vintage(
        2016,
        "lad18_nuts318.csv",
        "nuts",
        "LAD18CD",
        "LAU118CD",
        (("NUTS118CD", "NUTS118NM"), ("NUTS218CD", "NUTS218NM"), ("NUTS318CD", "NUTS318NM")),
        2018,
        2020,
    ),
    Vintage(
        2021,
        "lad23_itl21.csv",
        "itl",
        "LAD23CD",
        "LAU121CD",
        (("ITL121CD", "ITL121NM"), ("ITL221CD", "ITL221NM"), ("ITL321CD", "ITL321NM")),
        2021,
        2024,
    ),
    Vintage(
        2025,
        "lad25_itl25.csv",
        "itl",
        "LAD25CD",
        "LAU125CD",
        (("ITL125CD", "ITL125NM"), ("ITL225CD", "ITL225NM"), ("ITL325CD", "ITL325NM")),
        2025,
        None,
    ),
)
# Loading order after the local authorities: parents first.
TIERS: tuple[tuple[str, ...], ...] = (
    (COMBINED,),
    ("nuts1", "itl1"),
    ("nuts2", "itl2"),
    ("nuts3", "itl3"),
)


def _file(folder: Path, name: str) -> Path:
    """``folder/name``, or the shipped copy when the folder does not have that file (the shared
    ONS set has the lookups but not the combined authorities)."""
    path = folder / name
    shipped = SHIPPED_GEO_DIR / ITL_DIR / name
    return path if path.exists() or not shipped.exists() else shipped


def area_key(code: str, vintage: int) -> str:
    """``TLC11`` of ITL 2025 → ``TLC11-25`` (Place.code)."""
    return f"{code}-{vintage % 100:02d}"


@dataclass
class AreaRecord:
    code: str  # Place.code: GSS code, or area_key()
    name: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    ons_code: str = ""
    vintage: int | None = None
    parent_code: str | None = None
    # member local authority code → wholly inside (False: ONS split it between areas)
    members: dict[str, bool] = field(default_factory=dict)
    successor_codes: set[str] = field(default_factory=set)
    # lower-level areas whose union is this one (for dissolving level 1 and 2 from level 3)
    part_codes: list[str] = field(default_factory=list)
    source: str = ""  # the file it came from, for messages


def _nation_parent(code: str) -> str:
    """ITL 1 / NUTS 1 areas of England (C-K) sit in England; Wales, Scotland and Northern
    Ireland (L, M, N) are nations themselves and sit in the UK."""
    return ENGLAND if code[2] in "CDEFGHIJK" else UK_CODE


def read_vintage(
    folder: Path, vintage: Vintage
) -> tuple[dict[str, AreaRecord], dict[str, set[str]]]:
    """The areas of one classification, and for each level-3 area the keys of its rows (LAU1
    code for split Scottish districts, else the authority code) used to match vintages."""
    file = _file(folder, vintage.file)
    columns = {vintage.lad, *(c for pair in vintage.levels for c in pair)}
    if vintage.lau:
        columns.add(vintage.lau)
    rows = _read_csv(file, columns)
    records: dict[str, AreaRecord] = {}
    row_keys: dict[str, set[tuple[str, str]]] = {}
    member_areas: dict[str, set[str]] = {}
    kinds = tuple(f"{vintage.scheme}{level}" for level in (1, 2, 3))
    for line, row in enumerate(rows, start=2):
        keys: list[str] = []
        for level, (code_col, name_col) in enumerate(vintage.levels):
            code, name = row[code_col], row[name_col]
            if not AREA_CODE_RE.match(code) or not name:
                raise PlacesDataError(
                    f"{file}: line {line}: {code_col} {code!r} is not an area code"
                )
            key = area_key(code, vintage.year)
            record = records.get(key)
            if record is None:
                record = records[key] = AreaRecord(
                    code=key,
                    name=name,
                    kind=kinds[level],
                    valid_from=vintage.valid_from,
                    valid_to=vintage.valid_to,
                    ons_code=code,
                    vintage=vintage.year,
                    parent_code=keys[-1] if keys else _nation_parent(code),
                    source=str(file),
                )
            elif record.name != name or record.parent_code != (
                keys[-1] if keys else record.parent_code
            ):
                raise PlacesDataError(
                    f"{file}: line {line}: {code} is called {name!r} here but {record.name!r} "
                    "earlier, or sits under another area"
                )
            keys.append(key)
        level3 = keys[-1]
        lad, lau = row[vintage.lad], row[vintage.lau] if vintage.lau else ""
        member = lau if MEMBER_RE.match(lau) else lad
        if member:
            if not MEMBER_RE.match(member):
                raise PlacesDataError(
                    f"{file}: line {line}: {member!r} is not a local authority code"
                )
            member_areas.setdefault(member, set()).add(level3)
            records[level3].members[member] = True
        row_keys.setdefault(level3, set()).add(
            (lau if lau.startswith("S30") else "", _current(lad))
        )
    for member, areas in member_areas.items():
        if len(areas) > 1:
            for key in areas:
                records[key].members[member] = False
    for record in records.values():
        if record.parent_code in records:
            records[record.parent_code].part_codes.append(record.code)
    return records, row_keys


# Barnsley and Sheffield took new codes in April 2025; the 2021 lookup has the old ones.
_RENAMED_2025 = {"E08000016": "E08000038", "E08000019": "E08000039"}


def _current(code: str) -> str:
    return _RENAMED_2025.get(code, code)


def _link_upper_levels(records: dict[str, AreaRecord], level3: dict[str, set[str]]) -> None:
    """Level 1 and 2 successors follow from level 3: the parents of the successors of the
    areas inside."""
    for key, successors in level3.items():
        records[key].successor_codes |= successors
        kid = records[key]
        for parent_key in (kid.parent_code, records[kid.parent_code].parent_code):
            parent = records[parent_key]
            for s in successors:
                target = records[s]
                while target.kind[-1] != parent.kind[-1]:
                    target = records[target.parent_code]
                parent.successor_codes.add(target.code)


def read_crosswalk(folder: Path) -> dict[str, set[str]]:
    file = _file(folder, CROSSWALK_FILE)
    out: dict[str, set[str]] = {}
    for line, row in enumerate(_read_csv(file, {"NUTS315CD", "NUTS318CD"}), start=2):
        old, new = row["NUTS315CD"], row["NUTS318CD"]
        if not (AREA_CODE_RE.match(old) and AREA_CODE_RE.match(new)):
            raise PlacesDataError(f"{file}: line {line}: {old!r} → {new!r} are not NUTS codes")
        out.setdefault(old, set()).add(new)
    return out


def read_combined(folder: Path) -> list[AreaRecord]:
    file = _file(folder, COMBINED_FILE)
    out = []
    needed = {"code", "name", "valid_from", "valid_to", "successor", "members"}
    for line, row in enumerate(_read_csv(file, needed), start=2):
        members = [m for m in row["members"].split(";") if m]
        bad = [m for m in members if not MEMBER_RE.match(m)]
        if bad or not re.match(r"^E(47|61)\d{6}$", row["code"]):
            raise PlacesDataError(f"{file}: line {line}: bad code {row['code']!r} or members {bad}")
        try:
            valid_from = int(row["valid_from"]) if row["valid_from"] else None
            valid_to = int(row["valid_to"]) if row["valid_to"] else None
        except ValueError as exc:
            raise PlacesDataError(f"{file}: line {line}: a year is not a number") from exc
        out.append(
            AreaRecord(
                code=row["code"],
                name=row["name"],
                kind=COMBINED,
                valid_from=valid_from,
                valid_to=valid_to,
                parent_code=LONDON if row["code"] == GLA_CODE else ENGLAND,
                members=dict.fromkeys(members, True),
                successor_codes={row["successor"]} if row["successor"] else set(),
                source=str(file),
            )
        )
    return out


def _forward_codes(folder: Path) -> dict[str, set[str]]:
    """Each local authority code → the codes it became (mergers, new codes), from the ONS
    changes table next to the lookups (or the shipped one)."""
    file = folder.parent / TOPO_DIR / CHANGES_FILE
    if not file.exists():
        file = SHIPPED_GEO_DIR / TOPO_DIR / CHANGES_FILE
    out: dict[str, set[str]] = {}
    for change in read_changes(file):
        if change.type in SUCCESSION_TYPES and MEMBER_RE.match(change.new_code or ""):
            out.setdefault(change.old_code, set()).add(change.new_code)
    return out


def _final(code: str, forward: dict[str, set[str]]) -> set[str]:
    seen, todo, final = set(), [code], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in forward:
            todo.extend(forward[current])
        else:
            final.add(current)
    return final


def _by_authorities(
    keys: set[tuple[str, str]],
    later: dict[str, set[tuple[str, str]]],
    forward: dict[str, set[str]],
) -> set[str]:
    """The later areas holding the same authorities: a Scottish LAU1 part where the later
    lookup still has it, else the authority as it is now (after mergers and new codes)."""
    by_lau = {lau: a for a, ks in later.items() for lau, _ in ks if lau}
    by_lad: dict[str, set[str]] = {}
    for area, ks in later.items():
        for _, lad in ks:
            for code in _final(lad, forward):
                by_lad.setdefault(code, set()).add(area)
    found: set[str] = set()
    for lau, lad in keys:
        if lau in by_lau:
            found.add(by_lau[lau])
        else:
            for code in _final(lad, forward):
                found |= by_lad.get(code, set())
    return found


def read(path: Path | str) -> list[AreaRecord]:
    """Every ITL and NUTS area of every classification and every combined authority, with
    parents, members and successors, parents first. ``path`` is the geo folder or its itl/."""
    folder = Path(path)
    if (folder / ITL_DIR).is_dir():
        folder = folder / ITL_DIR
    records: dict[str, AreaRecord] = {}
    keys_by_vintage: dict[int, dict[str, set[tuple[str, str]]]] = {}
    for vintage in VINTAGES:
        found, row_keys = read_vintage(folder, vintage)
        records.update(found)
        keys_by_vintage[vintage.year] = row_keys

    # NUTS 2013 → 2016: ONS's crosswalk.
    level3 = {}
    for old, news in read_crosswalk(folder).items():
        old_key = area_key(old, 2013)
        targets = {area_key(n, 2016) for n in news}
        if old_key not in records or not targets <= records.keys():
            raise PlacesDataError(f"{folder / CROSSWALK_FILE}: {old} → {news} not in the lookups")
        level3[old_key] = targets
    _link_upper_levels(records, level3)
    # NUTS 2016 → ITL 2021: the same areas, UK → TL; where ITL recoded an area (Dorset after
    # the 2019 mergers, Northern Ireland's UKN10-16 → TLN0A-0G), by shared authorities.
    level3 = {}
    forward = _forward_codes(folder)
    for key, record in records.items():
        if record.vintage == 2016 and record.kind == "nuts3":
            target = area_key("TL" + record.ons_code[2:], 2021)
            if target in records:
                level3[key] = {target}
            else:
                level3[key] = _by_authorities(
                    keys_by_vintage[2016][key], keys_by_vintage[2021], forward
                )
    _link_upper_levels(records, level3)
    # ITL 2021 → 2025: the 2025 areas holding any of the same authorities (or Scottish LAU1s).
    # A split Scottish district matches by its LAU1 part when 2025 still has that part, else
    # by the whole district (Highland is split in 2021 but not in 2025).
    level3 = {
        area: _by_authorities(ks, keys_by_vintage[2025], forward)
        for area, ks in keys_by_vintage[2021].items()
    }
    _link_upper_levels(records, level3)

    combined = read_combined(folder)
    order = {kind: i for i, tier in enumerate(TIERS) for kind in tier}
    return combined + sorted(records.values(), key=lambda r: (order[r.kind], r.code))
