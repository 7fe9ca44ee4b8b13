"""Who may see and change a mission: every kind of person against drafts and published missions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mobilise.missions.access import (
    access_link_for_edit,
    access_mission_for_edit,
    access_mission_for_view,
    access_node_for_edit,
    access_outcome_for_edit,
    access_outcome_for_view,
    can_create_mission,
    can_edit_mission,
)
from mobilise.missions.models import Mission

from .conftest import make_person
from .factories import LinkFactory, MissionFactory, NodeFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

EDITORS = {"lead_of_owning_org", "platform_admin", "superuser"}
PEOPLE = [
    "anonymous",
    "resident",
    "lead_of_another_org",
    "member_without_lead_role",
    "lead_of_owning_org",
    "inactive_lead_of_owning_org",
    "platform_admin",
    "superuser",
]
STATUSES = [Mission.Status.DRAFT, Mission.Status.ACTIVE, Mission.Status.CLOSED]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("person", PEOPLE)
def test_can_edit_mission(person, status, owner):
    mission = MissionFactory(owner=owner, status=status)
    assert can_edit_mission(make_person(person, owner), mission) is (person in EDITORS)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("person", PEOPLE)
def test_access_mission_for_edit(person, status, owner):
    mission = MissionFactory(owner=owner, status=status)
    user = make_person(person, owner)
    if person in EDITORS:
        assert access_mission_for_edit(user, mission.slug) == mission
    else:
        with pytest.raises(PermissionDenied):
            access_mission_for_edit(user, mission.slug)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("person", PEOPLE)
def test_access_mission_for_view(person, status, owner):
    mission = MissionFactory(owner=owner, status=status)
    user = make_person(person, owner)
    if status != Mission.Status.DRAFT or person in EDITORS:
        assert access_mission_for_view(user, mission.slug) == mission
    else:
        # A draft is hidden, not forbidden: its existence is not revealed before publication.
        with pytest.raises(Http404):
            access_mission_for_view(user, mission.slug)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_mission_leads_create_missions(person, owner):
    expected = person in {"lead_of_another_org", "lead_of_owning_org", "superuser"}
    assert can_create_mission(make_person(person, owner)) is expected


def test_unknown_mission_is_404_for_view_and_edit(lead):
    with pytest.raises(Http404):
        access_mission_for_view(lead, "no-such-mission")
    with pytest.raises(Http404):
        access_mission_for_edit(lead, "no-such-mission")


def test_outcome_access_follows_its_mission(owner, lead, other_lead):
    draft = MissionFactory(owner=owner, status=Mission.Status.DRAFT)
    outcome = OutcomeFactory(mission=draft)
    assert access_outcome_for_view(lead, draft.slug, outcome.slug) == outcome
    assert access_outcome_for_edit(lead, draft.slug, outcome.slug) == outcome
    with pytest.raises(Http404):
        access_outcome_for_view(other_lead, draft.slug, outcome.slug)
    with pytest.raises(PermissionDenied):
        access_outcome_for_edit(other_lead, draft.slug, outcome.slug)


def test_objects_of_another_mission_are_not_reachable_through_this_one(owner, lead):
    mine = MissionFactory(owner=owner)
    theirs = MissionFactory()
    their_outcome = OutcomeFactory(mission=theirs)
    their_link = LinkFactory(mission=theirs)
    with pytest.raises(Http404):
        access_outcome_for_edit(lead, mine.slug, their_outcome.slug)
    with pytest.raises(Http404):
        access_node_for_edit(lead, mine.slug, their_link.source_id)
    with pytest.raises(Http404):
        access_link_for_edit(lead, mine.slug, their_link.pk)


def test_no_rights_means_403_even_for_sub_objects_that_do_not_exist(owner, other_lead):
    mission = MissionFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        access_outcome_for_edit(other_lead, mission.slug, "nope")
    with pytest.raises(PermissionDenied):
        access_node_for_edit(other_lead, mission.slug, 999999)
    with pytest.raises(PermissionDenied):
        access_link_for_edit(other_lead, mission.slug, 999999)


def test_node_and_link_access_for_an_editor(owner, lead):
    mission = MissionFactory(owner=owner)
    node = NodeFactory(mission=mission)
    link = LinkFactory(mission=mission)
    assert access_node_for_edit(lead, mission.slug, node.pk) == node
    assert access_link_for_edit(lead, mission.slug, link.pk) == link
