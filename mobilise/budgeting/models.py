"""Budget rounds: residents propose projects, officers check them, residents vote, a rule funds a set.

The database holds the rules that must never break, whatever code path writes: one ballot per
voter and round (``voter_key`` is ``user:<id>``, ``code:<id>`` or, for imported ballots,
``file:<voter id>``; once the count is published, ``services.ballots_anonymise`` replaces the
first two with random ``anon:`` tokens and drops the rest of what linked a ballot to its voter),
one choice per project on a ballot, positive points, a reason on every
rejected idea, a cost on every feasible one, progress between 0 and 100. Services (services.py)
check the same things first so people see a plain message; the constraints catch races and mistakes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import SINGLE_LINE

MONEY = {"max_digits": 14, "decimal_places": 2}


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Phase(models.TextChoices):
    IDEAS = "ideas", _("Ideas")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


PHASE_ORDER = [p.value for p in Phase]


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Choose any projects within the budget")
    K_APPROVAL = "k_approval", _("Choose up to a number of projects")
    CUMULATIVE = "cumulative", _("Share out points between projects")


class Rule(models.TextChoices):
    MES = "mes", _("Method of Equal Shares")
    GREEDY = "greedy", _("Greedy (most votes first)")


class Completion(models.TextChoices):
    ADD1 = "add1", _("Add1: raise every voter's share until the budget is used")
    NONE = "none", _("None")
    UTILITARIAN = "utilitarian", _("Fund the most popular projects that still fit")


class BudgetRound(BaseModel):
    """One round of participatory budgeting for a mission in a place."""

    Phase = Phase
    BallotType = BallotType
    Rule = Rule
    Completion = Completion

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="budget_rounds"
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    budget = models.DecimalField(_("budget"), **MONEY)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="GBP",
        help_text=_("A three-letter code. Rounds loaded from other countries keep their currency."),
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.IDEAS, db_index=True
    )
    ideas_close_on = models.DateField(_("ideas close"), null=True, blank=True)
    voting_opens_on = models.DateField(_("voting opens"), null=True, blank=True)
    voting_closes_on = models.DateField(_("voting closes"), null=True, blank=True)
    ballot_type = models.CharField(
        _("ballot"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    max_choices = models.PositiveIntegerField(
        _("most projects a voter may choose"), null=True, blank=True
    )
    points = models.PositiveIntegerField(_("points each voter shares out"), null=True, blank=True)
    rule = models.CharField(
        _("counting rule"), max_length=10, choices=Rule.choices, default=Rule.MES
    )
    completion = models.CharField(
        _("completion"), max_length=12, choices=Completion.choices, default=Completion.ADD1
    )
    postcode_districts = models.TextField(
        _("postcode districts"),
        blank=True,
        help_text=_(
            "The postcode districts of the place, separated by commas, e.g. NW1, NW3, NW5."
        ),
    )
    allow_voter_codes = models.BooleanField(
        _("voter codes"),
        default=True,
        help_text=_("Codes handed out for paper and in-person voting."),
    )
    unspent_note = models.TextField(
        _("what happens to money not spent"),
        max_length=500,
        blank=True,
        help_text=_(
            "Shown with the results, e.g. ‘Money not spent returns to the council’s highways budget’."
        ),
    )
    source_note = models.TextField(
        _("source of the data"),
        blank=True,
        help_text=_(
            "For rounds loaded from a published data set: where it came from and how to cite it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")
        constraints = [
            _choices_check("phase", Phase, "budgetround_phase_valid"),
            _choices_check("ballot_type", BallotType, "budgetround_ballot_type_valid"),
            _choices_check("rule", Rule, "budgetround_rule_valid"),
            _choices_check("completion", Completion, "budgetround_completion_valid"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="budgetround_budget_positive"),
            models.CheckConstraint(
                condition=~Q(ballot_type="k_approval") | Q(max_choices__gte=1),
                name="budgetround_k_approval_has_k",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type="cumulative") | Q(points__gte=1),
                name="budgetround_cumulative_has_points",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:round", args=[self.pk])

    @property
    def phase_today(self) -> str:
        """The phase as a resident should read it today: lists must not say "Voting" for a round
        whose closing day has passed but which ``mobilise budgets advance`` has not moved on yet."""
        from .timetable import round_dates  # timetable reads this model

        dates = round_dates(self)
        if dates.voting_closed:
            return str(_("Voting closed"))
        if dates.voting_not_yet_open:
            return str(_("Voting soon"))
        if dates.ideas_closed:
            return str(_("Ideas closed"))
        return self.get_phase_display()

    @property
    def districts(self) -> list[str]:
        return [
            d for d in (part.strip().upper() for part in self.postcode_districts.split(",")) if d
        ]

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    FEASIBLE = "feasible", _("On the ballot")
    REJECTED = "rejected", _("Not on the ballot")


class Project(BaseModel):
    """An idea a resident proposed; once an officer finds it feasible and costs it, it is on the ballot."""

    Status = ProjectStatus

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    cost = models.DecimalField(_("cost"), null=True, blank=True, **MONEY)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    reason = models.TextField(
        _("reason"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Published with the idea: why it is not on the ballot, or what the cost covers."
        ),
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position on the ballot"), default=0)
    # The project's id in an imported Pabulib file, kept so that counting breaks ties as the file would.
    external_id = models.CharField(max_length=64, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            _choices_check("status", ProjectStatus, "project_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="project_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="feasible") | Q(cost__isnull=False),
                name="project_feasible_has_cost",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="project_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pb_id(self) -> str:
        return self.external_id or str(self.pk)


class VoterCode(BaseModel):
    """A one-per-voter code for paper and in-person voting. Only a keyed hash is stored."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="voter_codes")
    code_hash = models.CharField(max_length=64)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voter code")
        verbose_name_plural = _("voter codes")
        constraints = [
            models.UniqueConstraint(fields=["round", "code_hash"], name="votercode_unique_in_round")
        ]

    def __str__(self) -> str:
        return f"voter code {self.pk}"


