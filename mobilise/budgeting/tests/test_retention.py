"""The retention schedule for budget rounds: voter codes after the count, and ballots counted
before they were anonymised at the count (issue #16)."""

import datetime as dt

import pytest
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.budgeting import services
from mobilise.budgeting.models import Ballot, Phase, Result, VoterCode
from mobilise.core.retention import SCHEDULE, run

from .conftest import project

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 8, 3, 0))
MINUTE = dt.timedelta(minutes=1)


def _counted(round_, lead, counted_at):
    round_ = services.round_move_phase(round_=round_, user=lead, to=Phase.RESULTS)
    services.result_compute(round_=round_)
    Result.objects.filter(round=round_).update(computed_at=counted_at)
    return round_


def test_voter_codes_are_deleted_30_days_after_the_count(voting_round, mission, camden, lead):
    from .factories import BudgetRoundFactory, ProjectFactory

    assert SCHEDULE.voter_codes_days == 30
    limit = dt.timedelta(days=30)
    services.voter_codes_issue(round_=voting_round, user=lead, count=3)
    older = BudgetRoundFactory(mission=mission, place=camden, phase=Phase.VOTING)
    ProjectFactory(round=older, title="Benches")
    services.voter_codes_issue(round_=older, user=lead, count=2)
    still_voting = BudgetRoundFactory(mission=mission, place=camden, phase=Phase.VOTING)
    ProjectFactory(round=still_voting, title="Bins")
    services.voter_codes_issue(round_=still_voting, user=lead, count=4)

    _counted(voting_round, lead, NOW - limit + MINUTE)  # just inside: kept
    _counted(older, lead, NOW - limit - MINUTE)  # just outside: deleted
    run(now=NOW)

    assert VoterCode.objects.filter(round=voting_round).count() == 3
    assert VoterCode.objects.filter(round=older).count() == 0
    assert VoterCode.objects.filter(round=still_voting).count() == 4


def test_ballots_counted_before_anonymising_existed_are_anonymised(voting_round, lead):
    person = UserFactory()
    services.ballot_cast(
        round_=voting_round,
        voter=services.Voter(key=f"user:{person.pk}", district="NW5"),
        user=person,
        choices={project(voting_round, "Pocket park").pk: 1},
    )
    other = UserFactory()
    services.ballot_cast(
        round_=voting_round,
        voter=services.Voter(key=f"user:{other.pk}", district="NW1"),
        user=other,
        choices={project(voting_round, "Cycle hangars").pk: 1},
    )
    round_ = _counted(voting_round, lead, NOW - dt.timedelta(days=400))
    # As an older count left them: still linked.
    for ballot, who in zip(
        Ballot.objects.filter(round=round_).order_by("pk"), [person, other], strict=True
    ):
        Ballot.objects.filter(pk=ballot.pk).update(
            voter_key=f"user:{who.pk}", user=who, postcode_district="NW5"
        )

    [(step, count)] = [(s, c) for s, c in run(now=NOW, dry_run=True) if s.verb == "anonymise"]
    assert count == 2
    assert Ballot.objects.filter(round=round_, user__isnull=False).count() == 2

    run(now=NOW)
    assert not Ballot.objects.filter(round=round_, voter_key__startswith="user:").exists()
    assert not Ballot.objects.filter(round=round_, user__isnull=False).exists()
    assert set(Ballot.objects.filter(round=round_).values_list("postcode_district", flat=True)) == {
        ""
    }


def test_ballots_of_an_open_round_are_left_alone(voting_round):
    person = UserFactory()
    services.ballot_cast(
        round_=voting_round,
        voter=services.Voter(key=f"user:{person.pk}", district="NW5"),
        user=person,
        choices={project(voting_round, "Pocket park").pk: 1},
    )
    run(now=NOW)
    assert Ballot.objects.get(round=voting_round).voter_key == f"user:{person.pk}"
