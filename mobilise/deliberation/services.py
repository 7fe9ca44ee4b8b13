"""Every write to a conversation: validate first, then one transaction.

Votes are the hot path (see ``vote_cast``): one upsert on the (participant, statement) unique
constraint, so concurrent re-votes can never leave two rows, and the latest write wins.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.core.validators import refuse_invisible

from .models import STATEMENT_MAX_LENGTH, Conversation, Participant, Statement, Vote, normalise


def analysis_request(conversation_id: int) -> bool:
    """Queue a recompute unless one is already waiting; True if this call queued it.

    The conditional UPDATE is the debounce: of many votes at once, only the one that flips the
    flag enqueues, and the task clears the flag when it starts.
    """
    from .tasks import recompute_analysis

    flipped = Conversation.objects.filter(pk=conversation_id, recompute_pending=False).update(
        recompute_pending=True
    )
    if flipped:
        recompute_analysis.enqueue(conversation_id=conversation_id)
    return bool(flipped)


def conversation_create(
    *,
    mission: Any,
    created_by: Any,
    question: str,
    description: str = "",
    moderation: str = Conversation.Moderation.PRE,
    place: Any = None,
    seed_statements: list[str] | tuple[str, ...] = (),
    attribution: str = "",
) -> Conversation:
    conversation = Conversation(
        mission=mission,
        place=place,
        question=question.strip(),
        description=description.strip(),
        moderation=moderation,
        created_by=created_by,
        attribution=attribution,
    )
    conversation.full_clean()
    seeds = [s.strip() for s in seed_statements if s.strip()]
    errors = [_check_text(s) for s in seeds]
    if any(errors):
        raise ValidationError({"seed_statements": [e for e in errors if e]})
    if len({normalise(s) for s in seeds}) != len(seeds):
        raise ValidationError({"seed_statements": _("Each starter statement must be different")})
    with transaction.atomic():
        conversation.save()
        for text in seeds:
            Statement.objects.create(
                conversation=conversation,
                text=text,
                author=created_by,
                status=Statement.Status.ACCEPTED,
                is_seed=True,
            )
    return conversation


def participant_get_or_create(
    *, conversation: Conversation, user: Any = None, key: str = ""
) -> Participant:
    """The participant for a signed-in person, or else for a browser's cookie key.

    Two first votes from the same browser at once both try to create; the unique constraint lets
    one in and the other reads it.
    """
    signed_in = user is not None and user.is_authenticated
    lookup: dict[str, Any] = {"user": user} if signed_in else {"key": key}
    if not signed_in and not key:
        raise ValueError("An anonymous participant needs a cookie key.")
    found = (
        Participant.objects.filter(conversation=conversation, **lookup)
        .only("pk", "conversation_id", "hidden")
        .first()
    )
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Participant.objects.create(conversation=conversation, **lookup)
    except IntegrityError:
        return Participant.objects.get(conversation=conversation, **lookup)


def vote_cast(
    *, conversation: Conversation, participant: Participant, statement_id: int, value: int
) -> None:
    """Record the participant's vote; a later vote on the same statement replaces it."""
    if value not in (-1, 0, 1):
        raise ValidationError({"vote": _("Choose agree, disagree or pass")})
    if not conversation.is_open:
        raise ValidationError(_("This conversation has closed"))
    if participant.conversation_id != conversation.pk:
        raise ValidationError(_("You are not taking part in this conversation"))
    # One statement does it all: INSERT … SELECT from the statement (so a statement that is not
    # accepted in this conversation inserts nothing) … ON CONFLICT (participant, statement) DO
    # UPDATE. The unique constraint settles racing re-votes, with no window between a read and a
    # write, and no transaction of its own is needed: it is one statement. Votes are the hot path,
    # so this is three round trips a vote with the two lookups before it (see benchmarks/vote_load.py).
    vote, statement = Vote._meta, Statement._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {vote.db_table} (participant_id, statement_id, value, updated_at) "
            f"SELECT %s, id, %s, %s FROM {statement.db_table} "
            "WHERE id = %s AND conversation_id = %s AND status = %s "
            "ON CONFLICT (participant_id, statement_id) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [
                participant.pk,
                value,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                statement_id,
                conversation.pk,
                Statement.Status.ACCEPTED.value,
            ],
        )
        inserted = cursor.rowcount
    if inserted != 1:
        raise ValidationError({"statement": _("That statement is not open for voting")})
    # Most votes arrive while a recompute is already pending (the flag was read with the
    # conversation): they need not touch the conversation row at all.
    if not participant.hidden and not conversation.recompute_pending:
        analysis_request(conversation.pk)


def _check_text(text: str) -> str:
    if not text:
        return _("Enter a statement")
    if len(text) > STATEMENT_MAX_LENGTH:
        return _("Statement must be %(max)s characters or fewer") % {"max": STATEMENT_MAX_LENGTH}
    if not normalise(text):
        return _("Statement must contain words")
    try:
        refuse_invisible(text)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def statement_add(
    *,
    conversation: Conversation,
    text: str,
    participant: Participant | None = None,
    author: Any = None,
    moderator: bool = False,
) -> Statement:
    """Add a statement: at once under post-moderation (or from a moderator), else to the queue."""
    text = " ".join(text.split())
    problem = _check_text(text)
    if problem:
        raise ValidationError({"text": problem})
    if not conversation.is_open:
        raise ValidationError(_("This conversation has closed"))
    duplicate = ValidationError(
        {"text": _("Someone has already added this statement. You can vote on it instead.")}
    )
    if Statement.objects.filter(conversation=conversation, normalised=normalise(text)).exists():
        raise duplicate
    accepted = moderator or conversation.moderation == Conversation.Moderation.POST
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                conversation=conversation,
                text=text,
                participant=participant,
                author=author if author is not None and author.is_authenticated else None,
                status=Statement.Status.ACCEPTED if accepted else Statement.Status.PENDING,
                is_seed=moderator,
            )
    except IntegrityError as exc:  # the same text added at the same moment
        raise duplicate from exc
    return statement


def statement_moderate(*, statement: Statement, status: str) -> Statement:
    if status not in (Statement.Status.ACCEPTED, Statement.Status.REJECTED):
        raise ValidationError(_("Choose accept or reject"))
    with transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(status=status, updated_at=timezone.now())
        analysis_request(statement.conversation_id)
    statement.status = status
    return statement


def participant_hide(*, participant: Participant, hidden: bool = True) -> Participant:
    """Hide (or restore) a participant: their votes leave the analysis, their pending statements
    are rejected so the queue empties."""
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            hidden=hidden, updated_at=timezone.now()
        )
        if hidden:
            Statement.objects.filter(
                participant=participant, status=Statement.Status.PENDING
            ).update(status=Statement.Status.REJECTED, updated_at=timezone.now())
        analysis_request(participant.conversation_id)
    participant.hidden = hidden
    return participant


def conversation_set_status(*, conversation: Conversation, status: str) -> Conversation:
    if status not in Conversation.Status.values:
        raise ValidationError(_("Choose open or closed"))
    Conversation.objects.filter(pk=conversation.pk).update(status=status, updated_at=timezone.now())
    conversation.status = status
    return conversation
