"""Mission councils, delivery-confidence assessments, stocktake packs and the record of e-mails sent.

Risks are not stored: a mission's risks are derived (see ``selectors.risks``) from red and
amber/red assessments, overdue actions and off-track indicators, so they can never go stale.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import SINGLE_LINE

PAPER_MAX_BYTES = 10 * 1024 * 1024
# A pack still pending this long after its current attempt started has most likely lost its worker
# (machine restarted, out of memory, deploy): it may be tried again. Printing takes seconds, so an
# hour leaves a slow worker, or a long queue, ample room. The pages say "more than an hour".
PACK_STALE_AFTER = dt.timedelta(hours=1)
PAPER_EXTENSIONS = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".csv", ".txt", ".pptx")


def validate_paper(upload) -> None:  # type: ignore[no-untyped-def]
    """Papers are documents people read: a common office format, no larger than 10 MB."""
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError(_("The file must be smaller than 10 MB"))
    if Path(upload.name).suffix.lower() not in PAPER_EXTENSIONS:
        raise ValidationError(
            _("The file must be a PDF, Word, OpenDocument, Excel, PowerPoint, CSV or text file")
        )


class Council(BaseModel):
    """A mission's council: people from every sector who hold the mission to account."""

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, related_name="council"
    )
    name = models.CharField(_("name"), validators=SINGLE_LINE, max_length=200)
    remit = models.TextField(_("remit"), blank=True)

    class Meta:
        verbose_name = _("mission council")
        verbose_name_plural = _("mission councils")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assurance:council", args=[self.mission.slug])


class CouncilMemberQuerySet(models.QuerySet):
    def in_term(self, day: dt.date | None = None) -> "CouncilMemberQuerySet":
        """Members whose term covers ``day`` (today by default): the SQL of ``in_term()``."""
        day = day or timezone.localdate()
        return self.filter(term_start__lte=day).exclude(term_end__lt=day)


