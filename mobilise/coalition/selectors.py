"""Reads about coalitions: the coalition page, matching, volunteering near a place, dashboards.

Lists read related rows in a fixed number of queries (select_related / prefetch_related) and never
load place boundaries except to draw the members' map.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobilise.accounts.models import Organisation, Sector
from mobilise.engines import matching
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places import geo
from mobilise.places.models import Place
from mobilise.places.selectors import neighbours_and_map

from .models import (
    Ask,
    Category,
    CoalitionMember,
    ListingStatus,
    Match,
    Offer,
    Opportunity,
    Pledge,
    PledgeUpdate,
    Session,
    SignUp,
    Timeliness,
)

_HEAVY = ("boundary", "bbox")
# Matches scoring below this are not worth a person's time.
MIN_MATCH_SCORE = 0.5
MAX_SUGGESTIONS = 10


def _light_places() -> QuerySet[Place]:
    return Place.objects.defer(*_HEAVY)


def _today() -> dt.date:
    return timezone.localdate()


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


# --- pledges -------------------------------------------------------------------------------------


def _pledge_queryset() -> QuerySet[Pledge]:
    return Pledge.objects.select_related(
        "organisation", "person", "outcome", "toc_node"
    ).prefetch_related(Prefetch("places", queryset=_light_places().order_by("name")))


def mission_pledges(mission: Mission) -> list[Pledge]:
    pledges = list(_pledge_queryset().filter(mission=mission).order_by("due_date", "id"))
    for pledge in pledges:
        pledge.mission = mission
    return pledges


def pledge_updates(pledge: Pledge) -> list[PledgeUpdate]:
    return list(pledge.updates.order_by("-reported_on", "-id"))


def serves_choices(mission: Mission) -> list[tuple[str, str]]:
    """What a pledge may serve: the mission's outcomes, then its theory of change steps."""
    choices = [
        (f"outcome:{o.pk}", _("Outcome: %(title)s") % {"title": o.title})
        for o in Outcome.objects.filter(mission=mission).order_by("order", "id")
    ]
    choices += [
        (
            f"node:{n.pk}",
            _("%(kind)s: %(title)s") % {"kind": n.get_kind_display(), "title": n.title},
        )
        for n in TheoryOfChangeNode.objects.filter(mission=mission)
        .exclude(kind="assumption")
        .order_by("order", "id")
    ]
    return choices


def mission_place_choices(mission: Mission) -> list[Place]:
    """The mission's places and those directly inside them: where a pledge can be."""
    own = list(_light_places().filter(missions=mission))
    inside = list(_light_places().filter(parent__in=own, valid_to__isnull=True))
    return sorted({p.pk: p for p in own + inside}.values(), key=lambda p: p.name)


def nearby_place_choices(mission: Mission, *, extra: Iterable[Place | None] = ()) -> list[Place]:
    """Places an ask, offer or opportunity may be in: the mission's places, those inside, around
    and next to them, and ``extra`` (the person's home place, their organisations')."""
    places = {p.pk: p for p in mission_place_choices(mission)}
    own = list(
        _light_places()
        .filter(missions=mission)
        .select_related("parent")
        .defer("parent__boundary", "parent__bbox")
    )
    for place in own:
        # The area around (a borough's region), for things offered across it.
        if place.parent is not None and place.parent.kind not in (Place.Kind.UK, Place.Kind.NATION):
            places.setdefault(place.parent.pk, place.parent)
    for place in list(places.values()):
        if place.kind in Place.LOCAL_AUTHORITY_KINDS:
            for neighbour in neighbours_and_map(place)[0]:
                places.setdefault(neighbour.pk, neighbour)
    for place in extra:
        if place is not None:
            places.setdefault(place.pk, place)
    return sorted(places.values(), key=lambda p: p.name)


# --- asks, offers and matching -------------------------------------------------------------------


def mission_asks(mission: Mission, *, status: str | None = ListingStatus.OPEN) -> list[Ask]:
    qs = (
        Ask.objects.filter(mission=mission)
        .select_related("organisation", "place")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .annotate(connected=Count("matches", filter=Q(matches__status=Match.Status.CONNECTED)))
    )
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("end_date", "id"))


