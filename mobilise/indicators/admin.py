"""Admin for platform staff: indicators' metadata and targets. Observations are millions of rows
and come from the importer, so the admin lists them only through an indicator's series, never
on their own."""

from django.contrib import admin

from .models import Indicator, Milestone, Series, Target


class SeriesInline(admin.TabularInline):
    model = Series
    extra = 0
    fields = ["key", "dimensions", "unit"]
    readonly_fields = ["key", "dimensions"]
    show_change_link = False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "unit",
        "polarity",
        "periodicity",
        "additive",
        "source_name",
        "updated_at",
    ]
    list_filter = ["polarity", "periodicity", "additive"]
    search_fields = ["code", "title", "description", "source_name"]
    filter_horizontal = ["outcomes"]
    inlines = [SeriesInline]
    readonly_fields = ["created_at", "updated_at"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "place",
        "series",
        "baseline_period",
        "target_year",
        "target_value",
        "set_by",
        "updated_at",
    ]
    list_select_related = ["indicator", "place", "series", "set_by"]
    search_fields = ["indicator__code", "indicator__title", "place__code", "place__name"]
    raw_id_fields = ["indicator", "place", "series", "set_by"]
    inlines = [MilestoneInline]
    readonly_fields = ["created_at", "updated_at"]
