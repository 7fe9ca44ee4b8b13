"""Server-drawn SVG charts: they work without JavaScript, in e-mail-free PDFs (WeasyPrint runs no
scripts) and in snapshots. Every chart is shown with a table that says the same, so the SVG is
an image with a short label for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

# GOV.UK colours, text on them readable.
RATING_COLOURS = {
    "green": "#00703c",
    "amber_green": "#28a197",
    "amber": "#ffdd00",
    "amber_red": "#f47738",
    "red": "#d4351c",
}
STATUS_COLOURS = {
    "on_track": "#00703c",
    "at_risk": "#ffdd00",
    "uncertain": "#f47738",
    "off_track": "#d4351c",
    "insufficient_data": "#b1b4b6",
    "no_target": "#b1b4b6",
    "": "#b1b4b6",
}
INK = "#0b0c0c"
GRID = "#b1b4b6"


def _svg(width: int, height: int, label: str, body: str, css_class: str) -> Markup:
    return Markup(  # noqa: S704 - every piece of text in ``body`` is escaped by the callers
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="13">'
        # The title is the chart's alternative text in the tagged PDF (WeasyPrint reads it).
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def confidence_steps(
    points: Sequence[tuple[dt.date, int, str]], labels: Sequence[str], label: str
) -> Markup:
    """A step chart of ratings over time: ``points`` are (date, score 1–5, rating key), oldest
    first; ``labels`` name the scores 1..5 (Red … Green)."""
    width, height, left, right, top, bottom = 640, 220, 100, 20, 15, 35
    if not points:
        return Markup("")
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return left + (day - first).days / span * (width - left - right)

    def y(score: int) -> float:
        return top + (5 - score) / 4 * (height - top - bottom)

    body = []
    for score in range(1, 6):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(score):.1f}" y2="{y(score):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y(score) + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(labels[score - 1])}</text>"
        )
    path = []
    for n, (day, score, _rating) in enumerate(points):
        if n == 0:
            path.append(f"M{x(day):.1f} {y(score):.1f}")
        else:
            path.append(f"H{x(day):.1f}V{y(score):.1f}")
    if len(points) == 1:
        path.append(f"H{width - right}")
    body.append(f'<path d="{"".join(path)}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for day, score, rating in points:
        body.append(
            f'<circle cx="{x(day):.1f}" cy="{y(score):.1f}" r="6" fill="{RATING_COLOURS[rating]}" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
    body.append(
        f'<text x="{left}" y="{height - 10}" fill="{INK}">{first:%b %Y}</text>'
        f'<text x="{width - right}" y="{height - 10}" text-anchor="end" fill="{INK}">'
        f"{last:%b %Y}</text>"
    )
    return _svg(width, height, label, "".join(body), "mobilise-assurance-chart")


def trajectory(
    actual: Sequence[tuple[float, float]],
    plan: Sequence[tuple[float, float]],
    label: str,
    unit: str = "",
) -> Markup:
    """Observed values (solid, dots) against the planned trajectory (dashed) over years."""
    if not actual and not plan:
        return Markup("")
    width, height, left, right, top, bottom = 560, 210, 60, 15, 25, 30
    xs = [p[0] for p in [*actual, *plan]]
    ys = [p[1] for p in [*actual, *plan]]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(ys)
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1
    y1 += (y1 - y0) * 0.05

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (width - left - right)

    def py(v: float) -> float:
        return top + (y1 - v) / (y1 - y0) * (height - top - bottom)

    body = []
    for frac in (0, 0.5, 1):
        v = y0 + (y1 - y0) * frac
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{v:,.{0 if abs(y1) >= 100 else 1}f}</text>'
        )
    for v in sorted({int(x0), int(x1)}):
        body.append(
            f'<text x="{px(v):.1f}" y="{height - 8}" text-anchor="middle" fill="{INK}">{v}</text>'
        )
    if plan:
        d = "M" + "L".join(f"{px(a):.1f} {py(b):.1f}" for a, b in plan)
        body.append(
            f'<path d="{d}" fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    if actual:
        d = "M" + "L".join(f"{px(a):.1f} {py(b):.1f}" for a, b in actual)
        body.append(f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="2"/>')
        for a, b in actual:
            body.append(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="3" fill="{INK}"/>')
    # A key, top right: the table beside the chart names the columns the same way.
    kx = width - right - 190
    body.append(
        f'<line x1="{kx}" x2="{kx + 24}" y1="8" y2="8" stroke="{INK}" stroke-width="2"/>'
        f'<text x="{kx + 30}" y="12" fill="{INK}">{escape(_("Actual"))}</text>'
        f'<line x1="{kx + 85}" x2="{kx + 109}" y1="8" y2="8" stroke="#1d70b8" stroke-width="2" '
        f'stroke-dasharray="6 4"/><text x="{kx + 115}" y="12" fill="{INK}">'
        f"{escape(_('Planned'))}</text>"
    )
    return _svg(width, height, label, "".join(body), "mobilise-assurance-chart")
