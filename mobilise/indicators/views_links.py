"""Linking indicators to a mission outcome, on the site: a lead of the organisation that owns
the mission searches indicators by name or code, chooses one and the places it measures the
outcome in, and can unlink a place again. Works without JavaScript: the search is a GET form
whose results come back as radios."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors

from . import access, selectors, services
from .forms import IndicatorLinkForm, IndicatorSearchForm
from .views import target_page

MAX_RESULTS = 20


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: HttpRequest, slug: str, outcome_slug: str) -> HttpResponse:
    outcome = access.access_outcome_for_links(request.user, slug, outcome_slug)
    mission = outcome.mission
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    search = IndicatorSearchForm({"q": query} if query else None)
    found = selectors.indicator_list(search=query)[:MAX_RESULTS] if query else []
    indicators = [row.indicator for row in found]
    chosen = request.POST.get("indicator") or request.GET.get("indicator")
    if request.method == "POST" and chosen and chosen not in {i.code for i in indicators}:
        # The indicator was chosen from an earlier search: keep it on the list.
        extra = selectors.indicator_by_code(chosen)
        if extra is not None:
            indicators.append(extra)
    form = IndicatorLinkForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        initial={
            "places": list(mission.places.all()),
            "indicator": indicators[0].code if len(indicators) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        indicator = next(i for i in indicators if i.code == form.cleaned_data["indicator"])
        try:
            made = services.indicator_link(
                user=request.user,
                outcome=outcome,
                indicator=indicator,
                places=form.cleaned_data["places"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            places = form.cleaned_data["places"]
            messages.success(
                request,
                ngettext(
                    "‘%(indicator)s’ now measures this outcome in %(places)s",
                    "‘%(indicator)s’ now measures this outcome in %(places)s",
                    len(places),
                )
                % {
                    "indicator": indicator.title,
                    "places": ", ".join(p.display_name for p in places),
                }
                if made
                else _("‘%(indicator)s’ already measured this outcome in those places")
                % {"indicator": indicator.title},
            )
            return redirect(outcome.get_absolute_url() + "#outcome-indicator-links")
    return render(
        request,
        "indicators/link_form.html",
        {
            "mission": mission,
            "outcome": outcome,
            "query": query,
            "search": search,
            "form": form,
            "indicators": indicators,
            "result_count": len(found),
            "max_results": MAX_RESULTS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_delete(request: HttpRequest, slug: str, outcome_slug: str, link_id: int) -> HttpResponse:
    link = access.access_link_for_edit(request.user, slug, outcome_slug, link_id)
    outcome = link.outcome
    back = outcome.get_absolute_url() + "#outcome-indicator-links"
    if request.method == "POST":
        services.indicator_unlink(user=request.user, link=link)
        messages.success(
            request,
            _("‘%(indicator)s’ no longer measures this outcome in %(place)s")
            % {"indicator": link.indicator.title, "place": link.place.display_name},
        )
        return redirect(back)
    context: dict[str, Any] = {
        "mission": outcome.mission,
        "outcome": outcome,
        "heading": _("Unlink ‘%(indicator)s’ in %(place)s?")
        % {"indicator": link.indicator.title, "place": link.place.display_name},
        "body": _(
            "The indicator will no longer measure this outcome in %(place)s. Its published figures stay."
        )
        % {"place": link.place.display_name},
        "back": back,
        "has_target": selectors.link_has_target(link),
    }
    return render(request, "indicators/link_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def link_target(request: HttpRequest, slug: str, outcome_slug: str, link_id: int) -> HttpResponse:
    """The outcome's own target and milestones for an indicator in a place."""
    link = access.access_link_for_edit(request.user, slug, outcome_slug, link_id)
    outcome, indicator, place = link.outcome, link.indicator, link.place
    all_series = selectors.series_of(indicator)
    if not all_series:
        raise Http404
    wanted = request.POST.get("series") or request.GET.get("series") or ""
    series = {str(s.pk): s for s in all_series}.get(wanted) or all_series[0]
    existing = selectors.link_target(link, series)

    def saved(chosen: Any) -> HttpResponse:
        messages.success(
            request,
            _("Target saved for ‘%(indicator)s’ in %(place)s")
            % {"indicator": indicator.title, "place": place.display_name},
        )
        return redirect(outcome.get_absolute_url())

    return target_page(
        request,
        indicator=indicator,
        place=place,
        all_series=all_series,
        series=series,
        existing=existing,
        link=link,
        outcome=outcome,
        cancel_url=outcome.get_absolute_url() + "#outcome-indicator-links",
        on_saved=saved,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unlink_indicator(request: HttpRequest, slug: str, outcome_slug: str, code: str) -> HttpResponse:
    """Unlink an indicator linked without places of its own (see ``placeless_indicators``)."""
    outcome = access.access_outcome_for_links(request.user, slug, outcome_slug)
    indicator = selectors.indicator_by_code(code)
    if indicator is None or not outcome.indicators.filter(pk=indicator.pk).exists():
        raise Http404
    back = outcome.get_absolute_url() + "#outcome-indicator-links"
    if request.method == "POST":
        services.indicator_unlink_all(user=request.user, outcome=outcome, indicator=indicator)
        messages.success(
            request,
            _("‘%(indicator)s’ no longer measures this outcome") % {"indicator": indicator.title},
        )
        return redirect(back)
    return render(
        request,
        "indicators/link_delete.html",
        {
            "mission": outcome.mission,
            "outcome": outcome,
            "heading": _("Unlink ‘%(indicator)s’?") % {"indicator": indicator.title},
            "body": _(
                "The indicator will no longer measure this outcome. Its published figures stay."
            ),
            "back": back,
            "has_target": False,
        },
    )
