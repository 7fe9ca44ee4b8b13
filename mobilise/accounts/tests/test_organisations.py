"""Organisation pages: the public index and detail, and creating, editing and managing members."""

import re

import pytest
from django.urls import reverse

from mobilise.accounts.models import Membership, Organisation, Role, Sector
from mobilise.places.models import Place

from .factories import MembershipFactory, OrganisationFactory, UserFactory, organisation_admin

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def place():
    return Place.objects.create(code="E09000022", name="Lambeth", kind=Place.Kind.UNITARY)


def _mission(organisation, *, title, status):
    # Reached through the reverse relation: accounts sits below missions and does not import it.
    return organisation.missions.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        statement=f"{title} by 2035",
        horizon_year=2035,
        status=status,
    )


# ---- index -----------------------------------------------------------------------------------


def test_index_lists_organisations_with_sector_and_home_place(client, place):
    OrganisationFactory(name="Lambeth Council", home_place=place)
    OrganisationFactory(name="Brixton Bakers", sector=Sector.BUSINESS)
    html = client.get(reverse("accounts:organisation_index")).content.decode()
    assert "Lambeth Council" in html and "Brixton Bakers" in html
    assert "Public body" in html and "Business" in html
    assert f'href="{place.get_absolute_url()}"' in html
    assert "2 organisations" in html


def test_index_filters_by_sector_without_javascript(client):
    OrganisationFactory(name="Lambeth Council")
    OrganisationFactory(name="Brixton Bakers", sector=Sector.BUSINESS)
    response = client.get(reverse("accounts:organisation_index"), {"sector": "business"})
    html = response.content.decode()
    assert "Brixton Bakers" in html and "Lambeth Council" not in html
    assert '<option value="business" selected>' in html
    assert _title(html).startswith("Organisations: Business")
    assert '<form method="get"' in html


def test_index_ignores_an_unknown_sector(client):
    OrganisationFactory(name="Lambeth Council")
    html = client.get(
        reverse("accounts:organisation_index"), {"sector": "<nonsense>"}
    ).content.decode()
    assert "Lambeth Council" in html
    assert "<nonsense>" not in html


def test_index_offers_to_add_an_organisation_to_signed_in_people_only(client):
    assert (
        "Add an organisation"
        not in client.get(reverse("accounts:organisation_index")).content.decode()
    )
    client.force_login(UserFactory())
    assert (
        "Add an organisation" in client.get(reverse("accounts:organisation_index")).content.decode()
    )


# ---- detail ----------------------------------------------------------------------------------


def test_detail_shows_what_the_organisation_does_and_its_public_missions(client, place):
    organisation = OrganisationFactory(
        name="Lambeth Council",
        home_place=place,
        registered_number="RC000123",
        description="We run the borough.\n\nWith its residents.",
        website="https://www.lambeth.gov.uk/",
    )
    _mission(organisation, title="Cleaner air", status="active")
    _mission(organisation, title="Secret plan", status="draft")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "<h1" in html and "Lambeth Council" in html
    assert '<p class="govuk-body">We run the borough.</p>' in html
    assert "RC000123" in html and "Public body" in html
    assert f'href="{place.get_absolute_url()}"' in html
    assert "Cleaner air" in html
    assert "Secret plan" not in html  # drafts are for the owning organisation's leads only
    assert "Members" not in html  # the list is for members


def test_detail_shows_members_to_members_only(client):
    organisation = OrganisationFactory()
    member = UserFactory(name="Mo Member")
    MembershipFactory(organisation=organisation, user=member)
    admin = organisation_admin(organisation, name="Ada Admin")

    assert "Ada Admin" not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "Ada Admin" not in client.get(organisation.get_absolute_url()).content.decode()

    client.force_login(member)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Ada Admin" in html and "Mo Member" in html
    assert admin.email not in html  # names only: addresses are for the organisation's admins
    assert "Manage members" not in html and "Change details" not in html

    client.force_login(admin)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Manage members" in html and "Change details" in html


def test_detail_escapes_what_people_type(client):
    organisation = OrganisationFactory(
        name="<b>Bold</b> Org",
        description='<script>alert("x")</script>\n<img src=x onerror=alert(1)>',
    )
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; Org" in html

    # Names also go through translated sentences ("Change %(name)s"): still escaped there.
    client.force_login(organisation_admin(organisation, name="<i>Eve</i>"))
    for name in ("accounts:organisation_edit", "accounts:organisation_members"):
        html = client.get(reverse(name, args=[organisation.slug])).content.decode()
        assert "<b>Bold</b>" not in html and "<i>Eve</i>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; Org" in html
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "<b>Bold</b>" not in html and "<i>Eve</i>" not in html


