"""The home page: it draws on several apps, so it lives at project level, above them all."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mobilise.missions import selectors as mission_selectors
from mobilise.places.forms import PlaceSearchForm


def home(request: HttpRequest) -> HttpResponse:
    national = mission_selectors.mission_list(scope="national", status="active")
    # Most visitors come for their own council: the places search, answered on the places page.
    return render(
        request,
        "core/home.html",
        {"national_missions": national[:6], "place_search": PlaceSearchForm()},
    )
