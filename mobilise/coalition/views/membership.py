"""The coalition overview and a mission's coalition page; asking to join, and the lead's decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.coalition import access, selectors, services
from mobilise.coalition.forms import (
    DecisionForm,
    JoinForm,
)
from mobilise.coalition.models import (
    Ask,
    CoalitionMember,
    ListingStatus,
    Opportunity,
    Pledge,
)
from mobilise.core.forms_govuk import apply_service_errors
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import _base_url, _data, _render

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