def test_detail_of_a_missing_organisation_is_404(client):
    assert client.get(reverse("accounts:organisation_detail", args=["nope"])).status_code == 404


# ---- create ----------------------------------------------------------------------------------

VALID = {
    "name": "Brixton Community Energy",
    "sector": Sector.CHARITY,
    "registered_number": "",
    "home_place": "",
    "website": "",
    "description": "Solar panels on schools.",
}


def test_creating_needs_a_signed_in_person(client):
    url = reverse("accounts:organisation_create")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(url, VALID).status_code == 302
    assert not Organisation.objects.exists()


def test_creating_an_organisation_makes_the_creator_its_admin(client, place):
    user = UserFactory()
    client.force_login(user)
    form = client.get(reverse("accounts:organisation_create")).content.decode()
    assert 'type="radio"' in form and "Lambeth" in form

    response = client.post(
        reverse("accounts:organisation_create"),
        {**VALID, "home_place": place.pk, "website": "www.brixton-energy.org.uk"},
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.slug == "brixton-community-energy"
    assert organisation.home_place == place
    assert organisation.website == "https://www.brixton-energy.org.uk"
    assert Membership.objects.get(organisation=organisation).user == user
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN
    assert "has been created" in client.get(response["Location"]).content.decode()


def test_organisations_with_the_same_name_get_different_addresses(client):
    client.force_login(UserFactory())
    client.post(reverse("accounts:organisation_create"), VALID)
    client.post(reverse("accounts:organisation_create"), VALID)
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "brixton-community-energy",
        "brixton-community-energy-2",
    ]


