"""Stocktake packs: gather a mission's facts for a period as plain JSON, render them as HTML, and
print that HTML to PDF with WeasyPrint.

The pack is a snapshot: ``gather`` reads the live data once, and everything after (the HTML, the
charts, the PDF) is drawn from the stored facts alone, so a pack never changes when data do.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mobilise.core.sections import mission_evidence
from mobilise.engines.trajectory import period_to_year
from mobilise.indicators import selectors as indicators
from mobilise.learning import selectors as learning
from mobilise.missions.models import Mission

from . import charts, selectors
from .models import RATING_SCORES, Action, Assessment, Decision, Rating

# WeasyPrint logs each layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _assessment(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "rating": a.rating,
        "label": selectors.rating_label(a.rating),
        "meaning": selectors.rating_meaning(a.rating),
        "rationale": a.rationale,
        "assessed_on": a.assessed_on.isoformat(),
        "assessor": a.assessor.name if a.assessor else "",
    }


def _indicator_facts(mission: Mission, base_url: str) -> dict[int, list[dict[str, Any]]]:
    """Each outcome's indicators, each with its places: status, history and the planned path."""
    links = indicators.indicator_links(mission=mission)
    result: dict[int, list[dict[str, Any]]] = {}
    if not links:
        return result
    for data in indicators.outcome_statuses(list(mission.outcomes.all()), mission, links):
        items = []
        for item in data.indicators:
            places = []
            for cell in item.places:
                entry: dict[str, Any] = {
                    "place": cell.place.name,
                    "status": cell.status,
                    "status_label": indicators.status_label(cell.status),
                    "explanation": cell.explanation,
                    "actual": [],
                    "plan": [],
                    "target": "",
                }
                if cell.target is not None:
                    t = cell.target
                    history = indicators.series_history(t.series, cell.place)
                    entry["actual"] = [[v.time, v.value] for v in history]
                    plan = indicators.trajectory_of(t)
                    entry["plan"] = [
                        list(plan.baseline),
                        *[list(m) for m in plan.milestones],
                        list(plan.target),
                    ]
                    entry["target"] = _("%(value)s by %(year)s") % {
                        "value": indicators.format_value(t.target_value),
                        "year": t.target_year,
                    }
                    entry["baseline"] = _("%(value)s in %(period)s") % {
                        "value": indicators.format_value(t.baseline_value),
                        "period": t.baseline_period,
                    }
                    entry["baseline_year"] = period_to_year(t.baseline_period)
                places.append(entry)
            items.append(
                {
                    "code": item.indicator.code,
                    "title": item.indicator.title,
                    "unit": item.indicator.unit,
                    # Where every year is shown: the pack's tables keep only the recent ones.
                    "url": base_url + reverse("indicators:detail", args=[item.indicator.code]),
                    "places": places,
                }
            )
        result[data.outcome.pk] = items
    return result


def gather(
    mission: Mission, period_start: dt.date, period_end: dt.date, *, base_url: str = ""
) -> dict[str, Any]:
    """Everything the pack shows, as JSON-ready data. ``base_url`` makes links absolute."""
    history = selectors.confidence_history(mission)
    previous = selectors.previous_pack(mission, period_end)
    since = previous.period_end if previous else period_start
    by_outcome = _indicator_facts(mission, base_url)
    open_actions = selectors.open_actions(mission)
    today = timezone.localdate()
    decisions = (
        Decision.objects.filter(
            meeting__council__mission=mission, decided_on__gt=since, decided_on__lte=period_end
        )
        .select_related("agenda_item")
        .order_by("decided_on", "id")
    )
    # New since the last stocktake, or still open whenever they were agreed.
    actions = (
        Action.objects.filter(council__mission=mission)
        .filter(Q(created_at__date__gt=since) | Q(status__in=Action.OPEN_STATUSES))
        .order_by("due_date", "id")
    )
    return {
        "version": 1,
        "mission": {
            "title": mission.title,
            "slug": mission.slug,
            "statement": mission.statement,
            "scope": mission.get_scope_display(),
            "owner": mission.owner.name,
            "places": [p.name for p in mission.places.all()],
        },
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "since": since.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "confidence": {
            "latest": _assessment(history.latest),
            "previous": _assessment(history.previous),
            "change": selectors.change_label(history.latest, history.previous),
            "history": [
                [a.assessed_on.isoformat(), a.rating, selectors.rating_label(a.rating)]
                for a in reversed(history.history)
            ],
        },
        "outcomes": [
            {
                "title": o.outcome.title,
                "description": o.outcome.description,
                "confidence": _assessment(o.latest),
                "indicators": by_outcome.get(o.outcome.pk, []),
            }
            for o in history.outcomes
        ],
        "evidence": [e.as_dict() for e in mission_evidence.collect(mission, since)],
        "decisions": [
            {
                "date": d.decided_on.isoformat(),
                "text": d.text,
                "item": d.agenda_item.title if d.agenda_item else "",
                "proposer": d.proposer_name,
                "outcome": d.get_outcome_display(),
            }
            for d in decisions
        ],
        "actions": [
            {
                "text": a.text,
                "owner": a.owner_name,
                "due": a.due_date.isoformat(),
                "status": a.get_status_display(),
                "overdue": a.is_overdue(today),
            }
            for a in actions
        ],
        "risks": [r.as_dict() for r in selectors.risks(mission, history, open_actions)],
        "learnings": _learning_facts(mission, base_url),
    }


