"""What the coalition says about a mission, for assessment forms and stocktake packs
(registered in ``apps.py`` on ``core.sections.mission_evidence``): pledges, their timeliness and
fulfilment, and volunteering. Figures are all-time (a pledge's progress is cumulative).
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobilise.core.sections import Evidence

from . import selectors


def mission_evidence(mission: Any, since: Any = None) -> Evidence | None:
    d = selectors.mission_dashboard(mission)
    if d.is_empty:
        return None
    late = sum(n for key, _label, n in d.by_timeliness if key in ("late", "behind", "overdue"))
    figures = [
        (_("Coalition partners"), str(d.partners)),
        (_("Pledges"), str(d.pledges)),
        (
            _("Pledges on time or on track"),
            _("%(n)s of %(total)s") % {"n": d.on_time, "total": d.pledges},
        ),
        (_("Pledges late, behind or overdue"), str(late)),
        (_("Pledges fulfilled"), _("%(n)s of %(total)s") % {"n": d.fulfilled, "total": d.pledges}),
        (_("Money pledged"), f"£{d.money:,.0f}"),
        (_("Money delivered"), f"£{d.money_delivered:,.0f}"),
        (_("Volunteering sessions"), str(d.sessions)),
        (_("Volunteer places taken"), str(d.sign_ups)),
        (_("Volunteers"), str(d.volunteers)),
        (_("Volunteer hours"), f"{d.hours:,.0f}"),
    ]
    highlights = []
    if d.flagged:
        highlights.append(
            ngettext(
                "%(n)s pledge is flagged by the mission team for follow-up",
                "%(n)s pledges are flagged by the mission team for follow-up",
                d.flagged,
            )
            % {"n": d.flagged}
        )
    return Evidence(
        key="coalition",
        title=_("Coalition and volunteering"),
        figures=figures,
        highlights=highlights,
        link=reverse("coalition:dashboard", args=[mission.slug]),
    )
