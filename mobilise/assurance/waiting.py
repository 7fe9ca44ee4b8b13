"""Overdue council actions and failed stocktake packs, for "Waiting for you" on the dashboard of
the people who deal with them – mission leads and the council's secretariat (registered in
``apps.py`` with ``core.sections.waiting_for_you``)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from mobilise.core.sections import Waiting
from mobilise.missions.access import missions_led_by
from mobilise.missions.models import Mission

from .models import Action, CouncilMember, Pack


def _missions(user: Any):  # type: ignore[no-untyped-def]
    if not user.is_authenticated:
        return Mission.objects.none()
    secretariat = CouncilMember.objects.in_term().filter(
        user=user, role=CouncilMember.Role.SECRETARIAT
    )
    return Mission.objects.filter(
        Q(pk__in=missions_led_by(user).values("pk"))
        | Q(pk__in=secretariat.values("council__mission_id"))
    )


def overdue_and_failed(user: Any) -> list[Waiting]:
    missions = _missions(user)
    items: list[Waiting] = []
    overdue = (
        Action.objects.filter(
            council__mission__in=missions,
            status__in=Action.OPEN_STATUSES,
            due_date__lt=timezone.localdate(),
        )
        .values("council__mission__slug", "council__mission__title")
        .annotate(n=Count("pk"))
        .order_by("council__mission__title")
    )
    for row in overdue:
        items.append(
            Waiting(
                ngettext(
                    "%(num)s overdue action for the %(mission)s council",
                    "%(num)s overdue actions for the %(mission)s council",
                    row["n"],
                )
                % {"num": row["n"], "mission": row["council__mission__title"]},
                row["n"],
                reverse("assurance:council", args=[row["council__mission__slug"]]),
            )
        )
    failed = (
        Pack.objects.filter(mission__in=missions, status=Pack.Status.FAILED)
        .values("mission__slug", "mission__title")
        .annotate(n=Count("pk"))
        .order_by("mission__title")
    )
    for row in failed:
        items.append(
            Waiting(
                ngettext(
                    "%(num)s stocktake pack for %(mission)s failed",
                    "%(num)s stocktake packs for %(mission)s failed",
                    row["n"],
                )
                % {"num": row["n"], "mission": row["mission__title"]},
                row["n"],
                reverse("assurance:packs", args=[row["mission__slug"]]),
            )
        )
    return items
