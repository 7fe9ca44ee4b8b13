"""What waits for a person in coalitions, for "Waiting for you" on their dashboard (registered in
``apps.py`` with ``core.sections.waiting_for_you``).

A mission lead sees, per mission they lead, the requests to join waiting for a decision and the
matches waiting for a reply; anyone on a side of a match sees the matches waiting for their reply;
an organiser (a member of the organising organisation, or the mission's lead) sees the volunteering
sessions that have ended with nobody's attendance recorded yet, so the hours can count.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobilise.core.sections import Waiting, waiting_per_group
from mobilise.missions.access import missions_led_by

from .models import CoalitionMember, Match, Session, SignUp

# How far back a session without attendance still waits for its organiser.
ATTENDANCE_WINDOW = timedelta(days=60)


def for_lead(user: Any) -> list[Waiting]:
    missions = missions_led_by(user)
    requests = CoalitionMember.objects.filter(
        mission__in=missions, status=CoalitionMember.Status.PENDING
    )
    matches = Match.objects.filter(ask__mission__in=missions, status=Match.Status.PROPOSED)
    return [
        *waiting_per_group(
            requests,
            key="mission__slug",
            name="mission__title",
            label=lambda n: ngettext(
                "%(num)s request to join the %(name)s coalition",
                "%(num)s requests to join the %(name)s coalition",
                n,
            ),
            url_name="coalition:members",
        ),
        *waiting_per_group(
            matches,
            key="ask__mission__slug",
            name="ask__mission__title",
            label=lambda n: ngettext(
                "%(num)s match in %(name)s waiting for a decision",
                "%(num)s matches in %(name)s waiting for a decision",
                n,
            ),
            url_name="coalition:matches",
        ),
    ]


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


def for_organisers(user: Any) -> list[Waiting]:
    """Sessions that have ended, in the last 60 days, with people confirmed and nobody's attendance
    recorded: one item each (at most five), linking to the attendance page."""
    if not user.is_authenticated:
        return []
    from mobilise.templating import date_format

    now = timezone.now()
    orgs = user.memberships.values("organisation_id")
    sessions = list(
        Session.objects.filter(
            Q(opportunity__organisation__in=orgs)
            | Q(opportunity__mission__in=missions_led_by(user)),
            ends_at__lte=now,
            ends_at__gt=now - ATTENDANCE_WINDOW,
            confirmed_count__gt=0,
        )
        .exclude(
            Exists(
                SignUp.objects.filter(
                    session=OuterRef("pk"),
                    status=SignUp.Status.CONFIRMED,
                    attended__isnull=False,
                )
            )
        )
        .select_related("opportunity")
        .order_by("starts_at", "id")[:5]
    )
    return [
        Waiting(
            _("Record who came to %(role)s on %(date)s")
            % {"role": s.opportunity.role, "date": date_format(s.starts_at)},
            s.confirmed_count,
            reverse("coalition:session_attendance", args=[s.pk]),
        )
        for s in sessions
    ]
