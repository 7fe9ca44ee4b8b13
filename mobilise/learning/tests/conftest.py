import pytest

from mobilise.accounts.tests.factories import OrganisationFactory, mission_lead
from mobilise.indicators.tests.factories import IndicatorFactory
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.models import Place


@pytest.fixture
def camden():
    return Place.objects.create(code="E09000007", name="Camden", kind=Place.Kind.UNITARY)


@pytest.fixture
def hackney():
    return Place.objects.create(code="E09000012", name="Hackney", kind=Place.Kind.UNITARY)


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
def indicator():
    return IndicatorFactory(code="no2", title="Nitrogen dioxide")
