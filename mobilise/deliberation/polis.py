"""Conversations in Pol.is's export format, through the opinion engine's reader and writer.

``conversation_export`` writes a conversation as a Pol.is export (comments.csv, votes.csv,
participants-votes.csv, summary.csv) zipped for download. Participants are numbered by our
participant ids, never by user: the export shows how each (unnamed) participant voted, which is
why only the mission's leads may download it (see docs/deliberation.md).

``conversation_import`` loads a Pol.is export folder into a new conversation: its statements, and
its votes as anonymous participants, keeping the original ids so an export round-trips.
"""

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from mobilise.engines.opinion import (
    OpinionEngine,
    PolisComment,
    PolisExport,
    VoteLog,
    read_polis_export,
    write_polis_export,
)

from .analysis import vote_matrix
from .models import Conversation, Participant, Statement, Vote

_MODERATED = {
    Statement.Status.ACCEPTED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.REJECTED: -1,
}


def conversation_export(conversation: Conversation) -> bytes:
    """The conversation as a zipped Pol.is export, with our opinion groups."""
    matrix, _counted = vote_matrix(conversation)
    statements = Statement.objects.filter(conversation=conversation).exclude(
        status=Statement.Status.PENDING
    )
    comments = tuple(
        PolisComment(
            id=s.pk,
            body=s.text,
            author=s.participant_id,
            timestamp=int(s.created_at.timestamp() * 1000),
            moderated=_MODERATED[s.status],
            is_meta=s.is_meta,
            is_seed=s.is_seed,
        )
        for s in statements
    )
    log_rows = list(
        Vote.objects.filter(statement__conversation=conversation, participant__hidden=False)
        .exclude(statement__status=Statement.Status.PENDING)
        .order_by("updated_at", "pk")
        .values_list("updated_at", "participant_id", "statement_id", "value")
    )
    log = VoteLog(
        timestamps=np.asarray([int(t.timestamp() * 1000) for t, *_ in log_rows], np.int64),
        participants=np.asarray([p for _t, p, _s, _v in log_rows], np.int64),
        statements=np.asarray([s for _t, _p, s, _v in log_rows], np.int64),
        votes=np.asarray([v for *_x, v in log_rows], np.int8),
    )
    export = PolisExport(
        votes=matrix,
        comments=comments,
        vote_log=log,
        summary={"topic": conversation.question, "url": conversation.get_absolute_url()},
    )
    result = None
    if matrix.nnz and matrix.shape[0] >= 2:
        result = OpinionEngine(random_state=0).fit(matrix).result_
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_polis_export(Path(tmp) / "export", export, result)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


def conversation_import(
    *,
    folder: str | Path,
    mission: Any,
    question: str,
    description: str = "",
    attribution: str = "",
    created_by: Any = None,
    place: Any = None,
) -> Conversation:
    """A new conversation holding a Pol.is export's statements and final votes.

    Statements Pol.is moderated out arrive rejected; unmoderated ones accepted (the conversation
    is post-moderated, as most Pol.is conversations were). Two statements whose text is the same
    once normalised keep the first; votes on the second are dropped with it.
    """
    export = read_polis_export(folder)
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            mission=mission,
            place=place,
            question=question,
            description=description,
            moderation=Conversation.Moderation.POST,
            created_by=created_by,
            attribution=attribution,
        )
        seen: set[str] = set()
        statements = []
        from .models import normalise

        for c in sorted(export.comments, key=lambda c: (c.timestamp or 0, c.id)):
            key = normalise(c.body)
            if not key or key in seen:
                continue
            seen.add(key)
            statements.append(
                Statement(
                    conversation=conversation,
                    text=" ".join(c.body.split()),
                    normalised=key,
                    status=Statement.Status.REJECTED
                    if c.moderated == -1
                    else Statement.Status.ACCEPTED,
                    is_meta=c.is_meta,
                    is_seed=c.is_seed,
                    imported_id=c.id,
                )
            )
        Statement.objects.bulk_create(statements)
        statement_pk = dict(
            Statement.objects.filter(conversation=conversation).values_list("imported_id", "pk")
        )
        matrix = export.votes
        participants = [
            Participant(conversation=conversation, key=f"polis-{pid}", imported_id=int(pid))
            for pid in matrix.participant_ids.tolist()
        ]
        Participant.objects.bulk_create(participants)
        participant_pk = dict(
            Participant.objects.filter(conversation=conversation).values_list("imported_id", "pk")
        )
        rows = matrix.rows()
        s_ids = matrix.statement_ids.tolist()
        p_ids = matrix.participant_ids.tolist()
        votes = [
            Vote(
                participant_id=participant_pk[p_ids[r]],
                statement_id=statement_pk[s_ids[j]],
                value=v,
                updated_at=now,
            )
            for r, j, v in zip(
                rows.tolist(), matrix.indices.tolist(), matrix.values.tolist(), strict=True
            )
            if s_ids[j] in statement_pk
        ]
        Vote.objects.bulk_create(votes, batch_size=2000)
    return conversation
