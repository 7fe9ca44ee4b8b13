"""Journey: a council officer signs up, signs in, creates a mission with an outcome and a theory-of-change
link, and a member of the public sees it. Then the same editing flow by keyboard alone.

The one step not done through the pages is granting the mission-lead role: on a real platform the
platform admin does that in /admin/, which has its own tests.
"""

import re

import pytest
from django.core import mail

from mobilise.accounts.models import Membership, Organisation, Role, User, UserRole
from mobilise.accounts.tests.factories import PASSWORD, mission_lead
from mobilise.core.testing.browser import expect_error_page
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def camden(db):
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    england = Place.objects.create(
        code="E92000001", name="England", kind=Place.Kind.NATION, parent=uk
    )
    london = Place.objects.create(
        code="E12000007", name="London", kind=Place.Kind.REGION, parent=england
    )
    return Place.objects.create(
        code="E09000007", name="Camden", kind=Place.Kind.UNITARY, parent=london
    )


def _sign_in(page, base, email, password=PASSWORD):
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_sign_up_create_a_mission_and_see_it_in_public(live_server, page, axe, camden):
    base = live_server.url

    # Sign up, and confirm the address from the e-mail.
    page.goto(base + "/account/signup/")
    axe(page)
    page.get_by_label("Full name (optional)").fill("Ada Officer")
    page.get_by_label("Email address").fill("ada@camden.example")
    page.get_by_label("Create a password").fill("a long enough passphrase 42")
    page.get_by_label("Confirm password").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    axe(page)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://testserver", base))
    page.get_by_role("button", name="Confirm email address").click()
    page.wait_for_load_state()

    # The platform admin makes Ada a mission lead; she sets up her council's organisation herself.
    user = User.objects.get(email="ada@camden.example")
    UserRole.objects.create(user=user, role=Role.MISSION_LEAD)
    _sign_in(page, base, "ada@camden.example", "a long enough passphrase 42")
    assert page.get_by_role("link", name="Sign out").is_visible()
    page.goto(base + "/organisations/new/")
    axe(page)
    page.get_by_label("Organisation name").fill("London Borough of Camden")
    page.get_by_label("Public body").check()
    page.get_by_role("button", name="Add organisation").click()
    page.wait_for_load_state()
    assert Membership.objects.filter(
        user=user, role="admin", organisation__name="London Borough of Camden"
    ).exists()

    # A mission, first with a mistake: the error summary appears and nothing is saved.
    page.goto(base + "/missions/new/")
    axe(page)
    page.get_by_label("Title").fill("Clean air in Camden")
    page.get_by_label("Horizon year").fill("1800")
    page.get_by_role("button", name="Create mission").click()
    expect_error_page(page)
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)
    page.get_by_label("Mission statement").fill("Halve transport emissions in Camden by 2035.")
    page.get_by_label("Horizon year").fill("2035")
    page.get_by_label("Local").check()
    page.get_by_label("Places").fill("Camden")
    page.get_by_role("button", name="Create mission").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Clean air in Camden"
    axe(page)

    # An outcome.
    page.get_by_role("button", name="Add an outcome").click()
    axe(page)
    page.get_by_label("Name").fill("Halve transport emissions by 2035")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2035")
    page.get_by_role("button", name="Save outcome").click()
    page.wait_for_load_state()

    # Two steps of the theory of change and the link between them.
    page.goto(page.url.split("/outcomes/")[0].rstrip("/") + "/theory-of-change/")
    axe(page)
    for kind, title in [
        ("Activity", "School streets"),
        ("Outcome", "Halve transport emissions by 2035"),
    ]:
        page.get_by_role("button", name="Add a step").click()
        axe(page)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Save step").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="Link two steps").click()
    axe(page)
    page.get_by_label("Step", exact=True).select_option(
        _option_value(page, "#id_source", "School streets")
    )
    page.get_by_label("Leads to").select_option(
        _option_value(page, "#id_target", "Halve transport")
    )
    page.get_by_label(re.compile("Why does it lead")).fill(
        "Families walk when the school run feels safe."
    )
    page.get_by_role("button", name="Save link").click()
    page.wait_for_load_state()

    # Publish it.
    mission_url = base + "/missions/clean-air-in-camden/"
    page.goto(mission_url + "edit/")
    page.get_by_label("Active").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()

    # A visitor who is not signed in sees the mission, its outcome and the link with its reason.
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    public.goto(mission_url)
    body = public.locator("main").inner_text()
    assert "Halve transport emissions in Camden by 2035." in body
    assert "Halve transport emissions by 2035" in body
    assert "Families walk when the school run feels safe." in body
    assert public.locator("svg[role=img]").count() >= 1
    assert public.get_by_role("link", name="Edit mission").count() == 0
    axe(public)
    public.get_by_role("link", name="Halve transport emissions by 2035").first.click()
    public.wait_for_load_state()
    assert "31 December 2035" in public.locator("main").inner_text()
    axe(public)
    visitor.close()


def _option_value(page, select: str, text: str) -> str:
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key")


def test_keyboard_only_mission_editing(live_server, page, live_settings, camden):
    organisation = Organisation.objects.create(name="Camden", slug="camden", sector="public_body")
    lead = mission_lead(organisation)
    base = live_server.url
    _sign_in(page, base, lead.email)

    page.goto(base + "/missions/new/")
    _tab_to(page, "#id_title")
    page.keyboard.type("Good work for everyone")
    _tab_to(page, "#id_statement")
    page.keyboard.type("Every resident can get a good job by 2030.")
    _tab_to(page, "#id_horizon_year")
    page.keyboard.type("2030")
    _tab_to(page, "input[name=scope][value=local]")
    page.keyboard.press("Space")
    _tab_to(page, "#id_places")
    page.keyboard.type("E09000007")
    _tab_to(page, "button.govuk-button:has-text('Create mission')")
    # GOV.UK's focus state is a yellow outline: a keyboard user can see where they are.
    assert (
        page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        or page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    )
    # Wait for the navigation itself: a load-state wait can return for the page being left.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Good work for everyone"

    _tab_to(page, "a:has-text('Add an outcome')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#id_title")
    page.keyboard.type("More residents in good jobs")
    _tab_to(page, "button.govuk-button:has-text('Save outcome')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "More residents in good jobs" in page.locator("main").inner_text()

    # The skip link is the first thing a keyboard user meets, and it works.
    page.goto(base + "/missions/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
