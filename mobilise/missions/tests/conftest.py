import re

import pytest

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    mission_lead,
)
from mobilise.places.models import Place

from .factories import MissionFactory


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def owner():
    return OrganisationFactory(name="Lambeth Council")


@pytest.fixture
def lead(owner):
    return mission_lead(owner)


@pytest.fixture
def other_lead():
    """A mission lead, but of a different organisation."""
    return mission_lead(OrganisationFactory(name="Southwark Council"))


@pytest.fixture
def mission(owner):
    return MissionFactory(owner=owner, title="Clean air Lambeth", slug="clean-air-lambeth")


@pytest.fixture
def places():
    """UK > England > London > Lambeth, plus Southwark (a sibling) and Manchester (elsewhere)."""
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    england = Place.objects.create(
        code="E92000001", name="England", kind=Place.Kind.NATION, parent=uk
    )
    london = Place.objects.create(
        code="E12000007", name="London", kind=Place.Kind.REGION, parent=england
    )
    lambeth = Place.objects.create(
        code="E09000022", name="Lambeth", kind=Place.Kind.UNITARY, parent=london
    )
    southwark = Place.objects.create(
        code="E09000028", name="Southwark", kind=Place.Kind.UNITARY, parent=london
    )
    manchester = Place.objects.create(
        code="E08000003", name="Manchester", kind=Place.Kind.UNITARY, parent=england
    )
    return {
        "uk": uk,
        "england": england,
        "london": london,
        "lambeth": lambeth,
        "southwark": southwark,
        "manchester": manchester,
    }


def make_person(kind: str, owner):
    """The people the permission rules distinguish, by name."""
    if kind == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if kind == "resident":
        return UserFactory(roles=[Role.RESIDENT])
    if kind == "lead_of_another_org":
        return mission_lead(OrganisationFactory())
    if kind == "member_without_lead_role":
        return MembershipFactory(organisation=owner, user=UserFactory(roles=[Role.RESIDENT])).user
    if kind == "lead_of_owning_org":
        return mission_lead(owner)
    if kind == "inactive_lead_of_owning_org":
        return mission_lead(owner, is_active=False)
    if kind == "platform_admin":
        return UserFactory(roles=[Role.PLATFORM_ADMIN])
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    raise ValueError(kind)
