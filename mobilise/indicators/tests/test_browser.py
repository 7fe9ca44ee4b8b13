"""Indicator pages in Chromium: axe-core finds no serious problems, Chart.js draws the chart and
Leaflet the map without breaking the CSP, and with JavaScript off the table and the SVG map are
there. ``make test-browser``."""

import pytest
from django.core.cache import cache

from mobilise.accounts.tests.factories import mission_lead
from mobilise.core.testing.browser import expect_error_page

from .pages_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_settings):
    cache.clear()
    yield build_world()
    cache.clear()


def _watch_csp(page):
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_indicator_map_and_place_pages_are_accessible_and_drawn(live_server, page, axe, world):
    errors = _watch_csp(page)
    base = live_server.url
    for path in (
        "/indicators/",
        "/indicators/pm25/?place=E09000007",
        "/indicators/pm25/map/",
        "/indicators/pm25/map/?level=region&sort=value&dir=desc",
        "/indicators/places/E09000007/",
        "/places/E09000007/",
        world.mission.get_absolute_url(),
        world.outcome.get_absolute_url(),
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1, path
        axe(page)

    page.goto(base + "/indicators/pm25/?place=E09000007")
    page.wait_for_load_state("networkidle")
    canvas = page.locator(".mobilise-chart canvas")
    assert canvas.count() == 1
    assert canvas.bounding_box()["height"] > 200
    # Chart.js drew: the canvas has non-blank pixels.
    assert page.evaluate(
        """() => { const c = document.querySelector('.mobilise-chart canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }"""
    )
    assert page.locator("#indicator-table").is_visible()

    page.goto(base + "/indicators/pm25/map/")
    page.wait_for_selector(".mobilise-choropleth.leaflet-container .leaflet-overlay-pane path")
    assert page.locator(".mobilise-choropleth .leaflet-overlay-pane path").count() == 7
    assert page.locator("#map-table").is_visible()  # the table stays with JavaScript
    assert errors == []


def test_without_javascript_the_tables_and_svg_map_are_there(live_server, browser, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/indicators/pm25/")
    page.get_by_label("Place").select_option("E09000007")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("#series-heading").inner_text().startswith("Camden")
    assert page.locator("#indicator-table tbody tr").count() >= 7
    assert not page.locator(".mobilise-chart").is_visible()  # no empty chart box

    page.get_by_role("link", name="Map of the latest figures by area").click()
    page.wait_for_load_state()
    assert page.locator(".mobilise-choropleth svg path").count() == 7
    page.get_by_role("link", name="Value").click()
    page.wait_for_load_state()
    first = page.locator("#map-table tbody tr").first.locator("th").inner_text()
    assert first == "Cardiff"  # the lowest value first
    assert page.locator("#map-table th[aria-sort='ascending']").count() == 1
    context.close()


def test_a_lead_sets_a_target_with_the_form(live_server, page, axe, world):
    from mobilise.accounts.tests.factories import PASSWORD

    lead = mission_lead(world.owner)
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/indicators/pm25/?place=E09000007")
    page.get_by_role("button", name="Change the target").click()
    axe(page)
    page.get_by_label("Target year").fill("2010")
    page.get_by_role("button", name="Save target").click()
    expect_error_page(page)
    axe(page)
    page.get_by_label("Target year").fill("2032")
    page.get_by_role("button", name="Save target").click()
    page.wait_for_load_state()
    assert "4.0 by 2032" in page.locator(".mobilise-card").inner_text()
