"""Reads of places: browsing, search, and everything a place page shows.

Boundaries are large GeoJSON documents: lists never load them, and a place page loads only the
few it draws (the place, its current children and its neighbours) in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet

from . import geo
from .models import Place

Kind = Place.Kind
# The parent chain is at most four deep: district → county → region → England → UK.
_ANCESTOR_PATHS = ("parent", "parent__parent", "parent__parent__parent", "parent__parent__parent__parent")
# Which kinds count as neighbours on a map, by the kind of the place shown.
_NEIGHBOUR_KINDS: dict[str, tuple[str, ...]] = {
    Kind.NATION: (Kind.NATION,),
    # English regions border Wales and Scotland as well as each other.
    Kind.REGION: (Kind.REGION, Kind.NATION),
    Kind.COUNTY: (Kind.COUNTY, Kind.UNITARY),
    Kind.UNITARY: (Kind.UNITARY, Kind.DISTRICT),
    Kind.DISTRICT: (Kind.UNITARY, Kind.DISTRICT),
}
SEARCH_LIMIT = 100


def place_list() -> QuerySet[Place]:
    return Place.objects.defer("boundary")


def _light() -> QuerySet[Place]:
    return Place.objects.defer("boundary", "bbox")


def in_use_in(year: int | None) -> Q:
    """Places whose code was in use in ``year`` (None: in use now)."""
    if year is None:
        return Q(valid_to__isnull=True)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=year)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=year)
    )


@dataclass
class Nation:
    place: Place
    regions: list[Place] = field(default_factory=list)


def browse() -> tuple[Place | None, list[Nation]]:
    """The UK and its nations, each with its regions (England only), in one query."""
    top = list(_light().filter(kind__in=[Kind.UK, Kind.NATION, Kind.REGION]).order_by("code"))
    uk = next((p for p in top if p.kind == Kind.UK), None)
    nations = {p.pk: Nation(p) for p in top if p.kind == Kind.NATION}
    for place in top:
        if place.kind == Kind.REGION and place.parent_id in nations:
            nations[place.parent_id].regions.append(place)
    return uk, list(nations.values())  # E, N, S, W: the ONS order


def search(query: str) -> QuerySet[Place]:
    """Local authorities (and counties) whose name, Welsh name or code matches; current ones first."""
    query = query.strip()
    if not query:
        return Place.objects.none()
    return (
        _light()
        .select_related("parent")
        .defer("parent__boundary", "parent__bbox")
        .filter(kind__in=Place.LOCAL_AUTHORITY_KINDS)
        .filter(Q(name__icontains=query) | Q(name_cy__icontains=query) | Q(code__istartswith=query))
        .order_by(F("valid_to").desc(nulls_first=True), "name", "code")
    )


def place_detail(code: str) -> Place:
    """A place with its whole parent chain (no boundaries but its own) in one query.

    Raises ``Place.DoesNotExist``.
    """
    heavy = [f"{path}__{name}" for path in _ANCESTOR_PATHS for name in ("boundary", "bbox")]
    return (
        Place.objects.select_related(*_ANCESTOR_PATHS)
        .defer(*heavy)
        .get(code=code.strip().upper())
    )


def ancestors(place: Place) -> list[Place]:
    """The places containing ``place``, outermost first (UK, England, London). No queries when
    the place came from :func:`place_detail`."""
    chain: list[Place] = []
    current = place
    for _ in range(len(_ANCESTOR_PATHS)):
        if current.parent_id is None:
            break
        current = current.parent
        chain.append(current)
    return chain[::-1]


@dataclass
class ChildGroup:
    kind: str
    label: str
    places: list[Place]


# Plural headings for each kind of child, in display order.
_CHILD_GROUP_ORDER = (Kind.NATION, Kind.REGION, Kind.COUNTY, Kind.UNITARY, Kind.DISTRICT)


def children(place: Place) -> list[Place]:
    """Direct children, boundaries included (the map draws the current ones), in one query."""
    return list(Place.objects.filter(parent=place).order_by(F("valid_to").desc(nulls_first=True), "name"))


def group_children(kids: Iterable[Place]) -> list[ChildGroup]:
    from django.utils.translation import gettext as _

    labels = {
        Kind.NATION: _("Nations"),
        Kind.REGION: _("Regions"),
        Kind.COUNTY: _("Counties"),
        Kind.UNITARY: _("Unitary authorities"),
        Kind.DISTRICT: _("Districts"),
    }
    by_kind: dict[str, list[Place]] = {}
    for kid in kids:
        by_kind.setdefault(kid.kind, []).append(kid)
    return [ChildGroup(k, labels[k], by_kind[k]) for k in _CHILD_GROUP_ORDER if k in by_kind]


def successors(place: Place) -> list[Place]:
    return list(_light().filter(predecessors=place).order_by("name"))


def predecessors(place: Place) -> list[Place]:
    return list(_light().filter(successors=place).order_by("name"))


def neighbours(place: Place) -> list[Place]:
    """Places of a comparable tier that share a border with ``place`` and were in use when it was.

    Two queries whatever the answer: bounding boxes of every candidate, then the boundaries of the
    few whose box touches this one, checked for a shared edge.
    """
    kinds = _NEIGHBOUR_KINDS.get(place.kind)
    if not kinds or not place.bbox or not place.boundary:
        return []
    # A region's nation (England) borders everything the region does: ancestors are not neighbours.
    not_neighbours = [place.pk, *(a.pk for a in ancestors(place))]
    candidates = (
        Place.objects.filter(kind__in=kinds)
        .filter(in_use_in(place.valid_to))
        .exclude(pk__in=not_neighbours)
        .exclude(parent=place)
        .values_list("pk", "bbox")
    )
    near = [pk for pk, box in candidates if box and geo.bboxes_touch(box, place.bbox)]
    if not near:
        return []
    return [p for p in Place.objects.filter(pk__in=near).order_by("name") if geo.share_a_border(p.boundary, place.boundary)]


# --- Maps ----------------------------------------------------------------------------------------


@dataclass
class PlaceMap:
    """What a place page draws: an SVG outline for everyone and GeoJSON for Leaflet."""

    view_box: str
    focus_path: str
    child_paths: list[str]
    neighbour_paths: list[str]
    geojson: dict[str, Any]


def place_map(place: Place, *, kids: Iterable[Place], nearby: Iterable[Place]) -> PlaceMap | None:
    if not place.boundary or not place.bbox:
        return None
    frame = geo.Frame(place.bbox)
    # Half a viewBox unit: finer detail cannot be drawn at the SVG's size, and keeping it would
    # make the UK's page carry a megabyte of coordinates. Leaflet can zoom, so it gets a bit more.
    tolerance = frame.degrees_per_unit / 2
    current_kids = [k for k in kids if k.is_current and k.boundary]
    features = [_feature(place, "focus", tolerance)]
    features += [_feature(k, "child", tolerance) for k in current_kids]
    features += [_feature(n, "neighbour", tolerance) for n in nearby if n.boundary]
    return PlaceMap(
        view_box=frame.view_box,
        focus_path=frame.path(geo.simplify(place.boundary, tolerance)),
        child_paths=[frame.path(geo.simplify(k.boundary, tolerance)) for k in current_kids],
        neighbour_paths=[frame.path(geo.simplify(n.boundary, tolerance)) for n in nearby if n.boundary],
        geojson={"type": "FeatureCollection", "features": features},
    )


def _feature(place: Place, role: str, tolerance: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": place.code,
            "name": place.display_name,
            "role": role,
            "url": place.get_absolute_url(),
        },
        "geometry": geo.simplify(place.boundary, tolerance),
    }
