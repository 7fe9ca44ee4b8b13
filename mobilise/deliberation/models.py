"""Conversations in the Pol.is style: statements, participants, their votes, and analysis snapshots.

The invariants that matter under load live in the database: one vote per participant and
statement (the latest wins through an upsert), one participant per person or browser cookie in a
conversation, and no two statements with the same normalised text in a conversation.
"""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import (
    DESCRIPTION_LIMIT,
    DESCRIPTION_MAX_LENGTH,
    SINGLE_LINE,
    refuse_invisible,
)

STATEMENT_MAX_LENGTH = 140


def normalise(text: str) -> str:
    """The form two statements are compared in: case, accents, punctuation and spacing ignored.

    "Cut traffic!" and "cut  traffic" are the same statement; people re-typing a statement they
    have just seen are the commonest source of duplicates.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return " ".join(text.split())


class Conversation(BaseModel):
    class Moderation(models.TextChoices):
        PRE = "pre", _("Check new statements before they are shown")
        POST = "post", _("Show new statements at once; moderators can reject them later")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    question = models.CharField(_("question"), validators=SINGLE_LINE, max_length=200)
    description = models.TextField(
        _("what the conversation is about"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=DESCRIPTION_LIMIT,
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.PRE
    )
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For conversations imported from elsewhere (a Pol.is export): the licence's attribution.
    attribution = models.TextField(_("source and licence"), blank=True)
    # Set by the first vote after an analysis and cleared by the analysis task, with conditional
    # UPDATEs, so a burst of votes queues one recompute rather than one per vote.
    recompute_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("deliberation:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Participant(BaseModel):
    """Someone taking part: a signed-in person, or a browser holding our participant cookie."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversation_participations",
    )
    # The random key in the signed participant cookie (anonymous), or empty for signed-in people.
    key = models.CharField(max_length=40, blank=True)
    # Hidden by a moderator: their votes leave the analysis and their statements stay unseen.
    hidden = models.BooleanField(_("hidden"), default=False)
    # Their number in an imported Pol.is export, so an export round-trips.
    imported_id = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "key"],
                condition=~Q(key=""),
                name="participant_one_per_key",
            ),
        ]

    def __str__(self) -> str:
        return _("Participant %(number)s") % {"number": self.pk}


class Statement(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(
        _("statement"), validators=[refuse_invisible], max_length=STATEMENT_MAX_LENGTH * 4
    )
    normalised = models.CharField(max_length=STATEMENT_MAX_LENGTH * 4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # About the conversation itself ("I live in Camden"): shown, never an opinion statement.
    is_meta = models.BooleanField(_("about the conversation"), default=False)
    # Written by the mission team to start the conversation off.
    is_seed = models.BooleanField(_("starter statement"), default=False)
    imported_id = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "normalised"], name="statement_unique_text"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.normalised = normalise(self.text)
        super().save(*args, **kwargs)


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        PASS = 0, _("Pass or unsure")
        DISAGREE = -1, _("Disagree")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            # A re-vote replaces the old one (an upsert on this constraint): never two rows.
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_one_per_pair"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]
        indexes = [models.Index(fields=["statement"], name="vote_statement_idx")]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.statement_id}: {self.value}"


class Analysis(models.Model):
    """A snapshot of the opinion engine's result, written by the background task.

    Pages read the latest snapshot; they never run the engine themselves. ``result`` holds only
    what the pages need (see ``analysis.result_to_json``), keyed by statement and participant ids.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="analyses"
    )
    computed_at = models.DateTimeField(db_index=True)
    votes_counted = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"{self.conversation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"
