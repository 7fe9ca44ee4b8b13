"""Journey 2 in Chromium, with axe-core on every page (no serious or critical problems).

A resident opens the borough's clean-air conversation, votes on statements (with JavaScript the card
changes in place), adds one, the mission lead moderates it, and the resident sees the opinion
groups and what everyone agrees on. Run with ``-m browser``.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD
from mobilise.core.testing.browser import expect_error_page
from mobilise.deliberation import polis
from mobilise.deliberation.models import Statement, Vote
from mobilise.deliberation.tasks import recompute_analysis

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEATTLE = Path(settings.BASE_DIR) / "data" / "polis" / "15-per-hour-seattle"


@pytest.fixture(autouse=True)
def _plain_http(live_settings):
    pass


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _card_text(page) -> str:
    return page.locator("#statement-text").inner_text()


def test_vote_add_a_statement_moderate_and_see_results(live_server, page, axe, conversation, lead):
    base = live_server.url
    page.goto(base + "/conversations/")
    axe(page)
    page.get_by_role("link", name="How should Camden cut traffic fumes?").click()
    axe(page)

    # Voting: each answer brings the next statement; the count goes up.
    seen = []
    for answer in ("Agree", "Disagree", "Pass or unsure", "Agree"):
        text = _card_text(page)
        seen.append(text)
        page.get_by_role("button", name=answer, exact=True).click()
        page.wait_for_function(
            "t => !document.querySelector('#statement-text') || document.querySelector('#statement-text').innerText !== t",
            arg=text,
        )
        # The new statement takes focus, so keyboard and screen-reader users keep their place.
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'statement-text'"
        )
    assert len(set(seen)) == 4
    # The next statement shows at once; the count follows once the vote is saved.
    expect(page.locator("#vote [role=status]")).to_have_text("You have voted on 4 of 8 statements.")
    assert Vote.objects.count() == 4
    axe(page)

    # Adding a statement: too long first, then a good one that waits for moderation.
    page.get_by_role("button", name="Add a statement").click()
    axe(page)
    page.get_by_label("Your statement").fill("Ban idling engines outside schools " * 5)
    page.get_by_role("button", name="Add statement").click()
    expect_error_page(page)
    assert "140 characters or fewer" in page.locator(".govuk-error-summary").inner_text()
    axe(page)
    page.get_by_label("Your statement").fill("Ban idling engines outside schools")
    page.get_by_role("button", name="Add statement").click()
    page.wait_for_load_state()
    assert "sent to the mission team" in page.locator("main").inner_text()
    axe(page)

    # The mission lead accepts it from the moderation queue.
    _sign_in(page, base, lead)
    page.goto(base + conversation.get_absolute_url())
    page.get_by_role("link", name="Moderate (1 statement waiting)").click()
    axe(page)
    page.get_by_role("button", name="Accept Ban idling engines outside schools").click()
    page.wait_for_load_state()
    assert "Statement accepted" in page.locator("main").inner_text()
    assert Statement.objects.get(text="Ban idling engines outside schools").status == "accepted"
    axe(page)


def test_results_show_groups_common_ground_and_the_map(live_server, page, axe, mission):
    conversation = polis.conversation_import(
        folder=SEATTLE,
        mission=mission,
        question="How would a $15 an hour minimum wage affect workers and businesses?",
        attribution="Data was gathered using the Polis software (compdemocracy.org/polis).",
    )
    recompute_analysis.call(conversation_id=conversation.pk)
    page.goto(live_server.url + conversation.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="See the results").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "What group A thinks" in main and "What group B thinks" in main
    assert "Common ground" in main
    assert "Data was gathered using the Polis software" in main
    table = page.get_by_role("table", name="Groups and their sizes").inner_text()
    assert "Group A" in table and "Group B" in table
    expect(page.get_by_role("img", name="Opinion map of 138 people in 2 groups.")).to_be_visible()
    expect(
        page.get_by_role(
            "table", name="The opinion map as a table: each group's size and average position"
        )
    ).to_be_visible()
    axe(page)
