"""Test and learn on other apps' pages (registered in ``apps.py``): the mission page's pilots and
learnings, its own and other places' on the measures it is judged by."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from mobilise.missions.access import can_edit_mission

from . import selectors


def mission_section(request: HttpRequest, mission: Any) -> str | None:
    can_register = can_edit_mission(request.user, mission)
    pilots = selectors.mission_pilots(mission, leads=can_register)
    own, others = selectors.mission_learnings(mission, leads=can_register)
    if not (pilots or own or others or can_register):
        return None
    return render_to_string(
        "learning/_mission_section.html",
        {
            "mission": mission,
            "pilots": pilots,
            "own": own,
            "others": others,
            "can_register": can_register,
        },
        request=request,
    )
