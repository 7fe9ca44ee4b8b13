"""Dashboards, CSV exports and a person's own coalition work."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from mobilise.coalition import access, selectors
from mobilise.core.csv import safe_writer
from mobilise.places.models import Place

from ._common import _dashboard_context, _render

# --- dashboards and exports ----------------------------------------------------------------------


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    data = selectors.mission_dashboard(mission)
    return _render(
        request,
        "coalition/dashboard.html",
        {
            "mission": mission,
            "place": None,
            "title": mission.title,
            **_dashboard_context(data, "dashboard"),
        },
    )


def place_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    place = Place.objects.defer("boundary").filter(code=code.strip().upper()).first()
    if place is None:
        raise Http404
    if code != place.code:
        return redirect("coalition:place_dashboard", place.code, permanent=True)
    data = selectors.place_dashboard(place)
    return _render(
        request,
        "coalition/dashboard.html",
        {
            "mission": None,
            "place": place,
            "title": place.display_name,
            **_dashboard_context(data, "dashboard"),
        },
    )


def _csv(filename: str, header: list[str], rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = safe_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def pledges_csv(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    header = [
        "pledge_id", "pledger", "sector", "what", "outcome", "theory_of_change_step", "places",
        "quantity", "unit", "due_date", "money_gbp", "in_kind_gbp", "delivered", "percent_delivered",
        "fulfilled_on", "status", "made_on",
    ]  # fmt: skip
    return _csv(f"{mission.slug}-pledges.csv", header, selectors.pledge_rows(mission))


def opportunities_csv(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    header = [
        "opportunity_id", "role", "organiser", "place_code", "location", "status", "dbs_check",
        "minimum_age", "session_id", "starts_at", "ends_at", "places", "confirmed", "waiting",
        "attended", "hours",
    ]  # fmt: skip
    return _csv(f"{mission.slug}-volunteering.csv", header, selectors.opportunity_rows(mission))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return _render(request, "coalition/mine.html", {"mine": selectors.mine(request.user)})
