import pytest
from django.core.cache import cache

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.budgeting.models import Phase
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.models import Place

from .factories import BudgetRoundFactory, ProjectFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters (wrong voter codes) live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def camden():
    return Place.objects.create(code="E09000007", name="Camden", kind=Place.Kind.UNITARY)


@pytest.fixture
def council(camden):
    return OrganisationFactory(name="London Borough of Camden", home_place=camden)


@pytest.fixture
def lead(council):
    return mission_lead(council)


@pytest.fixture
def mission(council, camden):
    mission = MissionFactory(owner=council, title="Clean air in Camden", slug="clean-air")
    mission.places.add(camden)
    return mission


@pytest.fixture
def resident(camden):
    return UserFactory(roles=[Role.RESIDENT], home_place=camden, name="Jo Resident")


@pytest.fixture
def voting_round(mission, camden):
    """Voting open: £100,000 for four projects (£60k, £30k, £20k, £10k)."""
    round_ = BudgetRoundFactory(
        mission=mission, place=camden, phase=Phase.VOTING, title="Greener streets"
    )
    for title, cost in [
        ("Trees on Malden Road", 60_000),
        ("Cycle hangars", 30_000),
        ("Pocket park", 20_000),
        ("Water fountains", 10_000),
    ]:
        ProjectFactory(round=round_, title=title, cost=cost)
    return round_


@pytest.fixture
def ideas_round(mission, camden):
    return BudgetRoundFactory(mission=mission, place=camden, phase=Phase.IDEAS, title="Ideas round")


def project(round_, title):
    return round_.projects.get(title=title)
