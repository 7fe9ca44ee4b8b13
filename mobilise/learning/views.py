"""Pages for pilots: the list, registering, the pilot's page and changing it."""

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mobilise.core.charts import BLUE, GREY, INK, Series, line_chart
from mobilise.core.csv import safe_writer
from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.ids import parse_id
from mobilise.core.text import paragraphs
from mobilise.missions.access import missions_led_by

from . import access, selectors, services
from .forms import LearningForm, LibraryForm, PilotForm, PoolForm, ReplicateForm
from .models import DESIGN_LEVELS, Evaluation, Pilot


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _fields(data: dict[str, Any]) -> services.PilotFields:
    return services.PilotFields(
        title=data["title"],
        hypothesis=data["hypothesis"],
        intervention=data["intervention"],
        outcome=data["outcome"],
        treated_places=list(data["treated_places"]),
        start_date=data["start_date"],
        planned_end_date=data["planned_end_date"],
        indicators=list(data["indicators"]),
        design=data["design"],
        cost=data["cost"],
        partners=list(data["partners"]),
        status=data["status"],
        published=data["published"],
    )


def index(request: HttpRequest) -> HttpResponse:
    pilots = list(selectors.pilots_visible_to(request.user))
    return render(request, "learning/index.html", {"pilots": pilots})


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_pilots(request.user, slug)
    original = _original(request)
    form = PilotForm(
        _data(request), mission=mission, initial=_replication_initial(original, mission)
    )
    if request.method == "POST" and form.is_valid():
        fields = _fields(form.cleaned_data)
        fields.replicates = original
        try:
            pilot = services.pilot_create(mission=mission, user=request.user, fields=fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pilot registered."))
            return redirect(pilot)
    return render(
        request,
        "learning/pilot_form.html",
        {"form": form, "mission": mission, "pilot": None, "original": original},
    )


def _initial(pilot: Pilot) -> dict[str, Any]:
    return {
        "title": pilot.title,
        "hypothesis": pilot.hypothesis,
        "intervention": pilot.intervention,
        "outcome": pilot.outcome_id,
        "treated_places": "\n".join(p.name for p in pilot.treated_places.all()),
        "start_date": pilot.start_date,
        "planned_end_date": pilot.planned_end_date,
        "indicators": list(pilot.indicators.all()),
        "design": pilot.design,
        "cost": pilot.cost,
        "partners": list(pilot.partners.all()),
        "status": pilot.status,
        "published": pilot.published,
    }


@login_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = access.access_pilot_for_edit(request.user, pilot_id)
    form = PilotForm(
        _data(request), mission=pilot.mission, frozen=pilot.plan_frozen, initial=_initial(pilot)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_update(
                pilot=pilot,
                user=request.user,
                fields=_fields(form.cleaned_data),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pilot updated."))
            return redirect(pilot)
    return render(
        request,
        "learning/pilot_form.html",
        {"form": form, "mission": pilot.mission, "pilot": pilot, "original": None},
    )


def pilot_detail(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = access.access_pilot_for_view(request.user, pilot_id)
    return render(
        request,
        "learning/pilot_detail.html",
        {
            "pilot": pilot,
            "mission": pilot.mission,
            "treated_places": list(pilot.treated_places.all()),
            "comparison_places": list(pilot.comparison_places.all()),
            "indicators": list(pilot.indicators.all()),
            "partners": list(pilot.partners.all()),
            "deviations": selectors.deviations(pilot),
            "replications": selectors.replications(pilot, request.user),
            "can_manage": access.can_manage_pilot(request.user, pilot),
            "learnings": selectors.pilot_learnings(pilot, request.user),
            "paragraphs": paragraphs,
        },
    )


@require_http_methods(["GET", "POST"])
def pilot_comparison(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """The comparison places suggested for the pilot's measure, the pool, and (for its leads)
    adding and removing places with a reason."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        pilot = access.access_pilot_for_edit(request.user, pilot_id)
    else:
        pilot = access.access_pilot_for_view(request.user, pilot_id)
    can_manage = access.can_manage_pilot(request.user, pilot)
    form = PoolForm(_data(request)) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.pool_change(
                pilot=pilot,
                user=request.user,
                places=form.cleaned_data["places"],
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Comparison places updated."))
            return redirect("learning:pilot_comparison", pilot.pk)
    return render(
        request,
        "learning/comparison.html",
        {
            "pilot": pilot,
            "mission": pilot.mission,
            "suggestions": selectors.suggest_comparison(pilot),
            "pool": list(pilot.comparison_places.order_by("name")),
            "pool_changes": selectors.pool_changes(pilot),
            "can_manage": can_manage,
            "form": form,
        },
    )


METHOD_LABELS = {
    "synth": gettext_lazy("Synthetic control"),
    "did": gettext_lazy("Difference-in-differences"),
    "its": gettext_lazy("Interrupted time series (no comparison places)"),
}


def _results_context(pilot: Pilot, evaluation: Evaluation | None) -> dict[str, Any]:
    results = evaluation.results if evaluation and evaluation.status == "done" else {}
    series = results.get("series", []) if results else []
    comparison_label = (
        _("Synthetic %(place)s") % {"place": results.get("treated", "")}
        if results.get("method") == "synth"
        else _("Comparison places (average)")
    )
    charts = evaluation_charts(results, comparison_label, pilot.start_date.year)
    return {
        "results": results,
        "series": series,
        "comparison_label": comparison_label,
        "method_label": METHOD_LABELS.get(results.get("method", ""), ""),
        **charts,
    }


def evaluation_charts(
    results: dict[str, Any], comparison_label: str, start_year: int
) -> dict[str, Any]:
    """The results page's line charts, drawn on the server from the stored results: the treated
    place against its comparison, and (synthetic control) the placebo gaps with the treated
    place's gap drawn over them; and the placebo table's rows."""
    series = results.get("series", []) if results else []
    empty = {"series_chart": "", "placebo_chart": "", "placebo_rows": []}
    if not series:
        return empty
    times = [row["time"] for row in series]
    treated = results.get("treated", "")
    unit = results.get("unit", "")
    marker = (results["start"], _("Pilot starts (%(year)s)") % {"year": start_year})
    lines = [
        Series(treated, list(zip(times, [r["treated"] for r in series], strict=True)), dots=True)
    ]
    has_comparison = any(r["comparison"] is not None for r in series)
    if has_comparison:
        lines.append(
            Series(
                comparison_label,
                list(zip(times, [r["comparison"] for r in series], strict=True)),
                colour=BLUE,
                dash="6 4",
            )
        )
    indicator = results.get("indicator", "")
    series_chart = line_chart(
        lines,
        title=_("%(indicator)s: %(place)s and %(comparison)s, each period")
        % {"indicator": indicator, "place": treated, "comparison": comparison_label}
        if has_comparison
        else _("%(indicator)s in %(place)s, each period")
        % {"indicator": indicator, "place": treated},
        desc=_(
            "A line chart; the dashed vertical line marks the pilot's start. The table beside it has the same figures."
        ),
        x_label=_("Year"),
        y_label=unit,
        marker=marker,
    )
    placebos = [p for p in results.get("placebos") or [] if len(p.get("gap") or []) == len(times)]
    if not placebos:
        return {**empty, "series_chart": series_chart}
    gap_lines = [
        Series(
            p["unit"], list(zip(times, p["gap"], strict=True)), colour=GREY, width=1, in_key=False
        )
        for p in placebos
    ]
    gap_lines.insert(0, Series(_("Comparison places as if treated"), [], colour=GREY, width=1))
    gap_lines.append(
        Series(
            _("%(place)s (the pilot)") % {"place": treated},
            list(zip(times, [r["gap"] for r in series], strict=True)),
            colour=INK,
            width=3,
        )
    )
    placebo_chart = line_chart(
        gap_lines,
        title=_(
            "Gap between each place and its synthetic control: %(place)s against the "
            "comparison places as if each had run the pilot"
        )
        % {"place": treated},
        desc=_(
            "Thin grey lines are the comparison places, the thick black line is %(place)s. "
            "The table beside it says how far each place's gap grew after the start."
        )
        % {"place": treated},
        x_label=_("Year"),
        y_label=_("Gap (%(unit)s)") % {"unit": unit} if unit else _("Gap"),
        marker=marker,
        include_zero=True,
    )
    rows = [
        {
            "unit": treated,
            "treated": True,
            "pre_rmspe": results.get("pre_rmspe"),
            "post_rmspe": results.get("post_rmspe"),
        }
    ] + [
        {
            "unit": p["unit"],
            "treated": False,
            "pre_rmspe": p["pre_rmspe"],
            "post_rmspe": p["post_rmspe"],
        }
        for p in placebos
    ]
    for row in rows:
        pre, post = row["pre_rmspe"], row["post_rmspe"]
        row["ratio"] = post / pre if pre and post is not None else None
    rows.sort(key=lambda r: -(r["ratio"] if r["ratio"] is not None else math.inf))
    return {"series_chart": series_chart, "placebo_chart": placebo_chart, "placebo_rows": rows}


@require_http_methods(["GET", "POST"])
def pilot_results(request: HttpRequest, pilot_id: int) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        pilot = access.access_pilot_for_edit(request.user, pilot_id)
        services.evaluation_request(pilot=pilot)
        messages.success(request, _("The pilot is being evaluated. This page shows the results."))
        return redirect("learning:pilot_results", pilot.pk)
    pilot = access.access_pilot_for_view(request.user, pilot_id)
    evaluation = Evaluation.objects.filter(pilot=pilot).first()
    return render(
        request,
        "learning/results.html",
        {
            "pilot": pilot,
            "mission": pilot.mission,
            "evaluation": evaluation,
            "can_manage": access.can_manage_pilot(request.user, pilot),
            "paragraphs": paragraphs,
            **_results_context(pilot, evaluation),
        },
    )


def pilot_results_csv(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = access.access_pilot_for_view(request.user, pilot_id)
    evaluation = Evaluation.objects.filter(pilot=pilot, status=Evaluation.Status.DONE).first()
    rows = evaluation.results.get("series", []) if evaluation else []
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pilot-{pilot.pk}-results.csv"'
    response.write("\ufeff")
    writer = safe_writer(response)
    writer.writerow(["period", "treated", "comparison", "gap"])
    for row in rows:
        writer.writerow(
            [row["period"], row["treated"], _blank(row["comparison"]), _blank(row["gap"])]
        )
    return response


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _original(request: HttpRequest) -> Pilot | None:
    """The pilot being replicated (``?replicates=ID``), if the person may read it."""
    pilot_id = parse_id(request.GET.get("replicates"))
    if pilot_id is None:
        return None
    try:
        return access.access_pilot_for_view(request.user, pilot_id)
    except Http404:
        return None


def _replication_initial(original: Pilot | None, mission: Any) -> dict[str, Any]:
    if original is None:
        return {}
    indicators = selectors.indicator_choices(mission)
    return {
        "title": _("%(title)s (replication)") % {"title": original.title},
        "hypothesis": original.hypothesis,
        "intervention": original.intervention,
        "design": original.design,
        "indicators": list(indicators.filter(pk__in=original.indicators.values("pk"))),
        "treated_places": "\n".join(p.name for p in mission.places.all()),
        "published": True,
    }


# --- Learnings -----------------------------------------------------------------------------------


def learning_index(request: HttpRequest) -> HttpResponse:
    choices = selectors.learning_filter_choices(request.user)
    form = LibraryForm(request.GET or None, **choices)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "text": data["q"],
            "mission": data["mission"],
            "place": data["place"],
            "indicator": data["indicator"],
            "design": data["design"],
        }
    learnings = selectors.learning_search(request.user, **filters)
    return render(
        request,
        "learning/library.html",
        {"form": form, "learnings": learnings, "filtered": bool(filters)},
    )


def _learning_fields(data: dict[str, Any]) -> services.LearningFields:
    return services.LearningFields(
        title=data["title"],
        summary=data["summary"],
        for_whom=data["for_whom"],
        conditions=data["conditions"],
        evidence_level=data["evidence_level"],
        pilots=list(data["pilots"]),
        published=data["published"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_create(request: HttpRequest, pilot_id: int) -> HttpResponse:
    pilot = access.access_pilot_for_edit(request.user, pilot_id)
    initial = {"pilots": [pilot], "evidence_level": DESIGN_LEVELS.get(pilot.design, 1)}
    form = LearningForm(_data(request), mission=pilot.mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            learning = services.learning_create(
                mission=pilot.mission, user=request.user, fields=_learning_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Learning recorded."))
            return redirect(learning)
    return render(
        request,
        "learning/learning_form.html",
        {"form": form, "pilot": pilot, "mission": pilot.mission, "learning": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_edit(request: HttpRequest, learning_id: int) -> HttpResponse:
    learning = access.access_learning_for_edit(request.user, learning_id)
    initial = {
        "title": learning.title,
        "summary": learning.summary,
        "for_whom": learning.for_whom,
        "conditions": learning.conditions,
        "evidence_level": learning.evidence_level,
        "pilots": list(learning.pilots.all()),
        "published": learning.published,
    }
    form = LearningForm(_data(request), mission=learning.mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_update(
                learning=learning, user=request.user, fields=_learning_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Learning updated."))
            return redirect(learning)
    return render(
        request,
        "learning/learning_form.html",
        {"form": form, "pilot": None, "mission": learning.mission, "learning": learning},
    )


def learning_detail(request: HttpRequest, learning_id: int) -> HttpResponse:
    learning = access.access_learning_for_view(request.user, learning_id)
    pilots = list(selectors.pilots_visible_to(request.user).filter(learnings=learning))
    return render(
        request,
        "learning/learning_detail.html",
        {
            "learning": learning,
            "mission": learning.mission,
            "pilots": pilots,
            "can_manage": access.can_manage_learning(request.user, learning),
            "paragraphs": paragraphs,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_replicate(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """ "Try this in my place": choose which of your missions the replication is for, then
    register it with the original's plan filled in."""
    pilot = access.access_pilot_for_view(request.user, pilot_id)
    missions = missions_led_by(request.user).order_by("title")
    first = missions.first()
    form = ReplicateForm(
        _data(request), missions=missions, initial={"mission": first.pk if first else None}
    )
    if request.method == "POST" and form.is_valid():
        return _to_replication(form.cleaned_data["mission"], pilot)
    return render(
        request,
        "learning/replicate.html",
        {"form": form, "pilot": pilot, "has_missions": missions.exists()},
    )


def _to_replication(mission: Any, pilot: Pilot) -> HttpResponse:
    target = reverse("learning:pilot_create", args=[mission.slug])
    return redirect(f"{target}?replicates={pilot.pk}")
