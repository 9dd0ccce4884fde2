"""SqlEventStore: the rehabcore event store on SQLAlchemy 2, for any :class:`~.dialects.Dialect`.

It behaves exactly as :class:`rehabcore.memory.InMemoryStore` (the oracle): appends are all-or-nothing,
serialised by the dialect's lock, positions are ``max + 1`` inside that lock (so they have no gaps and
follow commit order), and every event is hash-chained inside the append transaction.

SQLAlchemy owns the engine, the pool and the schema; the per-call work runs precompiled SQL on the pooled
driver connection (see :mod:`.dialects` for why).

Embedding (``docs/embedding.md``): the engine may be the application's own (the dialect installs its hooks
on it or refuses it), :meth:`SqlEventStore.using` runs appends and reads inside a transaction the caller
owns, ``create=False`` never writes DDL, and a call that meets a dropped connection (a restarted server) is
tried once more on a fresh one: ``append``, ``read_stream`` and ``head_position`` are idempotent, an append
because its event ids are (``read_all`` streams pages and is not repeated mid-stream).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import ConcurrencyError, StoreError
from rehabcore.observability import traced_append
from rehabcore.rows import AuditRow
from rehabcore.store import (
    GENESIS_HASH,
    AppendResult,
    StoredEvent,
    StreamWrite,
    check_read_all,
    check_writes,
    utc_now,
)
from rehabcore_sqlalchemy.dialects import AppendTransaction, Dialect, engine_options
from rehabcore_sqlalchemy.errors import require_store
from rehabcore_sqlalchemy.grouping import Ticket
from rehabcore_sqlalchemy.planning import plan as _plan
from rehabcore_sqlalchemy.planning import rows as _rows
from rehabcore_sqlalchemy.planning import stream_read_params
from rehabcore_sqlalchemy.schema import check_schema, upgrade

if TYPE_CHECKING:
    from rehabcore_sqlalchemy.joined import JoinedStore
    from rehabcore_sqlalchemy.waking import Waker

T = TypeVar("T")

#: Stream heads remembered for the one-round-trip append; the cache is emptied when it grows past this.
_HEADS_MAX = 100_000


class ConnectionDropped(StoreError):
    """The database connection broke mid-call (a server restart, a network cut); nothing was written.

    The store has already tried the call once more on a fresh connection when this reaches the caller.
    """


def dialect_for(engine: sa.Engine) -> Dialect:
    """The dialect for an engine's back-end, or a StoreError naming the back-ends there are."""
    name = engine.dialect.name
    if name == "sqlite":
        from rehabcore_sqlalchemy.sqlite import SqliteDialect

        return SqliteDialect()
    if name == "postgresql":
        from rehabcore_sqlalchemy.postgres import PostgresDialect

        return PostgresDialect()
    raise StoreError(f"no rehabcore event store for the {name} back-end; use SQLite or PostgreSQL")


