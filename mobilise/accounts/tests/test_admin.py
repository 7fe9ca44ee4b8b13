"""The Django admin for people and organisations works with e-mail (not username) accounts."""

import pytest
from django.urls import reverse

from mobilise.accounts.models import Membership, User

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root@example.org", "x" * 12))
    return client


def test_admin_lists_and_forms_render(admin_client):
    user = UserFactory()
    membership = MembershipFactory(user=user)
    for url in (
        reverse("admin:accounts_user_changelist") + "?q=example",
        reverse("admin:accounts_user_changelist") + "?roles__role=resident",
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:accounts_organisation_changelist") + "?sector=public_body&q=Org",
        reverse("admin:accounts_organisation_add"),
        reverse("admin:accounts_organisation_change", args=[membership.organisation.pk]),
        reverse("admin:accounts_membership_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_adds_a_person_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.org",
            "name": "New Person",
            "usable_password": "true",
            "password1": "plum tractor lantern 42",
            "password2": "plum tractor lantern 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("plum tractor lantern 42")

    again = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "NEW.person@example.org", "usable_password": "false"},
    )
    assert again.status_code == 200
    assert User.objects.filter(email__iexact="new.person@example.org").count() == 1


def test_admin_adds_a_member_inline(admin_client):
    organisation = OrganisationFactory()
    user = UserFactory()
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "sector": organisation.sector,
        "registered_number": "",
        "home_place": "",
        "website": "",
        "description": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": user.pk,
        "memberships-0-role": "admin",
    }
    assert admin_client.post(url, data).status_code == 302
    assert Membership.objects.get(organisation=organisation).user == user
