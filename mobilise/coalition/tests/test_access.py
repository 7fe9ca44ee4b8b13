"""Who may do what: every kind of person against each access helper."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    mission_lead,
)
from mobilise.coalition import access

from .factories import (
    AskFactory,
    MatchFactory,
    OfferFactory,
    OpportunityFactory,
    PledgeFactory,
    SessionFactory,
    SignUpFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "member_of_pledger",
    "lead_of_owner",
    "lead_elsewhere",
    "platform_admin",
]


@pytest.fixture
def person(request, council, business):
    return {
        "anonymous": lambda: AnonymousUser(),
        "resident": lambda: UserFactory(roles=[Role.RESIDENT]),
        "member_of_pledger": lambda: MembershipFactory(organisation=business).user,
        "lead_of_owner": lambda: mission_lead(council),
        "lead_elsewhere": lambda: mission_lead(OrganisationFactory()),
        "platform_admin": lambda: UserFactory(roles=[Role.PLATFORM_ADMIN]),
    }[request.param]()


def _outcome(call):
    try:
        call()
    except PermissionDenied:
        return 403
    except Http404:
        return 404
    return 200


@pytest.mark.parametrize(
    "person, expected",
    [
        ("anonymous", 403),
        ("resident", 403),
        ("member_of_pledger", 200),
        ("lead_of_owner", 403),
        ("lead_elsewhere", 403),
        ("platform_admin", 403),
    ],
    indirect=["person"],
)
def test_only_the_pledger_reports_progress(person, expected, mission, business, member):
    pledge = PledgeFactory(mission=mission, organisation=business)
    assert _outcome(lambda: access.access_pledge_for_progress(person, pledge.pk)) == expected
    assert _outcome(lambda: access.access_pledge_for_view(person, pledge.pk)) == 200


@pytest.mark.parametrize(
    "person, expected",
    [
        ("anonymous", 403),
        ("resident", 403),
        ("member_of_pledger", 403),
        ("lead_of_owner", 200),
        ("lead_elsewhere", 403),
        ("platform_admin", 200),
    ],
    indirect=["person"],
)
def test_only_mission_leads_decide_on_members_and_flag_pledges(
    person, expected, mission, business, member
):
    pending = member.__class__.objects.create(
        mission=mission, organisation=OrganisationFactory(), statement="x"
    )
    assert (
        _outcome(lambda: access.access_member_for_decision(person, mission.slug, pending.pk))
        == expected
    )
    pledge = PledgeFactory(mission=mission, organisation=business)
    assert _outcome(lambda: access.access_pledge_for_flag(person, pledge.pk)) == expected


def test_a_residents_pledge_is_theirs_alone(mission, resident):
    pledge = PledgeFactory(mission=mission, organisation=None, person=resident)
    assert access.access_pledge_for_progress(resident, pledge.pk) == pledge
    with pytest.raises(PermissionDenied):
        access.access_pledge_for_progress(UserFactory(), pledge.pk)


def test_a_draft_missions_coalition_is_hidden(mission, business, lead):
    mission.status = "draft"
    mission.save()
    pledge = PledgeFactory(mission=mission, organisation=business)
    with pytest.raises(Http404):
        access.access_pledge_for_view(UserFactory(), pledge.pk)
    assert access.access_pledge_for_view(lead, pledge.pk) == pledge
    with pytest.raises(Http404):
        access.access_pledge_for_view(lead, 999999)


def test_matches_are_for_the_two_sides_and_the_leads(mission, business, council, lead):
    asker = OrganisationFactory()
    match = MatchFactory(
        ask=AskFactory(mission=mission, organisation=asker),
        offer=OfferFactory(mission=mission, organisation=business),
    )
    for allowed in (
        MembershipFactory(organisation=asker).user,
        MembershipFactory(organisation=business).user,
        lead,
    ):
        assert access.access_match(allowed, match.pk) == match
    for refused in (UserFactory(), mission_lead(OrganisationFactory()), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            access.access_match(refused, match.pk)


def test_asking_and_organising_need_a_coalition_organisation(
    mission, business, council, lead, partner, resident
):
    assert access.access_mission_for_acting(lead, mission.slug) == mission
    with pytest.raises(PermissionDenied):
        access.access_mission_for_acting(partner, mission.slug)  # not in the coalition yet
    from .factories import CoalitionMemberFactory

    CoalitionMemberFactory(mission=mission, organisation=business)
    assert access.access_mission_for_acting(partner, mission.slug) == mission
    with pytest.raises(PermissionDenied):
        access.access_mission_for_acting(resident, mission.slug)


def test_organisers_manage_their_sessions_and_only_you_cancel_your_place(
    mission, council, business, lead, partner, resident
):
    session = SessionFactory(opportunity=OpportunityFactory(mission=mission, organisation=business))
    assert access.access_session_for_managing(partner, session.pk) == session  # the organiser
    assert access.access_session_for_managing(lead, session.pk) == session  # the mission lead
    with pytest.raises(PermissionDenied):
        access.access_session_for_managing(resident, session.pk)
    sign_up = SignUpFactory(session=session, person=resident)
    assert access.access_sign_up_for_cancelling(resident, sign_up.pk) == sign_up
    for other in (partner, lead, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            access.access_sign_up_for_cancelling(other, sign_up.pk)


def test_joinable_organisations(mission, council, business, partner, lead):
    assert list(access.joinable_organisations(partner, mission)) == [business]
    assert list(access.joinable_organisations(lead, mission)) == []  # the owner is in already
    assert list(access.joinable_organisations(AnonymousUser(), mission)) == []