def mission_offers(mission: Mission, *, status: str | None = ListingStatus.OPEN) -> list[Offer]:
    qs = (
        Offer.objects.filter(mission=mission)
        .select_related("organisation", "place")
        .defer(*(f"place__{f}" for f in _HEAVY))
    )
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("available_from", "id"))


def place_relations(
    places: Iterable[Place], *, neighbours_of: Iterable[Place] = ()
) -> matching.PlaceRelations:
    """Parents (up the whole chain) of ``places`` and the neighbours of ``neighbours_of``, as the
    matching engine wants them: plain data, by ONS code."""
    parents: dict[str, str | None] = {}
    frontier = {p.pk for p in places}
    seen: set[int] = set()
    for _level in range(6):  # the UK tree is at most five deep
        frontier -= seen
        if not frontier:
            break
        rows = list(
            Place.objects.filter(pk__in=frontier).values_list(
                "pk", "code", "parent_id", "parent__code"
            )
        )
        seen |= frontier
        frontier = set()
        for _pk, code, parent_id, parent_code in rows:
            parents[code] = parent_code
            if parent_id:
                frontier.add(parent_id)
    neighbours = {
        place.code: [n.code for n in neighbours_and_map(place)[0]]
        for place in neighbours_of
        if place.kind in Place.LOCAL_AUTHORITY_KINDS
    }
    return matching.PlaceRelations(parents=parents, neighbours=neighbours)


def _as_engine(listing: Ask | Offer) -> Any:
    if isinstance(listing, Ask):
        return matching.Ask(
            id=listing.pk,
            category=listing.category,
            place=listing.place.code,
            quantity=float(listing.quantity),
            unit=listing.unit,
            tags=listing.tags or [],
            start=listing.start_date,
            end=listing.end_date,
        )
    return matching.Offer(
        id=listing.pk,
        category=listing.category,
        place=listing.place.code,
        quantity=float(listing.quantity),
        unit=listing.unit,
        tags=listing.tags or [],
        start=listing.available_from,
        end=listing.available_until,
    )


def _ranker() -> matching.MatchRanker:
    return matching.MatchRanker(min_score=MIN_MATCH_SCORE, max_per_ask=None)


@dataclass
class Suggestion:
    """A ranked candidate for an ask or an offer, with the engine's reasons in words."""

    listing: Any
    score: float
    reasons: list[str]
    match: Match | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _open_offers() -> QuerySet[Offer]:
    today = _today()
    return (
        Offer.objects.filter(status=ListingStatus.OPEN, mission__status__in=Mission.PUBLIC_STATUSES)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .select_related("organisation", "person", "place", "mission")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .order_by("id")
    )


def _open_asks() -> QuerySet[Ask]:
    return (
        Ask.objects.filter(
            status=ListingStatus.OPEN,
            mission__status__in=Mission.PUBLIC_STATUSES,
            end_date__gte=_today(),
        )
        .select_related("organisation", "place", "mission")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .order_by("id")
    )


def suggested_offers(ask: Ask) -> list[Suggestion]:
    """Open offers (from any public mission's coalition) ranked for ``ask``, best first."""
    offers = list(_open_offers())
    if not offers:
        return []
    relations = place_relations([ask.place, *(o.place for o in offers)], neighbours_of=[ask.place])
    ranker = _ranker().fit([_as_engine(ask)], [_as_engine(o) for o in offers], relations)
    by_id = {o.pk: o for o in offers}
    existing = {m.offer_id: m for m in Match.objects.filter(ask=ask)}
    names = _place_names(relations)
    return [
        Suggestion(
            by_id[m.offer_id], m.score, reason_texts(m.reasons, names), existing.get(m.offer_id)
        )
        for m in ranker.offers_for(ask.pk)[:MAX_SUGGESTIONS]
    ]


