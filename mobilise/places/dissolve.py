"""Boundaries of areas made of local authorities, by dissolving their members' boundaries.

Member boundaries come from one ONS topology, so neighbours mostly share their edges exactly and
a coverage union (fast) joins them; where they overlap (a county with its own districts, the
Tees estuary, a split Scottish district) a full union does. Plain Python and shapely 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import shapely

_AREAS = ("Polygon", "MultiPolygon")


def shape(boundary: dict[str, Any] | None) -> shapely.Geometry | None:
    """A GeoJSON geometry as a valid shapely one (None for none)."""
    if not boundary:
        return None
    geometry = shapely.from_geojson(json.dumps(boundary))
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def dissolve(shapes: Iterable[shapely.Geometry | None]) -> dict[str, Any] | None:
    """The union of ``shapes`` as a GeoJSON dict (lists, not tuples, so a reloaded boundary
    compares equal to the stored one), or None when there are none."""
    parts = [s for s in shapes if s is not None and not s.is_empty]
    if not parts:
        return None
    union = None
    try:
        union = shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        pass
    if union is None or union.geom_type not in _AREAS or not union.is_valid:
        union = shapely.union_all(parts)
        if not union.is_valid:
            union = shapely.make_valid(union)
    if union.geom_type not in _AREAS:
        # Only the areas: a make_valid can leave stray lines or points in a collection.
        polygons = [g for g in shapely.get_parts(union) if g.geom_type in _AREAS]
        if not polygons:
            return None
        union = shapely.union_all(polygons)
    return json.loads(shapely.to_geojson(shapely.normalize(union)))
