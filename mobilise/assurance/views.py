"""Assurance pages. Views stay thin: ``access`` fetches and guards, forms parse, services write."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.ids import parse_id
from mobilise.core.sections import mission_evidence
from mobilise.core.text import paragraphs
from mobilise.indicators import selectors as indicators

from . import access, charts, selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
    AgendaForm,
    AssessmentForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    PackForm,
    PackPaperForm,
    PaperForm,
)
from .models import RATING_SCORES, Action, Pack


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("paragraphs", paragraphs)
    context.setdefault("today", timezone.localdate())
    context.setdefault("rating_tag", selectors.rating_tag)
    context.setdefault("rating_meaning", selectors.rating_meaning)
    return render(request, template, context)


# --- the council ---------------------------------------------------------------------------------


def council(request: HttpRequest, slug: str) -> HttpResponse:
    council_ = access.access_council(request.user, slug)
    mission = council_.mission
    return _render(
        request,
        "assurance/council.html",
        {
            "mission": mission,
            "overview": selectors.council_overview(council_),
            "is_secretariat": access.is_secretariat(request.user, mission),
        },
    )


def meeting(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting(request.user, slug, meeting_id)
    mission = meeting_.council.mission
    detail = selectors.meeting_detail(meeting_)
    return _render(
        request,
        "assurance/meeting.html",
        {
            "mission": mission,
            "council": meeting_.council,
            "meeting": detail,
            "is_secretariat": access.is_secretariat(request.user, mission),
            "can_record_decisions": _can_record_decisions(detail),
        },
    )


def _can_record_decisions(meeting_: Any) -> bool:
    return timezone.localtime(meeting_.starts_at).date() <= timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    council_ = access.access_council_for_secretariat(request.user, slug)
    form = MeetingForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting_ = services.meeting_schedule(council=council_, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting scheduled. You can now set its agenda."))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/meeting_form.html",
        {
            "form": form,
            "council": council_,
            "mission": council_.mission,
            "heading": _("Schedule a meeting"),
            "submit_text": _("Schedule the meeting"),
            "cancel_url": council_.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting_for_secretariat(request.user, slug, meeting_id)
    form = MeetingForm.for_meeting(_data(request), meeting_)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting_, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting details saved"))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/meeting_form.html",
        {
            "form": form,
            "council": meeting_.council,
            "mission": meeting_.council.mission,
            "heading": _("Change the meeting's date, time or place"),
            "submit_text": _("Save the meeting details"),
            "cancel_url": meeting_.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting_for_secretariat(request.user, slug, meeting_id)
    form = AgendaForm(_data(request), items=list(meeting_.agenda.order_by("order", "id")))
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_set(meeting=meeting_, titles=form.cleaned_data["items"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Agenda saved"))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/agenda_form.html",
        {"form": form, "meeting": meeting_, "mission": meeting_.council.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting_for_secretariat(request.user, slug, meeting_id)
    form = DecisionForm(_data(request), meeting=meeting_)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(meeting=meeting_, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded"))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/decision_form.html",
        {
            "form": form,
            "meeting": meeting_,
            "mission": meeting_.council.mission,
            "has_agenda": bool(form.items),
            "is_open": _can_record_decisions(meeting_),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting_for_secretariat(request.user, slug, meeting_id)
    form = MinutesForm(_data(request), initial={"minutes": meeting_.minutes})
    if request.method == "POST" and form.is_valid():
        services.minutes_update(meeting=meeting_, user=request.user, **form.cleaned_data)
        messages.success(request, _("Minutes saved"))
        return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/minutes_form.html",
        {"form": form, "meeting": meeting_, "mission": meeting_.council.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting_ = access.access_meeting_for_secretariat(request.user, slug, meeting_id)
    form = PaperForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_add(meeting=meeting_, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Paper added"))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/paper_form.html",
        {"form": form, "meeting": meeting_, "mission": meeting_.council.mission},
    )


def paper_download(request: HttpRequest, paper_id: int) -> FileResponse:
    paper = access.access_paper(request.user, paper_id)
    if paper.pack_id:  # a stocktake pack: its own PDF is the paper
        pack_ = paper.pack
        if pack_ is None or pack_.status != Pack.Status.READY or not pack_.pdf:
            raise Http404
        return FileResponse(
            pack_.pdf.open("rb"),
            as_attachment=True,
            filename=Path(pack_.pdf.name).name,
            content_type="application/pdf",
        )
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=Path(paper.file.name).name)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, slug: str) -> HttpResponse:
    council_ = access.access_council_for_secretariat(request.user, slug)
    meeting_id = request.GET.get("meeting", "")
    initial = {"meeting": parse_id(meeting_id)} if parse_id(meeting_id) else {}
    form = ActionForm(_data(request), council=council_, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(council=council_, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Action recorded"))
            return redirect(council_.get_absolute_url())
    return _render(
        request,
        "assurance/action_create.html",
        {"form": form, "council": council_, "mission": council_.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    action = access.access_action_for_update(request.user, slug, action_id)
    mission = action.council.mission
    if not access.can_correct_action(request.user, mission):
        return _action_status_update(request, action)
    form = ActionEditForm(_data(request), action=action)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Only a status changed on this page is written: the owner may have changed it meanwhile.
        if data.pop("status_shown") == data["status"]:
            data["status"] = None
        try:
            services.action_update(action=action, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Action updated"))
            return redirect(action.council.get_absolute_url())
    return _render(
        request,
        "assurance/action_edit.html",
        {"form": form, "action": action, "mission": mission},
    )


def _action_status_update(request: HttpRequest, action: Action) -> HttpResponse:
    """The owner and mission leads: the status alone (anything else posted is ignored)."""
    form = ActionStatusForm(_data(request), initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        services.action_status_update(action=action, status=form.cleaned_data["status"])
        messages.success(request, _("Action updated"))
        return redirect(action.council.get_absolute_url())
    return _render(
        request,
        "assurance/action_form.html",
        {"form": form, "action": action, "mission": action.council.mission},
    )


# --- delivery confidence -------------------------------------------------------------------------


def _score_labels() -> list[str]:
    by_score = {score: selectors.rating_label(r) for r, score in RATING_SCORES.items()}
    return [by_score[s] for s in range(1, 6)]


def confidence(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission(request.user, slug)
    history = selectors.confidence_history(mission)
    points = [(a.assessed_on, a.score, a.rating) for a in reversed(history.history)]
    disagreements = selectors.confidence_disagreements(mission, history)
    return _render(
        request,
        "assurance/confidence.html",
        {
            "mission": mission,
            "history": history,
            "change": selectors.change_label(history.latest, history.previous),
            "chart": charts.confidence_steps(
                points, _score_labels(), _("Delivery confidence of the mission over time")
            ),
            "can_assess": access.can_assess(request.user, mission),
            "disagreements": disagreements,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_assessing(request.user, slug)
    form = AssessmentForm(_data(request), mission=mission)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_create(mission=mission, assessor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded"))
            return redirect("assurance:confidence", slug=mission.slug)
    history = selectors.confidence_history(mission)
    return _render(
        request,
        "assurance/assess.html",
        {
            "form": form,
            "mission": mission,
            "history": history,
            "evidence": mission_evidence.collect(mission, None),
            "open_actions": selectors.open_actions(mission),
            "status_label": indicators.status_label,
        },
    )


# --- stocktake packs -----------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    """``https://host``, so the printed pack can name pages of the site in full."""
    return request.build_absolute_uri("/").rstrip("/")