def _learning_facts(mission: Mission, base_url: str) -> list[dict[str, Any]]:
    """The mission's published learnings for "What we learned"."""
    found = []
    for item in learning.published_learnings(mission):
        pilots = item.published_pilots
        places = sorted({p.name for pilot in pilots for p in pilot.treated_places.all()})
        found.append(
            {
                "title": item.title,
                "summary": item.summary,
                "for_whom": item.for_whom,
                "conditions": item.conditions,
                "evidence_level": item.evidence_level,
                "evidence_label": item.get_evidence_level_display(),
                "pilots": [p.title for p in pilots],
                "places": places,
                "url": base_url + item.get_absolute_url(),
            }
        )
    return found


# --- drawing from the facts ----------------------------------------------------------------------


def _score_labels() -> list[str]:
    by_score = {score: selectors.rating_label(r) for r, score in RATING_SCORES.items()}
    return [by_score[s] for s in range(1, 6)]


RECENT_YEARS = 10


@dataclass(frozen=True)
class YearTable:
    """An indicator's table in the pack: the baseline, the recent years and the planned path."""

    rows: list[tuple[float, float | None, float | None]]  # (year, actual, planned)
    left_out: list[float]  # earlier years not shown, oldest first


def year_table(
    actual: list[list[float]], plan: list[list[float]], recent: int = RECENT_YEARS
) -> YearTable:
    """Keep the baseline year, the last ``recent`` years observed and the plan from then on.

    A series from 2005 would otherwise fill pages of the printed pack; the chart above the table
    still draws every year, and the indicator's page lists them all.
    """
    actual_by = {round(y, 2): v for y, v in actual}
    planned_by = {round(y, 2): v for y, v in plan}
    observed = sorted(actual_by)
    shown = set(observed[-recent:])
    since = min(shown) if shown else -math.inf
    shown |= {y for y in planned_by if y >= since}
    if plan:
        shown.add(round(plan[0][0], 2))  # the plan starts at the baseline
    every = set(actual_by) | set(planned_by)
    return YearTable(
        rows=[(y, actual_by.get(y), planned_by.get(y)) for y in sorted(shown & every)],
        left_out=sorted(every - shown),
    )


def _disagreements(facts: dict[str, Any]) -> dict[Any, str]:
    """Where the pack's ratings and its indicators' statuses disagree, from the facts alone:
    keyed "mission" and by the outcome's index."""
    found: dict[Any, str] = {}
    every: dict[str, str | None] = {}
    for index, outcome in enumerate(facts["outcomes"]):
        statuses = []
        for item in outcome["indicators"]:
            status = selectors.indicator_status([p["status"] for p in item["places"]])
            statuses.append(status)
            every[item["code"]] = status
        confidence = outcome["confidence"]
        said = selectors.rating_disagreement(confidence["rating"] if confidence else None, statuses)
        if said:
            found[index] = said
    latest = facts["confidence"]["latest"]
    said = selectors.rating_disagreement(latest["rating"] if latest else None, list(every.values()))
    if said:
        found["mission"] = said
    return found


def _decorate(facts: dict[str, Any]) -> dict[str, Any]:
    """Add the charts and the indicator tables, drawn from the facts only."""
    points = [
        (dt.date.fromisoformat(day), RATING_SCORES[Rating(rating)], rating)
        for day, rating, _label in facts["confidence"]["history"]
    ]
    confidence_chart = charts.confidence_steps(
        points, _score_labels(), _("Delivery confidence over time")
    )
    indicator_charts = {}
    indicator_tables = {}
    for o_index, outcome in enumerate(facts["outcomes"]):
        for i_index, item in enumerate(outcome["indicators"]):
            for p_index, place in enumerate(item["places"]):
                if place["actual"] or place["plan"]:
                    indicator_tables[(o_index, i_index, p_index)] = year_table(
                        place["actual"], place["plan"]
                    )
                    indicator_charts[(o_index, i_index, p_index)] = charts.trajectory(
                        [tuple(p) for p in place["actual"]],
                        [tuple(p) for p in place["plan"]],
                        _("%(indicator)s in %(place)s against its trajectory")
                        % {"indicator": item["title"], "place": place["place"]},
                    )
    return {
        "disagreements": _disagreements(facts),
        "confidence_chart": confidence_chart,
        "indicator_charts": indicator_charts,
        "indicator_tables": indicator_tables,
    }


def render_html(facts: dict[str, Any]) -> str:
    """The pack's body, shown on its page and printed into the PDF."""
    return render_to_string(
        "assurance/pack/_content.html",
        {"facts": facts, **_decorate(facts), "date": dt.date.fromisoformat},
    )


def render_pdf(facts: dict[str, Any], body: str) -> bytes:
    from weasyprint import HTML

    document = render_to_string(
        "assurance/pack/print.html",
        {
            "facts": facts,
            "body": body,
            "date": dt.date.fromisoformat,
            "lang": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )
    # Tagged PDF/UA: a structure tree (headings, tables with their header cells, lists), the
    # document's language from <html lang> and its title from <title>, shown by readers.
    return HTML(string=document).write_pdf(pdf_variant="pdf/ua-1")
