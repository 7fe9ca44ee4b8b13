"""Reads for budget rounds: lists, a voter's ballot, the results page and the mission's figures."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from mobilise.accounts.selectors import user_is_member
from mobilise.core import dates
from mobilise.missions.models import Mission

from . import history
from .models import (
    Ballot,
    BudgetRound,
    DeliveryItem,
    DeliveryUpdate,
    Phase,
    Project,
    Result,
    RoundChange,
)


def public_rounds() -> QuerySet[BudgetRound]:
    return (
        BudgetRound.objects.filter(mission__status__in=Mission.PUBLIC_STATUSES)
        .select_related("mission", "place")
        .defer("place__boundary")
        .annotate(ballot_count=Count("ballots"))
        .order_by("mission__title", "-created_at")
    )


def mission_rounds(mission: Mission) -> list[BudgetRound]:
    return list(
        BudgetRound.objects.filter(mission=mission)
        .select_related("place")
        .defer("place__boundary")
        .annotate(ballot_count=Count("ballots"))
        .order_by("-created_at")
    )


def round_projects(round_: BudgetRound) -> dict[str, list[Project]]:
    projects = list(round_.projects.select_related("proposer").order_by("position", "pk"))
    return {status: [p for p in projects if p.status == status] for status in Project.Status.values}


def existing_choices(round_: BudgetRound, voter_key: str) -> dict[int, int] | None:
    ballot = Ballot.objects.filter(round=round_, voter_key=voter_key).first()
    if ballot is None:
        return None
    return dict(ballot.choices.values_list("project_id", "points"))


@dataclass
class ResultRow:
    project: Project | None
    name: str
    cost: Decimal
    votes: int
    selected: bool
    reason: str
    position: int | None
    effective_votes: float | None
    greedy_position: int | None = None


@dataclass
class ResultsPage:
    result: Result
    funded: list[ResultRow]
    not_funded: list[ResultRow]
    comparison: list[ResultRow]
    total_cost: Decimal
    greedy_total: Decimal
    greedy_count: int
    both: int
    notes: list[str] = field(default_factory=list)


def results_page(round_: BudgetRound) -> ResultsPage | None:
    result = Result.objects.filter(round=round_).first()
    if result is None:
        return None
    projects = {p.pb_id: p for p in round_.projects.all()}
    greedy = result.comparison.get("projects", [])
    greedy_pos = {e["project_id"]: e["position"] for e in greedy if e["selected"]}

    rows = [
        ResultRow(
            project=projects.get(e["project_id"]),
            name=e["name"],
            cost=Decimal(str(e["cost"])),
            votes=e["votes"],
            selected=e["selected"],
            reason=e["reason"],
            position=e["position"] if e["selected"] else None,
            effective_votes=e.get("effective_votes"),
            greedy_position=greedy_pos.get(e["project_id"]),
        )
        for e in result.explanations.get("projects", [])
    ]
    funded = sorted((r for r in rows if r.selected), key=lambda r: r.position or 0)
    not_funded = sorted((r for r in rows if not r.selected), key=lambda r: (-r.votes, r.name))
    comparison = sorted(rows, key=lambda r: (-r.votes, r.name))
    greedy_ids = set(greedy_pos)
    chosen_ids = {e["project_id"] for e in result.explanations.get("projects", []) if e["selected"]}
    return ResultsPage(
        result=result,
        funded=funded,
        not_funded=not_funded,
        comparison=comparison,
        total_cost=Decimal(str(result.explanations.get("total_cost", 0))),
        greedy_total=Decimal(str(result.comparison.get("total_cost", 0))),
        greedy_count=len(greedy_ids),
        both=len(greedy_ids & chosen_ids),
        notes=list(result.explanations.get("notes", [])),
    )


def delivery_items(rounds: list[BudgetRound] | QuerySet[BudgetRound]) -> list[DeliveryItem]:
    return list(
        DeliveryItem.objects.filter(project__round__in=rounds)
        .select_related("project", "project__round")
        .order_by("project__round", "project__position", "project__pk")
    )


def delivery_timeline(item: DeliveryItem) -> list[DeliveryUpdate]:
    """The project's dated updates, newest first: its public history."""
    return list(item.updates.order_by("-created_at", "-pk"))


