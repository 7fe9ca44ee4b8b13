"""Capacity under concurrency: many people signing up at the same moment, on PostgreSQL.

Each thread has its own database connection and its own transaction, and all of them are
released at once by a barrier, so the sign-ups really race. Skipped on SQLite only because SQLite
cannot race: it runs one write transaction at a time (our settings open every transaction with
BEGIN IMMEDIATE), so concurrent sign-ups simply queue. `make test-postgres` runs these.
"""

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from mobilise.accounts.tests.factories import UserFactory
from mobilise.coalition import services
from mobilise.coalition.models import Session, SignUp

from .factories import OpportunityFactory, SessionFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one write transaction at a time, so sign-ups cannot race; run on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

CAPACITY = 5
PEOPLE = 30


def _race(work, items):
    """Run ``work(item)`` for every item in its own thread, all starting together."""
    barrier = threading.Barrier(len(items))
    results, errors = [None] * len(items), []

    def run(n, item):
        try:
            barrier.wait(timeout=30)
            results[n] = work(item)
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(n, item)) for n, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _session(mission, council, places):
    opportunity = OpportunityFactory(mission=mission, organisation=council, place=places["camden"])
    return SessionFactory(opportunity=opportunity, capacity=CAPACITY)


def _check_invariants(session):
    session.refresh_from_db()
    confirmed = session.sign_ups.filter(status="confirmed").count()
    assert session.confirmed_count == confirmed <= session.capacity


def test_parallel_sign_ups_fill_the_places_and_queue_the_rest(mission, council, places):
    session = _session(mission, council, places)
    people = [UserFactory() for _ in range(PEOPLE)]

    results, errors = _race(
        lambda person: services.signup_create(session=session, person=person), people
    )

    assert errors == []
    assert Counter(s.status for s in results) == {
        "confirmed": CAPACITY,
        "waiting": PEOPLE - CAPACITY,
    }
    _check_invariants(session)
    assert session.confirmed_count == CAPACITY


def test_parallel_cancellations_promote_the_earliest_waiting_in_order(mission, council, places):
    session = _session(mission, council, places)
    people = [UserFactory() for _ in range(PEOPLE)]
    sign_ups = [services.signup_create(session=session, person=p) for p in people]  # one by one
    confirmed = [s for s in sign_ups if s.status == "confirmed"]
    waiting = [s.person_id for s in sign_ups if s.status == "waiting"]

    # Everyone with a place cancels at once, while five newcomers sign up at the same moment.
    newcomers = [UserFactory() for _ in range(5)]
    jobs = [("cancel", s) for s in confirmed] + [("sign up", p) for p in newcomers]

    def work(job):
        kind, item = job
        if kind == "cancel":
            return services.signup_cancel(sign_up=item, user=item.person)
        return services.signup_create(session=session, person=item)

    _results, errors = _race(work, jobs)

    assert errors == []
    _check_invariants(session)
    assert session.confirmed_count == CAPACITY
    # The places went to the first five who were waiting, not to the newcomers.
    now_confirmed = set(
        session.sign_ups.filter(status="confirmed").values_list("person_id", flat=True)
    )
    assert now_confirmed == set(waiting[:CAPACITY])
    assert set(
        SignUp.objects.filter(session=session, person__in=newcomers).values_list(
            "status", flat=True
        )
    ) == {"waiting"}


def test_the_same_person_twice_at_once_gets_one_sign_up(mission, council, places):
    session = _session(mission, council, places)
    person = UserFactory()

    results, errors = _race(
        lambda _n: services.signup_create(session=session, person=person), range(10)
    )

    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 9 and all(isinstance(e, ValidationError) for e in errors)
    assert SignUp.objects.filter(session=session, person=person).count() == 1
    _check_invariants(session)


def test_the_database_itself_refuses_an_overfull_session(mission, council, places):
    """Without the service's lock: racing unconditional increments hit the check constraint, and
    only ``capacity`` of them can ever succeed."""
    session = _session(mission, council, places)

    def increment(_n):
        with transaction.atomic():
            Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)

    _results, errors = _race(increment, range(20))

    session.refresh_from_db()
    assert session.confirmed_count == CAPACITY
    assert len(errors) == 20 - CAPACITY and all(isinstance(e, IntegrityError) for e in errors)
