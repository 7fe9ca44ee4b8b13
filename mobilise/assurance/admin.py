"""Admin for the records a council's secretariat keeps: members, meetings with their agenda,
papers, decisions and actions. Assessments and packs are read-only here (packs are snapshots)."""

from django.contrib import admin

from .models import (
    Action,
    AgendaItem,
    Assessment,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Notice,
    Pack,
    Paper,
)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "mission"]
    search_fields = ["name", "mission__title"]
    inlines = [CouncilMemberInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class PaperInline(admin.TabularInline):
    model = Paper
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["council", "starts_at", "location"]
    list_filter = ["council"]
    inlines = [AgendaInline, PaperInline, DecisionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["text", "council", "owner_name", "due_date", "status"]
    list_filter = ["status", "council"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["outcome", "pledge", "meeting", "owner_member"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # As ``services.action_create`` does: a member owner's account may update the action.
        if obj.owner_member_id and obj.owner_member.user_id:
            obj.owner_id = obj.owner_member.user_id
        super().save_model(request, obj, form, change)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["mission", "outcome", "rating", "assessed_on", "assessor"]
    list_filter = ["rating"]
    readonly_fields = ["assessor"]


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["mission", "period_start", "period_end", "status", "attempts", "generated_at"]
    readonly_fields = [
        "facts",
        "html",
        "pdf",
        "generated_at",
        "status",
        "attempts",
        "attempt_started_at",
        "failed_step",
        "error",
    ]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "email", "created_at"]
