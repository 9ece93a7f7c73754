"""Stage cleaned rows, then apply them to the source in ONE transaction.

While the file is read, cleaned rows go in batches into a TEMPORARY table of this database
connection (PostgreSQL: ``COPY``; SQLite: ``executemany``). Nothing the rest of Chumchon reads
changes until the whole file has been read; then a single ``INSERT … SELECT … ON CONFLICT
(source_id, source_key) DO UPDATE … WHERE row_hash differs`` applies everything atomically, with
the new villages. A crash, a killed worker or a bad byte at line 900 000 therefore leaves the
database exactly as before (the temporary table dies with the connection): never half an import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connection, transaction

from chumchon.linkage.models import Source, SourceRecord

STAGE = "chumchon_import_stage"
_VALUE_COLUMNS = ("source_key", "national_id", "title", "first_name", "last_name", "nickname", "sex", "birth_date",
                  "birth_year_only", "house_no", "area_id", "phone", "raw", "row_hash")
_UPDATED = ("raw", "row_hash", "import_job_id", "national_id", "title", "first_name", "last_name", "nickname", "sex",
            "birth_date", "birth_year_only", "house_no", "area_id", "phone", "updated_at")


class Stager:
    """One import's staging table on the current connection."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.count = 0
        self._cursor: Any = None
        self._copy_block: Any = None
        self._copy: Any = None
        self._cache_size: int | None = None  # SQLite's page cache before apply enlarged it
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            if self.vendor == "postgresql":
                # The default 8 MB of temporary buffers sends a large stage to disk and back. The setting
                # can only change before the session's first temporary table: otherwise keep it.
                try:
                    with transaction.atomic():
                        cursor.execute("SET temp_buffers = '256MB'")
                except DatabaseError:
                    pass
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {STAGE} (source_key text, national_id text, title text, first_name text,"
                    " last_name text, nickname text, sex text, birth_date date, birth_year_only boolean,"
                    " house_no text, area_id text, phone text, raw jsonb, row_hash text)")
            else:
                # In memory: the staged rows never touch the disk twice (about 400 MB per million rows).
                if not connection.in_atomic_block:  # SQLite refuses the change inside a transaction
                    cursor.execute("PRAGMA temp_store = MEMORY")
                cursor.execute(f"CREATE TEMP TABLE {STAGE} ({', '.join(_VALUE_COLUMNS)})")

    def add(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows are ``(source_key, *CLEAN_FIELDS, raw, row_hash)``."""
        if not rows:
            return
        if self.vendor == "postgresql":
            # One COPY stays open across batches: the server parses (raw into jsonb) and stores the rows
            # while Python cleans the next ones. ``flush`` ends it before any other statement.
            if self._copy is None:
                self._cursor = connection.cursor()
                self._copy_block = self._cursor.cursor.copy(f"COPY {STAGE} ({', '.join(_VALUE_COLUMNS)}) FROM STDIN")
                self._copy = self._copy_block.__enter__()
            write = self._copy.write_row
            for row in rows:
                write(row)
        else:
            with connection.cursor() as cursor:
                marks = ", ".join("?" * len(_VALUE_COLUMNS))
                cursor.connection.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", rows)
        self.count += len(rows)

    def flush(self) -> None:
        """End the open COPY, if any: call before the connection runs anything else."""
        if self._copy_block is None:
            return
        block, cursor = self._copy_block, self._cursor
        self._copy_block = self._copy = self._cursor = None
        try:
            block.__exit__(None, None, None)
        finally:
            cursor.close()

    def apply(self, *, source_id: int, job_id: int, now: datetime) -> tuple[int, int, int]:
        """Upsert the staged rows into the source; (created, updated, unchanged). Call inside a
        transaction (the service does, together with the new villages and the audit entry)."""
        self.flush()
        table = SourceRecord._meta.db_table
        columns = ("source_id", "import_job_id", *_VALUE_COLUMNS, "link_method", "created_at", "updated_at")
        select = ", ".join(["%s", "%s", *_VALUE_COLUMNS, "''", "%s", "%s"])
        updates = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
        upsert = (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {STAGE} WHERE true "
                  f"ON CONFLICT (source_id, source_key) DO UPDATE SET {updates} "
                  f"WHERE {table}.row_hash <> excluded.row_hash")
        params: list[Any] = [source_id, job_id, now, now]
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                # The indexes of a large source do not fit SQLite's default 2 MB page cache: each row would
                # read and write index pages from disk. drop() restores the size.
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -131072")
            if self.vendor == "postgresql":
                # One apply per source at a time; losing the last commit in a power cut is harmless (the
                # import, idempotent, is run again), waiting for its flush is not free.
                cursor.execute(f"SELECT id FROM {Source._meta.db_table} WHERE id = %s FOR UPDATE", [source_id])
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE source_id = %s)", [source_id])
            if not cursor.fetchone()[0]:
                # The source's first import: every row is new, a plain INSERT skips the conflict checks.
                cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {STAGE}", params)
                return self.count, 0, 0
            if self.vendor == "postgresql":
                # Unchanged rows leave the stage first: ON CONFLICT would lock (and so write) each of
                # them even when its WHERE is false.
                cursor.execute(f"DELETE FROM {STAGE} s USING {table} r WHERE r.source_id = %s "
                               "AND r.source_key = s.source_key AND r.row_hash = s.row_hash", [source_id])
                cursor.execute(f"WITH up AS ({upsert} RETURNING (xmax = 0) AS inserted) "
                               "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
                               params)
                created, updated = cursor.fetchone()
            else:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE source_id = %s", [source_id])
                before = cursor.fetchone()[0]
                cursor.execute(upsert, params)
                changed = cursor.rowcount
                cursor.execute(f"SELECT count(*) FROM {table} WHERE source_id = %s", [source_id])
                created = cursor.fetchone()[0] - before
                updated = changed - created
        return created, updated, self.count - created - updated

    def drop(self) -> None:
        with contextlib.suppress(DatabaseError):  # the stage is dropped anyway
            self.flush()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            if self._cache_size is not None:
                cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
                self._cache_size = None
            if self.vendor == "sqlite" and not connection.in_atomic_block:
                cursor.execute("PRAGMA temp_store = DEFAULT")
