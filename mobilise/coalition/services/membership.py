"""Writes to membership: asking to join, and the lead's decision."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.accounts.models import Organisation
from mobilise.coalition import access, emails
from mobilise.coalition.models import (
    CoalitionMember,
)
from mobilise.missions.models import Mission

from ._common import _add, _full_clean, _mission_leads, _public

# --- membership ----------------------------------------------------------------------------------


@transaction.atomic
def coalition_join_request(
    *, mission: Mission, organisation: Organisation, user: Any, statement: str, base_url: str = ""
) -> CoalitionMember:
    """An organisation's admin asks for it to join the coalition; the mission leads are told."""
    _public(mission)
    if not access.joinable_organisations(user, mission).filter(pk=organisation.pk).exists():
        if organisation.pk == mission.owner_id:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s runs this mission, so it is in the coalition already"
                    )
                    % {"organisation": organisation.name}
                }
            )
        if CoalitionMember.objects.filter(
            mission=mission, organisation=organisation, status__in=CoalitionMember.LIVE_STATUSES
        ).exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s is already in the coalition or has asked to join"
                    )
                    % {"organisation": organisation.name}
                }
            )
        raise PermissionDenied
    member = CoalitionMember(
        mission=mission, organisation=organisation, statement=statement.strip(), requested_by=user
    )
    errors: dict[str, list[str]] = {}
    if not member.statement:
        _add(errors, "statement", _("Say what your organisation will bring"))
    _full_clean(member, errors, validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "organisation": _("%(organisation)s has asked to join already")
                % {"organisation": organisation.name}
            }
        ) from exc
    emails.member_requested(member, leads=_mission_leads(mission), base_url=base_url)
    return member


@transaction.atomic
def coalition_member_decide(
    *, member: CoalitionMember, user: Any, accept: bool, note: str = "", base_url: str = ""
) -> CoalitionMember:
    """A mission lead accepts or declines a request to join."""
    member = (
        CoalitionMember.objects.select_for_update(of=("self",))
        .select_related("mission", "mission__owner", "organisation", "requested_by")
        .get(pk=member.pk)
    )
    if not access.can_manage_coalition(user, member.mission):
        raise PermissionDenied
    if member.status != CoalitionMember.Status.PENDING:
        raise ValidationError(_("This request has been decided already"))
    member.status = CoalitionMember.Status.ACCEPTED if accept else CoalitionMember.Status.DECLINED
    member.decided_by = user
    member.decided_at = timezone.now()
    member.decision_note = note.strip()
    _full_clean(member, {}, validate_constraints=False)
    member.save()
    emails.member_decided(member, base_url=base_url)
    return member
