from django.contrib import admin

from .models import Analysis, Conversation, Participant, Statement


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("question", "mission", "status", "moderation", "created_at")
    list_filter = ("status", "moderation")
    search_fields = ("question",)
    raw_id_fields = ("mission", "place", "created_by")


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("text", "conversation", "status", "is_seed", "is_meta", "created_at")
    list_filter = ("status", "is_seed", "is_meta")
    search_fields = ("text",)
    raw_id_fields = ("conversation", "participant", "author")


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("pk", "conversation", "user", "hidden", "created_at")
    list_filter = ("hidden",)
    raw_id_fields = ("conversation", "user")


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ("conversation", "computed_at", "votes_counted")
    raw_id_fields = ("conversation",)
