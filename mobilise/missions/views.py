from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Mission


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "missions/index.html", {"missions": selectors.mission_list()})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        mission = selectors.mission_list().get(slug=slug)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "missions/detail.html", {"mission": mission})


def outcome_detail(request: HttpRequest, slug: str, outcome_slug: str) -> HttpResponse:
    try:
        mission = selectors.mission_list().get(slug=slug)
        outcome = mission.outcomes.get(slug=outcome_slug)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "missions/outcome_detail.html", {"mission": mission, "outcome": outcome})
