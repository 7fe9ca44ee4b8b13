"""Budgeting on other apps' pages (registered in ``apps.py``): the mission page's rounds and
delivery, and the mission's evidence for assessments and stocktake packs."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mobilise.core.sections import Evidence

from . import selectors, services
from .access import can_run_round
from .models import BudgetRound, Phase


def mission_section(request: HttpRequest, mission: Any) -> str | None:
    rounds = selectors.mission_rounds(mission)
    can_run = can_run_round(request.user, BudgetRound(mission=mission))
    if not rounds and not can_run:
        return None
    return render_to_string(
        "budgeting/_mission_section.html",
        {
            "mission": mission,
            "rounds": rounds,
            "items": selectors.delivery_items(rounds),
            "can_run": can_run,
            "money": services.money,
            "phases": Phase,
        },
        request=request,
    )


def mission_evidence(mission: Any, since: Any = None) -> Evidence | None:
    figures = selectors.mission_figures(mission, since)
    if figures is None:
        return None
    spend = "; ".join(services.money(total, currency) for currency, total in figures.spend.items())
    return Evidence(
        key="budgeting",
        title=_("Participatory budgeting"),
        figures=[
            (
                _("Budget rounds"),
                _("%(rounds)s (%(open)s open)")
                % {"rounds": figures.rounds, "open": figures.open_rounds},
            ),
            (
                _("Ballots cast") if since is None else _("Ballots cast or changed since"),
                f"{figures.ballots:,}",
            ),
            (_("Projects funded"), f"{figures.funded:,}"),
            (_("Funded spend"), spend or "–"),
            (
                _("Delivery"),
                _("%(done)s of %(funded)s done; %(progress)s%% average progress")
                % {
                    "done": figures.delivered,
                    "funded": figures.funded,
                    "progress": figures.average_progress,
                },
            ),
        ],
        highlights=[_("Delivered: %(title)s") % {"title": t} for t in figures.highlights],
        link=reverse("budgeting:index"),
    )
