"""SqlEventStore: the rehabcore event store on SQLAlchemy 2, for any :class:`~.dialects.Dialect`.

It behaves exactly as :class:`rehabcore.memory.InMemoryStore` (the oracle): appends are all-or-nothing,
serialised by the dialect's lock, positions are ``max + 1`` inside that lock (so they have no gaps and
follow commit order), and every event is hash-chained inside the append transaction.

SQLAlchemy owns the engine, the pool and the schema; the per-call work runs precompiled SQL on the pooled
driver connection (see :mod:`.dialects` for why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import ConcurrencyError, InvalidInput
from rehabcore.store import (
    GENESIS_HASH,
    AppendResult,
    StoredEvent,
    StreamWrite,
    check_writes,
    event_hash,
    utc_now,
)
from rehabcore_sqlalchemy.dialects import Dialect, Head, Known
from rehabcore_sqlalchemy.schema import upgrade


class SqlEventStore:
    """An :class:`~rehabcore.store.EventStore` in one SQL table; safe for threads and several processes."""

    def __init__(
        self, engine: sa.Engine, dialect: Dialect, clock: Callable[[], dt.datetime] = utc_now
    ) -> None:
        self._engine = engine
        self._dialect = dialect
        self._clock = clock
        self._sql = dialect.sql
        self._dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        self._integrity_error: type[Exception] = engine.dialect.loaded_dbapi.IntegrityError
        with self._connect(write=True) as conn:
            upgrade(conn)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for projections that keep read models in the same database."""
        return self._engine

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
        fairy = self._engine.raw_connection()
        try:
            with self._dialect.session(fairy.driver_connection) as dbapi:
                yield dbapi
        except self._dbapi_error as exc:
            wrapped = sa_exc.DBAPIError.instance(None, None, exc, self._dbapi_error)
            assert isinstance(wrapped, sa_exc.DBAPIError)
            if self._engine.dialect.is_disconnect(exc, fairy, None):  # type: ignore[arg-type]
                fairy.invalidate(exc)
            raise self._dialect.translate(wrapped) from exc
        finally:
            fairy.close()

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Append atomically to one or more streams (see :class:`rehabcore.store.EventStore`)."""
        check_writes(writes)
        if not writes:
            return []
        dialect = self._dialect
        dialect.check_values(writes)
        id_param = dialect.id_param
        ids = [id_param(e.event_id) for w in writes for e in w.events]
        stream_ids = [w.stream_id for w in writes]
        with self._raw() as dbapi:
            try:
                with dialect.append_transaction(dbapi) as tx:
                    heads, known, position = tx.read(stream_ids, ids)
                    now = self._clock().astimezone(dt.UTC)
                    stamp = dialect.time_param(now)
                    rows: list[tuple[Any, ...]] = []
                    results: list[AppendResult] = []
                    for write, head in zip(writes, heads, strict=True):
                        retry, version, last_hash = _plan(write, head, known, id_param)
                        if retry is None:
                            retry = _rows(rows, write, version, last_hash, position, now, stamp, id_param)
                            position += len(write.events)
                        results.append(retry)
                    if rows:
                        tx.insert(rows)
            except self._integrity_error as exc:
                # Reachable only if some writer bypassed the append lock; the unique keys still hold.
                clash = next(w for w in writes if w.events)
                raise ConcurrencyError(clash.stream_id, clash.expected_version, -1) from exc
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
        """Events of one stream in version order (newest first with ``backwards``); ``[]`` if missing."""
        _check_limit(limit)
        params: list[Any] = [stream_id, after_version]
        if up_to_version is not None:
            params.append(up_to_version)
        if limit is not None:
            params.append(limit)
        sql = self._sql.read_stream(up_to_version is not None, backwards, limit is not None)
        with self._raw() as dbapi:
            rows = self._dialect.query(dbapi, sql, params)
        stored = self._dialect.stored
        return [stored(row) for row in rows]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event above position ``after``, in order; streamed, so memory stays flat on big stores."""
        _check_limit(limit)
        wanted = None if types is None else list(types)
        return self._dialect.scan(self._raw, after, limit, wanted)

    def head_position(self) -> int:
        """The highest position a reader can see now (0 for an empty store)."""
        with self._raw() as dbapi:
            [(top,)] = self._dialect.query(dbapi, self._sql.max_position, ())
        return int(top or 0)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


def _plan(
    write: StreamWrite, head: Head | None, known: Known, id_param: Callable[[Any], Any]
) -> tuple[AppendResult | None, int, bytes]:
    """Check one write; return its earlier result if it is a retry, else the stream's head."""
    version, last_hash, last_position = head if head is not None else (0, GENESIS_HASH, 0)
    if not write.events:
        return AppendResult(write.stream_id, version, last_position), version, last_hash
    if known:
        mine = [known.get(id_param(e.event_id)) for e in write.events]
        if all(m is not None for m in mine):
            first_version = mine[0][1]  # type: ignore[index]
            if all(m[:2] == (write.stream_id, first_version + n) for n, m in enumerate(mine)):  # type: ignore[index]
                _, last_version, position = mine[-1]  # type: ignore[misc]
                return AppendResult(write.stream_id, last_version, position), version, last_hash
        if any(m is not None for m in mine):
            raise ConcurrencyError(write.stream_id, write.expected_version, version)
    if write.expected_version is not None and write.expected_version != version:
        raise ConcurrencyError(write.stream_id, write.expected_version, version)
    return None, version, last_hash


def _rows(
    rows: list[tuple[Any, ...]],
    write: StreamWrite,
    version: int,
    previous: bytes,
    position: int,
    now: dt.datetime,
    stamp: Any,
    id_param: Callable[[Any], Any],
) -> AppendResult:
    """Add the rows of one write to ``rows``, each hash chained to the one before it in its stream."""
    stream_id = write.stream_id
    for new in write.events:
        version += 1
        position += 1
        previous = event_hash(
            previous,
            stream_id,
            version,
            new.event_id,
            new.type,
            new.schema_version,
            new.data,
            new.metadata,
            now,
        )
        rows.append(
            (
                position,
                stream_id,
                version,
                id_param(new.event_id),
                new.type,
                new.schema_version,
                new.data,
                new.metadata,
                stamp,
                previous,
            )
        )
    return AppendResult(stream_id, version, position)


def _check_limit(limit: int | None) -> None:
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInput("limit", "must be None or a count >= 0")
