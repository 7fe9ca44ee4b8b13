"""The import history of an indicator (``ImportRecord``): what the indicator page shows."""

from __future__ import annotations

from datetime import datetime

from mobilise.indicators.models import ImportRecordIndicator, Indicator

IMPORTS_SHOWN = 10


def import_history(
    indicator: Indicator, *, limit: int = IMPORTS_SHOWN
) -> list[ImportRecordIndicator]:
    """The latest imports that named the indicator, newest first, refused ones included: each
    with its record (when, who, organisation, files) and this indicator's counts."""
    return list(
        ImportRecordIndicator.objects.filter(indicator=indicator)
        .select_related("record__user", "record__organisation")
        .order_by("-record__created_at", "-record_id")[:limit]
    )


def last_imported(indicator: Indicator) -> datetime | None:
    """When figures were last imported for the indicator (a successful import)."""
    line = (
        ImportRecordIndicator.objects.filter(indicator=indicator, record__ok=True)
        .order_by("-record__created_at")
        .select_related("record")
        .only("record__created_at")
        .first()
    )
    return line.record.created_at if line else None
