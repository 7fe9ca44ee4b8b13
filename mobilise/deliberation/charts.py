"""Server-rendered drawings for the results page: the opinion map's geometry.

No JavaScript and no inline styles (our CSP forbids them): the template draws SVG from the
numbers computed here, and a table beside the map says the same in text.
"""

from dataclasses import dataclass

SIZE = 400  # the map's viewBox is SIZE × SIZE
PAD = 16
SHAPES = ("circle", "square", "triangle", "diamond", "cross")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    group: int
    shape: str


def map_points(points: list[list[float]]) -> list[Point]:
    """Scale the 2-D projection into the viewBox, keeping its aspect (one unit is one unit)."""
    if not points:
        return []
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (SIZE - 2 * PAD) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [
        Point(
            x=round(SIZE / 2 + (x - cx) * scale, 1),
            # SVG's y grows downwards; the map's upwards.
            y=round(SIZE / 2 - (y - cy) * scale, 1),
            group=int(g),
            shape=SHAPES[int(g) % len(SHAPES)],
        )
        for x, y, g in points
    ]


def group_centres(points: list[list[float]]) -> dict[int, tuple[float, float]]:
    """Each group's average position on the map, for the table beside it (rounded)."""
    sums: dict[int, list[float]] = {}
    for x, y, g in points:
        entry = sums.setdefault(int(g), [0.0, 0.0, 0.0])
        entry[0] += x
        entry[1] += y
        entry[2] += 1
    return {g: (round(sx / n, 2), round(sy / n, 2)) for g, (sx, sy, n) in sums.items()}
