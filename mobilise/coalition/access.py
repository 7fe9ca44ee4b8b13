"""Who may do what in a coalition, and the only way views fetch the objects they protect.

Each ``access_*`` helper takes the signed-in user and the identifiers from the URL and returns the
object or raises ``Http404`` (it does not exist, or its mission is a draft the person cannot see) or
``PermissionDenied`` (it exists, but is not theirs to change). The ``can_*`` and ``*_organisations``
helpers answer the same questions for templates and services.

The people involved:

* **mission leads** – those who may edit the mission (``missions.access.can_edit_mission``): they
  decide on members, flag pledges, post asks as the mission team and propose matches;
* **members of a coalition organisation** – any member of an organisation in the coalition (the
  mission's owner counts as one): they pledge, ask, offer and run volunteering for it;
* **organisation admins** ask for their organisation to join;
* **anyone signed in** pledges or offers as a resident and signs up to volunteer.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mobilise.accounts.models import Membership, Organisation
from mobilise.missions.access import (
    access_mission_for_edit,
    access_mission_for_view,
    can_edit_mission,
    can_view_mission,
)
from mobilise.missions.models import Mission

from .models import Ask, CoalitionMember, Match, Offer, Opportunity, Pledge, Session, SignUp


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_coalition(user: Any, mission: Mission) -> bool:
    """Mission leads of the owning organisation, and platform admins."""
    return can_edit_mission(user, mission)


def coalition_organisation_ids(mission: Mission) -> QuerySet:
    """The organisations in the coalition: accepted members, and the mission's owner."""
    return Organisation.objects.filter(
        Q(pk=mission.owner_id)
        | Q(
            coalition_memberships__mission=mission,
            coalition_memberships__status=CoalitionMember.Status.ACCEPTED,
        )
    ).values("pk")


def _user_organisation_ids(user: Any, *, admin: bool = False) -> QuerySet:
    memberships = Membership.objects.filter(user=user)
    if admin:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    return memberships.values("organisation_id")


def acting_organisations(user: Any, mission: Mission) -> QuerySet[Organisation]:
    """Coalition organisations ``user`` belongs to: those they may pledge, ask or organise for."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(pk__in=coalition_organisation_ids(mission))
        .filter(pk__in=_user_organisation_ids(user))
        .order_by("name")
    )


def offering_organisations(user: Any) -> QuerySet[Organisation]:
    """Any organisation ``user`` belongs to may offer something: offering is a way in."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_user_organisation_ids(user)).order_by("name")


def joinable_organisations(user: Any, mission: Mission) -> QuerySet[Organisation]:
    """Organisations ``user`` is an admin of that are neither in the coalition nor waiting to be."""
    if not _signed_in(user):
        return Organisation.objects.none()
    live = CoalitionMember.objects.filter(
        mission=mission, status__in=CoalitionMember.LIVE_STATUSES
    ).values("organisation_id")
    return (
        Organisation.objects.filter(pk__in=_user_organisation_ids(user, admin=True))
        .exclude(pk=mission.owner_id)
        .exclude(pk__in=live)
        .order_by("name")
    )


def can_act_for_coalition(user: Any, mission: Mission) -> bool:
    """May ask and organise volunteering: a mission lead or a member of a coalition organisation."""
    return can_manage_coalition(user, mission) or acting_organisations(user, mission).exists()


def is_member_of(user: Any, organisation_id: int | None) -> bool:
    if not _signed_in(user) or organisation_id is None:
        return False
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def is_pledger(user: Any, pledge: Pledge) -> bool:
    """The resident who pledged, or any member of the pledging organisation."""
    if not _signed_in(user):
        return False
    if pledge.person_id is not None:
        return pledge.person_id == user.pk
    return is_member_of(user, pledge.organisation_id)


def is_ask_side(user: Any, ask: Ask) -> bool:
    return is_member_of(user, ask.organisation_id)


def is_offer_side(user: Any, offer: Offer) -> bool:
    if not _signed_in(user):
        return False
    if offer.person_id is not None:
        return offer.person_id == user.pk
    return is_member_of(user, offer.organisation_id)


def has_people(listing: Ask | Offer) -> bool:
    """Someone on this site can answer for this side of a match: the resident who offered, or an
    active member of the organisation. When nobody can, a mission lead answers for it (records
    its consent, or e-mails it the other side's details), so the match does not wait for ever."""
    if getattr(listing, "person_id", None) is not None:
        return True
    return Membership.objects.filter(
        organisation_id=listing.organisation_id, user__is_active=True
    ).exists()


def can_manage_ask(user: Any, ask: Ask) -> bool:
    return is_ask_side(user, ask) or can_manage_coalition(user, ask.mission)


def can_manage_offer(user: Any, offer: Offer) -> bool:
    return is_offer_side(user, offer) or can_manage_coalition(user, offer.mission)


def can_manage_opportunity(user: Any, opportunity: Opportunity) -> bool:
    return is_member_of(user, opportunity.organisation_id) or can_manage_coalition(
        user, opportunity.mission
    )


# --- fetching ------------------------------------------------------------------------------------


def access_mission_for_coalition(user: Any, slug: str) -> Mission:
    """A mission whose coalition the person may see: any public mission, or a draft they lead."""
    return access_mission_for_view(user, slug)


