"""Votes under concurrency, on PostgreSQL: many threads voting and re-voting on the same
statements at once leave exactly one row per participant and statement, holding the last value.

Each thread has its own connection, and a barrier releases them together so the upserts really
race. Skipped on SQLite, which runs one write transaction at a time, so votes cannot race there.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

from mobilise.deliberation import services
from mobilise.deliberation.models import Conversation, Participant, Vote

from .factories import ParticipantFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one write transaction at a time, so votes cannot race; run on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

PEOPLE = 6
ROUNDS = 5


def _race(work, items):
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_racing_votes_and_revotes_leave_one_row_each_with_the_last_value(conversation):
    statements = list(conversation.statements.all()[:4])
    participants = [ParticipantFactory(conversation=conversation) for _ in range(PEOPLE)]

    # Two threads per participant and statement race every round; the value of each round is the
    # same for both, so whichever lands last, the final value is that of the last round.
    def work(job):
        participant, statement = job
        for round_no in range(ROUNDS):
            value = [1, -1, 0][(round_no + participant.pk + statement.pk) % 3]
            services.vote_cast(
                conversation=conversation,
                participant=participant,
                statement_id=statement.pk,
                value=value,
            )

    jobs = [(p, s) for p in participants for s in statements] * 2
    errors = _race(work, jobs)

    assert errors == []
    assert Vote.objects.count() == PEOPLE * len(statements)
    for p in participants:
        for s in statements:
            expected = [1, -1, 0][(ROUNDS - 1 + p.pk + s.pk) % 3]
            assert Vote.objects.get(participant=p, statement=s).value == expected
    # One recompute at a time: the flag is clear after the immediate backend ran the last one.
    conversation.refresh_from_db()
    assert not conversation.recompute_pending


def test_the_same_browser_twice_at_once_becomes_one_participant(conversation):
    errors = _race(
        lambda _n: services.participant_get_or_create(
            conversation=conversation, key="same-browser"
        ),
        range(8),
    )
    assert errors == []
    assert Participant.objects.filter(conversation=conversation, key="same-browser").count() == 1


def test_racing_identical_statements_add_one(conversation):
    conversation.moderation = Conversation.Moderation.POST
    conversation.save()
    outcomes = []

    def add(n):
        try:
            services.statement_add(
                conversation=conversation, text="Plant more street trees" + "!" * n
            )
            outcomes.append("added")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)

    errors = _race(add, range(8))
    assert errors == []
    assert sorted(outcomes) == ["ValidationError"] * 7 + ["added"]
    assert conversation.statements.filter(normalised="plant more street trees").count() == 1
