"""Opening a budget round in Chromium: each ballot type's own question (how many projects, how many
points) is revealed under its option only once that option is chosen (GOV.UK's conditional reveal);
a mistake in a revealed question shows it revealed, linked from the error summary. Without
JavaScript every question is shown. axe-core runs on each page. Run with ``-m browser``.
"""

import pytest
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD
from mobilise.budgeting.models import BudgetRound
from mobilise.core.testing.browser import expect_error_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOW_MANY_PROJECTS = "Most projects a voter may choose"
HOW_MANY_POINTS = "Points each voter shares out"


@pytest.fixture(autouse=True)
def _plain_http(live_settings):
    pass


def _sign_in(page, base, user):
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_each_ballot_reveals_its_own_question(live_server, page, axe, mission, lead):
    base = live_server.url
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/missions/{mission.slug}/new/")
    points, projects = page.get_by_label(HOW_MANY_POINTS), page.get_by_label(HOW_MANY_PROJECTS)
    # "Choose any projects within the budget" is chosen to start with: it asks nothing more.
    assert page.get_by_role("radio", name="Choose any projects within the budget").is_checked()
    assert points.is_hidden() and projects.is_hidden()
    axe(page)

    page.get_by_role("radio", name="Share out points between projects").check()
    expect(points).to_be_visible()
    expect(projects).to_be_hidden()
    axe(page)

    page.get_by_role("radio", name="Choose up to a number of projects").check()
    expect(projects).to_be_visible()
    expect(points).to_be_hidden()


def test_a_missing_number_is_shown_revealed_and_linked(live_server, page, axe, mission, lead):
    base = live_server.url
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/missions/{mission.slug}/new/")
    page.get_by_label("Title").fill("Kentish Town budget")
    page.get_by_label("Budget in pounds").fill("50000")
    page.get_by_role("radio", name="Choose up to a number of projects").check()
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state()

    expect_error_page(page)
    message = "Enter how many projects each voter may choose"
    projects = page.get_by_label(HOW_MANY_PROJECTS)
    assert projects.is_visible()
    assert message in page.locator(".govuk-form-group--error", has=projects).inner_text()
    assert page.get_by_label(HOW_MANY_POINTS).is_hidden()
    link = page.locator(".govuk-error-summary").get_by_role("link", name=message)
    assert link.get_attribute("href") == "#id_max_choices"
    axe(page)
    link.click()
    expect(projects).to_be_focused()
    assert not BudgetRound.objects.exists()

    projects.fill("3")
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state()
    saved = BudgetRound.objects.get(title="Kentish Town budget")
    assert (saved.ballot_type, saved.max_choices, saved.points) == ("k_approval", 3, None)
    assert page.url == f"{base}/budgets/{saved.pk}/"


def test_without_javascript_every_question_is_shown(live_server, browser, mission, lead):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        base = live_server.url
        _sign_in(page, base, lead)
        page.goto(f"{base}/budgets/missions/{mission.slug}/new/")
        assert page.get_by_label(HOW_MANY_PROJECTS).is_visible()
        assert page.get_by_label(HOW_MANY_POINTS).is_visible()
    finally:
        context.close()
