"""Reads about volunteering: sessions, sign-ups, opportunities near a place."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.coalition.models import (
    Opportunity,
    Session,
    SignUp,
)
from mobilise.engines import matching
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import _HEAVY
from .exchange import place_relations

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
