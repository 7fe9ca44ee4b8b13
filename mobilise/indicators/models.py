"""Indicators, their observations per place and period, and the targets set against them.

Observations are the one table that grows to millions of rows (a national data set is places ×
indicators × periods × breakdowns), so it is kept narrow: no timestamps, small codes, and one
unique key (series, place, period) that both the importer's upsert and the page queries use.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel


class Indicator(BaseModel):
    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        NEUTRAL = "neutral", _("No preferred direction")

    class Periodicity(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        FINANCIAL_YEAR = "financial_year", _("Financial year")
        ACADEMIC_YEAR = "academic_year", _("Academic year")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")
        MULTI_YEAR = "multi_year", _("Multi-year period")
        IRREGULAR = "irregular", _("Irregular")

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("e.g. 3-9-1 for an SDG indicator")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    source_name = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source web address"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.CharField(_("attribution"), max_length=500, blank=True)
    methodology_url = models.URLField(_("methodology web address"), max_length=500, blank=True)
    periodicity = models.CharField(
        _("periodicity"), max_length=20, choices=Periodicity.choices, default=Periodicity.ANNUAL
    )
    # Names of the breakdowns the data carries (e.g. ["Sex", "Age"]); the headline series has none set.
    dimensions = models.JSONField(_("breakdowns"), default=list, blank=True)
    # Counts and totals (people, tonnes, £) can be added up: an area made of local authorities
    # (ITL, NUTS, combined authority) then shows the sum of its members' figures, marked as
    # derived. Never set for rates, percentages, ratios or means (see ``units.additive_unit``).
    additive = models.BooleanField(
        _("can be added up"),
        default=False,
        help_text=_(
            "The values are counts or totals (people, tonnes, pounds) that can be added up "
            "across places, not rates, percentages or averages."
        ),
    )
    outcomes = models.ManyToManyField(
        "missions.Outcome",
        verbose_name=_("mission outcomes"),
        blank=True,
        related_name="indicators",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.code])


class Series(models.Model):
    """One combination of breakdown values of an indicator; ``key == ""`` is the headline series."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    key = models.CharField(
        _("key"), max_length=500, blank=True, help_text=_("Breakdowns as name=value pairs")
    )
    dimensions = models.JSONField(_("breakdown values"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="series_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.key or 'headline'}"

    @property
    def is_headline(self) -> bool:
        return self.key == ""


class Observation(models.Model):
    class Status(models.TextChoices):
        FINAL = "F", _("Final")
        PROVISIONAL = "P", _("Provisional")
        ESTIMATED = "E", _("Estimated")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="observations")
    # The period as published ("2021", "2021-Q2", "2021-03", "2021/22") and as a decimal year for ordering
    # and charts (the start of the period, see mobilise.engines.trajectory.periods).
    period = models.CharField(_("period"), max_length=16)
    time = models.FloatField(_("period start as a decimal year"))
    value = models.FloatField(_("value"))
    status = models.CharField(
        _("status"), max_length=1, choices=Status.choices, default=Status.FINAL
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "place", "period"], name="observation_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["place", "series", "time"], name="observation_place_series")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.place_id} {self.period} = {self.value}"


class IndicatorLink(BaseModel):
    """An indicator measuring a mission outcome in one place: what a lead links on the outcome's
    page. The ``Indicator.outcomes`` link (outcome and indicator, any place) is kept in step by
    the services: it exists while the outcome has at least one place linked to the indicator."""

    outcome = models.ForeignKey(
        "missions.Outcome",
        verbose_name=_("mission outcome"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="links"
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )

    class Meta:
        verbose_name = _("indicator linked to an outcome")
        verbose_name_plural = _("indicators linked to outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "indicator", "place"], name="indicatorlink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} for {self.outcome} in {self.place}"


class Target(BaseModel):
    """A baseline, a long-term target and milestones for one indicator in one place: a trajectory.

    A target belongs to an outcome's link to the indicator in the place (``link``), so two
    missions' outcomes measured by the same indicator in the same place each have their own.
    A target without a link (set on the indicator's page for the place) is the place's own,
    shown where an outcome has no target of its own.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    link = models.ForeignKey(
        IndicatorLink,
        verbose_name=_("outcome's link to the indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="targets")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="targets")
    baseline_period = models.CharField(_("baseline period"), max_length=16)
    baseline_value = models.FloatField(_("baseline value"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.FloatField(_("target value"))
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "place"],
                condition=Q(link__isnull=True),
                name="target_unique_per_series_place",
            ),
            models.UniqueConstraint(
                fields=["series", "link"],
                condition=Q(link__isnull=False),
                name="target_unique_per_series_link",
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=2000) & Q(target_year__lte=2100),
                name="target_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} in {self.place}: {self.target_value} by {self.target_year}"


class Milestone(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="milestone_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class ImportRecord(models.Model):
    """One import of indicator data, kept as history: who, when, which files, what changed.

    Written in the import's own transaction when it succeeds, and after it (the transaction
    having been rolled back) when it was refused, so refusals are on the record too. Dry runs
    (checks) are not imports and are not recorded.
    """

    class Via(models.TextChoices):
        SITE = "site", _("Upload on the site")
        COMMAND = "command", _("Command line")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via = models.CharField(_("how"), max_length=10, choices=Via.choices, default=Via.COMMAND)
    files = models.CharField(_("files"), max_length=1000, blank=True)
    replace = models.BooleanField(_("replaced the indicators' data"), default=False)
    ok = models.BooleanField(_("imported"), default=True)
    errors = models.PositiveIntegerField(_("problems"), default=0)
    created = models.PositiveIntegerField(_("values created"), default=0)
    updated = models.PositiveIntegerField(_("values updated"), default=0)
    unchanged = models.PositiveIntegerField(_("values unchanged"), default=0)
    removed = models.PositiveIntegerField(_("values removed"), default=0)
    indicators = models.ManyToManyField(
        Indicator, through="ImportRecordIndicator", related_name="import_records", blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.files}"


class ImportRecordIndicator(models.Model):
    """What one import did to one indicator."""

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="import_lines")
    created = models.PositiveIntegerField(_("values created"), default=0)
    updated = models.PositiveIntegerField(_("values updated"), default=0)
    unchanged = models.PositiveIntegerField(_("values unchanged"), default=0)
    removed = models.PositiveIntegerField(_("values removed"), default=0)

    class Meta:
        verbose_name = _("import of an indicator")
        verbose_name_plural = _("imports of indicators")
        constraints = [
            models.UniqueConstraint(fields=["record", "indicator"], name="importline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.indicator_id}"
