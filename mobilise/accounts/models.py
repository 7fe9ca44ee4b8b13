"""People, their platform roles, and the organisations they belong to."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.core.models import BaseModel
from mobilise.core.validators import DESCRIPTION_LIMIT, DESCRIPTION_MAX_LENGTH, SINGLE_LINE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, known by e-mail address (no usernames)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), validators=SINGLE_LINE, max_length=150, blank=True)
    home_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("home place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    MISSION_LEAD = "mission_lead", _("Mission lead")
    COUNCIL_MEMBER = "council_member", _("Council member")
    PARTNER = "partner", _("Partner")
    RESIDENT = "resident", _("Resident")


class UserRole(BaseModel):
    """A platform role held by a person; a person may hold several (a lead is usually a resident too)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Sector(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body")
    BUSINESS = "business", _("Business")
    CHARITY = "charity", _("Charity or VCSE")
    UNION = "union", _("Trade union")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    COMMUNITY = "community", _("Community group")


class Organisation(BaseModel):
    name = models.CharField(_("name"), validators=SINGLE_LINE, max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    registered_number = models.CharField(
        _("registered number"),
        max_length=40,
        blank=True,
        help_text=_("Companies House or Charity Commission number, if it has one"),
    )
    home_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("home place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("what the organisation does"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=DESCRIPTION_LIMIT,
    )
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation_detail", args=[self.slug])


class Membership(BaseModel):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"


class DataExport(BaseModel):
    """A ZIP of everything held about a person, made in the background when they ask for it.

    The file lives in this row (the database is private), never under the public media path; only
    its person can download it, from their account page. Asking again replaces it, and it goes
    with the account.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(editable=False, default=b"")
    size = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")

    def __str__(self) -> str:
        return f"data download {self.pk} ({self.status})"
