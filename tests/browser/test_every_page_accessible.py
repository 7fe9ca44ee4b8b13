"""axe-core on every page of ours: as a visitor for public pages, as the owning lead for the rest."""

import pytest

from mobilise.accounts.tests.factories import PASSWORD
from tests.url_catalogue import PUBLIC, build_world, example_urls, our_patterns, url_for

pytestmark = pytest.mark.django_db(transaction=True)

NOT_HTML = {
    "core:healthz",
    "accounts:data_export_download",
    "indicators:boundaries",
    "indicators:data_csv",
    "coalition:pledges_csv",
    "coalition:opportunities_csv",
    "coalition:session_calendar",
    "budgeting:ballots_pb",
    "budgeting:delivery_photo",
    "assurance:pack_pdf",
    "assurance:paper_download",
    "deliberation:votes_json",
    "deliberation:export",
    "learning:pilot_results_csv",
}


def test_every_page_passes_axe(live_server, page, axe):
    world = build_world()
    pages = [
        (name, url_for(name, pattern, world))
        for name, pattern in our_patterns()
        if name not in NOT_HTML
    ]
    public = [(name, url) for name, url in pages if name in PUBLIC] + example_urls(world)
    private = [(name, url) for name, url in pages if name not in PUBLIC]

    for name, url in public:
        response = page.goto(live_server.url + url)
        assert response.status == 200, (name, url, response.status)
        axe(page)

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(world["lead"].email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    for name, url in private:
        response = page.goto(live_server.url + url)
        assert response.status == 200, (name, url, response.status)
        axe(page)
