"""Reads of missions: the public index and its filters, and everything one mission page shows."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

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
    # The UK tree is at most five levels deep: one query follows the whole chain of parents.
    depth = 5
    chain = "__".join(["parent"] * depth)
    heavy = [
        f"{'parent__' * level}{name}" for level in range(depth + 1) for name in _PLACE_HEAVY_FIELDS
    ]
    ancestors: list[Place] = []
    seen = {place.pk}
    current: Place | None = place
    while current is not None and current.parent_id is not None and current.parent_id not in seen:
        current = Place.objects.select_related(chain).defer(*heavy).filter(pk=current.pk).first()
        for _level in range(depth):
            if current is None or current.parent_id is None or current.parent_id in seen:
                current = None
                break
            current = current.parent
            ancestors.append(current)
            seen.add(current.pk)
    return ancestors


def place_choices(*, include: str | None = None) -> list[tuple[str, str]]:
    """(code, label) for the index filter: places in use today, plus ``include`` if it is a
    former code (someone followed a link from an old place's page). Repeated names carry codes."""
    current = Q(valid_to__isnull=True)
    if include:
        current |= Q(code=include)
    rows = list(
        Place.objects.filter(current)
        .order_by("name", "code")
        .values_list("code", "name", "valid_to")
    )
    counts: dict[str, int] = {}
    for _code, name, _until in rows:
        counts[name] = counts.get(name, 0) + 1
    choices = []
    for code, name, until in rows:
        label = f"{name} ({code})" if counts[name] > 1 else name
        if until is not None:
            label = _("%(place)s (until %(year)s)") % {"place": label, "year": until}
        choices.append((code, label))
    return choices


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
    qs = (
        Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES)
        .select_related("owner", "contributes_to")
        # National missions first: they frame the local ones that contribute to them.
        .annotate(
            national_first=Case(When(scope=Mission.Scope.NATIONAL, then=Value(0)), default=Value(1))
        )
        .order_by("national_first", "title")
    )
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
                Q(title__icontains=word)
                | Q(statement__icontains=word)
                | Q(owner__name__icontains=word)
            )
    return _with_places(qs)


def draft_missions_for(user: Any) -> QuerySet[Mission]:
    """Drafts the person may edit, so a lead can find work nobody else can see yet."""
    if user_is_platform_admin(user):
        qs = Mission.objects.all()
    elif user_has_role(user, Role.MISSION_LEAD):
        qs = Mission.objects.filter(owner__in=user_organisations(user))
    else:
        return Mission.objects.none()
    return qs.filter(status=Mission.Status.DRAFT).select_related("owner").order_by("title")


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
    links = toc_diagram.links_in_flow_order(nodes, mission.toc_links.order_by("id"))
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


def mission_places(mission: Mission) -> list[Place]:
    return list(_places().filter(missions=mission).order_by("name"))


def mission_page(mission: Mission) -> MissionPage:
    places = mission_places(mission)
    contributions: list[Mission] = []
    if mission.scope == Mission.Scope.NATIONAL:
        contributions = list(
            _with_places(
                mission.contributions.filter(status__in=Mission.PUBLIC_STATUSES).select_related(
                    "owner"
                )
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
            Prefetch(
                "links_out",
                queryset=TheoryOfChangeLink.objects.select_related("target").order_by("id"),
            ),
            Prefetch(
                "links_in",
                queryset=TheoryOfChangeLink.objects.select_related("source").order_by("id"),
            ),
        )
    )
