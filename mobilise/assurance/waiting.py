"""Overdue council actions and failed stocktake packs, for "Waiting for you" on the dashboard of
the people who deal with them – mission leads and the council's secretariat (registered in
``apps.py`` with ``core.sections.waiting_for_you``)."""

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from mobilise.core.sections import Waiting, waiting_per_group
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
    overdue = Action.objects.filter(
        council__mission__in=missions,
        status__in=Action.OPEN_STATUSES,
        due_date__lt=timezone.localdate(),
    )
    failed = Pack.objects.filter(mission__in=missions, status=Pack.Status.FAILED)
    return [
        *waiting_per_group(
            overdue,
            key="council__mission__slug",
            name="council__mission__title",
            label=lambda n: ngettext(
                "%(num)s overdue action for the %(name)s council",
                "%(num)s overdue actions for the %(name)s council",
                n,
            ),
            url_name="assurance:council",
        ),
        *waiting_per_group(
            failed,
            key="mission__slug",
            name="mission__title",
            label=lambda n: ngettext(
                "%(num)s stocktake pack for %(name)s failed",
                "%(num)s stocktake packs for %(name)s failed",
                n,
            ),
            url_name="assurance:packs",
        ),
    ]
