"""Indicator pages. Views stay thin: selectors read, forms parse, services write, access guards."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods

from mobilise.core.csv import safe_writer
from mobilise.places.models import Place
from mobilise.places.selectors import ancestors as place_ancestors
from mobilise.places.selectors import find_place

from . import access, selectors, services
from .forms import ChooserForm, IndicatorFilterForm, TargetForm, series_choices
from .models import Indicator, Series, Target


def _indicator_or_404(code: str) -> Indicator:
    try:
        return selectors.indicator_detail(code)
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc


def _place_or_404(code: str):
    place = selectors.place_by_code(code)
    if place is None:
        raise Http404
    return place


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "status_label": selectors.status_label,
        "status_class": selectors.STATUS_TAG_CLASSES.get,
        "fmt": selectors.format_value,
        "series_label": selectors.series_label,
        **extra,
    }


# --- Index ---------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    themes = selectors.themes()
    form = IndicatorFilterForm(request.GET or None, themes=themes)
    theme = search = None
    if form.is_bound and form.is_valid():
        theme = form.cleaned_data["theme"] or None
        search = form.cleaned_data["q"].strip() or None
    rows = selectors.indicator_list(theme=theme, search=search)
    return render(
        request,
        "indicators/index.html",
        _context(form=form, rows=rows, filtered=bool(theme or search), themes=themes),
    )


# --- One indicator -------------------------------------------------------------------------------


def detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    all_series = selectors.series_of(indicator)
    series_by_key = {s.key: s for s in all_series}
    place_data: list[Any] = []
    chooser_places: list[tuple[str, str]] = []
    form = ChooserForm(
        request.GET or None,
        places=[],
        series=[(s.key, selectors.series_label(s)) for s in all_series],
    )
    requested_series = (request.GET.get("series") or "").strip()
    series = series_by_key.get(requested_series) or series_by_key.get(selectors.HEADLINE)
    if series is None and all_series:
        series = all_series[0]
    place = None
    if series is not None:
        place_data = selectors.places_with_data(series)
        target_places = list(
            Target.objects.filter(series=series)
            .exclude(place_id__in=[p.pk for p, _n in place_data])
            .select_related("place")
            .defer("place__boundary", "place__bbox")
        )
        # One entry per place, though several outcomes may each have a target there.
        choices = list(
            dict.fromkeys([p for p, _n in place_data] + [t.place for t in target_places])
        )
        kinds = {k: str(label).lower() for k, label in Place.Kind.choices}
        chooser_places = [
            (p.code, f"{p.display_name} ({kinds.get(p.kind, p.kind)})")
            for p in sorted(choices, key=selectors.place_sort_key)
        ]
        form.fields["place"].choices = chooser_places
        requested = (request.GET.get("place") or "").strip().upper()
        by_code = {p.code: p for p in choices}
        place = by_code.get(requested)
        if place is None and requested:
            # A place without data for this breakdown: still show it (empty), if it exists;
            # a link may name it rather than give its code (?place=camden).
            place = selectors.place_by_code(requested) or find_place(requested).place
            if place is not None and place.code != requested:
                form.data = form.data.copy()
                form.data["place"] = place.code
                place = by_code.get(place.code, place)
            if place is not None and place.code not in by_code:
                form.fields["place"].choices = [
                    (place.code, place.display_name),
                    *chooser_places,
                ]
        if place is None:
            place = selectors.default_place(place_data) or (choices[0] if choices else None)
    if form.is_bound:
        form.is_valid()  # shows an unknown place or breakdown as an error; the page goes on

    # An ITL area or combined authority without published figures shows its local authorities'
    # summed, marked as derived, where the indicator can be added up.
    history = selectors.history_with_derived(series, place) if series and place else []
    target = None
    status = None
    if series is not None and place is not None:
        target = selectors.place_target(series, place)
        if target is not None:
            status = selectors.assess_targets([target]).get(target.pk)
    chart = selectors.chart_data(history, target, status)
    can_set = place is not None and access.can_set_target(request.user, indicator, place)
    # A target an outcome set (through its link) is changed on the outcome's own page, by its
    # leads; the place's own target here.
    target_outcome = None
    change_target_url = ""
    if target is not None and target.link_id is not None:
        link = target.link
        target_outcome = link.outcome
        if access.can_link_indicators(request.user, target_outcome):
            change_target_url = reverse(
                "indicators:link_target",
                args=[target_outcome.mission.slug, target_outcome.slug, link.pk],
            )
        can_set = False
    query = {"place": place.code} if place else {}
    if series is not None and not series.is_headline:
        query["series"] = series.key
    has_map = series is not None and any(
        p.kind in selectors.level_kinds("la") + selectors.level_kinds("region")
        for p, _n in place_data
    )
    return render(
        request,
        "indicators/detail.html",
        _context(
            indicator=indicator,
            form=form,
            all_series=all_series,
            series=series,
            place=place,
            history=history,
            target=target,
            status=status,
            chart=chart,
            chart_data=json_script(chart.island(), "indicator-chart-data"),
            can_set_target=can_set,
            target_outcome=target_outcome,
            change_target_url=change_target_url,
            place_choices=form.fields["place"].choices,
            linked=selectors.linked_outcomes(indicator),
            query=urlencode(query),
            has_map=has_map,
            percentage=selectors.is_percentage(indicator, series),
            place_count=len(place_data),
            imports=selectors.import_history(indicator) if access.can_import(request.user) else [],
            last_imported=selectors.last_imported(indicator),
        ),
    )


def data_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """Every observation of the indicator as CSV (``?place=CODE`` for one place), streamed."""
    indicator = _indicator_or_404(code)
    place = None
    if request.GET.get("place"):
        place = _place_or_404(request.GET["place"])
    dimensions = [str(d) for d in indicator.dimensions or []]

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = safe_writer(Echo())

    def rows():
        yield writer.writerow(
            [
                "indicator",
                "series",
                *dimensions,
                "place_code",
                "place_name",
                "period",
                "value",
                "unit",
                "status",
            ]
        )
        for key, dims, place_code, place_name, period, value, status in selectors.csv_rows(
            indicator, place
        ):
            dims = dims or {}
            yield writer.writerow(
                [
                    indicator.code,
                    key,
                    *(dims.get(d, "") for d in dimensions),
                    place_code,
                    place_name,
                    period,
                    _csv_number(value),
                    indicator.unit,
                    status,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.csv_filename(indicator, place)}"'
    )
    return response


def _csv_number(value: float) -> str:
    """Every digit stored, no exponent for whole numbers: 279516, 6.87, 0.0435."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


