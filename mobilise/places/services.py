"""Writes to places: loading the ONS boundaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import sources, territorial
from .dissolve import dissolve, shape
from .models import Place, PlaceMember
from .sources import PlacesDataError  # noqa: F401  (re-exported: callers catch it from here)

# Fields the loader owns. Anything else on a Place (added later by other features) is left alone.
LOADED_FIELDS = (
    "name",
    "name_cy",
    "kind",
    "parent_id",
    "valid_from",
    "valid_to",
    "boundary",
    "bbox",
    "ons_code",
    "vintage",
)


@dataclass
class LoadSummary:
    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    retired_by_kind: Counter[str] = field(default_factory=Counter)
    successor_links_added: int = 0
    successor_links_removed: int = 0
    member_links_added: int = 0
    member_links_removed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def lines(self) -> list[str]:
        out = [
            f"Loaded {self.total} places from {self.path}: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged."
        ]
        for kind in Place.Kind:
            if self.by_kind[kind.value]:
                retired = self.retired_by_kind[kind.value]
                out.append(
                    f"  {kind.label}: {self.by_kind[kind.value]}"
                    + (f" ({retired} retired)" if retired else "")
                )
        if self.successor_links_added or self.successor_links_removed:
            out.append(
                f"  Successor links: {self.successor_links_added} added, {self.successor_links_removed} removed."
            )
        if self.member_links_added or self.member_links_removed:
            out.append(
                f"  Member links: {self.member_links_added} added, {self.member_links_removed} removed."
            )
        return out


def _has_areas(path: Path | str) -> bool:
    folder = Path(path)
    return (folder / territorial.ITL_DIR).is_dir() or (folder / territorial.COMBINED_FILE).exists()


def _area_boundaries(
    areas: list[territorial.AreaRecord], records: list[sources.PlaceRecord]
) -> dict[str, dict | None]:
    """Each area's boundary: its whole members dissolved (or, where ONS split every member, the
    members it has parts of); a level 1 or 2 area dissolves the members of the areas inside it."""
    boundaries: dict[str, dict | None] = {r.code: r.boundary for r in records}
    wanted = {m for a in areas for m in a.members} - boundaries.keys()
    missing = wanted - set(Place.objects.filter(code__in=wanted).values_list("code", flat=True))
    if missing:
        area = next(a for a in areas if missing & a.members.keys())
        raise PlacesDataError(
            f"{area.source}: {area.code} ({area.name}): member authorities not loaded: "
            + ", ".join(sorted(missing & area.members.keys()))
        )
    for code, boundary in Place.objects.filter(code__in=wanted).values_list("code", "boundary"):
        boundaries[code] = boundary
    by_code = {a.code: a for a in areas}

    def members_within(area: territorial.AreaRecord) -> dict[str, bool]:
        if area.members:
            return area.members
        found: dict[str, bool] = {}
        for part in area.part_codes:
            found |= members_within(by_code[part])
        return found

    shapes: dict = {}  # each member's shapely geometry, made once
    out: dict[str, dict | None] = {}
    for area in areas:
        members = members_within(area)
        whole = tuple(sorted(m for m, w in members.items() if w) or members)
        key = (whole, tuple(_fingerprint(boundaries.get(m)) for m in whole))
        if key not in _DISSOLVED:
            if len(_DISSOLVED) > 4000:
                _DISSOLVED.clear()
            for m in whole:
                if m not in shapes:
                    shapes[m] = shape(boundaries.get(m))
            _DISSOLVED[key] = dissolve(shapes[m] for m in whole)
        out[area.code] = _DISSOLVED[key]
    return out


# Dissolved boundaries by their members' codes and boundaries, so loading the same files again
# in one process (tests, a second load) does not redo the geometry.
_DISSOLVED: dict[tuple, dict | None] = {}


def _fingerprint(boundary: dict | None) -> tuple:
    """Cheap identity of a boundary: its type, number of parts and first ring's ends and length."""
    if not boundary:
        return ()
    coords = boundary.get("coordinates") or []
    ring = coords[0] if coords else []
    if boundary.get("type") == "MultiPolygon" and ring:
        ring = ring[0]
    if not ring:
        return (boundary.get("type"), len(coords))
    return (boundary.get("type"), len(coords), len(ring), tuple(ring[0]), tuple(ring[-2]))


