"""The Django admin for people, their platform roles, organisations and memberships."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from mobilise.places.models import Place

from .models import Membership, Organisation, User, UserRole


class DeferBoundaryMixin:
    """Place boundaries are large GeoJSON; lists and home-place menus never need them."""

    def get_queryset(self, request):
        return super().get_queryset(request).defer("home_place__boundary")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Place:
            kwargs["queryset"] = Place.objects.defer("boundary").order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UserCreationAdminForm(AdminUserCreationForm):
    """Django's creation form is built around usernames; ours are e-mail addresses."""

    class Meta:
        model = User
        fields = ("email", "name")

    def clean_email(self) -> str:
        # The manager lower-cases addresses; do the same here and refuse a case-only duplicate,
        # which the database's case-sensitive unique index would let through.
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with that e-mail address already exists."))
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A user with that e-mail address already exists."))
        return email


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0
    fields = ["role", "created_at"]
    readonly_fields = ["created_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class UserMembershipInline(MembershipInline):
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    verbose_name = _("organisation membership")
    verbose_name_plural = _("organisation memberships")


@admin.register(User)
class UserAdmin(DeferBoundaryMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "name", "home_place", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "roles__role"]
    search_fields = ["email", "name"]
    list_select_related = ["home_place"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserRoleInline, UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("name", "home_place")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_inline_instances(self, request, obj=None):
        # Adding a person is just their address and password; roles and memberships come after.
        return super().get_inline_instances(request, obj) if obj else []

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(DeferBoundaryMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "home_place", "registered_number", "created_at"]
    list_filter = ["sector"]
    search_fields = ["name", "slug", "registered_number"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["home_place"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__sector"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
