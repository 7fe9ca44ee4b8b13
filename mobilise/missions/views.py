"""Mission pages. Views stay thin: ``access`` fetches and guards, forms parse, services write."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.ids import parse_id
from mobilise.core.sections import mission_sections, outcome_sections
from mobilise.core.text import paragraphs

from . import access, selectors, services, toc_diagram
from .forms import (
    AdoptForm,
    LinkForm,
    MissionFilterForm,
    MissionForm,
    NodeForm,
    OutcomeForm,
)
from .models import Mission, TheoryOfChangeNode

PAGE_SIZE = 20


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("paragraphs", paragraphs)
    context.setdefault("because", toc_diagram.because)
    return render(request, template, context, status=status)


def _stage_labels() -> dict[str, str]:
    return {
        "input": _("Inputs"),
        "activity": _("Activities"),
        "output": _("Outputs"),
        "outcome": _("Outcomes"),
        "impact": _("Impact"),
        "assumption": _("Assumptions"),
        "relies_on": _("Relies on %s"),
        "assumption_prefix": _("A"),
    }


def _diagram(mission: Mission, nodes: list[TheoryOfChangeNode], links: list[Any]) -> Markup:
    svg = toc_diagram.render_svg(
        nodes,
        links,
        title=_("Theory of change diagram for %(mission)s") % {"mission": mission.title},
        description=_(
            "Steps in columns from inputs to impact, with arrows for what leads to what; "
            "assumptions are numbered beneath. The same theory of change is set out as a list after the diagram."
        ),
        labels=_stage_labels(),
        id_prefix=f"toc-{mission.pk}",
    )
    return Markup(svg)  # noqa: S704 - render_svg escapes every piece of user text it draws


def _toc_context(
    mission: Mission, nodes: list[TheoryOfChangeNode], links: list[Any]
) -> dict[str, Any]:
    return {
        "toc_svg": _diagram(mission, nodes, links),
        "toc_outline": toc_diagram.outline(nodes, links),
        "stage_labels": _stage_labels(),
    }


# Public pages ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    form = MissionFilterForm(request.GET)
    filters: dict[str, Any] = {}
    place = None
    ancestors = []
    if form.is_valid():
        place = form.cleaned_data["place"]
        filters = {
            "scope": form.cleaned_data["scope"] or None,
            "status": form.cleaned_data["status"] or None,
            "search": form.cleaned_data["q"].strip() or None,
            "place": place,
        }
        if place is not None:
            ancestors = selectors.place_ancestors(place)
    missions = selectors.mission_list(**filters)
    page = Paginator(missions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    base = "?" + (urlencode(query) + "&" if query else "")
    pagination_items = [
        {"ellipsis": True}
        if n == page.paginator.ELLIPSIS
        else {
            "number": n,
            "href": f"{base}page={n}",
            "current": n == page.number,
            "visuallyHiddenText": _("Page %(n)s") % {"n": n},
        }
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return _render(
        request,
        "missions/index.html",
        {
            "form": form,
            "page": page,
            "missions": page.object_list,
            "place": place,
            "ancestors": ancestors,
            "filtered": bool(query),
            "page_base": base,
            "pagination_items": pagination_items,
            "can_create": access.can_create_mission(request.user),
            "drafts": list(selectors.draft_missions_for(request.user)),
        },
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_view(request.user, slug)
    data = selectors.mission_page(mission)
    contributes_to = mission.contributes_to
    if contributes_to is not None and not access.can_view_mission(request.user, contributes_to):
        contributes_to = None
    return _render(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "data": data,
            "contributes_to": contributes_to,
            "can_edit": access.can_edit_mission(request.user, mission),
            "can_adopt": mission.scope == Mission.Scope.NATIONAL
            and mission.is_public
            and access.can_create_mission(request.user),
            "extra_sections": mission_sections.render(request, mission),
            **_toc_context(mission, data.nodes, data.links),
        },
    )


def outcome_detail(request: HttpRequest, slug: str, outcome_slug: str) -> HttpResponse:
    outcome = access.access_outcome_for_view(request.user, slug, outcome_slug)
    parent = outcome.parent
    if parent is not None and not access.can_view_mission(request.user, parent.mission):
        parent = None
    return _render(
        request,
        "missions/outcome_detail.html",
        {
            "mission": outcome.mission,
            "outcome": outcome,
            "parent": parent,
            "steps": selectors.outcome_steps(outcome),
            "extra_sections": outcome_sections.render(request, outcome),
            "can_edit": access.can_edit_mission(request.user, outcome.mission),
        },
    )


# Editing a mission ------------------------------------------------------------------------------


def _mission_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "statement": data["statement"],
        "why_it_matters": data["why_it_matters"],
        "horizon_year": data["horizon_year"],
        "owner": data["owner"],
        "scope": data["scope"],
        "places": data["places"],
        "contributes_to": data["contributes_to"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def mission_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_mission(request.user):
        raise PermissionDenied
    form = MissionForm(
        request.POST or None, user=request.user, initial={"scope": Mission.Scope.LOCAL}
    )
    has_owner = form.fields["owner"].queryset.exists()
    if has_owner and form.fields["owner"].queryset.count() == 1:
        form.initial["owner"] = form.fields["owner"].queryset.get().pk
    if request.method == "POST" and has_owner and form.is_valid():
        try:
            mission = services.mission_create(
                user=request.user, **_mission_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Mission created as a draft. Add its outcomes and theory of change, then publish it."
                ),
            )
            return redirect(mission)
    return _render(
        request,
        "missions/mission_form.html",
        {"form": form, "mission": None, "has_owner": has_owner},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mission_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """A lead adopts a national mission for their place: a contributing local mission."""
    national = access.access_mission_for_view(request.user, slug)
    if national.scope != Mission.Scope.NATIONAL or not access.can_create_mission(request.user):
        raise PermissionDenied
    form = AdoptForm(
        request.POST or None,
        user=request.user,
        initial={
            "title": national.title,
            "statement": national.statement,
            "horizon_year": national.horizon_year,
        },
    )
    has_owner = form.fields["owner"].queryset.exists()
    if request.method == "POST" and has_owner and form.is_valid():
        data = form.cleaned_data
        try:
            mission = services.mission_adopt(
                user=request.user,
                national=national,
                place=data["place"],
                title=data["title"],
                statement=data["statement"],
                horizon_year=data["horizon_year"],
                owner=data["owner"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(place)s has adopted ‘%(national)s’. Your local mission is a draft: add its outcomes, then publish it."
                )
                % {"place": data["place"].display_name, "national": national.title},
            )
            return redirect(mission)
    return _render(
        request,
        "missions/adopt_form.html",
        {"form": form, "mission": national, "has_owner": has_owner},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mission_edit(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_edit(request.user, slug)
    initial = {
        "title": mission.title,
        "statement": mission.statement,
        "why_it_matters": mission.why_it_matters,
        "horizon_year": mission.horizon_year,
        "owner": mission.owner_id,
        "scope": mission.scope,
        "places": selectors.mission_places(mission),
        "contributes_to": mission.contributes_to_id,
        "status": mission.status,
    }
    form = MissionForm(request.POST or None, user=request.user, mission=mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_update(
                user=request.user,
                mission=mission,
                status=form.cleaned_data["status"],
                **_mission_fields(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Mission updated"))
            return redirect(mission)
    return _render(
        request, "missions/mission_form.html", {"form": form, "mission": mission, "has_owner": True}
    )


# Outcomes ---------------------------------------------------------------------------------------


def _outcome_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "description": data["description"],
        "target_date": data["target_date"],
        "parent": data.get("parent"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_edit(request.user, slug)
    initial = {}
    if parse_id(request.GET.get("parent")):
        initial["parent"] = parse_id(request.GET.get("parent"))
    form = OutcomeForm(request.POST or None, mission=mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.outcome_create(mission=mission, **_outcome_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Outcome added"))
            return redirect(outcome)
    return _render(
        request, "missions/outcome_form.html", {"form": form, "mission": mission, "outcome": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, slug: str, outcome_slug: str) -> HttpResponse:
    outcome = access.access_outcome_for_edit(request.user, slug, outcome_slug)
    initial = {
        "title": outcome.title,
        "description": outcome.description,
        "target_date": outcome.target_date,
        "parent": outcome.parent_id,
    }
    form = OutcomeForm(request.POST or None, mission=outcome.mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.outcome_update(outcome=outcome, **_outcome_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Outcome updated"))
            return redirect(outcome)
    return _render(
        request,
        "missions/outcome_form.html",
        {"form": form, "mission": outcome.mission, "outcome": outcome},
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_delete(request: HttpRequest, slug: str, outcome_slug: str) -> HttpResponse:
    outcome = access.access_outcome_for_edit(request.user, slug, outcome_slug)
    mission = outcome.mission
    if request.method == "POST":
        services.outcome_delete(outcome=outcome)
        messages.success(request, _("Outcome ‘%(title)s’ deleted") % {"title": outcome.title})
        return redirect(mission)
    return _render(
        request,
        "missions/confirm_delete.html",
        {
            "mission": mission,
            "heading": _("Delete the outcome ‘%(title)s’?") % {"title": outcome.title},
            "consequences": [
                _(
                    "Theory of change steps that stand for this outcome will stay, no longer linked to it."
                ),
            ]
            if outcome.toc_nodes.exists()
            else [],
            "button": _("Delete outcome"),
            "cancel_url": outcome.get_absolute_url(),
        },
    )


# Theory of change -------------------------------------------------------------------------------


def _toc_url(mission: Mission) -> str:
    return reverse("missions:toc_manage", args=[mission.slug])


@login_required
def toc_manage(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_edit(request.user, slug)
    nodes, links = selectors.theory_of_change(mission)
    return _render(
        request,
        "missions/toc_manage.html",
        {"mission": mission, "links": links, "nodes": nodes, **_toc_context(mission, nodes, links)},
    )


def _node_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "outcome": data["outcome"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def node_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_edit(request.user, slug)
    initial = (
        {"kind": request.GET.get("kind")}
        if request.GET.get("kind") in TheoryOfChangeNode.Kind.values
        else {}
    )
    form = NodeForm(request.POST or None, mission=mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.toc_node_create(mission=mission, **_node_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Step ‘%(title)s’ added") % {"title": node.title})
            return redirect(_toc_url(mission))
    return _render(
        request, "missions/node_form.html", {"form": form, "mission": mission, "node": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, slug: str, node_id: int) -> HttpResponse:
    node = access.access_node_for_edit(request.user, slug, node_id)
    initial = {
        "kind": node.kind,
        "title": node.title,
        "description": node.description,
        "outcome": node.outcome_id,
    }
    form = NodeForm(request.POST or None, mission=node.mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.toc_node_update(node=node, **_node_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Step updated"))
            return redirect(_toc_url(node.mission))
    return _render(
        request, "missions/node_form.html", {"form": form, "mission": node.mission, "node": node}
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_delete(request: HttpRequest, slug: str, node_id: int) -> HttpResponse:
    node = access.access_node_for_edit(request.user, slug, node_id)
    mission = node.mission
    if request.method == "POST":
        services.toc_node_delete(node=node)
        messages.success(request, _("Step ‘%(title)s’ deleted") % {"title": node.title})
        return redirect(_toc_url(mission))
    link_count = node.links_in.count() + node.links_out.count()
    consequences = []
    if link_count:
        consequences.append(
            _("Its %(count)s link(s) to other steps will be deleted too.") % {"count": link_count}
        )
    return _render(
        request,
        "missions/confirm_delete.html",
        {
            "mission": mission,
            "heading": _("Delete the step ‘%(title)s’?") % {"title": node.title},
            "consequences": consequences,
            "button": _("Delete step"),
            "cancel_url": _toc_url(mission),
        },
    )


def _link_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"source": data["source"], "target": data["target"], "rationale": data["rationale"]}


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_edit(request.user, slug)
    initial = {}
    if parse_id(request.GET.get("source")):
        initial["source"] = parse_id(request.GET.get("source"))
    form = LinkForm(request.POST or None, mission=mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.toc_link_create(mission=mission, **_link_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Link added"))
            return redirect(_toc_url(mission))
    return _render(
        request, "missions/link_form.html", {"form": form, "mission": mission, "link": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_edit(request: HttpRequest, slug: str, link_id: int) -> HttpResponse:
    link = access.access_link_for_edit(request.user, slug, link_id)
    initial = {"source": link.source_id, "target": link.target_id, "rationale": link.rationale}
    form = LinkForm(request.POST or None, mission=link.mission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.toc_link_update(link=link, **_link_fields(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Link updated"))
            return redirect(_toc_url(link.mission))
    return _render(
        request, "missions/link_form.html", {"form": form, "mission": link.mission, "link": link}
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_delete(request: HttpRequest, slug: str, link_id: int) -> HttpResponse:
    link = access.access_link_for_edit(request.user, slug, link_id)
    mission = link.mission
    if request.method == "POST":
        services.toc_link_delete(link=link)
        messages.success(request, _("Link deleted"))
        return redirect(_toc_url(mission))
    return _render(
        request,
        "missions/confirm_delete.html",
        {
            "mission": mission,
            "heading": _("Delete the link from ‘%(source)s’ to ‘%(target)s’?")
            % {"source": link.source.title, "target": link.target.title},
            "consequences": [],
            "button": _("Delete link"),
            "cancel_url": _toc_url(mission),
        },
    )
