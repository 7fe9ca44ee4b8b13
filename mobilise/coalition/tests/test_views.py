"""The coalition's pages over HTTP: what each person sees, forms that refuse bad input without
writing anything, exports, calendar files and the dashboards."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import formats, timezone

from mobilise.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from mobilise.coalition.models import CoalitionMember, Pledge, PledgeUpdate, Session, SignUp
from mobilise.missions.tests.factories import OutcomeFactory

from .factories import (
    AskFactory,
    CoalitionMemberFactory,
    MatchFactory,
    OfferFactory,
    OpportunityFactory,
    PledgeFactory,
    SessionFactory,
    SignUpFactory,
)

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _assert_form_error(response, *messages):
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and _title(html).startswith("Error: ")
    for message in messages:
        assert message in html, message


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


# --- the coalition page ---------------------------------------------------------------------------


def test_the_coalition_page_in_public(
    client, mission, member, business, resident, django_assert_max_num_queries
):
    CoalitionMemberFactory(
        mission=mission,
        organisation=OrganisationFactory(name="Camden Later Life", sector="charity"),
    )
    CoalitionMemberFactory(
        mission=mission,
        status="pending",
        decided_at=None,
        organisation=OrganisationFactory(name="Waiting Ltd"),
    )
    for n in range(5):
        PledgeFactory(mission=mission, organisation=business, title=f"Pledge {n}")
    PledgeFactory(mission=mission, organisation=None, person=resident, title="Cycle to work")
    AskFactory(mission=mission, title="A meeting room")
    OfferFactory(mission=mission, title="Two cargo bikes")
    opportunity = OpportunityFactory(mission=mission, role="Litter pick")
    SessionFactory(opportunity=opportunity)
    with django_assert_max_num_queries(30):
        html = client.get("/coalition/missions/clean-air/").content.decode()
    for text in (
        "Kentish Town Traders",
        "Camden Later Life",
        "Business",
        "Charity or VCSE",
        "Pledge 4",
        "A meeting room",
        "Two cargo bikes",
        "Litter pick",
        "Cycle to work",
        "A resident",
    ):
        assert text in html, text
    assert "Waiting Ltd" not in html  # pending requests are not members
    assert resident.name not in html  # residents are not named in public
    assert "Requests to join" not in html


def test_the_mission_page_shows_the_dashboard_and_the_place_page_its_figures(
    client, mission, member, business, places
):
    PledgeFactory(
        mission=mission,
        organisation=business,
        money_value=Decimal(1000),
        in_kind_value=Decimal(500),
    )
    html = client.get(mission.get_absolute_url()).content.decode()
    assert 'id="coalition-heading"' in html and "See the coalition" in html
    assert (
        'data-module="mobilise-coalition-chart"' in html and 'id="mission-coalition-data"' in html
    )
    assert "£1,500" in html
    place_html = client.get("/places/E09000007/").content.decode()
    assert "Mobilising for Camden" in place_html and "/coalition/places/E09000007/" in place_html
    # A place with nothing going on shows no empty section.
    assert "Mobilising for" not in client.get("/places/E08000003/").content.decode()


def test_a_resident_finds_volunteering_from_the_mission_and_place_pages(
    client, mission, council, places
):
    assert (
        "Volunteer for this mission" not in client.get(mission.get_absolute_url()).content.decode()
    )
    opportunity = OpportunityFactory(
        mission=mission, organisation=council, place=places["camden"], role="Litter pick"
    )
    SessionFactory(opportunity=opportunity)
    html = client.get(mission.get_absolute_url()).content.decode()
    assert (
        'href="/coalition/missions/clean-air/#volunteering">Volunteer for this mission</a>' in html
    )
    assert 'id="volunteering"' in client.get("/coalition/missions/clean-air/").content.decode()
    assert "Litter pick" in client.get("/coalition/missions/clean-air/").content.decode()
    place_html = client.get("/places/E09000007/").content.decode()
    assert 'href="/coalition/volunteering/?near=E09000007">Volunteer near Camden</a>' in place_html


# --- joining -------------------------------------------------------------------------------------


def test_join_then_the_lead_accepts(client, mission, business, partner, lead):
    client.force_login(partner)
    assert "Ask to join" in client.get("/coalition/missions/clean-air/").content.decode()
    response = client.post(
        "/coalition/missions/clean-air/join/",
        {"organisation": business.pk, "statement": "A meeting room."},
    )
    assert response.status_code == 302
    request = CoalitionMember.objects.get(organisation=business)
    assert request.status == "pending"
    assert "has asked to join" in client.get("/coalition/missions/clean-air/").content.decode()

    # The partner cannot decide on their own request.
    url = f"/coalition/missions/clean-air/members/{request.pk}/"
    assert client.post(url, {"decision": "accept"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"

    client.force_login(lead)
    assert (
        "Kentish Town Traders"
        in client.get("/coalition/missions/clean-air/members/").content.decode()
    )
    _assert_form_error(client.post(url, {}), "Choose whether to accept or decline")
    assert client.post(url, {"decision": "accept", "note": "Welcome"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by == lead
    assert "Kentish Town Traders" in client.get("/coalition/missions/clean-air/").content.decode()


def test_join_explains_who_may_ask(client, mission, resident):
    client.force_login(resident)
    html = client.get("/coalition/missions/clean-air/join/").content.decode()
    assert "Only an admin of an organisation can ask" in html


# --- pledges -------------------------------------------------------------------------------------


def _pledge_data(**overrides):
    data = {
        "pledger": "myself",
        "title": "Cycle to work",
        "quantity": "40",
        "unit": "journeys",
        **_date("due_date", timezone.localdate() + dt.timedelta(days=90)),
        "serves": "",
    }
    data.update(overrides)
    return data


def test_a_member_pledges_through_the_form(client, mission, business, partner, member, places):
    outcome = OutcomeFactory(mission=mission, title="Cleaner air near schools")
    client.force_login(partner)
    page = client.get("/coalition/missions/clean-air/pledges/new/").content.decode()
    assert "Kentish Town Traders" in page and "Outcome: Cleaner air near schools" in page
    response = client.post(
        "/coalition/missions/clean-air/pledges/new/",
        _pledge_data(
            pledger=str(business.pk),
            title="200 hours of volunteering",
            quantity="200",
            unit="volunteer hours",
            serves=f"outcome:{outcome.pk}",
            places=[places["camden"].pk],
            in_kind_value="3000",
        ),
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
    assert (
        pledge.organisation == business
        and pledge.outcome == outcome
        and pledge.in_kind_value == 3000
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"quantity": "-200"}, "Enter an amount of 0 or more, not a negative number"),
        ({"quantity": "lots"}, "Enter a number, like 200 or 12.5"),
        ({"due_date-year": "2020"}, "The date must be today or in the future"),
        ({"due_date-month": "13"}, "Enter a real date"),
        ({"money_value": "-5"}, "Enter an amount of 0 or more, not a negative number"),
        ({"title": ""}, "Say what you will do"),
    ],
)
def test_a_bad_pledge_shows_the_error_and_writes_nothing(
    client, mission, resident, overrides, message
):
    client.force_login(resident)
    _assert_form_error(
        client.post("/coalition/missions/clean-air/pledges/new/", _pledge_data(**overrides)),
        message,
    )
    assert not Pledge.objects.exists()


def test_only_the_pledger_reports_progress_over_http(
    client, mission, business, partner, member, lead, resident
):
    pledge = PledgeFactory(mission=mission, organisation=business)
    url = f"/coalition/pledges/{pledge.pk}/progress/"
    data = {
        "amount": "50",
        **_date("reported_on", timezone.localdate()),
        "evidence_url": "https://example.org/r",
        "note": "Q1",
    }
    for outsider in (lead, resident):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
        assert "Report progress" not in client.get(pledge.get_absolute_url()).content.decode()
    assert not PledgeUpdate.objects.exists()

    client.force_login(partner)
    _assert_form_error(
        client.post(url, {**data, "amount": "-5"}),
        "Enter an amount of 0 or more, not a negative number",
    )
    _assert_form_error(
        client.post(
            url, {**data, **_date("reported_on", timezone.localdate() + dt.timedelta(days=3))}
        ),
        "The date cannot be in the future",
    )
    _assert_form_error(
        client.post(url, {**data, "evidence_url": "not a link"}), "Enter a web address"
    )
    assert not PledgeUpdate.objects.exists()
    assert client.post(url, data).status_code == 302
    html = client.get(pledge.get_absolute_url()).content.decode()
    assert "50 of 200 volunteer hours delivered (25%)" in html and "https://example.org/r" in html


def test_the_lead_flags_a_pledge(client, mission, business, member, lead, partner):
    pledge = PledgeFactory(mission=mission, organisation=business)
    url = f"/coalition/pledges/{pledge.pk}/flag/"
    client.force_login(partner)
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(lead)
    client.post(url, {"note": "Check the room bookings", "action": "flag"})
    pledge.refresh_from_db()
    assert pledge.flag_note == "Check the room bookings"
    assert "Follow up" in client.get("/coalition/missions/clean-air/").content.decode()
    client.force_login(partner)
    assert "Check the room bookings" not in client.get(pledge.get_absolute_url()).content.decode()
    client.force_login(lead)
    client.post(url, {"note": "", "action": "clear"})
    pledge.refresh_from_db()
    assert pledge.flagged_at is None


# --- asks, offers, matches -----------------------------------------------------------------------


def test_contact_details_only_to_the_other_side_after_both_agree(
    client, mission, business, partner, lead, places
):
    asker = OrganisationFactory(name="Somers Town Neighbours")
    CoalitionMemberFactory(mission=mission, organisation=asker)
    ask_person = MembershipFactory(
        organisation=asker, user=UserFactory(email="ask@example.org")
    ).user
    ask = AskFactory(
        mission=mission, organisation=asker, place=places["camden"], made_by=ask_person
    )
    offer = OfferFactory(
        mission=mission, organisation=business, place=places["camden"], made_by=partner
    )

    client.force_login(lead)  # the lead proposes
    page = client.get(f"/coalition/asks/{ask.pk}/match/{offer.pk}/").content.decode()
    assert "you are suggesting this match" in page
    response = client.post(f"/coalition/asks/{ask.pk}/match/{offer.pk}/", {})
    match_url = response["Location"]
    assert partner.email not in client.get(match_url).content.decode()

    client.force_login(ask_person)
    _assert_form_error(
        client.post(match_url, {"decision": "accept"}),
        "To accept, agree to share your contact details",
    )
    client.post(match_url, {"decision": "accept", "consent": "on"})
    assert (
        partner.email not in client.get(match_url).content.decode()
    )  # the other side has not agreed

    client.force_login(partner)
    client.post(match_url, {"decision": "accept", "consent": "on"})
    assert "ask@example.org" in client.get(match_url).content.decode()
    client.force_login(ask_person)
    assert partner.email in client.get(match_url).content.decode()
    client.force_login(lead)  # the lead proposed it, but is not a side: no contact details
    html = client.get(match_url).content.decode()
    assert "ask@example.org" not in html and partner.email not in html
    client.force_login(UserFactory())
    assert client.get(match_url).status_code == 403


def test_suggestions_are_shown_to_the_asker_not_the_public(client, mission, council, lead, places):
    ask = AskFactory(
        mission=mission, organisation=council, place=places["camden"], tags=["meeting room"]
    )
    OfferFactory(
        mission=mission, place=places["camden"], title="Room above the shops", tags=["meeting room"]
    )
    assert "Room above the shops" not in client.get(ask.get_absolute_url()).content.decode()
    client.force_login(lead)
    html = client.get(ask.get_absolute_url()).content.decode()
    assert "Room above the shops" in html and "100% match" in html
    assert "Has every skill asked for: meeting room" in html


def test_a_bad_ask_writes_nothing(client, mission, council, lead, places):
    client.force_login(lead)
    data = {
        "organisation": council.pk,
        "category": "premises",
        "title": "Room",
        "quantity": "-1",
        "unit": "days",
        "place": places["camden"].pk,
        **_date("start_date", timezone.localdate() - dt.timedelta(days=1)),
        **_date("end_date", timezone.localdate() - dt.timedelta(days=5)),
    }
    _assert_form_error(
        client.post("/coalition/missions/clean-air/asks/new/", data),
        "Enter an amount of 0 or more",
        "The date must be today or in the future",
        "The end date must be on or after the start date",
    )
    from mobilise.coalition.models import Ask

    assert not Ask.objects.exists()


def test_a_resident_offers_through_the_form(client, mission, resident, places):
    client.force_login(resident)
    data = {
        "offerer": "myself",
        "category": "volunteers",
        "title": "I can steward on Tuesdays",
        "quantity": "1",
        "unit": "volunteers",
        "place": places["camden"].pk,
        "tags": "stewarding, first aid",
        **_date("available_from", timezone.localdate()),
    }
    response = client.post("/coalition/missions/clean-air/offers/new/", data)
    assert response.status_code == 302
    from mobilise.coalition.models import Offer

    offer = Offer.objects.get()
    assert (
        offer.person == resident
        and offer.tags == ["stewarding", "first aid"]
        and not offer.contact_consent
    )


# --- volunteering --------------------------------------------------------------------------------


@pytest.fixture
def opportunity(mission, council, places):
    return OpportunityFactory(
        mission=mission,
        organisation=council,
        place=places["camden"],
        role="Litter pick",
        minimum_age=16,
        location="Somers Town Community Centre",
    )


def test_sign_up_calendar_cancel_and_promotion_over_http(client, opportunity):
    session = SessionFactory(opportunity=opportunity, capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    url = f"/coalition/sessions/{session.pk}/sign-up/"
    page = client.get(url).content.decode()
    assert "Aged 16 or over" in page
    _assert_form_error(client.post(url, {}), "Confirm that you meet the requirements")
    assert not SignUp.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert (
        "You have a place on this session"
        in client.get(session.get_absolute_url()).content.decode()
    )

    client.force_login(second)
    assert "Join the waiting list" in client.get(url).content.decode()
    client.post(url, {"confirm": "on"})
    assert (
        "You are number 1 on the waiting list"
        in client.get(session.get_absolute_url()).content.decode()
    )

    client.force_login(first)
    mine = SignUp.objects.get(person=first)
    assert (
        client.post(
            f"/coalition/sign-ups/{SignUp.objects.get(person=second).pk}/cancel/"
        ).status_code
        == 403
    )
    client.post(f"/coalition/sign-ups/{mine.pk}/cancel/")
    assert SignUp.objects.get(person=second).status == "confirmed"
    session.refresh_from_db()
    assert session.confirmed_count == 1


def test_the_calendar_file(client, opportunity):
    session = SessionFactory(opportunity=opportunity)
    response = client.get(f"/coalition/sessions/{session.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="volunteering-{session.pk}.ics"'
    )
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"mobilise-session-{session.pk}@testserver"
    # Calendars keep whole seconds.
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Volunteering: Litter pick"
    assert str(event["LOCATION"]) == "Somers Town Community Centre"
    # Downloaded again after the session moves: the same event, at the new time.
    Session.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + dt.timedelta(hours=1)
    )
    again = icalendar.Calendar.from_ical(
        client.get(f"/coalition/sessions/{session.pk}/calendar.ics").content
    )
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])


def test_the_calendar_file_is_in_london_time_summer_and_winter(client, opportunity):
    london = ZoneInfo("Europe/London")
    year = timezone.localdate().year + 1
    for month, hour in [(7, 10), (1, 18)]:
        starts = dt.datetime(year, month, 15, hour, 0, tzinfo=london)
        session = SessionFactory(
            opportunity=opportunity, starts_at=starts, ends_at=starts + dt.timedelta(hours=3.5)
        )
        content = client.get(f"/coalition/sessions/{session.pk}/calendar.ics").content
        text = content.decode()
        day = f"{year}{month:02}15"
        assert f"DTSTART;TZID=Europe/London:{day}T{hour:02}0000" in text
        assert f"DTEND;TZID=Europe/London:{day}T{hour + 3:02}3000" in text
        calendar = icalendar.Calendar.from_ical(content)
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == starts
        assert event.decoded("DTSTART").utcoffset() == starts.utcoffset()


def test_volunteering_near_you(client, mission, council, places, resident):
    near = OpportunityFactory(
        mission=mission, organisation=council, place=places["camden"], role="Near role"
    )
    wide = OpportunityFactory(
        mission=mission, organisation=council, place=places["london"], role="London-wide role"
    )
    far = OpportunityFactory(
        mission=mission, organisation=council, place=places["manchester"], role="Far role"
    )
    no_sessions = OpportunityFactory(
        mission=mission, organisation=council, place=places["camden"], role="Nothing planned"
    )
    for o in (near, wide, far):
        SessionFactory(opportunity=o)
    SessionFactory(opportunity=no_sessions, starts_at=timezone.now() - dt.timedelta(days=3))
    everywhere = client.get("/coalition/volunteering/").content.decode()
    assert all(role in everywhere for role in ("Near role", "London-wide role", "Far role"))
    assert "Nothing planned" not in everywhere

    client.force_login(resident)  # lives in Camden: the page starts there
    html = client.get("/coalition/volunteering/").content.decode()
    assert "Volunteer near Camden" in html
    assert html.index("Near role") < html.index("London-wide role") and "Far role" not in html
    assert "Across London" in html
    html = client.get("/coalition/volunteering/?near=E08000003").content.decode()
    assert "Far role" in html and "Near role" not in html
    assert client.get("/coalition/volunteering/?near=NOPE").status_code == 200


def test_attendance_and_hours_count(client, opportunity, lead, resident):
    session = SessionFactory(
        opportunity=opportunity,
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
        capacity=3,
        confirmed_count=1,
    )
    sign_up = SignUpFactory(session=session, person=resident)
    url = f"/coalition/sessions/{session.pk}/attendance/"
    client.force_login(lead)
    assert resident.name in client.get(url).content.decode()
    _assert_form_error(
        client.post(url, {f"attended_{sign_up.pk}": "yes", f"hours_{sign_up.pk}": "-2"}),
        "Enter hours between 0 and 24",
    )
    client.post(url, {f"attended_{sign_up.pk}": "yes", f"hours_{sign_up.pk}": "3"})
    sign_up.refresh_from_db()
    assert sign_up.attended and sign_up.hours == 3
    client.force_login(resident)
    assert client.get(url).status_code == 403
    html = client.get("/coalition/mine/").content.decode()
    assert "hours you have given" in html and ">3<" in html


def test_the_organiser_is_asked_for_attendance_and_the_hours_count(
    client, mission, member, business, partner, resident, places
):
    """After a session, its organiser (an admin of the organising organisation) finds it waiting
    on their dashboard, records 3.5 hours typed as people type them, and the dashboard counts it."""
    opportunity = OpportunityFactory(
        mission=mission, organisation=business, place=places["camden"], role="Litter pick"
    )
    starts = timezone.now() - dt.timedelta(hours=4)
    session = SessionFactory(
        opportunity=opportunity,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=3,
        confirmed_count=1,
    )
    sign_up = SignUpFactory(session=session, person=resident)
    SessionFactory(opportunity=opportunity)  # still to come: nothing to record yet
    client.force_login(partner)
    url = f"/coalition/sessions/{session.pk}/attendance/"
    home = client.get("/account/dashboard/").content.decode()
    when = formats.date_format(timezone.localtime(starts), "j F Y")
    assert f'href="{url}">Record who came to Litter pick on {when}</a>' in home
    assert home.count("Record who came") == 1
    response = client.post(
        url, {f"attended_{sign_up.pk}": "yes", f"hours_{sign_up.pk}": " 3.5 "}, follow=True
    )
    assert re.search(r"Attendance saved for 1 volunteer\s*<", response.content.decode())
    sign_up.refresh_from_db()
    assert sign_up.attended and sign_up.hours == Decimal("3.5")
    assert "Record who came" not in client.get("/account/dashboard/").content.decode()
    html = client.get(f"/coalition/missions/{mission.slug}/dashboard/").content.decode()
    assert re.search(
        r'mobilise-figure__number">3\.5</span>\s*<span[^>]*>volunteer hours given by 1 person', html
    )
    # The resident finds their hours from their account page.
    client.force_login(resident)
    home = client.get("/account/dashboard/").content.decode()
    assert "Record who came" not in home
    assert 'href="/coalition/mine/">Your pledges, offers and volunteering</a>' in home
    mine = client.get("/coalition/mine/").content.decode()
    assert re.search(r'mobilise-figure__number">3\.5</span><span[^>]*>hours you have given', mine)


@pytest.mark.parametrize(
    "typed, hours",
    [
        ("3.5", "3.5"),
        ("3.5 hours", "3.5"),
        ("3 hrs", "3"),
        ("3½", "3.5"),
        ("3:30", "3.5"),
        ("2h", "2"),
    ],
)
def test_hours_are_taken_as_organisers_type_them(client, opportunity, lead, resident, typed, hours):
    starts = timezone.now() - dt.timedelta(hours=5)
    session = SessionFactory(
        opportunity=opportunity,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        confirmed_count=1,
    )
    sign_up = SignUpFactory(session=session, person=resident)
    client.force_login(lead)
    response = client.post(
        f"/coalition/sessions/{session.pk}/attendance/",
        {f"attended_{sign_up.pk}": "yes", f"hours_{sign_up.pk}": typed},
    )
    assert response.status_code == 302
    sign_up.refresh_from_db()
    assert sign_up.hours == Decimal(hours)


def test_hours_without_saying_whether_they_came_are_not_lost(client, opportunity, lead, resident):
    starts = timezone.now() - dt.timedelta(hours=5)
    session = SessionFactory(
        opportunity=opportunity,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        confirmed_count=1,
    )
    sign_up = SignUpFactory(session=session, person=resident)
    client.force_login(lead)
    url = f"/coalition/sessions/{session.pk}/attendance/"
    response = client.post(url, {f"attended_{sign_up.pk}": "", f"hours_{sign_up.pk}": "3.5"})
    _assert_form_error(response, "Say whether Jo Resident came, to record their hours")
    assert 'value="3.5"' in response.content.decode()  # what was typed stays
    _assert_form_error(
        client.post(url, {f"attended_{sign_up.pk}": "yes", f"hours_{sign_up.pk}": "three"}),
        "Enter the hours Jo Resident gave as a number, like 3 or 2.5",
    )
    sign_up.refresh_from_db()
    assert sign_up.attended is None and sign_up.hours is None
    # Leaving the session's length as it was, with no answer, records nothing and asks nothing.
    assert (
        client.post(url, {f"attended_{sign_up.pk}": "", f"hours_{sign_up.pk}": "3"}).status_code
        == 302
    )


def test_a_bad_session_writes_nothing(client, opportunity, lead):
    client.force_login(lead)
    day = timezone.localdate() + dt.timedelta(days=7)
    url = f"/coalition/volunteering/{opportunity.pk}/sessions/new/"
    _assert_form_error(
        client.post(
            url, {**_date("date", day), "start_time": "14:00", "end_time": "13:00", "capacity": "0"}
        ),
        "The session must end after it starts",
        "Enter at least 1 place",
    )
    _assert_form_error(
        client.post(
            url, {**_date("date", day), "start_time": "25:00", "end_time": "13:00", "capacity": "3"}
        ),
        "Enter a time",
    )
    assert not Session.objects.exists()
    assert (
        client.post(
            url, {**_date("date", day), "start_time": "10:00", "end_time": "13:00", "capacity": "3"}
        ).status_code
        == 302
    )
    assert Session.objects.get().capacity == 3


def test_lowering_places_below_those_taken_is_refused(client, opportunity, lead):
    session = SessionFactory(opportunity=opportunity, capacity=2)
    from mobilise.coalition import services

    services.signup_create(session=session, person=UserFactory())
    services.signup_create(session=session, person=UserFactory())
    client.force_login(lead)
    local = timezone.localtime(session.starts_at)
    response = client.post(
        f"/coalition/sessions/{session.pk}/edit/",
        {
            **_date("date", local.date()),
            "start_time": local.strftime("%H:%M"),
            "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
            "capacity": "1",
        },
    )
    _assert_form_error(response, "2 people have a place already: enter 2 or more")
    session.refresh_from_db()
    assert session.capacity == 2


# --- dashboards and exports ----------------------------------------------------------------------


def test_the_dashboard_counts(client, mission, business, member, places, resident):
    today = timezone.localdate()
    done = PledgeFactory(
        mission=mission,
        organisation=business,
        quantity=Decimal(10),
        money_value=Decimal(1000),
        in_kind_value=Decimal(400),
    )
    PledgeUpdate.objects.create(pledge=done, amount=Decimal(10), reported_on=today)
    from mobilise.coalition import services

    services.pledge_recount(pledge=done)
    # Just made, nothing delivered yet, due in 100 days: on track.
    PledgeFactory(
        mission=mission,
        organisation=business,
        due_date=today + dt.timedelta(days=100),
        money_value=Decimal(500),
    )
    ask = AskFactory(mission=mission, place=places["camden"])
    AskFactory(mission=mission, place=places["camden"], category="volunteers")
    MatchFactory(
        ask=ask,
        status="connected",
        ask_consented_at=timezone.now(),
        offer_consented_at=timezone.now(),
    )
    session = SessionFactory(
        opportunity=OpportunityFactory(mission=mission, place=places["camden"]),
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=2),
        confirmed_count=1,
    )
    SignUpFactory(session=session, person=resident, attended=True, hours=Decimal(2))

    from mobilise.coalition.selectors import mission_dashboard, place_dashboard

    d = mission_dashboard(mission)
    assert (d.partners, d.pledges, d.fulfilled, d.on_time) == (1, 2, 1, 2)
    assert dict(d.by_sector) == {"Business": 1}
    assert (d.money, d.in_kind, d.money_delivered, d.in_kind_delivered) == (1500, 400, 1000, 400)
    assert (d.sign_ups, d.volunteers, d.hours) == (1, 1, 2)
    assert (d.asks_open, d.asks_matched, d.match_rate, d.connections) == (2, 1, 50, 1)
    assert place_dashboard(places["camden"]).pledges == 2
    assert place_dashboard(places["london"]).pledges == 2  # Camden is inside London
    assert place_dashboard(places["manchester"]).is_empty

    html = client.get("/coalition/missions/clean-air/dashboard/").content.decode()
    assert "Partners by sector" in html and "50%" in html and 'id="dashboard-data"' in html
    assert client.get("/coalition/places/e09000007/").status_code == 301
    assert "Mobilisation dashboard" in client.get("/coalition/places/E09000007/").content.decode()
    assert client.get("/coalition/places/X99999999/").status_code == 404


def test_csv_exports(client, mission, business, resident, opportunity):
    PledgeFactory(
        mission=mission, organisation=business, title="Room, weekly", money_value=Decimal(100)
    )
    PledgeFactory(mission=mission, organisation=None, person=resident, title="Cycle")
    SessionFactory(opportunity=opportunity)
    response = client.get("/coalition/missions/clean-air/pledges.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clean-air-pledges.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["pledge_id", "pledger", "sector", "what"]
    assert {r[1] for r in rows[1:]} == {"Kentish Town Traders", "A resident"}
    assert "Room, weekly" in [r[3] for r in rows[1:]]
    assert resident.name not in response.content.decode("utf-8-sig")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/coalition/missions/clean-air/volunteering.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][1] == "role" and rows[1][1] == "Litter pick" and len(rows) == 2


def test_a_draft_missions_coalition_is_not_found(client, mission):
    mission.status = "draft"
    mission.save()
    for url in (
        "/coalition/missions/clean-air/",
        "/coalition/missions/clean-air/dashboard/",
        "/coalition/missions/clean-air/pledges.csv",
    ):
        assert client.get(url).status_code == 404


def test_the_mission_section_costs_a_fixed_number_of_queries(
    client, rf, mission, business, places, resident
):
    """The dashboard sits on every mission page: six queries (seven for someone signed in, who
    may be offered "Ask to join"), however big the coalition grows."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mobilise.coalition.sections import mission_section

    def count(user):
        request = rf.get(mission.get_absolute_url())
        request.user = user
        with CaptureQueriesContext(connection) as queries:
            mission_section(request, mission)
        return len(queries)

    assert count(AnonymousUser()) == 6 and count(resident) == 7
    for n in range(5):
        CoalitionMemberFactory(mission=mission, organisation=OrganisationFactory(sector="charity"))
        PledgeFactory(mission=mission, organisation=business, money_value=Decimal(n))
        AskFactory(mission=mission, place=places["camden"])
        OfferFactory(mission=mission, place=places["camden"])
        session = SessionFactory(
            opportunity=OpportunityFactory(mission=mission, place=places["camden"]),
            confirmed_count=1,
        )
        SignUpFactory(session=session)
    assert count(AnonymousUser()) == 6 and count(resident) == 7


