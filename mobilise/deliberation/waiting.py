"""Statements waiting for moderation, for "Waiting for you" on a mission lead's dashboard
(registered in ``apps.py`` with ``core.sections.waiting_for_you``)."""

from typing import Any

from django.utils.translation import ngettext

from mobilise.core.sections import Waiting, waiting_per_group
from mobilise.missions.access import missions_led_by

from .models import Statement


def statements_to_moderate(user: Any) -> list[Waiting]:
    pending = Statement.objects.filter(
        status=Statement.Status.PENDING, conversation__mission__in=missions_led_by(user)
    )
    return waiting_per_group(
        pending,
        key="conversation_id",
        name="conversation__question",
        label=lambda n: ngettext(
            "%(num)s statement to moderate in ‘%(name)s’",
            "%(num)s statements to moderate in ‘%(name)s’",
            n,
        ),
        url_name="deliberation:moderate",
    )
