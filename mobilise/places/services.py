"""Writes to places: loading the ONS boundaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import sources
from .models import Place
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
        return out


def places_load(*, path: Path | str) -> LoadSummary:
    """Create or update every place in the ONS files under ``path``.

    The files are read and checked in full before anything is written (a bad file raises
    :class:`PlacesDataError` naming it, and the database is untouched); the writes happen in one
    transaction. Reloading the same files changes nothing. Places that are in the database but
    not in the files are left alone: missions may point at them.
    """
    records = sources.read(path)
    summary = LoadSummary(path=Path(path))
    for record in records:
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

        added, removed = _sync_successors(records, ids)
        summary.successor_links_added, summary.successor_links_removed = added, removed
    return summary


def _sync_successors(records: list[sources.PlaceRecord], ids: dict[str, int]) -> tuple[int, int]:
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
