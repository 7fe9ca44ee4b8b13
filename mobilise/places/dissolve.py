"""Boundaries of areas made of local authorities, by dissolving their members' boundaries.

Member boundaries come from one ONS topology, so neighbours share their edges exactly and the
union leaves no slivers. Plain Python and shapely 2; geometries in and out are GeoJSON dicts
(lists, not tuples, so a reloaded boundary compares equal to the stored one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import shapely


def dissolve(boundaries: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The union of ``boundaries`` (None and empty ones skipped), or None when there are none."""
    shapes = [shapely.from_geojson(json.dumps(b)) for b in boundaries if b]
    if not shapes:
        return None
    shapes = [s if s.is_valid else shapely.make_valid(s) for s in shapes]
    union = shapely.union_all(shapes)
    # Only the areas: a make_valid can leave stray lines or points in a collection.
    polygons = [
        g for g in shapely.get_parts(union) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not polygons:
        return None
    union = shapely.union_all(polygons) if len(polygons) > 1 else polygons[0]
    return json.loads(shapely.to_geojson(shapely.normalize(union)))
