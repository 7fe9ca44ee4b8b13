from django.contrib import admin

from .models import Pilot, PilotDeviation


class DeviationInline(admin.TabularInline):
    model = PilotDeviation
    extra = 0


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ("title", "mission", "design", "status", "start_date")
    list_filter = ("design", "status")
    search_fields = ("title", "hypothesis")
    raw_id_fields = ("mission", "outcome", "replicates", "created_by")
    inlines = [DeviationInline]
