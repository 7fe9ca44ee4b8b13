"""Server-drawn SVG line charts, for any app: they work without JavaScript, print to PDF
(WeasyPrint runs no scripts) and stay in snapshots. Every chart is shown with a table that says
the same, so the SVG is one image named by its ``<title>`` and ``<desc>`` (``aria-labelledby``;
WeasyPrint takes the title as the figure's alternative text in a tagged PDF).

    line_chart(
        [Series("Camden", [(2010, 48.0), (2011, 47.5)], dots=True),
         Series("Synthetic Camden", [(2010, 48.1), (2011, 47.4)], dash="6 4")],
        title="Nitrogen dioxide: Camden and its synthetic control",
        marker=(2016.0, "Pilot starts"), x_label="Year", y_label="µg/m³",
    )

Each series is one ``<polyline data-series="…">`` per unbroken run of points (a ``None`` value
breaks the line), so a test can count the points of each.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# GOV.UK colours.
INK = "#0b0c0c"
GRID = "#b1b4b6"
BLUE = "#1d70b8"
GREY = "#b1b4b6"
RED = "#d4351c"


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float | None]]
    colour: str = INK
    width: float = 2.0
    dash: str = ""  # an SVG stroke-dasharray, e.g. "6 4"
    dots: bool = False
    in_key: bool = True


def svg(width: int, height: int, label: str, body: str, css_class: str, desc: str = "") -> Markup:
    """An SVG image named by its title (and described by ``desc``); ``body`` must be escaped."""
    base = "chart-" + hashlib.sha1(f"{label}|{desc}|{body}".encode()).hexdigest()[:10]  # noqa: S324 - an id, not security
    labelled = f"{base}-title" + (f" {base}-desc" if desc else "")
    description = f'<desc id="{base}-desc">{escape(desc)}</desc>' if desc else ""
    return Markup(  # noqa: S704 - every piece of text in ``body`` is escaped by the callers
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{labelled}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="13">'
        f'<title id="{base}-title">{escape(label)}</title>{description}{body}</svg>'
    )


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from ``low`` to ``high`` (widened to them), about ``count`` of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
        if ticks[-1] >= high:
            break
    return ticks


def _tick_label(value: float, step: float) -> str:
    places = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))
    return f"{value:,.{places}f}"


def _runs(points: Sequence[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    x_label: str = "",
    y_label: str = "",
    marker: tuple[float, str] | None = None,
    include_zero: bool = False,
    x_ticks: Sequence[float] | None = None,
    width: int = 640,
    height: int = 300,
    css_class: str = "mobilise-line-chart",
) -> Markup:
    """Lines over a shared x axis (years, usually), with a key, axis labels and an optional
    vertical ``marker`` (x, label) such as the start of a pilot. Empty when there is nothing to
    draw."""
    drawn = [(s, _runs(s.points)) for s in series]
    xs = [x for _s, runs in drawn for run in runs for x, _y in run]
    ys = [y for _s, runs in drawn for run in runs for _x, y in run]
    if not xs:
        return Markup("")
    if marker is not None:
        xs.append(marker[0])
    x0, x1 = min(xs), max(xs)
    x1 = x1 if x1 > x0 else x0 + 1
    y_low, y_high = min(ys), max(ys)
    if include_zero:
        y_low, y_high = min(0.0, y_low), max(0.0, y_high)
    ticks = nice_ticks(y_low, y_high)
    y0, y1 = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    # The key: one row per line of items that fit the width.
    keyed = [s for s in series if s.in_key]
    rows: list[list[tuple[Series, float]]] = [[]]
    cursor = 0.0
    for s in keyed:
        item = 34 + 7.2 * len(s.label) + 16
        if rows[-1] and cursor + item > width - 62 - 22:
            rows.append([])
            cursor = 0.0
        rows[-1].append((s, cursor))
        cursor += item
    key_height = 20 * len([r for r in rows if r])

    left = 62 + (18 if y_label else 0)
    right = 22
    top = 12 + key_height + (16 if marker else 0)
    bottom = 30 + (20 if x_label else 0)

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (width - left - right)

    def py(v: float) -> float:
        return top + (y1 - v) / (y1 - y0) * (height - top - bottom)

    body: list[str] = []
    for value in ticks:
        is_zero = include_zero and value == 0 and y0 < 0
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(value):.1f}" y2="{py(value):.1f}" '
            f'stroke="{INK if is_zero else GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{py(value) + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_tick_label(value, step)}</text>"
        )
    if x_ticks is None:
        first, last = math.ceil(x0), math.floor(x1)
        every = max(1, math.ceil((last - first + 1) / 12))
        x_ticks = list(range(first, last + 1, every))
    for value in x_ticks:
        body.append(
            f'<text x="{px(value):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="{INK}">{value:g}</text>'
        )
    if x_label:
        body.append(
            f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
            f'fill="{INK}">{escape(x_label)}</text>'
        )
    if y_label:
        middle = (top + height - bottom) / 2
        body.append(
            f'<text x="14" y="{middle:.1f}" text-anchor="middle" fill="{INK}" '
            f'transform="rotate(-90 14 {middle:.1f})">{escape(y_label)}</text>'
        )
    if marker is not None:
        mx = px(marker[0])
        body.append(
            f'<line class="mobilise-line-chart__marker" x1="{mx:.1f}" x2="{mx:.1f}" '
            f'y1="{top - 4}" y2="{height - bottom}" stroke="{INK}" stroke-width="1.5" '
            f'stroke-dasharray="3 3"/><text x="{mx:.1f}" y="{top - 8}" '
            f'text-anchor="{"end" if mx > width * 0.6 else "start"}" fill="{INK}">'
            f"{escape(marker[1])}</text>"
        )
    for s, runs in drawn:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        for run in runs:
            points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in run)
            body.append(
                f'<polyline data-series="{escape(s.label)}" points="{points}" fill="none" '
                f'stroke="{s.colour}" stroke-width="{s.width:g}"{dash} '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
            if s.dots:
                body.extend(
                    f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{s.colour}"/>'
                    for x, y in run
                )
    for row_index, row in enumerate(rows):
        ky = 12 + 20 * row_index
        for s, offset in row:
            kx = left + offset
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            body.append(
                f'<line x1="{kx:.1f}" x2="{kx + 24:.1f}" y1="{ky - 4}" y2="{ky - 4}" '
                f'stroke="{s.colour}" stroke-width="{max(s.width, 2):g}"{dash}/>'
                f'<text x="{kx + 30:.1f}" y="{ky}" fill="{INK}">{escape(s.label)}</text>'
            )
    return svg(width, height, title, "".join(body), css_class, desc)
