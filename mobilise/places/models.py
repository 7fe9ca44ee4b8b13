"""UK geography: the UK, its nations, English regions and local authorities, with ONS (GSS) codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel


class Place(BaseModel):
    class Kind(models.TextChoices):
        UK = "uk", _("United Kingdom")
        NATION = "nation", _("Nation")
        REGION = "region", _("Region")
        COUNTY = "county", _("County (upper tier)")
        UNITARY = "unitary", _("Unitary authority")
        DISTRICT = "district", _("District (lower tier)")

    # Which kinds hold which: used to order lists and to describe a place's tier.
    LOCAL_AUTHORITY_KINDS = (Kind.COUNTY, Kind.UNITARY, Kind.DISTRICT)

    code = models.CharField(
        _("ONS code"), max_length=9, unique=True, help_text=_("GSS code, e.g. E09000022")
    )
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("Welsh name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"), null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(
        _("valid to (year)"), null=True, blank=True, help_text=_("Empty while the code is current.")
    )
    # GeoJSON geometry (WGS84). JSON rather than PostGIS so the same code runs on SQLite and PostgreSQL.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    # [min_lon, min_lat, max_lon, max_lat], kept so lists and maps need not read whole boundaries.
    bbox = models.JSONField(_("bounding box"), null=True, blank=True)
    # What a retired code became (a merger can have several successors: Northamptonshire became
    # North and West Northamptonshire). Loaded from the ONS changes table, not entered by hand.
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="place_valid_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("places:detail", args=[self.code])

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def display_name(self) -> str:
        """The Welsh name when the page is in Welsh and there is one."""
        from django.utils.translation import get_language

        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name
