"""Plain-Python geometry for boundaries: TopoJSON decoding, bounding boxes, point-in-polygon,
simplification for display, and SVG paths.

No Django here and no GIS library: boundaries are small (super-generalised ONS polygons), and the
same code must run wherever the app runs, on SQLite or PostgreSQL, without GEOS or PROJ.
Coordinates are GeoJSON order, ``[lon, lat]`` in WGS84.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

Point = list[float]
Ring = list[Point]
Polygon = list[Ring]
Geometry = dict[str, Any]

# 5 decimal places is about 1 m: finer than the ~10 m quantisation of the source TopoJSON, so
# rounding loses nothing while keeping stored boundaries (and reloads) byte-for-byte stable.
STORED_DECIMALS = 5


# --- TopoJSON ------------------------------------------------------------------------------------


class TopologyError(ValueError):
    """The topology itself is malformed (bad arc index, missing transform …)."""


def decode_arcs(topology: dict[str, Any], decimals: int = STORED_DECIMALS) -> list[list[Point]]:
    """Every arc as absolute lon/lat points (quantised, delta-encoded arcs are undone)."""
    transform = topology.get("transform")
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise TopologyError("no 'arcs' array")
    decoded: list[list[Point]] = []
    if transform:
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        for arc in arcs:
            x = y = 0
            points: list[Point] = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append([round(x * sx + tx, decimals), round(y * sy + ty, decimals)])
            decoded.append(points)
    else:
        for arc in arcs:
            decoded.append([[round(p[0], decimals), round(p[1], decimals)] for p in arc])
    return decoded


def _ring_from_arcs(arc_indexes: Sequence[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in arc_indexes:
        try:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        except (IndexError, TypeError) as exc:
            raise TopologyError(f"arc index {index!r} out of range") from exc
        # Consecutive arcs share their joining point: keep it once.
        ring.extend(arc if not ring else arc[1:])
    return ring


def topology_geometry(geometry: dict[str, Any], arcs: list[list[Point]]) -> Geometry:
    """One TopoJSON geometry object as a GeoJSON geometry (Polygon or MultiPolygon only)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [_ring_from_arcs(r, arcs) for r in geometry.get("arcs") or []]
        if not rings:
            raise TopologyError("empty Polygon")
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[_ring_from_arcs(r, arcs) for r in p] for p in geometry.get("arcs") or []]
        if not polygons:
            raise TopologyError("empty MultiPolygon")
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise TopologyError(f"geometry type {kind!r} is not Polygon or MultiPolygon")


# --- Walking geometries --------------------------------------------------------------------------


def polygons(geometry: Geometry | None) -> list[Polygon]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def points(geometry: Geometry | None) -> Iterator[Point]:
    for polygon in polygons(geometry):
        for ring in polygon:
            yield from ring


def bbox(geometry: Geometry | None) -> list[float] | None:
    """``[min_lon, min_lat, max_lon, max_lat]``, or None for an empty geometry."""
    xs: list[float] = []
    ys: list[float] = []
    for x, y in points(geometry):
        xs.append(x)
        ys.append(y)
    if not xs:
        return None
    return [min(xs), min(ys), max(xs), max(ys)]


def bbox_union(boxes: Iterable[Sequence[float] | None]) -> list[float] | None:
    real = [b for b in boxes if b]
    if not real:
        return None
    return [
        min(b[0] for b in real),
        min(b[1] for b in real),
        max(b[2] for b in real),
        max(b[3] for b in real),
    ]


def bboxes_touch(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def vertex_set(geometry: Geometry | None) -> set[tuple[float, float]]:
    return {(p[0], p[1]) for p in points(geometry)}


def share_a_border(a: Geometry | None, b: Geometry | None) -> bool:
    """True when two boundaries from the same topology share an edge.

    Areas cut from one TopoJSON share arcs, so neighbours have identical vertices; two shared
    vertices means a common edge (one alone could be a corner or a rounding coincidence).
    """
    return len(vertex_set(a) & vertex_set(b)) >= 2


# --- Point in polygon ----------------------------------------------------------------------------


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: Geometry | None, point: Sequence[float]) -> bool:
    """Even-odd rule over every ring, so holes are holes."""
    x, y = point[0], point[1]
    for polygon in polygons(geometry):
        if polygon and _in_ring(x, y, polygon[0]):
            if not any(_in_ring(x, y, hole) for hole in polygon[1:]):
                return True
    return False


def _ring_area(ring: Ring) -> float:
    return 0.5 * sum(
        ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(len(ring))
    )


def interior_point(geometry: Geometry | None) -> Point | None:
    """A point certainly inside the largest polygon (a centroid can fall outside a crescent).

    Scan a horizontal line through the middle of the polygon and take the midpoint of the widest
    stretch that lies inside it: the same idea as GEOS's interior point.
    """
    parts = [p for p in polygons(geometry) if p and len(p[0]) >= 4]
    if not parts:
        return None
    polygon = max(parts, key=lambda p: abs(_ring_area(p[0])))
    ys = [pt[1] for pt in polygon[0]]
    lo, hi = min(ys), max(ys)
    # Try a few scan lines near the middle: one might pass exactly through vertices.
    for fraction in (0.5, 0.4871, 0.5129, 0.3719, 0.6281):
        y = lo + (hi - lo) * fraction
        crossings: list[float] = []
        for ring in polygon:
            for i in range(len(ring) - 1):
                (x1, y1), (x2, y2) = ring[i][:2], ring[i + 1][:2]
                if (y1 > y) != (y2 > y):
                    crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        crossings.sort()
        best: tuple[float, float] | None = None
        for a, b in zip(crossings[::2], crossings[1::2], strict=False):
            if best is None or b - a > best[1] - best[0]:
                best = (a, b)
        if best and best[1] > best[0]:
            return [(best[0] + best[1]) / 2, y]
    return None


