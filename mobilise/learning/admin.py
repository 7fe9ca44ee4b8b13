from django.contrib import admin

from .models import Evaluation, Learning, Pilot, PilotDeviation, PoolChange


class DeviationInline(admin.TabularInline):
    model = PilotDeviation
    extra = 0


class PoolChangeInline(admin.TabularInline):
    model = PoolChange
    extra = 0
    raw_id_fields = ("place", "changed_by")


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ("title", "mission", "design", "status", "start_date")
    list_filter = ("design", "status")
    search_fields = ("title", "hypothesis")
    raw_id_fields = ("mission", "outcome", "replicates", "created_by")
    inlines = [DeviationInline, PoolChangeInline]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("pilot", "status", "computed_at")
    raw_id_fields = ("pilot",)


@admin.register(Learning)
class LearningAdmin(admin.ModelAdmin):
    list_display = ("title", "mission", "evidence_level", "published")
    search_fields = ("title", "summary")
    raw_id_fields = ("mission", "created_by")
