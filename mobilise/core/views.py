"""Pages that belong to the service as a whole: home and the statements every public service publishes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    from .retention import SCHEDULE

    return render(request, "core/privacy.html", {"retention": SCHEDULE})


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/data_sources.html")


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the app answers and can reach its database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
