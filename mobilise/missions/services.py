"""Writes to missions, their outcomes and their theory of change.

Each write is one transaction, validates with ``full_clean`` (whose model ``clean`` methods hold the
rules) and raises ``ValidationError`` keyed by field, saving nothing, when the input is wrong.
Views have already checked permission through ``access``; the mission writes check again because
they decide who may own what.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.places.models import Place

from . import selectors
from .access import can_create_mission, can_edit_mission
from .models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode

SLUG_MAX = 80
# Words the app's own addresses use after /missions/ or /outcomes/, e.g. /missions/new/.
_RESERVED_SLUGS = frozenset({"new"})


def _unique_slug(text: str, taken: QuerySet[Any], *, fallback: str) -> str:
    base = slugify(text)[: SLUG_MAX - 4].strip("-") or fallback
    candidate, n = base, 1
    while candidate in _RESERVED_SLUGS or taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base[: SLUG_MAX - len(str(n)) - 1]}-{n}"
    return candidate


def _save_with_unique_slug(obj: Any, taken: QuerySet[Any], *, text: str, fallback: str) -> None:
    """Save ``obj``; if someone took its slug since we chose it, choose again (a rare race)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            if not taken.filter(slug=obj.slug).exists():
                raise
            obj.slug = _unique_slug(text, taken, fallback=fallback)
    obj.save()


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _check_places(scope: str, places: list[Place], errors: dict[str, list[str]]) -> None:
    # A local mission is found through its places (the index's place filter), so it needs one.
    if scope == Mission.Scope.LOCAL and not places:
        errors.setdefault("places", []).append(
            _("Enter at least one place for a local mission, like Camden")
        )


def _check_owner(user: Any, owner: Organisation, *, current: Organisation | None = None) -> None:
    if not selectors.owner_choices_for(user, current=current).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose an organisation you belong to")})


@transaction.atomic
def mission_create(
    *,
    user: Any,
    title: str,
    statement: str,
    horizon_year: int,
    owner: Organisation,
    scope: str,
    why_it_matters: str = "",
    places: Iterable[Place] = (),
    contributes_to: Mission | None = None,
) -> Mission:
    """A new mission, as a draft: its leads add outcomes and a theory of change before publishing."""
    if not can_create_mission(user):
        raise PermissionDenied
    _check_owner(user, owner)
    places = list(places)
    mission = Mission(
        title=title,
        statement=statement,
        why_it_matters=why_it_matters,
        horizon_year=horizon_year,
        owner=owner,
        scope=scope,
        contributes_to=contributes_to,
        status=Mission.Status.DRAFT,
        slug=_unique_slug(title, Mission.objects.all(), fallback="mission"),
    )
    errors: dict[str, list[str]] = {}
    try:
        mission.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _check_places(scope, places, errors)
    if errors:
        raise ValidationError(errors)
    _save_with_unique_slug(mission, Mission.objects.all(), text=title, fallback="mission")
    mission.places.set(places)
    return mission


@transaction.atomic
def mission_adopt(
    *,
    user: Any,
    national: Mission,
    place: Place,
    title: str,
    statement: str,
    horizon_year: int,
    owner: Organisation,
) -> Mission:
    """A place adopts a national mission: a new local mission (a draft) for ``place`` that
    contributes to ``national``. A title left as the national one gets the place's name."""
    if national.scope != Mission.Scope.NATIONAL or not national.is_public:
        raise ValidationError(_("Only a published national mission can be adopted"))
    title = title.strip()
    if title.casefold() == national.title.strip().casefold():
        title = _("%(mission)s in %(place)s") % {"mission": national.title, "place": place.name}
    return mission_create(
        user=user,
        title=title[:150],
        statement=statement,
        horizon_year=horizon_year,
        owner=owner,
        scope=Mission.Scope.LOCAL,
        why_it_matters="",
        places=[place],
        contributes_to=national,
    )


