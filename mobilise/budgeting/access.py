"""Who may do what in a budget round, and the only way views fetch the objects they protect.

A round shares its mission's visibility (a draft mission's rounds are hidden: 404). The mission's
leads (``missions.access.can_edit_mission``) run the round: they open it, review ideas, move it
between phases, issue voter codes and record delivery. Anyone signed in may propose and vote,
subject to the round's phase and eligibility rules (checked by the services).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.missions.access import access_mission_for_edit, can_edit_mission, can_view_mission
from mobilise.missions.models import Mission

from .models import BudgetRound, DeliveryItem, DeliveryUpdate, Project


def can_run_round(user: Any, round_: BudgetRound) -> bool:
    return can_edit_mission(user, round_.mission)


def access_mission_for_new_round(user: Any, slug: str) -> Mission:
    return access_mission_for_edit(user, slug)


def access_round_for_view(user: Any, round_id: int) -> BudgetRound:
    round_ = (
        BudgetRound.objects.select_related("mission", "mission__owner", "place")
        .defer("place__boundary")
        .filter(pk=round_id)
        .first()
    )
    if round_ is None or not can_view_mission(user, round_.mission):
        raise Http404
    return round_


def access_round_for_running(user: Any, round_id: int) -> BudgetRound:
    round_ = access_round_for_view(user, round_id)
    if not can_run_round(user, round_):
        raise PermissionDenied
    return round_


def access_project_for_review(user: Any, project_id: int) -> Project:
    project = Project.objects.select_related("round").filter(pk=project_id).first()
    if project is None:
        raise Http404
    project.round = access_round_for_running(user, project.round_id)
    return project


def access_delivery_item_for_view(user: Any, item_id: int) -> DeliveryItem:
    """A funded project's delivery: public, as its round is."""
    item = DeliveryItem.objects.select_related("project").filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.project.round = access_round_for_view(user, item.project.round_id)
    return item


def access_delivery_photo(user: Any, update_id: int) -> DeliveryUpdate:
    update = (
        DeliveryUpdate.objects.select_related("item__project")
        .filter(pk=update_id)
        .exclude(photo="")
        .first()
    )
    if update is None:
        raise Http404
    access_round_for_view(user, update.item.project.round_id)
    return update


def access_delivery_item_for_update(user: Any, item_id: int) -> DeliveryItem:
    item = DeliveryItem.objects.select_related("project").filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.project.round = access_round_for_running(user, item.project.round_id)
    return item
