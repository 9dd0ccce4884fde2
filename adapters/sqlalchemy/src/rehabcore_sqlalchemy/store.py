"""SqlEventStore: the rehabcore event store on SQLAlchemy 2 Core, for any :class:`~.dialects.Dialect`.

It behaves exactly as :class:`rehabcore.memory.InMemoryStore` (the oracle): appends are all-or-nothing,
serialised by the dialect's lock, positions are ``max + 1`` inside that lock (so they have no gaps and
follow commit order), and every event is hash-chained inside the append transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

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
from rehabcore_sqlalchemy.dialects import Dialect
from rehabcore_sqlalchemy.schema import events, upgrade

_COLUMNS = (
    events.c.position,
    events.c.stream_id,
    events.c.version,
    events.c.event_id,
    events.c.type,
    events.c.schema_version,
    events.c.data,
    events.c.metadata,
    events.c.recorded_at,
    events.c.hash,
)


class SqlEventStore:
    """An :class:`~rehabcore.store.EventStore` in one SQL table; safe for threads and several processes."""

    def __init__(
        self, engine: sa.Engine, dialect: Dialect, clock: Callable[[], dt.datetime] = utc_now
    ) -> None:
        self._engine = engine
        self._dialect = dialect
        self._clock = clock
        with self._connect(write=True) as conn:
            upgrade(conn)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for projections that keep read models in the same database."""
        return self._engine

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sa.Connection]:
        """A connection, inside the append lock when ``write``; driver errors leave as rehabcore errors."""
        try:
            with self._engine.connect() as conn:
                if write:
                    with self._dialect.write_transaction(conn):
                        yield conn
                else:
                    yield conn
        except sa_exc.DBAPIError as exc:
            raise self._dialect.translate(exc) from exc

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Append atomically to one or more streams (see :class:`rehabcore.store.EventStore`)."""
        check_writes(writes)
        self._dialect.check_values(writes)
        with self._connect(write=True) as conn:
            plans = [self._plan(conn, write) for write in writes]
            position = conn.execute(sa.select(sa.func.max(events.c.position))).scalar_one() or 0
            now = self._clock().astimezone(dt.UTC)
            rows: list[dict[str, object]] = []
            results: list[AppendResult] = []
            for write, (retry, version, last_hash) in zip(writes, plans, strict=True):
                if retry is None:
                    retry = _rows(rows, write, version, last_hash, position, now)
                    position += len(write.events)
                results.append(retry)
            if rows:
                try:
                    conn.execute(events.insert(), rows)
                except sa_exc.IntegrityError as exc:
                    # Reachable only if some writer bypassed the append lock; the unique keys still hold.
                    clash, (_, seen, _) = next(
                        pair for pair in zip(writes, plans, strict=True) if pair[0].events
                    )
                    raise ConcurrencyError(clash.stream_id, clash.expected_version, seen) from exc
            return results

    def _plan(self, conn: sa.Connection, write: StreamWrite) -> tuple[AppendResult | None, int, bytes]:
        """Check one write; return its earlier result if it is a retry, else the stream's head."""
        head = conn.execute(
            sa.select(events.c.version, events.c.hash, events.c.position)
            .where(events.c.stream_id == write.stream_id)
            .order_by(events.c.version.desc())
            .limit(1)
        ).first()
        version, last_hash, last_position = head if head is not None else (0, GENESIS_HASH, 0)
        if not write.events:
            return AppendResult(write.stream_id, version, last_position), version, last_hash
        ids = [e.event_id for e in write.events]
        known: dict[uuid.UUID, tuple[str, int, int]] = {
            row.event_id: (row.stream_id, row.version, row.position)
            for row in conn.execute(
                sa.select(events.c.event_id, events.c.stream_id, events.c.version, events.c.position).where(
                    events.c.event_id.in_(ids)
                )
            )
        }
        if len(known) == len(ids):
            first_version = known[ids[0]][1]
            if all(known[i][:2] == (write.stream_id, first_version + n) for n, i in enumerate(ids)):
                _, last_version, position = known[ids[-1]]
                return AppendResult(write.stream_id, last_version, position), version, last_hash
        if known or (write.expected_version is not None and write.expected_version != version):
            raise ConcurrencyError(write.stream_id, write.expected_version, version)
        return None, version, last_hash

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
        query = sa.select(*_COLUMNS).where(events.c.stream_id == stream_id, events.c.version > after_version)
        if up_to_version is not None:
            query = query.where(events.c.version <= up_to_version)
        query = query.order_by(events.c.version.desc() if backwards else events.c.version)
        if limit is not None:
            query = query.limit(limit)
        with self._connect(write=False) as conn:
            return [_stored(row) for row in conn.execute(query).mappings()]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event above position ``after``, in order; streamed, so memory stays flat on big stores."""
        _check_limit(limit)
        query = sa.select(*_COLUMNS).where(events.c.position > after)
        if types is not None:
            query = query.where(events.c.type.in_(list(types)))
        query = query.order_by(events.c.position)
        if limit is not None:
            query = query.limit(limit)
        return self._stream(query)

    def _stream(self, query: sa.Select[tuple[object, ...]]) -> Iterator[StoredEvent]:
        with self._connect(write=False) as conn:
            result = conn.execution_options(**self._dialect.stream_options).execute(query)
            for row in result.mappings():
                yield _stored(row)

    def head_position(self) -> int:
        """The highest position a reader can see now (0 for an empty store)."""
        with self._connect(write=False) as conn:
            return int(conn.execute(sa.select(sa.func.max(events.c.position))).scalar_one() or 0)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


def _rows(
    rows: list[dict[str, object]],
    write: StreamWrite,
    version: int,
    previous: bytes,
    position: int,
    now: dt.datetime,
) -> AppendResult:
    """Add the rows of one write to ``rows``, each hash chained to the one before it in its stream."""
    for new in write.events:
        version += 1
        position += 1
        previous = event_hash(
            previous,
            write.stream_id,
            version,
            new.event_id,
            new.type,
            new.schema_version,
            new.data,
            new.metadata,
            now,
        )
        rows.append(
            {
                "position": position,
                "stream_id": write.stream_id,
                "version": version,
                "event_id": new.event_id,
                "type": new.type,
                "schema_version": new.schema_version,
                "data": new.data,
                "metadata": new.metadata,
                "recorded_at": now,
                "hash": previous,
            }
        )
    return AppendResult(write.stream_id, version, position)


def _check_limit(limit: int | None) -> None:
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInput("limit", "must be None or a count >= 0")


def _stored(m: sa.RowMapping) -> StoredEvent:
    return StoredEvent(
        position=int(m["position"]),
        stream_id=str(m["stream_id"]),
        version=int(m["version"]),
        event_id=m["event_id"],
        type=str(m["type"]),
        schema_version=int(m["schema_version"]),
        data=bytes(m["data"]),
        metadata=bytes(m["metadata"]),
        recorded_at=m["recorded_at"],
        hash=bytes(m["hash"]),
    )
