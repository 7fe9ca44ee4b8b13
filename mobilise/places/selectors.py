"""Reads of places: browsing, search, and everything a place page shows.

Boundaries are large GeoJSON documents: lists never load them, and a place page loads only the
few it draws (the place, the areas inside it and its neighbours) in a fixed number of queries,
and caches the drawing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.utils.translation import get_language

from . import geo
from .finding import (  # noqa: F401  (re-exported: callers find places here)
    PlaceMatch,
    find_place,
    latest_with_code,
    normalise_place_name,
)
from .models import Place, PlaceMember

Kind = Place.Kind
# The parent chain is at most four deep: district → county → region → England → UK.
_ANCESTOR_PATHS = (
    "parent",
    "parent__parent",
    "parent__parent__parent",
    "parent__parent__parent__parent",
)
# Which kinds count as neighbours on a map, by the kind of the place shown.
_NEIGHBOUR_KINDS: dict[str, tuple[str, ...]] = {
    Kind.NATION: (Kind.NATION,),
    # English regions border Wales and Scotland as well as each other.
    Kind.REGION: (Kind.REGION, Kind.NATION),
    Kind.COUNTY: (Kind.COUNTY, Kind.UNITARY),
    Kind.UNITARY: (Kind.UNITARY, Kind.DISTRICT),
    Kind.DISTRICT: (Kind.UNITARY, Kind.DISTRICT),
    # Statistical areas border the areas of their own level and classification (the years
    # filter keeps the classification); combined authorities border each other.
    **{kind: (kind,) for kind in Place.GROUPED_KINDS},
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
    """Local authorities (and counties), combined authorities and ITL/NUTS areas whose name,
    Welsh name or code matches; current ones first."""
    query = query.strip()
    if not query:
        return Place.objects.none()
    return (
        _light()
        .select_related("parent")
        .defer("parent__boundary", "parent__bbox")
        .filter(kind__in=[*Place.LOCAL_AUTHORITY_KINDS, *Place.GROUPED_KINDS])
        .filter(
            Q(name__icontains=query)
            | Q(name_cy__icontains=query)
            | Q(code__istartswith=query)
            | Q(ons_code__iexact=query)
        )
        .annotate(
            # "York" should list York before North Yorkshire and Yorkshire's districts.
            rank=Case(
                When(
                    Q(name__iexact=query)
                    | Q(name_cy__iexact=query)
                    | Q(code__iexact=query)
                    | Q(ons_code__iexact=query),
                    then=Value(0),
                ),
                When(Q(name__istartswith=query) | Q(name_cy__istartswith=query), then=Value(1)),
                default=Value(2),
            )
        )
        .order_by(
            F("valid_to").desc(nulls_first=True),
            "rank",
            "name",
            F("vintage").desc(nulls_first=True),
            "code",
        )
    )


def place_detail(code: str) -> Place:
    """A place with its whole parent chain in one query. No boundaries: the page's map is cached,
    and the boundary is read only when the map has to be drawn again.

    Raises ``Place.DoesNotExist``.
    """
    heavy = ["boundary"] + [
        f"{path}__{name}" for path in _ANCESTOR_PATHS for name in ("boundary", "bbox")
    ]
    return (
        Place.objects.select_related(*_ANCESTOR_PATHS).defer(*heavy).get(code=code.strip().upper())
    )


def members(place: Place) -> list[Place]:
    """The local authorities an ITL/NUTS area or combined authority is made of, each with
    ``whole`` set (False for the Scottish districts ONS split between areas), by name."""
    found = []
    for link in (
        place.member_links.select_related("member")
        .defer("member__boundary", "member__bbox")
        .order_by("member__name")
    ):
        link.member.whole = link.whole
        found.append(link.member)
    return found


def member_of(place: Place) -> list[Place]:
    """The areas a local authority belongs to (combined authority, ITL and NUTS areas), the
    combined authority first, then newest classification first and smallest level first."""
    return list(
        _light()
        .filter(member_links__member=place)
        .order_by(F("vintage").desc(nulls_first=True), "-kind", "name")
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
_CHILD_GROUP_ORDER = (
    Kind.NATION,
    Kind.REGION,
    Kind.COUNTY,
    Kind.UNITARY,
    Kind.DISTRICT,
    Kind.ITL2,
    Kind.ITL3,
    Kind.NUTS2,
    Kind.NUTS3,
)


def children(place: Place) -> list[Place]:
    """Direct children, current ones first, in one query. England's and the UK's statistical
    areas and combined authorities are not listed as its children: they overlap its regions."""
    return list(
        _light()
        .filter(parent=place)
        .exclude(kind__in=[Kind.ITL1, Kind.NUTS1, Kind.COMBINED])
        .order_by(F("valid_to").desc(nulls_first=True), "name")
    )


def group_children(kids: Iterable[Place]) -> list[ChildGroup]:
    from django.utils.translation import gettext as _

    labels = {
        Kind.NATION: _("Nations"),
        Kind.REGION: _("Regions"),
        Kind.COUNTY: _("Counties"),
        Kind.UNITARY: _("Unitary authorities"),
        Kind.DISTRICT: _("Districts"),
        Kind.ITL1: _("ITL 1 areas"),
        Kind.ITL2: _("ITL 2 areas"),
        Kind.ITL3: _("ITL 3 areas"),
        Kind.NUTS1: _("NUTS 1 areas"),
        Kind.NUTS2: _("NUTS 2 areas"),
        Kind.NUTS3: _("NUTS 3 areas"),
        Kind.COMBINED: _("Combined authorities"),
    }
    by_kind: dict[str, list[Place]] = {}
    for kid in kids:
        by_kind.setdefault(kid.kind, []).append(kid)
    return [ChildGroup(k, labels[k], by_kind[k]) for k in _CHILD_GROUP_ORDER if k in by_kind]


def successors(place: Place) -> list[Place]:
    return list(_light().filter(predecessors=place).order_by("name"))


def predecessors(place: Place) -> list[Place]:
    return list(_light().filter(successors=place).order_by("name"))


def _neighbours(place: Place) -> list[Place]:
    """Places of a comparable tier that share a border with ``place`` and were in use when it was,
    boundaries included.

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
    return [
        p
        for p in Place.objects.filter(pk__in=near).order_by("name")
        if geo.share_a_border(p.boundary, place.boundary)
    ]


