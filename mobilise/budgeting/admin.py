from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import history
from .models import Ballot, BudgetRound, DeliveryItem, Project, Result, RoundChange, VoterCode


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ["position", "title", "cost", "status", "reason", "category"]
    extra = 0


class RoundChangeInline(admin.TabularInline):
    """The round's history, read-only: it is a record of what happened, not something to edit."""

    model = RoundChange
    fields = ["changed_at", "kind", "changed_by", "by_timetable", "what_changed"]
    readonly_fields = fields
    ordering = ["-changed_at", "-pk"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("changes to this round (newest first)")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description=_("what changed"))
    def what_changed(self, change: RoundChange) -> str:
        # The same plain words as the public "Changes to this round" page, not the stored JSON.
        return "; ".join(line.text for line in history.lines(change, change.round.currency))


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
    inlines = [ProjectInline, RoundChangeInline]


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