def test_an_invalid_organisation_shows_the_error_summary_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation_create"),
        {**VALID, "name": "", "sector": "", "website": "not a web address"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert _title(html).startswith("Error:")
    assert "govuk-error-summary" in html
    assert '<a href="#id_name">Enter the organisation’s name</a>' in html
    assert '<a href="#id_sector">Select the organisation’s sector</a>' in html
    assert "Enter a web address in the correct format" in html
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


# ---- edit ------------------------------------------------------------------------------------


def test_editing_is_for_organisation_admins_and_platform_admins(client):
    organisation = OrganisationFactory(name="Before")
    url = reverse("accounts:organisation_edit", args=[organisation.slug])

    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))

    member = UserFactory()
    MembershipFactory(organisation=organisation, user=member)
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {**VALID, "name": "Hijacked"}).status_code == 403

    client.force_login(UserFactory(roles=[Role.MISSION_LEAD]))
    assert client.get(url).status_code == 403

    client.force_login(organisation_admin(organisation))
    assert client.get(url).status_code == 200

    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    response = client.post(url, {**VALID, "name": "After"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "After"
    assert organisation.slug.startswith(
        "organisation-"
    )  # the address does not change with the name


def test_editing_shows_the_stored_values_and_invalid_changes_save_nothing(client):
    organisation = OrganisationFactory(name="Keep Me", description="Original words")
    client.force_login(organisation_admin(organisation))
    url = reverse("accounts:organisation_edit", args=[organisation.slug])
    form = client.get(url).content.decode()
    assert 'value="Keep Me"' in form and "Original words" in form

    response = client.post(url, {**VALID, "name": "", "description": "Changed"})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert '<h1 class="govuk-heading-l">Change Keep Me</h1>' in html
    organisation.refresh_from_db()
    assert organisation.name == "Keep Me" and organisation.description == "Original words"


def test_editing_a_missing_organisation_is_404(client):
    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    assert client.get(reverse("accounts:organisation_edit", args=["nope"])).status_code == 404


# ---- members ---------------------------------------------------------------------------------


@pytest.fixture
def team():
    organisation = OrganisationFactory(name="Lambeth Council")
    admin = organisation_admin(organisation, name="Ada Admin", email="ada@example.org")
    member = UserFactory(name="Mo Member", email="mo@example.org")
    membership = MembershipFactory(organisation=organisation, user=member)
    return organisation, admin, member, membership


def test_member_pages_are_for_the_organisations_admins_only(client, team):
    organisation, admin, member, membership = team
    urls = [
        reverse("accounts:organisation_members", args=[organisation.slug]),
        reverse("accounts:membership_change", args=[organisation.slug, membership.pk]),
        reverse("accounts:membership_remove", args=[organisation.slug, membership.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("account_login")
        )
    for outsider in (member, UserFactory(), UserFactory(roles=[Role.PLATFORM_ADMIN])):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 403, (outsider, url)
            assert client.post(url, {"role": "admin", "email": outsider.email}).status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.MEMBER

    client.force_login(admin)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert "&lt;" not in response.content.decode()  # no markup escaped by mistake


def test_an_admin_adds_an_existing_person_by_email(client, team):
    organisation, admin, _member, _membership = team
    newcomer = UserFactory(email="new.comer@example.org", name="New Comer")
    client.force_login(admin)
    url = reverse("accounts:organisation_members", args=[organisation.slug])
    response = client.post(url, {"email": "New.Comer@Example.org", "role": "admin"})
    assert response.status_code == 302
    assert (
        Membership.objects.get(organisation=organisation, user=newcomer).role
        == Membership.Role.ADMIN
    )
    html = client.get(url).content.decode()
    assert "New Comer has been added as admin" in html
    assert "new.comer@example.org" in html


def test_adding_an_unknown_or_existing_member_explains_the_problem(client, team):
    organisation, admin, member, _membership = team
    client.force_login(admin)
    url = reverse("accounts:organisation_members", args=[organisation.slug])

    html = client.post(url, {"email": "stranger@example.org", "role": "member"}).content.decode()
    assert _title(html).startswith("Error:")
    assert '<a href="#id_email">There is no account with that email address' in html

    html = client.post(url, {"email": member.email, "role": "member"}).content.decode()
    assert "Mo Member is already a member" in html

    html = client.post(url, {"email": "", "role": ""}).content.decode()
    assert "Enter the email address of the person to add" in html
    assert "Select a role" in html
    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_an_admin_changes_a_members_role(client, team):
    organisation, admin, _member, membership = team
    client.force_login(admin)
    url = reverse("accounts:membership_change", args=[organisation.slug, membership.pk])
    assert client.post(url, {"role": "admin"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_the_last_admin_cannot_step_down(client, team):
    organisation, admin, _member, _membership = team
    client.force_login(admin)
    own = Membership.objects.get(organisation=organisation, user=admin)
    url = reverse("accounts:membership_change", args=[organisation.slug, own.pk])
    html = client.post(url, {"role": "member"}).content.decode()
    assert "govuk-error-summary" in html
    assert "at least one admin" in html
    own.refresh_from_db()
    assert own.role == Membership.Role.ADMIN


def test_an_admin_removes_a_member(client, team):
    organisation, admin, member, membership = team
    client.force_login(admin)
    url = reverse("accounts:membership_remove", args=[organisation.slug, membership.pk])
    page = client.get(url).content.decode()
    assert "Are you sure you want to remove Mo Member?" in page
    response = client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "Mo Member has been removed" in client.get(response["Location"]).content.decode()


def test_the_last_admin_cannot_be_removed(client, team):
    organisation, admin, _member, _membership = team
    client.force_login(admin)
    own = Membership.objects.get(organisation=organisation, user=admin)
    response = client.post(reverse("accounts:membership_remove", args=[organisation.slug, own.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert _title(html).startswith("Error:")
    assert "You cannot remove the last admin" in html
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_admin_can_leave_when_another_admin_remains(client, team):
    organisation, admin, _member, membership = team
    membership.role = Membership.Role.ADMIN
    membership.save()
    client.force_login(admin)
    own = Membership.objects.get(organisation=organisation, user=admin)
    response = client.post(reverse("accounts:membership_remove", args=[organisation.slug, own.pk]))
    assert response.status_code == 302
    assert (
        response["Location"] == organisation.get_absolute_url()
    )  # no longer allowed on the members page


def test_a_membership_of_another_organisation_is_404(client, team):
    organisation, admin, _member, _membership = team
    elsewhere = MembershipFactory()
    client.force_login(admin)
    for name in ("accounts:membership_change", "accounts:membership_remove"):
        assert client.get(reverse(name, args=[organisation.slug, elsewhere.pk])).status_code == 404


def test_index_pages_long_lists_and_keeps_the_filter(client):
    OrganisationFactory.create_batch(51, sector=Sector.CHARITY)
    html = client.get(
        reverse("accounts:organisation_index"), {"sector": "charity"}
    ).content.decode()
    assert "51 organisations in Charity or VCSE" in html
    assert "govuk-pagination" in html
    assert 'href="?sector=charity&amp;page=2"' in html
    page_two = client.get(reverse("accounts:organisation_index"), {"sector": "charity", "page": 2})
    assert "Page 2 of 2" in page_two.content.decode()
