"""Pledges: who may pledge, bad input writes nothing, only the pledger reports progress, and
the pledge knows its fulfilment and whether it is on time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobilise.accounts.tests.factories import MembershipFactory, UserFactory
from mobilise.coalition import services
from mobilise.coalition.models import Pledge, PledgeUpdate, Timeliness
from mobilise.missions.tests.factories import MissionFactory, NodeFactory, OutcomeFactory

from .factories import PledgeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _pledge(mission, user, **overrides):
    fields = {
        "mission": mission,
        "user": user,
        "title": "200 hours of staff volunteering",
        "quantity": Decimal(200),
        "unit": "volunteer hours",
        "due_date": timezone.localdate() + dt.timedelta(days=365),
    }
    fields.update(overrides)
    return services.pledge_create(**fields)


def test_a_member_pledges_for_its_organisation(mission, business, partner, member, places):
    outcome = OutcomeFactory(mission=mission)
    pledge = _pledge(
        mission,
        partner,
        organisation=business,
        outcome=outcome,
        places=[places["camden"]],
        money_value=Decimal(0),
        in_kind_value=Decimal("9600.00"),
    )
    assert pledge.organisation == business and pledge.person is None and pledge.made_by == partner
    assert list(pledge.places.all()) == [places["camden"]]
    assert pledge.delivered == 0 and pledge.fulfilled_on is None


def test_a_resident_pledges_as_themselves(mission, resident):
    pledge = _pledge(
        mission, resident, title="Cycle to work", quantity=Decimal(40), unit="journeys"
    )
    assert pledge.person == resident and pledge.organisation is None


def test_an_organisation_outside_the_coalition_cannot_pledge(mission, business, partner):
    # The business has not joined (no `member` fixture).
    with pytest.raises(ValidationError) as exc:
        _pledge(mission, partner, organisation=business)
    assert "pledger" in exc.value.message_dict
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"quantity": Decimal(-5)},
            "quantity",
            "Enter an amount of 0 or more, not a negative number",
        ),
        ({"quantity": Decimal(0)}, "quantity", "Enter an amount more than 0"),
        ({"due_date": dt.date(2020, 1, 1)}, "due_date", "The date must be today or in the future"),
        (
            {"money_value": Decimal(-1)},
            "money_value",
            "Enter an amount of 0 or more, not a negative number",
        ),
        (
            {"in_kind_value": Decimal("-0.01")},
            "in_kind_value",
            "Enter an amount of 0 or more, not a negative number",
        ),
        ({"title": ""}, "title", "This field cannot be blank."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(mission, resident, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        _pledge(mission, resident, **overrides)
    assert message in exc.value.message_dict[field]
    assert "__all__" not in exc.value.message_dict  # said once, plainly, not as a constraint
    assert not Pledge.objects.exists()


def test_what_it_serves_must_belong_to_the_mission(mission, resident):
    other = MissionFactory()
    with pytest.raises(ValidationError) as exc:
        _pledge(mission, resident, outcome=OutcomeFactory(mission=other))
    assert "serves" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _pledge(mission, resident, toc_node=NodeFactory(mission=other))
    assert _pledge(mission, resident, toc_node=NodeFactory(mission=mission)).toc_node is not None


def test_only_the_pledger_reports_progress(mission, business, partner, member, resident, lead):
    pledge = PledgeFactory(mission=mission, organisation=business)
    colleague = MembershipFactory(organisation=business).user
    for outsider in (resident, lead, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.pledge_progress_add(
                pledge=pledge, user=outsider, amount=Decimal(10), reported_on=timezone.localdate()
            )
    services.pledge_progress_add(
        pledge=pledge, user=partner, amount=Decimal(50), reported_on=timezone.localdate()
    )
    services.pledge_progress_add(
        pledge=pledge, user=colleague, amount=Decimal(25), reported_on=timezone.localdate()
    )
    pledge.refresh_from_db()
    assert pledge.delivered == 75 and PledgeUpdate.objects.count() == 2

    mine = PledgeFactory(mission=mission, organisation=None, person=resident)
    with pytest.raises(PermissionDenied):
        services.pledge_progress_add(
            pledge=mine, user=partner, amount=Decimal(1), reported_on=timezone.localdate()
        )
    services.pledge_progress_add(
        pledge=mine, user=resident, amount=Decimal(1), reported_on=timezone.localdate()
    )


@pytest.mark.parametrize(
    "amount, days, note, field, message",
    [
        (Decimal(-10), 0, "", "amount", "Enter an amount of 0 or more, not a negative number"),
        (Decimal(0), 0, "", "note", "Nothing was delivered: say why in the note"),
        (Decimal(10), 1, "", "reported_on", "The date cannot be in the future"),
        (Decimal(10), -400, "", "reported_on", "The date cannot be before the pledge was made"),
    ],
)
def test_bad_progress_is_refused_and_nothing_changes(
    mission, resident, amount, days, note, field, message
):
    pledge = PledgeFactory(mission=mission, organisation=None, person=resident)
    with pytest.raises(ValidationError) as exc:
        services.pledge_progress_add(
            pledge=pledge,
            user=resident,
            amount=amount,
            note=note,
            reported_on=timezone.localdate() + dt.timedelta(days=days),
        )
    assert message in exc.value.message_dict[field]
    pledge.refresh_from_db()
    assert pledge.delivered == 0 and not pledge.updates.exists()


def test_nothing_delivered_with_a_reason_is_an_update(mission, resident):
    pledge = PledgeFactory(mission=mission, organisation=None, person=resident)
    services.pledge_progress_add(
        pledge=pledge,
        user=resident,
        amount=Decimal(0),
        note="Site closed.",
        reported_on=timezone.localdate(),
    )
    assert pledge.updates.count() == 1


def _backdate(pledge, days):
    Pledge.objects.filter(pk=pledge.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    pledge.refresh_from_db()


def test_fulfilment_and_timeliness(mission, resident):
    today = timezone.localdate()
    pledge = PledgeFactory(
        mission=mission,
        organisation=None,
        person=resident,
        quantity=Decimal(100),
        due_date=today + dt.timedelta(days=100),
    )
    _backdate(pledge, 100)  # halfway through
    assert pledge.timeliness(today) == Timeliness.BEHIND
    services.pledge_progress_add(
        pledge=pledge, user=resident, amount=Decimal(50), reported_on=today - dt.timedelta(days=10)
    )
    pledge.refresh_from_db()
    assert pledge.timeliness(today) == Timeliness.ON_TRACK and pledge.share_delivered == 0.5
    # Reported out of order: fulfilment dates from the update that made the total reach 100.
    services.pledge_progress_add(
        pledge=pledge, user=resident, amount=Decimal(60), reported_on=today
    )
    services.pledge_progress_add(
        pledge=pledge, user=resident, amount=Decimal(40), reported_on=today - dt.timedelta(days=5)
    )
    pledge.refresh_from_db()
    assert pledge.delivered == 150 and pledge.fulfilled_on == today
    assert pledge.share_delivered == 1.0
    assert pledge.timeliness(today) == Timeliness.ON_TIME
    # Judged later, the verdicts stay and change as they should.
    assert pledge.timeliness(today + dt.timedelta(days=500)) == Timeliness.ON_TIME
    pledge.due_date = today - dt.timedelta(days=1)
    assert pledge.timeliness(today) == Timeliness.LATE
    pledge.fulfilled_on = None
    assert pledge.timeliness(today) == Timeliness.OVERDUE


def test_pledge_recount_repairs_the_totals(mission, resident):
    pledge = PledgeFactory(
        mission=mission, organisation=None, person=resident, quantity=Decimal(10)
    )
    PledgeUpdate.objects.create(pledge=pledge, amount=Decimal(4), reported_on=timezone.localdate())
    PledgeUpdate.objects.create(pledge=pledge, amount=Decimal(6), reported_on=timezone.localdate())
    pledge = services.pledge_recount(pledge=pledge)
    assert pledge.delivered == 10 and pledge.fulfilled_on == timezone.localdate()


def test_only_mission_leads_flag_a_pledge(mission, business, member, partner, lead):
    pledge = PledgeFactory(mission=mission, organisation=business)
    with pytest.raises(PermissionDenied):
        services.pledge_flag(pledge=pledge, user=partner, flagged=True)
    flagged = services.pledge_flag(
        pledge=pledge, user=lead, flagged=True, note="Ask about the room."
    )
    assert (
        flagged.flagged_at
        and flagged.flagged_by == lead
        and flagged.flag_note == "Ask about the room."
    )
    cleared = services.pledge_flag(pledge=pledge, user=lead, flagged=False)
    assert cleared.flagged_at is None and cleared.flag_note == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"quantity": Decimal(-1)},
        {"money_value": Decimal(-1)},
        {"organisation": None, "person": None},
        {"delivered": Decimal(5), "fulfilled_on": dt.date(2026, 1, 1)},
    ],
)
def test_the_database_refuses_impossible_pledges(mission, business, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(**{"mission": mission, "organisation": business, **fields})


def test_the_database_refuses_negative_or_empty_updates(mission, business):
    pledge = PledgeFactory(mission=mission, organisation=business)
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeUpdate.objects.create(
            pledge=pledge, amount=Decimal(-1), reported_on=timezone.localdate(), note="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeUpdate.objects.create(
            pledge=pledge, amount=Decimal(0), reported_on=timezone.localdate()
        )
