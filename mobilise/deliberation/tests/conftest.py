import pytest
from django.core.cache import cache

from mobilise.accounts.tests.factories import OrganisationFactory, mission_lead
from mobilise.missions.tests.factories import MissionFactory

from .factories import ConversationFactory, StatementFactory

SEEDS = [
    "Streets outside schools should close to traffic at drop-off time",
    "Camden needs more protected cycle lanes",
    "Parking should cost more for polluting cars",
    "Buses are too slow to replace driving",
    "Deliveries should move to cargo bikes",
    "Traffic calming pushes cars onto other streets",
    "Pavements should be wider and better lit",
    "Shops need customers to be able to park",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council():
    return OrganisationFactory(name="London Borough of Camden", sector="public_body")


@pytest.fixture
def lead(council):
    return mission_lead(council)


@pytest.fixture
def mission(council):
    return MissionFactory(owner=council, title="Clean air in Camden", slug="clean-air")


@pytest.fixture
def conversation(mission):
    conversation = ConversationFactory(
        mission=mission, question="How should Camden cut traffic fumes?"
    )
    for text in SEEDS:
        StatementFactory(conversation=conversation, text=text)
    return conversation
