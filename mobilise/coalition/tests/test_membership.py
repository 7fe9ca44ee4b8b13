"""Joining a coalition: an organisation's admin asks, only the mission's leads decide."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    mission_lead,
)
from mobilise.coalition import services
from mobilise.coalition.models import CoalitionMember

from .factories import CoalitionMemberFactory

pytestmark = pytest.mark.django_db


def _ask(mission, organisation, user, statement="A meeting room and 200 volunteer hours."):
    return services.coalition_join_request(
        mission=mission, organisation=organisation, user=user, statement=statement
    )


def test_an_admin_asks_and_the_mission_leads_are_told(
    mission, business, partner, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(mission, business, partner)
    assert request.status == CoalitionMember.Status.PENDING and request.decided_at is None
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "Kentish Town Traders asks to join" in mail.outbox[0].subject
    assert "/coalition/missions/clean-air/members/" in mail.outbox[0].body


def test_only_an_admin_of_the_organisation_may_ask(mission, business):
    ordinary = MembershipFactory(organisation=business).user
    with pytest.raises(PermissionDenied):
        _ask(mission, business, ordinary)
    with pytest.raises(PermissionDenied):
        _ask(mission, business, UserFactory())
    assert not CoalitionMember.objects.exists()


def test_the_owner_is_in_already_and_nobody_asks_twice(mission, council, business, partner, lead):
    from mobilise.accounts.models import Membership

    Membership.objects.filter(user=lead, organisation=council).update(role="admin")
    with pytest.raises(ValidationError, match="runs this mission"):
        _ask(mission, council, lead)
    _ask(mission, business, partner)
    with pytest.raises(ValidationError, match="already in the coalition or has asked"):
        _ask(mission, business, partner)
    assert CoalitionMember.objects.count() == 1


def test_a_statement_is_needed(mission, business, partner):
    with pytest.raises(ValidationError) as exc:
        _ask(mission, business, partner, statement="   ")
    assert exc.value.message_dict["statement"] == ["Say what your organisation will bring"]
    assert not CoalitionMember.objects.exists()


def test_a_draft_mission_takes_no_requests(mission, business, partner):
    mission.status = "draft"
    mission.save()
    with pytest.raises(ValidationError, match="not published"):
        _ask(mission, business, partner)


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("lead_of_owning_org", True),
        ("platform_admin", True),
        ("lead_of_another_org", False),
        ("partner_who_asked", False),
        ("resident", False),
    ],
)
def test_only_mission_leads_accept_members(who, allowed, mission, council, business, partner):
    request = _ask(mission, business, partner)
    user = {
        "lead_of_owning_org": lambda: mission_lead(council),
        "platform_admin": lambda: UserFactory(roles=[Role.PLATFORM_ADMIN]),
        "lead_of_another_org": lambda: mission_lead(OrganisationFactory()),
        "partner_who_asked": lambda: partner,
        "resident": lambda: UserFactory(roles=[Role.RESIDENT]),
    }[who]()
    if allowed:
        decided = services.coalition_member_decide(member=request, user=user, accept=True)
        assert decided.status == "accepted" and decided.decided_by == user
    else:
        with pytest.raises(PermissionDenied):
            services.coalition_member_decide(member=request, user=user, accept=True)
        request.refresh_from_db()
        assert request.status == "pending"


def test_decline_with_a_reason_then_ask_again(
    mission, business, partner, lead, django_capture_on_commit_callbacks
):
    request = _ask(mission, business, partner)
    with django_capture_on_commit_callbacks(execute=True):
        services.coalition_member_decide(
            member=request, user=lead, accept=False, note="Not this year."
        )
    assert mail.outbox[-1].to == [partner.email]
    assert "Not this year." in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="decided already"):
        services.coalition_member_decide(member=request, user=lead, accept=True)
    # A declined request stays on the record; asking again makes a new one.
    again = _ask(mission, business, partner)
    assert again.pk != request.pk
    assert CoalitionMember.objects.filter(organisation=business).count() == 2


def test_the_database_allows_one_live_request(mission, business):
    CoalitionMemberFactory(mission=mission, organisation=business)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoalitionMemberFactory(
            mission=mission, organisation=business, status="pending", decided_at=None
        )


def test_the_database_wants_a_decision_date_for_a_decision(mission, business):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoalitionMemberFactory(
            mission=mission, organisation=business, status="accepted", decided_at=None
        )
