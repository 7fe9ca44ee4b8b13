"""Coalition pages. Views stay thin: ``access`` fetches and guards, forms parse, services write."""

import csv
from typing import Any

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.text import paragraphs
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from . import access, selectors, services
from .forms import (
    AskForm,
    AttendanceForm,
    ConsentForm,
    DecisionForm,
    FlagForm,
    JoinForm,
    NearForm,
    OfferForm,
    OpportunityForm,
    PledgeForm,
    ProgressForm,
    RespondForm,
    SessionForm,
    SignUpForm,
)
from .models import (
    Ask,
    CoalitionMember,
    ListingStatus,
    Match,
    Offer,
    Opportunity,
    Pledge,
    SignUp,
    Timeliness,
)


def _data(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so the form is bound and says what is
    missing), None otherwise."""
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    """For links in e-mails: where this site is, as the person reached it."""
    return request.build_absolute_uri("/").rstrip("/")


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("paragraphs", paragraphs)
    context.setdefault("today", timezone.localdate())
    context.setdefault("timeliness_labels", dict(Timeliness.choices))
    return render(request, template, context, status=status)


def _dashboard_context(dashboard: selectors.Dashboard, prefix: str) -> dict[str, Any]:
    return {
        "dashboard": dashboard,
        "prefix": prefix,
        "chart_data": json_script(dashboard.chart_data(), f"{prefix}-data"),
    }


# --- overview and the coalition page -------------------------------------------------------------


def _count(rows: QuerySet) -> Coalesce:
    """How many of ``rows`` belong to the outer query's mission, as a subquery (0 for none)."""
    subquery = Subquery(
        rows.filter(mission=OuterRef("pk"))
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return Coalesce(subquery, Value(0))


def index(request: HttpRequest) -> HttpResponse:
    missions = (
        Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES)
        .select_related("owner")
        .order_by("scope", "title")
    )
    # Counted in subqueries, not joins: joining four lists would multiply their rows.
    missions = missions.annotate(
        partners=_count(CoalitionMember.objects.filter(status=CoalitionMember.Status.ACCEPTED)),
        pledge_count=_count(Pledge.objects.all()),
        open_asks=_count(Ask.objects.filter(status=ListingStatus.OPEN)),
        opportunity_count=_count(Opportunity.objects.filter(status=Opportunity.Status.OPEN)),
    )
    places = (
        Place.objects.defer("boundary", "bbox")
        .filter(missions__status__in=Mission.PUBLIC_STATUSES, missions__scope=Mission.Scope.LOCAL)
        .distinct()
        .order_by("name")
    )
    return _render(
        request, "coalition/index.html", {"missions": list(missions), "places": list(places)}
    )


