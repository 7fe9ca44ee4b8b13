"""Journey 5 in Chromium, with axe-core on every page (no serious or critical problems):
a resident proposes an idea; a resident votes (over budget first, then within it), checks and
casts the ballot, and changes it; the lead closes voting and everyone reads the results; a lead
moves the closing date of a round whose vote is open; a visitor then reads "Changes to this round"; a
resident finds a round whose closing day has passed and is told so, with no Vote button.
Run with ``-m browser``.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD
from mobilise.budgeting import timetable
from mobilise.budgeting.models import Ballot, Project, Result
from mobilise.core.testing.browser import expect_error_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def _main(page):
    return page.locator("main").inner_text()


def test_a_resident_proposes_an_idea(live_server, page, axe, ideas_round, resident):
    base = live_server.url
    _sign_in(page, base, resident)
    page.goto(f"{base}/budgets/{ideas_round.pk}/")
    axe(page)
    page.get_by_role("button", name="Propose an idea").click()
    axe(page)
    page.get_by_role("button", name="Send your idea").click()
    expect_error_page(page)
    assert "Enter a name for your idea" in page.locator(".govuk-error-summary").inner_text()
    axe(page)
    page.get_by_label("Name your idea").fill("Benches on Queen's Crescent")
    page.get_by_label("Describe your idea").fill("Somewhere to sit on the way to the market.")
    page.get_by_role("button", name="Send your idea").click()
    page.wait_for_load_state()
    main = _main(page)
    assert "your idea is in" in main
    assert "Ideas waiting for review" in main and "Benches on Queen's Crescent" in main
    assert Project.objects.get(title="Benches on Queen's Crescent").proposer == resident
    axe(page)


def _choose(page, *titles):
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    for title in titles:
        page.get_by_role("checkbox", name=title).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_voting_over_and_within_budget_changing_the_ballot_and_the_results(
    live_server, page, axe, voting_round, resident, lead
):
    base = live_server.url
    _sign_in(page, base, resident)
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    page.get_by_role("button", name="Vote").click()
    axe(page)
    page.get_by_label("Your postcode").fill("NW5")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    axe(page)

    # Over budget: a clear error, nothing cast.
    _choose(
        page, "Trees on Malden Road – £60,000", "Cycle hangars – £30,000", "Pocket park – £20,000"
    )
    expect_error_page(page)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Your choices cost £110,000; the budget is £100,000. Remove at least £10,000." in summary
    assert page.get_by_role("checkbox", name="Pocket park – £20,000").is_checked()
    assert not Ballot.objects.exists()
    axe(page)

    # Within budget: check, then cast.
    _choose(page, "Trees on Malden Road – £60,000", "Cycle hangars – £30,000")
    assert "Check your choices" in page.locator("h1").inner_text()
    assert "Your choices cost £90,000 of the £100,000 budget." in _main(page)
    axe(page)
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_load_state()
    assert "Ballot recorded" in _main(page)
    axe(page)

    # Changing the ballot: earlier choices come back; the same ballot is updated.
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    page.get_by_role("button", name="Change your ballot").click()
    page.get_by_label("Your postcode").fill("NW5")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_role("checkbox", name="Trees on Malden Road – £60,000").is_checked()
    _choose(page, "Pocket park – £20,000", "Water fountains – £10,000")
    assert "This replaces the ballot you cast before." in _main(page)
    page.get_by_role("button", name="Change my ballot").click()
    page.wait_for_load_state()
    assert "Ballot recorded" in _main(page)
    ballot = Ballot.objects.get()
    assert {c.project.title for c in ballot.choices.all()} == {"Pocket park", "Water fountains"}

    # The lead closes voting; the count runs and the results are public.
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    page.get_by_role("link", name="Move the round on").click()
    axe(page)
    page.get_by_role("button", name="Close voting").click()
    page.wait_for_load_state()
    assert Result.objects.filter(round=voting_round).exists()

    page.context.clear_cookies()
    page.goto(f"{base}/budgets/{voting_round.pk}/results/")
    main = _main(page)
    assert "2 projects are funded, costing £30,000 of the £100,000 budget." in main
    assert "Funded in round" in main  # the engine's explanation
    assert "Equal shares and greedy counting side by side" in main
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ballots (.pb file)").click()
    assert download.value.suggested_filename == f"budget-round-{voting_round.pk}.pb"


def test_every_budgeting_page_passes_axe(live_server, page, axe):
    """tests/browser/test_every_page_accessible.py restricted to this app's pages."""
    from tests.url_catalogue import PUBLIC, build_world, our_patterns, url_for

    world = build_world()
    pages = [
        (name, url_for(name, pattern, world))
        for name, pattern in our_patterns()
        if name.startswith("budgeting:")
        and name not in {"budgeting:ballots_pb", "budgeting:delivery_photo"}
    ]
    for name, url in pages:
        if name in PUBLIC:
            assert page.goto(live_server.url + url).status == 200, name
            axe(page)
    _sign_in(page, live_server.url, world["lead"])
    for name, url in pages:
        assert page.goto(live_server.url + url).status == 200, name
        axe(page)


