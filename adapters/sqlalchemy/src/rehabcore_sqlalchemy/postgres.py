"""PostgreSQL through psycopg 3.

Readers must never skip an event that commits later with a lower position. Appends are therefore
serialised with a transaction-scoped advisory lock (``pg_advisory_xact_lock``) taken before the stream
heads are read: positions are ``max + 1`` under the lock, so they are assigned in commit order and a
snapshot always sees a gap-free prefix. PostgreSQL makes a transaction visible before it releases its
locks, so the next writer's statements, which start after it got the lock, see the previous commit.

An append costs two round trips, in psycopg's pipeline mode: (1) ``BEGIN``, the lock, and one statement
reading every stream head, the already stored ids and the top position, sent together and executed by the
server in that order (the read is its own statement at READ COMMITTED, so its snapshot is taken after the
lock is granted); (2) one ``INSERT … SELECT FROM unnest(…)`` of every row, ``NOTIFY rehabcore_events``
and ``COMMIT``. Single reads run in autocommit, one round trip each. The NOTIFY rides in the append's own
transaction, so followers LISTENing (:mod:`.waking`) hear of a commit and never of a rollback.

``read_all`` reads pages by position (``position > last … LIMIT n``), each one statement in autocommit
and about 4 MiB of event data, so replaying a large store runs in constant memory at one round trip per
page, and a reader following the log pays one round trip per poll.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa
from psycopg.adapt import Loader
from psycopg.pq import Format

from rehabcore.errors import PayloadRejected, StoreError
from rehabcore.store import StoredEvent, StreamWrite
from rehabcore.structuring import positional_builder
from rehabcore_sqlalchemy.dialects import COLUMNS, Dialect, Head, Known
from rehabcore_sqlalchemy.schema import EVENTS
from rehabcore_sqlalchemy.store import SqlEventStore

#: The advisory lock key every rehabcore append takes (a constant; "rehabcor" in ASCII).
APPEND_LOCK_KEY = 0x7265686162636F72

#: Bytes of event data per page of ``read_all`` (the page's row count follows from the page before).
PAGE_BYTES = 4 * 1024 * 1024
PAGE_MIN, PAGE_MAX = 100, 5000

_LOCK = f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"
_JOINED_LOCK = f"SELECT current_setting('transaction_isolation'), pg_advisory_xact_lock({APPEND_LOCK_KEY})"
#: The channel every append notifies at commit; followers LISTEN on it (:mod:`.waking`).
CHANNEL = "rehabcore_events"
#: Sent in the append's own transaction: PostgreSQL delivers it at commit, and never for a rollback.
_NOTIFY = f"NOTIFY {CHANNEL}"
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
#: What an append plans with, in one statement: kind 0 rows are the heads of the given streams (in their
#: order ``n``; NULLs for a new stream), kind 1 the already stored ids among the given ones, kind 2 the top.
_READ = f"""
SELECT 0, s.n, h.version, h.hash, h.position, NULL::uuid, NULL::text
  FROM unnest(%b::text[]) WITH ORDINALITY AS s(stream_id, n)
  LEFT JOIN LATERAL (
    SELECT version, hash, position FROM {EVENTS} e
     WHERE e.stream_id = s.stream_id ORDER BY e.version DESC LIMIT 1
  ) h ON true
UNION ALL
SELECT 1, NULL::bigint, version, NULL::bytea, position, event_id, stream_id
  FROM {EVENTS} WHERE event_id = ANY(%b::uuid[])
