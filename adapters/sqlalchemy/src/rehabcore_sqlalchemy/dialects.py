"""What differs between back-ends, behind one small interface the store calls.

A :class:`Dialect` makes the engine, opens the write transaction with whatever lock serialises appends on
its back-end, refuses values the back-end cannot hold exactly, and translates driver errors into
rehabcore's errors. The store itself never names a driver.

SQLAlchemy builds the engine, the pool and the schema (:mod:`.schema`). The hot path (append, read_stream,
read_all, head_position) runs precompiled SQL text on the driver's own connection, checked out of the same
pool: building, caching and compiling a Core statement per call cost more than the database work itself.
A dialect therefore also says how its driver spells parameters, event ids and times, and how it runs an
append's reads and its insert in one transaction (:meth:`Dialect.append_transaction`).
"""

from __future__ import annotations

import abc
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import PayloadRejected, StoreError
from rehabcore.store import StoredEvent, StreamWrite
from rehabcore_sqlalchemy.schema import EVENTS

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1

#: Every column, in the order the hot path selects and inserts them.
COLUMNS = "position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, hash"

#: A stream's head: (version, hash, position) of its newest event.
Head = tuple[int, bytes, int]
#: An already stored event id: (stream_id, version, position), keyed by the driver's spelling of the id.
Known = dict[Any, tuple[str, int, int]]


class Sql:
    """The statements of the hot path, written once with the driver's placeholder."""

    def __init__(self, placeholder: str) -> None:
        p = placeholder
        self.p = p
        self.head = (
            f"SELECT version, hash, position FROM {EVENTS} WHERE stream_id = {p} "
            "ORDER BY version DESC LIMIT 1"
        )
        self.max_position = f"SELECT max(position) FROM {EVENTS}"
        self.insert = f"INSERT INTO {EVENTS} ({COLUMNS}) VALUES ({', '.join([p] * 10)})"
        self._stream: dict[tuple[bool, bool, bool], str] = {}

    def read_stream(self, up_to: bool, backwards: bool, limit: bool) -> str:
        """``SELECT`` of one stream's events after a version, optionally up to one, in either order."""
        key = (up_to, backwards, limit)
        sql = self._stream.get(key)
        if sql is None:
            p = self.p
            sql = f"SELECT {COLUMNS} FROM {EVENTS} WHERE stream_id = {p} AND version > {p}"
            if up_to:
                sql += f" AND version <= {p}"
            sql += " ORDER BY version DESC" if backwards else " ORDER BY version"
            if limit:
                sql += f" LIMIT {p}"
            self._stream[key] = sql
        return sql


class AppendTransaction(Protocol):
    """What an append does inside its transaction: one round of reads, then one insert."""

    def read(self, stream_ids: Sequence[str], ids: Sequence[Any]) -> tuple[list[Head | None], Known, int]:
        """Each stream's head (``None`` for a new stream), the already stored ids among ``ids``, and the
        highest position; all read under the append lock."""
        ...

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (in :data:`COLUMNS` order); the transaction commits when its block ends."""
        ...


class Dialect(abc.ABC):
    """One back-end's engine, write lock, value limits, error translation and driver spellings."""

    #: The driver's parameter placeholder (``?`` or ``%s``).
    placeholder = "?"
    #: Whether :meth:`guarded_append` is implemented (a round trip saved where round trips cost).
    guarded_appends = False

    def __init__(self) -> None:
        self.sql = Sql(self.placeholder)
        #: The store's URL, for messages that name the server (never its password).
        self.url: sa.URL | None = None

    @abc.abstractmethod
    def create_engine(self, url: sa.URL) -> sa.Engine:
        """An engine configured for durable, serialised appends."""

    @abc.abstractmethod
    @contextmanager
    def write_transaction(self, conn: sa.Connection) -> Iterator[None]:
        """A transaction on ``conn`` that holds the store-wide append lock until it ends.

        Appends are serialised so that positions are assigned in commit order: a reader that sees
        position ``p`` has already been able to see every position below ``p``. (Used for schema upgrades;
        appends take the same lock through :meth:`append_transaction`.)
        """

    def check_values(self, writes: Iterable[StreamWrite]) -> None:
        """Raise :class:`~rehabcore.errors.PayloadRejected` for values the back-end would not keep exactly.

        ``schema_version`` is a 32-bit INTEGER column on every SQL back-end.
        """
        for write in writes:
            for event in write.events:
                if not _INT32_MIN <= event.schema_version <= _INT32_MAX:
                    raise PayloadRejected("schema_version: must fit a 32-bit signed integer in a SQL store")

    def translate(self, exc: sa_exc.DBAPIError) -> StoreError:
        """Map a driver failure other than a key clash to a :class:`~rehabcore.errors.StoreError`.

        Messages name the cause (see :mod:`.errors`), never statement parameters, which may hold case data.
        """
        from rehabcore_sqlalchemy.errors import translate

        return translate(exc, self.url)

    # --- the hot path, on the driver's connection ------------------------------------------------------

    @abc.abstractmethod
    def id_param(self, event_id: uuid.UUID) -> Any:
        """An event id as the driver stores it."""

    @abc.abstractmethod
    def time_param(self, moment: dt.datetime) -> Any:
        """``recorded_at`` (aware UTC) as the driver stores it."""

    @abc.abstractmethod
    def stored(self, row: Sequence[Any]) -> StoredEvent:
        """A row of :data:`COLUMNS` as a :class:`~rehabcore.store.StoredEvent`."""

    @contextmanager
    def session(self, dbapi: Any) -> Iterator[Any]:
        """The driver connection prepared for the hot path; restored before it goes back to the pool."""
        yield dbapi

    @abc.abstractmethod
    def append_transaction(self, dbapi: Any) -> AbstractContextManager[AppendTransaction]:
        """The append transaction on ``dbapi``, under the store-wide append lock from its first read.

        Commits when the block ends normally; rolls back (nothing written) when it raises.
        """

    def guarded_append(
        self, dbapi: Any, guards: list[tuple[str, int, bytes | None]], rows: list[tuple[Any, ...]]
    ) -> int | None:
        """Insert ``rows`` and commit, in one transaction under the append lock, if and only if every
        ``(stream_id, version, hash)`` guard is still that stream's head (version 0 and hash ``None``: the
        stream has no events). Row positions are relative (1…n); the server adds the top position.

        Returns the top position the rows were placed above, or ``None`` if a guard failed (nothing written).
        A clash of event ids raises the driver's ``IntegrityError`` (nothing written).
        """
        raise NotImplementedError

    @abc.abstractmethod
    def query(self, dbapi: Any, sql: str, params: Sequence[Any]) -> list[Any]:
        """All rows of one read-only statement, run on its own (no transaction left open)."""

    @abc.abstractmethod
    def scan(
        self, checkout: Any, after: int, limit: int | None, types: list[str] | None
    ) -> Iterator[StoredEvent]:
        """``read_all``: events above ``after`` in position order, streamed in constant memory.

        ``checkout`` is a context manager factory yielding a prepared driver connection.
        """