def suggested_asks(offer: Offer) -> list[Suggestion]:
    """Open asks ranked for ``offer``, best first."""
    asks = list(_open_asks())
    if not asks:
        return []
    relations = place_relations(
        [offer.place, *(a.place for a in asks)], neighbours_of=[offer.place]
    )
    ranker = _ranker().fit([_as_engine(a) for a in asks], [_as_engine(offer)], relations)
    by_id = {a.pk: a for a in asks}
    existing = {m.ask_id: m for m in Match.objects.filter(offer=offer)}
    names = _place_names(relations)
    return [
        Suggestion(by_id[m.ask_id], m.score, reason_texts(m.reasons, names), existing.get(m.ask_id))
        for m in ranker.asks_for(offer.pk)[:MAX_SUGGESTIONS]
    ]


def score_pair(ask: Ask, offer: Offer) -> matching.Match | None:
    """The engine's score for one pair, whatever its thresholds (a lead may match as they see fit)."""
    relations = place_relations([ask.place, offer.place], neighbours_of=[ask.place])
    ranker = matching.MatchRanker(same_category_only=False, require_overlap=False).fit(
        [_as_engine(ask)], [_as_engine(offer)], relations
    )
    return ranker.matches_[0] if ranker.matches_ else None


def reasons_to_json(reasons: Iterable[matching.Reason]) -> list[dict[str, Any]]:
    return [{"code": r.code, "params": dict(r.params), "text": r.text} for r in reasons]


def _place_names(relations: matching.PlaceRelations) -> dict[str, str]:
    codes = set(relations.parents) | {c for v in relations.parents.values() if v for c in [v]}
    codes |= set(relations.neighbours)
    return {p.code: p.display_name for p in _light_places().filter(code__in=codes)}


