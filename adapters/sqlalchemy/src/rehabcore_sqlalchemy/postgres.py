"""PostgreSQL through psycopg 3.

Readers must never skip an event that commits later with a lower position. Appends are therefore
serialised with a transaction-scoped advisory lock (``pg_advisory_xact_lock``) taken before the stream
heads are read: positions are ``max + 1`` under the lock, so they are assigned in commit order and a
snapshot always sees a gap-free prefix. PostgreSQL makes a transaction visible before it releases its
locks, so the next writer's statements, which start after it got the lock, see the previous commit.

An append costs two round trips, in psycopg's pipeline mode: (1) ``BEGIN``, the lock, every stream head,
the already stored ids and the top position, sent together and executed by the server in that order (each
read is its own statement at READ COMMITTED, so it starts after the lock is granted); (2) the insert and
``COMMIT``. Single reads run in autocommit, one round trip each.

``read_all`` uses a server-side cursor, so replaying a large store runs in constant memory.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa

from rehabcore.errors import PayloadRejected
from rehabcore.store import StoredEvent, StreamWrite
from rehabcore_sqlalchemy.dialects import COLUMNS, Dialect, Head, Known
from rehabcore_sqlalchemy.schema import EVENTS
from rehabcore_sqlalchemy.store import SqlEventStore

#: The advisory lock key every rehabcore append takes (a constant; "rehabcor" in ASCII).
APPEND_LOCK_KEY = 0x7265686162636F72

#: Rows per round trip of ``read_all``'s server-side cursor.
ITERSIZE = 200

_LOCK = f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
_KNOWN = f"SELECT event_id, stream_id, version, position FROM {EVENTS} WHERE event_id = ANY(%s)"
_UTC = dt.UTC
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE


class PostgresDialect(Dialect):
    """Advisory-lock serialised appends and streamed reads on PostgreSQL."""

    placeholder = "%s"

    def __init__(self) -> None:
        super().__init__()
        self._scan_sql = {
            (typed, limited): f"SELECT {COLUMNS} FROM {EVENTS} WHERE position > %s"
            + (" AND type = ANY(%s)" if typed else "")
            + " ORDER BY position"
            + (" LIMIT %s" if limited else "")
            for typed in (False, True)
            for limited in (False, True)
        }

    def create_engine(self, url: sa.URL) -> sa.Engine:
        """A pooled psycopg engine at READ COMMITTED, the isolation this ordering argument needs."""
        return sa.create_engine(url, isolation_level="READ COMMITTED", pool_size=10, max_overflow=20)

    @contextmanager
    def write_transaction(self, conn: sa.Connection) -> Iterator[None]:
        """Begin, then wait for the store-wide advisory lock; it is released at commit or rollback."""
        with conn.begin():
            conn.exec_driver_sql(_LOCK)
            yield

    def check_values(self, writes: Iterable[StreamWrite]) -> None:
        """PostgreSQL text cannot hold the NUL character; refuse rather than strip it."""
        super().check_values(writes)
        for write in writes:
            if "\x00" in write.stream_id:
                raise PayloadRejected("stream_id: PostgreSQL text cannot hold the NUL character")
            if any("\x00" in event.type for event in write.events):
                raise PayloadRejected("type: PostgreSQL text cannot hold the NUL character")

    # --- the hot path: psycopg in autocommit mode while checked out, explicit transactions --------------

    def id_param(self, event_id: uuid.UUID) -> uuid.UUID:
        """psycopg sends and reads ``uuid`` natively."""
        return event_id

    def time_param(self, moment: dt.datetime) -> dt.datetime:
        """psycopg sends an aware datetime as ``timestamptz``."""
        return moment

    def stored(self, row: Sequence[Any]) -> StoredEvent:
        """A row as a stored event, ``recorded_at`` in UTC whatever the session's TimeZone."""
        position, stream_id, version, event_id, type_, schema_version, data, metadata, at, digest = row
        if at.tzinfo is not _UTC:
            at = at.astimezone(_UTC)
        return StoredEvent(
            position, stream_id, version, event_id, type_, schema_version, data, metadata, at, digest
        )

    @contextmanager
    def session(self, dbapi: Any) -> Iterator[Any]:
        """Autocommit while checked out (transactions are explicit); as SQLAlchemy left it on return."""
        dbapi.autocommit = True
        try:
            yield dbapi
        finally:
            if dbapi.pgconn.transaction_status != _IDLE and not dbapi.closed:
                dbapi.execute("ROLLBACK")
            if not dbapi.closed:
                dbapi.autocommit = False

    @contextmanager
    def append_transaction(self, dbapi: Any) -> Iterator[_PgAppend]:
        """In one pipeline: BEGIN and the lock, then the reads (round trip 1), the insert and COMMIT (2).

        On any failure the pipeline is left and :meth:`session` rolls back what is still open.
        """
        with dbapi.pipeline():
            cur = dbapi.cursor()
            cur.execute(_BEGIN)
            cur.execute(_LOCK)
            yield _PgAppend(dbapi, self.sql.head, self.sql.max_position, self.sql.insert)
            cur.execute("COMMIT")

    def query(self, dbapi: Any, sql: str, params: Sequence[Any]) -> list[Any]:
        """One statement in autocommit: one round trip."""
        return dbapi.cursor(binary=True).execute(sql, params).fetchall()  # type: ignore[no-any-return]

    def scan(
        self,
        checkout: Callable[[], AbstractContextManager[Any]],
        after: int,
        limit: int | None,
        types: list[str] | None,
    ) -> Iterator[StoredEvent]:
        """A server-side cursor in one read transaction, ``ITERSIZE`` rows per round trip."""
        if types is not None and not types:
            return
        params: list[Any] = [after]
        if types is not None:
            params.append(types)
        if limit is not None:
            params.append(limit)
        sql = self._scan_sql[(types is not None, limit is not None)]
        stored = self.stored
        with checkout() as dbapi:
            dbapi.execute(_BEGIN)
            cursor = dbapi.cursor(name=f"rehabcore_read_all_{uuid.uuid4().hex}", binary=True)
            cursor.itersize = ITERSIZE
            try:
                cursor.execute(sql, params)
                for row in cursor:
                    yield stored(row)
            finally:
                cursor.close()
            dbapi.execute("COMMIT")


