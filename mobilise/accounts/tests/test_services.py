"""The rules the services keep, whichever page (or script) calls them."""

import pytest
from django.core.exceptions import ValidationError

from mobilise.accounts import access, selectors, services
from mobilise.accounts.models import Membership, Role, Sector, UserRole

from .factories import MembershipFactory, OrganisationFactory, UserFactory, organisation_admin

pytestmark = pytest.mark.django_db


def test_granting_a_role_twice_changes_nothing():
    user = UserFactory()
    services.user_role_grant(user=user, role=Role.RESIDENT)
    services.user_role_grant(user=user, role=Role.RESIDENT)
    assert UserRole.objects.filter(user=user).count() == 1
    assert selectors.user_has_role(user, Role.RESIDENT)
    with pytest.raises(ValidationError):
        services.user_role_grant(user=user, role="emperor")


def test_slugs_are_unique_and_never_a_reserved_word():
    creator = UserFactory()
    first = services.organisation_create(creator=creator, name="New", sector=Sector.COMMUNITY)
    second = services.organisation_create(creator=creator, name="New", sector=Sector.COMMUNITY)
    odd = services.organisation_create(creator=creator, name="!!!", sector=Sector.COMMUNITY)
    assert first.slug == "new-2" and second.slug == "new-3"
    assert odd.slug == "organisation"


def test_creating_an_invalid_organisation_saves_nothing():
    with pytest.raises(ValidationError):
        services.organisation_create(creator=UserFactory(), name="Fine", sector="not-a-sector")
    assert not Membership.objects.exists()


def test_the_last_admin_is_kept():
    organisation = OrganisationFactory()
    admin = organisation_admin(organisation)
    own = Membership.objects.get(user=admin)
    with pytest.raises(services.LastAdminError):
        services.membership_remove(membership=own)
    with pytest.raises(services.LastAdminError):
        services.membership_update(membership=own, role=Membership.Role.MEMBER)
    assert selectors.organisation_admin_count(organisation) == 1

    other = MembershipFactory(organisation=organisation)
    services.membership_update(membership=other, role=Membership.Role.ADMIN)
    services.membership_update(membership=own, role=Membership.Role.MEMBER)
    services.membership_remove(membership=own)
    assert list(organisation.memberships.values_list("user_id", flat=True)) == [other.user_id]


def test_a_member_is_added_once():
    organisation = OrganisationFactory()
    user = UserFactory()
    services.membership_add(organisation=organisation, user=user)
    with pytest.raises(ValidationError):
        services.membership_add(organisation=organisation, user=user)


def test_access_helpers():
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    organisation = OrganisationFactory()
    admin = organisation_admin(organisation)
    platform_admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    assert access.access_organisation_for_admin(admin, organisation.slug) == organisation
    assert access.access_organisation_for_admin(platform_admin, organisation.slug) == organisation
    with pytest.raises(PermissionDenied):
        access.access_organisation_for_admin(UserFactory(), organisation.slug)
    with pytest.raises(PermissionDenied):
        access.access_organisation_for_member_management(platform_admin, organisation.slug)
    with pytest.raises(Http404):
        access.access_organisation_for_admin(admin, "missing")
    inactive = organisation_admin(organisation)
    inactive.is_active = False
    inactive.save()
    with pytest.raises(PermissionDenied):
        access.access_organisation_for_admin(inactive, organisation.slug)


def test_updating_a_person_strips_their_name():
    user = UserFactory()
    services.user_update(user=user, name="  Ada Lovelace ", home_place=None)
    user.refresh_from_db()
    assert user.name == "Ada Lovelace"


def test_names_refuse_spoofing_and_descriptions_are_limited():
    # Issue #16, defect 9.
    from django.core.exceptions import ValidationError

    from mobilise.accounts.models import Organisation
    from mobilise.accounts.services import organisation_create, user_update

    from .factories import UserFactory

    person = UserFactory(name="Ada")
    for name in ("Ada\u202eecivreS", "A\u200bda", "\u2066Ada\u2069", "Ada\nLovelace"):
        with pytest.raises(ValidationError) as exc:
            user_update(user=person, name=name, home_place=None)
        assert "name" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            organisation_create(creator=person, name=f"Camden {name}", sector="business")
        assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            creator=person, name="Camden Traders", sector="business", description="x" * 1_000_000
        )
    assert "description" in exc.value.message_dict
    assert not Organisation.objects.exists()
    person.refresh_from_db()
    assert person.name == "Ada"
