"""Pilots and the changes made to their analysis plan once they started."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import DESCRIPTION_LIMIT, DESCRIPTION_MAX_LENGTH, SINGLE_LINE


class Design(models.TextChoices):
    RANDOMISED = "randomised", _("Randomised controlled trial")
    CLUSTER_RANDOMISED = "cluster_randomised", _("Cluster-randomised trial")
    STEPPED_WEDGE = "stepped_wedge", _("Stepped wedge")
    DID = "did", _("Difference-in-differences")
    SYNTHETIC_CONTROL = "synthetic_control", _("Synthetic control")
    ITS = "its", _("Interrupted time series")
    RDD = "rdd", _("Regression discontinuity")
    BEFORE_AFTER = "before_after", _("Before and after")
    THEORY_BASED = "theory_based", _("Theory-based")


class Pilot(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")
        EVALUATED = "evaluated", _("Evaluated")

    # Once a pilot starts, these make up its analysis plan: changing one is a deviation.
    FROZEN_STATUSES = (Status.RUNNING, Status.ENDED, Status.EVALUATED)
    PLAN_FIELDS = ("design", "indicators", "treated_places", "comparison_places", "start_date")

    mission = models.ForeignKey("missions.Mission", on_delete=models.CASCADE, related_name="pilots")
    outcome = models.ForeignKey(
        "missions.Outcome",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pilots",
    )
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=200)
    hypothesis = models.TextField(
        _("hypothesis"), max_length=DESCRIPTION_MAX_LENGTH, validators=DESCRIPTION_LIMIT
    )
    intervention = models.TextField(
        _("intervention"), max_length=DESCRIPTION_MAX_LENGTH, validators=DESCRIPTION_LIMIT
    )
    treated_places = models.ManyToManyField(
        "places.Place", related_name="pilots_treated", verbose_name=_("treated places")
    )
    comparison_places = models.ManyToManyField(
        "places.Place",
        related_name="pilots_compared",
        blank=True,
        verbose_name=_("comparison places"),
    )
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"))
    indicators = models.ManyToManyField(
        "indicators.Indicator", related_name="pilots", verbose_name=_("outcome indicators")
    )
    design = models.CharField(_("design"), max_length=30, choices=Design.choices)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    partners = models.ManyToManyField(
        "accounts.Organisation", related_name="pilots", blank=True, verbose_name=_("partners")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    published = models.BooleanField(_("published"), default=True)
    replicates = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicates"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:pilot_detail", args=[self.pk])

    @property
    def plan_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES


class PilotDeviation(models.Model):
    """A change to a started pilot's analysis plan, with the reason given for it."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="deviations")
    field = models.CharField(_("field"), max_length=40)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.field}"


class PoolChange(models.Model):
    """A place added to or taken out of a pilot's comparison pool, and why."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="pool_changes")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.action} {self.place_id}"


class Evaluation(BaseModel):
    """The engine's results for a pilot, computed in the background and kept as JSON."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being computed")
        WAITING = "waiting", _("Waiting for data")
        DONE = "done", _("Computed")
        FAILED = "failed", _("Could not be computed")

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="evaluation")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    results = models.JSONField(_("results"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.pilot}: {self.status}"


class EvidenceLevel(models.IntegerChoices):
    """The Maryland Scientific Methods Scale, as the What Works Centres use it."""

    CORRELATION = 1, _("1 – a correlation at one point in time")
    BEFORE_AFTER = 2, _("2 – before and after, or with controls, without a comparison group")
    COMPARISON = 3, _("3 – before and after, against a comparison group")
    QUASI_RANDOM = 4, _("4 – a close comparison: quasi-random variation or matched controls")
    RANDOMISED = 5, _("5 – random assignment")


# The level a design reaches at best: the lead may choose lower.
DESIGN_LEVELS = {
    Design.RANDOMISED: 5,
    Design.CLUSTER_RANDOMISED: 5,
    Design.STEPPED_WEDGE: 5,
    Design.RDD: 4,
    Design.SYNTHETIC_CONTROL: 4,
    Design.DID: 3,
    Design.ITS: 2,
    Design.BEFORE_AFTER: 2,
    Design.THEORY_BASED: 1,
}


class Learning(BaseModel):
    """What a pilot (or several) taught, written for other places to reuse."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="learnings"
    )
    title = models.CharField(
        _("what was learned, in a line"), validators=SINGLE_LINE, max_length=200
    )
    summary = models.TextField(_("what was learned"))
    for_whom = models.TextField(_("for whom"), blank=True)
    conditions = models.TextField(_("in what conditions"), blank=True)
    evidence_level = models.PositiveSmallIntegerField(
        _("evidence level (Maryland Scientific Methods Scale)"), choices=EvidenceLevel.choices
    )
    pilots = models.ManyToManyField(Pilot, related_name="learnings", verbose_name=_("pilots"))
    published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:learning_detail", args=[self.pk])
