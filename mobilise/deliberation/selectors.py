"""Reads for conversation pages: the next statement to vote on, the latest analysis, counts."""

import bisect
import hashlib
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from mobilise.engines.opinion import MIN_VOTES

from .models import Analysis, Conversation, Participant, Statement, Vote


def open_conversations() -> QuerySet[Conversation]:
    from mobilise.missions.models import Mission

    return (
        Conversation.objects.filter(
            status=Conversation.Status.OPEN, mission__status__in=Mission.PUBLIC_STATUSES
        )
        .select_related("mission", "place")
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__hidden=False), distinct=True
            ),
            statement_count=Count(
                "statements", filter=Q(statements__status=Statement.Status.ACCEPTED), distinct=True
            ),
        )
        .order_by("mission__title", "-created_at")
    )


def mission_conversations(mission: Any) -> list[Conversation]:
    return list(
        Conversation.objects.filter(mission=mission)
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__hidden=False), distinct=True
            )
        )
        .order_by("status", "-created_at")
    )


def place_conversations(place: Any) -> list[Conversation]:
    from mobilise.missions.models import Mission

    return list(
        Conversation.objects.filter(
            Q(place=place) | Q(place__isnull=True, mission__places=place),
            status=Conversation.Status.OPEN,
            mission__status__in=Mission.PUBLIC_STATUSES,
        )
        .select_related("mission")
        .distinct()
        .order_by("-created_at")
    )


def latest_analysis(conversation: Conversation) -> Analysis | None:
    return (
        Analysis.objects.filter(conversation=conversation).order_by("-computed_at", "-pk").first()
    )


def participant_for(conversation: Conversation, user: Any, key: str | None) -> Participant | None:
    """The existing participant for this person or browser, without creating one."""
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(conversation=conversation, user=user).first()
    if key:
        return Participant.objects.filter(conversation=conversation, key=key).first()
    return None


def _rng(participant: Participant | None, salt: int) -> random.Random:
    # Seeded per participant (and by how far they have got), so reloading the page shows the same
    # statement while different people see different ones. A first-time visitor has no
    # participant yet: a fresh draw, so newcomers do not all start on the same statement.
    if participant is None:
        return random.Random(secrets.randbits(64))
    seed_text = f"{participant.pk}:{salt}"
    return random.Random(int(hashlib.sha256(seed_text.encode()).hexdigest()[:16], 16))


def next_statement(
    conversation: Conversation, participant: Participant | None, analysis: Analysis | None = None
) -> Statement | None:
    """The next statement for this participant, by the engine's routing priority.

    Among accepted statements they have not voted on, one is drawn with probability proportional
    to its priority from the latest analysis, as Pol.is does. Statements newer than the analysis
    get the highest priority seen, so new statements surface (the engine's own rule gives unseen
    statements a large boost). Without an analysis: fewest votes first, ties broken at random.
    """
    candidates = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    )
    voted = 0
    if participant is not None:
        done = Vote.objects.filter(participant=participant).values("statement_id")
        voted = done.count()
        candidates = candidates.exclude(pk__in=done)
    rng = _rng(participant, voted)
    priorities = (analysis.result.get("statements", {}) if analysis else {}) or {}
    if priorities:
        ids = list(candidates.values_list("pk", flat=True))
        if not ids:
            return None
        known = [priorities[str(i)]["priority"] for i in ids if str(i) in priorities]
        top = max(known, default=1.0) or 1.0
        weights = [
            max(priorities[str(i)]["priority"], 1e-9) if str(i) in priorities else top for i in ids
        ]
        chosen = rng.choices(ids, weights=weights, k=1)[0]
        return Statement.objects.get(pk=chosen)
    counted = list(candidates.annotate(n=Count("votes")).values_list("pk", "n"))
    if not counted:
        return None
    fewest = min(n for _pk, n in counted)
    chosen = rng.choice(sorted(pk for pk, n in counted if n == fewest))
    return Statement.objects.get(pk=chosen)


