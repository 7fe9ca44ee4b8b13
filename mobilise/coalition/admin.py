"""Admin for platform staff: repairs and oversight. Everyday work happens in the service's pages."""

from django.contrib import admin

from .models import (
    Ask,
    CoalitionMember,
    Match,
    Offer,
    Opportunity,
    Pledge,
    PledgeUpdate,
    Session,
    SignUp,
)


@admin.register(CoalitionMember)
class CoalitionMemberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "mission", "status", "created_at", "decided_at"]
    list_filter = ["status", "mission"]
    search_fields = ["organisation__name", "mission__title"]
    raw_id_fields = ["requested_by", "decided_by"]


class PledgeUpdateInline(admin.TabularInline):
    model = PledgeUpdate
    extra = 0
    fields = ["reported_on", "amount", "evidence_url", "note"]
    # Editing an update here would leave the pledge's delivered total behind: read only.
    readonly_fields = fields
    can_delete = False


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "mission",
        "organisation",
        "quantity",
        "unit",
        "delivered",
        "due_date",
        "fulfilled_on",
    ]
    list_filter = ["mission"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["person", "made_by", "flagged_by", "outcome", "toc_node"]
    filter_horizontal = ["places"]
    readonly_fields = ["delivered", "fulfilled_on"]
    inlines = [PledgeUpdateInline]


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "organisation", "category", "status", "end_date"]
    list_filter = ["status", "category", "mission"]
    search_fields = ["title"]
    raw_id_fields = ["made_by", "place"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "organisation", "person", "category", "status"]
    list_filter = ["status", "category", "mission"]
    search_fields = ["title"]
    raw_id_fields = ["made_by", "person", "place"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["ask", "offer", "status", "score", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["ask", "offer", "proposed_by"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "capacity", "confirmed_count"]
    # The count moves only with sign-ups (services.signup_create): never by hand.
    readonly_fields = ["confirmed_count"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["role", "mission", "organisation", "place", "status"]
    list_filter = ["status", "mission"]
    search_fields = ["role", "organisation__name"]
    raw_id_fields = ["made_by", "place"]
    inlines = [SessionInline]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "status", "attended", "hours", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "session"]
    # Status changes go through the services, which keep the session's count and waiting list right.
    readonly_fields = ["status", "promoted_at", "cancelled_at"]
