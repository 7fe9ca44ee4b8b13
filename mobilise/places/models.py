"""UK geography: the UK, its nations, English regions and local authorities, with ONS (GSS) codes;
and the statistical and mayoral areas built from local authorities: ITL 1-3 (January 2021 and
January 2025), NUTS 1-3 (2013 and 2016) and combined authorities."""

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
        COMBINED = "combined", _("Combined authority")
        ITL1 = "itl1", _("ITL 1 area")
        ITL2 = "itl2", _("ITL 2 area")
        ITL3 = "itl3", _("ITL 3 area")
        NUTS1 = "nuts1", _("NUTS 1 area")
        NUTS2 = "nuts2", _("NUTS 2 area")
        NUTS3 = "nuts3", _("NUTS 3 area")

    # Which kinds hold which: used to order lists and to describe a place's tier.
    LOCAL_AUTHORITY_KINDS = (Kind.COUNTY, Kind.UNITARY, Kind.DISTRICT)
    # Areas made of whole (or, for a few Scottish districts, parts of) local authorities.
    TERRITORIAL_KINDS = (Kind.ITL1, Kind.ITL2, Kind.ITL3, Kind.NUTS1, Kind.NUTS2, Kind.NUTS3)
    GROUPED_KINDS = (Kind.COMBINED, *TERRITORIAL_KINDS)

    # The key in addresses and forms. For a GSS place it is the GSS code; ITL and NUTS codes are
    # reused across classifications (TLC11 in 2021 and in 2025), so theirs carries the vintage's
    # last two digits: TLC11-21, TLC11-25, UKF22-16. ``ons_code`` keeps the code as published.
    code = models.CharField(
        _("ONS code"), max_length=9, unique=True, help_text=_("GSS code, e.g. E09000022")
    )
    ons_code = models.CharField(
        _("code as published"),
        max_length=9,
        blank=True,
        db_index=True,
        help_text=_("ITL or NUTS code as ONS publishes it, e.g. TLC11. Empty for GSS codes."),
    )
    vintage = models.PositiveSmallIntegerField(
        _("classification year"),
        null=True,
        blank=True,
        help_text=_("ITL 2021 or 2025, NUTS 2013 or 2016. Empty for GSS codes."),
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
    # The local authorities an ITL/NUTS area or combined authority is made of.
    members = models.ManyToManyField(
        "self",
        verbose_name=_("member local authorities"),
        symmetrical=False,
        blank=True,
        through="PlaceMember",
        related_name="member_of",
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
            models.UniqueConstraint(fields=["ons_code", "vintage"], name="place_code_per_vintage"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("places:detail", args=[self.code])

    @property
    def published_code(self) -> str:
        """The code as ONS publishes it: TLC11 for ``TLC11-25``."""
        return self.ons_code or self.code

    @property
    def vintage_label(self) -> str:
        """ "ITL 2025", "NUTS 2013"; empty for GSS places."""
        if self.vintage is None:
            return ""
        scheme = (
            "NUTS" if self.kind in (self.Kind.NUTS1, self.Kind.NUTS2, self.Kind.NUTS3) else "ITL"
        )
        return f"{scheme} {self.vintage}"

    @property
    def level_label(self) -> str:
        """The kind with its classification: "ITL 3 area (January 2025)", "NUTS 3 area (2013)"."""
        from django.utils.translation import gettext

        kind = str(self.get_kind_display())
        if self.vintage is None:
            return kind
        if self.kind in (self.Kind.ITL1, self.Kind.ITL2, self.Kind.ITL3):
            return gettext("%(kind)s (January %(year)s)") % {"kind": kind, "year": self.vintage}
        return f"{kind} ({self.vintage})"

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


class PlaceMember(models.Model):
    """One local authority in an area. ``whole`` is false where ONS split the authority between
    areas (Highland, Argyll and Bute, North Ayrshire): it is then only partly inside, and neither
    its boundary nor its figures can simply be added in."""

    area = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="area_links")
    whole = models.BooleanField(_("wholly inside"), default=True)

    class Meta:
        verbose_name = _("member local authority")
        verbose_name_plural = _("member local authorities")
        constraints = [
            models.UniqueConstraint(fields=["area", "member"], name="place_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.area}"