class CouncilMember(BaseModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public body")
        BUSINESS = "business", _("Business")
        CHARITY = "charity", _("Charity or community")
        UNION = "union", _("Trade union")
        ANCHOR = "anchor", _("Anchor institution")
        RESIDENT = "resident", _("Resident")

    objects = CouncilMemberQuerySet.as_manager()

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    # A person with an account, or a named person outside the service (then ``user`` is empty).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
    )
    name = models.CharField(_("name"), validators=SINGLE_LINE, max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    is_assessor = models.BooleanField(
        _("assesses delivery confidence"),
        default=False,
        help_text=_("May record delivery-confidence assessments for the mission"),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["council", "role", "name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="councilmember_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def in_term(self, day=None) -> bool:  # type: ignore[no-untyped-def]
        day = day or timezone.localdate()
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    @property
    def contact(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


class Meeting(BaseModel):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    # Where it is held, a link to join it online, or both (at least one: see services).
    location = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link to join online"), max_length=500, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "-starts_at"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} – {timezone.localtime(self.starts_at):%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("assurance:meeting", args=[self.council.mission.slug, self.pk])


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("item"), validators=SINGLE_LINE, max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Paper(BaseModel):
    """A document for a meeting: an uploaded file, or one of the mission's stocktake packs (whose
    PDF is then the paper, so a pack is never copied nor uploaded again)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=200)
    file = models.FileField(
        _("file"), upload_to="assurance/papers/%Y/%m/", validators=[validate_paper], blank=True
    )
    pack = models.ForeignKey(
        "Pack",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="papers",
        verbose_name=_("stocktake pack"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "title"]
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")
        constraints = [
            models.CheckConstraint(
                condition=Q(pack__isnull=True) ^ Q(file=""), name="paper_file_or_pack"
            ),
            models.UniqueConstraint(fields=["meeting", "pack"], name="paper_pack_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(BaseModel):
    """What the council decided at a meeting, under one item of its agenda, on whose proposal."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        NOT_AGREED = "not_agreed", _("Not agreed")
        DEFERRED = "deferred", _("Deferred")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    # Empty only for decisions recorded before agenda items could be chosen; an item with
    # decisions stays on the agenda (see services.agenda_set).
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    proposed_by = models.ForeignKey(
        CouncilMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The proposer's name as the record gives it, kept if the member's seat is later removed.
    proposer_name = models.CharField(_("proposed by"), max_length=150, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.AGREED
    )
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class Action(BaseModel):
    """Something the council asked someone to do, about the mission, one outcome or one pledge."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assurance_actions",
    )
    # The council member who will do it, when they sit on the council (with or without an
    # account): reminders go to them. ``owner`` is then their account, if they have one, so the
    # owner may update the action; ``owner_name`` is their name as the minutes give it.
    owner_member = models.ForeignKey(
        CouncilMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_owned",
        verbose_name=_("owner on the council"),
    )
    owner_name = models.CharField(
        _("owner"), max_length=150, help_text=_("Who will do it, as the minutes name them")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # What it concerns: one outcome, one pledge, or (both empty) the mission as a whole.
    outcome = models.ForeignKey(
        "missions.Outcome", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pledge = models.ForeignKey(
        "coalition.Pledge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(pledge__isnull=True),
                name="action_one_target_at_most",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.outcome_id and self.pledge_id:
            raise ValidationError(
                {"pledge": _("Link the action to an outcome or to a pledge, not both")}
            )
        if self.owner_member_id and self.owner_member.council_id != self.council_id:
            raise ValidationError(
                {"owner_member": _("Choose a member of this council to own the action")}
            )

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:  # type: ignore[no-untyped-def]
        return self.is_open and self.due_date < (today or timezone.localdate())


class Rating(models.TextChoices):
    """The Infrastructure and Projects Authority's five-point delivery confidence scale."""

    GREEN = "green", _("Green")
    AMBER_GREEN = "amber_green", _("Amber/Green")
    AMBER = "amber", _("Amber")
    AMBER_RED = "amber_red", _("Amber/Red")
    RED = "red", _("Red")


RATING_MEANINGS = {
    Rating.GREEN: _("Successful delivery is highly likely"),
    Rating.AMBER_GREEN: _("Successful delivery is probable"),
    Rating.AMBER: _("Successful delivery is feasible but there are significant issues"),
    Rating.AMBER_RED: _("Successful delivery is in doubt"),
    Rating.RED: _("Successful delivery appears to be unachievable"),
}
# Best (5) to worst (1): for the step chart and for "improved" / "worsened".
RATING_SCORES = {
    Rating.GREEN: 5,
    Rating.AMBER_GREEN: 4,
    Rating.AMBER: 3,
    Rating.AMBER_RED: 2,
    Rating.RED: 1,
}
RATING_TAGS = {
    Rating.GREEN: "govuk-tag--green",
    Rating.AMBER_GREEN: "govuk-tag--turquoise",
    Rating.AMBER: "govuk-tag--yellow",
    Rating.AMBER_RED: "govuk-tag--orange",
    Rating.RED: "govuk-tag--red",
}
EXCEPTION_RATINGS = (Rating.RED, Rating.AMBER_RED)


class Assessment(BaseModel):
    """A delivery-confidence judgement on a mission (``outcome`` empty) or one of its outcomes."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="assessments"
    )
    outcome = models.ForeignKey(
        "missions.Outcome",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    rating = models.CharField(_("delivery confidence"), max_length=12, choices=Rating.choices)
    rationale = models.TextField(_("rationale"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_on = models.DateField(_("date of assessment"))

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("delivery confidence assessment")
        verbose_name_plural = _("delivery confidence assessments")
        indexes = [models.Index(fields=["mission", "outcome", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.assessed_on})"

    @property
    def score(self) -> int:
        return RATING_SCORES[Rating(self.rating)]


class Pack(BaseModel):
    """A stocktake pack: a dated snapshot. Once ready, its HTML, PDF and facts never change."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        """Where a failed attempt stopped, so the people who may retry read it in plain words."""

        FACTS = "facts", _("gathering the facts")
        HTML = "html", _("drawing the pack's pages")
        PDF = "pdf", _("printing the PDF")

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="stocktake_packs"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.FileField(upload_to="assurance/packs/%Y/", blank=True)
    # The last failed attempt: where it stopped and the error, for the people who may try again.
    error = models.TextField(blank=True)
    failed_step = models.CharField(max_length=5, choices=Step.choices, blank=True)
    # How many times the worker started on this pack (the first run and every retry).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the current attempt was queued or its worker began, whichever is later; what tells a
    # stalled pack from a slow one. Not ``updated_at``: anything that saves the row resets that.
    attempt_started_at = models.DateTimeField(_("attempt started"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("stocktake pack")
        verbose_name_plural = _("stocktake packs")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="pack_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission} {self.period_start} – {self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("assurance:pack", args=[self.mission.slug, self.pk])

    @property
    def is_stalled(self) -> bool:
        """Pending for more than ``PACK_STALE_AFTER`` since its current attempt started."""
        return (
            self.status == self.Status.PENDING
            and self.attempt_started_at is not None
            and self.attempt_started_at < timezone.now() - PACK_STALE_AFTER
        )


class Notice(BaseModel):
    """An e-mail sent by the reminders command, recorded so the same one is never sent twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Meeting digest")
        REMINDER = "reminder", _("Action reminder")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What it was about: "meeting:12" or "action:34:due" / "action:34:overdue".
    subject_key = models.CharField(max_length=60)
    email = models.EmailField()

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "email"], name="notice_sent_once"
            )
        ]
