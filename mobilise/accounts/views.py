from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Organisation


def organisation_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisation_index.html", {"organisations": Organisation.objects.all()})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html")
