import pytest

from mobilise.accounts.models import Membership, Role
from mobilise.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    mission_lead,
)
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.models import Place

from .factories import CoalitionMemberFactory


@pytest.fixture
def places():
    """UK > England > London > Camden, with Islington next door and Manchester far away."""
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    england = Place.objects.create(
        code="E92000001", name="England", kind=Place.Kind.NATION, parent=uk
    )
    london = Place.objects.create(
        code="E12000007", name="London", kind=Place.Kind.REGION, parent=england
    )
    camden = Place.objects.create(
        code="E09000007", name="Camden", kind=Place.Kind.UNITARY, parent=london
    )
    islington = Place.objects.create(
        code="E09000019", name="Islington", kind=Place.Kind.UNITARY, parent=london
    )
    manchester = Place.objects.create(
        code="E08000003", name="Manchester", kind=Place.Kind.UNITARY, parent=england
    )
    return {
        "uk": uk,
        "england": england,
        "london": london,
        "camden": camden,
        "islington": islington,
        "manchester": manchester,
    }


@pytest.fixture
def council():
    return OrganisationFactory(name="London Borough of Camden", sector="public_body")


@pytest.fixture
def lead(council):
    return mission_lead(council)


@pytest.fixture
def mission(council, places):
    mission = MissionFactory(owner=council, title="Clean air in Camden", slug="clean-air")
    mission.places.add(places["camden"])
    return mission


@pytest.fixture
def business(places):
    return OrganisationFactory(
        name="Kentish Town Traders", sector="business", home_place=places["camden"]
    )


@pytest.fixture
def partner(business):
    """An admin of the business, which is in the coalition."""
    user = UserFactory(roles=[Role.PARTNER, Role.RESIDENT])
    MembershipFactory(user=user, organisation=business, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def member(mission, business):
    return CoalitionMemberFactory(mission=mission, organisation=business)


@pytest.fixture
def resident(places):
    return UserFactory(roles=[Role.RESIDENT], home_place=places["camden"], name="Jo Resident")
