"""The coalition's sections on mission and place pages (registered in ``apps.py``).

A mission page shows its mobilisation dashboard (figures, charts and tables) and links to the
coalition; a place page shows the place's figures when there is any coalition work there; "Your
account" links to the person's own coalition work.
"""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _

from mobilise.core.sections import YourPage

from . import access, selectors


def mission_section(request: HttpRequest, mission: Any) -> str:
    dashboard = selectors.mission_dashboard(mission)
    return render_to_string(
        "coalition/_mission_section.html",
        {
            "mission": mission,
            "dashboard": dashboard,
            "prefix": "mission-coalition",
            "chart_data": json_script(dashboard.chart_data(), "mission-coalition-data"),
            "can_join": access.joinable_organisations(request.user, mission).exists(),
        },
        request=request,
    )


def place_section(request: HttpRequest, place: Any) -> str | None:
    dashboard = selectors.place_dashboard(place)
    if dashboard.is_empty:
        return None
    return render_to_string(
        "coalition/_place_section.html", {"place": place, "dashboard": dashboard}, request=request
    )


def your_pages(user: Any) -> list[YourPage]:
    """Volunteering sessions and hours, pledges and offers: one page of the person's own work."""
    return [YourPage(_("Your pledges, offers and volunteering"), reverse("coalition:mine"))]
