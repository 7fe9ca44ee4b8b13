"""Who may set targets for an indicator in a place.

Platform admins may, anywhere. A mission lead may for an indicator that measures an outcome of a
mission they can edit (``can_edit_mission``), in the places that mission covers: its own places
and everything inside them, or any place when the mission names none (a national mission).
A lead at Camden cannot set Westminster's targets.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mobilise.accounts.models import Membership, Role
from mobilise.accounts.selectors import user_has_role, user_is_platform_admin
from mobilise.missions.access import access_outcome_for_edit, can_edit_mission
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from .importing.scope import ImportScope
from .models import Indicator, IndicatorLink


def _place_and_ancestor_ids(place: Place) -> set[int]:
    ids, current, depth = {place.pk}, place, 0
    while current.parent_id is not None and depth < 6:
        ids.add(current.parent_id)
        current = current.parent
        depth += 1
    return ids


def missions_for_targets(user: Any, indicator: Indicator, place: Place) -> list[Mission]:
    """The missions through which ``user`` may set ``indicator``'s target in ``place``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    missions = (
        Mission.objects.filter(outcomes__indicators=indicator)
        .select_related("owner")
        .prefetch_related("places")
        .distinct()
    )
    within = _place_and_ancestor_ids(place)
    allowed = []
    for mission in missions:
        covered = {p.pk for p in mission.places.all()}
        if covered and not covered & within:
            continue
        if can_edit_mission(user, mission):
            allowed.append(mission)
    return allowed


def can_set_target(user: Any, indicator: Indicator, place: Place) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user_is_platform_admin(user):
        return True
    return bool(missions_for_targets(user, indicator, place))


def check_can_set_target(user: Any, indicator: Indicator, place: Place) -> None:
    if not can_set_target(user, indicator, place):
        raise PermissionDenied


# --- Linking indicators to outcomes ----------------------------------------------------------------


def can_link_indicators(user: Any, outcome: Outcome) -> bool:
    """The leads of the organisation that owns the outcome's mission (and platform admins)."""
    return can_edit_mission(user, outcome.mission)


def place_in_mission(place: Place, mission: Mission) -> bool:
    """A place the mission covers: one of its places or inside one (any place for a mission
    that names none, like a national mission)."""
    covered = {p.pk for p in mission.places.all()}
    return not covered or bool(covered & _place_and_ancestor_ids(place))


def access_outcome_for_links(user: Any, slug: str, outcome_slug: str) -> Outcome:
    return access_outcome_for_edit(user, slug, outcome_slug)


def access_link_for_edit(user: Any, slug: str, outcome_slug: str, link_id: int) -> IndicatorLink:
    outcome = access_outcome_for_edit(user, slug, outcome_slug)
    try:
        link = IndicatorLink.objects.select_related("indicator", "place").get(
            outcome=outcome, pk=link_id
        )
    except IndicatorLink.DoesNotExist as exc:
        raise Http404 from exc
    link.outcome = outcome
    return link


# --- Importing data --------------------------------------------------------------------------------
#
# The rule. Platform data managers (staff, superusers and platform admins) import shared national
# data for any place. A mission lead imports figures only for the places their organisations are
# responsible for: each organisation's home place and, where that place is a local authority, the
# places within it (a county's districts). An organisation based in the UK, a nation or a region
# (the National Mission Board) is responsible for that place's own figures, not for those of every
# council inside it: each council's figures are its own, or the shared national data. The rule is
# enforced by the import itself (``ImportOptions.scope``), and every import is recorded.


def can_import(user: Any) -> bool:
    """Who may use the upload page: mission leads and data managers (what each may import for
    is ``import_scope``)."""
    return user_has_role(user, Role.MISSION_LEAD) or is_data_manager(user)


def is_data_manager(user: Any) -> bool:
    """Platform staff, superusers and platform admins: they load shared national data."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or user_is_platform_admin(user))


def _within(place: Place) -> set[int]:
    """A place and every place below it in the place tree."""
    ids, level = {place.pk}, [place.pk]
    for _depth in range(4):
        level = list(Place.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            break
        ids.update(level)
    return ids


def import_scope(user: Any) -> ImportScope | None:
    """The places ``user`` may import figures for; None for any place (a data manager)."""
    if is_data_manager(user):
        return None
    ids: set[int] = set()
    parts: list[str] = []
    organisation = None
    if user is not None and user.is_authenticated and user_has_role(user, Role.MISSION_LEAD):
        memberships = (
            Membership.objects.filter(user=user, organisation__home_place__isnull=False)
            .select_related("organisation__home_place")
            .defer("organisation__home_place__boundary")
            .order_by("organisation__name")
        )
        for membership in memberships:
            place = membership.organisation.home_place
            organisation = organisation or membership.organisation
            if place.kind in Place.LOCAL_AUTHORITY_KINDS:
                ids |= _within(place)
                part = _("%(place)s and places within it") % {"place": place.display_name}
            else:
                ids.add(place.pk)
                part = place.display_name
            if part not in parts:
                parts.append(part)
    if not parts:
        description = _("the places your organisation is based in, and yours has none set")
    else:
        description = _(" or ").join(parts)
    return ImportScope(frozenset(ids), description, organisation)