def _number(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _reason_text(code: str, p: dict[str, Any], names: dict[str, str]) -> str | None:
    categories = dict(Category.choices)
    place = names.get(p.get("ask_place", ""), p.get("ask_place", ""))
    other = names.get(p.get("offer_place", ""), p.get("offer_place", ""))
    places = {"other": other, "place": place}
    if code == "same_category":
        return _("Both are %(category)s") % {
            "category": str(categories.get(p["category"], p["category"])).lower()
        }
    if code == "different_category":
        return _("Asks for %(ask)s, offers %(offer)s") % {
            "ask": str(categories.get(p["ask_category"], "")).lower(),
            "offer": str(categories.get(p["offer_category"], "")).lower(),
        }
    if code == "skills_all":
        return _("Has every skill asked for: %(skills)s") % {"skills": ", ".join(p["matched"])}
    if code == "skills_some":
        return _(
            "Has %(matched)s of the %(asked)s skills asked for: %(skills)s (not %(missing)s)"
        ) % {
            "matched": len(p["matched"]),
            "asked": p["asked"],
            "skills": ", ".join(p["matched"]),
            "missing": ", ".join(p["missing"]),
        }
    if code == "skills_none":
        return _("Has none of the skills asked for (%(skills)s)") % {
            "skills": ", ".join(p["missing"])
        }
    texts = {
        "same_place": _("In the same place: %(place)s"),
        "offer_covers_place": _("Offered across %(other)s, which includes %(place)s"),
        "ask_covers_place": _("Offered in %(other)s, inside the area asked for (%(place)s)"),
        "neighbouring_place": _("Offered in %(other)s, next to %(place)s"),
        "distant_place": _("Offered in %(other)s, away from %(place)s"),
    }
    if code in texts:
        return texts[code] % places
    if code == "dates_cover":
        return _("Available on all the dates asked for")
    if code == "dates_partly":
        return _("Available on %(days)s of the days asked for (%(percent)s%%)") % p
    if code == "dates_apart":
        return _("Not available on the dates asked for")
    amounts = {
        "offered": _number(p.get("offered", 0)),
        "asked": _number(p.get("asked", 0)),
        "unit": p.get("unit", ""),
        "offer_unit": p.get("offer_unit", ""),
        "percent": p.get("percent", ""),
    }
    if code == "quantity_enough":
        return _("Offers %(offered)s, enough for the %(asked)s %(unit)s asked for") % amounts
    if code == "quantity_partial":
        return _("Offers %(offered)s of the %(asked)s %(unit)s asked for (%(percent)s%%)") % amounts
    if code == "different_units":
        return _("Offers %(offered)s %(offer_unit)s; asks for %(asked)s %(unit)s") % amounts
    return None


def reason_texts(reasons: Iterable[Any], names: dict[str, str] | None = None) -> list[str]:
    """The engine's reasons (or stored ones) as sentences in the page's language; a reason this
    version does not know falls back to the engine's English."""
    texts = []
    for reason in reasons:
        if isinstance(reason, dict):
            code, params, english = reason["code"], dict(reason["params"]), reason.get("text", "")
        else:
            code, params, english = reason.code, dict(reason.params), reason.text
        texts.append(_reason_text(code, params, names or {}) or english or code)
    return texts


def listing_matches(listing: Ask | Offer) -> list[Match]:
    field_name = "ask" if isinstance(listing, Ask) else "offer"
    return list(
        Match.objects.filter(**{field_name: listing})
        .select_related("ask", "ask__organisation", "offer", "offer__organisation", "offer__person")
        .order_by("-created_at", "-id")
    )


def contact_for(listing: Ask | Offer) -> dict[str, str]:
    """Who to contact about a listing: the person who posted it (for a resident, the resident)."""
    person = getattr(listing, "person", None) or listing.made_by
    organisation = listing.organisation
    return {
        "organisation": organisation.name if organisation else "",
        "name": (person.get_full_name() if person else "") or "",
        "email": person.email if person else "",
        "website": organisation.website if organisation else "",
    }


# --- volunteering --------------------------------------------------------------------------------


def upcoming_sessions(opportunity: Opportunity, *, user: Any = None) -> list[Session]:
    """Sessions still to come, each with ``my_sign_up`` set for a signed-in person."""
    sessions = list(
        opportunity.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at", "id")
    )
    _attach_sign_ups(sessions, user)
    for session in sessions:
        session.opportunity = opportunity
    return sessions


def past_sessions(opportunity: Opportunity, *, limit: int = 20) -> list[Session]:
    sessions = list(
        opportunity.sessions.filter(starts_at__lte=timezone.now()).order_by("-starts_at", "-id")[
            :limit
        ]
    )
    for session in sessions:
        session.opportunity = opportunity
    return sessions


def _attach_sign_ups(sessions: list[Session], user: Any) -> None:
    mine: dict[int, SignUp] = {}
    if user is not None and user.is_authenticated and sessions:
        for sign_up in SignUp.objects.filter(
            session__in=sessions, person=user, status__in=SignUp.ACTIVE_STATUSES
        ):
            mine[sign_up.session_id] = sign_up
    for session in sessions:
        session.my_sign_up = mine.get(session.pk)  # type: ignore[attr-defined]


def my_sign_up(session: Session, user: Any) -> SignUp | None:
    if not user.is_authenticated:
        return None
    return SignUp.objects.filter(
        session=session, person=user, status__in=SignUp.ACTIVE_STATUSES
    ).first()


def waiting_position(sign_up: SignUp) -> int:
    """1 for the first person waiting."""
    return (
        SignUp.objects.filter(session_id=sign_up.session_id, status=SignUp.Status.WAITING)
        .filter(
            Q(created_at__lt=sign_up.created_at)
            | Q(created_at=sign_up.created_at, id__lt=sign_up.pk)
        )
        .count()
        + 1
    )


def session_sign_ups(session: Session) -> tuple[list[SignUp], list[SignUp]]:
    """(confirmed, waiting), each in sign-up order, with the people."""
    rows = list(
        session.sign_ups.filter(status__in=SignUp.ACTIVE_STATUSES)
        .select_related("person")
        .order_by("created_at", "id")
    )
    return (
        [s for s in rows if s.status == SignUp.Status.CONFIRMED],
        [s for s in rows if s.status == SignUp.Status.WAITING],
    )


@dataclass
class OpportunityResult:
    opportunity: Opportunity
    sessions: list[Session]
    proximity: str  # a matching.Proximity value, or "" without a place to compare with
    where: str  # in words: "In Camden", "Next to Camden"


def mission_opportunities(mission: Mission, *, user: Any = None) -> list[OpportunityResult]:
    opportunities = list(
        Opportunity.objects.filter(mission=mission, status=Opportunity.Status.OPEN)
        .select_related("organisation", "place")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .prefetch_related(_upcoming_prefetch())
        .order_by("role", "id")
    )
    results = []
    for opportunity in opportunities:
        sessions = list(opportunity.upcoming)
        _attach_sign_ups(sessions, user)
        results.append(OpportunityResult(opportunity, sessions, "", ""))
    return results


def _upcoming_prefetch() -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=Session.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at", "id"),
        to_attr="upcoming",
    )