# --- Map -----------------------------------------------------------------------------------------


def _map_fragments(
    indicator: Indicator, series: Any, result: selectors.Choropleth, sort: str, descending: bool
) -> dict[str, str]:
    """The map page's three big parts — one SVG path and one table row per area (hundreds of
    local authorities), and the data island — rendered once per map, order and language, then
    served from the cache: rendering them was most of the page's time. ``result.key`` carries
    the data and places versions, so an import or a places reload makes new ones."""
    key = f"indicators:map-html:{result.key}:{sort}:{int(descending)}"
    fragments = cache.get(key) if result.key else None
    if fragments is None:
        rows = selectors.sort_map_rows(result.rows, sort, descending)
        context = _context(indicator=indicator, series=series, map=result, rows=rows)
        fragments = {
            "paths": render_to_string("indicators/_map_paths.html", context),
            "rows": render_to_string("indicators/_map_rows.html", context),
            "island": str(json_script(result.island(), "choropleth-data")),
        }
        if result.key:
            cache.set(key, fragments, selectors.CACHE_SECONDS)
    return fragments


@gzip_page
def map_view(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    all_series = selectors.series_of(indicator)
    series_by_key = {s.key: s for s in all_series}
    series = series_by_key.get((request.GET.get("series") or "").strip()) or series_by_key.get(
        selectors.HEADLINE
    )
    if series is None:
        raise Http404
    level = request.GET.get("level") if request.GET.get("level") in selectors.LEVELS else None
    period = (request.GET.get("period") or "").strip()
    if level is None:
        # Local authorities when there are data for them, otherwise regions.
        level = "la" if selectors.map_periods(series, "la") else "region"
    result = selectors.choropleth(indicator, series, level, period)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.MAP_SORTS else "rank"
    descending = request.GET.get("dir") == "desc"
    fragments = _map_fragments(indicator, series, result, sort, descending)

    base: dict[str, str] = {"level": level}
    if result.period:
        base["period"] = result.period
    if not series.is_headline:
        base["series"] = series.key

    def sort_link(column: str) -> dict[str, Any]:
        current = sort == column
        next_desc = current and not descending
        params = {**base, "sort": column}
        if next_desc:
            params["dir"] = "desc"
        return {
            "href": "?" + urlencode(params) + "#map-table",
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        }

    return render(
        request,
        "indicators/map.html",
        _context(
            indicator=indicator,
            series=series,
            all_series=all_series,
            map=result,
            fragments=fragments,
            sort=sort,
            descending=descending,
            sort_links={c: sort_link(c) for c in selectors.MAP_SORTS},
            geojson_url=reverse("indicators:boundaries", args=[level]),
            level_links={
                lv: "?"
                + urlencode(
                    {"level": lv, **({"series": series.key} if not series.is_headline else {})}
                )
                for lv in selectors.LEVELS
            },
            percentage=selectors.is_percentage(indicator, series),
        ),
    )


@gzip_page
def boundaries(request: HttpRequest, level: str) -> HttpResponse:
    """The simplified boundaries of a map level as GeoJSON, for Leaflet; cacheable."""
    if level not in selectors.LEVELS:
        raise Http404
    body, etag = selectors.geojson_bytes(level)
    quoted = f'"{etag}"'
    if request.headers.get("If-None-Match") == quoted:
        return HttpResponseNotModified()
    response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = quoted
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- A place and its neighbours ------------------------------------------------------------------


def place_comparison(request: HttpRequest, place_code: str) -> HttpResponse:
    place = selectors.place_by_code(place_code)
    if place is None:
        raise Http404
    if place_code != place.code:
        return redirect("indicators:place", place_code=place.code, permanent=True)
    chain = place_ancestors(place)
    compare, rows = selectors.place_indicators(place, chain)
    neighbourhood = selectors.nearest_neighbours(place)
    comparison = selectors.neighbour_comparison(neighbourhood) if neighbourhood else []
    return render(
        request,
        "indicators/place.html",
        _context(
            place=place,
            ancestors=chain,
            compare=compare,
            rows=rows,
            neighbourhood=neighbourhood,
            comparison=comparison,
            feature_codes=selectors.neighbour_indicator_codes(),
        ),
    )


# --- Targets -------------------------------------------------------------------------------------


def _target_series(indicator: Indicator, request: HttpRequest) -> tuple[list[Series], Series]:
    all_series = selectors.series_of(indicator)
    if not all_series:
        raise Http404
    wanted = request.POST.get("series") or request.GET.get("series")
    by_pk = {str(s.pk): s for s in all_series}
    by_key = {s.key: s for s in all_series}
    series = by_pk.get(wanted or "") or by_key.get(wanted or "") or by_key.get("") or all_series[0]
    return all_series, series


def target_page(
    request: HttpRequest,
    *,
    indicator: Any,
    place: Any,
    all_series: list[Any],
    series: Any,
    existing: Any,
    link: Any,
    outcome: Any,
    cancel_url: str,
    on_saved: Any,
) -> HttpResponse:
    """The target and milestones form, for a place's own target (``link`` None) or an outcome's
    (its link to the indicator): validate, save through the service, then ``on_saved(series)``
    gives the response; otherwise the form again, with the series' recent values beside it."""
    history = selectors.series_history(series, place)
    lookup = {v.period: v.value for v in history}
    choices = series_choices(all_series, selectors.series_label)
    rows = max(3, (existing.milestones.count() + 1) if existing else 3)
    if request.method == "POST":
        form = TargetForm(
            request.POST, series_choices=choices, milestone_rows=rows, baseline_lookup=lookup
        )
        if form.is_valid():
            chosen = {str(s.pk): s for s in all_series}.get(
                form.cleaned_data.get("series") or "", series
            )
            try:
                services.target_set(
                    user=request.user,
                    indicator=indicator,
                    place=place,
                    series=chosen,
                    link=link,
                    baseline_period=form.cleaned_data["baseline_period"],
                    baseline_value=form.cleaned_data["baseline_value"],
                    target_year=form.cleaned_data["target_year"],
                    target_value=form.cleaned_data["target_value"],
                    milestones=form.cleaned_data["milestones"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return on_saved(chosen)
    else:
        initial = TargetForm.initial_for(existing) or {"series": str(series.pk)}
        if existing is None and history:
            initial["baseline_period"] = history[-1].period
        form = TargetForm(
            initial=initial, series_choices=choices, milestone_rows=rows, baseline_lookup=lookup
        )
    return render(
        request,
        "indicators/target_form.html",
        _context(
            indicator=indicator,
            place=place,
            series=series,
            all_series=all_series,
            existing=existing,
            form=form,
            history=history[-8:],
            decimals=selectors.decimals_for(v.value for v in history),
            outcome=outcome,
            cancel_url=cancel_url,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, code: str, place_code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    place = _place_or_404(place_code)
    access.check_can_set_target(request.user, indicator, place)
    all_series, series = _target_series(indicator, request)

    def saved(chosen: Any) -> HttpResponse:
        messages.success(request, _("Target saved for %(place)s") % {"place": place.display_name})
        query = {"place": place.code}
        if not chosen.is_headline:
            query["series"] = chosen.key
        return redirect(
            reverse("indicators:detail", args=[indicator.code]) + "?" + urlencode(query)
        )

    return target_page(
        request,
        indicator=indicator,
        place=place,
        all_series=all_series,
        series=series,
        existing=selectors.targets_queryset().filter(series=series, place=place, link=None).first(),
        link=None,
        outcome=None,
        cancel_url=reverse("indicators:detail", args=[indicator.code])
        + "?"
        + urlencode({"place": place.code}),
        on_saved=saved,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, code: str, place_code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    place = _place_or_404(place_code)
    access.check_can_set_target(request.user, indicator, place)
    _all, series = _target_series(indicator, request)
    target = selectors.targets_queryset().filter(series=series, place=place, link=None).first()
    back = (
        reverse("indicators:detail", args=[indicator.code]) + "?" + urlencode({"place": place.code})
    )
    if target is None:
        if request.method == "POST":
            return redirect(back)
        raise Http404
    if request.method == "POST":
        services.target_delete(user=request.user, target=target)
        messages.success(request, _("Target removed for %(place)s") % {"place": place.display_name})
        return redirect(back)
    return render(
        request,
        "indicators/target_delete.html",
        _context(indicator=indicator, place=place, series=series, target=target, back=back),
    )
