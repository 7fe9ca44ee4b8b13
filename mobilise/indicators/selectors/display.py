"""Display helpers: numbers as pages show them, percentages, and the tags and labels of statuses."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.utils.translation import gettext as _

from mobilise.engines.trajectory import (
    Status,
)
from mobilise.indicators.models import Indicator, Series

# --- Formatting ----------------------------------------------------------------------------------


def decimals_for(values: Iterable[float]) -> int:
    """Decimals enough for the values as published (at most 3)."""
    best = 0
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        while best < 3 and abs(round(v, best) - v) > 1e-9 * max(1.0, abs(v)):
            best += 1
        if best == 3:
            break
    return best


def format_value(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return f"{value:,.{decimals}f}"


def is_percentage(indicator: Indicator, series: Series | None = None) -> bool:
    unit = ((series.unit if series and series.unit else "") or indicator.unit).lower()
    return "%" in unit or "percent" in unit


STATUS_TAG_CLASSES = {
    Status.ON_TRACK: "govuk-tag--green",
    Status.UNCERTAIN: "govuk-tag--orange",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.OFF_TRACK: "govuk-tag--red",
    Status.INSUFFICIENT_DATA: "govuk-tag--grey",
    "no_target": "govuk-tag--grey",
}


_STATUS_LABELS: dict[str, dict[str, str]] = {}


def status_label(status: str) -> str:
    """The status as people read it, in the page's language (looked up once per language: a
    mission page shows hundreds)."""
    from django.utils.translation import get_language

    language = get_language() or ""
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = _STATUS_LABELS[language] = {
            Status.ON_TRACK: _("On track"),
            Status.UNCERTAIN: _("Uncertain"),
            Status.AT_RISK: _("At risk"),
            Status.OFF_TRACK: _("Off track"),
            Status.INSUFFICIENT_DATA: _("Insufficient data"),
            "no_target": _("No target"),
        }
    return labels[status]
