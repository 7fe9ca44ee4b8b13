"""Asks, offers and matches: who may post, the ranking and its reasons, and contact details only
with both sides' consent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobilise.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from mobilise.coalition import selectors, services
from mobilise.coalition.models import Ask, Match, Offer

from .factories import AskFactory, CoalitionMemberFactory, MatchFactory, OfferFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def group(mission, places):
    """A community group in the coalition, with a member who posts its asks."""
    organisation = OrganisationFactory(
        name="Somers Town Neighbours", sector="community", home_place=places["camden"]
    )
    CoalitionMemberFactory(mission=mission, organisation=organisation)
    person = MembershipFactory(organisation=organisation).user
    return organisation, person


def _ask(mission, user, organisation, place, **overrides):
    fields = dict(
        mission=mission,
        user=user,
        organisation=organisation,
        category="premises",
        title="A meeting room for workshops",
        quantity=Decimal(6),
        unit="room days",
        place=place,
        start_date=_today() + dt.timedelta(days=7),
        end_date=_today() + dt.timedelta(days=180),
        tags=["Meeting room", "step-free", "meeting room "],
    )
    fields.update(overrides)
    return services.ask_create(**fields)


def _offer(mission, user, place, organisation=None, **overrides):
    fields = dict(
        mission=mission,
        user=user,
        organisation=organisation,
        category="premises",
        title="Meeting room above the shops",
        quantity=Decimal(48),
        unit="room days",
        place=place,
        available_from=_today(),
        available_until=_today() + dt.timedelta(days=365),
        tags=["meeting room", "step-free", "wifi"],
    )
    fields.update(overrides)
    return services.offer_create(**fields)


def test_coalition_members_and_the_mission_team_ask(
    mission, council, lead, group, places, resident
):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    assert ask.tags == ["meeting room", "step-free"]  # trimmed, lower case, once each
    assert _ask(mission, lead, council, places["camden"], title="Stewards").organisation == council
    with pytest.raises(ValidationError) as exc:
        _ask(mission, resident, organisation, places["camden"])
    assert "organisation" in exc.value.message_dict
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError):
        _ask(mission, MembershipFactory(organisation=outsider).user, outsider, places["camden"])
    assert Ask.objects.count() == 2


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"quantity": Decimal(-3)},
            "quantity",
            "Enter an amount of 0 or more, not a negative number",
        ),
        (
            {"start_date": dt.date(2020, 1, 1)},
            "start_date",
            "The date must be today or in the future",
        ),
        (
            {"end_date": dt.date.today()},
            "end_date",
            "The end date must be on or after the start date",
        ),
        ({"tags": [f"tag {n}" for n in range(13)]}, "tags", "Enter 12 skills or tags at most"),
        ({"category": "love"}, "category", "Value 'love' is not a valid choice."),
    ],
)
def test_bad_asks_are_refused(mission, group, places, overrides, field, message):
    organisation, person = group
    with pytest.raises(ValidationError) as exc:
        _ask(mission, person, organisation, places["camden"], **overrides)
    assert message in exc.value.message_dict[field]
    assert not Ask.objects.exists()


def test_partners_and_residents_offer(mission, business, partner, resident, places):
    by_business = _offer(
        mission, partner, places["camden"], organisation=business, contact_consent=True
    )
    assert by_business.organisation == business and by_business.person is None
    by_resident = _offer(mission, resident, places["camden"], title="I can steward on Tuesdays")
    assert by_resident.person == resident and by_resident.organisation is None
    with pytest.raises(ValidationError) as exc:
        _offer(mission, resident, places["camden"], organisation=business)
    assert "offerer" in exc.value.message_dict


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quantity": Decimal(0)}, "quantity"),
        ({"available_from": dt.date(2020, 1, 1)}, "available_from"),
        ({"available_until": dt.date(2020, 1, 1)}, "available_until"),
    ],
)
def test_bad_offers_are_refused(mission, resident, places, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _offer(mission, resident, places["camden"], **overrides)
    assert field in exc.value.message_dict
    assert not Offer.objects.exists()


def test_suggested_offers_ranked_with_reasons(mission, group, business, partner, resident, places):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business)
    hall = _offer(
        mission, resident, places["islington"], title="Church hall", tags=["meeting room"]
    )
    # 3 of 7: the right kind, dates and size, but none of the skills and far away.
    _offer(mission, resident, places["manchester"], title="Far away room", tags=[])
    _offer(mission, resident, places["camden"], title="Money", category="funding", unit="pounds")
    suggestions = selectors.suggested_offers(ask)
    assert [s.listing for s in suggestions] == [room, hall]
    assert suggestions[0].percent == 100
    assert suggestions[0].reasons == [
        "Both are premises",
        "Has every skill asked for: meeting room, step-free",
        "In the same place: Camden",
        "Available on all the dates asked for",
        "Offers 48, enough for the 6 room days asked for",
    ]
    # Islington is next door only if the places say so: here they have no boundaries, so the
    # church hall counts as being in London, like Camden, but not next door.
    assert "Offered in Islington, away from Camden" in suggestions[1].reasons
    assert [s.listing for s in selectors.suggested_asks(room)] == [ask]


def test_closed_listings_leave_the_suggestions(mission, group, business, partner, places):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business)
    services.offer_close(offer=room, user=partner)
    assert selectors.suggested_offers(ask) == []
    with pytest.raises(PermissionDenied):
        services.ask_close(ask=ask, user=partner)
    services.ask_close(ask=ask, user=person)
    assert Ask.objects.get().status == "closed"


def test_the_lead_matches_and_both_sides_consent(
    mission, lead, group, business, partner, places, django_capture_on_commit_callbacks
):
    """Journey 3: the mission lead matches the business's room to the community group's ask."""
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business)
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_create(ask=ask, offer=room, user=lead, consent=False)
    assert (
        match.status == "proposed"
        and match.ask_consented_at is None
        and match.offer_consented_at is None
    )
    assert match.score == 1.0 and match.reasons[0]["code"] == "same_category"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([person.email, partner.email])

    with pytest.raises(ValidationError) as exc:
        services.match_respond(match=match, user=person, accept=True, consent=False)
    assert "consent" in exc.value.message_dict
    match = services.match_respond(match=match, user=person, accept=True, consent=True)
    assert match.status == "proposed" and match.ask_consented_at
    with pytest.raises(PermissionDenied):  # the group has answered already
        services.match_respond(match=match, user=person, accept=True, consent=True)
    match = services.match_respond(match=match, user=partner, accept=True, consent=True)
    assert match.status == "connected"


def test_an_offer_made_with_consent_connects_when_the_asker_matches(
    mission, group, business, partner, places
):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business, contact_consent=True)
    with pytest.raises(ValidationError) as exc:
        services.match_create(ask=ask, offer=room, user=person, consent=False)
    assert "consent" in exc.value.message_dict
    match = services.match_create(ask=ask, offer=room, user=person, consent=True)
    assert match.status == "connected"
    with pytest.raises(ValidationError, match="matched already"):
        services.match_create(ask=ask, offer=room, user=person, consent=True)


def test_declining_a_match(mission, lead, group, business, partner, places):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business)
    match = services.match_create(ask=ask, offer=room, user=lead, consent=False)
    match = services.match_respond(match=match, user=partner, accept=False, consent=False)
    assert match.status == "declined" and match.declined_at
    with pytest.raises(ValidationError, match="declined already"):
        services.match_respond(match=match, user=person, accept=True, consent=True)


def test_strangers_cannot_match(mission, group, business, partner, places, resident):
    organisation, person = group
    ask = _ask(mission, person, organisation, places["camden"])
    room = _offer(mission, partner, places["camden"], organisation=business)
    with pytest.raises(PermissionDenied):
        services.match_create(ask=ask, offer=room, user=resident, consent=True)
    assert not Match.objects.exists()


def test_the_database_connects_only_with_both_consents(mission, business):
    match = MatchFactory(ask=AskFactory(mission=mission), offer=OfferFactory(mission=mission))
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.filter(pk=match.pk).update(
            status="connected", ask_consented_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(ask=match.ask, offer=match.offer)


def test_the_database_refuses_bad_listings(mission):
    with pytest.raises(IntegrityError), transaction.atomic():
        AskFactory(mission=mission, quantity=Decimal(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AskFactory(mission=mission, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(mission=mission, organisation=None, person=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(mission=mission, person=UserFactory())  # both an organisation and a person
