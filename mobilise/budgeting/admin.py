from django.contrib import admin

from .models import Ballot, BudgetRound, DeliveryItem, Project, Result, VoterCode


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ["position", "title", "cost", "status", "reason", "category"]
    extra = 0


@admin.register(BudgetRound)
class BudgetRoundAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "mission",
        "place",
        "phase",
        "budget",
        "currency",
        "ballot_type",
        "rule",
    ]
    list_filter = ["phase", "ballot_type", "rule"]
    search_fields = ["title"]
    raw_id_fields = ["mission", "place", "created_by"]
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "status", "cost"]
    list_filter = ["status"]
    raw_id_fields = ["round", "proposer", "reviewed_by"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    # Who voted for what is not shown here: ballots are secret, even to administrators.
    list_display = ["round", "created_at", "updated_at", "postcode_district"]
    fields = ["round", "postcode_district", "created_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(VoterCode)
class VoterCodeAdmin(admin.ModelAdmin):
    list_display = ["round", "created_at", "used_at"]
    fields = ["round", "used_at"]
    readonly_fields = fields


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["round", "rule", "ballots_counted", "total_cost", "computed_at"]
    readonly_fields = [
        "round",
        "rule",
        "completion",
        "selected",
        "ballots_counted",
        "total_cost",
        "computed_at",
    ]
    exclude = ["explanations", "comparison"]


@admin.register(DeliveryItem)
class DeliveryItemAdmin(admin.ModelAdmin):
    list_display = ["project", "status", "progress", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["project"]
