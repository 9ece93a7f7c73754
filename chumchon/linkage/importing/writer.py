"""Write an import's cleaned rows inside the ONE transaction of that import.

The caller (``services.imports.import_run``) opens the transaction before the first row is read
and commits after the last: a crash, a killed worker or a bad byte at line 900 000 leaves the
database exactly as before — never half an import (decision 0010).

- A source's first import (no records yet) writes straight into the records table: PostgreSQL
  ``COPY`` (the server stores and indexes rows while Python cleans the next batch), SQLite one
  ``executemany`` per batch.
- Later imports compare with what is there. PostgreSQL: rows are copied into a temporary table,
  unchanged ones (same source_key, raw text and row_hash) are dropped from it, and one ``INSERT … ON CONFLICT
  DO UPDATE`` applies the rest. SQLite: ``executemany`` of that upsert straight into the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from typing import Any

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from chumchon.linkage.models import Source, SourceRecord

STAGE = "chumchon_import_stage"
_VALUE_COLUMNS = ("source_key", "national_id", "title", "first_name", "last_name", "nickname", "sex", "birth_date",
                  "birth_year_only", "house_no", "area_id", "phone", "raw", "row_hash")
_COLUMNS = ("source_id", "import_job_id", *_VALUE_COLUMNS, "link_method", "created_at", "updated_at")
_COPIED = _COLUMNS[:-2]  # PostgreSQL fills the time stamps (db_default)
_UPDATED = ("raw", "row_hash", "import_job_id", "national_id", "title", "first_name", "last_name", "nickname", "sex",
            "birth_date", "birth_year_only", "house_no", "area_id", "phone", "updated_at")
# COPY's text format: a backslash starts an escape; tab, newline and carriage return end a field or row.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEXT_COLUMNS = (0, 2, 3, 4, 5, 9, 12)  # of _VALUE_COLUMNS that may hold any text (the rest: digits, codes)
_BOOLEAN = {True: "t", False: "f"}


def _upsert_tail(table: str) -> str:
    """A re-imported row updates its record only when its raw text or the column map changed."""
    updates = ", ".join(f"{column} = excluded.{column}" for column in _UPDATED)
    return (f"ON CONFLICT (source_id, source_key) DO UPDATE SET {updates} "
            f"WHERE {table}.row_hash <> excluded.row_hash OR {table}.raw <> excluded.raw")


class RecordWriter:
    """The rows of one import into one source. Use inside the import's transaction:
    ``add`` (or ``add_arrow``) each batch, then ``finish()`` → (created, updated, unchanged);
    ``close(error)`` always, last."""

    def __init__(self, *, source_id: int, job_id: int, now: datetime, row_hash: str) -> None:
        self.vendor = connection.vendor
        self.count = 0
        self._copy_block: Any = None
        self._copy: Any = None
        self._cursor: Any = None
        self._cache_size: int | None = None
        if not row_hash.isalnum():
            raise ValueError("row_hash must be a hex digest")
        self._hash = row_hash  # the same for every row of an import: written as a constant
        self._changed = 0  # SQLite: rows the upserts inserted or updated
        table = SourceRecord._meta.db_table
        self._table = table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # One import per source at a time; losing the last commit in a power cut is harmless (the
                # import, idempotent, is run again), waiting for its flush is not free.
                cursor.execute(f"SELECT id FROM {Source._meta.db_table} WHERE id = %s FOR UPDATE", [source_id])
                cursor.execute("SET LOCAL synchronous_commit = off")
            else:
                # A large source's indexes do not fit SQLite's default 2 MB page cache. close() restores it.
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -131072")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE source_id = %s)", [source_id])
            self.first = not cursor.fetchone()[0]
            if self.vendor == "postgresql":
                # created_at and updated_at are left to the column default
                self._source, self._job = str(int(source_id)), str(int(job_id))
                if not self.first:
                    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
                    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS "
                                   f"SELECT {', '.join(_COPIED)} FROM {table} WITH NO DATA")
            else:
                stamp = str(connection.ops.adapt_datetimefield_value(now))
                marks = ", ".join("?" * (len(_VALUE_COLUMNS) - 1))
                insert = (f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({int(source_id)}, {int(job_id)}, "
                          f"{marks}, '{self._hash}', '', '{stamp}', '{stamp}')")
                if self.first:
                    self._sql = insert
                else:
                    self._sql = f"{insert} {_upsert_tail(table)}"
                    cursor.execute(f"SELECT count(*) FROM {table} WHERE source_id = %s", [source_id])
                    self._before = cursor.fetchone()[0]
        self._source_id = source_id

    def add(self, columns: Sequence[Sequence[Any]]) -> None:
        """One batch as columns: ``source_key``, *CLEAN_FIELDS, ``raw``.

        PostgreSQL stores a batch while Python cleans the next one: the COPY data is sent by psycopg's
        queued writer thread. (A thread for SQLite's ``executemany`` was slower: SQLite gives the
        interpreter lock back for each row, and the two threads then wait on each other.)"""
        count = len(columns[0])
        if not count:
            return
        if self.vendor == "postgresql":
            self._open_copy().write(self._copy_text(columns))
        else:
            self._insert_rows(columns)
        self.count += count

    def add_arrow(self, table: Any) -> None:
        """One batch as an Arrow table with the columns of ``add`` (importing/arrow.py): PostgreSQL
        takes it as COPY text written by Arrow, SQLite as rows."""
        count = table.num_rows
        if not count:
            return
        if self.vendor == "postgresql":
            self._open_copy().write(self._arrow_copy_text(table))
        else:
            self._insert_rows([column.to_pylist() for column in table.columns])
        self.count += count

    def _insert_rows(self, columns: Sequence[Sequence[Any]]) -> None:
        """SQLite: the batch through the insert (or upsert) prepared for this import."""
        with connection.cursor() as cursor:
            self._changed += cursor.connection.executemany(self._sql, zip(*columns, strict=True)).rowcount

    def _arrow_copy_text(self, table: Any) -> bytes:
        """COPY's text format, written by Arrow's CSV writer without quotes: backslashes and tabs
        escaped first, NULL as \\N. A batch with a double quote in a value (the writer refuses it)
        is written by ``_copy_text``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        count = table.num_rows
        columns = list(table.columns)
        # Every text value comes from the raw row: no backslash or tab there, none anywhere.
        escapes = _TEXT_COLUMNS if pc.any(pc.match_substring_regex(columns[12], r"[\\\t]")).as_py() else ()
        for index in escapes:
            values = columns[index]
            if pc.any(pc.match_substring(values, "\\")).as_py():
                values = pc.replace_substring(values, "\\", "\\\\")
            if pc.any(pc.match_substring(values, "\t")).as_py():
                values = pc.replace_substring(values, "\t", "\\t")
            columns[index] = values
        columns[7] = pc.fill_null(columns[7], "\\N")
        names = [f"c{index}" for index in range(len(columns) + 4)]
        full = pa.table([pa.array([int(self._source)] * count, pa.int64()),
                         pa.array([int(self._job)] * count, pa.int64()), *columns,
                         pa.array([self._hash] * count, pa.string()), pa.array([""] * count, pa.string())],
                        names=names)
        sink = pa.BufferOutputStream()
        try:
            pcsv.write_csv(full, sink, pcsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none"))
        except pa.ArrowInvalid:
            plain = [column.to_pylist() for column in table.columns]
            return self._copy_text(plain).encode()
        return bytes(sink.getvalue().to_pybytes())

    def _open_copy(self) -> Any:
        """The import's COPY (text format), started on first use and open until ``finish``."""
        if self._copy is None:
            target = self._table if self.first else STAGE
            self._cursor = connection.cursor()
            raw_cursor = self._cursor.cursor
            self._copy_block = raw_cursor.copy(f"COPY {target} ({', '.join(_COPIED)}) FROM STDIN",
                                               writer=QueuedLibpqWriter(raw_cursor))
            self._copy = self._copy_block.__enter__()
        return self._copy

    def _copy_text(self, columns: Sequence[Sequence[Any]]) -> str:
        """The batch in COPY's text format. Text columns are escaped only when one of their values
        holds a backslash, tab or line break."""
        out: list[Sequence[Any]] = list(columns)
        out[7] = [value or "\\N" for value in columns[7]]  # birth_date: ISO or NULL
        out[8] = list(map(_BOOLEAN.__getitem__, columns[8]))
        for index in _TEXT_COLUMNS:
            joined = "".join(columns[index])
            if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
                out[index] = [value.translate(_COPY_ESCAPES) for value in columns[index]]
        count = len(out[0])
        lines = map("\t".join, zip(repeat(self._source, count), repeat(self._job, count), *out,
                                   repeat(self._hash, count), repeat("", count), strict=True))  # link_method: empty
        return "\n".join(lines) + "\n"

    def _end_copy(self, error: BaseException | None = None) -> None:
        if self._copy_block is None:
            return
        block, cursor = self._copy_block, self._cursor
        self._copy_block = self._copy = self._cursor = None
        try:
            if error is None:
                block.__exit__(None, None, None)
            else:
                block.__exit__(type(error), error, error.__traceback__)
        finally:
            cursor.close()

    def finish(self) -> tuple[int, int, int]:
        """End the writing; (created, updated, unchanged)."""
        self._end_copy()
        if self.first:
            return self.count, 0, 0
        table, source_id = self._table, self._source_id
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(f"SELECT count(*) FROM {table} WHERE source_id = %s", [source_id])
                created = cursor.fetchone()[0] - self._before
                return created, self._changed - created, self.count - self._changed
            # Unchanged rows leave the stage first: ON CONFLICT would lock (and so write) each of them
            # even when its WHERE is false.
            cursor.execute(f"DELETE FROM {STAGE} s USING {table} r WHERE r.source_id = %s "
                           "AND r.source_key = s.source_key AND r.row_hash = s.row_hash AND r.raw = s.raw",
                           [source_id])
            copied = ", ".join(_COPIED)
            cursor.execute(f"WITH up AS (INSERT INTO {table} ({copied}, created_at, updated_at) "
                           f"SELECT {copied}, now(), now() FROM {STAGE} {_upsert_tail(table)} "
                           "RETURNING (xmax = 0) AS inserted) "
                           "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up")
            created, updated = cursor.fetchone()
        return created, updated, self.count - created - updated

    def close(self, error: BaseException | None = None) -> None:
        """Abort an open COPY (on error) and restore SQLite's page cache. Always call."""
        try:
            self._end_copy(error or RuntimeError("import stopped"))
        finally:
            if self._cache_size is not None:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
                self._cache_size = None
