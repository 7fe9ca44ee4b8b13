"""Reads for pilots."""

from typing import Any

from django.db.models import Q, QuerySet

from mobilise.accounts.models import Organisation
from mobilise.coalition.access import coalition_organisation_ids
from mobilise.indicators.models import Indicator
from mobilise.missions.access import missions_led_by
from mobilise.missions.models import Mission

from .models import Pilot


def pilots_visible_to(user: Any) -> QuerySet[Pilot]:
    """Published pilots of public missions, and every pilot of the missions ``user`` leads."""
    public = Q(published=True, mission__status__in=Mission.PUBLIC_STATUSES)
    led = Q(mission__in=missions_led_by(user).values("pk"))
    return (
        Pilot.objects.filter(public | led)
        .select_related("mission")
        .prefetch_related("treated_places")
        .distinct()
    )


def partner_choices(mission: Mission) -> QuerySet[Organisation]:
    """The organisations a pilot may name as partners: those in the mission's coalition."""
    return Organisation.objects.filter(pk__in=coalition_organisation_ids(mission)).order_by("name")


def indicator_choices(mission: Mission) -> QuerySet[Indicator]:
    """Indicators measuring the mission's outcomes; every indicator if none is linked yet."""
    linked = Indicator.objects.filter(links__outcome__mission=mission).distinct()
    if linked.exists():
        return linked.order_by("title")
    return Indicator.objects.order_by("title")


def deviations(pilot: Pilot) -> list:
    return list(pilot.deviations.select_related("changed_by"))


def replications(pilot: Pilot, user: Any) -> list[Pilot]:
    return list(pilots_visible_to(user).filter(replicates=pilot))
