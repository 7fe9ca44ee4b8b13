"""Place pages in Chromium: axe-core finds no serious problems, Leaflet draws the map without
breaking the CSP, and everything works with JavaScript switched off. ``make test-browser``."""

import pytest

from mobilise.core.testing.browser import assert_accessible
from mobilise.places import services
from mobilise.places.sources import SHIPPED_GEO_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _loaded(live_settings):
    services.places_load(path=SHIPPED_GEO_DIR)


def test_place_pages_are_accessible_and_the_map_is_drawn(live_server, page):
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    for path in (
        "/places/",
        "/places/?q=lamb",
        "/places/E09000022/",
        "/places/E10000021/",
        "/places/?q=Greater+Manchester",
        "/places/TLC11-21/",
        "/places/TLD3-25/",
        "/places/E47000001/",
        "/places/UKM27-13/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1
        assert_accessible(page)

    page.goto(live_server.url + "/places/E09000022/")
    page.wait_for_load_state("networkidle")
    # Leaflet replaced the server's outline with its own layers: the place and its neighbours.
    assert page.locator(".mobilise-map.leaflet-container").count() == 1
    assert page.locator(".mobilise-map .leaflet-overlay-pane path").count() >= 5
    assert csp_errors == []


def test_search_and_map_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/places/")
    page.get_by_label("Search for a place").fill("Lambeth")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    # The borough comes first; its ITL 3 and NUTS 3 namesakes follow.
    page.get_by_role("link", name="Lambeth", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Lambeth"
    assert (
        page.get_by_role("img", name="Outline map of Lambeth, with neighbouring areas").count() == 1
    )
    context.close()