def access_mission_for_coalition_management(user: Any, slug: str) -> Mission:
    return access_mission_for_edit(user, slug)


def access_mission_for_acting(user: Any, slug: str) -> Mission:
    """For posting asks and volunteering opportunities."""
    mission = access_mission_for_view(user, slug)
    if not can_act_for_coalition(user, mission):
        raise PermissionDenied
    return mission


def _get(queryset: QuerySet, pk: int) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _visible(user: Any, obj: Any) -> Any:
    # Everything in a coalition shares its mission's visibility: a draft's is hidden (404).
    if not can_view_mission(user, obj.mission):
        raise Http404
    return obj


def access_member_for_decision(user: Any, slug: str, member_id: int) -> CoalitionMember:
    mission = access_mission_for_edit(user, slug)
    member = _get(
        CoalitionMember.objects.select_related("organisation", "requested_by").filter(
            mission=mission
        ),
        member_id,
    )
    member.mission = mission
    return member


def _pledges() -> QuerySet[Pledge]:
    return Pledge.objects.select_related(
        "mission", "mission__owner", "organisation", "person", "outcome", "toc_node"
    )


def access_pledge_for_view(user: Any, pledge_id: int) -> Pledge:
    return _visible(user, _get(_pledges(), pledge_id))


def access_pledge_for_progress(user: Any, pledge_id: int) -> Pledge:
    """Only the pledger reports progress on a pledge."""
    pledge = access_pledge_for_view(user, pledge_id)
    if not is_pledger(user, pledge):
        raise PermissionDenied
    return pledge


def access_pledge_for_flag(user: Any, pledge_id: int) -> Pledge:
    pledge = access_pledge_for_view(user, pledge_id)
    if not can_manage_coalition(user, pledge.mission):
        raise PermissionDenied
    return pledge


def _asks() -> QuerySet[Ask]:
    return Ask.objects.select_related("mission", "mission__owner", "organisation", "place").defer(
        "place__boundary"
    )


def _offers() -> QuerySet[Offer]:
    return Offer.objects.select_related(
        "mission", "mission__owner", "organisation", "person", "place"
    ).defer("place__boundary")


def access_ask_for_view(user: Any, ask_id: int) -> Ask:
    return _visible(user, _get(_asks(), ask_id))


def access_ask_for_managing(user: Any, ask_id: int) -> Ask:
    """For matching and closing an ask: its organisation's members and the mission leads."""
    ask = access_ask_for_view(user, ask_id)
    if not can_manage_ask(user, ask):
        raise PermissionDenied
    return ask


def access_offer_for_view(user: Any, offer_id: int) -> Offer:
    return _visible(user, _get(_offers(), offer_id))


def access_offer_for_managing(user: Any, offer_id: int) -> Offer:
    offer = access_offer_for_view(user, offer_id)
    if not can_manage_offer(user, offer):
        raise PermissionDenied
    return offer


def access_match(user: Any, match_id: int) -> Match:
    """Both sides of a match, and the mission leads who may have proposed it."""
    match = _get(
        Match.objects.select_related(
            "ask",
            "ask__mission",
            "ask__mission__owner",
            "ask__organisation",
            "ask__made_by",
            "offer",
            "offer__mission",
            "offer__organisation",
            "offer__person",
            "offer__made_by",
        ),
        match_id,
    )
    if not can_view_mission(user, match.ask.mission):
        raise Http404
    if not (
        is_ask_side(user, match.ask)
        or is_offer_side(user, match.offer)
        or can_manage_coalition(user, match.ask.mission)
    ):
        raise PermissionDenied
    return match


def _opportunities() -> QuerySet[Opportunity]:
    return Opportunity.objects.select_related(
        "mission", "mission__owner", "organisation", "place"
    ).defer("place__boundary")


def access_opportunity_for_view(user: Any, opportunity_id: int) -> Opportunity:
    return _visible(user, _get(_opportunities(), opportunity_id))


def access_opportunity_for_managing(user: Any, opportunity_id: int) -> Opportunity:
    """The organising organisation's members and the mission leads."""
    opportunity = access_opportunity_for_view(user, opportunity_id)
    if not can_manage_opportunity(user, opportunity):
        raise PermissionDenied
    return opportunity


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related(
        "opportunity",
        "opportunity__mission",
        "opportunity__mission__owner",
        "opportunity__organisation",
        "opportunity__place",
    ).defer("opportunity__place__boundary")


def access_session_for_view(user: Any, session_id: int) -> Session:
    session = _get(_sessions(), session_id)
    _visible(user, session.opportunity)
    return session


def access_session_for_managing(user: Any, session_id: int) -> Session:
    session = access_session_for_view(user, session_id)
    if not can_manage_opportunity(user, session.opportunity):
        raise PermissionDenied
    return session


def access_sign_up_for_cancelling(user: Any, sign_up_id: int) -> SignUp:
    """Only the person who signed up cancels their place."""
    sign_up = _get(
        SignUp.objects.select_related(
            "session",
            "session__opportunity",
            "session__opportunity__mission",
            "session__opportunity__place",
        ).defer("session__opportunity__place__boundary"),
        sign_up_id,
    )
    if not _signed_in(user) or sign_up.person_id != user.pk:
        raise PermissionDenied
    return sign_up
