"""What the indicators say about a mission, for assessment forms and stocktake packs
(registered in ``apps.py`` on ``core.sections.mission_evidence``).

Counts are of indicator–place statuses (an indicator with targets in two places counts twice),
the same cells the mission page shows; places without a target are left out.
"""

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from mobilise.core.sections import Evidence
from mobilise.engines.trajectory import Status

from . import selectors

ORDER = (
    Status.ON_TRACK,
    Status.UNCERTAIN,
    Status.AT_RISK,
    Status.OFF_TRACK,
    Status.INSUFFICIENT_DATA,
)


def mission_evidence(mission: Any, since: Any = None) -> Evidence | None:
    links = selectors.indicator_links(mission=mission)
    if not links:
        return None
    outcomes = selectors.outcome_statuses(list(mission.outcomes.all()), mission, links)
    totals: Counter[str] = Counter()
    figures: list[tuple[str, str]] = []
    highlights: list[str] = []
    for data in outcomes:
        counts: Counter[str] = Counter()
        for item in data.indicators:
            for cell in item.places:
                if cell.status == "no_target":
                    continue
                counts[cell.status] += 1
                if cell.status == Status.OFF_TRACK and cell.explanation:
                    highlights.append(
                        f"{item.indicator.title} ({cell.place.name}): {cell.explanation}"
                    )
        totals.update(counts)
        described = ", ".join(
            f"{counts[s]} {selectors.status_label(s).lower()}" for s in ORDER if counts[s]
        )
        figures.append((data.outcome.title, described or _("No targets set")))
    figures.insert(
        0,
        (
            _("All indicators"),
            ", ".join(f"{totals[s]} {selectors.status_label(s).lower()}" for s in ORDER),
        ),
    )
    return Evidence(
        key="indicators",
        title=_("Indicators against their trajectories"),
        figures=figures,
        highlights=highlights,
        link=mission.get_absolute_url(),
    )