# --- Display -------------------------------------------------------------------------------------


def _douglas_peucker(line: Ring, tol2: float) -> Ring:
    """Keep the points of an open line that matter at ``sqrt(tol2)``; iterative, so long
    coastlines cannot overflow the stack."""
    n = len(line)
    if n < 3:
        return list(line)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = line[first][0], line[first][1]
        bx, by = line[last][0], line[last][1]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        worst, worst_d2 = -1, tol2
        for i in range(first + 1, last):
            px, py = line[i][0] - ax, line[i][1] - ay
            if seg2 == 0:
                d2 = px * px + py * py
            else:
                t = max(0.0, min(1.0, (px * dx + py * dy) / seg2))
                ex, ey = px - t * dx, py - t * dy
                d2 = ex * ex + ey * ey
            if d2 > worst_d2:
                worst, worst_d2 = i, d2
        if worst > 0:
            keep[worst] = True
            stack.append((first, worst))
            stack.append((worst, last))
    return [p for p, k in zip(line, keep, strict=True) if k]


def _thin(ring: Ring, min2: float) -> Ring:
    """Drop points nearer than sqrt(min2) to the last one kept: a cheap first pass that spares
    Douglas–Peucker most of a long coastline."""
    kept = [ring[0]]
    for point in ring[1:-1]:
        px, py = kept[-1][0], kept[-1][1]
        if (point[0] - px) ** 2 + (point[1] - py) ** 2 >= min2:
            kept.append(point)
    kept.append(ring[-1])
    return kept


def _simplify_ring(ring: Ring, tol2: float) -> Ring:
    ring = _thin(ring, tol2 / 4)
    if len(ring) < 5:
        return list(ring)
    # A closed ring has no natural ends: split it at its first point and the point farthest from
    # it, and simplify the two halves as lines.
    x0, y0 = ring[0][0], ring[0][1]
    far = max(range(len(ring) - 1), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    if far == 0:
        return [ring[0], ring[0]]
    a = _douglas_peucker(ring[: far + 1], tol2)
    b = _douglas_peucker(ring[far:], tol2)
    return a + b[1:]


def simplify(
    geometry: Geometry | None, tolerance: float, decimals: int | None = None
) -> Geometry | None:
    """A lighter copy for drawing, with detail finer than ``tolerance`` degrees removed
    (Douglas–Peucker) and rings that shrink to specks (small islands and holes) dropped.

    Coordinates are rounded to the decimals the tolerance warrants. The largest polygon is always
    kept, so nothing vanishes entirely.
    """
    parts = polygons(geometry)
    if not parts:
        return None
    if decimals is None:
        decimals = max(2, min(STORED_DECIMALS, math.ceil(-math.log10(max(tolerance, 1e-9)))))
    tol2 = tolerance * tolerance
    out: list[Polygon] = []
    for polygon in parts:
        rings: Polygon = []
        for index, ring in enumerate(polygon):
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            if (max(xs) - min(xs)) * (max(ys) - min(ys)) < 4 * tol2:
                kept = []  # smaller than the speck threshold below whatever simplifying does
            else:
                kept = [
                    [round(x, decimals), round(y, decimals)] for x, y in _simplify_ring(ring, tol2)
                ]
            if len(kept) >= 4 and abs(_ring_area(kept)) >= 4 * tol2:
                rings.append(kept)
            elif index == 0:
                break  # the exterior vanished: so does the polygon and its holes
        if rings:
            out.append(rings)
    if not out:
        largest = max(parts, key=lambda p: abs(_ring_area(p[0])) if p else 0)
        out = [[[[round(x, decimals), round(y, decimals)] for x, y in largest[0]]]]
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


class Frame:
    """An equirectangular projection of a bounding box onto an SVG viewBox.

    Longitude is scaled by cos(middle latitude), which keeps shapes right at UK latitudes; the box
    is padded and widened or heightened to the viewBox's aspect so the area sits in the middle.
    """

    def __init__(
        self, box: Sequence[float], width: int = 800, height: int = 600, padding: float = 0.06
    ):
        min_lon, min_lat, max_lon, max_lat = box
        self.width, self.height = width, height
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        w = max((max_lon - min_lon) * self.kx, 1e-6)
        h = max(max_lat - min_lat, 1e-6)
        w, h = w * (1 + 2 * padding), h * (1 + 2 * padding)
        if w / h < width / height:
            w = h * width / height
        else:
            h = w * height / width
        self.scale = width / w
        self.cx = (min_lon + max_lon) / 2 * self.kx
        self.cy = (min_lat + max_lat) / 2

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def degrees_per_unit(self) -> float:
        """Latitude degrees per viewBox unit: the finest detail worth drawing."""
        return 1 / self.scale

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon * self.kx - self.cx) * self.scale + self.width / 2
        y = (self.cy - lat) * self.scale + self.height / 2
        return x, y

    def path(self, geometry: Geometry | None) -> str:
        """SVG path data in whole viewBox units, relative moves (shorter), with points that
        round together dropped."""
        commands: list[str] = []
        for polygon in polygons(geometry):
            for ring in polygon:
                projected: list[tuple[int, int]] = []
                for lon, lat in ring:
                    x, y = self.project(lon, lat)
                    here = (round(x), round(y))
                    if not projected or here != projected[-1]:
                        projected.append(here)
                if len(projected) < 3:
                    continue
                (x0, y0), steps = projected[0], []
                for (px, py), (qx, qy) in zip(projected, projected[1:], strict=False):
                    steps.append(f"{qx - px} {qy - py}")
                commands.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
        return "".join(commands)
