"""One ballot per voter under concurrency, on PostgreSQL.

Each thread has its own connection and transaction, and a barrier releases them together, so the
first ballots really race. Skipped on SQLite only because SQLite cannot race: it runs one write
transaction at a time. `make test-postgres` runs these.
"""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.budgeting import services
from mobilise.budgeting.models import Ballot, BallotChoice, Phase, Result, RoundChange

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one write transaction at a time, so ballots cannot race; run on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 12


def _race(work, items):
    barrier = threading.Barrier(len(items))
    results, errors = [None] * len(items), []

    def run(n, item):
        try:
            barrier.wait(timeout=30)
            results[n] = work(item)
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, item)) for n, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_many_first_ballots_for_one_voter_at_once_make_one_ballot(voting_round):
    voter = UserFactory()
    projects = list(voting_round.projects.order_by("position"))

    def cast(n):
        # Each attempt chooses a different project, so we can tell whose choices stayed.
        choice = projects[n % len(projects)]
        return services.ballot_cast(
            round_=voting_round,
            voter=services.Voter(key=f"user:{voter.pk}", district="NW5"),
            user=voter,
            choices={choice.pk: 1},
        )

    results, errors = _race(cast, list(range(THREADS)))

    assert errors == []
    assert Ballot.objects.filter(round=voting_round).count() == 1
    ballot = Ballot.objects.get(round=voting_round)
    assert {r.pk for r in results} == {ballot.pk}
    # The choices of exactly one attempt: never a mixture of two.
    assert BallotChoice.objects.filter(ballot=ballot).count() == 1


def test_ballots_racing_the_close_are_either_counted_or_refused(voting_round, lead):
    voters = [UserFactory() for _ in range(THREADS)]
    cheap = voting_round.projects.get(title="Water fountains")

    def work(item):
        if item == "close":
            return services.round_move_phase(round_=voting_round, user=lead, to=Phase.RESULTS)
        return services.ballot_cast(
            round_=voting_round,
            voter=services.Voter(key=f"user:{item.pk}"),
            user=item,
            choices={cheap.pk: 1},
        )

    _results, errors = _race(work, ["close", *voters])

    result = Result.objects.get(round=voting_round)
    cast = Ballot.objects.filter(round=voting_round).count()
    # Every ballot written was counted; every other voter was told voting had closed.
    assert result.ballots_counted == cast
    assert len(errors) == THREADS - cast
    assert all("Voting has closed" in str(e) for e in errors)


def test_overlapping_timetable_runs_close_a_due_round_once_and_count_it_once(voting_round):
    voting_round.voting_closes_on = timezone.localdate() - timedelta(days=1)
    voting_round.save()
    Ballot.objects.create(round=voting_round, voter_key="user:0", postcode_district="NW5")
    runs = 4  # cron and a catch-up run by hand, say, several times over

    def advance(_n):
        out = StringIO()
        call_command("budgets_advance", stdout=out)
        return out.getvalue()

    outputs, errors = _race(advance, list(range(runs)))

    assert errors == []
    voting_round.refresh_from_db()
    assert voting_round.phase == Phase.RESULTS
    # One run closed it (and queued the count); every other one found it moved or not due.
    closed = [o for o in outputs if "Closed voting in" in o]
    assert len(closed) == 1
    others = [o for o in outputs if o not in closed]
    assert all(o.startswith("Nothing is due") or "moved it on first" in o for o in others)
    assert Result.objects.filter(round=voting_round).count() == 1
    assert Result.objects.get(round=voting_round).ballots_counted == 1
    # The move is kept once, as the timetable's: the runs that lost wrote nothing.
    [change] = RoundChange.objects.filter(round=voting_round)
    assert change.by_timetable and change.changes == {"phase": ["voting", "results"]}