class SqlEventStore:
    """An :class:`~rehabcore.store.EventStore` in one SQL table; safe for threads and several processes.

    ``engine`` may be one the application made: the dialect (found from the engine when not given)
    installs its connection settings on it, or refuses it with a :class:`~rehabcore.errors.StoreError`
    saying what is missing. ``clock`` sets ``recorded_at`` (tests, imports). With ``create=False`` the
    schema must already be at this adapter's version: nothing is created or upgraded, and a missing or
    older schema is a StoreError that says to run ``rehabcore db upgrade``.
    """

    def __init__(
        self,
        engine: sa.Engine,
        dialect: Dialect | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        *,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        dialect = dialect_for(engine) if dialect is None else dialect
        dialect.install(engine)
        self._engine = engine
        self._dialect = dialect
        self._clock = clock
        self._sql = dialect.sql
        #: Stream id → (version, hash) of the head this store last wrote there (see _append_guarded).
        self._heads: dict[str, tuple[int, bytes]] = {}
        #: The pooled connection queued appends are written through, the process and the pool it was taken in.
        self._writer: tuple[Any, int, Any] = (None, 0, None)
        self._dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        self._integrity_error: type[Exception] = engine.dialect.loaded_dbapi.IntegrityError
        dialect.url = engine.url
        #: Opened for reading only: no DDL, and a database without rehabcore's tables is refused (#14).
        self.read_only = read_only
        if read_only:
            with self._connect(write=False) as conn:
                require_store(conn)
        elif create:
            with self._connect(write=True) as conn:
                upgrade(conn)
        else:
            with self._connect(write=False) as conn:
                check_schema(conn)

    @classmethod
    def from_url(
        cls,
        url: str,
        dialect: Dialect,
        *,
        create: bool = True,
        clock: Callable[[], dt.datetime] = utc_now,
        read_only: bool = False,
        **pool: Any,
    ) -> SqlEventStore:
        """A store on a new engine for ``url``; pool options from the URL's query or ``pool``."""
        parsed, options = engine_options(sa.make_url(url), pool)
        missing = not parsed.database or not Path(parsed.database).exists()
        if not create and parsed.get_backend_name() == "sqlite" and missing:
            # Connecting would create an empty file: refuse before that, so nothing is made.
            raise StoreError(
                "no SQLite database at that path; create it with `rehabcore db upgrade --store URL` "
                "or open it with create=True"
            )
        engine = dialect.create_engine(parsed, **options)
        try:
            return cls(engine, dialect, clock, create=create, read_only=read_only)
        except BaseException:
            engine.dispose()
            raise

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for projections that keep read models in the same database."""
        return self._engine

    @property
    def dialect(self) -> Dialect:
        """What differs between back-ends (see :mod:`.dialects`)."""
        return self._dialect

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The clock that sets ``recorded_at``."""
        return self._clock

    def using(self, connection: sa.Connection) -> JoinedStore:
        """This store inside a transaction the caller owns: appends and reads run on ``connection``.

        Whatever the caller writes on the connection and the events appended through the returned store
        commit or roll back together, when the caller ends its transaction. See :mod:`.joined`.
        """
        from rehabcore_sqlalchemy.joined import JoinedStore

        return JoinedStore(self, connection)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A connection in a transaction that can append (``BEGIN IMMEDIATE`` on SQLite), committed when
        the block ends and rolled back when it raises: for the application's rows and ``using(conn)``."""
        with self._connect(write=True) as conn:
            yield conn

    def waker(self) -> Waker:
        """Something a follower sleeps on between polls: woken by new events where the back-end can
        announce them (PostgreSQL LISTEN/NOTIFY), a plain sleep elsewhere. See :mod:`.waking`."""
        from rehabcore_sqlalchemy.waking import waker_for

        return waker_for(self)

    def forget_heads(self, stream_ids: Iterable[str]) -> None:
        """Drop remembered heads (a joined append may yet roll back): the next append reads them."""
        for stream_id in stream_ids:
            self._heads.pop(stream_id, None)

    def _once_more(self, call: Callable[[], T]) -> T:
        """``call()``, and once more if the connection dropped: every call of this store is idempotent."""
        try:
            return call()
        except ConnectionDropped:
            self._heads.clear()
            return call()

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sa.Connection]:
        """A Core connection, inside the append lock when ``write``; driver errors leave as rehabcore's."""
        try:
            with self._engine.connect() as conn:
                if write:
                    with self._dialect.write_transaction(conn):
                        yield conn
                else:
                    yield conn
        except sa_exc.DBAPIError as exc:
            raise self._dialect.translate(exc) from exc

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        """A pooled driver connection for the hot path; driver errors leave as rehabcore errors."""
        try:
            fairy = self._engine.raw_connection()
        except sa_exc.DBAPIError as exc:
            raise self._dialect.translate(exc) from exc
        try:
            with self._dialect.session(fairy.driver_connection) as dbapi:
                yield dbapi
        except self._dbapi_error as exc:
            wrapped = sa_exc.DBAPIError.instance(None, None, exc, self._dbapi_error)
            assert isinstance(wrapped, sa_exc.DBAPIError)
            if self._engine.dialect.is_disconnect(exc, fairy, None):  # type: ignore[arg-type]
                # Every connection pooled before this one is as dead (a restarted server): retire them all,
                # as SQLAlchemy's own Connection does, so the retry gets a fresh one.
                self._engine.pool._invalidate(fairy, exc)  # this one too, if it is still open
                raise ConnectionDropped(
                    f"database connection lost: {type(exc).__name__}; nothing of the call was written"
                ) from exc
            raise self._dialect.translate(wrapped) from exc
        finally:
            fairy.close()

    @contextmanager
    def _queued_writer(self) -> Iterator[Any]:
        """The driver connection the leader of this store's append queue writes through (:mod:`.grouping`).

        Only the thread holding the queue writes, so one connection serves every append of the store: it is
        taken from the pool once and kept, since a checkout and the pool's reset on return cost more than
        the rest of a short append's Python. A process forked with it takes its own; after the engine's
        pool is disposed (new settings on its connections) it is closed and a new one taken; a dropped
        connection is retired (and the call tried once more, as through :meth:`_raw`); :meth:`close` returns
        it. Kept only where the pool can spare it (a queue pool of two or more, or no pooling): on a pool of
        one, or one connection per thread, each append checks one out as every other call does.
        """
        if not _can_keep_one(self._engine.pool):
            with self._raw() as dbapi:
                yield dbapi
            return
        fairy, pid, pool = self._writer
        if fairy is None or pid != os.getpid() or pool is not self._engine.pool:
            if fairy is not None and pid == os.getpid():
                fairy.close()
            # (A forked child leaves its parent's connection alone: closing it here could disturb the parent.)
            try:
                fairy = self._engine.raw_connection()
            except sa_exc.DBAPIError as exc:
                raise self._dialect.translate(exc) from exc
            self._writer = (fairy, os.getpid(), self._engine.pool)
        try:
            yield fairy.driver_connection
        except self._dbapi_error as exc:
            wrapped = sa_exc.DBAPIError.instance(None, None, exc, self._dbapi_error)
            assert isinstance(wrapped, sa_exc.DBAPIError)
            if self._engine.dialect.is_disconnect(exc, fairy, None):  # type: ignore[arg-type]
                self._writer = (None, 0, None)
                self._engine.pool._invalidate(fairy, exc)
                raise ConnectionDropped(
                    f"database connection lost: {type(exc).__name__}; nothing of the call was written"
                ) from exc
            raise self._dialect.translate(wrapped) from exc

    @traced_append
    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Append atomically to one or more streams (see :class:`rehabcore.store.EventStore`)."""
        check_writes(writes)
        if not writes:
            return []
        return self._once_more(lambda: self._append(writes))

    def _append(self, writes: tuple[StreamWrite, ...]) -> list[AppendResult]:
        dialect = self._dialect
        dialect.check_values(writes)
        groups = dialect.append_groups()
        if groups is not None:
            # Queued with this process's other appends to the file, and committed with those that queued
            # meanwhile (see rehabcore_sqlalchemy.grouping); the same answer as alone.
            return groups.submit(self, writes, self._append_group, dialect.queue_timeout_s())
        with self._raw() as dbapi:
            if dialect.guarded_appends:
                fast = self._append_guarded(dbapi, writes)
                if fast is not None:
                    return fast
            try:
                with dialect.append_transaction(dbapi) as tx:
                    results, written = self._write(tx, writes)
            except self._integrity_error as exc:
                raise _clash(writes) from exc
        self._remember_heads(written)
        return results

    def _write(
        self, tx: AppendTransaction, writes: tuple[StreamWrite, ...]
    ) -> tuple[list[AppendResult], list[tuple[AppendResult, bytes]]]:
        """One append's reads, plan and insert inside an open append transaction."""
        dialect = self._dialect
        id_param = dialect.id_param
        ids = [id_param(e.event_id) for w in writes for e in w.events]
        heads, known, position = tx.read([w.stream_id for w in writes], ids)
        now = self._clock().astimezone(dt.UTC)
        stamp = dialect.time_param(now)
        rows: list[tuple[Any, ...]] = []
        results: list[AppendResult] = []
        written: list[tuple[AppendResult, bytes]] = []
        for write, head in zip(writes, heads, strict=True):
            retry, version, last_hash = _plan(write, head, known, id_param)
            if retry is None:
                retry, last_hash = _rows(rows, write, version, last_hash, position, now, stamp, id_param)
                position += len(write.events)
                written.append((retry, last_hash))
            results.append(retry)
        if rows:
            tx.insert(rows)
        return results, written

    def _append_group(self, group: Sequence[Ticket]) -> None:
        """Queued appends in one transaction and one commit, each in a savepoint: a conflict (or a key clash)
        rolls back its own append only, and its caller gets the error it would have got alone."""
        with self._queued_writer() as dbapi, self._dialect.append_transaction(dbapi) as tx:
            if len(group) == 1:  # alone: exactly the single append above
                try:
                    group[0].results, group[0].written = self._write(tx, group[0].writes)
                except self._integrity_error as exc:
                    raise _clash(group[0].writes) from exc
            else:
                for ticket in group:
                    dbapi.execute("SAVEPOINT rehabcore_append")
                    try:
                        ticket.results, ticket.written = self._write(tx, ticket.writes)
                    except (ConcurrencyError, self._integrity_error) as exc:
                        dbapi.execute("ROLLBACK TO SAVEPOINT rehabcore_append")
                        ticket.error = exc if isinstance(exc, ConcurrencyError) else _clash(ticket.writes)
                        ticket.results, ticket.written = None, []
                    dbapi.execute("RELEASE SAVEPOINT rehabcore_append")
        for ticket in group:
            self._remember_heads(ticket.written)

    def _append_guarded(self, dbapi: Any, writes: tuple[StreamWrite, ...]) -> list[AppendResult] | None:
        """The one-round-trip append, when every stream's head is known: from this store's own last append
        to it, or ``expected_version=0`` (a new stream).

        The rows are hash-chained on the assumed heads and inserted by one statement that first checks, under
        the append lock, that every head is still the assumed one (version and hash); positions are given by
        the server (top + n). ``None`` when the fast path does not apply or its check failed (nothing was
        written): the caller then runs the full append, which says why (conflict, idempotent retry).
        """
        heads = self._heads
        assumed: list[tuple[int, bytes | None]] = []
        for write in writes:
            if not write.events:
                return None
            head = heads.get(write.stream_id)
            if head is None:
                if write.expected_version != 0:
                    return None
                assumed.append((0, None))
            else:
                if write.expected_version is not None and write.expected_version != head[0]:
                    return None
                assumed.append(head)
        dialect = self._dialect
        id_param = dialect.id_param
        now = self._clock().astimezone(dt.UTC)
        stamp = dialect.time_param(now)
        rows: list[tuple[Any, ...]] = []
        relative: list[tuple[AppendResult, bytes]] = []
        position = 0
        for write, (version, last_hash) in zip(writes, assumed, strict=True):
            relative.append(
                _rows(rows, write, version, last_hash or GENESIS_HASH, position, now, stamp, id_param)
            )
            position += len(write.events)
        guards = [
            (w.stream_id, version, last_hash) for w, (version, last_hash) in zip(writes, assumed, strict=True)
        ]
        try:
            top = dialect.guarded_append(dbapi, guards, rows)
        except self._integrity_error:
            top = None  # an id already stored: a retry or a conflict, which the full append tells apart
        if top is None:
            for write in writes:
                heads.pop(write.stream_id, None)
            return None
        written = [
            (AppendResult(result.stream_id, result.version, top + result.position), last_hash)
            for result, last_hash in relative
        ]
        self._remember_heads(written)
        return [result for result, _ in written]

    def _remember_heads(self, written: list[tuple[AppendResult, bytes]]) -> None:
        """Keep the heads this store just wrote, for :meth:`_append_guarded`."""
        if not self._dialect.guarded_appends:
            return
        heads = self._heads
        if len(heads) > _HEADS_MAX:
            heads.clear()
        for result, last_hash in written:
            heads[result.stream_id] = (result.version, last_hash)

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Events of one stream in version order (newest first with ``backwards``); ``[]`` if missing."""
        params = stream_read_params(stream_id, after_version, up_to_version, limit)
        sql = self._sql.read_stream(up_to_version is not None, backwards, limit is not None)

        def read() -> list[Any]:
            with self._raw() as dbapi:
                return self._dialect.query(dbapi, sql, params)

        stored = self._dialect.stored
        return [stored(row) for row in self._once_more(read)]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event above position ``after``, in order; streamed, so memory stays flat on big stores."""
        wanted = check_read_all(after, limit, types)
        return self._dialect.scan(self._raw, after, limit, wanted)

    def head_position(self) -> int:
        """The highest position a reader can see now (0 for an empty store)."""

        def read() -> int:
            with self._raw() as dbapi:
                [(top,)] = self._dialect.query(dbapi, self._sql.max_position, ())
            return int(top or 0)

        return self._once_more(read)

    def audit_rows(self, *, stream_id: str | None = None) -> Iterator[AuditRow]:
        """Every row (of one stream) for ``verify``, read defensively (see :mod:`.audit_rows`)."""
        from rehabcore_sqlalchemy.audit_rows import audit_rows

        return audit_rows(self, stream_id)

    def close(self) -> None:
        """Close every pooled connection."""
        fairy, pid, _ = self._writer
        self._writer = (None, 0, None)
        if fairy is not None and pid == os.getpid():
            fairy.close()
        self._engine.dispose()


def _can_keep_one(pool: sa.Pool) -> bool:
    """Whether a store may keep one of ``pool``'s connections checked out for its appends."""
    if isinstance(pool, sa.pool.NullPool):
        return True
    if type(pool) is not sa.pool.QueuePool:
        return False  # one connection per thread (SingletonThreadPool), one for all (StaticPool), or unknown
    overflow = pool._max_overflow
    return overflow < 0 or pool.size() + overflow >= 2


def _clash(writes: tuple[StreamWrite, ...]) -> ConcurrencyError:
    """A unique key refused the rows: reachable only if some writer bypassed the append lock."""
    clash = next(w for w in writes if w.events)
    return ConcurrencyError(clash.stream_id, clash.expected_version, -1)
