"""Assurance on mission pages (registered in ``apps.py``): every mission shows its delivery
confidence and links to its council and stocktakes; a national mission also shows the roll-up of
the local missions that contribute to it."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from mobilise.indicators import selectors as indicators
from mobilise.missions.models import Mission

from . import access, rollup, selectors


def mission_section(request: HttpRequest, mission: Any) -> str | None:
    latest, has_council = selectors.mission_headline(mission)
    current = latest[0] if latest else None
    previous = latest[1] if len(latest) > 1 else None
    return render_to_string(
        "assurance/_mission_section.html",
        {
            "mission": mission,
            "latest": current,
            "change": selectors.change_label(current, previous),
            "has_council": has_council,
            "can_assess": access.can_assess(request.user, mission),
            "rating_tag": selectors.rating_tag,
            "rating_meaning": selectors.rating_meaning,
        },
        request=request,
    )


def national_section(request: HttpRequest, mission: Any) -> str | None:
    if mission.scope != Mission.Scope.NATIONAL:
        return None
    data = rollup.national_rollup(mission)
    return render_to_string(
        "assurance/_rollup_section.html",
        {
            "mission": mission,
            "rollup": data,
            "map": rollup.rollup_map(data),
            "rating_tag": selectors.rating_tag,
            "status_label": indicators.status_label,
        },
        request=request,
    )
