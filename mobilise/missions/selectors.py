"""Reads of missions."""

from django.db.models import QuerySet

from .models import Mission


def mission_list(*, scope: str | None = None, status: str | None = None) -> QuerySet[Mission]:
    qs = Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES).select_related("owner")
    if scope:
        qs = qs.filter(scope=scope)
    if status:
        qs = qs.filter(status=status)
    return qs
