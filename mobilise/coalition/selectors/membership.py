"""Reads about membership: members by sector, requests, the members' map."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import ngettext

from mobilise.accounts.models import Sector
from mobilise.coalition.models import (
    CoalitionMember,
)
from mobilise.missions.models import Mission
from mobilise.places import geo
from mobilise.places.models import Place

from ._common import _HEAVY

# --- members -------------------------------------------------------------------------------------


@dataclass
class SectorGroup:
    sector: str
    label: str
    members: list[CoalitionMember]


def coalition_members(mission: Mission) -> list[CoalitionMember]:
    """Accepted members, by name, with their organisations' home places."""
    return list(
        CoalitionMember.objects.filter(mission=mission, status=CoalitionMember.Status.ACCEPTED)
        .select_related("organisation", "organisation__home_place")
        .defer(*(f"organisation__home_place__{f}" for f in _HEAVY))
        .order_by("organisation__name")
    )


def members_by_sector(members: Iterable[CoalitionMember]) -> list[SectorGroup]:
    groups: dict[str, list[CoalitionMember]] = defaultdict(list)
    for member in members:
        groups[member.organisation.sector].append(member)
    return [
        SectorGroup(value, str(label), groups[value])
        for value, label in Sector.choices
        if value in groups
    ]


def pending_requests(mission: Mission) -> list[CoalitionMember]:
    return list(
        CoalitionMember.objects.filter(mission=mission, status=CoalitionMember.Status.PENDING)
        .select_related("organisation", "requested_by")
        .order_by("created_at", "id")
    )


def decided_requests(mission: Mission, *, limit: int = 50) -> list[CoalitionMember]:
    return list(
        CoalitionMember.objects.filter(mission=mission)
        .exclude(status=CoalitionMember.Status.PENDING)
        .select_related("organisation", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def user_requests(user: Any, mission: Mission) -> list[CoalitionMember]:
    """Requests to join from organisations ``user`` belongs to, latest first."""
    if not user.is_authenticated:
        return []
    return list(
        CoalitionMember.objects.filter(mission=mission, organisation__memberships__user=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


@dataclass
class MapPlace:
    place: Place
    count: int
    x: float = 0
    y: float = 0
    radius: float = 0
    path: str = ""


@dataclass
class MembersMap:
    """Where the members are, by their organisations' home places: ``places`` for the table (every
    place), ``drawn`` for the map (local authorities: regions and nations would cover them), as an
    SVG for everyone and GeoJSON for Leaflet."""

    view_box: str
    places: list[MapPlace]
    drawn: list[MapPlace]
    geojson: dict[str, Any]
    without_place: int = 0

    @property
    def wide(self) -> list[MapPlace]:
        return [p for p in self.places if p not in self.drawn]


def members_map(mission: Mission, members: Sequence[CoalitionMember]) -> MembersMap | None:
    counts = Counter(m.organisation.home_place_id for m in members if m.organisation.home_place_id)
    if not counts:
        return None
    places = {
        p.pk: p
        for p in Place.objects.filter(pk__in=counts).only(
            "pk", "code", "name", "name_cy", "kind", "boundary", "bbox"
        )
    }
    rows = sorted(
        (MapPlace(places[pk], n) for pk, n in counts.items() if pk in places),
        key=lambda row: row.place.name,
    )
    local = [
        r
        for r in rows
        if r.place.kind in Place.LOCAL_AUTHORITY_KINDS and r.place.boundary and r.place.bbox
    ]
    without_place = sum(1 for m in members if not m.organisation.home_place_id)
    if not local:
        return MembersMap(
            view_box="", places=rows, drawn=[], geojson={}, without_place=without_place
        )
    frame = geo.Frame(geo.bbox_union(r.place.bbox for r in local))
    tolerance = frame.degrees_per_unit * 1.5
    largest = max(r.count for r in local)
    features: list[dict[str, Any]] = []
    for row in local:
        place = row.place
        outline = geo.simplify(place.boundary, tolerance)
        point = geo.interior_point(place.boundary) or [
            (place.bbox[0] + place.bbox[2]) / 2,
            (place.bbox[1] + place.bbox[3]) / 2,
        ]
        x, y = frame.project(*point)
        # Circle area in proportion to the count, between 14 and 40 units across.
        row.x, row.y = round(x), round(y)
        row.radius = round(7 + 13 * (row.count / largest) ** 0.5, 1)
        row.path = frame.path(outline)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": place.display_name,
                    "count": row.count,
                    "label": ngettext("%(count)s member", "%(count)s members", row.count)
                    % {"count": row.count},
                    "point": point,
                    "url": place.get_absolute_url(),
                },
                "geometry": outline,
            }
        )
    return MembersMap(
        view_box=frame.view_box,
        places=rows,
        drawn=local,
        geojson={"type": "FeatureCollection", "features": features},
        without_place=without_place,
    )
