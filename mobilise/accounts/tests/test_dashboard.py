"""'Your account': what we hold about you, and changing your name and home place."""

import pytest
from django.urls import reverse

from mobilise.accounts.models import Membership, Role
from mobilise.places.models import Place

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_a_signed_in_person(client):
    for name in ("accounts:dashboard", "accounts:profile_edit"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_shows_details_roles_and_organisations(client):
    user = UserFactory(
        email="ada@example.org", name="Ada Lovelace", roles=[Role.RESIDENT, Role.PARTNER]
    )
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(name="Analytical Engines"),
        role=Membership.Role.ADMIN,
    )
    MembershipFactory(user=user, organisation=OrganisationFactory(name="Difference Club"))
    client.force_login(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    for text in (
        "ada@example.org",
        "Ada Lovelace",
        "Partner, Resident",
        "Analytical Engines",
        "Difference Club",
    ):
        assert text in html
    assert html.count("Manage members") == 1  # only where they are an admin
    assert "&lt;" not in html  # no markup escaped by mistake
    assert reverse("account_change_password") in html
    assert reverse("account_logout") in html and 'method="post"' in html


def test_changing_name_and_home_place(client):
    place = Place.objects.create(code="E09000022", name="Lambeth", kind=Place.Kind.UNITARY)
    Place.objects.create(code="E07000001", name="Gone", kind=Place.Kind.DISTRICT, valid_to=2019)
    user = UserFactory(name="Old Name")
    client.force_login(user)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert "Lambeth (Unitary authority)" in page
    assert "Gone" not in page  # retired areas are not offered

    response = client.post(
        reverse("accounts:profile_edit"), {"name": "New Name", "home_place": place.pk}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "New Name" and user.home_place == place
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your details have been saved" in html
    assert f'href="{place.get_absolute_url()}"' in html


def test_an_invalid_home_place_saves_nothing(client):
    user = UserFactory(name="Kept")
    client.force_login(user)
    html = client.post(
        reverse("accounts:profile_edit"), {"name": "Changed", "home_place": "999999"}
    ).content.decode()
    assert "govuk-error-summary" in html and "Error:" in html
    user.refresh_from_db()
    assert user.name == "Kept"