def places_load(*, path: Path | str) -> LoadSummary:
    """Create or update every place in the ONS files under ``path``.

    The files are read and checked in full before anything is written (a bad file raises
    :class:`PlacesDataError` naming it, and the database is untouched); the writes happen in one
    transaction. Reloading the same files changes nothing. Places that are in the database but
    not in the files are left alone: missions may point at them.
    """
    records = sources.read(path)
    areas = territorial.read(path) if _has_areas(path) else []
    summary = LoadSummary(path=Path(path))
    for record in [*records, *areas]:
        summary.by_kind[record.kind] += 1
        if record.valid_to is not None:
            summary.retired_by_kind[record.kind] += 1

    now = timezone.now()
    with transaction.atomic():
        existing = {p.code: p for p in Place.objects.filter(code__in=[r.code for r in records])}
        ids = {code: place.pk for code, place in existing.items()}
        # Tier by tier, so every parent has an id before its children are written.
        for tier in sources.TIERS:
            to_create: list[Place] = []
            to_update: list[Place] = []
            for record in (r for r in records if r.kind in tier):
                values = {
                    "name": record.name,
                    "name_cy": record.name_cy,
                    "kind": record.kind,
                    "parent_id": ids[record.parent_code] if record.parent_code else None,
                    "valid_from": record.valid_from,
                    "valid_to": record.valid_to,
                    "boundary": record.boundary,
                    "bbox": record.bbox,
                }
                place = existing.get(record.code)
                if place is None:
                    to_create.append(Place(code=record.code, **values))
                elif any(getattr(place, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(place, name, value)
                    place.updated_at = now  # bulk_update skips auto_now
                    to_update.append(place)
                else:
                    summary.unchanged += 1
            for place in Place.objects.bulk_create(to_create, batch_size=200):
                ids[place.code] = place.pk
            Place.objects.bulk_update(to_update, [*LOADED_FIELDS, "updated_at"], batch_size=100)
            summary.created += len(to_create)
            summary.updated += len(to_update)

        if areas:
            boundaries = _area_boundaries(areas, records)
            ids |= dict(
                Place.objects.filter(
                    code__in={m for a in areas for m in a.members} | {a.parent_code for a in areas}
                ).values_list("code", "pk")
            )
            _write(areas, boundaries, territorial.TIERS, existing_areas(areas), ids, summary, now)
            added, removed = _sync_members(areas, ids)
            summary.member_links_added, summary.member_links_removed = added, removed

        added, removed = _sync_successors([*records, *areas], ids)
        summary.successor_links_added, summary.successor_links_removed = added, removed
    return summary


def existing_areas(areas: list[territorial.AreaRecord]) -> dict[str, Place]:
    return {p.code: p for p in Place.objects.filter(code__in=[a.code for a in areas])}


def _write(
    areas: list[territorial.AreaRecord],
    boundaries: dict[str, dict | None],
    tiers: tuple[tuple[str, ...], ...],
    existing: dict[str, Place],
    ids: dict[str, int],
    summary: LoadSummary,
    now,
) -> None:
    from . import geo

    ids |= {code: place.pk for code, place in existing.items()}
    for tier in tiers:
        to_create: list[Place] = []
        to_update: list[Place] = []
        for area in (a for a in areas if a.kind in tier):
            boundary = boundaries.get(area.code)
            values = {
                "name": area.name,
                "name_cy": "",
                "kind": area.kind,
                "parent_id": ids[area.parent_code] if area.parent_code else None,
                "valid_from": area.valid_from,
                "valid_to": area.valid_to,
                "boundary": boundary,
                "bbox": geo.bbox(boundary) if boundary else None,
                "ons_code": area.ons_code,
                "vintage": area.vintage,
            }
            place = existing.get(area.code)
            if place is None:
                to_create.append(Place(code=area.code, **values))
            elif any(getattr(place, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(place, name, value)
                place.updated_at = now
                to_update.append(place)
            else:
                summary.unchanged += 1
        for place in Place.objects.bulk_create(to_create, batch_size=200):
            ids[place.code] = place.pk
        Place.objects.bulk_update(to_update, [*LOADED_FIELDS, "updated_at"], batch_size=100)
        summary.created += len(to_create)
        summary.updated += len(to_update)


def _sync_members(areas: list[territorial.AreaRecord], ids: dict[str, int]) -> tuple[int, int]:
    """Make the member links of the loaded areas match the files, touching only differences."""
    area_ids = [ids[a.code] for a in areas]
    wanted = {(ids[a.code], ids[m], whole) for a in areas for m, whole in a.members.items()}
    have = set(
        PlaceMember.objects.filter(area_id__in=area_ids).values_list(
            "area_id", "member_id", "whole"
        )
    )
    stale = have - wanted
    for area_id, member_id, whole in stale:
        PlaceMember.objects.filter(area_id=area_id, member_id=member_id, whole=whole).delete()
    PlaceMember.objects.bulk_create(
        [PlaceMember(area_id=a, member_id=m, whole=w) for a, m, w in sorted(wanted - have)]
    )
    return len(wanted - have), len(stale)


def _sync_successors(
    records: list[sources.PlaceRecord | territorial.AreaRecord], ids: dict[str, int]
) -> tuple[int, int]:
    """Make the successor links of the loaded places match the files: add and remove only the
    differences, so a reload touches nothing."""
    through = Place.successors.through
    loaded_ids = [ids[r.code] for r in records]
    wanted = {(ids[r.code], ids[s]) for r in records for s in r.successor_codes}
    have = set(
        through.objects.filter(from_place_id__in=loaded_ids).values_list(
            "from_place_id", "to_place_id"
        )
    )
    stale = have - wanted
    for from_id, to_id in stale:
        through.objects.filter(from_place_id=from_id, to_place_id=to_id).delete()
    through.objects.bulk_create(
        [through(from_place_id=f, to_place_id=t) for f, t in sorted(wanted - have)]
    )
    return len(wanted - have), len(stale)
