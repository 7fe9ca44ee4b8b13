from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Place


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "places/index.html", {"places": Place.objects.defer("boundary")[:50]})


def detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        place = Place.objects.get(code=code.upper())
    except Place.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "places/detail.html", {"place": place})