# --- Maps ----------------------------------------------------------------------------------------

# Drawing a nation's map means decoding and simplifying megabytes of coastline; the result only
# changes when the places are reloaded, so it is cached under a key that changes when they are.
MAP_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class PlaceMap:
    """What a place page draws: an SVG outline for everyone and GeoJSON for Leaflet."""

    view_box: str
    focus_path: str
    child_paths: list[str]
    neighbour_paths: list[str]
    geojson: dict[str, Any]


def _data_version() -> str:
    latest = Place.objects.aggregate(count=Count("pk"), updated=Max("updated_at"))
    return f"{latest['count']}.{latest['updated'].timestamp() if latest['updated'] else 0}"


def neighbours_and_map(place: Place) -> tuple[list[Place], PlaceMap | None]:
    """The places bordering ``place`` (for the text list) and its map, in a fixed number of
    queries: two when cached, five when drawn."""
    key = f"places:map:{place.code}:{_data_version()}:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        ids, place_map_ = cached
        nearby = list(_light().filter(pk__in=ids).order_by("name")) if ids else []
        return nearby, place_map_
    nearby = _neighbours(place)
    # A retired county is drawn with the districts it had when it ended; an area made of local
    # authorities with the ones inside it (its level 3 areas, or its members).
    kids = list(
        Place.objects.filter(in_use_in(place.valid_to), parent=place)
        .exclude(kind__in=[Kind.ITL1, Kind.NUTS1, Kind.COMBINED])
        .order_by("name")
    )
    if not kids and place.kind in Place.GROUPED_KINDS:
        kids = list(Place.objects.filter(area_links__area=place).order_by("name"))
    place_map_ = place_map(place, kids=kids, nearby=nearby)
    cache.set(key, ([p.pk for p in nearby], place_map_), MAP_CACHE_SECONDS)
    return nearby, place_map_