def test_the_overview_lists_missions_with_their_coalitions(
    client, mission, member, business, places
):
    PledgeFactory(mission=mission, organisation=business)
    PledgeFactory(mission=mission, organisation=business)
    AskFactory(mission=mission, place=places["camden"])
    html = client.get("/coalition/").content.decode()
    assert "Clean air in Camden" in html and "Mobilisation dashboard for Camden" in html
    row = re.search(r"Clean air in Camden</a></th>(.*?)</tr>", html, re.S).group(1)
    assert [int(n) for n in re.findall(r">\s*(\d+)\s*<", row)] == [1, 2, 1, 0]


def test_a_pledge_page_lists_updates_with_and_without_evidence(client, mission, business):
    # Once printed "{{ no such element: dict object['text'] }}" in the Evidence column.
    pledge = PledgeFactory(mission=mission, organisation=business)
    today = timezone.localdate()
    PledgeUpdate.objects.create(pledge=pledge, amount=5, reported_on=today, note="No link")
    PledgeUpdate.objects.create(
        pledge=pledge,
        amount=7,
        reported_on=today,
        note="Linked",
        evidence_url="https://example.org/r",
    )
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "None given" in page
    assert 'href="https://example.org/r"' in page
    assert "no such element" not in page


def test_a_pledge_takes_amounts_as_people_type_them(
    client, mission, business, partner, member, places
):
    client.force_login(partner)
    response = client.post(
        "/coalition/missions/clean-air/pledges/new/",
        _pledge_data(
            pledger=str(business.pk),
            quantity="1,200",
            money_value="£8,000",
            in_kind_value="3,000",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    pledge = Pledge.objects.get()
    assert (pledge.quantity, pledge.money_value, pledge.in_kind_value) == (1200, 8000, 3000)


def test_a_pledge_with_a_nonsense_amount_says_what_to_type(
    client, mission, business, partner, member
):
    client.force_login(partner)
    _assert_form_error(
        client.post(
            "/coalition/missions/clean-air/pledges/new/",
            _pledge_data(pledger=str(business.pk), money_value="eight grand"),
        ),
        "Enter an amount in pounds, like £8,000",
    )
    assert not Pledge.objects.exists()


def test_csv_exports_neutralise_formulas(client, mission, business, resident, opportunity):
    evil = '=HYPERLINK("http://evil.example","Click")'
    PledgeFactory(mission=mission, organisation=business, title=evil, unit="@units")
    opportunity.role = evil
    opportunity.save()
    SessionFactory(opportunity=opportunity)
    for url in (
        "/coalition/missions/clean-air/pledges.csv",
        "/coalition/missions/clean-air/volunteering.csv",
    ):
        text = client.get(url).content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert "'" + evil in cells, url
        assert not [c for c in cells if c[:1] and c[0] in "=+@\t\r"], url
        assert not [c for c in cells if c.startswith("-") and not _is_number(c)], url


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