def is_following(item: DeliveryItem, user: Any) -> bool:
    return bool(user.is_authenticated) and item.subscriptions.filter(user=user).exists()


@dataclass
class MissionFigures:
    rounds: int
    open_rounds: int
    ballots: int
    funded: int
    spend: dict[str, Decimal]
    delivered: int
    average_progress: int
    highlights: list[str]


def mission_figures(mission: Mission, since: Any = None) -> MissionFigures | None:
    rounds = BudgetRound.objects.filter(mission=mission)
    if not rounds.exists():
        return None
    ballots = Ballot.objects.filter(round__mission=mission)
    if since is not None:
        ballots = ballots.filter(updated_at__date__gte=since)
    items = DeliveryItem.objects.filter(project__round__mission=mission)
    spend: dict[str, Decimal] = {}
    for row in items.values("project__round__currency").annotate(total=Sum("project__cost")):
        spend[row["project__round__currency"]] = row["total"] or Decimal(0)
    progress = [i.progress for i in items]
    done = [i for i in items.select_related("project") if i.status == DeliveryItem.Status.DONE]
    return MissionFigures(
        rounds=rounds.count(),
        open_rounds=rounds.filter(phase__in=[Phase.IDEAS, Phase.REVIEW, Phase.VOTING]).count(),
        ballots=ballots.count(),
        funded=len(progress),
        spend=spend,
        delivered=len(done),
        average_progress=round(sum(progress) / len(progress)) if progress else 0,
        highlights=[i.project.title for i in done[:3]],
    )


@dataclass
class Bar:
    label: str
    votes: int
    funded: bool
    y: int
    width: float


CHART_WIDTH = 800
CHART_LABELS = 330  # room for the project names on the left
CHART_ROW = 26


def votes_chart(page: ResultsPage) -> tuple[list[Bar], int]:
    """Bars for each project's votes, longest first, marked funded or not; and the chart's height.

    Drawn as SVG on the server (no JavaScript); the comparison table beside it has the same numbers.
    """
    rows = page.comparison
    most = max((r.votes for r in rows), default=0) or 1
    span = CHART_WIDTH - CHART_LABELS - 60
    bars = []
    for n, row in enumerate(rows):
        name = row.project.title if row.project else row.name
        label = name if len(name) <= 42 else name[:40].rstrip() + "…"
        bars.append(
            Bar(
                label=label,
                votes=row.votes,
                funded=row.selected,
                y=n * CHART_ROW,
                width=round(span * row.votes / most, 1),
            )
        )
    return bars, len(rows) * CHART_ROW


# --- a round's history ---------------------------------------------------------------------------


@dataclass
class ChangeEntry:
    """One row of "Changes to this round": when, who (a role, never a person's name), what."""

    change: RoundChange
    when: str
    who: str
    lines: list[history.Line]


def last_change(round_: BudgetRound) -> RoundChange | None:
    return round_.changes.order_by("-changed_at", "-pk").first()


def _who(change: RoundChange, round_: BudgetRound, members: dict[int, bool]) -> str:
    """Leads are named by their organisation, which the mission page already shows; a lead's own
    name is not published anywhere on a round, so it is not here either."""
    if change.by_timetable:
        return _("The published timetable")
    user_id = change.changed_by_id
    if user_id is not None and user_id not in members:
        members[user_id] = user_is_member(change.changed_by, round_.mission.owner)
    if user_id is None or members[user_id]:
        # A deleted account was a lead's, or an administrator's acting for the mission.
        return _("The mission team at %(owner)s") % {"owner": round_.mission.owner.name}
    return _("A Mobilise administrator")


def round_history(round_: BudgetRound) -> list[ChangeEntry]:
    """Every recorded change to ``round_``, newest first."""
    members: dict[int, bool] = {}
    changes = round_.changes.select_related("changed_by").order_by("-changed_at", "-pk")
    return [
        ChangeEntry(
            change=c,
            when=dates.when(c.changed_at),
            who=_who(c, round_, members),
            lines=history.lines(c, round_.currency),
        )
        for c in changes
    ]
