"""National outcomes show the local outcomes contributing to them, with their statuses, and
take the worst of them as their own status."""

import pytest
from django.core.cache import cache

from mobilise.missions.models import Mission
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory

from .factories import TargetFactory
from .pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_national_outcome_lists_local_outcomes_and_rolls_their_statuses_up(client):
    world = build_world(with_target=False)
    # Camden's plan is far more ambitious than its steady fall of 0.3 a year: off track.
    TargetFactory(
        series=world.headline,
        place=world.places["E09000007"],
        baseline_period="2015",
        baseline_value=8.7,
        target_year=2022,
        target_value=1.0,
    )
    national = MissionFactory(title="Clean air", slug="clean-air", scope=Mission.Scope.NATIONAL)
    parent = OutcomeFactory(mission=national, title="Cleaner air everywhere", slug="everywhere")
    world.mission.contributes_to = national
    world.mission.save()
    world.outcome.parent = parent
    world.outcome.save()

    local_page = client.get("/missions/clean-air-camden/outcomes/cleaner-air/").content.decode()
    assert "Contributes to" in local_page and "Cleaner air everywhere" in local_page

    page = client.get("/missions/clean-air/outcomes/everywhere/").content.decode()
    assert "Local outcomes contributing" in page
    assert 'data-outcome="cleaner-air" data-mission="clean-air-camden"' in page
    row = page.split('data-mission="clean-air-camden"')[1].split("</tr>")[0]
    assert "Off track" in row
    overall = page.split("Overall status of this outcome:")[1].split("</p>")[0]
    assert "Off track" in overall
    # And on the national mission's page, the outcome has a status from its contributions.
    mission_page = client.get("/missions/clean-air/").content.decode()
    row = mission_page.split('data-outcome="everywhere"')[1].split("</tr>")[0]
    assert "Off track" in row


def test_draft_local_missions_do_not_count(client):
    world = build_world()
    national = MissionFactory(title="Clean air", slug="clean-air", scope=Mission.Scope.NATIONAL)
    parent = OutcomeFactory(mission=national, title="Cleaner air everywhere", slug="everywhere")
    world.mission.contributes_to = national
    world.mission.status = Mission.Status.DRAFT
    world.mission.save()
    world.outcome.parent = parent
    world.outcome.save()
    page = client.get("/missions/clean-air/outcomes/everywhere/").content.decode()
    assert "Local outcomes contributing" not in page