def test_a_points_ballot_that_does_not_add_up(live_server, page, axe, voting_round, resident):
    voting_round.ballot_type, voting_round.points = "cumulative", 10
    voting_round.save()
    base = live_server.url
    _sign_in(page, base, resident)
    page.goto(f"{base}/budgets/{voting_round.pk}/vote/")
    page.get_by_label("Your postcode").fill("NW5")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Pocket park").fill("6")
    page.get_by_label("Cycle hangars").fill("3")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert (
        "Your points add up to 9; share out exactly 10 points."
        in page.locator(".govuk-error-summary").inner_text()
    )
    axe(page)
    page.get_by_label("Cycle hangars").fill("4")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "Pocket park" in _main(page) and "6 points" in _main(page)
    axe(page)


def test_a_lead_moves_the_closing_date_once_voting_has_opened(
    live_server, page, axe, voting_round, lead
):
    voting_round.voting_opens_on = voting_round.ideas_close_on = date(2027, 4, 1)
    voting_round.voting_closes_on = date(2027, 4, 30)
    voting_round.save()
    base = live_server.url
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    assert "1 April 2027 – 30 April 2027" in _main(page)
    page.get_by_role("link", name="Edit round details").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Edit round details"
    # The ballot settings are there to read, but fixed now that voting has opened.
    assert page.get_by_label("Budget in pounds").is_disabled()
    assert page.get_by_role("radio", name="Choose any projects within the budget").is_disabled()
    assert page.get_by_label("Title").is_enabled()
    axe(page)

    closes = page.get_by_role("group", name="Voting closes")
    closes.get_by_label("Day").fill("14")
    closes.get_by_label("Month").fill("5")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/budgets/{voting_round.pk}/"
    main = _main(page)
    assert "Round updated" in page.locator(".govuk-notification-banner").inner_text()
    assert "1 April 2027 – 14 May 2027" in main
    axe(page)

    # A closing date before voting opens is refused with a message on the field.
    page.get_by_role("link", name="Edit round details").click()
    closes = page.get_by_role("group", name="Voting closes")
    closes.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    expect_error_page(page)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Voting must close on or after the day it opens (1 April 2027)" in summary
    axe(page)

    # A visitor, not signed in, sees that the date moved, and who moved it; the refused edit is not
    # there, as nothing changed.
    page.context.clear_cookies()
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    expect(page.locator(".mobilise-pb-last-changed")).to_contain_text(
        f"Last changed on {timetable.day(timezone.localdate())}"
    )
    page.get_by_role("link", name="see all changes to this round").click()
    expect(page.locator("h1")).to_have_text("Changes to this round")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # the edit, then the round being opened
    expect(rows.first).to_contain_text("The mission team at London Borough of Camden")
    expect(rows.first).to_contain_text("Voting closes: 30 April 2027 → 14 May 2027")
    expect(rows.last).to_contain_text("The round was opened")
    expect(page.locator("main")).not_to_contain_text(lead.name)
    axe(page)


def test_a_resident_on_a_round_past_its_closing_day_sees_it_closed_and_no_vote_button(
    live_server, page, axe, voting_round, resident
):
    closed_on = timezone.localdate() - timedelta(days=1)
    voting_round.voting_opens_on = closed_on - timedelta(days=14)
    voting_round.voting_closes_on = closed_on
    voting_round.save()  # nobody has moved the round on yet: the closing day alone closes it
    base = live_server.url
    _sign_in(page, base, resident)
    page.goto(f"{base}/budgets/{voting_round.pk}/")
    expect(page.locator(".govuk-inset-text")).to_have_text(
        f"Voting closed on {timetable.day(closed_on)} — results will be published once the "
        "count runs."
    )
    expect(page.get_by_role("button", name="Vote")).to_have_count(0)
    expect(page.get_by_role("link", name="Vote", exact=True)).to_have_count(0)
    axe(page)

    # Following an old link to the vote says the same, rather than offering a ballot.
    page.goto(f"{base}/budgets/{voting_round.pk}/vote/")
    expect(page.locator("h1")).to_have_text("Voting is not open")
    expect(page.locator("main")).to_contain_text(f"Voting closed on {timetable.day(closed_on)}")
    expect(page.get_by_label("Your postcode")).to_have_count(0)
    axe(page)