def mission(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    members = selectors.coalition_members(mission)
    members_map = selectors.members_map(mission, members)
    user = request.user
    return _render(
        request,
        "coalition/mission.html",
        {
            "mission": mission,
            "members": members,
            "sectors": selectors.members_by_sector(members),
            "members_map": members_map,
            "map_data": json_script(members_map.geojson, "coalition-map-data")
            if members_map and members_map.drawn
            else "",
            "pledges": selectors.mission_pledges(mission),
            "asks": selectors.mission_asks(mission),
            "offers": selectors.mission_offers(mission),
            "opportunities": selectors.mission_opportunities(mission, user=user),
            "can_manage": access.can_manage_coalition(user, mission),
            "can_act": access.can_act_for_coalition(user, mission),
            "can_join": access.joinable_organisations(user, mission).exists(),
            "pending_count": len(selectors.pending_requests(mission))
            if access.can_manage_coalition(user, mission)
            else 0,
            "my_requests": selectors.user_requests(user, mission),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    organisations = access.joinable_organisations(request.user, mission)
    form = JoinForm(_data(request), organisations=organisations)
    if request.method == "POST" and organisations.exists() and form.is_valid():
        try:
            services.coalition_join_request(
                mission=mission,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                statement=form.cleaned_data["statement"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Request sent. The mission team will decide, and we will e-mail you when they have."
                ),
            )
            return redirect("coalition:mission", mission.slug)
    return _render(
        request,
        "coalition/join.html",
        {
            "form": form,
            "mission": mission,
            "has_organisations": organisations.exists(),
            "my_requests": selectors.user_requests(request.user, mission),
        },
    )


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition_management(request.user, slug)
    return _render(
        request,
        "coalition/members.html",
        {
            "mission": mission,
            "pending": selectors.pending_requests(mission),
            "decided": selectors.decided_requests(mission),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_decide(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    member = access.access_member_for_decision(request.user, slug, member_id)
    form = DecisionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.coalition_member_decide(
                member=member,
                user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            text = (
                _("%(organisation)s is now in the coalition")
                if member.status == CoalitionMember.Status.ACCEPTED
                else _("You declined the request from %(organisation)s")
            )
            messages.success(request, text % {"organisation": member.organisation.name})
            return redirect("coalition:members", member.mission.slug)
    return _render(
        request,
        "coalition/member_decide.html",
        {"form": form, "member": member, "mission": member.mission},
    )


# --- dashboards and exports ----------------------------------------------------------------------


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    data = selectors.mission_dashboard(mission)
    return _render(
        request,
        "coalition/dashboard.html",
        {
            "mission": mission,
            "place": None,
            "title": mission.title,
            **_dashboard_context(data, "dashboard"),
        },
    )


def place_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    place = Place.objects.defer("boundary").filter(code=code.strip().upper()).first()
    if place is None:
        raise Http404
    if code != place.code:
        return redirect("coalition:place_dashboard", place.code, permanent=True)
    data = selectors.place_dashboard(place)
    return _render(
        request,
        "coalition/dashboard.html",
        {
            "mission": None,
            "place": place,
            "title": place.display_name,
            **_dashboard_context(data, "dashboard"),
        },
    )


def _csv(filename: str, header: list[str], rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def pledges_csv(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    header = [
        "pledge_id", "pledger", "sector", "what", "outcome", "theory_of_change_step", "places",
        "quantity", "unit", "due_date", "money_gbp", "in_kind_gbp", "delivered", "percent_delivered",
        "fulfilled_on", "status", "made_on",
    ]  # fmt: skip
    return _csv(f"{mission.slug}-pledges.csv", header, selectors.pledge_rows(mission))


def opportunities_csv(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    header = [
        "opportunity_id", "role", "organiser", "place_code", "location", "status", "dbs_check",
        "minimum_age", "session_id", "starts_at", "ends_at", "places", "confirmed", "waiting",
        "attended", "hours",
    ]  # fmt: skip
    return _csv(f"{mission.slug}-volunteering.csv", header, selectors.opportunity_rows(mission))


# --- pledges -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    organisations = list(access.acting_organisations(request.user, mission))
    form = PledgeForm(
        _data(request),
        mission=mission,
        user=request.user,
        organisations=organisations,
        initial={"places": [p.pk for p in selectors.mission_place_choices(mission)][:1]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome, node = data["serves"]
        try:
            pledge = services.pledge_create(
                mission=mission,
                user=request.user,
                organisation=data["pledger"],
                title=data["title"],
                description=data["description"],
                outcome=outcome,
                toc_node=node,
                places=data["places"],
                quantity=data["quantity"],
                unit=data["unit"],
                due_date=data["due_date"],
                money_value=data["money_value"],
                in_kind_value=data["in_kind_value"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Pledge made. Report progress on it here whenever you have some.")
            )
            return redirect(pledge)
    return _render(request, "coalition/pledge_form.html", {"form": form, "mission": mission})


def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_view(request.user, pledge_id)
    return _render(
        request,
        "coalition/pledge_detail.html",
        {
            "pledge": pledge,
            "mission": pledge.mission,
            "updates": selectors.pledge_updates(pledge),
            "places": list(pledge.places.defer("boundary", "bbox").order_by("name")),
            "timeliness": pledge.timeliness(timezone.localdate()),
            "is_pledger": access.is_pledger(request.user, pledge),
            "can_manage": access.can_manage_coalition(request.user, pledge.mission),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_progress(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_progress(request.user, pledge_id)
    form = ProgressForm(_data(request), initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_progress_add(pledge=pledge, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Progress reported. Thank you."))
            return redirect(pledge)
    return _render(
        request,
        "coalition/progress_form.html",
        {"form": form, "pledge": pledge, "mission": pledge.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_flag(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_flag(request.user, pledge_id)
    form = FlagForm(_data(request), initial={"note": pledge.flag_note})
    if request.method == "POST" and form.is_valid():
        flagged = request.POST.get("action") != "clear"
        services.pledge_flag(
            pledge=pledge, user=request.user, flagged=flagged, note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("Flagged for follow-up") if flagged else _("Follow-up flag cleared")
        )
        return redirect(pledge)
    return _render(
        request,
        "coalition/flag_form.html",
        {"form": form, "pledge": pledge, "mission": pledge.mission},
    )


# --- asks, offers and matches --------------------------------------------------------------------


def _listing_places(request: HttpRequest, mission: Mission, organisations: Any) -> list[Place]:
    extra = [request.user.home_place, *(o.home_place for o in organisations)]
    return selectors.nearby_place_choices(mission, extra=extra)


def _default_place(
    request: HttpRequest, mission: Mission, organisations: list[Any]
) -> Place | None:
    for candidate in [*(o.home_place for o in organisations), request.user.home_place]:
        if candidate is not None:
            return candidate
    return mission.places.defer("boundary", "bbox").first()


@login_required
@require_http_methods(["GET", "POST"])
def ask_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_acting(request.user, slug)
    organisations = (
        access.acting_organisations(request.user, mission)
        .select_related("home_place")
        .defer("home_place__boundary", "home_place__bbox")
    )
    org_list = list(organisations)
    form = AskForm(
        _data(request),
        organisations=organisations,
        places=_listing_places(request, mission, org_list),
        default_place=_default_place(request, mission, org_list),
    )
    if request.method == "POST" and form.is_valid():
        try:
            ask = services.ask_create(mission=mission, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Ask posted. Offers that could meet it are listed below."))
            return redirect(ask)
    return _render(request, "coalition/ask_form.html", {"form": form, "mission": mission})


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    org_list = list(
        access.offering_organisations(request.user)
        .select_related("home_place")
        .defer("home_place__boundary", "home_place__bbox")
    )
    form = OfferForm(
        _data(request),
        organisations=org_list,
        places=_listing_places(request, mission, org_list),
        default_place=_default_place(request, mission, org_list),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("offerer")
        try:
            offer = services.offer_create(
                mission=mission, user=request.user, organisation=organisation, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Offer posted. Asks it could meet are listed below."))
            return redirect(offer)
    return _render(request, "coalition/offer_form.html", {"form": form, "mission": mission})


def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = access.access_ask_for_view(request.user, ask_id)
    can_manage = access.can_manage_ask(request.user, ask)
    return _render(
        request,
        "coalition/ask_detail.html",
        {
            "ask": ask,
            "mission": ask.mission,
            "can_manage": can_manage,
            "suggestions": selectors.suggested_offers(ask)
            if can_manage and ask.status == ListingStatus.OPEN
            else [],
            "matches": selectors.listing_matches(ask) if can_manage else [],
        },
    )


def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = access.access_offer_for_view(request.user, offer_id)
    can_manage = access.can_manage_offer(request.user, offer)
    return _render(
        request,
        "coalition/offer_detail.html",
        {
            "offer": offer,
            "mission": offer.mission,
            "can_manage": can_manage,
            "suggestions": selectors.suggested_asks(offer)
            if can_manage and offer.status == ListingStatus.OPEN
            else [],
            "matches": selectors.listing_matches(offer) if can_manage else [],
        },
    )


def _close_view(request: HttpRequest, obj: Ask | Offer, close: Any, heading: str) -> HttpResponse:
    if request.method == "POST":
        close(user=request.user, **{"ask" if isinstance(obj, Ask) else "offer": obj})
        messages.success(request, _("Closed"))
        return redirect(obj)
    return _render(
        request,
        "coalition/close_confirm.html",
        {"obj": obj, "mission": obj.mission, "heading": heading},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask_close(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = access.access_ask_for_managing(request.user, ask_id)
    return _close_view(
        request, ask, services.ask_close, _("Close the ask ‘%(title)s’?") % {"title": ask.title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_close(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = access.access_offer_for_managing(request.user, offer_id)
    return _close_view(
        request,
        offer,
        services.offer_close,
        _("Close the offer ‘%(title)s’?") % {"title": offer.title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_create(request: HttpRequest, ask_id: int, offer_id: int) -> HttpResponse:
    """Confirm a match from an ask's (or an offer's) suggestions."""
    user = request.user
    ask = access.access_ask_for_view(user, ask_id)
    offer = access.access_offer_for_view(user, offer_id)
    ask_side, offer_side = access.is_ask_side(user, ask), access.is_offer_side(user, offer)
    if not (ask_side or offer_side or access.can_manage_coalition(user, ask.mission)):
        raise PermissionDenied
    existing = Match.objects.filter(ask=ask, offer=offer).first()
    if existing is not None:
        return redirect(existing)
    party = ask_side or offer_side
    form = ConsentForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_create(
                ask=ask,
                offer=offer,
                user=user,
                consent=form.cleaned_data["consent"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Connected: you can now see each other’s contact details")
                if match.status == Match.Status.CONNECTED
                else _("Match made. We have asked the other side to accept it."),
            )
            return redirect(match)
    scored = selectors.score_pair(ask, offer)
    return _render(
        request,
        "coalition/match_create.html",
        {
            "form": form,
            "ask": ask,
            "offer": offer,
            "mission": ask.mission,
            "party": party,
            "score": round(scored.score * 100) if scored else 0,
            "reasons": selectors.reason_texts(
                scored.reasons if scored else [],
                {
                    ask.place.code: ask.place.display_name,
                    offer.place.code: offer.place.display_name,
                },
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = access.access_match(request.user, match_id)
    user = request.user
    ask_side, offer_side = (
        access.is_ask_side(user, match.ask),
        access.is_offer_side(user, match.offer),
    )
    waiting_on_me = match.status == Match.Status.PROPOSED and (
        (ask_side and match.ask_consented_at is None)
        or (offer_side and match.offer_consented_at is None)
    )
    form = RespondForm(_data(request)) if waiting_on_me else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            match = services.match_respond(
                match=match,
                user=user,
                accept=form.cleaned_data["decision"] == "accept",
                consent=form.cleaned_data["consent"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                {
                    Match.Status.CONNECTED: _(
                        "Connected: you can now see each other’s contact details"
                    ),
                    Match.Status.DECLINED: _("Match declined"),
                }.get(match.status, _("Accepted. We have asked the other side to accept it too.")),
            )
            return redirect(match)
    connected = match.status == Match.Status.CONNECTED
    # Contact details go only to the other side, and only once both sides have agreed.
    contacts = []
    if connected and ask_side:
        contacts.append((_("Offered by"), selectors.contact_for(match.offer)))
    if connected and offer_side:
        contacts.append((_("Asked by"), selectors.contact_for(match.ask)))
    return _render(
        request,
        "coalition/match_detail.html",
        {
            "match": match,
            "mission": match.ask.mission,
            "form": form,
            "contacts": contacts,
            "reasons": selectors.reason_texts(
                match.reasons,
                {
                    match.ask.place.code: match.ask.place.display_name,
                    match.offer.place.code: match.offer.place.display_name,
                },
            ),
            "ask_side": ask_side,
            "offer_side": offer_side,
        },
    )


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
    opportunity = session.opportunity
    host = request.get_host().split(":")[0] or "mobilise"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mobilise//Volunteering//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"mobilise-session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", _("Volunteering: %(role)s") % {"role": opportunity.role})
    event.add("location", opportunity.location)
    url = request.build_absolute_uri(session.get_absolute_url())
    event.add(
        "description", f"{opportunity.organisation.name}\n\n{opportunity.description}\n\n{url}"
    )
    event.add("url", url)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="volunteering-{session.pk}.ics"'
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
                request, _("Attendance saved for %(count)s volunteers") % {"count": count}
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


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return _render(request, "coalition/mine.html", {"mine": selectors.mine(request.user)})