def packs(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission(request.user, slug)
    start, end = selectors.default_pack_period(mission)
    return _render(
        request,
        "assurance/packs.html",
        {
            "mission": mission,
            "packs": selectors.packs_of(mission),
            "can_request": access.can_request_pack(request.user, mission),
            "default_start": start,
            "default_end": end,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_pack(request.user, slug)
    start, end = selectors.default_pack_period(mission)
    form = PackForm(_data(request), initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.pack_request(
                mission=mission,
                user=request.user,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The stocktake pack is being prepared. This page shows it when ready.")
            )
            return redirect(pack.get_absolute_url())
    return _render(request, "assurance/pack_form.html", {"form": form, "mission": mission})


def _pack_paper_meetings(user: Any, slug: str, pack_: Pack) -> tuple[Any, list[Any]]:
    """The council, and its upcoming meetings that do not have the pack among their papers yet."""
    council_ = access.access_council(user, slug)
    attached = set(pack_.papers.values_list("meeting_id", flat=True))
    return council_, [m for m in selectors.upcoming_meetings(council_) if m.pk not in attached]


def pack(request: HttpRequest, slug: str, pack_id: int) -> HttpResponse:
    pack_ = access.access_pack(request.user, slug, pack_id)
    can_add_paper = pack_.status == Pack.Status.READY and access.is_secretariat(
        request.user, pack_.mission
    )
    meetings = _pack_paper_meetings(request.user, slug, pack_)[1] if can_add_paper else []
    return _render(
        request,
        "assurance/pack.html",
        {
            "pack": pack_,
            "mission": pack_.mission,
            "can_retry": access.can_request_pack(request.user, pack_.mission),
            "can_add_paper": can_add_paper,
            # The secretariat adds the pack to a meeting's papers here, in one step.
            "paper_form": PackPaperForm(None, pack=pack_, meetings=meetings)
            if can_add_paper
            else None,
            "papers": list(pack_.papers.select_related("meeting").order_by("meeting__starts_at")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_paper(request: HttpRequest, slug: str, pack_id: int) -> HttpResponse:
    """The secretariat makes a ready pack one of an upcoming meeting's papers, in one step."""
    pack_ = access.access_pack_for_secretariat(request.user, slug, pack_id)
    if pack_.status != Pack.Status.READY:
        raise Http404
    council_, meetings = _pack_paper_meetings(request.user, slug, pack_)
    form = PackPaperForm(_data(request), pack=pack_, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting_ = form.cleaned_data["meeting"]
        meeting_.council = council_
        try:
            services.pack_add_to_meeting(pack=pack_, meeting=meeting_, user=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The stocktake pack is now one of the meeting's papers"))
            return redirect(meeting_.get_absolute_url())
    return _render(
        request,
        "assurance/pack_paper_form.html",
        {"form": form, "pack": pack_, "mission": pack_.mission, "meetings": meetings},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_retry(request: HttpRequest, slug: str, pack_id: int) -> HttpResponse:
    """POST queues a failed or stalled pack again; GET (a link, or no JavaScript) asks first."""
    pack_ = access.access_pack_for_retry(request.user, slug, pack_id)
    if request.method == "GET":
        return _render(
            request, "assurance/pack_retry.html", {"pack": pack_, "mission": pack_.mission}
        )
    if services.pack_retry(pack=pack_, base_url=_base_url(request)):
        messages.success(
            request,
            _("Trying again. The stocktake pack is being prepared: this page shows it when ready."),
        )
    elif pack_.status == Pack.Status.READY:
        messages.info(request, _("This stocktake pack is ready: there is nothing to try again."))
    else:
        # Someone else's retry won, or the pack is still within its hour (a stale page, a
        # hand-made POST): either way a worker may still be on it.
        messages.info(
            request,
            _(
                "This stocktake pack is already being prepared, so it was not queued again. "
                "If it is still not ready an hour after it started, you can try again."
            ),
        )
    return redirect(pack_.get_absolute_url())


def pack_pdf(request: HttpRequest, slug: str, pack_id: int) -> FileResponse:
    pack_ = access.access_pack(request.user, slug, pack_id)
    if pack_.status != Pack.Status.READY or not pack_.pdf:
        raise Http404
    return FileResponse(
        pack_.pdf.open("rb"),
        as_attachment=True,
        filename=Path(pack_.pdf.name).name,
        content_type="application/pdf",
    )