_NEAR = (
    matching.Proximity.SAME,
    matching.Proximity.ASK_CONTAINS,  # the opportunity is inside the place searched for
    matching.Proximity.OFFER_CONTAINS,  # the opportunity covers a wider area that includes it
    matching.Proximity.NEIGHBOUR,
)


def opportunity_search(*, near: Place | None = None, user: Any = None) -> list[OpportunityResult]:
    """Open opportunities with sessions to come, on public missions.

    With ``near``, only those in that place, inside it, across an area containing it, or next
    door, nearest first (then soonest); without it, every one, soonest first.
    """
    opportunities = list(
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, mission__status__in=Mission.PUBLIC_STATUSES
        )
        .filter(
            Exists(Session.objects.filter(opportunity=OuterRef("pk"), starts_at__gt=timezone.now()))
        )
        .select_related("organisation", "place", "mission")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .prefetch_related(_upcoming_prefetch())
    )
    results = []
    relations = (
        place_relations([near, *(o.place for o in opportunities)], neighbours_of=[near])
        if near is not None
        else None
    )
    for opportunity in opportunities:
        proximity, where = "", ""
        if near is not None and relations is not None:
            rel = relations.relation(near.code, opportunity.place.code)
            if rel not in _NEAR:
                continue
            proximity = rel.value
            where = {
                matching.Proximity.SAME: _("In %(place)s"),
                matching.Proximity.ASK_CONTAINS: _("In %(place)s"),
                matching.Proximity.OFFER_CONTAINS: _("Across %(place)s"),
                matching.Proximity.NEIGHBOUR: _("Next door, in %(place)s"),
            }[rel] % {"place": opportunity.place.display_name}
        sessions = list(opportunity.upcoming)
        _attach_sign_ups(sessions, user)
        results.append(OpportunityResult(opportunity, sessions, proximity, where))
    order = {p.value: n for n, p in enumerate(_NEAR)}
    results.sort(
        key=lambda r: (order.get(r.proximity, 0), r.sessions[0].starts_at, r.opportunity.pk)
    )
    return results


# --- the person's own coalition work -------------------------------------------------------------


@dataclass
class Mine:
    confirmed: list[SignUp]
    waiting: list[SignUp]
    past: list[SignUp]
    hours: Decimal
    pledges: list[Pledge]
    offers: list[Offer]
    asks: list[Ask]
    matches: list[Match]
    requests: list[CoalitionMember]


def mine(user: Any) -> Mine:
    now = timezone.now()
    sign_ups = list(
        SignUp.objects.filter(person=user)
        .exclude(status=SignUp.Status.CANCELLED)
        .select_related("session", "session__opportunity", "session__opportunity__place")
        .defer(*(f"session__opportunity__place__{f}" for f in _HEAVY))
        .order_by("session__starts_at", "id")
    )
    upcoming = [s for s in sign_ups if s.session.starts_at > now]
    hours = sum((s.hours or Decimal(0) for s in sign_ups if s.attended), Decimal(0))
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    pledges = list(
        Pledge.objects.filter(Q(person=user) | Q(organisation_id__in=org_ids))
        .select_related("mission", "organisation")
        .order_by("due_date", "id")
    )
    offers = list(
        Offer.objects.filter(
            Q(person=user) | Q(organisation_id__in=org_ids), status=ListingStatus.OPEN
        )
        .select_related("mission", "organisation")
        .order_by("-created_at")
    )
    asks = list(
        Ask.objects.filter(organisation_id__in=org_ids, status=ListingStatus.OPEN)
        .select_related("mission", "organisation")
        .order_by("-created_at")
    )
    matches = list(
        Match.objects.filter(
            Q(ask__organisation_id__in=org_ids)
            | Q(offer__person=user)
            | Q(offer__organisation_id__in=org_ids)
        )
        .exclude(status=Match.Status.DECLINED)
        .select_related("ask", "offer")
        .order_by("-created_at")[:50]
    )
    requests = list(
        CoalitionMember.objects.filter(organisation_id__in=org_ids)
        .select_related("mission", "organisation")
        .order_by("-created_at")[:50]
    )
    return Mine(
        confirmed=[s for s in upcoming if s.status == SignUp.Status.CONFIRMED],
        waiting=[s for s in upcoming if s.status == SignUp.Status.WAITING],
        past=[
            s
            for s in sign_ups
            if s.session.starts_at <= now and s.status == SignUp.Status.CONFIRMED
        ][::-1],
        hours=hours,
        pledges=pledges,
        offers=offers,
        asks=asks,
        matches=matches,
        requests=requests,
    )


