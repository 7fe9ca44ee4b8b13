"""From the database to the opinion engine and back: the votes as a ``VoteMatrix``, and the
engine's result as the plain JSON an ``Analysis`` snapshot keeps for the pages.

Hidden participants' votes are left out. Rejected statements are *moderated out* (Pol.is keeps
their votes but never maps, routes or reports them); pending ones are not shown to anyone yet, so
they have no votes. Meta statements are passed as meta.
"""

from typing import Any

import numpy as np

from mobilise.engines.opinion import MIN_VOTES, OpinionEngine, OpinionResult, VoteMatrix

from .models import Conversation, Statement, Vote

# Points drawn on the opinion map at most; beyond that a seeded sample (the table says so).
MAP_POINTS = 2000


def vote_matrix(conversation: Conversation) -> tuple[VoteMatrix, int]:
    """The conversation's votes (latest per pair, hidden participants left out) and their count."""
    rows = list(
        Vote.objects.filter(
            statement__conversation=conversation, participant__hidden=False
        ).values_list("participant_id", "statement_id", "value")
    )
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=Statement.Status.PENDING)
        .values_list("pk", "status", "is_meta")
    )
    statement_ids = [pk for pk, _status, _meta in statements]
    known = set(statement_ids)
    rows = [r for r in rows if r[1] in known]
    if rows:
        participants, statement_of_vote, values = (
            np.asarray(col) for col in zip(*rows, strict=True)
        )
    else:
        participants = statement_of_vote = np.zeros(0, dtype=np.int64)
        values = np.zeros(0, dtype=np.int8)
    matrix = VoteMatrix.from_votes(
        participants.astype(np.int64),
        statement_of_vote.astype(np.int64),
        values.astype(np.int8),
        participant_ids=np.unique(participants.astype(np.int64)),
        statement_ids=np.asarray(sorted(statement_ids), dtype=np.int64),
        moderated_out=[pk for pk, status, _m in statements if status == Statement.Status.REJECTED],
        meta=[pk for pk, _s, is_meta in statements if is_meta],
    )
    return matrix, len(rows)


def analyse(conversation: Conversation, *, seed: int = 0) -> tuple[dict[str, Any], int]:
    """Run the engine on the conversation; returns the snapshot JSON and the votes counted."""
    matrix, counted = vote_matrix(conversation)
    if matrix.nnz == 0 or matrix.shape[0] < 2 or matrix.shape[1] < 1:
        return empty_result(), counted
    result = OpinionEngine(random_state=seed).fit(matrix).result_
    found = result_to_json(result)
    # The votes that get a person grouped: the engine's MIN_VOTES, capped (as the engine caps
    # it) at the number of statements anyone has voted on. The results page quotes it.
    found["min_votes"] = min(MIN_VOTES, int(np.unique(matrix.indices).size))
    return found, counted


def empty_result() -> dict[str, Any]:
    return {
        "n_groups": 0,
        "participants": 0,
        "clustered": 0,
        "groups": [],
        "statements": {},
        "consensus": {"agree": [], "disagree": []},
        "map": {"points": [], "sampled": False, "statements": []},
    }


def _int(value: Any) -> int:
    return int(value.item() if isinstance(value, np.generic) else value)


def result_to_json(result: OpinionResult) -> dict[str, Any]:
    """What the pages need from a result, as plain JSON (statement ids as string keys)."""
    sids = [_int(s) for s in result.statement_ids.tolist()]
    labels = result.labels
    votes = result.group_votes
    groups = []
    participant_ids = result.participant_ids
    for g in range(result.n_groups):
        groups.append(
            {
                "index": g,
                "size": int((labels == g).sum()),
                # Who is in the group (participant ids, ascending), so each person can be told
                # their own group; pages never show anyone else's.
                "members": sorted(_int(p) for p in participant_ids[labels == g]),
                "repness": [
                    {
                        "statement": _int(r.statement),
                        "repful_for": r.repful_for,
                        "n_success": int(r.n_success),
                        "n_trials": int(r.n_trials),
                    }
                    for r in result.repness.get(g, [])
                ],
            }
        )
    statements: dict[str, Any] = {}
    gac_agree = result.group_aware_consensus_agree
    for j, sid in enumerate(sids):
        statements[str(sid)] = {
            "priority": float(result.priority[j]) if np.isfinite(result.priority[j]) else 0.0,
            "gac": float(gac_agree[j]) if np.isfinite(gac_agree[j]) else None,
            # Per group: [agree, disagree, seen].
            "groups": [
                [int(votes.agree[g, j]), int(votes.disagree[g, j]), int(votes.seen[g, j])]
                for g in range(result.n_groups)
            ],
        }
    clustered = np.flatnonzero(labels >= 0)
    sampled = len(clustered) > MAP_POINTS
    if sampled:
        clustered = np.sort(np.random.default_rng(0).choice(clustered, MAP_POINTS, replace=False))
    points = [
        [
            round(float(result.projection[i, 0]), 4),
            round(float(result.projection[i, 1]), 4),
            int(labels[i]),
        ]
        for i in clustered
    ]
    return {
        "n_groups": int(result.n_groups),
        # Set when people voted but too alike to be split into groups (the page says so).
        "no_groups_reason": result.no_groups_reason,
        "participants": len(result.participant_ids),
        "clustered": int(result.in_conv.sum()),
        "groups": groups,
        "statements": statements,
        "consensus": {
            side: [
                {
                    "statement": _int(c.statement),
                    "n_success": int(c.n_success),
                    "n_trials": int(c.n_trials),
                }
                for c in items
            ]
            for side, items in (
                ("agree", result.consensus_agree),
                ("disagree", result.consensus_disagree),
            )
        },
        "map": {"points": points, "sampled": sampled},
    }
