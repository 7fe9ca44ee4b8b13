"""The pages every visitor can reach without signing in: they render, work without JavaScript and pass axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/accessibility/", "/privacy/", "/cookies/", "/data-sources/"]


@pytest.mark.parametrize("path", PAGES)
def test_service_page_is_accessible(live_server, page, axe, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    # GOV.UK Frontend's scripts ran: the body says so.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    axe(page)


def test_pages_work_without_javascript(live_server, live_settings, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    context.close()


def test_no_content_security_policy_violations(live_server, live_settings, page):
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert errors == []