# --- the mobilisation dashboard ------------------------------------------------------------------


@dataclass
class Dashboard:
    """The coalition's figures for a mission or a place, each chart with its table."""

    partners: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    pledges: int = 0
    by_timeliness: list[tuple[str, str, int]] = field(default_factory=list)
    fulfilled: int = 0
    on_time: int = 0
    flagged: int = 0
    money: Decimal = Decimal(0)
    in_kind: Decimal = Decimal(0)
    money_delivered: Decimal = Decimal(0)
    in_kind_delivered: Decimal = Decimal(0)
    opportunities: int = 0
    sessions: int = 0
    sign_ups: int = 0
    waiting: int = 0
    volunteers: int = 0
    hours: Decimal = Decimal(0)
    hours_by_month: list[tuple[str, Decimal, int]] = field(default_factory=list)
    asks_open: int = 0
    asks_matched: int = 0
    offers_open: int = 0
    connections: int = 0
    asks_by_category: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def match_rate(self) -> int | None:
        """Open asks with at least one connection, as a whole percentage."""
        return round(100 * self.asks_matched / self.asks_open) if self.asks_open else None

    @property
    def is_empty(self) -> bool:
        return not (
            self.partners
            or self.pledges
            or self.opportunities
            or self.asks_open
            or self.offers_open
        )

    def chart_data(self) -> dict[str, Any]:
        """The data island for the charts: labels and series, nothing the tables do not show."""
        return {
            "sectors": {
                "integer": True,
                "labels": [label for label, _n in self.by_sector],
                "series": [{"label": _("Partners"), "data": [n for _l, n in self.by_sector]}],
            },
            "pledges": {
                "integer": True,
                "labels": [label for _k, label, _n in self.by_timeliness],
                "series": [
                    {"label": _("Pledges"), "data": [n for _k, _l, n in self.by_timeliness]}
                ],
            },
            "resources": {
                "labels": [_("Money"), _("In kind")],
                "series": [
                    {"label": _("Pledged (£)"), "data": [float(self.money), float(self.in_kind)]},
                    {
                        "label": _("Delivered (£)"),
                        "data": [float(self.money_delivered), float(self.in_kind_delivered)],
                    },
                ],
            },
            "hours": {
                "labels": [label for label, _h, _n in self.hours_by_month],
                "series": [
                    {
                        "label": _("Volunteer hours"),
                        "data": [float(h) for _l, h, _n in self.hours_by_month],
                    }
                ],
            },
            "asks": {
                "integer": True,
                "labels": [label for label, _o, _m in self.asks_by_category],
                "series": [
                    {"label": _("Open asks"), "data": [o for _l, o, _m in self.asks_by_category]},
                    {
                        "label": _("With a connection"),
                        "data": [m for _l, _o, m in self.asks_by_category],
                    },
                ],
            },
        }


def _place_family(place: Place) -> list[int]:
    """``place`` and the places inside it (two levels: a county's districts, a region's boroughs)."""
    ids = [place.pk]
    children = list(Place.objects.filter(parent=place).values_list("pk", flat=True))
    grandchildren = list(Place.objects.filter(parent__in=children).values_list("pk", flat=True))
    return ids + children + grandchildren


