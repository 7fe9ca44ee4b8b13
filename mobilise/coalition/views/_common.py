"""What every coalition page shares."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import json_script

from mobilise.coalition import selectors
from mobilise.coalition.models import (
    Timeliness,
)
from mobilise.core.text import paragraphs


def _data(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so the form is bound and says what is
    missing), None otherwise."""
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    """For links in e-mails: where this site is, as the person reached it."""
    return request.build_absolute_uri("/").rstrip("/")


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("paragraphs", paragraphs)
    context.setdefault("today", timezone.localdate())
    context.setdefault("timeliness_labels", dict(Timeliness.choices))
    return render(request, template, context, status=status)


def _dashboard_context(dashboard: selectors.Dashboard, prefix: str) -> dict[str, Any]:
    return {
        "dashboard": dashboard,
        "prefix": prefix,
        "chart_data": json_script(dashboard.chart_data(), f"{prefix}-data"),
    }
