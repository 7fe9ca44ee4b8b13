"""Journey 3 end to end in Chromium, with axe-core on every page and never /admin/.

A local business (its admin, Sam) asks to join the coalition; the mission lead accepts it from
"Waiting for you" on her dashboard. The business pledges 200 volunteer hours and a meeting room –
offering the room in the exchange in the same step, typing money as "£3,000" – and reports a
quarter's progress. The lead matches the room to a community group's ask; the group has nobody on
the site, so she records its consent (by phone), and the match counts towards the room pledge.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import PASSWORD, OrganisationFactory
from mobilise.coalition.models import CoalitionMember, Match, Offer, Pledge
from mobilise.core.testing.browser import expect_error_page

from .factories import AskFactory, CoalitionMemberFactory

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


def _fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _main(page):
    page.wait_for_load_state()
    return page.locator("main").inner_text()


def test_journey_3_join_pledge_offer_the_room_report_and_match(
    live_server, page, axe, mission, business, partner, lead, places
):
    base = live_server.url
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    group = OrganisationFactory(
        name="Somers Town Neighbours", sector="community", home_place=places["camden"]
    )
    CoalitionMemberFactory(mission=mission, organisation=group)
    # Nobody from the group is on the site: the mission team posted its ask for it.
    ask = AskFactory(
        mission=mission,
        organisation=group,
        place=places["camden"],
        category="premises",
        title="A room for street-design workshops",
        quantity=Decimal(6),
        unit="room days",
        tags=["meeting room"],
    )
    due = timezone.localdate() + dt.timedelta(days=365)

    # Sam, the traders' admin, asks to join.
    _sign_in(page, base, partner)
    page.goto(base + f"/coalition/missions/{mission.slug}/")
    axe(page)
    page.get_by_role("button", name="Ask to join").click()
    axe(page)
    page.get_by_label("What will your organisation bring?").fill(
        "200 volunteer hours and a meeting room above our shops."
    )
    page.get_by_role("button", name="Send request").click()
    assert "The mission team will decide" in _main(page)
    axe(page)

    # The lead sees the request waiting for her on her dashboard and accepts it from there.
    _sign_in(page, base, lead)
    page.goto(base + reverse("accounts:dashboard"))
    assert "Waiting for you" in _main(page)
    axe(page)
    page.get_by_role("link", name="1 request to join the Clean air in Camden coalition").click()
    axe(page)
    page.get_by_role("link", name=re.compile("Decide")).click()
    axe(page)
    page.get_by_label("Accept: welcome them to the coalition").check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert CoalitionMember.objects.get(organisation=business).status == "accepted"
    axe(page)
    page.goto(base + reverse("accounts:dashboard"))
    assert "request to join" not in _main(page)
    axe(page)

    # Sam pledges 200 volunteer hours, typing the in-kind value as people do.
    _sign_in(page, base, partner)
    page.goto(base + f"/coalition/missions/{mission.slug}/")
    page.get_by_role("button", name="Make a pledge").click()
    axe(page)
    page.get_by_label("Kentish Town Traders").check()
    page.get_by_label("What will you do?").fill("200 hours of staff volunteering")
    page.get_by_label("How much?").fill("200")
    page.get_by_label("Of what?").fill("volunteer hours")
    _fill_date(page, "By when?", due)
    page.get_by_label("In-kind value, in pounds (optional)").fill("£3,000")
    page.get_by_role("button", name="Make pledge").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "200 hours of staff volunteering"
    hours = Pledge.objects.get(unit="volunteer hours")
    assert hours.in_kind_value == 3000
    axe(page)

    # A quarter later: progress on the hours.
    page.get_by_role("button", name="Report progress").click()
    axe(page)
    page.get_by_label("How much more has been delivered?").fill("55")
    page.get_by_label("Note (optional)").fill("Stewarding at two school streets.")
    page.get_by_role("button", name="Report progress").click()
    assert "55 of 200 volunteer hours delivered (28%)" in _main(page)
    axe(page)

    # Then the meeting room, offered in the exchange in the same step. First without saying what
    # kind of thing it is: the form says so and keeps what was typed.
    page.goto(base + f"/coalition/missions/{mission.slug}/pledges/new/")
    page.get_by_label("Kentish Town Traders").check()
    page.get_by_label("What will you do?").fill("A meeting room one day a week")
    page.get_by_label("How much?").fill("48")
    page.get_by_label("Of what?").fill("room days")
    _fill_date(page, "By when?", due)
    page.get_by_label("In-kind value, in pounds (optional)").fill("£1,500")
    page.get_by_label("Also offer this in the exchange").check()
    page.get_by_role("button", name="Make pledge").click()
    expect_error_page(page)
    assert (
        "Choose what kind of thing you are offering"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("In-kind value, in pounds (optional)").input_value() == "£1,500"
    axe(page)
    page.get_by_label("If you offer it: what kind of thing is it?").select_option("premises")
    page.get_by_label("Share our contact details when it is matched").check()
    page.get_by_role("button", name="Make pledge").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "A meeting room one day a week"
    room = Pledge.objects.get(unit="room days")
    offer = Offer.objects.get()
    assert room.in_kind_value == 1500 and offer.pledge == room
    main = _main(page)
    assert "Offered in the exchange" in main and "0 of 48 room days delivered" in main
    axe(page)
    page.get_by_role("link", name="A meeting room one day a week", exact=True).last.click()
    axe(page)  # the offer's page, with the asks it could meet

    # The lead sees the room ranked for the group's ask, in comparable units, and matches them.
    _sign_in(page, base, lead)
    page.goto(base + ask.get_absolute_url())
    main = _main(page)
    assert "A meeting room one day a week" in main and "In the same place: Camden" in main
    assert "Offers 48, enough for the 6 room days asked for" in main
    axe(page)
    page.get_by_role("link", name=re.compile("^Match with A meeting room one day a week")).click()
    axe(page)
    page.get_by_role("button", name="Make this match").click()
    page.wait_for_load_state()
    match = Match.objects.get()
    assert match.status == Match.Status.PROPOSED and match.ask_consented_at is None
    axe(page)

    # The match waits for a group with nobody on the site: the lead's dashboard says so.
    page.goto(base + reverse("accounts:dashboard"))
    axe(page)
    page.get_by_role("link", name="1 match in Clean air in Camden waiting for a decision").click()
    assert "Needs you" in _main(page)
    axe(page)
    page.get_by_role("link", name=re.compile("A room for street-design workshops")).click()
    assert "Answer for Somers Town Neighbours" in _main(page)
    axe(page)
    page.get_by_label("They agreed another way (by phone, in person, by letter)").check()
    page.get_by_role("button", name="Record their answer").click()  # forgot how
    expect_error_page(page)
    axe(page)
    page.get_by_label("How and when did they agree?").fill("by phone on 3 Dec")
    page.get_by_role("button", name="Record their answer").click()
    main = _main(page)
    assert "Connected" in main and "by phone on 3 Dec" in main
    match.refresh_from_db()
    assert match.status == Match.Status.CONNECTED
    axe(page)

    # The match counts towards the room pledge, as Sam sees on its page.
    _sign_in(page, base, partner)
    page.goto(base + room.get_absolute_url())
    main = _main(page)
    assert "6 of 48 room days delivered" in main
    assert "Matched in the exchange with ‘A room for street-design workshops’" in main
    axe(page)
    page.goto(base + match.get_absolute_url())
    main = _main(page)
    assert "Somers Town Neighbours" in main and "Connected" in main
    axe(page)

    assert visited and not [url for url in visited if "/admin/" in url]
