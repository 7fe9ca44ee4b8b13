"""Journey 4 end to end in Chromium, with axe-core on every page and never /admin/.

Jo, a Camden resident, goes from the Camden page and the clean-air mission's page to a litter-pick
run by Kentish Town Traders, signs up for a session, and adds it to her calendar from the
confirmation: the .ics file parses, in London time, and her confirmation e-mail carries the same
event (the same UID), attached and linked. After the session, Sam – the traders' admin, who organises it –
finds it waiting for him on his account page and records that Jo came and stayed for 3.5 hours.
Jo sees the hours on her own page, and the mission's dashboard counts them.
"""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from mobilise.accounts.tests.factories import PASSWORD, UserFactory
from mobilise.coalition.models import Session, SignUp

from .factories import OpportunityFactory, SessionFactory, SignUpFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


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
    page.wait_for_load_state()
    return page.locator("main").inner_text()


def _figure(page, label):
    """The number shown above a figure's label on a dashboard."""
    figure = page.locator(".mobilise-figure", has_text=label).first
    return figure.locator(".mobilise-figure__number").inner_text()


def test_journey_4_sign_up_add_to_calendar_attend_and_the_hours_count(
    live_server, page, axe, mission, member, business, partner, resident, places
):
    base = live_server.url
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    opportunity = OpportunityFactory(
        mission=mission,
        organisation=business,
        made_by=partner,
        place=places["camden"],
        role="Litter-pick volunteer",
        description="Clear the streets around two school gates.",
        location="Talacre Community Centre, Dalby Street, NW5 3AF",
    )
    # Someone came to an earlier session: the mission already counts 2 hours.
    earlier = SessionFactory(
        opportunity=opportunity,
        starts_at=timezone.now() - dt.timedelta(days=7),
        ends_at=timezone.now() - dt.timedelta(days=7) + dt.timedelta(hours=2),
        confirmed_count=1,
    )
    SignUpFactory(session=earlier, person=UserFactory(), attended=True, hours=Decimal(2))
    # A session in three days, 10:00 to 13:00 in London.
    day = timezone.localdate() + dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON)
    ends = dt.datetime.combine(day, dt.time(13, 0), tzinfo=LONDON)
    session = SessionFactory(opportunity=opportunity, starts_at=starts, ends_at=ends, capacity=8)

    # Jo signs in and looks at Camden: there is volunteering near her.
    _sign_in(page, base, resident)
    page.goto(base + places["camden"].get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Volunteer near Camden").click()
    main = _main(page)
    assert "Litter-pick volunteer" in main and "In Camden" in main
    axe(page)

    # The clean-air mission's page takes her to its volunteering too.
    page.goto(base + mission.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Volunteer for this mission").click()
    page.wait_for_load_state()
    assert page.url.endswith("#volunteering")
    axe(page)
    page.get_by_role("link", name="Litter-pick volunteer").click()
    assert "Clear the streets around two school gates." in _main(page)
    axe(page)

    # She picks the session and signs up.
    when = f"{starts:%A} {day.day} {starts:%B %Y}"
    page.get_by_role("link", name=f"{when}, 10am to 1pm", exact=True).click()
    assert "8 places left" in _main(page)
    axe(page)
    page.get_by_role("button", name="Sign up").click()
    assert "Sign up to volunteer" in _main(page)
    axe(page)
    page.get_by_role("button", name="Sign up").click()
    main = _main(page)
    assert "You are signed up" in main and "You have a place on this session." in main
    axe(page)
    assert SignUp.objects.get(person=resident, session=session).status == "confirmed"

    # Add to your calendar: the file is the session, in London time.
    with page.expect_download() as info:
        page.get_by_role("button", name="Add to your calendar").click()
    assert info.value.suggested_filename == f"volunteering-{session.pk}.ics"
    calendar = icalendar.Calendar.from_ical(Path(info.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == starts and event.decoded("DTEND") == ends
    assert event.decoded("DTSTART").strftime("%H:%M") == "10:00"
    assert str(event["SUMMARY"]) == "Volunteering: Litter-pick volunteer"
    assert str(event["LOCATION"]) == "Talacre Community Centre, Dalby Street, NW5 3AF"

    # The confirmation e-mail links to the same calendar event.
    (message,) = mail.outbox
    assert message.to == [resident.email]
    assert message.subject == "You are volunteering: Litter-pick volunteer"
    assert "10am to 1pm" in message.body
    ((name, attached, _type),) = message.attachments
    assert name == f"volunteering-{session.pk}.ics"
    (invite,) = icalendar.Calendar.from_ical(attached).walk("VEVENT")
    assert str(invite["UID"]) == str(event["UID"])
    assert invite.decoded("DTSTART") == starts
    link = re.search(r"Add it to your calendar: (\S+)", message.body).group(1)
    again = icalendar.Calendar.from_ical(page.request.get(link).body())
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])

    # The session happens.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )

    # Sam, who organises it, finds the attendance waiting for him and records Jo's 3.5 hours.
    _sign_in(page, base, partner)
    page.get_by_role("link", name="Your account").click()
    axe(page)
    page.get_by_role("link", name=re.compile("^Record who came to Litter-pick volunteer")).click()
    assert "Jo Resident" in _main(page)
    axe(page)
    row = page.get_by_role("group", name="Jo Resident")
    row.get_by_label("Yes").check()
    row.get_by_label("Hours").fill("3.5")
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved for 1 volunteer" in _main(page)
    axe(page)
    assert SignUp.objects.get(person=resident).hours == Decimal("3.5")
    page.get_by_role("link", name="Your account").click()
    assert "Record who came" not in _main(page)
    axe(page)

    # Jo sees her hours on her own page.
    _sign_in(page, base, resident)
    page.get_by_role("link", name="Your account").click()
    axe(page)
    page.get_by_role("link", name="Your pledges, offers and volunteering").click()
    assert _figure(page, "hours you have given") == "3.5"
    past = page.get_by_role("table", name="Past sessions").inner_text()
    assert "Litter-pick volunteer" in past and "Yes" in past and "3.5" in past
    axe(page)

    # And the mission's dashboard counts them: 2 hours before, 5.5 now.
    page.goto(base + mission.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Mobilisation dashboard").click()
    page.wait_for_load_state()
    assert _figure(page, "volunteer hours given by 2 people") == "5.5"
    axe(page)
    if os.environ.get("MOBILISE_SHOTS"):
        Path("/work/shots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="/work/shots/journey4.png", full_page=True)

    assert visited and not [url for url in visited if "/admin/" in url]
