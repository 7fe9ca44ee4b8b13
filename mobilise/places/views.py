from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import json_script

from mobilise.core.sections import place_sections

from . import selectors
from .forms import PlaceSearchForm
from .models import Place


def index(request: HttpRequest) -> HttpResponse:
    form = PlaceSearchForm(request.GET if "q" in request.GET else None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    results = list(selectors.search(query)[: selectors.SEARCH_LIMIT + 1]) if query else []
    uk, nations = selectors.browse()
    return render(
        request,
        "places/index.html",
        {
            "form": form,
            "query": query,
            "results": results[: selectors.SEARCH_LIMIT],
            "more_results": len(results) > selectors.SEARCH_LIMIT,
            "uk": uk,
            "nations": nations,
        },
    )


def detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        place = selectors.place_detail(code)
    except Place.DoesNotExist as exc:
        # /places/TLC11/: an ITL or NUTS code without its year means the newest area with it.
        latest = selectors.latest_with_code(code)
        if latest is None:
            raise Http404 from exc
        return redirect(latest)
    if code != place.code:  # one address per place: /places/e09000022/ → /places/E09000022/
        return redirect(place, permanent=True)
    kids = selectors.children(place)
    nearby, place_map = selectors.neighbours_and_map(place)
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "ancestors": selectors.ancestors(place),
            "child_groups": selectors.group_children(kids),
            "neighbours": nearby,
            "successors": selectors.successors(place),
            "predecessors": selectors.predecessors(place),
            "members": selectors.members(place) if place.kind in Place.GROUPED_KINDS else [],
            "member_of": [p for p in selectors.member_of(place) if p.is_current]
            if place.kind in Place.LOCAL_AUTHORITY_KINDS
            else [],
            "map": place_map,
            "map_data": json_script(place_map.geojson, "place-map-data") if place_map else "",
            # The missions app owns this filter; places links to it by URL, never by import.
            "missions_url": reverse("missions:index") + "?" + urlencode({"place": place.code}),
            "extra_sections": place_sections.render(request, place),
        },
    )
