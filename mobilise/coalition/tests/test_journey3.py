"""Journey 3's defects, each as its users meet them: a pledged room offered in the exchange in one
step and counted when matched; a match with an organisation that has nobody on the site; scores
across units; and what waits for the lead on their dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.coalition import services
from mobilise.coalition.models import CoalitionMember, Match, Offer, Pledge

from .factories import AskFactory, CoalitionMemberFactory, MatchFactory, OfferFactory

pytestmark = pytest.mark.django_db


def _date(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.fixture
def group(mission, places):
    """A community group in the coalition with nobody on the site (the lead posted its ask)."""
    organisation = OrganisationFactory(
        name="Somers Town Neighbours", sector="community", home_place=places["camden"]
    )
    CoalitionMemberFactory(mission=mission, organisation=organisation)
    return organisation


@pytest.fixture
def room_ask(mission, group, places):
    return AskFactory(
        mission=mission,
        organisation=group,
        title="A room for street-design workshops",
        category="premises",
        quantity=Decimal(6),
        unit="room days",
        place=places["camden"],
    )


def _pledge_room(client, mission, business, places, **extra):
    return client.post(
        f"/coalition/missions/{mission.slug}/pledges/new/",
        {
            "pledger": str(business.pk),
            "title": "A meeting room one day a week",
            "quantity": "48",
            "unit": "room days",
            **_date("due_date", timezone.localdate() + dt.timedelta(days=365)),
            "serves": "",
            "places": [places["camden"].pk],
            "in_kind_value": "£1,500",
            **extra,
        },
    )


# --- 1. a pledged room offered in the exchange in one step, and counted when matched -------------


def test_a_pledge_is_offered_in_the_exchange_in_one_step(
    client, mission, business, partner, member, places
):
    client.force_login(partner)
    page = client.get(f"/coalition/missions/{mission.slug}/pledges/new/").content.decode()
    assert "Also offer this in the exchange" in page
    response = _pledge_room(
        client, mission, business, places, offer_in_exchange="on", offer_category="premises"
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
    assert pledge.in_kind_value == 1500
    offer = Offer.objects.get()
    assert (offer.pledge, offer.organisation, offer.category) == (pledge, business, "premises")
    assert (offer.quantity, offer.unit, offer.title) == (48, "room days", pledge.title)
    assert offer.available_until == pledge.due_date
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "Offered in the exchange" in page and offer.get_absolute_url() in page
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Offered from the pledge" in page and pledge.get_absolute_url() in page


def test_offering_without_a_kind_says_so_and_writes_nothing(
    client, mission, business, partner, member, places
):
    client.force_login(partner)
    response = _pledge_room(client, mission, business, places, offer_in_exchange="on")
    assert response.status_code == 200
    assert "Choose what kind of thing you are offering in the exchange" in response.content.decode()
    assert not Pledge.objects.exists() and not Offer.objects.exists()


def test_an_existing_pledge_is_offered_from_its_page(
    client, mission, business, partner, member, places
):
    client.force_login(partner)
    _pledge_room(client, mission, business, places)
    pledge = Pledge.objects.get()
    assert "Offer this in the exchange" in client.get(pledge.get_absolute_url()).content.decode()
    response = client.post(f"/coalition/pledges/{pledge.pk}/offer/", {"category": "premises"})
    offer = Offer.objects.get()
    assert response["Location"] == offer.get_absolute_url() and offer.pledge == pledge


def test_a_connected_match_on_the_offer_counts_towards_the_pledge(
    client, mission, business, partner, member, places, room_ask, lead
):
    client.force_login(partner)
    _pledge_room(
        client,
        mission,
        business,
        places,
        offer_in_exchange="on",
        offer_category="premises",
        offer_contact_consent="on",
    )
    pledge, offer = Pledge.objects.get(), Offer.objects.get()
    match = services.match_create(ask=room_ask, offer=offer, user=lead, consent=False)
    assert match.status == Match.Status.PROPOSED
    pledge.refresh_from_db()
    assert pledge.delivered == 0  # not until both sides agree
    services.match_consent_on_behalf(
        match=match, user=lead, side="ask", method="recorded", note="by phone on 3 Dec"
    )
    pledge.refresh_from_db()
    assert pledge.delivered == 6  # the six room days asked for
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "6 of 48 room days delivered" in page
    assert "Matched in the exchange with ‘A room for street-design workshops’" in page


# --- 2. a match with an organisation that has nobody on the site --------------------------------


def _waiting_match(room_ask, business, places, lead, *, consent=True):
    offer = OfferFactory(
        mission=room_ask.mission,
        organisation=business,
        title="Meeting room above the shops",
        unit="room days",
        quantity=Decimal(48),
        place=places["camden"],
        contact_consent=consent,
        made_by=business.memberships.first().user,
    )
    return services.match_create(ask=room_ask, offer=offer, user=lead, consent=False)


def test_the_lead_records_consent_for_a_group_with_nobody_on_the_site(
    client, room_ask, business, partner, places, lead
):
    match = _waiting_match(room_ask, business, places, lead)
    client.force_login(lead)
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Answer for Somers Town Neighbours" in page
    response = client.post(
        match.get_absolute_url(), {"form": "on_behalf", "side": "ask", "method": "recorded"}
    )
    assert "Say how they agreed, for example ‘by phone on 3 Dec’" in response.content.decode()
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    response = client.post(
        match.get_absolute_url(),
        {"form": "on_behalf", "side": "ask", "method": "recorded", "note": "by phone on 3 Dec"},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.CONNECTED
    assert "by phone on 3 Dec" in match.ask_consent_note
    client.force_login(partner)
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Connected" in page and "Somers Town Neighbours" in page and "by phone on 3 Dec" in page


def test_the_lead_emails_the_group_the_other_sides_details(
    client, room_ask, business, partner, places, lead, django_capture_on_commit_callbacks
):
    match = _waiting_match(room_ask, business, places, lead)
    client.force_login(lead)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            match.get_absolute_url(),
            {
                "form": "on_behalf",
                "side": "ask",
                "method": "emailed",
                "email": "hello@somerstown.example",
            },
        )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.CONNECTED
    assert match.handed_over_to == "hello@somerstown.example"
    handover = [m for m in mail.outbox if m.to == ["hello@somerstown.example"]]
    assert len(handover) == 1 and partner.email in handover[0].body
    # The next match for the group offers the same address again.
    second = _waiting_match(room_ask, business, places, lead)
    assert (
        'value="hello@somerstown.example"' in client.get(second.get_absolute_url()).content.decode()
    )


def test_no_email_handover_before_the_other_side_agrees(
    client, room_ask, business, partner, places, lead
):
    match = _waiting_match(room_ask, business, places, lead, consent=False)
    client.force_login(lead)
    response = client.post(
        match.get_absolute_url(),
        {"form": "on_behalf", "side": "ask", "method": "emailed", "email": "a@b.example"},
    )
    assert (
        "The other side has not agreed to share its contact details yet"
        in response.content.decode()
    )
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED and match.ask_consented_at is None


def test_a_side_with_people_answers_for_itself(client, room_ask, business, partner, places, lead):
    match = _waiting_match(room_ask, business, places, lead, consent=False)
    client.force_login(lead)
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Answer for Kentish Town Traders" not in page  # the traders have Sam on the site
    with pytest.raises(Exception, match="answer for themselves"):
        services.match_consent_on_behalf(
            match=match, user=lead, side="offer", method="recorded", note="by phone"
        )


# --- 3. scores across units -------------------------------------------------------------------


def test_room_hours_for_room_days_are_converted_and_other_units_say_they_differ(
    client, mission, room_ask, business, partner, places, lead
):
    OfferFactory(
        mission=mission,
        organisation=business,
        title="Room by the hour",
        unit="room hours",
        quantity=Decimal(8),
        place=places["camden"],
    )
    OfferFactory(
        mission=mission,
        organisation=business,
        title="Room for a few people",
        unit="people",
        quantity=Decimal(20),
        place=places["camden"],
    )
    client.force_login(lead)
    page = client.get(room_ask.get_absolute_url()).content.decode()
    hours = page[page.index("Room by the hour") :][:1500]
    assert "100% match" not in hours
    assert "8 room hours is 1 room days (counting a day as 8 hours)" in hours
    people = page[page.index("Room for a few people") :][:1500]
    assert "units differ" in people and "% match" not in people.split("</h3>")[0]


def test_a_stored_match_across_units_shows_no_percentage(client, room_ask, business, places, lead):
    offer = OfferFactory(
        mission=room_ask.mission, organisation=business, unit="people", place=places["camden"]
    )
    match = services.match_create(ask=room_ask, offer=offer, user=lead, consent=False)
    client.force_login(lead)
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Units differ, so no score" in page and "100%" not in page


# --- 4. what waits for the lead --------------------------------------------------------------


def test_the_leads_dashboard_lists_what_waits_with_links(
    client, mission, business, partner, room_ask, places, lead
):
    CoalitionMember.objects.create(
        mission=mission, organisation=OrganisationFactory(name="Camden Cycling"), statement="Bikes"
    )
    match = _waiting_match(room_ask, business, places, lead, consent=False)
    client.force_login(lead)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Waiting for you" in page
    assert "1 request to join the Clean air in Camden coalition" in page
    assert f'href="/coalition/missions/{mission.slug}/members/"' in page
    assert "1 match in Clean air in Camden waiting for a decision" in page
    matches = client.get(f"/coalition/missions/{mission.slug}/matches/").content.decode()
    assert match.get_absolute_url() in matches and "Needs you" in matches
    # The partner's own reply waits for them.
    client.force_login(partner)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "1 match waiting for your reply" in page and match.get_absolute_url() in page
    assert "request to join" not in page


def test_nothing_waiting_says_so(client, resident):
    client.force_login(resident)
    assert (
        "Nothing is waiting for you." in client.get(reverse("accounts:dashboard")).content.decode()
    )


def test_the_matches_page_is_for_leads(client, mission, partner):
    client.force_login(partner)
    assert client.get(f"/coalition/missions/{mission.slug}/matches/").status_code == 403


def test_match_factory_still_works(room_ask):
    assert MatchFactory(ask=room_ask).percent == 80


@pytest.mark.parametrize("typed", ["£1,500", "1,500", "1500", " £1 500 "])
def test_money_is_accepted_as_people_type_it(
    client, mission, business, partner, member, places, typed
):
    client.force_login(partner)
    _pledge_room(client, mission, business, places, in_kind_value=typed)
    assert Pledge.objects.get().in_kind_value == 1500
