"""A killed PostgreSQL import must not hold its locks (issue #16, defect 11).

The import's transaction sets ``lock_timeout``, ``statement_timeout`` and
``idle_in_transaction_session_timeout`` (``pipeline.set_import_timeouts``): an import whose
client died between statements is ended by the server, and its locks go with it, so a page
reading the same table waits at most that long. Run on PostgreSQL:
``scripts/with-postgres.sh .venv/bin/pytest -p no:xdist -q mobilise/indicators/tests/test_import_timeouts.py``.
"""

import time

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections

from mobilise.indicators.importing import import_observations
from mobilise.indicators.importing.pipeline import run_import, set_import_timeouts
from mobilise.indicators.importing.report import Kind
from mobilise.indicators.models import ImportRecord, Observation
from mobilise.places.tests.factories import PlaceFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="The timeouts are PostgreSQL settings; run on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

OBS = Observation._meta.db_table
NAMES = ("lock_timeout", "idle_in_transaction_session_timeout", "statement_timeout")


def show(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def test_the_timeouts_are_in_force_inside_the_import_transaction_only():
    seen = {}

    def read(importer):
        with connection.cursor() as cursor:
            seen.update({name: show(cursor, name) for name in NAMES})

    run_import(read)
    assert seen == {
        "lock_timeout": "10s",
        "idle_in_transaction_session_timeout": "1min",
        "statement_timeout": "15min",
    }
    with connection.cursor() as cursor:  # SET LOCAL: gone with the import's transaction
        assert show(cursor, "lock_timeout") == "0"
        assert show(cursor, "idle_in_transaction_session_timeout") == "0"


def test_the_timeouts_come_from_settings(settings):
    settings.INDICATOR_IMPORT_TIMEOUTS = {"lock_timeout": "3s"}
    seen = {}

    def read(importer):
        with connection.cursor() as cursor:
            seen["lock_timeout"] = show(cursor, "lock_timeout")

    run_import(read)
    assert seen == {"lock_timeout": "3s"}


def test_a_dead_imports_locks_are_released_after_the_idle_timeout(settings):
    """An import holding the observation table's strongest lock (as a bulk import's key drop
    does) whose client stops talking: a page's read waits only until the server ends it."""
    settings.INDICATOR_IMPORT_TIMEOUTS = {"idle_in_transaction_session_timeout": "1s"}
    dead = connections.create_connection("default")
    try:
        dead.ensure_connection()
        dead.set_autocommit(False)
        set_import_timeouts(dead)
        with dead.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {OBS} IN ACCESS EXCLUSIVE MODE")
        # The client is gone (it sends nothing more). A page reads the table:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '30s'")  # the test must not hang
            cursor.execute(f"SELECT COUNT(*) FROM {OBS}")
            assert cursor.fetchone()[0] == 0
            cursor.execute("SET statement_timeout = 0")
        waited = time.monotonic() - started
        assert 0.5 < waited < 10, waited
        # The server ended the dead session.
        with pytest.raises(DatabaseError, match="idle-in-transaction timeout"):
            with dead.cursor() as cursor:
                cursor.execute("SELECT 1")
    finally:
        try:
            dead.close()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass


def test_an_import_behind_a_lock_gives_up_and_writes_nothing(settings):
    """The other way round: an import that would wait behind another session's lock stops at
    its lock_timeout, says so and is recorded as refused, rather than queueing (pages would
    queue behind it)."""
    PlaceFactory(code="E09000007")
    settings.INDICATOR_IMPORT_TIMEOUTS = {"lock_timeout": "1s"}
    holder = connections.create_connection("default")
    try:
        holder.ensure_connection()
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            # Bounds the test if the import waited for ever: the holder is ended after 15 s.
            cursor.execute("SET idle_in_transaction_session_timeout = '15s'")
            cursor.execute(f"LOCK TABLE {OBS} IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        report = import_observations(
            [("co2", "E09000007", "2019", "1")], indicators={"co2": {"title": "CO2"}}
        )
        assert time.monotonic() - started < 10
        assert not report.written and report.counts_by_kind[Kind.BUSY] == 1
        assert "Nothing was saved" in report.errors[0].message
    finally:
        try:
            holder.rollback()
            holder.close()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass
    assert not Observation.objects.exists()
    assert ImportRecord.objects.get().ok is False
