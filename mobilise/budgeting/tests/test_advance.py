"""``mobilise budgets advance``: rounds whose closing day has passed move on, once, and the vote is
counted once; rounds not yet due, and opening the vote, are left to the lead."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mobilise.budgeting import timetable
from mobilise.budgeting.models import Ballot, BallotChoice, BudgetRound, Phase, Result
from mobilise.cli import main

from .conftest import project
from .factories import BudgetRoundFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def counts_queued():
    return []


@pytest.fixture
def run_advance(django_capture_on_commit_callbacks, counts_queued):
    """Run the command; what it queues on commit runs too (and is counted in ``counts_queued``)."""

    def run(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            call_command("budgets_advance", *args, stdout=out)
        counts_queued.append(len(callbacks))
        return out.getvalue()

    return run


def _with_a_ballot(round_):
    ballot = Ballot.objects.create(round=round_, voter_key="user:0", postcode_district="NW5")
    BallotChoice.objects.create(ballot=ballot, project=project(round_, "Cycle hangars"))
    return round_


@pytest.fixture
def due_round(voting_round):
    """Voting closed yesterday; nobody has moved the round on."""
    today = timezone.localdate()
    voting_round.voting_opens_on = today - 14 * DAY
    voting_round.voting_closes_on = today - DAY
    voting_round.save()
    return _with_a_ballot(voting_round)


def test_a_due_round_is_closed_and_counted_once(due_round, run_advance, counts_queued):
    out = run_advance()
    due_round.refresh_from_db()
    assert due_round.phase == Phase.RESULTS
    assert counts_queued == [1]
    result = Result.objects.get(round=due_round)
    assert result.ballots_counted == 1
    assert result.selected == [project(due_round, "Cycle hangars").pk]
    closed = timetable.day(due_round.voting_closes_on)
    assert out.splitlines() == [
        f'Closed voting in "Greener streets" (round {due_round.pk}): '
        f"voting closed on {closed}; the count is queued.",
        "Moved on 1 round: voting closed in 1, ideas closed in 0.",
    ]


def test_running_twice_moves_once_and_does_not_count_again(due_round, run_advance, counts_queued):
    run_advance()
    counted_at = Result.objects.get(round=due_round).computed_at
    out = run_advance()
    assert out == f"Nothing is due on {timetable.day(timezone.localdate())}.\n"
    assert Result.objects.get(round=due_round).computed_at == counted_at
    assert counts_queued == [1, 0]
    assert BudgetRound.objects.get(pk=due_round.pk).phase == Phase.RESULTS


def test_a_round_closing_today_or_later_or_without_a_date_is_left_alone(
    voting_round, mission, run_advance
):
    today = timezone.localdate()
    voting_round.voting_closes_on = today  # open until the end of today
    voting_round.save()
    undated = BudgetRoundFactory(mission=mission, place=voting_round.place, phase=Phase.VOTING)
    out = run_advance()
    assert out == f"Nothing is due on {timetable.day(today)}.\n"
    assert BudgetRound.objects.get(pk=voting_round.pk).phase == Phase.VOTING
    assert BudgetRound.objects.get(pk=undated.pk).phase == Phase.VOTING
    assert not Result.objects.exists()


def test_ideas_close_but_voting_is_never_opened(ideas_round, mission, run_advance):
    today = timezone.localdate()
    ideas_round.ideas_close_on = today - DAY
    ideas_round.voting_opens_on = today - DAY  # due to open, but that is the lead's decision
    ideas_round.save()
    ProjectFactory(round=ideas_round, title="Benches")  # reviewed and on the ballot already
    reviewed = BudgetRoundFactory(
        mission=mission,
        place=ideas_round.place,
        phase=Phase.REVIEW,
        voting_opens_on=today - 3 * DAY,
    )
    ProjectFactory(round=reviewed)
    out = run_advance()
    assert BudgetRound.objects.get(pk=ideas_round.pk).phase == Phase.REVIEW
    assert BudgetRound.objects.get(pk=reviewed.pk).phase == Phase.REVIEW
    assert f'Closed ideas in "Ideas round" (round {ideas_round.pk})' in out
    assert out.endswith("Moved on 1 round: voting closed in 0, ideas closed in 1.\n")
    # Run again the next quarter-hour: the round is in review, so nothing more happens.
    assert run_advance().startswith("Nothing is due")


def test_a_dry_run_says_what_would_move_and_changes_nothing(
    due_round, ideas_round, run_advance, counts_queued
):
    ideas_round.ideas_close_on = timezone.localdate() - 2 * DAY
    ideas_round.save()
    out = run_advance("--dry-run")
    assert f'Would close voting in "Greener streets" (round {due_round.pk})' in out
    assert f'Would close ideas in "Ideas round" (round {ideas_round.pk})' in out
    assert out.endswith("2 rounds due; nothing was changed.\n")
    assert BudgetRound.objects.get(pk=due_round.pk).phase == Phase.VOTING
    assert BudgetRound.objects.get(pk=ideas_round.pk).phase == Phase.IDEAS
    assert not Result.objects.exists() and counts_queued == [0]


def test_the_console_script_spells_it_budgets_advance_and_exits_0_when_nothing_is_due(capsys):
    main(["mobilise", "budgets", "advance"])  # returns normally: exit status 0
    assert capsys.readouterr().out.startswith("Nothing is due on ")
