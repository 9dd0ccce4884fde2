"""JoinedStore: the event store inside a transaction the application owns.

``store.using(conn)`` appends and reads on the application's own SQLAlchemy ``Connection``, in whatever
transaction it has open there (one is begun, as SQLAlchemy's autobegin would, if none is). Nothing is
committed here: the application's rows and the events commit or roll back together when it ends its
transaction.

The promises of the store still hold. Before it reads a stream's head, an append takes the same append
lock as every other writer, inside the caller's transaction, and keeps it until that transaction ends:
SQLite's one write lock, taken by a write that changes nothing, or PostgreSQL's transaction-scoped advisory
lock. So positions are still ``max + 1`` under the lock and still follow commit order (no gaps for a
reader), and a stream that moved still raises :class:`~rehabcore.errors.ConcurrencyError`, which leaves the
caller's transaction usable (it is raised before anything is written).

Because the lock is held to the end of the caller's transaction, keep that transaction short: other
writers wait for it. On SQLite, a transaction that has only read so far cannot take the write lock once
another writer has committed since its first read (SQLite refuses, at once, rather than deadlock); begin it
with :meth:`SqlEventStore.transaction` (``BEGIN IMMEDIATE``) and this cannot happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import InvalidInput, StoreError
from rehabcore.store import AppendResult, StoredEvent, StreamWrite, check_writes
from rehabcore_sqlalchemy.planning import check_limit, plan, stream_read_params
from rehabcore_sqlalchemy.planning import rows as rows_for

if TYPE_CHECKING:
    from rehabcore_sqlalchemy.store import SqlEventStore


class JoinedStore:
    """An :class:`~rehabcore.store.EventStore` whose every call runs on one caller-owned connection.

    Lives as long as the caller's transaction; build a :class:`~rehabcore.Cases` on it per unit of work
    (``Cases(store.using(conn))``), since a rolled-back transaction leaves nothing a longer-lived cache
    could trust.
    """

    def __init__(self, store: SqlEventStore, connection: sa.Connection) -> None:
        if not isinstance(connection, sa.Connection):
            raise InvalidInput("connection", "expected a sqlalchemy Connection (engine.connect())")
        if connection.engine is not store.engine:
            # Another engine may lack the dialect's connection settings (SQLite's BEGIN, its pragmas).
            raise InvalidInput(
                "connection", "must come from the engine the store was built on (store.engine.connect())"
            )
        self.store = store
        self.connection = connection
        self._dialect = store.dialect
        loaded = store.engine.dialect.loaded_dbapi
        self._dbapi_error: type[Exception] = loaded.Error

    def _driver(self) -> Any:
        """The driver connection, inside the caller's transaction (begun now if none is open)."""
        conn = self.connection
        if conn.closed:
            raise StoreError("the connection given to store.using() is closed")
        if not conn.in_transaction():
            conn.begin()  # what SQLAlchemy's autobegin does; the caller commits it (conn.commit())
        return conn.connection.driver_connection

    @contextmanager
    def _translated(self) -> Iterator[Any]:
        dbapi = self._driver()
        try:
            yield dbapi
        except self._dbapi_error as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT":
                raise StoreError(
                    "this SQLite transaction read the database before another writer committed, so it "
                    "cannot write now: roll it back and retry, and begin it with store.transaction()"
                ) from exc
            wrapped = sa_exc.DBAPIError.instance(None, None, exc, self._dbapi_error)
            assert isinstance(wrapped, sa_exc.DBAPIError)
            raise self._dialect.translate(wrapped) from exc

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Append atomically, in the caller's transaction; committed (or not) when the caller ends it."""
        check_writes(writes)
        if not writes:
            return []
        dialect = self._dialect
        dialect.check_values(writes)
        id_param = dialect.id_param
        ids = [id_param(e.event_id) for w in writes for e in w.events]
        stream_ids = [w.stream_id for w in writes]
        # The store's remembered heads may be ours (rolled back later) or now stale: forget them either way.
        self.store.forget_heads(stream_ids)
        with self._translated() as dbapi:
            dialect.joined_lock(dbapi)
            tx = dialect.joined(dbapi)
            heads, known, position = tx.read(stream_ids, ids)
            now = self.store.clock().astimezone(dt.UTC)
            stamp = dialect.time_param(now)
            rows: list[tuple[Any, ...]] = []
            results: list[AppendResult] = []
            for write, head in zip(writes, heads, strict=True):
                done, version, last_hash = plan(write, head, known, id_param)
                if done is None:
                    done, _ = rows_for(rows, write, version, last_hash, position, now, stamp, id_param)
                    position += len(write.events)
                results.append(done)
            if rows:
                tx.insert(rows)
        return results

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """A stream's events as this transaction sees them (its own appends included)."""
        params = stream_read_params(stream_id, after_version, up_to_version, limit)
        sql = self._dialect.sql.read_stream(up_to_version is not None, backwards, limit is not None)
        with self._translated() as dbapi:
            rows = self._dialect.query(dbapi, sql, params)
        stored = self._dialect.stored
        return [stored(row) for row in rows]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event above ``after`` as this transaction sees them, in order."""
        check_limit(limit)
        wanted = None if types is None else list(types)
        checkout: Callable[[], AbstractContextManager[Any]] = self._translated
        return self._dialect.scan(checkout, after, limit, wanted)

    def head_position(self) -> int:
        """The highest position this transaction sees."""
        with self._translated() as dbapi:
            [(top,)] = self._dialect.query(dbapi, self._dialect.sql.max_position, ())
        return int(top or 0)

    def close(self) -> None:
        """Nothing to release: the connection and its transaction are the caller's."""