def mission_dashboard(mission: Mission) -> Dashboard:
    return _dashboard(Q(mission=mission), mission_ids=[mission.pk])


def place_dashboard(place: Place) -> Dashboard:
    """Everything for the public missions of ``place`` and the places inside it, and everything
    located there whatever its mission."""
    family = _place_family(place)
    mission_ids = list(
        Mission.objects.filter(status__in=Mission.PUBLIC_STATUSES, places__in=family)
        .values_list("pk", flat=True)
        .distinct()
    )
    return _dashboard(Q(mission_id__in=mission_ids), mission_ids=mission_ids, place_ids=family)


def _month_labels(today: dt.date, months: int = 12) -> list[tuple[dt.date, str]]:
    from mobilise.templating import date_format

    first = today.replace(day=1)
    result = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        start = dt.date(year, month + 1, 1)
        result.append((start, date_format(start, "M Y")))
    return result


def _dashboard(
    in_missions: Q, *, mission_ids: list[int], place_ids: list[int] | None = None
) -> Dashboard:
    public = Q(mission__status__in=Mission.PUBLIC_STATUSES)
    d = Dashboard()

    # Partners: organisations, each counted once however many of the missions they are in.
    organisations = Organisation.objects.filter(
        coalition_memberships__mission_id__in=mission_ids,
        coalition_memberships__status=CoalitionMember.Status.ACCEPTED,
        coalition_memberships__mission__status__in=Mission.PUBLIC_STATUSES,
    ).distinct()
    sectors = Counter(sector for _pk, sector in set(organisations.values_list("pk", "sector")))
    d.by_sector = [
        (str(label), sectors[value]) for value, label in Sector.choices if sectors.get(value)
    ]
    d.partners = sum(n for _l, n in d.by_sector)

    located = Q(places__in=place_ids) if place_ids is not None else Q()
    pledge_filter = (in_missions | located) if place_ids is not None else in_missions
    pledges = list(
        Pledge.objects.filter(public)
        .filter(pledge_filter)
        .distinct()
        .only(
            "pk",
            "quantity",
            "delivered",
            "due_date",
            "fulfilled_on",
            "created_at",
            "money_value",
            "in_kind_value",
            "flagged_at",
        )
    )
    today = _today()
    counts = Counter(p.timeliness(today) for p in pledges)
    d.pledges = len(pledges)
    d.by_timeliness = [
        (value, str(label), counts.get(value, 0)) for value, label in Timeliness.choices
    ]
    d.fulfilled = counts[Timeliness.ON_TIME] + counts[Timeliness.LATE]
    d.on_time = counts[Timeliness.ON_TIME] + counts[Timeliness.ON_TRACK]
    d.flagged = sum(1 for p in pledges if p.flagged_at)
    for p in pledges:
        share = Decimal(str(p.share_delivered))
        d.money += p.money_value or 0
        d.in_kind += p.in_kind_value or 0
        d.money_delivered += (p.money_value or 0) * share
        d.in_kind_delivered += (p.in_kind_value or 0) * share
    d.money_delivered = d.money_delivered.quantize(Decimal("1"))
    d.in_kind_delivered = d.in_kind_delivered.quantize(Decimal("1"))

    where = in_missions | Q(place_id__in=place_ids) if place_ids is not None else in_missions
    # Each block below is one query: the dashboard sits on every mission page.
    opportunities = Opportunity.objects.filter(public).filter(where)
    counts = opportunities.aggregate(
        opportunities=Count("pk", distinct=True), sessions=Count("sessions", distinct=True)
    )
    d.opportunities, d.sessions = counts["opportunities"], counts["sessions"]

    tz = timezone.get_current_timezone()
    months = _month_labels(today)
    edges = [dt.datetime.combine(start, dt.time(), tzinfo=tz) for start, _label in months]
    edges.append(dt.datetime.combine(_next_month(months[-1][0]), dt.time(), tzinfo=tz))
    attended = Q(attended=True)
    per_month: dict[str, Any] = {}
    for n, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
        in_month = attended & Q(session__starts_at__gte=start, session__starts_at__lt=end)
        per_month[f"hours_{n}"] = Sum("hours", filter=in_month)
        per_month[f"people_{n}"] = Count("pk", filter=in_month)
    totals = SignUp.objects.filter(session__opportunity__in=opportunities).aggregate(
        confirmed=Count("pk", filter=Q(status=SignUp.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignUp.Status.WAITING)),
        people=Count("person", filter=Q(status=SignUp.Status.CONFIRMED), distinct=True),
        total_hours=Sum("hours", filter=attended),
        **per_month,
    )
    d.sign_ups, d.waiting, d.volunteers = totals["confirmed"], totals["waiting"], totals["people"]
    d.hours = totals["total_hours"] or Decimal(0)
    d.hours_by_month = [
        (label, totals[f"hours_{n}"] or Decimal(0), totals[f"people_{n}"])
        for n, (_start, label) in enumerate(months)
    ]

    # Every ask in scope, open or closed, with its connections: open ones by kind, and all the
    # connections made.
    asks = (
        Ask.objects.filter(public)
        .filter(where)
        .annotate(connected=Count("matches", filter=Q(matches__status=Match.Status.CONNECTED)))
        .values_list("category", "status", "connected")
    )
    by_category: dict[str, list[int]] = {}
    for category, status, connected in asks:
        d.connections += connected
        if status == ListingStatus.OPEN:
            row = by_category.setdefault(category, [0, 0])
            row[0] += 1
            row[1] += int(connected > 0)
    d.asks_by_category = [
        (str(label), *by_category[value])
        for value, label in Category.choices
        if value in by_category
    ]
    d.asks_open = sum(o for _l, o, _m in d.asks_by_category)
    d.asks_matched = sum(m for _l, _o, m in d.asks_by_category)
    d.offers_open = Offer.objects.filter(public).filter(where, status=ListingStatus.OPEN).count()
    return d


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- CSV exports ---------------------------------------------------------------------------------


