"""A mission's coalition: who is in it, what they pledge, what is asked and offered, and volunteering.

The database holds the rules that must never break, whatever code path writes: one live request
per organisation and mission, a pledger on every pledge, quantities above zero, a session never
over capacity, one active sign-up per person and session. Services (services.py) check the same
things first so people see a plain message; the constraints catch races and mistakes.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import SINGLE_LINE

MONEY = {"max_digits": 12, "decimal_places": 2}
AMOUNT = {"max_digits": 12, "decimal_places": 2}


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Member")
    DECLINED = "declined", _("Declined")


class CoalitionMember(BaseModel):
    """An organisation's place in a mission's coalition, from its request to the lead's decision.

    A declined request stays as a record; the organisation may ask again, which makes a new row.
    """

    Status = MemberStatus

    LIVE_STATUSES = (MemberStatus.PENDING, MemberStatus.ACCEPTED)

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="coalition_members"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="coalition_memberships",
    )
    statement = models.TextField(
        _("what the organisation brings"),
        max_length=1000,
        help_text=_("A few sentences on what you will bring to the mission."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["mission", "organisation__name"]
        verbose_name = _("coalition member")
        verbose_name_plural = _("coalition members")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organisation"],
                condition=Q(status__in=["pending", "accepted"]),
                name="coalitionmember_one_live_request",
            ),
            _choices_check("status", MemberStatus, "coalitionmember_status_valid"),
            # A decision says who made it and when; a request waiting for one has neither.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="coalitionmember_decided_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.mission} ({self.get_status_display()})"


class Pledge(BaseModel):
    """A commitment to a mission: what, for which outcome, where, how much, by when.

    Made by an organisation in the coalition or by a resident (exactly one of the two). ``delivered``
    and ``fulfilled_on`` follow from the progress updates, kept up to date in the same transaction.
    """

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="pledges"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledges",
        help_text=_("For a resident's own pledge; empty when an organisation pledges."),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("what you will do"), validators=SINGLE_LINE, max_length=200)
    description = models.TextField(_("more detail"), max_length=2000, blank=True)
    outcome = models.ForeignKey(
        "missions.Outcome",
        verbose_name=_("outcome it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    toc_node = models.ForeignKey(
        "missions.TheoryOfChangeNode",
        verbose_name=_("theory of change step it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    places = models.ManyToManyField(
        "places.Place", verbose_name=_("places"), blank=True, related_name="pledges"
    )
    quantity = models.DecimalField(_("how much"), **AMOUNT)
    unit = models.CharField(_("unit"), max_length=60)
    due_date = models.DateField(_("by when"))
    money_value = models.DecimalField(_("money (£)"), null=True, blank=True, **MONEY)
    in_kind_value = models.DecimalField(_("in-kind value (£)"), null=True, blank=True, **MONEY)
    delivered = models.DecimalField(_("delivered so far"), default=Decimal(0), **AMOUNT)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged for follow-up"), null=True, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_note = models.TextField(_("follow-up note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["mission", "due_date", "id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="pledge_one_pledger",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pledge_quantity_positive"),
            models.CheckConstraint(
                condition=Q(delivered__gte=0), name="pledge_delivered_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(money_value__isnull=True) | Q(money_value__gte=0),
                name="pledge_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(in_kind_value__isnull=True) | Q(in_kind_value__gte=0),
                name="pledge_in_kind_not_negative",
            ),
            # Fulfilled means everything pledged has been delivered.
            models.CheckConstraint(
                condition=Q(fulfilled_on__isnull=True) | Q(delivered__gte=F("quantity")),
                name="pledge_fulfilled_only_when_delivered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coalition:pledge_detail", args=[self.pk])

    @property
    def share_delivered(self) -> float:
        """Delivered as a share of the pledge, 0 to 1 (more than delivered counts as all of it)."""
        if not self.quantity:
            return 0.0
        return min(float(self.delivered / self.quantity), 1.0)

    def timeliness(self, today: dt.date) -> str:
        """One of the ``Timeliness`` values: fulfilled (on time or late), on track, behind, overdue.

        On track means delivery so far keeps pace with a straight line from the day the pledge
        was made to its due date.
        """
        if self.fulfilled_on is not None:
            return Timeliness.ON_TIME if self.fulfilled_on <= self.due_date else Timeliness.LATE
        if today > self.due_date:
            return Timeliness.OVERDUE
        start = self.created_at.date() if self.created_at else today
        span = (self.due_date - start).days
        expected = 1.0 if span <= 0 else min(max((today - start).days / span, 0.0), 1.0)
        return Timeliness.ON_TRACK if self.share_delivered >= expected - 0.05 else Timeliness.BEHIND


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Fulfilled on time")
    LATE = "late", _("Fulfilled late")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    OVERDUE = "overdue", _("Overdue")


class PledgeUpdate(BaseModel):
    """A progress report: how much more was delivered, with evidence and a note."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates")
    amount = models.DecimalField(_("amount delivered"), **AMOUNT)
    reported_on = models.DateField(_("date"))
    evidence_url = models.URLField(_("link to evidence"), max_length=500, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the update was made by a connection in the exchange on an offer made from the
    # pledge (``Offer.pledge``): the match counts towards the pledge once, whoever completes it.
    match = models.OneToOneField(
        "Match",
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledge_update",
    )

    class Meta:
        ordering = ["pledge", "reported_on", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="pledgeupdate_amount_not_negative"
            ),
            # An update with nothing delivered must at least say why.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | ~Q(note=""), name="pledgeupdate_says_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pledge}: {self.amount} on {self.reported_on}"


class Category(models.TextChoices):
    """What an ask needs or an offer gives (the issue's list, in its order)."""

    VOLUNTEERS = "volunteers", _("Volunteers")
    SKILLS = "skills", _("Skills")
    PREMISES = "premises", _("Premises")
    EQUIPMENT = "equipment", _("Equipment")
    FUNDING = "funding", _("Funding")
    DATA = "data", _("Data")
    INTRODUCTIONS = "introductions", _("Introductions")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class _Listing(BaseModel):
    """What asks and offers share (each adds its mission, place, who and when)."""

    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(
        _("category"), max_length=15, choices=Category.choices, db_index=True
    )
    title = models.CharField(_("title"), validators=SINGLE_LINE, max_length=150)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    tags = models.JSONField(_("skills or tags"), default=list, blank=True)
    quantity = models.DecimalField(_("how much"), **AMOUNT)
    unit = models.CharField(_("unit"), max_length=60)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ListingStatus.choices,
        default=ListingStatus.OPEN,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Ask(_Listing):
    """Something a mission team or coalition member needs, posted as an organisation."""

    mission = models.ForeignKey("missions.Mission", on_delete=models.CASCADE, related_name="asks")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="asks",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="asks"
    )
    start_date = models.DateField(_("needed from"))
    end_date = models.DateField(_("needed until"))

    class Meta:
        ordering = ["mission", "end_date", "id"]
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ask_quantity_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="ask_dates_in_order"
            ),
            _choices_check("category", Category, "ask_category_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="ask_closed_when_closed",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("coalition:ask_detail", args=[self.pk])


class Offer(_Listing):
    """Something a partner or resident can give: an organisation's or a person's (exactly one)."""

    mission = models.ForeignKey("missions.Mission", on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("offered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offers",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="offers"
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    contact_consent = models.BooleanField(
        _("share contact details when matched"),
        default=False,
        help_text=_("If ticked, accepting a match with this offer needs no further step from you."),
    )
    # An in-kind pledge offered in the exchange: a connection on this offer counts towards it.
    pledge = models.ForeignKey(
        Pledge,
        verbose_name=_("pledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )

    class Meta:
        ordering = ["mission", "available_from", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="offer_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="offer_one_offerer",
            ),
            _choices_check("category", Category, "offer_category_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="offer_closed_when_closed",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("coalition:offer_detail", args=[self.pk])


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a reply")
    CONNECTED = "connected", _("Connected")
    DECLINED = "declined", _("Declined")


class Match(BaseModel):
    """An ask and an offer brought together. Each side consents before the other sees its contact
    details; once both have, the match is a connection."""

    Status = MatchStatus

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("match score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    ask_consented_at = models.DateTimeField(_("asker agreed"), null=True, blank=True)
    offer_consented_at = models.DateTimeField(_("offerer agreed"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    # When a side has no one on the site to answer, a mission lead records its consent (how it was
    # given) or e-mails it the other side's contact details; the note says which, by whom.
    ask_consent_note = models.TextField(_("how the asker agreed"), max_length=500, blank=True)
    offer_consent_note = models.TextField(_("how the offerer agreed"), max_length=500, blank=True)
    handed_over_to = models.EmailField(_("contact details e-mailed to"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["ask", "offer"], name="match_once_per_pair"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="match_score_range"
            ),
            # A connection shares contact details, so it exists only with both sides' consent.
            models.CheckConstraint(
                condition=~Q(status="connected")
                | Q(ask_consented_at__isnull=False, offer_consented_at__isnull=False),
                name="match_connected_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(status="declined", declined_at__isnull=False)
                | (~Q(status="declined") & Q(declined_at__isnull=True)),
                name="match_declined_when_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ask} ↔ {self.offer}"

    @property
    def units_differ(self) -> bool:
        """The engine could not compare the quantities (units that do not convert), so the score
        is not a percentage of what was asked."""
        return any(r.get("code") == "different_units" for r in self.reasons or [])

    @property
    def percent(self) -> int | None:
        return None if self.units_differ else round(self.score * 100)

    def get_absolute_url(self) -> str:
        return reverse("coalition:match_detail", args=[self.pk])


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Opportunity(BaseModel):
    """A volunteering role, run by an organisation in the coalition, in one place."""

    Status = OpportunityStatus

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="opportunities"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role"), validators=SINGLE_LINE, max_length=150)
    description = models.TextField(_("what volunteers will do"), max_length=3000)
    dbs_check_required = models.BooleanField(_("needs a DBS check"), default=False)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    requirements = models.TextField(_("other requirements"), max_length=1000, blank=True)
    accessibility = models.TextField(_("accessibility"), max_length=1000, blank=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    location = models.CharField(_("where"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("volunteering opportunity")
        verbose_name_plural = _("volunteering opportunities")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True) | Q(minimum_age__lte=100),
                name="opportunity_minimum_age_plausible",
            ),
            _choices_check("status", OpportunityStatus, "opportunity_status_valid"),
        ]

    def __str__(self) -> str:
        return self.role

    def get_absolute_url(self) -> str:
        return reverse("coalition:opportunity_detail", args=[self.pk])


class Session(BaseModel):
    """One date of an opportunity, with a fixed number of places.

    ``confirmed_count`` counts confirmed sign-ups. Sign-ups raise it with a conditional UPDATE that
    only succeeds below ``capacity``, and the check constraint makes exceeding capacity impossible
    however the row is written.
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))
    confirmed_count = models.PositiveIntegerField(_("confirmed volunteers"), default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_count__gte=0), name="session_count_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")), name="session_never_over_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} – {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("coalition:session_detail", args=[self.pk])

    @property
    def spaces_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def hours(self) -> Decimal:
        return Decimal(round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)).quantize(
            Decimal("0.01")
        )


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(BaseModel):
    """A person's place on a session (confirmed) or in its queue (waiting), or a cancelled one.

    The waiting list is first come, first served: by ``created_at`` then ``id``.
    """

    Status = SignUpStatus

    ACTIVE_STATUSES = (SignUpStatus.CONFIRMED, SignUpStatus.WAITING)
    MAX_HOURS = 24

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="sign_ups")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_sign_ups"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="signup_one_active_per_person",
            ),
            _choices_check("status", SignUpStatus, "signup_status_valid"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="signup_cancelled_when_cancelled",
            ),
            # Attendance and hours are recorded only for people who had a place.
            models.CheckConstraint(
                condition=Q(status="confirmed") | Q(attended__isnull=True, hours__isnull=True),
                name="signup_attendance_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | (Q(hours__gte=0) & Q(hours__lte=24)),
                name="signup_hours_in_a_day",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours=0) | Q(attended=True),
                name="signup_hours_only_when_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session} ({self.get_status_display()})"