@transaction.atomic
def mission_update(
    *,
    user: Any,
    mission: Mission,
    title: str,
    statement: str,
    horizon_year: int,
    owner: Organisation,
    scope: str,
    status: str,
    why_it_matters: str = "",
    places: Iterable[Place] = (),
    contributes_to: Mission | None = None,
) -> Mission:
    """Change a mission. The web address (slug) stays as it was, so links to it keep working."""
    # Work on a fresh, locked copy: the caller's instance stays as it was if the input is refused,
    # and two leads saving at once cannot interleave.
    mission = Mission.objects.select_for_update().select_related("owner").get(pk=mission.pk)
    if not can_edit_mission(user, mission):
        raise PermissionDenied
    if owner.pk != mission.owner_id:
        _check_owner(user, owner, current=mission.owner)
    errors: dict[str, list[str]] = {}
    if (
        status in Mission.Status.values
        and status != mission.status
        and status not in Mission.STATUS_CHANGES.get(mission.status, ())
    ):
        errors["status"] = [
            _("A mission cannot go from %(old)s to %(new)s")
            % {
                "old": mission.get_status_display().lower(),
                "new": Mission.Status(status).label.lower(),
            }
        ]
    places = list(places)
    mission.title = title
    mission.statement = statement
    mission.why_it_matters = why_it_matters
    mission.horizon_year = horizon_year
    mission.owner = owner
    mission.scope = scope
    mission.status = status
    mission.contributes_to = contributes_to
    try:
        mission.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    _check_places(scope, places, errors)
    if errors:
        raise ValidationError(errors)
    mission.save()
    mission.places.set(places)
    return mission


def _next_order(qs: QuerySet[Any]) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def outcome_create(
    *,
    mission: Mission,
    title: str,
    description: str = "",
    target_date: date | None = None,
    parent: Outcome | None = None,
) -> Outcome:
    taken = Outcome.objects.filter(mission=mission)
    outcome = Outcome(
        mission=mission,
        title=title,
        description=description,
        target_date=target_date,
        parent=parent,
        order=_next_order(taken),
        slug=_unique_slug(title, taken, fallback="outcome"),
    )
    outcome.full_clean()
    _save_with_unique_slug(outcome, taken, text=title, fallback="outcome")
    return outcome


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    title: str,
    description: str = "",
    target_date: date | None = None,
    parent: Outcome | None = None,
) -> Outcome:
    outcome = Outcome.objects.select_for_update().select_related("mission").get(pk=outcome.pk)
    outcome.title = title
    outcome.description = description
    outcome.target_date = target_date
    outcome.parent = parent
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome) -> None:
    # Theory of change steps that stood for it stay, unlinked (SET_NULL): the reasoning still holds.
    outcome.delete()


@transaction.atomic
def toc_node_create(
    *,
    mission: Mission,
    kind: str,
    title: str,
    description: str = "",
    outcome: Outcome | None = None,
) -> TheoryOfChangeNode:
    node = TheoryOfChangeNode(
        mission=mission,
        kind=kind,
        title=title,
        description=description,
        outcome=outcome,
        order=_next_order(TheoryOfChangeNode.objects.filter(mission=mission)),
    )
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def toc_node_update(
    *,
    node: TheoryOfChangeNode,
    kind: str,
    title: str,
    description: str = "",
    outcome: Outcome | None = None,
) -> TheoryOfChangeNode:
    node = TheoryOfChangeNode.objects.select_for_update().get(pk=node.pk)
    if (
        kind == TheoryOfChangeNode.Kind.ASSUMPTION
        and node.kind != kind
        and TheoryOfChangeLink.objects.filter(target=node).exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "Other steps lead to this one, so it cannot become an assumption. Remove those links first"
                )
            }
        )
    node.kind = kind
    node.title = title
    node.description = description
    node.outcome = outcome
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def toc_node_delete(*, node: TheoryOfChangeNode) -> None:
    node.delete()  # its links go with it (CASCADE)


@transaction.atomic
def toc_link_create(
    *, mission: Mission, source: TheoryOfChangeNode, target: TheoryOfChangeNode, rationale: str = ""
) -> TheoryOfChangeLink:
    link = TheoryOfChangeLink(mission=mission, source=source, target=target, rationale=rationale)
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        # Someone added the same link between our check and our save; the constraint caught it.
        raise ValidationError({"target": _("This link already exists")}) from exc
    return link


@transaction.atomic
def toc_link_update(
    *,
    link: TheoryOfChangeLink,
    source: TheoryOfChangeNode,
    target: TheoryOfChangeNode,
    rationale: str = "",
) -> TheoryOfChangeLink:
    link = TheoryOfChangeLink.objects.select_for_update().get(pk=link.pk)
    link.source = source
    link.target = target
    link.rationale = rationale
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise ValidationError({"target": _("This link already exists")}) from exc
    return link


@transaction.atomic
def toc_link_delete(*, link: TheoryOfChangeLink) -> None:
    link.delete()