def pledge_rows(mission: Mission) -> Iterable[list[Any]]:
    today = _today()
    labels = dict(Timeliness.choices)
    for pledge in mission_pledges(mission):
        yield [
            pledge.pk,
            pledge.organisation.name if pledge.organisation else _("A resident"),
            pledge.organisation.get_sector_display() if pledge.organisation else "",
            pledge.title,
            pledge.outcome.title if pledge.outcome else "",
            pledge.toc_node.title if pledge.toc_node else "",
            "; ".join(p.code for p in pledge.places.all()),
            pledge.quantity,
            pledge.unit,
            pledge.due_date.isoformat(),
            pledge.money_value if pledge.money_value is not None else "",
            pledge.in_kind_value if pledge.in_kind_value is not None else "",
            pledge.delivered,
            round(pledge.share_delivered * 100),
            pledge.fulfilled_on.isoformat() if pledge.fulfilled_on else "",
            str(labels[pledge.timeliness(today)]),
            pledge.created_at.date().isoformat(),
        ]


def opportunity_rows(mission: Mission) -> Iterable[list[Any]]:
    opportunities = (
        Opportunity.objects.filter(mission=mission)
        .select_related("organisation", "place")
        .defer(*(f"place__{f}" for f in _HEAVY))
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.annotate(
                    waiting=Count("sign_ups", filter=Q(sign_ups__status=SignUp.Status.WAITING)),
                    attended=Count("sign_ups", filter=Q(sign_ups__attended=True)),
                    hours_given=Sum("sign_ups__hours", filter=Q(sign_ups__attended=True)),
                ).order_by("starts_at", "id"),
            )
        )
        .order_by("role", "id")
    )
    for opportunity in opportunities:
        for session in opportunity.sessions.all():
            yield [
                opportunity.pk,
                opportunity.role,
                opportunity.organisation.name,
                opportunity.place.code,
                opportunity.location,
                opportunity.get_status_display(),
                "yes" if opportunity.dbs_check_required else "no",
                opportunity.minimum_age if opportunity.minimum_age is not None else "",
                session.pk,
                timezone.localtime(session.starts_at).isoformat(),
                timezone.localtime(session.ends_at).isoformat(),
                session.capacity,
                session.confirmed_count,
                session.waiting,
                session.attended,
                session.hours_given or 0,
            ]
