"""Reads about pledges and the choices a pledge form offers."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from mobilise.coalition.models import (
    Offer,
    Pledge,
    PledgeUpdate,
)
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place
from mobilise.places.selectors import neighbours_and_map

from ._common import _light_places

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


def pledge_offers(pledge: Pledge) -> list[Offer]:
    """The offers made from a pledge in the exchange, newest first."""
    return list(
        pledge.offers.select_related("place")
        .defer("place__boundary", "place__bbox")
        .order_by("-created_at", "-id")
    )
