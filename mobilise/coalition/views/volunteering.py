"""Volunteering: opportunities, sessions, sign-ups and attendance."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mobilise.coalition import access, calendar, selectors, services
from mobilise.coalition.forms import (
    AttendanceForm,
    NearForm,
    OpportunityForm,
    SessionForm,
    SignUpForm,
)
from mobilise.coalition.models import (
    SignUp,
)
from mobilise.core.forms_govuk import apply_service_errors

from ._common import _base_url, _data, _render
from .exchange import _default_place, _listing_places

# --- volunteering --------------------------------------------------------------------------------


def opportunity_index(request: HttpRequest) -> HttpResponse:
    data = request.GET
    home = getattr(request.user, "home_place", None) if request.user.is_authenticated else None
    if "near" not in data and home is not None:
        data = data.copy()
        data["near"] = home.code
    form = NearForm(data)
    near = form.cleaned_data["near"] if form.is_valid() else None
    return _render(
        request,
        "coalition/opportunity_index.html",
        {
            "form": form,
            "near": near,
            "results": selectors.opportunity_search(near=near, user=request.user),
        },
    )


def _opportunity_fields(data: dict[str, Any]) -> services.OpportunityFields:
    return services.OpportunityFields(
        role=data["role"],
        description=data["description"],
        place=data["place"],
        location=data["location"],
        dbs_check_required=data["dbs_check_required"],
        minimum_age=data["minimum_age"],
        requirements=data["requirements"],
        accessibility=data["accessibility"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_acting(request.user, slug)
    organisations = access.acting_organisations(request.user, mission).select_related("home_place")
    org_list = list(organisations)
    form = OpportunityForm(
        _data(request),
        organisations=organisations,
        places=_listing_places(request, mission, org_list),
        initial={"place": getattr(_default_place(request, mission, org_list), "pk", None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                mission=mission,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                fields=_opportunity_fields(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Opportunity added. Now add its sessions."))
            return redirect("coalition:session_create", opportunity.pk)
    return _render(
        request,
        "coalition/opportunity_form.html",
        {"form": form, "mission": mission, "opportunity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = access.access_opportunity_for_managing(request.user, opportunity_id)
    fields = [
        "role",
        "description",
        "place",
        "location",
        "dbs_check_required",
        "minimum_age",
        "requirements",
        "accessibility",
        "status",
    ]
    initial = {name: getattr(opportunity, name) for name in fields}
    initial["place"] = opportunity.place_id
    form = OpportunityForm(
        _data(request),
        organisations=None,
        places=_listing_places(request, opportunity.mission, [opportunity.organisation])
        + [opportunity.place],
        opportunity=opportunity,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity,
                user=request.user,
                fields=_opportunity_fields(form.cleaned_data),
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Opportunity updated"))
            return redirect(opportunity)
    return _render(
        request,
        "coalition/opportunity_form.html",
        {"form": form, "mission": opportunity.mission, "opportunity": opportunity},
    )


def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = access.access_opportunity_for_view(request.user, opportunity_id)
    can_manage = access.can_manage_opportunity(request.user, opportunity)
    return _render(
        request,
        "coalition/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "mission": opportunity.mission,
            "sessions": selectors.upcoming_sessions(opportunity, user=request.user),
            "past": selectors.past_sessions(opportunity) if can_manage else [],
            "can_manage": can_manage,
        },
    )


def _session_fields(form: SessionForm) -> dict[str, Any]:
    starts_at, ends_at = form.datetimes()
    return {"starts_at": starts_at, "ends_at": ends_at, "capacity": form.cleaned_data["capacity"]}


def _add_session_errors(form: SessionForm, exc: ValidationError) -> None:
    # The service speaks of starts_at and ends_at; the form asks for a date and two times.
    if hasattr(exc, "error_dict"):
        renamed = {
            {"starts_at": "start_time", "ends_at": "end_time"}.get(k, k): v
            for k, v in exc.error_dict.items()
        }
        exc = ValidationError(renamed)
    apply_service_errors(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = access.access_opportunity_for_managing(request.user, opportunity_id)
    form = SessionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(
                opportunity=opportunity, user=request.user, **_session_fields(form)
            )
        except ValidationError as exc:
            _add_session_errors(form, exc)
        else:
            messages.success(request, _("Session added"))
            return redirect(opportunity)
    return _render(
        request,
        "coalition/session_form.html",
        {"form": form, "opportunity": opportunity, "mission": opportunity.mission, "session": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.access_session_for_managing(request.user, session_id)
    local_start, local_end = (
        timezone.localtime(session.starts_at),
        timezone.localtime(session.ends_at),
    )
    form = SessionForm(
        _data(request),
        initial={
            "date": local_start.date(),
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "capacity": session.capacity,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session,
                user=request.user,
                base_url=_base_url(request),
                **_session_fields(form),
            )
        except ValidationError as exc:
            _add_session_errors(form, exc)
        else:
            messages.success(request, _("Session updated"))
            return redirect(session)
    return _render(
        request,
        "coalition/session_form.html",
        {
            "form": form,
            "opportunity": session.opportunity,
            "mission": session.opportunity.mission,
            "session": session,
        },
    )


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.access_session_for_view(request.user, session_id)
    sign_up = selectors.my_sign_up(session, request.user)
    opportunity = session.opportunity
    return _render(
        request,
        "coalition/session_detail.html",
        {
            "session": session,
            "opportunity": opportunity,
            "mission": opportunity.mission,
            "sign_up": sign_up,
            "position": selectors.waiting_position(sign_up)
            if sign_up and sign_up.status == SignUp.Status.WAITING
            else None,
            "can_manage": access.can_manage_opportunity(request.user, opportunity),
            "started": session.starts_at <= timezone.now(),
        },
    )


def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session as an iCalendar file. Its UID never changes, so calendars update the one event
    when the file is downloaded again after the session moves."""
    session = access.access_session_for_view(request.user, session_id)
    ics = calendar.session_calendar(
        session,
        host=request.get_host().split(":")[0],
        url=request.build_absolute_uri(session.get_absolute_url()),
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar.file_name(session)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def signup_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.access_session_for_view(request.user, session_id)
    opportunity = session.opportunity
    existing = selectors.my_sign_up(session, request.user)
    if existing is not None:
        return redirect(session)
    needs_confirmation = bool(
        opportunity.dbs_check_required or opportunity.minimum_age or opportunity.requirements
    )
    form = SignUpForm(_data(request), needs_confirmation=needs_confirmation)
    if request.method == "POST" and form.is_valid():
        try:
            sign_up = services.signup_create(
                session=session, person=request.user, base_url=_base_url(request)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if sign_up.status == SignUp.Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "You are signed up. We have e-mailed you the details; add the session to your calendar below."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "The session is full, so you are on the waiting list. If a place comes up, it is yours and we will e-mail you."
                    ),
                )
            return redirect(session)
    return _render(
        request,
        "coalition/signup_form.html",
        {
            "form": form,
            "session": session,
            "opportunity": opportunity,
            "mission": opportunity.mission,
            "full": session.spaces_left == 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_cancel(request: HttpRequest, sign_up_id: int) -> HttpResponse:
    sign_up = access.access_sign_up_for_cancelling(request.user, sign_up_id)
    session = sign_up.session
    if request.method == "POST":
        try:
            services.signup_cancel(sign_up=sign_up, user=request.user, base_url=_base_url(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Cancelled. Thank you for letting the organisers know."))
        return redirect(session)
    return _render(
        request,
        "coalition/signup_cancel.html",
        {
            "sign_up": sign_up,
            "session": session,
            "opportunity": session.opportunity,
            "mission": session.opportunity.mission,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.access_session_for_managing(request.user, session_id)
    confirmed, waiting = selectors.session_sign_ups(session)
    form = AttendanceForm(_data(request), sign_ups=confirmed, default_hours=session.hours)
    if request.method == "POST" and form.is_valid():
        records = []
        for sign_up, attended_name, hours_name in form.rows:
            answer = form.cleaned_data[attended_name]
            records.append(
                services.Attendance(
                    sign_up.pk,
                    {"yes": True, "no": False}.get(answer),
                    form.cleaned_data[hours_name],
                )
            )
        try:
            count = services.attendance_record(
                session=session,
                user=request.user,
                records=[r for r in records if r.attended is not None],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved for %(count)s volunteer",
                    "Attendance saved for %(count)s volunteers",
                    count,
                )
                % {"count": count},
            )
            return redirect("coalition:session_attendance", session.pk)
    return _render(
        request,
        "coalition/attendance.html",
        {
            "form": form,
            "session": session,
            "opportunity": session.opportunity,
            "mission": session.opportunity.mission,
            "waiting": waiting,
            "started": session.starts_at <= timezone.now(),
        },
    )
