"""Missions, their measurable outcomes and their theory of change."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import DESCRIPTION_LIMIT, DESCRIPTION_MAX_LENGTH, SINGLE_LINE


class Mission(BaseModel):
    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ACHIEVED = "achieved", _("Achieved")
        CLOSED = "closed", _("Closed")

    # Statuses the public can see; a draft is visible only to the owning organisation's leads.
    PUBLIC_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.ACHIEVED, Status.CLOSED)

    # Where a mission may go from each status. Once published a mission never returns to draft:
    # people will have linked to it, joined it and pledged to it, so it stays on the public record;
    # a mission that stops is closed (and may be reopened), not hidden.
    STATUS_CHANGES = {
        Status.DRAFT: (Status.ACTIVE, Status.CLOSED),
        Status.ACTIVE: (Status.PAUSED, Status.ACHIEVED, Status.CLOSED),
        Status.PAUSED: (Status.ACTIVE, Status.ACHIEVED, Status.CLOSED),
        Status.ACHIEVED: (Status.ACTIVE, Status.CLOSED),
        Status.CLOSED: (Status.ACTIVE,),
    }

    HORIZON_MIN, HORIZON_MAX = 2000, 2100

    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=150)
    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    statement = models.CharField(
        _("mission statement"),
        max_length=300,
        help_text=_("One sentence that says what will change, where and by when."),
    )
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    horizon_year = models.PositiveSmallIntegerField(
        _("horizon year"), help_text=_("The year the mission aims to achieve its ambition")
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="missions",
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.LOCAL, db_index=True
    )
    places = models.ManyToManyField(
        "places.Place", verbose_name=_("places"), blank=True, related_name="missions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    contributes_to = models.ForeignKey(
        "self",
        verbose_name=_("contributes to national mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        limit_choices_to={"scope": "national"},
    )

    class Meta:
        ordering = ["scope", "title"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_year__gte=2000) & Q(horizon_year__lte=2100),
                name="mission_horizon_plausible",
            ),
            # A national mission does not contribute to another one; local ones may.
            models.CheckConstraint(
                condition=Q(scope="local") | Q(contributes_to__isnull=True),
                name="mission_only_local_contributes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def clean(self) -> None:
        # Errors are keyed to a field so that full_clean skips the DB constraint on the same field
        # and the person sees one plain message rather than a constraint name.
        errors: dict[str, str] = {}
        if (
            self.horizon_year is not None
            and not self.HORIZON_MIN <= self.horizon_year <= self.HORIZON_MAX
        ):
            errors["horizon_year"] = _("Enter a horizon year between %(min)s and %(max)s") % {
                "min": self.HORIZON_MIN,
                "max": self.HORIZON_MAX,
            }
        if self.contributes_to_id is not None:
            if self.scope == self.Scope.NATIONAL:
                errors["contributes_to"] = _(
                    "A national mission cannot contribute to another national mission"
                )
            elif self.pk is not None and self.contributes_to_id == self.pk:
                errors["contributes_to"] = _("A mission cannot contribute to itself")
        if (
            self.pk is not None
            and self.scope == self.Scope.LOCAL
            and Mission.objects.filter(contributes_to=self).exists()
        ):
            errors["scope"] = _(
                "Local missions contribute to this mission, so it must stay national. "
                "Ask their leads to link to another national mission first."
            )
        if errors:
            raise ValidationError(errors)


class Outcome(BaseModel):
    """A change in the world the mission seeks; indicators measure it (see the indicators app)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("name"), validators=SINGLE_LINE, max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=80)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=DESCRIPTION_LIMIT,
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A local mission's outcome contributes to an outcome of the national mission it contributes
    # to ("halve transport emissions by 2035" to "clean power by 2030").
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to national outcome"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )

    class Meta:
        ordering = ["mission", "order", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "slug"], name="outcome_slug_unique_in_mission"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("missions:outcome_detail", args=[self.mission.slug, self.slug])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_date is not None and not (
            Mission.HORIZON_MIN <= self.target_date.year <= Mission.HORIZON_MAX
        ):
            errors["target_date"] = _("The target date must be between %(min)s and %(max)s") % {
                "min": Mission.HORIZON_MIN,
                "max": Mission.HORIZON_MAX,
            }
        if self.parent_id is not None and self.mission_id is not None:
            national_id = self.mission.contributes_to_id
            if national_id is None or self.parent.mission_id != national_id:
                errors["parent"] = _(
                    "Choose an outcome of the national mission this mission contributes to"
                )
        if errors:
            raise ValidationError(errors)


class TheoryOfChangeNode(BaseModel):
    class Kind(models.TextChoices):
        # Ordered left to right as the diagram draws them.
        INPUT = "input", _("Input")
        ACTIVITY = "activity", _("Activity")
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")
        ASSUMPTION = "assumption", _("Assumption")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="toc_nodes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=DESCRIPTION_LIMIT,
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("mission outcome"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="toc_nodes",
        help_text=_("For an outcome node: the measurable outcome it stands for"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["mission", "order", "id"]
        verbose_name = _("theory of change step")
        verbose_name_plural = _("theory of change steps")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self) -> None:
        if self.outcome_id is None:
            return
        if self.kind != self.Kind.OUTCOME:
            raise ValidationError(
                {
                    "outcome": _(
                        "Only an outcome step can stand for a mission outcome. Choose ‘Outcome’ as the kind, or no mission outcome"
                    )
                }
            )
        if self.mission_id is not None and self.outcome.mission_id != self.mission_id:
            raise ValidationError({"outcome": _("Choose an outcome of this mission")})


class TheoryOfChangeLink(BaseModel):
    """``source`` leads to ``target`` (or, for an assumption, must hold for it), for the stated reason."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="toc_links")
    source = models.ForeignKey(
        TheoryOfChangeNode, on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        TheoryOfChangeNode, on_delete=models.CASCADE, related_name="links_in"
    )
    rationale = models.TextField(_("why this leads to that"), blank=True)

    class Meta:
        verbose_name = _("theory of change link")
        verbose_name_plural = _("theory of change links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="toclink_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="toclink_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source.title} → {self.target.title}"

    def clean(self) -> None:
        # Keyed to ``target`` so that full_clean does not also report the constraints on it.
        if self.source_id is None or self.target_id is None:
            return
        if self.mission_id is not None and (
            self.source.mission_id != self.mission_id or self.target.mission_id != self.mission_id
        ):
            raise ValidationError(
                {"target": _("Choose steps from this mission's theory of change")}
            )
        if self.source_id == self.target_id:
            raise ValidationError(
                {"target": _("A step cannot lead to itself. Choose a different step")}
            )
        if self.target.kind == TheoryOfChangeNode.Kind.ASSUMPTION:
            raise ValidationError(
                {
                    "target": _(
                        "An assumption cannot be the result of a step. Link from the assumption to the step it underpins"
                    )
                }
            )
        duplicates = TheoryOfChangeLink.objects.filter(
            source_id=self.source_id, target_id=self.target_id
        )
        if self.pk is not None:
            duplicates = duplicates.exclude(pk=self.pk)
        if duplicates.exists():
            raise ValidationError(
                {
                    "target": _(
                        "‘%(source)s’ already leads to ‘%(target)s’. Choose a different step"
                    )
                    % {"source": self.source.title, "target": self.target.title}
                }
            )