UNION ALL
SELECT 2, NULL::bigint, NULL::integer, NULL::bytea, max(position), NULL::uuid, NULL::text FROM {EVENTS}
"""
_GUARD_TYPES = ("text", "integer", "bytea")
#: The types of COLUMNS, in order.
_ROW_TYPES = (
    *("bigint", "text", "integer", "uuid", "text", "integer"),
    *("bytea", "bytea", "timestamptz", "bytea"),
)
#: Appends up to this size use VALUES lists of scalar parameters; larger ones one array per column.
_SCALAR_GUARDS, _SCALAR_ROWS = 4, 16


def _guarded_insert(guards: str, rows: str) -> str:
    """The one-round-trip append: insert every row (relative positions 1…n, placed above the top) only if
    every guarded stream's head is still (version, hash), or absent for (0, NULL). Returns (top, ok).

    ``guards`` and ``rows`` are the row sources: ``unnest`` over one array per column, or, for a small
    append, ``VALUES`` lists of scalars (see :func:`_scalar_guarded_insert`).
    """
    return f"""
WITH top AS (SELECT coalesce(max(position), 0) AS p FROM {EVENTS}),
ok AS (
  SELECT coalesce(
           bool_and(coalesce(h.version, 0) = g.version AND h.hash IS NOT DISTINCT FROM g.hash), true
         ) AS ok
    FROM {guards} AS g(stream_id, version, hash)
    LEFT JOIN LATERAL (
      SELECT e.version, e.hash FROM {EVENTS} e
       WHERE e.stream_id = g.stream_id ORDER BY e.version DESC LIMIT 1
    ) h ON true
),
ins AS (
  INSERT INTO {EVENTS} ({COLUMNS})
  SELECT top.p + r.position, r.stream_id, r.version, r.event_id, r.type, r.schema_version, r.data,
         r.metadata, r.recorded_at, r.hash
    FROM {rows}
         AS r(position, stream_id, version, event_id, type, schema_version, data, metadata,
              recorded_at, hash),
         top, ok
   WHERE ok.ok
  RETURNING 1
)
SELECT top.p, ok.ok FROM top, ok
"""


def _arrays(types: Sequence[str]) -> str:
    return "unnest(" + ", ".join(f"%b::{t}[]" for t in types) + ")"


def _values(n: int, types: Sequence[str]) -> str:
    row = "(" + ", ".join(f"%b::{t}" for t in types) + ")"
    return "(VALUES " + ", ".join([row] * n) + ")"


#: Every row of an append in one statement, a column per array.
_INSERT = f"INSERT INTO {EVENTS} ({COLUMNS}) SELECT * FROM {_arrays(_ROW_TYPES)}"
_GUARDED_INSERT = _guarded_insert(_arrays(_GUARD_TYPES), _arrays(_ROW_TYPES))


def _scalar_guarded_insert(n_guards: int, n_rows: int) -> str:
    """:data:`_GUARDED_INSERT` with ``VALUES`` lists instead of ``unnest`` over arrays.

    Why: psycopg finds an array's element dumper by walking the list for every array of every call, and
    a command's append (thirteen arrays of one or two elements) spent more on that than on its scalars.
    """
    return _guarded_insert(_values(n_guards, _GUARD_TYPES), _values(n_rows, _ROW_TYPES))


_UTC = dt.UTC
#: ``StoredEvent(...)`` slot by slot: a row is read per event, and replay is mostly reading rows.
_stored_event = positional_builder(StoredEvent)
_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=_UTC)
_DELTA = dt.timedelta
_from_bytes = int.from_bytes


class _UtcTimestampLoader(Loader):
    """``timestamptz`` in binary (microseconds since 2000-01-01 UTC) straight to a UTC ``datetime``.

    psycopg's own loader gives the session's time zone (``Etc/UTC`` is a ``ZoneInfo``, not ``dt.UTC``), and
    turning every row's time into UTC cost more than the rest of building its :class:`StoredEvent`. The
    events of one append share their time, so the last one is reused (a datetime is immutable). Registered
    on the store's own read cursors only, never on the connection: a host's engine reads as it did.
    """

    format = Format.BINARY
    _last: tuple[int, dt.datetime] = (-(1 << 63), _PG_EPOCH)

    def load(self, data: Any) -> dt.datetime:
        micros = _from_bytes(data, "big", signed=True)
        last, at = self._last
        if micros != last:
            at = _PG_EPOCH + _DELTA(0, 0, micros)  # (days, seconds, microseconds)
            self._last = (micros, at)
        return at


def _rows(dbapi: Any) -> Any:
    """A binary cursor whose ``timestamptz`` columns read as UTC (:class:`_UtcTimestampLoader`)."""
    cursor = dbapi.cursor(binary=True)
    cursor.adapters.register_loader("timestamptz", _UtcTimestampLoader)
    return cursor


_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE


class PostgresDialect(Dialect):
    """Advisory-lock serialised appends and streamed reads on PostgreSQL."""

    placeholder = "%s"
    guarded_appends = True

    def __init__(self) -> None:
        super().__init__()
        self._scan_sql = {
            typed: f"SELECT {COLUMNS} FROM {EVENTS} WHERE position > %s"
            + (" AND type = ANY(%s)" if typed else "")
            + " ORDER BY position LIMIT %s"
            for typed in (False, True)
        }
        self._scalar_sql: dict[tuple[int, int], str] = {}

    backend = "postgresql"

    def create_engine(self, url: sa.URL, **pool: Any) -> sa.Engine:
        """A pooled psycopg engine at READ COMMITTED, the isolation this ordering argument needs."""
        engine = sa.create_engine(url, isolation_level="READ COMMITTED", **pool)
        self.install(engine)
        return engine

    def install(self, engine: sa.Engine) -> None:
        """Refuse an engine on another driver: the hot path speaks psycopg 3 (pipelines, binary rows)."""
        super().install(engine)
        if engine.dialect.driver != "psycopg":
            raise StoreError(
                f"rehabcore's PostgreSQL store needs the psycopg (3) driver, the engine uses "
                f"{engine.dialect.driver}: build it from a postgresql+psycopg:// URL"
            )

    def joined_lock(self, dbapi: Any) -> None:
        """The append lock inside the caller's transaction, which must be READ COMMITTED.

        At REPEATABLE READ or SERIALIZABLE the transaction's snapshot may predate the lock, and the heads
        and top position read under it could be stale; refuse, saying so, rather than risk it.
        """
        row = dbapi.execute(_JOINED_LOCK).fetchone()
        if row[0] != "read committed":
            raise StoreError(
                f"an append can join only a READ COMMITTED transaction; this one is {row[0]}: "
                "begin the application's transaction at READ COMMITTED (PostgreSQL's default)"
            )

    def joined(self, dbapi: Any) -> _PgAppend:
        """Heads, known ids and the top in one statement, then the insert and a notification."""
        return _PgAppend(dbapi)

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
        """A row as a stored event (read through :func:`_rows`, so ``recorded_at`` is already UTC)."""
        return _stored_event(*row)

    @contextmanager
    def session(self, dbapi: Any) -> Iterator[Any]:
        """Autocommit while checked out (transactions are explicit); as SQLAlchemy left it on return."""
        dbapi.autocommit = True
        try:
            yield dbapi
        finally:
            if dbapi.pgconn.transaction_status != _IDLE and not dbapi.closed:
                dbapi.rollback()  # not a plain ROLLBACK: psycopg forgets its prepared statements
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
            yield _PgAppend(dbapi)
            cur.execute("COMMIT")

    def guarded_append(
        self, dbapi: Any, guards: list[tuple[str, int, bytes | None]], rows: list[tuple[Any, ...]]
    ) -> int | None:
        """BEGIN, the lock, one checked ``INSERT`` and COMMIT in one pipeline: one round trip."""
        if len(guards) <= _SCALAR_GUARDS and len(rows) <= _SCALAR_ROWS:
            key = (len(guards), len(rows))
            sql = self._scalar_sql.get(key)
            if sql is None:
                sql = self._scalar_sql[key] = _scalar_guarded_insert(*key)
            params: list[Any] = [value for guard in guards for value in guard]
            params += [value for row in rows for value in row]
        else:
            sql = _GUARDED_INSERT
            params = [list(column) for column in zip(*guards, strict=True)]
            params += [list(column) for column in zip(*rows, strict=True)]
        try:
            with dbapi.pipeline():
                cur = dbapi.cursor()
                cur.execute(_BEGIN)
                cur.execute(_LOCK)
                guarded = dbapi.cursor(binary=True)
                guarded.execute(sql, params)
                cur.execute(_NOTIFY)
                cur.execute("COMMIT")
        except BaseException:
            if dbapi.pgconn.transaction_status != _IDLE:
                dbapi.rollback()  # not a plain ROLLBACK: psycopg forgets its prepared statements
            raise
        top, ok = guarded.fetchone()
        return int(top) if ok else None

    def query(self, dbapi: Any, sql: str, params: Sequence[Any]) -> list[Any]:
        """One statement in autocommit: one round trip."""
        return _rows(dbapi).execute(sql, params).fetchall()  # type: ignore[no-any-return]

    def scan(
        self,
        checkout: Callable[[], AbstractContextManager[Any]],
        after: int,
        limit: int | None,
        types: list[str] | None,
    ) -> Iterator[StoredEvent]:
        """Pages by position, each one statement in autocommit (one round trip), sized by their bytes.

        A page holds about :data:`PAGE_BYTES` of event data (between :data:`PAGE_MIN` and :data:`PAGE_MAX`
        rows, learnt from the page before), so memory stays flat whatever the events' size, and a replay of
        ordinary events costs one round trip per few thousand of them.
        """
        if types is not None and not types:
            return
        sql = self._scan_sql[types is not None]
        stored = self.stored
        page, left = PAGE_MIN, limit
        while left is None or left > 0:
            size = page if left is None else min(page, left)
            params: list[Any] = [after] if types is None else [after, types]
            params.append(size)
            with checkout() as dbapi:
                rows = _rows(dbapi).execute(sql, params).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            # The next page's size is a guess from this one's rows; about 64 of them are enough to make it.
            sample = rows[:: max(1, len(rows) // 64)]
            volume = sum(len(row[6]) + len(row[7]) for row in sample) // len(sample) + 200
            page = max(PAGE_MIN, min(PAGE_MAX, PAGE_BYTES // volume))
            for row in rows:
                yield stored(row)
            if len(rows) < size:
                return
            if left is not None:
                left -= len(rows)
            del rows


class _PgAppend:
    """The reads and the insert of one append, each one statement, queued in the connection's pipeline."""

    def __init__(self, dbapi: Any) -> None:
        self.dbapi = dbapi

    def read(self, stream_ids: Sequence[str], ids: Sequence[Any]) -> tuple[list[Head | None], Known, int]:
        """Heads, known ids and the top position in one statement, queued behind the lock: one round trip."""
        rows = self.dbapi.cursor(binary=True).execute(_READ, (list(stream_ids), list(ids))).fetchall()
        heads: list[Head | None] = [None] * len(stream_ids)
        known: Known = {}
        top = 0
        for kind, n, version, digest, position, event_id, stream_id in rows:
            if kind == 0:
                if version is not None:
                    heads[n - 1] = (version, digest, position)
            elif kind == 1:
                known[event_id] = (stream_id, version, position)
            else:
                top = position or 0
        return heads, known, top

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """One ``INSERT … SELECT FROM unnest(…)``; it runs, and a key clash surfaces, when COMMIT syncs."""
        self.dbapi.cursor(binary=True).execute(_INSERT, [list(column) for column in zip(*rows, strict=True)])
        self.dbapi.execute(_NOTIFY)


def open_postgresql_store(url: str, **options: Any) -> SqlEventStore:
    """Entry point for ``postgresql+psycopg://user@host/db`` URLs; creates or upgrades the schema unless
    ``create=False``; ``clock`` and pool options (``pool_size=…``, also as URL query parameters) pass on;
    ``read_only=True`` checks that the store exists instead and writes no DDL (#14)."""
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver this adapter ships for; SQLAlchemy's bare default is psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return SqlEventStore.from_url(parsed.render_as_string(hide_password=False), PostgresDialect(), **options)
