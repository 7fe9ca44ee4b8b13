"""The coalition journeys in Chromium, with axe-core on every page (no serious or critical
problems). Run with ``make test-browser`` (``-m browser``).

Journey 3: a local business joins the coalition, the mission lead accepts, the business pledges
200 volunteer hours and reports progress; the lead matches its meeting room to a community
group's ask. Journey 4: a resident signs up to a full session's waiting list, gets a place when
someone cancels, downloads the calendar file, and their hours count.
"""

import datetime as dt
import re

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from mobilise.accounts.models import Membership
from mobilise.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from mobilise.coalition.models import CoalitionMember, Match, Pledge, SignUp
from mobilise.core.testing.browser import expect_error_page

from .factories import (
    AskFactory,
    CoalitionMemberFactory,
    OpportunityFactory,
    SessionFactory,
    SignUpFactory,
)

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


def test_join_pledge_report_progress_and_match_the_room(
    live_server, page, axe, mission, business, partner, lead, places
):
    base = live_server.url
    group = OrganisationFactory(
        name="Somers Town Neighbours", sector="community", home_place=places["camden"]
    )
    CoalitionMemberFactory(mission=mission, organisation=group)
    ask = AskFactory(
        mission=mission,
        organisation=group,
        place=places["camden"],
        title="A meeting room for workshops",
        tags=["meeting room"],
        made_by=MembershipFactory(organisation=group).user,
    )

    # The business asks to join.
    _sign_in(page, base, partner)
    page.goto(base + "/coalition/missions/clean-air/")
    axe(page)
    page.get_by_role("button", name="Ask to join").click()
    axe(page)
    page.get_by_role("button", name="Send request").click()  # forgot to say what it brings
    expect_error_page(page)
    axe(page)
    page.get_by_label("What will your organisation bring?").fill(
        "200 volunteer hours and a meeting room."
    )
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    assert "The mission team will decide" in page.locator("main").inner_text()
    axe(page)

    # The mission lead accepts.
    _sign_in(page, base, lead)
    page.goto(base + "/coalition/missions/clean-air/")
    page.get_by_role("link", name=re.compile("Requests to join")).click()
    axe(page)
    page.get_by_role("link", name=re.compile("Decide")).click()
    axe(page)
    page.get_by_label("Accept: welcome them to the coalition").check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert CoalitionMember.objects.get(organisation=business).status == "accepted"
    axe(page)

    # The business pledges 200 volunteer hours: first with a negative amount and a past date.
    _sign_in(page, base, partner)
    page.goto(base + "/coalition/missions/clean-air/")
    page.get_by_role("button", name="Make a pledge").click()
    axe(page)
    page.get_by_label("Kentish Town Traders").check()
    page.get_by_label("What will you do?").fill("200 hours of staff volunteering")
    page.get_by_label("How much?").fill("-200")
    page.get_by_label("Of what?").fill("volunteer hours")
    _fill_date(page, "By when?", dt.date(2020, 3, 31))
    page.get_by_role("button", name="Make pledge").click()
    expect_error_page(page)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter an amount of 0 or more" in summary and "today or in the future" in summary
    assert not Pledge.objects.exists()
    axe(page)
    page.get_by_label("How much?").fill("200")
    _fill_date(page, "By when?", timezone.localdate() + dt.timedelta(days=365))
    page.get_by_role("button", name="Make pledge").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "200 hours of staff volunteering"
    axe(page)

    # A quarter later: progress.
    page.get_by_role("button", name="Report progress").click()
    axe(page)
    page.get_by_label("How much more has been delivered?").fill("55")
    page.get_by_label("Link to evidence (optional)").fill("https://example.org/q1")
    page.get_by_label("Note (optional)").fill("Stewarding at two school streets.")
    page.get_by_role("button", name="Report progress").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "55 of 200 volunteer hours delivered (28%)" in main
    assert "Stewarding at two school streets." in main
    axe(page)

    # The business offers its meeting room, agreeing to share contact details when matched.
    page.goto(base + "/coalition/missions/clean-air/offers/new/")
    axe(page)
    page.get_by_label("Kentish Town Traders").check()
    page.get_by_label("Premises").check()
    page.get_by_label("Title").fill("Meeting room above the shops")
    page.get_by_label("Skills or tags (optional)").fill("meeting room, step-free")
    page.get_by_label("How much?").fill("48")
    page.get_by_label("Of what?").fill("room days")
    _fill_date(page, "Available from", timezone.localdate())
    page.get_by_label(re.compile("share my contact details")).check()
    page.get_by_role("button", name="Post offer").click()
    page.wait_for_load_state()
    axe(page)  # the offer, with the asks it could meet
    assert "A meeting room for workshops" in page.locator("main").inner_text()

    # The lead sees the room ranked for the group's ask, with reasons, and matches them.
    _sign_in(page, base, lead)
    page.goto(base + ask.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Meeting room above the shops" in main and "In the same place: Camden" in main
    axe(page)
    page.get_by_role("link", name=re.compile("^Match with Meeting room above the shops")).click()
    axe(page)
    page.get_by_role("button", name="Make this match").click()
    page.wait_for_load_state()
    match = Match.objects.get()
    assert (
        match.offer_consented_at is not None and match.ask_consented_at is None
    )  # the group replies next
    axe(page)


def test_sign_up_cancel_and_promotion_from_the_waiting_list(
    live_server, page, axe, mission, council, places
):
    base = live_server.url
    opportunity = OpportunityFactory(
        mission=mission,
        organisation=council,
        place=places["camden"],
        role="Litter pick and tree watering",
        minimum_age=14,
        location="Somers Town Community Centre",
    )
    session = SessionFactory(opportunity=opportunity, capacity=1)
    jo = UserFactory(name="Jo Resident", home_place=places["camden"], roles=["resident"])
    sam = UserFactory(name="Sam Neighbour", home_place=places["camden"], roles=["resident"])

    # Sam takes the only place.
    _sign_in(page, base, sam)
    page.goto(base + f"/coalition/sessions/{session.pk}/sign-up/")
    page.get_by_label("I meet the requirements above").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    assert SignUp.objects.get(person=sam).status == "confirmed"

    # Jo finds the session near home: it is full, so Jo joins the waiting list.
    _sign_in(page, base, jo)
    page.goto(base + "/coalition/volunteering/")
    assert page.locator("h1").inner_text() == "Volunteer near Camden"
    axe(page)
    page.get_by_role("link", name="Litter pick and tree watering").click()
    axe(page)
    page.get_by_role("link", name=re.compile("^Join the waiting list")).first.click()
    axe(page)
    page.get_by_role("button", name="Join the waiting list").click()  # forgot the tick
    expect_error_page(page)
    axe(page)
    page.get_by_label("I meet the requirements above").check()
    page.get_by_role("button", name="Join the waiting list").click()
    page.wait_for_load_state()
    assert "You are number 1 on the waiting list" in page.locator("main").inner_text()
    axe(page)

    # Sam cancels: the place goes to Jo at once, and Jo is told.
    mail.outbox.clear()
    _sign_in(page, base, sam)
    page.goto(base + "/coalition/mine/")
    axe(page)
    page.goto(base + session.get_absolute_url())
    page.get_by_role("button", name="Cancel your place").click()
    axe(page)
    page.get_by_role("button", name="Yes, cancel my place").click()
    page.wait_for_load_state()
    assert SignUp.objects.get(person=jo).status == "confirmed"
    assert any(
        m.to == [jo.email] and m.subject.startswith("A place has come up") for m in mail.outbox
    )

    # Jo sees the place and downloads the calendar file.
    _sign_in(page, base, jo)
    page.goto(base + session.get_absolute_url())
    assert "You have a place on this session" in page.locator("main").inner_text()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Add to your calendar").click()
    calendar = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read())
    assert (
        str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Volunteering: Litter pick and tree watering"
    )

    # Afterwards the organiser records Jo's hours, and they count on Jo's page.
    from mobilise.coalition.models import Session

    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    lead = UserFactory(roles=["mission_lead"])
    Membership.objects.create(user=lead, organisation=council)
    _sign_in(page, base, lead)
    page.goto(base + f"/coalition/sessions/{session.pk}/attendance/")
    axe(page)
    page.get_by_role("group", name="Jo Resident").get_by_label("Yes").check()
    page.get_by_label("Hours").fill("2.5")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    axe(page)
    _sign_in(page, base, jo)
    page.goto(base + "/coalition/mine/")
    assert "2.5" in page.locator(".mobilise-figure").first.inner_text()
    axe(page)


def test_dashboards_with_charts_are_accessible(
    live_server, page, axe, mission, member, business, places, resident
):
    from decimal import Decimal

    from .factories import PledgeFactory

    PledgeFactory(mission=mission, organisation=business, money_value=Decimal(1000))
    session = SessionFactory(
        opportunity=OpportunityFactory(mission=mission, place=places["camden"]),
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=2),
        confirmed_count=1,
    )
    SignUpFactory(session=session, person=resident, attended=True, hours=Decimal(2))
    for path in (
        "/coalition/missions/clean-air/dashboard/",
        "/coalition/places/E09000007/",
        mission.get_absolute_url(),
        "/coalition/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state()
        assert page.locator("canvas[role=img]").count() >= (
            1 if "coalition/" in path and path != "/coalition/" else 0
        )
        axe(page)
