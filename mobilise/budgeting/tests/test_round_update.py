"""Changing a round after it opened: what a lead may change in each phase, and what locks when
voting opens (the service's rules, whatever form or script calls it)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mobilise.budgeting import services
from mobilise.budgeting.models import BudgetRound, Phase
from mobilise.places.models import Place

from .factories import BudgetRoundFactory

pytestmark = pytest.mark.django_db


def _fresh(round_):
    return BudgetRound.objects.get(pk=round_.pk)


@pytest.fixture
def islington(mission):
    place = Place.objects.create(code="E09000019", name="Islington", kind=Place.Kind.UNITARY)
    mission.places.add(place)
    return place


@pytest.mark.parametrize("phase", [Phase.IDEAS, Phase.REVIEW])
def test_before_voting_opens_everything_can_change(mission, camden, islington, lead, phase):
    round_ = BudgetRoundFactory(mission=mission, place=camden, phase=phase)
    services.round_update(
        round_=round_,
        user=lead,
        title="  Kentish Town budget ",
        description="Now £80,000.",
        place=islington,
        budget=Decimal(80_000),
        ballot_type="k_approval",
        max_choices=3,
        rule="greedy",
        completion="none",
        postcode_districts="n1 n7",
        allow_voter_codes=False,
        ideas_close_on=date(2027, 3, 1),
        voting_opens_on=date(2027, 4, 1),
        voting_closes_on=date(2027, 4, 30),
    )
    saved = _fresh(round_)
    assert saved.title == "Kentish Town budget"
    assert saved.place == islington and saved.budget == 80_000
    assert (saved.ballot_type, saved.max_choices, saved.rule) == ("k_approval", 3, "greedy")
    assert saved.districts == ["N1", "N7"] and not saved.allow_voter_codes
    assert saved.voting_closes_on == date(2027, 4, 30)
    assert saved.phase == phase  # an edit never moves the round


def test_changing_the_ballot_type_drops_the_numbers_of_the_old_one(ideas_round, lead):
    services.round_update(round_=ideas_round, user=lead, ballot_type="cumulative", points=10)
    services.round_update(round_=ideas_round, user=lead, ballot_type="approval")
    saved = _fresh(ideas_round)
    assert (saved.ballot_type, saved.points, saved.max_choices) == ("approval", None, None)


def test_before_voting_the_ballot_settings_are_still_checked(ideas_round, lead):
    with pytest.raises(ValidationError) as exc:
        services.round_update(
            round_=ideas_round, user=lead, ballot_type="k_approval", budget=Decimal(0)
        )
    assert exc.value.message_dict == {
        "max_choices": ["Enter how many projects each voter may choose"],
        "budget": ["The budget must be more than 0"],
    }
    with pytest.raises(ValidationError, match="so that someone can vote"):
        services.round_update(
            round_=ideas_round, user=lead, postcode_districts="", allow_voter_codes=False
        )
    assert _fresh(ideas_round).ballot_type == "approval"


@pytest.mark.parametrize("phase", [Phase.VOTING, Phase.RESULTS, Phase.DELIVERY])
def test_once_voting_opens_title_description_and_dates_still_change(mission, camden, lead, phase):
    round_ = BudgetRoundFactory(mission=mission, place=camden, phase=phase, budget=100_000)
    services.round_update(
        round_=round_,
        user=lead,
        title="Greener streets 2027",
        description="Voting runs a week longer.",
        voting_closes_on=date(2027, 5, 14),
    )
    saved = _fresh(round_)
    assert saved.title == "Greener streets 2027"
    assert saved.description == "Voting runs a week longer."
    assert saved.voting_closes_on == date(2027, 5, 14)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ballot_type", "cumulative", "The ballot type cannot change once voting has opened"),
        ("budget", Decimal(120_000), "The budget cannot change once voting has opened"),
        ("rule", "greedy", "The counting rule cannot change once voting has opened"),
        ("completion", "none", "The completion method cannot change once voting has opened"),
        ("postcode_districts", "NW1", "The postcode districts cannot change once voting"),
        ("allow_voter_codes", False, "Whether voter codes are accepted cannot change"),
        ("points", 10, "The points each voter shares out cannot change"),
    ],
)
def test_once_voting_opens_a_ballot_setting_is_refused_and_nothing_is_saved(
    voting_round, lead, field, value, message
):
    with pytest.raises(ValidationError) as exc:
        services.round_update(round_=voting_round, user=lead, title="A new title", **{field: value})
    assert list(exc.value.message_dict) == [field]
    assert message in exc.value.message_dict[field][0]
    saved = _fresh(voting_round)
    assert saved.title == "Greener streets"  # the title in the same edit was not saved either
    assert getattr(saved, field) == getattr(BudgetRoundFactory.build(), field)


def test_once_voting_opens_the_place_is_refused(voting_round, islington, lead):
    with pytest.raises(ValidationError) as exc:
        services.round_update(round_=voting_round, user=lead, place=islington)
    assert exc.value.message_dict == {"place": ["The place cannot change once voting has opened"]}
    assert _fresh(voting_round).place.name == "Camden"


def test_once_voting_opens_sending_the_same_settings_back_is_fine(voting_round, lead, camden):
    """The edit page posts every field; unchanged ballot settings are not a change."""
    services.round_update(
        round_=voting_round,
        user=lead,
        title="Greener streets, Camden",
        place=camden,
        budget=Decimal("100000.00"),
        ballot_type="approval",
        max_choices=None,
        points=None,
        rule="mes",
        completion="add1",
        postcode_districts="nw1, nw3,NW5",
        allow_voter_codes=True,
    )
    assert _fresh(voting_round).title == "Greener streets, Camden"


def test_a_stale_page_cannot_change_the_ballot_after_voting_opened(ideas_round, lead):
    """The lead loaded the round in the ideas phase; someone opened voting since."""
    BudgetRound.objects.filter(pk=ideas_round.pk).update(phase=Phase.VOTING)
    assert ideas_round.phase == Phase.IDEAS
    with pytest.raises(ValidationError, match="The budget cannot change once voting has opened"):
        services.round_update(round_=ideas_round, user=lead, budget=Decimal(5))
    assert _fresh(ideas_round).budget == 100_000


def test_a_stale_page_does_not_undo_a_phase_move(ideas_round, lead):
    BudgetRound.objects.filter(pk=ideas_round.pk).update(phase=Phase.REVIEW)
    services.round_update(round_=ideas_round, user=lead, title="Ideas round, renamed")
    saved = _fresh(ideas_round)
    assert (saved.title, saved.phase) == ("Ideas round, renamed", Phase.REVIEW)


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        (
            {"ideas_close_on": date(2027, 3, 10), "voting_opens_on": date(2027, 3, 1)},
            "voting_opens_on",
            "Voting must open on or after the day ideas close (10 March 2027)",
        ),
        (
            {"voting_opens_on": date(2027, 4, 1), "voting_closes_on": date(2027, 3, 31)},
            "voting_closes_on",
            "Voting must close on or after the day it opens (1 April 2027)",
        ),
        (
            {"ideas_close_on": date(2027, 3, 10), "voting_closes_on": date(2027, 3, 9)},
            "voting_closes_on",
            "Voting must close on or after the day ideas close (10 March 2027)",
        ),
    ],
)
def test_the_dates_must_run_in_order(voting_round, lead, dates, field, message):
    with pytest.raises(ValidationError) as exc:
        services.round_update(round_=voting_round, user=lead, **dates)
    assert exc.value.message_dict == {field: [message]}
    assert _fresh(voting_round).voting_opens_on is None


def test_the_same_day_for_every_date_is_in_order(voting_round, lead):
    day = date(2027, 3, 1)
    services.round_update(
        round_=voting_round,
        user=lead,
        ideas_close_on=day,
        voting_opens_on=day,
        voting_closes_on=day,
    )
    assert _fresh(voting_round).voting_closes_on == day


def test_a_later_date_is_checked_against_the_dates_already_saved(voting_round, lead):
    voting_round.voting_opens_on = date(2027, 4, 1)
    voting_round.save()
    with pytest.raises(ValidationError, match="on or after the day it opens"):
        services.round_update(round_=voting_round, user=lead, voting_closes_on=date(2027, 3, 1))


def test_opening_a_round_checks_the_dates_too(mission, camden, lead):
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            mission=mission,
            place=camden,
            user=lead,
            title="Back to front",
            budget=Decimal(1000),
            postcode_districts="NW5",
            voting_opens_on=date(2027, 5, 1),
            voting_closes_on=date(2027, 4, 1),
        )
    assert "voting_closes_on" in exc.value.message_dict


def test_a_title_is_needed(voting_round, lead):
    with pytest.raises(ValidationError) as exc:
        services.round_update(round_=voting_round, user=lead, title="  ")
    assert exc.value.message_dict == {"title": ["Enter a title for the round"]}


def test_a_round_loaded_from_a_data_set_can_be_renamed(voting_round, lead):
    """Its ballot settings may be ones the form would refuse today; they are locked, not re-checked."""
    BudgetRound.objects.filter(pk=voting_round.pk).update(
        phase=Phase.RESULTS, postcode_districts="", allow_voter_codes=False
    )
    voting_round.refresh_from_db()
    services.round_update(round_=voting_round, user=lead, title="Warsaw 2023, Bemowo")
    assert _fresh(voting_round).title == "Warsaw 2023, Bemowo"


def test_only_the_round_details_can_be_changed_here(ideas_round, lead):
    with pytest.raises(TypeError, match="phase"):
        services.round_update(round_=ideas_round, user=lead, phase=Phase.RESULTS)
