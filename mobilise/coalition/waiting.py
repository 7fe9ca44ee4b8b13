"""What waits for a person in coalitions, for "Waiting for you" on their dashboard (registered in
``apps.py`` with ``core.sections.waiting_for_you``).

A mission lead sees, per mission they lead, the requests to join waiting for a decision and the
matches waiting for a reply; anyone on a side of a match sees the matches waiting for their reply.
"""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from mobilise.core.sections import Waiting
from mobilise.missions.access import missions_led_by

from .models import CoalitionMember, Match


def for_lead(user: Any) -> list[Waiting]:
    missions = missions_led_by(user)
    items: list[Waiting] = []
    requests = (
        CoalitionMember.objects.filter(mission__in=missions, status=CoalitionMember.Status.PENDING)
        .values("mission__slug", "mission__title")
        .annotate(n=Count("pk"))
        .order_by("mission__title")
    )
    for row in requests:
        items.append(
            Waiting(
                ngettext(
                    "%(num)s request to join the %(mission)s coalition",
                    "%(num)s requests to join the %(mission)s coalition",
                    row["n"],
                )
                % {"num": row["n"], "mission": row["mission__title"]},
                row["n"],
                reverse("coalition:members", args=[row["mission__slug"]]),
            )
        )
    matches = (
        Match.objects.filter(ask__mission__in=missions, status=Match.Status.PROPOSED)
        .values("ask__mission__slug", "ask__mission__title")
        .annotate(n=Count("pk"))
        .order_by("ask__mission__title")
    )
    for row in matches:
        items.append(
            Waiting(
                ngettext(
                    "%(num)s match in %(mission)s waiting for a decision",
                    "%(num)s matches in %(mission)s waiting for a decision",
                    row["n"],
                )
                % {"num": row["n"], "mission": row["ask__mission__title"]},
                row["n"],
                reverse("coalition:matches", args=[row["ask__mission__slug"]]),
            )
        )
    return items


def for_sides(user: Any) -> list[Waiting]:
    """Matches waiting for this person's own reply (as a member of a side, or the resident)."""
    if not user.is_authenticated:
        return []
    orgs = user.memberships.values("organisation_id")
    mine = list(
        Match.objects.filter(status=Match.Status.PROPOSED)
        .filter(
            Q(ask__organisation__in=orgs, ask_consented_at__isnull=True)
            | Q(offer__organisation__in=orgs, offer_consented_at__isnull=True)
            | Q(offer__person=user, offer_consented_at__isnull=True)
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)[:100]
    )
    if not mine:
        return []
    href = (
        reverse("coalition:match_detail", args=[mine[0]])
        if len(mine) == 1
        else reverse("coalition:mine")
    )
    return [
        Waiting(
            ngettext(
                "%(num)s match waiting for your reply",
                "%(num)s matches waiting for your reply",
                len(mine),
            )
            % {"num": len(mine)},
            len(mine),
            href,
        )
    ]
