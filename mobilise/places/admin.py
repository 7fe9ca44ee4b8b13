from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import geo
from .models import Place, PlaceMember


class CurrentFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class MemberInline(admin.TabularInline):
    model = PlaceMember
    fk_name = "area"
    raw_id_fields = ("member",)
    extra = 0
    verbose_name = _("member local authority")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "is_current")
    list_filter = ("kind", "vintage", CurrentFilter)
    search_fields = ("code", "ons_code", "name", "name_cy")
    inlines = (MemberInline,)
    list_select_related = ("parent",)
    raw_id_fields = ("parent", "successors")
    ordering = ("code",)
    # Boundaries are loaded from ONS files by `mobilise places load`, not typed in: the form shows a
    # summary instead of a megabyte textarea, and saving the form leaves the boundary alone.
    exclude = ("boundary",)
    readonly_fields = ("boundary_summary", "bbox", "created_at", "updated_at")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # The list never needs boundaries; the change form does, for the summary.
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            qs = qs.defer("boundary", "parent__boundary")
        return qs

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, obj: Place) -> bool:
        return obj.is_current

    @admin.display(description=_("boundary"))
    def boundary_summary(self, obj: Place) -> str:
        if not obj.boundary:
            return _("None")
        parts = geo.polygons(obj.boundary)
        count = sum(1 for _ in geo.points(obj.boundary))
        return _("%(type)s: %(polygons)s polygon(s), %(points)s points") % {
            "type": obj.boundary.get("type"),
            "polygons": len(parts),
            "points": f"{count:,}",
        }
