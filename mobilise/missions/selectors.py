"""Reads of missions: the public index and its filters, and everything one mission page shows."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from mobilise.accounts.models import Organisation, Role
from mobilise.accounts.selectors import user_has_role, user_is_platform_admin, user_organisations
from mobilise.places.models import Place

from . import toc_diagram
from .models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode

# Place boundaries are large GeoJSON documents; mission pages only need names and codes.
_PLACE_HEAVY_FIELDS = ("boundary", "bbox")


def _places() -> QuerySet[Place]:
    return Place.objects.defer(*_PLACE_HEAVY_FIELDS)


def _with_places(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    return qs.prefetch_related(Prefetch("places", queryset=_places().order_by("name")))


def place_by_code(code: str) -> Place | None:
    return _places().filter(code=code.strip().upper()).first()


def place_ancestors(place: Place) -> list[Place]:
    """The places that contain ``place``, nearest first (a district's county, region, nation, UK)."""
    ancestors: list[Place] = []
    seen = {place.pk}
    current = place
    while current.parent_id is not None and current.parent_id not in seen:
        # The tree is at most five levels deep, so one query per level stays cheap.
        parent = _places().filter(pk=current.parent_id).first()
        if parent is None:
            break
        ancestors.append(parent)
        seen.add(parent.pk)
        current = parent
    return ancestors


def place_choices() -> list[tuple[str, str]]:
    """(code, label) for every place, for the index filter. Repeated names carry their code."""
    rows = list(Place.objects.order_by("name", "code").values_list("code", "name"))
    counts: dict[str, int] = {}
    for _code, name in rows:
        counts[name] = counts.get(name, 0) + 1
    return [(code, f"{name} ({code})" if counts[name] > 1 else name) for code, name in rows]


def mission_list(
    *,
    scope: str | None = None,
    status: str | None = None,
    place: Place | None = None,
    search: str | None = None,
) -> QuerySet[Mission]:
    """Public missions, optionally filtered.

    ``place`` keeps missions for that place or any place containing it, plus every national
    mission: national missions belong to everywhere, and a local mission for a county is also a
    mission for the districts inside it.
    """
    qs = Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES).select_related("owner", "contributes_to")
    if scope:
        qs = qs.filter(scope=scope)
    if status:
        qs = qs.filter(status=status)
    if place is not None:
        place_ids = [place.pk, *(p.pk for p in place_ancestors(place))]
        matching = Mission.objects.filter(places__in=place_ids).values("pk")
        qs = qs.filter(Q(pk__in=matching) | Q(scope=Mission.Scope.NATIONAL))
    if search:
        for word in search.split():
            qs = qs.filter(
                Q(title__icontains=word) | Q(statement__icontains=word) | Q(owner__name__icontains=word)
            )
    return _with_places(qs)


def draft_missions_for(user: Any) -> QuerySet[Mission]:
    """Drafts the person may edit, so a lead can find work nobody else can see yet."""
    if not user_has_role(user, Role.MISSION_LEAD) and not user_is_platform_admin(user):
        return Mission.objects.none()
    qs = Mission.objects.filter(status=Mission.Status.DRAFT).select_related("owner")
    if not user_is_platform_admin(user):
        qs = qs.filter(owner__in=user_organisations(user))
    return qs.order_by("title")


def owner_choices_for(user: Any, *, current: Organisation | None = None) -> QuerySet[Organisation]:
    """Organisations a person may name as a mission's owner: their own; any, for a platform admin."""
    if user_is_platform_admin(user):
        return Organisation.objects.all()
    qs = user_organisations(user)
    if current is not None:
        qs = Organisation.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=current.pk))
    return qs.order_by("name")


def national_missions_for_choice(*, include: Mission | None = None) -> QuerySet[Mission]:
    """National missions a local mission may contribute to: the published ones (and its current one)."""
    condition = Q(scope=Mission.Scope.NATIONAL, status__in=Mission.PUBLIC_STATUSES)
    if include is not None:
        condition |= Q(pk=include.pk)
    return Mission.objects.filter(condition).order_by("title")


@dataclass
class MissionPage:
    """Everything the mission page shows, read with a fixed number of queries."""

    mission: Mission
    places: list[Place]
    contributions: list[Mission]
    outcomes: list[Outcome]
    nodes: list[TheoryOfChangeNode]
    links: list[TheoryOfChangeLink]
    outline: toc_diagram.Outline = field(repr=False)


def theory_of_change(mission: Mission) -> tuple[list[TheoryOfChangeNode], list[TheoryOfChangeLink]]:
    nodes = list(mission.toc_nodes.select_related("outcome").order_by("order", "id"))
    by_id = {n.pk: n for n in nodes}
    links = list(mission.toc_links.order_by("id"))
    for link in links:
        # Attach the nodes already read rather than letting each link fetch its two ends.
        link.source = by_id[link.source_id]
        link.target = by_id[link.target_id]
        link.mission = mission
    for node in nodes:
        node.mission = mission
        if node.outcome is not None:
            node.outcome.mission = mission
    return nodes, links


def mission_page(mission: Mission) -> MissionPage:
    places = list(_places().filter(missions=mission).order_by("name"))
    contributions: list[Mission] = []
    if mission.scope == Mission.Scope.NATIONAL:
        contributions = list(
            _with_places(
                mission.contributions.filter(status__in=Mission.PUBLIC_STATUSES).select_related("owner")
            ).order_by("title")
        )
    outcomes = list(mission.outcomes.order_by("order", "id"))
    for outcome in outcomes:
        outcome.mission = mission
    nodes, links = theory_of_change(mission)
    return MissionPage(
        mission=mission,
        places=places,
        contributions=contributions,
        outcomes=outcomes,
        nodes=nodes,
        links=links,
        outline=toc_diagram.outline(nodes, links),
    )


def outcome_steps(outcome: Outcome) -> list[TheoryOfChangeNode]:
    """Theory of change steps that stand for ``outcome``, with what they lead to and from."""
    return list(
        outcome.toc_nodes.order_by("order", "id").prefetch_related(
            Prefetch("links_out", queryset=TheoryOfChangeLink.objects.select_related("target").order_by("id")),
            Prefetch("links_in", queryset=TheoryOfChangeLink.objects.select_related("source").order_by("id")),
        )
    )
