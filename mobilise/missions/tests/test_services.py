"""Services validate fully and save nothing when refused; the database constraints back them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory
from mobilise.missions import services
from mobilise.missions.models import Mission, TheoryOfChangeLink

from .factories import LinkFactory, MissionFactory, NodeFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def _create(user, owner, **overrides):
    fields = {
        "user": user,
        "title": "Clean air",
        "statement": "Halve emissions.",
        "horizon_year": 2035,
        "owner": owner,
        "scope": "national",
    }
    fields.update(overrides)
    return services.mission_create(**fields)


def test_create_checks_role_and_owner(lead, owner):
    with pytest.raises(PermissionDenied):
        _create(UserFactory(roles=[Role.RESIDENT]), owner)
    with pytest.raises(ValidationError) as exc:
        _create(lead, OrganisationFactory())
    assert "owner" in exc.value.message_dict
    assert not Mission.objects.exists()


def test_create_reports_every_problem_at_once(lead, owner):
    with pytest.raises(ValidationError) as exc:
        _create(lead, owner, title="", horizon_year=1999, scope="local", places=[])
    assert {"title", "horizon_year", "places"} <= set(exc.value.message_dict)
    assert not Mission.objects.exists()


def test_slug_falls_back_when_the_title_has_no_letters(lead, owner):
    assert _create(lead, owner, title="!!!").slug == "mission"


@pytest.mark.parametrize(
    "old, new, allowed",
    [
        ("draft", "active", True),
        ("active", "paused", True),
        ("paused", "active", True),
        ("active", "achieved", True),
        ("closed", "active", True),
        ("active", "draft", False),
        ("achieved", "paused", False),
        ("closed", "draft", False),
    ],
)
def test_status_changes(lead, owner, old, new, allowed):
    mission = MissionFactory(owner=owner, status=old, scope="national")
    fields = dict(
        user=lead,
        mission=mission,
        title=mission.title,
        statement=mission.statement,
        horizon_year=mission.horizon_year,
        owner=owner,
        scope="national",
        status=new,
    )
    if allowed:
        assert services.mission_update(**fields).status == new
    else:
        with pytest.raises(ValidationError) as exc:
            services.mission_update(**fields)
        assert "status" in exc.value.message_dict
        mission.refresh_from_db()
        assert mission.status == old


def test_update_leaves_the_callers_instance_alone_when_refused(lead, owner):
    mission = MissionFactory(owner=owner, title="Clean air", scope="national")
    with pytest.raises(ValidationError):
        services.mission_update(
            user=lead,
            mission=mission,
            title="",
            statement="x",
            horizon_year=2035,
            owner=owner,
            scope="national",
            status="active",
        )
    assert mission.title == "Clean air"


def test_link_rules_hold_in_the_service(mission):
    a = NodeFactory(mission=mission, kind="activity")
    b = NodeFactory(mission=mission, kind="output")
    elsewhere = NodeFactory(kind="output")
    services.toc_link_create(mission=mission, source=a, target=b)
    for source, target in [(a, a), (a, b), (a, elsewhere)]:
        with pytest.raises(ValidationError) as exc:
            services.toc_link_create(mission=mission, source=source, target=target)
        assert list(exc.value.message_dict) == ["target"]  # one plain message, no constraint names
    assert TheoryOfChangeLink.objects.count() == 1


def test_database_constraints_back_the_link_rules(mission):
    link = LinkFactory(mission=mission)
    with pytest.raises(IntegrityError), transaction.atomic():
        TheoryOfChangeLink.objects.create(mission=mission, source=link.source, target=link.target)
    with pytest.raises(IntegrityError), transaction.atomic():
        TheoryOfChangeLink.objects.create(mission=mission, source=link.source, target=link.source)


def test_database_constraint_backs_the_horizon_year(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(owner=owner, horizon_year=1800)


def test_new_outcomes_and_steps_go_to_the_end(mission):
    first = services.outcome_create(mission=mission, title="One")
    second = services.outcome_create(mission=mission, title="Two")
    assert second.order > first.order
    n1 = services.toc_node_create(mission=mission, kind="input", title="A")
    n2 = services.toc_node_create(mission=mission, kind="impact", title="B")
    assert n2.order > n1.order


def test_deleting_an_outcome_keeps_its_step(mission):
    outcome = OutcomeFactory(mission=mission)
    node = NodeFactory(mission=mission, kind="outcome", outcome=outcome)
    services.outcome_delete(outcome=outcome)
    node.refresh_from_db()
    assert node.outcome is None
