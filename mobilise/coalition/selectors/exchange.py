"""Reads about the exchange: asks and offers, ranked suggestions and reasons, matches."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from mobilise.accounts.models import Membership
from mobilise.coalition.models import (
    Ask,
    Category,
    ListingStatus,
    Match,
    Offer,
)
from mobilise.engines import matching
from mobilise.missions.models import Mission
from mobilise.places.models import Place
from mobilise.places.selectors import neighbours_and_map

from ._common import _HEAVY, MAX_SUGGESTIONS, MIN_MATCH_SCORE, _light_places, _today

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
    # The quantities are in units that do not convert: the score says nothing about quantity.
    units_differ: bool = False

    @property
    def percent(self) -> int | None:
        """The score as a percentage, or None when the units differ (the page says so instead)."""
        return None if self.units_differ else round(self.score * 100)


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
            by_id[m.offer_id],
            m.score,
            reason_texts(m.reasons, names),
            existing.get(m.offer_id),
            units_differ=m.units_differ,
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
        Suggestion(
            by_id[m.ask_id],
            m.score,
            reason_texts(m.reasons, names),
            existing.get(m.ask_id),
            units_differ=m.units_differ,
        )
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
    if code == "units_converted":
        return _(
            "%(offered)s %(offer_unit)s is %(converted)s %(unit)s (counting a day as 8 hours)"
        ) % {**amounts, "converted": _number(p.get("converted", 0))}
    if code == "different_units":
        return (
            _("Units differ: offers %(offered)s %(offer_unit)s; asks for %(asked)s %(unit)s")
            % amounts
        )
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


def mission_matches(mission: Mission, *, status: str = Match.Status.PROPOSED) -> list[Match]:
    """A mission's matches in one status (those waiting for a reply, by default), oldest first,
    each with ``needs_lead`` set when a side that has not agreed has nobody on the site."""
    matches = list(
        Match.objects.filter(ask__mission=mission, status=status)
        .select_related("ask", "ask__organisation", "offer", "offer__organisation", "offer__person")
        .order_by("created_at", "id")
    )
    org_ids = {m.ask.organisation_id for m in matches} | {
        m.offer.organisation_id for m in matches if m.offer.organisation_id
    }
    staffed = set(
        Membership.objects.filter(organisation_id__in=org_ids, user__is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    for m in matches:
        m.waiting_for = [
            side.organisation.name if side.organisation else _("the resident")
            for side, agreed in ((m.ask, m.ask_consented_at), (m.offer, m.offer_consented_at))
            if agreed is None
        ]
        m.needs_lead = (m.ask_consented_at is None and m.ask.organisation_id not in staffed) or (
            m.offer_consented_at is None
            and m.offer.person_id is None
            and m.offer.organisation_id not in staffed
        )
    return matches


def held_email(organisation: Any) -> str:
    """The address a lead last e-mailed this organisation's matches to, to offer it again."""
    if organisation is None:
        return ""
    return (
        Match.objects.filter(
            Q(ask__organisation=organisation) | Q(offer__organisation=organisation)
        )
        .exclude(handed_over_to="")
        .order_by("-updated_at", "-id")
        .values_list("handed_over_to", flat=True)
        .first()
        or ""
    )
