"""The account and organisation pages in Chromium: axe-core finds no serious problems, and the
journeys work with JavaScript switched off. Run with ``make test-browser`` (``-m browser``)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mobilise.accounts.models import Membership
from mobilise.core.testing.browser import assert_accessible, expect_error_page
from mobilise.places.models import Place

from .factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _plain_http(live_settings):
    pass


def _sign_in(page, base, email):
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_signed_out_pages_are_accessible(live_server, page, govuk_account_forms):
    base = live_server.url
    place = Place.objects.create(code="E09000022", name="Lambeth", kind=Place.Kind.UNITARY)
    organisation = OrganisationFactory(
        name="Lambeth Council", home_place=place, description="We run the borough."
    )

    for path in (
        "/account/login/",
        "/account/signup/",
        "/account/password/reset/",
        "/account/confirm-email/",
        "/account/confirm-email/not-a-key/",
        "/organisations/",
        organisation.get_absolute_url(),
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    # Pages with errors: the summary and the field messages must pass too.
    page.goto(base + "/account/login/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    expect_error_page(page)
    assert_accessible(page)

    page.goto(base + "/account/signup/")
    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_signed_in_pages_are_accessible(live_server, page):
    base = live_server.url
    organisation = OrganisationFactory(name="Lambeth Council")
    admin = UserFactory(email="ada@example.org", name="Ada Admin")
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=organisation)
    _sign_in(page, base, "ada@example.org")

    for path in (
        "/account/dashboard/",
        "/account/details/",
        "/account/email/",
        "/account/password/change/",
        organisation.get_absolute_url(),
        f"/organisations/{organisation.slug}/edit/",
        f"/organisations/{organisation.slug}/members/",
        f"/organisations/{organisation.slug}/members/{member.pk}/",
        f"/organisations/{organisation.slug}/members/{member.pk}/remove/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    page.goto(base + "/organisations/new/")
    page.get_by_role("button", name="Add organisation").click()
    page.wait_for_load_state()
    expect_error_page(page)
    assert_accessible(page)


def test_joining_and_running_an_organisation_without_javascript(
    live_server, browser, govuk_account_forms
):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(base + "/account/signup/")
    page.get_by_label("Full name (optional)").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Create a password").fill("plum tractor lantern 42")
    page.get_by_label("Confirm password").fill("plum tractor lantern 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm email address").click()
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Password", exact=True).fill("plum tractor lantern 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()

    page.goto(base + "/organisations/new/")
    page.get_by_label("Organisation name").fill("Nia's Allotment Society")
    page.get_by_label("Community group").check()
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Nia's Allotment Society")).to_be_visible()

    UserFactory(email="friend@example.org", name="Fred Friend")
    page.get_by_role("button", name="Manage members").click()
    page.get_by_label("Email address").fill("friend@example.org")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("Fred Friend has been added as member")).to_be_visible()

    page.get_by_role("link", name="Remove Fred Friend").click()
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text("Fred Friend has been removed")).to_be_visible()

    page.goto(base + "/account/logout/")
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    context.close()