class _PgAppend:
    """The reads and the insert of one append, queued in the connection's pipeline."""

    def __init__(self, dbapi: Any, head_sql: str, top_sql: str, insert_sql: str) -> None:
        self.dbapi, self.head_sql, self.top_sql, self.insert_sql = dbapi, head_sql, top_sql, insert_sql

    def read(self, stream_ids: Sequence[str], ids: Sequence[Any]) -> tuple[list[Head | None], Known, int]:
        """Every read queued behind the lock, then fetched: one round trip for all of them."""
        cursor = self.dbapi.cursor
        head_cursors = []
        for stream_id in stream_ids:
            head_cursor = cursor(binary=True)
            head_cursor.execute(self.head_sql, (stream_id,))
            head_cursors.append(head_cursor)
        known_cursor = cursor(binary=True)
        known_cursor.execute(_KNOWN, (list(ids),))
        top_cursor = cursor(binary=True)
        top_cursor.execute(self.top_sql)
        heads: list[Head | None] = [c.fetchone() for c in head_cursors]
        known: Known = {
            event_id: (stream_id, version, position)
            for event_id, stream_id, version, position in known_cursor.fetchall()
        }
        (top,) = top_cursor.fetchone()
        return heads, known, top or 0

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Queued; it runs, and any key clash surfaces, when the pipeline syncs at COMMIT."""
        self.dbapi.cursor().executemany(self.insert_sql, rows)


def open_postgresql_store(url: str) -> SqlEventStore:
    """Entry point for ``postgresql+psycopg://user@host/db`` URLs; creates or upgrades the schema."""
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver this adapter ships for; SQLAlchemy's bare default is psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    dialect = PostgresDialect()
    return SqlEventStore(dialect.create_engine(parsed), dialect)
