"""Admin for platform staff. Everyday editing happens in the service's own pages (views.py)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobilise.places.models import Place

from .models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode


class _MissionScopedInline(admin.TabularInline):
    """An inline whose choices of nodes and outcomes are limited to the mission being edited."""

    extra = 0
    show_change_link = True

    def get_formset(self, request: HttpRequest, obj: Mission | None = None, **kwargs: Any) -> Any:
        self._mission = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        mission = getattr(self, "_mission", None)
        if db_field.name in {"source", "target"}:
            kwargs["queryset"] = TheoryOfChangeNode.objects.filter(mission=mission)
        elif db_field.name == "outcome":
            kwargs["queryset"] = Outcome.objects.filter(mission=mission)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OutcomeInline(_MissionScopedInline):
    model = Outcome
    fields = ["title", "slug", "target_date", "order"]
    prepopulated_fields = {"slug": ["title"]}


class NodeInline(_MissionScopedInline):
    model = TheoryOfChangeNode
    fields = ["kind", "title", "outcome", "order"]


class LinkInline(_MissionScopedInline):
    model = TheoryOfChangeLink
    fields = ["source", "target", "rationale"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["title", "scope", "status", "owner", "horizon_year", "contributes_to"]
    list_filter = ["scope", "status", "owner"]
    list_select_related = ["owner", "contributes_to"]
    search_fields = ["title", "statement", "slug", "owner__name"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["contributes_to"]
    filter_horizontal = ["places"]
    inlines = [OutcomeInline, NodeInline, LinkInline]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "places":
            # Boundaries are large; the picker needs only names.
            kwargs["queryset"] = Place.objects.defer("boundary", "bbox")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "target_date", "order"]
    list_filter = ["mission__scope", "mission__status"]
    list_select_related = ["mission"]
    search_fields = ["title", "description", "mission__title"]
    raw_id_fields = ["mission"]


@admin.register(TheoryOfChangeNode)
class TheoryOfChangeNodeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "mission", "outcome", "order"]
    list_filter = ["kind"]
    list_select_related = ["mission", "outcome"]
    search_fields = ["title", "description", "mission__title"]
    raw_id_fields = ["mission", "outcome"]


@admin.register(TheoryOfChangeLink)
class TheoryOfChangeLinkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mission"]
    list_select_related = ["mission", "source", "target"]
    search_fields = ["source__title", "target__title", "rationale", "mission__title"]
    raw_id_fields = ["mission", "source", "target"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TheoryOfChangeLink]:
        return super().get_queryset(request).select_related("source", "target", "mission")
