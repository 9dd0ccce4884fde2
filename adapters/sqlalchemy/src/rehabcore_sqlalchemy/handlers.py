"""SqlHandlerCheckpoints: subscriptions' checkpoints in the event store's own database.

The SQL back-end of :mod:`rehabcore.integration.handlers`.

A batch runs in one transaction: the subscription's checkpoint row is locked (SQLite: the write lock of
``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT … FOR UPDATE`` on the row, so two followers of the same
subscription take turns and followers of different ones do not wait for each other), compared with the
position the batch was read after, the handler is called with the transaction's ``Connection``, and the
checkpoint moves. Whatever the handler writes on that connection commits with the checkpoint or not at all.

Given ``connection=``, batches run inside the caller's transaction instead, committed when the caller
commits (a host that catches its outbox up in the same unit of work as a command).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from rehabcore.errors import StoreError
from rehabcore.integration.handlers import Subscription, events_of
from rehabcore.projections.base import (
    BatchItem,
    CheckpointConflict,
    CheckpointMovedBackwards,
    Projection,
    check_position,
)
from rehabcore.store import EventStore
from rehabcore_sqlalchemy.schema import handler_checkpoints as table
from rehabcore_sqlalchemy.store import SqlEventStore


class SqlHandlerCheckpoints:
    """Handler checkpoints in ``rehabcore_handler_checkpoint`` (schema version 4 of the event store)."""

    def __init__(self, store: SqlEventStore, *, connection: sa.Connection | None = None) -> None:
        self._store = store
        self._connection = connection

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        if self._connection is not None:
            conn = self._connection
            with conn.begin_nested() if conn.in_transaction() else conn.begin():
                yield conn
            return
        try:
            with self._store.transaction() as conn:
                yield conn
        except sa_exc.DBAPIError as exc:
            raise StoreError(f"handler checkpoint store failed: {type(exc.orig).__name__}") from exc

    def _locked(self, conn: sa.Connection, name: str) -> int:
        """The checkpoint of ``name``, its row created if missing and locked until the transaction ends."""
        backend = conn.dialect.name
        insert = (postgresql.insert if backend == "postgresql" else sqlite.insert)(table)
        conn.execute(insert.values(name=name, position=0).on_conflict_do_nothing(index_elements=["name"]))
        query = sa.select(table.c.position).where(table.c.name == name)
        if backend == "postgresql":
            query = query.with_for_update()
        return int(conn.execute(query).scalar_one())

    def checkpoint(self, name: str) -> int:
        query = sa.select(table.c.position).where(table.c.name == name)
        if self._connection is not None:
            found = self._connection.execute(query).scalar()
        else:
            with self._store.engine.connect() as conn:
                found = conn.execute(query).scalar()
        return int(found or 0)

    def record_checkpoint(self, name: str, position: int) -> None:
        check_position(name, position)
        with self._transaction() as conn:
            stored = self._locked(conn, name)
            if position < stored:
                raise CheckpointMovedBackwards(name, stored, position)
            conn.execute(table.update().where(table.c.name == name).values(position=position))

    def apply(
        self, projection: Projection[Any, Any], batch: Sequence[BatchItem], *, after: int, up_to: int
    ) -> None:
        check_position(projection.name, up_to)
        if not isinstance(projection, Subscription):
            raise StoreError("a handler checkpoint store runs Subscriptions only")
        with self._transaction() as conn:
            stored = self._locked(conn, projection.name)
            if stored != after:
                raise CheckpointConflict(projection.name, after, stored)
            if up_to < stored:
                raise CheckpointMovedBackwards(projection.name, stored, up_to)
            if batch:
                projection.handle(events_of(batch), conn)
            if up_to != stored:
                conn.execute(table.update().where(table.c.name == projection.name).values(position=up_to))

    def reset(self, projection: Projection[Any, Any]) -> None:
        """Forget the checkpoint: every event is delivered again (consumers are idempotent)."""
        with self._transaction() as conn:
            conn.execute(table.delete().where(table.c.name == projection.name))

    def values(self, projection: Projection[Any, Any]) -> Iterator[Any]:
        return iter(())

    def close(self) -> None:
        """Nothing to release: the engine is the event store's."""


def for_store(store: EventStore) -> SqlHandlerCheckpoints | None:
    """Entry point (``rehabcore.handler_checkpoints``): checkpoints beside the events of a SQL store."""
    from rehabcore_sqlalchemy.joined import JoinedStore

    if isinstance(store, SqlEventStore):
        return SqlHandlerCheckpoints(store)
    if isinstance(store, JoinedStore):
        return SqlHandlerCheckpoints(store.store, connection=store.connection)
    return None
