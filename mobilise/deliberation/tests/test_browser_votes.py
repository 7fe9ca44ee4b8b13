"""Voting quickly on a slow connection: every click is one vote, none lost and none doubled.

Chromium is slowed to 600 ms a round trip (CDP network emulation) and the vote buttons are
clicked twenty times as fast as Playwright can. The vote card's script queues the votes, sends
them one at a time, and shows the next statement from a list fetched ahead; while it has no
statement to show, the buttons are disabled and the card says it is saving. Run with
``-m browser``.
"""

import pytest
from playwright.sync_api import expect

from mobilise.deliberation.models import Participant, Vote

from .factories import ConversationFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = ("Agree", "Disagree", "Pass or unsure")
VALUES = {"Agree": 1, "Disagree": -1, "Pass or unsure": 0}


@pytest.fixture
def big_conversation(mission):
    conversation = ConversationFactory(mission=mission, question="How should Camden cut fumes?")
    for n in range(25):
        StatementFactory(conversation=conversation, text=f"Clean-air idea number {n + 1}")
    return conversation


def _slow_network(page, latency_ms: int = 600, *, offline: bool = False):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": latency_ms,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )
    return cdp


def test_twenty_fast_clicks_on_a_slow_connection_are_twenty_votes(
    live_server, live_settings, page, axe, big_conversation
):
    _slow_network(page)
    page.goto(live_server.url + big_conversation.get_absolute_url())
    page.wait_for_load_state()
    axe(page)
    # Note whether the card ever showed its busy state: buttons disabled, form aria-busy.
    page.evaluate(
        """() => {
          window.sawBusy = false;
          const form = document.querySelector('#vote form');
          new MutationObserver(() => {
            if (form.getAttribute('aria-busy') === 'true'
                && [...form.querySelectorAll('button')].every((b) => b.disabled)) window.sawBusy = true;
          }).observe(form, {attributes: true, subtree: true});
        }"""
    )

    clicked = {1: 0, -1: 0, 0: 0}
    for n in range(20):
        answer = ANSWERS[n % 3]
        page.get_by_role("button", name=answer, exact=True).click(no_wait_after=True)
        clicked[VALUES[answer]] += 1

    status = page.locator("#vote [role=status]")
    expect(status).to_have_text("Saving your vote…")
    expect(status).to_have_text("You have voted on 20 of 25 statements.", timeout=90_000)
    assert page.evaluate("() => window.sawBusy")

    participant = Participant.objects.get(conversation=big_conversation)
    votes = list(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))
    assert len(votes) == 20
    assert len({statement for statement, _value in votes}) == 20
    assert {v: sum(1 for _s, value in votes if value == v) for v in clicked} == clicked
    # The card goes on with a statement not yet voted on, its buttons live again.
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_enabled()
    shown = int(page.locator("#vote input[name=statement]").get_attribute("value"))
    assert shown not in {statement for statement, _value in votes}
    axe(page)


def test_without_javascript_the_vote_is_a_plain_form(
    live_server, live_settings, browser, big_conversation
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + big_conversation.get_absolute_url())
    for n in range(3):
        page.get_by_role("button", name=ANSWERS[n], exact=True).click()
        page.wait_for_load_state()
        expect(page.locator("#vote [role=status]")).to_have_text(
            f"You have voted on {n + 1} of 25 statements."
        )
    participant = Participant.objects.get(conversation=big_conversation)
    assert sorted(participant.votes.values_list("value", flat=True)) == [-1, 0, 1]
    context.close()


def test_a_vote_that_cannot_be_saved_comes_back_with_the_reason(
    live_server, live_settings, page, axe, big_conversation
):
    page.goto(live_server.url + big_conversation.get_absolute_url())
    page.wait_for_load_state()
    text = page.locator("#statement-text").inner_text()
    cdp = _slow_network(page, 0, offline=True)
    page.get_by_role("button", name="Agree", exact=True).click()
    # Tried again, then given back: the same statement, live buttons, and the reason.
    expect(page.get_by_role("alert")).to_contain_text(
        "Your vote could not be saved. Check your connection and vote on this statement again.",
        timeout=15_000,
    )
    expect(page.locator("#statement-text")).to_have_text(text)
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_enabled()
    assert not Vote.objects.exists()
    axe(page)

    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#vote [role=status]")).to_have_text(
        "You have voted on 1 of 25 statements."
    )
    assert Vote.objects.get().statement.text == text
