"""Statements waiting for moderation, for "Waiting for you" on a mission lead's dashboard
(registered in ``apps.py`` with ``core.sections.waiting_for_you``)."""

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from mobilise.core.sections import Waiting
from mobilise.missions.access import missions_led_by

from .models import Statement


def statements_to_moderate(user: Any) -> list[Waiting]:
    rows = (
        Statement.objects.filter(
            status=Statement.Status.PENDING, conversation__mission__in=missions_led_by(user)
        )
        .values("conversation_id", "conversation__question")
        .annotate(n=Count("pk"))
        .order_by("conversation__question")
    )
    return [
        Waiting(
            ngettext(
                "%(num)s statement to moderate in ‘%(question)s’",
                "%(num)s statements to moderate in ‘%(question)s’",
                row["n"],
            )
            % {"num": row["n"], "question": row["conversation__question"]},
            row["n"],
            reverse("deliberation:moderate", args=[row["conversation_id"]]),
        )
        for row in rows
    ]
