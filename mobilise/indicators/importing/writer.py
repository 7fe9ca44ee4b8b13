"""Moving checked rows into the observations table quickly, on SQLite and PostgreSQL.

Rows go first into a temporary *stage* table (COPY on PostgreSQL, ``executemany`` on the raw
SQLite connection: both skip the ORM, which would cost more than the database). The stage is what
makes the import both fast and exact:

* duplicate keys are found by one ``GROUP BY`` over the stage, with every row number involved,
  without holding millions of keys in Python;
* "created / updated / unchanged" are counted by one join of the stage with the observations,
  before anything changes;
* the write is a single ``INSERT … SELECT … ON CONFLICT (series_id, place_id, period) DO UPDATE …
  WHERE`` the value, status or time differs, so an unchanged row is never rewritten and a
  re-import of the same file writes nothing.

Everything runs inside the caller's transaction; the stage tables disappear with it.

**Foreign keys on big PostgreSQL imports.** Each inserted observation fires two foreign-key
checks (series and place), row by row, and Django's keys run them at commit: about half of the
database's CPU for a national load (16.3 s of server CPU for a million rows, against 8.1 s with
the keys dropped and validated again, on the benchmark). So
when one import writes at least ``BULK_FK_ROWS`` rows on PostgreSQL, the two constraints are
dropped before the write and added again after it (``NOT VALID`` then ``VALIDATE CONSTRAINT``,
from their own ``pg_get_constraintdef``), all inside the import's transaction. Integrity is kept:
validation checks every row of the table in one set-based anti-join, and if any row had no
series or place the import would fail and roll back as a whole. The price is locking: from the
drop until commit, the observation table *and the tables the keys point to* (places, series) are
locked against readers, so pages that read them wait for the rest of the import (a few seconds
per million rows). Imports under the threshold — every web upload of ordinary size — keep the
row-by-row checks and lock nothing beyond the rows they write. Where the database user may not
alter the table, the drop fails harmlessly and the row-by-row checks stay.
Measured on the 2-million-row benchmark: see README ("Indicators benchmark").
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.db import connection as default_connection

from mobilise.indicators.models import Observation

# (file_no, row_no, sidx, place_id, period, time, value, status, key): ``key`` packs
# (sidx, place_id, period) into one integer, so finding duplicates sorts integers, not text.
StageRow = tuple[int, int, int, int, str, float, float, str, int]

_names = itertools.count(1)
SQLITE_CACHE_KB = 256 * 1024
PG_TEMP_BUFFERS = "256MB"
# Rows written by one import from which, on PostgreSQL, the observation foreign keys are dropped
# and validated again in one pass rather than checked row by row (see the module docstring).
BULK_FK_ROWS = 200_000


@dataclass
class DuplicateGroup:
    sidx: int
    place_id: int
    period: str
    count: int
    distinct_values: int
    rows: list[tuple[int, int, float]]  # (file_no, row_no, value), first few


@dataclass
class SeriesCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Stage:
    """A temporary table of checked rows, keyed by the importer's series index (``sidx``)."""

    def __init__(self, connection=None) -> None:
        self.connection = connection or default_connection
        self.vendor = self.connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise ImproperlyConfigured(
                f"The importer supports SQLite and PostgreSQL, not {self.vendor}."
            )
        n = next(_names)
        self.table = f"mobilise_import_stage_{n}"
        self.map_table = f"mobilise_import_series_{n}"
        self.rows = 0
        self.validate_seconds = 0.0  # of the foreign keys, after a bulk write
        self.connection.ensure_connection()
        self._cache_size = None
        if self.vendor == "sqlite":
            # SQLite's default page cache is 2 MB; a national upsert touches the observation
            # indexes all over, and with a bigger cache it does so in memory rather than on disk.
            # (Pages are allocated only when used; the setting is restored afterwards.)
            raw = self.connection.connection
            self._cache_size = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KB}")
        if self.vendor == "postgresql":
            self._raise_temp_buffers()
        on_commit = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
        with self.connection.cursor() as cursor:
            # No indexes while loading: each would cost more than the whole GROUP BY later.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (file_no integer NOT NULL, "
                "row_no bigint NOT NULL, sidx integer NOT NULL, place_id bigint NOT NULL, "
                "period varchar(16) NOT NULL, time double precision NOT NULL, "
                f"value double precision NOT NULL, status varchar(1) NOT NULL, "
                f"k bigint NOT NULL){on_commit}"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.map_table} (sidx integer PRIMARY KEY, "
                f"series_id bigint NOT NULL, existed integer NOT NULL){on_commit}"
            )

    def _raise_temp_buffers(self) -> None:
        """Let a big stage live in memory: PostgreSQL keeps temporary tables in per-session
        buffers of 8 MB by default and spills the rest to files. The setting can only change
        before the session's first temporary table, so on a reused connection this fails
        harmlessly (inside a savepoint) and the default stays."""
        try:
            with transaction.atomic(using=self.connection.alias):
                with self.connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL temp_buffers = '{PG_TEMP_BUFFERS}'")
        except DatabaseError:
            pass

    # --- loading --------------------------------------------------------------------------------

    def add(self, rows: Sequence[StageRow]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        columns = "file_no, row_no, sidx, place_id, period, time, value, status, k"
        if self.vendor == "postgresql":
            # COPY's text format, written here rather than cell by cell through write_row: the
            # cells are integers, floats (repr round-trips exactly) and canonical period strings
            # and status letters, none of which can hold a tab, newline or backslash.
            data = "".join(
                f"{f}\t{r}\t{s}\t{p}\t{per}\t{t!r}\t{v!r}\t{st}\t{k}\n"
                for f, r, s, p, per, t, v, st, k in rows
            )
            with self.connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    copy.write(data)
        else:
            self.connection.connection.executemany(
                f"INSERT INTO {self.table} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def _execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    # --- checking -------------------------------------------------------------------------------

    def duplicates(
        self, *, limit: int = 1000, rows_per_group: int = 10
    ) -> tuple[int, list[DuplicateGroup]]:
        """How many keys occur more than once, and the first ``limit`` of them with their rows."""
        if not self.rows:
            return 0, []
        with self.connection.cursor() as cursor:
            # The common case, no duplicates, costs one pass over integers; the details (which
            # rows, whether their values agree) are only worked out when there is something to say.
            cursor.execute(f"SELECT 1 FROM {self.table} GROUP BY k HAVING COUNT(*) > 1 LIMIT 1")
            if not cursor.fetchall():
                return 0, []
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table}_dup AS SELECT k, MIN(sidx) AS sidx, "
                "MIN(place_id) AS place_id, MIN(period) AS period, COUNT(*) AS n, "
                "COUNT(DISTINCT value) AS nv, MIN(file_no * 4294967296 + row_no) AS first_row "
                f"FROM {self.table} GROUP BY k HAVING COUNT(*) > 1"
            )
            cursor.execute(f"SELECT COUNT(*) FROM {self.table}_dup")
            total = cursor.fetchone()[0]
            groups: list[DuplicateGroup] = []
            if total:
                cursor.execute(
                    f"SELECT k, sidx, place_id, period, n, nv FROM {self.table}_dup "
                    "ORDER BY first_row LIMIT %s",
                    [limit],
                )
                keyed = {
                    k: DuplicateGroup(s, p, per, n, nv, [])
                    for k, s, p, per, n, nv in cursor.fetchall()
                }
                cursor.execute(
                    f"SELECT s.k, s.file_no, s.row_no, s.value FROM {self.table} s "
                    f"JOIN {self.table}_dup d ON d.k = s.k ORDER BY s.file_no, s.row_no"
                )
                for k, file_no, row_no, value in cursor.fetchall():
                    group = keyed.get(k)
                    if group is not None and len(group.rows) < rows_per_group:
                        group.rows.append((file_no, row_no, value))
                groups = list(keyed.values())
        return total, groups

    def drop_duplicates(self) -> tuple[int, int]:
        """Keep one row of each key whose rows agree; drop every row of keys whose rows disagree
        (which of them is right cannot be known). Returns (rows dropped, keys dropped)."""
        before = self.rows
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self.table}_dup WHERE nv > 1")
            conflicting = cursor.fetchone()[0]
            cursor.execute(
                f"DELETE FROM {self.table} WHERE EXISTS (SELECT 1 FROM {self.table}_dup d "
                f"WHERE d.k = {self.table}.k AND (d.nv > 1 OR {self.table}.file_no * 4294967296 + {self.table}.row_no > d.first_row))"
            )
            cursor.execute(f"SELECT COUNT(*) FROM {self.table}")
            self.rows = cursor.fetchone()[0]
        return before - self.rows, conflicting

    def drop_identical_duplicates(self) -> int:
        """Keep one row of each key whose rows all carry the same value (a harmless repeat)."""
        before = self.rows
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE EXISTS (SELECT 1 FROM {self.table}_dup d "
                f"WHERE d.k = {self.table}.k AND d.nv = 1 AND {self.table}.file_no * 4294967296 + {self.table}.row_no > d.first_row)"
            )
            cursor.execute(f"SELECT COUNT(*) FROM {self.table}")
            self.rows = cursor.fetchone()[0]
        return before - self.rows

    def rows_per_series(self) -> dict[int, int]:
        return dict(self._execute(f"SELECT sidx, COUNT(*) FROM {self.table} GROUP BY sidx"))

    # --- writing --------------------------------------------------------------------------------

    def map_series(self, mapping: Iterable[tuple[int, int, bool]]) -> None:
        """Tell the stage which database series each of the importer's series indexes is, and
        whether that series existed before this import (only those need comparing)."""
        rows = [(sidx, series_id, int(existed)) for sidx, series_id, existed in mapping]
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.map_table} (sidx, series_id, existed) VALUES (%s, %s, %s)", rows
            )

    def compare(self) -> dict[int, SeriesCounts]:
        """For series that existed before this import, per series index: how many staged rows
        are new, different or the same as stored. (Rows of new series are all new.)"""
        obs = Observation._meta.db_table
        differs = (
            "o.value IS DISTINCT FROM s.value OR o.status IS DISTINCT FROM s.status "
            "OR o.time IS DISTINCT FROM s.time"
            if self.vendor == "postgresql"
            else "o.value IS NOT s.value OR o.status IS NOT s.status OR o.time IS NOT s.time"
        )
        result = {}
        rows = self._execute(
            f"SELECT s.sidx, SUM(CASE WHEN o.id IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN o.id IS NOT NULL AND ({differs}) THEN 1 ELSE 0 END), COUNT(*) "
            f"FROM {self.table} s JOIN {self.map_table} m ON m.sidx = s.sidx "
            f"LEFT JOIN {obs} o ON o.series_id = m.series_id AND o.place_id = s.place_id "
            "AND o.period = s.period WHERE m.existed = 1 GROUP BY s.sidx"
        )
        for sidx, created, updated, total in rows:
            result[sidx] = SeriesCounts(int(created), int(updated), int(total - created - updated))
        return result

    def analyze(self) -> None:
        """Give PostgreSQL's planner the stage's real size (temporary tables are never
        auto-analysed, and a join planned for a tiny table is slow for a big one)."""
        if self.vendor == "postgresql":
            self._execute(f"ANALYZE {self.table}")
            self._execute(f"ANALYZE {self.map_table}")

    def remove_missing(
        self, series_ids: Sequence[int], *, place_ids: Iterable[int] | None = None
    ) -> int:
        """Replace mode: delete the stored observations of these series that the stage does not
        hold (the file no longer has them), only in ``place_ids`` when given (the places the
        person importing may write). Returns how many were deleted."""
        if not series_ids:
            return 0
        obs = Observation._meta.db_table
        ids = ", ".join(str(int(i)) for i in series_ids)
        where = f"series_id IN ({ids})"
        if place_ids is not None:
            places = ", ".join(str(int(i)) for i in sorted(place_ids))
            if not places:
                return 0
            where += f" AND place_id IN ({places})"
        staged = (
            f"SELECT o.id FROM {self.table} s JOIN {self.map_table} m ON m.sidx = s.sidx "
            f"JOIN {obs} o ON o.series_id = m.series_id AND o.place_id = s.place_id "
            "AND o.period = s.period"
        )
        if self.vendor == "postgresql":
            # An anti-join; NOT IN over millions of ids would not fit work_mem as a hash.
            sql = (
                f"DELETE FROM {obs} WHERE {where} AND NOT EXISTS "
                f"(SELECT 1 FROM {self.table} s JOIN {self.map_table} m ON m.sidx = s.sidx "
                f"WHERE m.series_id = {obs}.series_id AND s.place_id = {obs}.place_id "
                f"AND s.period = {obs}.period)"
            )
        else:
            # SQLite builds a temporary index of the ids that stay, found through the
            # observations' unique index (the stage itself has no index).
            sql = f"DELETE FROM {obs} WHERE {where} AND id NOT IN ({staged})"
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return max(cursor.rowcount, 0)

    def write(self, *, new_series: bool, existing_series: bool, rows: int = 0) -> None:
        """Insert new rows and update changed ones; rows that are the same are not touched.

        Rows of series this import created cannot clash with stored rows, so they take a plain
        INSERT (much cheaper than ON CONFLICT on PostgreSQL); rows of older series are upserted.
        ``rows`` (how many will be written) decides whether the foreign keys are checked row by
        row or dropped and validated again afterwards (PostgreSQL, see the module docstring).
        """
        dropped = self._drop_foreign_keys() if rows >= BULK_FK_ROWS else []
        self._write(new_series=new_series, existing_series=existing_series)
        if dropped:
            started = time.perf_counter()
            self._restore_foreign_keys(dropped)
            self.validate_seconds = time.perf_counter() - started

    def _drop_foreign_keys(self) -> list[tuple[str, str]]:
        """Drop the observation table's foreign keys; returns (name, definition) of each."""
        if self.vendor != "postgresql":
            return []
        obs = Observation._meta.db_table
        try:
            with transaction.atomic(using=self.connection.alias):
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT conname, pg_get_constraintdef(oid), confrelid FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                        [obs],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        return []
                    constraints = [(name, definition) for name, definition, _t in rows]
                    # A table with trigger events still pending cannot be altered, and dropping
                    # a key alters the tables at both of its ends. Django's keys are checked at
                    # commit, so rows this transaction wrote to those tables (the series it just
                    # created, say) have checks pending: run them now, then set those
                    # constraints back to deferred, as they were.
                    tables = [obs, *(oid for _n, _d, oid in rows)]
                    cursor.execute(
                        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname), "
                        "c.conrelid = %s::regclass FROM pg_constraint c "
                        "JOIN pg_namespace n ON n.oid = c.connamespace "
                        "WHERE c.condeferred AND (c.conrelid = ANY(%s::regclass[]) "
                        "OR c.confrelid = ANY(%s::regclass[]))",
                        [obs, [str(t) for t in tables], [str(t) for t in tables]],
                    )
                    related = cursor.fetchall()
                    if related:
                        names = ", ".join(name for name, _mine in related)
                        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
                    for name, _definition in constraints:
                        cursor.execute(f'ALTER TABLE {obs} DROP CONSTRAINT "{name}"')
                    others = [name for name, mine in related if not mine]
                    if others:
                        cursor.execute(f"SET CONSTRAINTS {', '.join(others)} DEFERRED")
            return constraints
        except DatabaseError:
            return []  # e.g. not the table's owner: the row-by-row checks stay

    def _restore_foreign_keys(self, constraints: list[tuple[str, str]]) -> None:
        obs = Observation._meta.db_table
        with self.connection.cursor() as cursor:
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {obs} ADD CONSTRAINT "{name}" {definition} NOT VALID')
            for name, _definition in constraints:
                # One pass over the table; fails (and so the import rolls back) on any orphan.
                cursor.execute(f'ALTER TABLE {obs} VALIDATE CONSTRAINT "{name}"')

    def _write(self, *, new_series: bool, existing_series: bool) -> None:
        obs = Observation._meta.db_table
        columns = f"INSERT INTO {obs} (series_id, place_id, period, time, value, status) "
        select = (
            "SELECT m.series_id, s.place_id, s.period, s.time, s.value, s.status "
            f"FROM {self.table} s JOIN {self.map_table} m ON m.sidx = s.sidx "
        )
        if new_series:
            self._execute(columns + select + "WHERE m.existed = 0")
        if existing_series:
            if self.vendor == "postgresql":
                differs = (
                    f"{obs}.value IS DISTINCT FROM EXCLUDED.value OR {obs}.status IS DISTINCT "
                    f"FROM EXCLUDED.status OR {obs}.time IS DISTINCT FROM EXCLUDED.time"
                )
            else:
                differs = (
                    f"{obs}.value IS NOT excluded.value OR {obs}.status IS NOT excluded.status "
                    f"OR {obs}.time IS NOT excluded.time"
                )
            self._execute(
                columns
                + select
                + "WHERE m.existed = 1 ON CONFLICT (series_id, place_id, period) DO UPDATE SET "
                "time = EXCLUDED.time, value = EXCLUDED.value, status = EXCLUDED.status "
                f"WHERE {differs}"
            )

    def close(self) -> None:
        """Drop the stage tables (the transaction would drop them on PostgreSQL anyway)."""
        with self.connection.cursor() as cursor:
            for table in (f"{self.table}_dup", self.table, self.map_table):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def release(self) -> None:
        """Undo connection settings; safe to call after an error."""
        if self._cache_size is not None:
            self.connection.connection.execute(f"PRAGMA cache_size = {self._cache_size}")
            self._cache_size = None
