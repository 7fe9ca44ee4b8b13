"""An edit to a round's ballot settings racing the lead who opens the vote, on PostgreSQL.

The two are put in a fixed order with real transactions on separate connections: one holds the
round's row, the other is seen waiting for it (``pg_stat_activity``) before the first commits. So
each test shows what happens in that order, not what a lucky schedule happened to give. Skipped on
SQLite only because SQLite cannot race: it runs one write transaction at a time.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from mobilise.budgeting import services
from mobilise.budgeting.models import BudgetRound, Phase, RoundChange

from .factories import BudgetRoundFactory, ProjectFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one write transaction at a time, so an edit cannot race; run on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def review_round(mission, camden):
    round_ = BudgetRoundFactory(mission=mission, place=camden, phase=Phase.REVIEW)
    ProjectFactory(round=round_, title="Cycle hangars", cost=30_000)
    return round_


def _in_thread(work, outcome: list) -> threading.Thread:
    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # noqa: BLE001 - checked by the test
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_someone_waits_for_a_lock() -> None:
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("nobody ever waited for the round's row")


def _holding(work, held: threading.Event, release: threading.Event):
    """``work`` inside a transaction that stays open (holding its row locks) until released."""

    def run():
        with transaction.atomic():
            result = work()
            held.set()
            release.wait(timeout=30)
        return result

    return run


def test_an_edit_from_before_the_vote_opened_waits_and_is_then_refused(review_round, lead):
    page_loaded = BudgetRound.objects.get(pk=review_round.pk)  # the lead's edit page, in review
    held, release, opening, editing = threading.Event(), threading.Event(), [], []
    opener = _in_thread(
        _holding(
            lambda: services.round_move_phase(
                round_=BudgetRound.objects.get(pk=review_round.pk), user=lead, to=Phase.VOTING
            ),
            held,
            release,
        ),
        opening,
    )
    assert held.wait(timeout=30)
    editor = _in_thread(
        lambda: services.round_update(round_=page_loaded, user=lead, budget=Decimal(5)), editing
    )
    _wait_until_someone_waits_for_a_lock()  # the edit checked the stale page, then met the lock
    release.set()
    opener.join(timeout=60)
    editor.join(timeout=60)

    assert isinstance(opening[0], BudgetRound)
    assert isinstance(editing[0], ValidationError)
    assert editing[0].message_dict == {
        "budget": ["The budget cannot change once voting has opened"]
    }
    saved = BudgetRound.objects.get(pk=review_round.pk)
    assert (saved.phase, saved.budget) == (Phase.VOTING, 100_000)
    # The history holds the move and not the refused edit.
    assert [c.changes for c in RoundChange.objects.filter(round=review_round)] == [
        {"phase": ["review", "voting"]}
    ]


def test_opening_the_vote_during_an_edit_waits_for_it_and_still_opens(review_round, lead):
    held, release, opening, editing = threading.Event(), threading.Event(), [], []
    editor = _in_thread(
        _holding(
            lambda: services.round_update(
                round_=BudgetRound.objects.get(pk=review_round.pk),
                user=lead,
                budget=Decimal(80_000),
            ),
            held,
            release,
        ),
        editing,
    )
    assert held.wait(timeout=30)
    opener = _in_thread(
        lambda: services.round_move_phase(
            round_=BudgetRound.objects.get(pk=review_round.pk), user=lead, to=Phase.VOTING
        ),
        opening,
    )
    _wait_until_someone_waits_for_a_lock()
    release.set()
    editor.join(timeout=60)
    opener.join(timeout=60)

    assert isinstance(editing[0], BudgetRound) and isinstance(opening[0], BudgetRound)
    saved = BudgetRound.objects.get(pk=review_round.pk)
    # The budget was settled before the first ballot could be cast under it.
    assert (saved.phase, saved.budget) == (Phase.VOTING, 80_000)
    # Both are kept, in the order they committed: the edit first, then the move.
    changes = RoundChange.objects.filter(round=review_round).order_by("pk")
    assert [c.changes for c in changes] == [
        {"budget": ["100000.00", "80000.00"]},
        {"phase": ["review", "voting"]},
    ]