def upcoming_statements(
    conversation: Conversation,
    participant: Participant | None,
    analysis: Analysis | None = None,
    *,
    count: int = 5,
    exclude: tuple[int, ...] | list[int] = (),
) -> list[Statement]:
    """The next few statements to vote on, by the same routing as ``next_statement``.

    For the vote card's script, which shows the next statement from this list as soon as a vote
    is clicked, while the vote is still on its way. ``exclude`` names the statements the page
    already holds (shown, or voted on but not yet recorded). Drawn without replacement.
    """
    candidates = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    ).exclude(pk__in=list(exclude))
    voted = 0
    if participant is not None:
        done = Vote.objects.filter(participant=participant).values("statement_id")
        voted = done.count()
        candidates = candidates.exclude(pk__in=done)
    rng = _rng(participant, voted)
    priorities = (analysis.result.get("statements", {}) if analysis else {}) or {}
    counted = list(candidates.annotate(n=Count("votes")).values_list("pk", "n"))
    if priorities:
        ids = [pk for pk, _n in counted]
        known = [priorities[str(i)]["priority"] for i in ids if str(i) in priorities]
        top = max(known, default=1.0) or 1.0
        weights = [
            max(priorities[str(i)]["priority"], 1e-9) if str(i) in priorities else top for i in ids
        ]
        chosen = []
        while ids and len(chosen) < count:
            at = rng.choices(range(len(ids)), weights=weights, k=1)[0]
            chosen.append(ids.pop(at))
            weights.pop(at)
    else:
        # Fewest votes first, ties in a random order.
        chosen = [pk for _n, _r, pk in sorted((n, rng.random(), pk) for pk, n in counted)][:count]
    found = Statement.objects.in_bulk(chosen)
    return [found[pk] for pk in chosen]


@dataclass
class Progress:
    voted: int
    total: int


def progress(conversation: Conversation, participant: Participant | None) -> Progress:
    total = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    ).count()
    voted = 0
    if participant is not None:
        voted = Vote.objects.filter(
            participant=participant, statement__status=Statement.Status.ACCEPTED
        ).count()
    return Progress(voted=voted, total=total)


def vote_count(conversation: Conversation) -> int:
    return Vote.objects.filter(
        statement__conversation=conversation, participant__hidden=False
    ).count()


@dataclass
class GroupView:
    index: int
    label: str
    size: int
    statements: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Results:
    """What the results page shows, from one analysis snapshot and the statements' text."""

    analysis: Analysis | None
    stale: bool
    participants: int
    votes: int
    groups: list[GroupView]
    common_ground: list[dict[str, Any]]
    consensus_agree: list[dict[str, Any]]
    consensus_disagree: list[dict[str, Any]]
    points: list[list[float]]
    sampled: bool
    # Of the people whose votes the analysis counted, how many are in an opinion group (people
    # with fewer than ``min_votes`` votes are not, as in Pol.is).
    analysed: int = 0
    grouped: int = 0
    min_votes: int = MIN_VOTES
    # The group of the person looking, once they are in one; and how many statements they have
    # voted on (None when they have not voted at all).
    own_group: GroupView | None = None
    own_votes: int | None = None
    # People voted, but too alike (or on too little) for the votes to split them into groups.
    not_enough_disagreement: bool = False

    @property
    def own_group_others(self) -> int:
        return self.own_group.size - 1 if self.own_group else 0


GROUP_LETTERS = "ABCDE"


def _share(count: int, seen: int) -> int:
    return round(100 * count / seen) if seen else 0


def _is_member(group: dict[str, Any], participant_id: int) -> bool:
    members = group.get("members") or []  # snapshots from before members were kept have none
    at = bisect.bisect_left(members, participant_id)
    return at < len(members) and members[at] == participant_id