def place_map(place: Place, *, kids: Iterable[Place], nearby: Iterable[Place]) -> PlaceMap | None:
    """Draw ``place`` with ``kids`` inside it and ``nearby`` around it, framed on ``place``."""
    if not place.boundary or not place.bbox:
        return None
    frame = geo.Frame(place.bbox)
    # About a pixel and a half at the size the map is shown: finer detail cannot be seen, and
    # keeping it would make the UK's page carry a megabyte of coastline.
    tolerance = frame.degrees_per_unit * 1.5
    drawn_kids = [k for k in kids if k.boundary]
    nearby = [n for n in nearby if n.boundary]
    outline = geo.simplify(place.boundary, tolerance)
    kid_outlines = [geo.simplify(k.boundary, tolerance) for k in drawn_kids]
    nearby_outlines = [geo.simplify(n.boundary, tolerance) for n in nearby]
    features = [_feature(place, "focus", outline)]
    features += [_feature(k, "child", o) for k, o in zip(drawn_kids, kid_outlines, strict=True)]
    features += [_feature(n, "neighbour", o) for n, o in zip(nearby, nearby_outlines, strict=True)]
    return PlaceMap(
        view_box=frame.view_box,
        focus_path=frame.path(outline),
        child_paths=[frame.path(o) for o in kid_outlines],
        neighbour_paths=[frame.path(o) for o in nearby_outlines],
        geojson={"type": "FeatureCollection", "features": features},
    )


def _feature(place: Place, role: str, geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": place.code,
            "name": place.display_name,
            "role": role,
            "url": place.get_absolute_url(),
        },
        "geometry": geometry,
    }


# --- For importers: every place at every level, for resolving names and codes ----------------------


@dataclass(frozen=True)
class PlaceName:
    """One place as an importer resolves it. ``code`` is Place.code (the key: ``E09000007``,
    ``TLC11-21``); ``ons_code`` is the code as published (``TLC11``; the GSS code for GSS
    places); ``vintage`` is the classification (NUTS 2013/2016, ITL 2021/2025; None for GSS)."""

    id: int
    code: str
    ons_code: str
    kind: str
    vintage: int | None
    name: str
    name_cy: str
    valid_from: int | None
    valid_to: int | None
    parent_code: str | None


def place_names() -> list[PlaceName]:
    """Every place at every level (the UK, nations, regions, local authorities, combined
    authorities, ITL 1-3 and NUTS 1-3 of each classification), in one query, without
    boundaries; ordered by kind, then newest classification first, then code."""
    rows = (
        Place.objects.order_by("kind", F("vintage").desc(nulls_first=True), "code")
        .values_list(
            "pk", "code", "ons_code", "kind", "vintage", "name", "name_cy", "valid_from",
            "valid_to", "parent__code",
        )
    )  # fmt: skip
    return [
        PlaceName(pk, code, ons or code, kind, vintage, name, cy, start, end, parent)
        for pk, code, ons, kind, vintage, name, cy, start, end, parent in rows
    ]


def successor_map() -> dict[str, list[str]]:
    """Place.code → the codes of what replaced it, for every place that was replaced: retired
    local authorities (the ONS changes table), NUTS 2013 → NUTS 2016 (ONS crosswalk), NUTS 2016
    → ITL 2021 (same area, UK → TL), ITL 2021 → ITL 2025 (by member authorities), and
    combined authorities (North of Tyne → North East). Follow it repeatedly to reach today."""
    found: dict[str, list[str]] = {}
    for old, new in Place.successors.through.objects.order_by(
        "from_place__code", "to_place__code"
    ).values_list("from_place__code", "to_place__code"):
        found.setdefault(old, []).append(new)
    return found


def member_map() -> dict[str, list[tuple[str, bool]]]:
    """Area code (combined authority, ITL or NUTS area) → its member local authorities'
    codes, each with whether it lies wholly inside (False for districts ONS split)."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for area, member, whole in PlaceMember.objects.order_by(
        "area__code", "member__code"
    ).values_list("area__code", "member__code", "whole"):
        found.setdefault(area, []).append((member, whole))
    return found
