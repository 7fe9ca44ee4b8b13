"""Reads for assurance: councils and their records, confidence histories, risks, and the national
roll-up. The stocktake pack's facts are gathered in ``stocktake.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobilise.engines.trajectory import Status
from mobilise.indicators import selectors as indicators
from mobilise.missions.models import Mission, Outcome

from .models import (
    EXCEPTION_RATINGS,
    RATING_MEANINGS,
    RATING_SCORES,
    RATING_TAGS,
    Action,
    Assessment,
    Council,
    CouncilMember,
    Meeting,
    Pack,
    Rating,
)


def rating_label(rating: str) -> str:
    return str(Rating(rating).label)


def rating_meaning(rating: str) -> str:
    return str(RATING_MEANINGS[Rating(rating)])


def rating_tag(rating: str) -> str:
    return RATING_TAGS[Rating(rating)]


# --- councils ------------------------------------------------------------------------------------


@dataclass
class CouncilOverview:
    council: Council
    members: list[CouncilMember]
    upcoming: list[Meeting]
    past: list[Meeting]
    actions: list[Action]
    decisions: list[Any]
    today: dt.date

    @property
    def overdue(self) -> list[Action]:
        return [a for a in self.actions if a.is_overdue(self.today)]


def council_overview(council: Council) -> CouncilOverview:
    now = timezone.now()
    today = timezone.localdate()
    meetings = list(council.meetings.order_by("starts_at"))
    from .models import Decision

    return CouncilOverview(
        council=council,
        members=list(council.members.select_related("user").order_by("role", "name")),
        upcoming=[m for m in meetings if m.starts_at >= now],
        past=[m for m in reversed(meetings) if m.starts_at < now],
        actions=list(actions_of(council)),
        decisions=list(
            Decision.objects.filter(meeting__council=council).select_related(
                "meeting__council__mission", "agenda_item"
            )[:20]
        ),
        today=today,
    )


def actions_of(council: Council) -> QuerySet[Action]:
    return council.actions.select_related("outcome", "pledge", "meeting", "owner").order_by(
        "status", "due_date", "id"
    )


def open_actions(mission: Mission) -> list[Action]:
    return list(
        Action.objects.filter(council__mission=mission, status__in=Action.OPEN_STATUSES)
        .select_related("outcome", "pledge")
        .order_by("due_date", "id")
    )


def upcoming_meetings(council: Council) -> list[Meeting]:
    """The council's meetings from today on (today's too, even once started), soonest first."""
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    return list(council.meetings.filter(starts_at__gte=start).order_by("starts_at"))


def meeting_detail(meeting: Meeting) -> Meeting:
    from .models import Decision

    return (
        Meeting.objects.filter(pk=meeting.pk)
        .prefetch_related(
            "agenda",
            "papers",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item").order_by(
                    "agenda_item__order", "id"
                ),
            ),
            Prefetch("actions", queryset=Action.objects.select_related("outcome", "pledge")),
        )
        .get()
    )


# --- confidence ----------------------------------------------------------------------------------


@dataclass
class OutcomeConfidence:
    outcome: Outcome
    latest: Assessment | None
    history: list[Assessment]


@dataclass
class ConfidenceHistory:
    mission: Mission
    history: list[Assessment]  # the mission as a whole, newest first
    outcomes: list[OutcomeConfidence] = field(default_factory=list)

    @property
    def latest(self) -> Assessment | None:
        return self.history[0] if self.history else None

    @property
    def previous(self) -> Assessment | None:
        return self.history[1] if len(self.history) > 1 else None


def confidence_history(mission: Mission) -> ConfidenceHistory:
    """Every assessment of the mission and its outcomes, newest first: two queries."""
    everything = list(
        Assessment.objects.filter(mission=mission).select_related("assessor", "outcome")
    )
    result = ConfidenceHistory(mission, [a for a in everything if a.outcome_id is None])
    for outcome in mission.outcomes.all():
        own = [a for a in everything if a.outcome_id == outcome.pk]
        result.outcomes.append(OutcomeConfidence(outcome, own[0] if own else None, own))
    return result


def mission_headline(mission: Mission) -> tuple[list[Assessment], bool]:
    """The two latest mission-level assessments (rating and date only) and whether the mission
    has a council: one query, since this sits on every mission page."""
    own = Assessment.objects.filter(mission=OuterRef("pk"), outcome__isnull=True).order_by(
        "-assessed_on", "-id"
    )
    row = (
        Mission.objects.filter(pk=mission.pk)
        .values(
            has_council=Exists(Council.objects.filter(mission=OuterRef("pk"))),
            rating_1=Subquery(own.values("rating")[:1]),
            date_1=Subquery(own.values("assessed_on")[:1]),
            rating_2=Subquery(own.values("rating")[1:2]),
            date_2=Subquery(own.values("assessed_on")[1:2]),
        )
        .get()
    )
    latest = [
        Assessment(mission=mission, rating=row[f"rating_{n}"], assessed_on=row[f"date_{n}"])
        for n in (1, 2)
        if row[f"rating_{n}"]
    ]
    return latest, bool(row["has_council"])


def change_label(latest: Assessment | None, previous: Assessment | None) -> str:
    if latest is None:
        return _("Not yet assessed")
    if previous is None:
        return _("First assessment")
    diff = RATING_SCORES[Rating(latest.rating)] - RATING_SCORES[Rating(previous.rating)]
    if diff > 0:
        return _("Improved from %(rating)s") % {"rating": rating_label(previous.rating)}
    if diff < 0:
        return _("Worsened from %(rating)s") % {"rating": rating_label(previous.rating)}
    return _("Unchanged")


def latest_mission_ratings(missions: list[Mission]) -> dict[int, Assessment]:
    """The newest mission-level assessment of each mission: one query."""
    latest: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(mission__in=missions, outcome__isnull=True).select_related(
        "assessor"
    ):
        latest.setdefault(a.mission_id, a)  # ordered newest first
    return latest


# --- the rating against the data -----------------------------------------------------------------

_ASSESSED = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)


def indicator_status(place_statuses: list[str]) -> str | None:
    """An indicator's status from its places': the worst of those assessed, None if none was."""
    known = [Status(s) for s in place_statuses if s in _ASSESSED]
    return max(known, key=_ASSESSED.index).value if known else None


def _indicators_are(count: int, status: str) -> str:
    if count == 2:
        return (
            _("both indicators are on track")
            if status == Status.ON_TRACK
            else _("both indicators are off track")
        )
    if status == Status.ON_TRACK:
        return ngettext(
            "the indicator is on track", "all %(num)d indicators are on track", count
        ) % {"num": count}
    return ngettext("the indicator is off track", "all %(num)d indicators are off track", count) % {
        "num": count
    }


def rating_disagreement(rating: str | None, statuses: list[str | None]) -> str | None:
    """A plain sentence when a delivery-confidence rating and the indicators' trajectory
    statuses point opposite ways, else None. The council's judgement stands; this says so.

    They disagree when every indicator is on track but the rating is Amber/Red or Red; when
    every indicator is off track but the rating is Green or Amber/Green; and when any indicator
    is off track but the rating is Green. Indicators without a status (no target, too little
    data) are left out; with none left there is nothing to compare.
    """
    known = [s for s in statuses if s in _ASSESSED]
    if not rating or not known:
        return None
    count, off = len(known), known.count(Status.OFF_TRACK)
    if known.count(Status.ON_TRACK) == count and rating in EXCEPTION_RATINGS:
        data = _indicators_are(count, Status.ON_TRACK)
    elif off == count and rating in (Rating.GREEN, Rating.AMBER_GREEN):
        data = _indicators_are(count, Status.OFF_TRACK)
    elif off and rating == Rating.GREEN:
        data = ngettext(
            "%(num)d of %(total)d indicators is off track",
            "%(num)d of %(total)d indicators are off track",
            off,
        ) % {"num": off, "total": count}
    else:
        return None
    return _("The rating and the data disagree: %(data)s but the rating is %(rating)s.") % {
        "data": data,
        "rating": rating_label(rating),
    }


def confidence_disagreements(mission: Mission, history: ConfidenceHistory) -> dict[Any, str]:
    """Where the latest ratings and the indicators disagree: keyed "mission" and by outcome id."""
    links = indicators.indicator_links(mission=mission)
    if not links:
        return {}
    by_outcome: dict[int, list[str | None]] = {}
    every: dict[int, str | None] = {}
    for data in indicators.outcome_statuses([o.outcome for o in history.outcomes], mission, links):
        own = []
        for item in data.indicators:
            status = indicator_status([cell.status for cell in item.places])
            own.append(status)
            every[item.indicator.pk] = status
        by_outcome[data.outcome.pk] = own
    found: dict[Any, str] = {}
    latest = history.latest
    said = rating_disagreement(latest.rating if latest else None, list(every.values()))
    if said:
        found["mission"] = said
    for o in history.outcomes:
        said = rating_disagreement(
            o.latest.rating if o.latest else None, by_outcome.get(o.outcome.pk, [])
        )
        if said:
            found[o.outcome.pk] = said
    return found


# --- risks ---------------------------------------------------------------------------------------


@dataclass
class Risk:
    title: str
    source: str
    severity: int  # 3 high, 2 medium, 1 low: ordering only

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "source": self.source, "severity": self.severity}


def risks(mission: Mission, history: ConfidenceHistory, actions: list[Action]) -> list[Risk]:
    """A mission's risks, derived rather than kept in a register (so they cannot go stale):

    * the mission or an outcome rated red or amber/red at its latest assessment (high, medium);
    * each overdue action (medium);
    * each indicator off track in a place (medium), at risk (low).
    """
    found: list[Risk] = []
    judged = [(mission.title, history.latest)] + [
        (o.outcome.title, o.latest) for o in history.outcomes
    ]
    for title, latest in judged:
        if latest is not None and latest.rating in EXCEPTION_RATINGS:
            found.append(
                Risk(
                    _("%(title)s: delivery confidence %(rating)s")
                    % {
                        "title": title,
                        "rating": rating_label(latest.rating),
                    },
                    latest.rationale,
                    3 if latest.rating == Rating.RED else 2,
                )
            )
    today = timezone.localdate()
    for action in actions:
        if action.is_overdue(today):
            found.append(
                Risk(
                    _("Overdue action: %(text)s") % {"text": action.text},
                    _("Due %(date)s, owned by %(owner)s")
                    % {"date": action.due_date.strftime("%-d %B %Y"), "owner": action.owner_name},
                    2,
                )
            )
    links = indicators.indicator_links(mission=mission)
    if links:
        for data in indicators.outcome_statuses(list(mission.outcomes.all()), mission, links):
            for item in data.indicators:
                for cell in item.places:
                    if cell.status in (Status.OFF_TRACK, Status.AT_RISK):
                        found.append(
                            Risk(
                                _("%(indicator)s in %(place)s is %(status)s")
                                % {
                                    "indicator": item.indicator.title,
                                    "place": cell.place.name,
                                    "status": indicators.status_label(cell.status).lower(),
                                },
                                cell.explanation,
                                2 if cell.status == Status.OFF_TRACK else 1,
                            )
                        )
    return sorted(found, key=lambda r: -r.severity)


# --- packs ---------------------------------------------------------------------------------------


def packs_of(mission: Mission) -> list[Pack]:
    return list(Pack.objects.filter(mission=mission).defer("html", "facts"))


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_pack_period(mission: Mission, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a new stocktake pack covers unless its requester chooses another.

    The period since the last pack: from the day after it ends up to today. For the first pack,
    or when the last one already reaches today, the last quarter: the three months up to today.
    """
    today = today or timezone.localdate()
    last = previous_pack(mission, today + dt.timedelta(days=1))
    if last is not None and last.period_end < today:
        return last.period_end + dt.timedelta(days=1), today
    return _months_before(today, 3) + dt.timedelta(days=1), today


def previous_pack(mission: Mission, before: dt.date) -> Pack | None:
    return (
        Pack.objects.filter(mission=mission, status=Pack.Status.READY, period_end__lt=before)
        .defer("html", "facts")
        .order_by("-period_end")
        .first()
    )