def results(conversation: Conversation, participant: Participant | None = None) -> Results:
    """What the results page shows; with ``participant``, also which group they are in."""
    analysis = latest_analysis(conversation)
    votes = vote_count(conversation)
    participants = (
        Participant.objects.filter(conversation=conversation, hidden=False, votes__isnull=False)
        .distinct()
        .count()
    )
    own_votes = None
    if participant is not None and not participant.hidden:
        own_votes = Vote.objects.filter(participant=participant).count() or None
    if analysis is None:
        return Results(
            None, votes > 0, participants, votes, [], [], [], [], [], False, own_votes=own_votes
        )
    data = analysis.result
    stale = conversation.recompute_pending or analysis.votes_counted != votes
    text = dict(Statement.objects.filter(conversation=conversation).values_list("pk", "text"))
    stats = data.get("statements", {})

    def bars(sid: int) -> list[dict[str, Any]]:
        rows = []
        for g, (agree, disagree, seen) in enumerate(stats.get(str(sid), {}).get("groups", [])):
            rows.append(
                {
                    "group": GROUP_LETTERS[g],
                    "agree": _share(agree, seen),
                    "disagree": _share(disagree, seen),
                    "pass": _share(seen - agree - disagree, seen) if seen else 0,
                    "seen": seen,
                }
            )
        return rows

    groups = []
    own_group = None
    for g in data.get("groups", []):
        view = GroupView(index=g["index"], label=GROUP_LETTERS[g["index"]], size=g["size"])
        if participant is not None and own_votes and _is_member(g, participant.pk):
            own_group = view
        for r in g["repness"]:
            if r["statement"] not in text:
                continue
            view.statements.append(
                {
                    "id": r["statement"],
                    "text": text[r["statement"]],
                    "side": r["repful_for"],
                    "share": _share(r["n_success"], r["n_trials"]),
                    "bars": bars(r["statement"]),
                }
            )
        groups.append(view)

    def consensus(side: str) -> list[dict[str, Any]]:
        return [
            {
                "id": c["statement"],
                "text": text[c["statement"]],
                "share": _share(c["n_success"], c["n_trials"]),
                "bars": bars(c["statement"]),
            }
            for c in data.get("consensus", {}).get(side, [])
            if c["statement"] in text
        ]

    # Common ground: statements every group leans towards agreeing with (Pol.is's group-aware
    # consensus), best first. The overall consensus below can be carried by the largest group.
    common = []
    for sid, entry in stats.items():
        rows = entry.get("groups", [])
        if (
            entry.get("gac") is not None
            and rows
            and int(sid) in text
            and all(seen and 2 * agree > seen for agree, _disagree, seen in rows)
        ):
            common.append((entry["gac"], int(sid)))
    common.sort(reverse=True)

    def overall(sid: int) -> int:
        rows = stats[str(sid)]["groups"]
        return _share(sum(r[0] for r in rows), sum(r[2] for r in rows))

    common_ground = [
        {"id": sid, "text": text[sid], "share": overall(sid), "bars": bars(sid)}
        for _gac, sid in common[:5]
    ]
    shown = {item["id"] for item in common_ground}

    return Results(
        analysis=analysis,
        stale=stale,
        participants=participants,
        votes=votes,
        groups=groups,
        common_ground=common_ground,
        consensus_agree=[c for c in consensus("agree") if c["id"] not in shown],
        consensus_disagree=consensus("disagree"),
        points=data.get("map", {}).get("points", []),
        sampled=data.get("map", {}).get("sampled", False),
        analysed=data.get("participants", 0),
        min_votes=data.get("min_votes", MIN_VOTES),
        grouped=sum(g.size for g in groups),
        own_group=own_group,
        own_votes=own_votes,
        not_enough_disagreement=bool(data.get("no_groups_reason")),
    )


def moderation_queue(conversation: Conversation) -> dict[str, Any]:
    return {
        "pending": list(
            Statement.objects.filter(conversation=conversation, status=Statement.Status.PENDING)
            .select_related("participant")
            .order_by("created_at")
        ),
        "recent": list(
            Statement.objects.filter(conversation=conversation)
            .exclude(status=Statement.Status.PENDING)
            .select_related("participant")
            .order_by("-created_at")[:20]
        ),
        "hidden": list(
            Participant.objects.filter(conversation=conversation, hidden=True).order_by("pk")
        ),
    }