class Ballot(BaseModel):
    """One voter's ballot in one round; changing it updates this row."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter_code = models.ForeignKey(
        VoterCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    postcode_district = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter_key"], name="ballot_one_per_voter"),
            models.CheckConstraint(condition=~Q(voter_key=""), name="ballot_has_voter"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="ballotchoice_once"),
            models.CheckConstraint(condition=Q(points__gte=1), name="ballotchoice_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.points} for project {self.project_id}"


class Result(models.Model):
    """The count, kept as it was computed: what the rule funded, why, and greedy beside it."""

    round = models.OneToOneField(BudgetRound, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(max_length=10, choices=Rule.choices)
    completion = models.CharField(max_length=12, blank=True)
    selected = models.JSONField(
        default=list, help_text="Project ids in the order they were funded."
    )
    explanations = models.JSONField(default=dict, help_text="The engine's result, as to_dict().")
    comparison = models.JSONField(default=dict, help_text="Greedy's result on the same ballots.")
    ballots_counted = models.PositiveIntegerField(default=0)
    total_cost = models.DecimalField(**MONEY)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"result of {self.round}"


class DeliveryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class DeliveryItem(BaseModel):
    """A funded project being delivered.

    ``status``, ``progress``, ``spent`` and ``note`` are the latest update's, kept here so that
    lists read one row per project; the dated updates themselves (``DeliveryUpdate``) are the public
    history. The planned and actual dates are the item's own, changed by a lead as plans change."""

    Status = DeliveryStatus

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="delivery")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    spent = models.DecimalField(_("spent so far"), null=True, blank=True, **MONEY)
    note = models.TextField(_("latest news"), max_length=2000, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned finish"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual finish"), null=True, blank=True)

    class Meta:
        ordering = ["project__round", "project__position", "project__pk"]
        verbose_name = _("delivery item")
        verbose_name_plural = _("delivery items")
        constraints = [
            _choices_check("status", DeliveryStatus, "deliveryitem_status_valid"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="deliveryitem_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__gte=0),
                name="deliveryitem_spent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"delivery of {self.project}"


class DeliveryUpdate(BaseModel):
    """One dated update on a funded project, as a lead posted it: kept as it was, never edited."""

    Status = DeliveryStatus

    item = models.ForeignKey(DeliveryItem, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=DeliveryStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    spent = models.DecimalField(_("spent so far"), null=True, blank=True, **MONEY)
    note = models.TextField(_("what has happened"), max_length=2000)
    photo = models.FileField(_("photo"), upload_to="budgeting/delivery/%Y/%m/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=300, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery update")
        verbose_name_plural = _("delivery updates")
        constraints = [
            _choices_check("status", DeliveryStatus, "deliveryupdate_status_valid"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="deliveryupdate_progress_range",
            ),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__gte=0),
                name="deliveryupdate_spent_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="deliveryupdate_photo_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return f"update on {self.item.project} at {self.created_at:%Y-%m-%d}"


class DeliverySubscription(models.Model):
    """A signed-in resident who asked to get each new update on a funded project by e-mail."""

    item = models.ForeignKey(DeliveryItem, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery e-mail subscription")
        verbose_name_plural = _("delivery e-mail subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="deliverysubscription_once")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} follows {self.item_id}"


class ChangeKind(models.TextChoices):
    EDIT = "edit", _("Details edited")
    PHASE = "phase", _("Phase moved on")


class RoundChange(models.Model):
    """One change to a round as it was made, kept for the public "Changes to this round" page.

    Written by ``services.round_update`` and ``services.round_move_phase`` in the same transaction as
    the change, so a change is never kept without its record, or the other way round. ``changes``
    maps a field to ``[before, after]`` in JSON form (see history.py); only fields that changed.
    """

    Kind = ChangeKind

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from ``changed_by`` being empty: a lead's account may be deleted later, and that
    # must not turn their change into one the timetable made.
    by_timetable = models.BooleanField(_("moved by the published timetable"), default=False)
    kind = models.CharField(_("kind"), max_length=5, choices=ChangeKind.choices)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change to a round")
        verbose_name_plural = _("changes to a round")
        constraints = [
            _choices_check("kind", ChangeKind, "roundchange_kind_valid"),
            models.CheckConstraint(
                condition=Q(by_timetable=False) | Q(changed_by__isnull=True, kind="phase"),
                name="roundchange_timetable_moves_phases_alone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.round} at {self.changed_at:%Y-%m-%d %H:%M}"
