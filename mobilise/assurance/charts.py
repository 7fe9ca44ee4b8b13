"""Server-drawn SVG charts: they work without JavaScript, in e-mail-free PDFs (WeasyPrint runs no
scripts) and in snapshots. Every chart is shown with a table that says the same, so the SVG is
an image with a short label for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from mobilise.core.charts import BLUE, GRID, INK, Series, line_chart
from mobilise.core.charts import svg as _svg

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
    years = [p[0] for p in [*actual, *plan]]
    return line_chart(
        [
            Series(_("Actual"), list(actual), colour=INK, dots=True),
            Series(_("Planned"), list(plan), colour=BLUE, dash="6 4"),
        ],
        title=label,
        y_label=unit,
        include_zero=True,
        x_ticks=sorted({int(min(years)), int(max(years))}),
        width=560,
        height=230,
        css_class="mobilise-assurance-chart",
    )
