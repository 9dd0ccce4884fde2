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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import InvalidInput, PayloadRejected, StoreError
from rehabcore.store import StoredEvent, StreamWrite
from rehabcore_sqlalchemy.grouping import AppendGroups
from rehabcore_sqlalchemy.schema import EVENTS, VERSION_TABLE

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1

#: Every column, in the order the hot path selects and inserts them.
COLUMNS = "position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, hash"

#: A stream's head: (version, hash, position) of its newest event.
Head = tuple[int, bytes, int]
#: An already stored event id: (stream_id, version, position), keyed by the driver's spelling of the id.
Known = dict[Any, tuple[str, int, int]]


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise InvalidInput(name, "expected true or false")


def _count(least: int) -> Callable[[str, Any], int]:
    def parse(name: str, value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = least - 1
        if isinstance(value, bool) or number < least or (isinstance(value, float) and value != number):
            raise InvalidInput(name, f"expected a whole number >= {least}")
        return number

    return parse


def _seconds(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or not number > 0:
        raise InvalidInput(name, "expected a number of seconds > 0")
    return number


def _recycle(name: str, value: Any) -> int:
    number = _count(-1)(name, value)
    if number == 0:
        raise InvalidInput(name, "expected -1 (never) or a number of seconds > 0")
    return number


#: The pool settings a store URL may carry as query parameters (``?pool_size=2``) or ``open_store`` take as
#: keyword arguments; each is parsed and checked here and handed to SQLAlchemy, never to the driver.
POOL_OPTIONS: dict[str, Callable[[str, Any], Any]] = {
    "pool_size": _count(1),
    "max_overflow": _count(0),
    "pool_timeout": _seconds,
    "pool_recycle": _recycle,
    "pool_pre_ping": _flag,
    "pool_use_lifo": _flag,
}
#: Our defaults: a small pool per process. Every worker process has its own, so the server sees
#: ``workers × (pool_size + max_overflow)`` connections at most (docs/embedding.md, "Sizing the pool").
DEFAULT_POOL: dict[str, Any] = {"pool_size": 5, "max_overflow": 5}


def engine_options(url: sa.URL, options: Mapping[str, Any]) -> tuple[sa.URL, dict[str, Any]]:
    """The URL without its pool parameters, and the pool keyword arguments for ``sa.create_engine``.

    Keyword arguments win over the URL's query; anything else refused names the option. Without this the
    driver would be handed ``pool_size`` as a connection parameter and fail with a bare ProgrammingError.
    """
    chosen = dict(DEFAULT_POOL)
    for name, value in url.query.items():
        if name in POOL_OPTIONS:
            chosen[name] = POOL_OPTIONS[name](name, value[-1] if isinstance(value, tuple) else value)
    for name, value in options.items():
        if name not in POOL_OPTIONS:
            raise InvalidInput(name, f"not a store option; pool options are {', '.join(POOL_OPTIONS)}")
        chosen[name] = POOL_OPTIONS[name](name, value)
    return url.difference_update_query(POOL_OPTIONS), chosen


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
    def create_engine(self, url: sa.URL, **pool: Any) -> sa.Engine:
        """An engine configured for durable, serialised appends; ``pool`` from :func:`engine_options`."""

    #: The SQLAlchemy backend name (``engine.dialect.name``) this dialect serves.
    backend = ""

    def install(self, engine: sa.Engine) -> None:
        """Make an engine the application built fit for this store, or refuse it naming what is wrong.

        The default checks the back-end and that the engine does not autocommit (an append must be able to
        join the caller's transaction). Dialects add their connect hooks here.
        """
        if engine.dialect.name != self.backend:
            raise StoreError(
                f"a {type(self).__name__} needs a {self.backend} engine, got {engine.dialect.name}"
            )
        # create_engine(isolation_level=…) is kept on the dialect; execution_options(…) on the engine.
        level = engine.get_execution_options().get("isolation_level") or getattr(
            engine.dialect, "_on_connect_isolation_level", None
        )
        if level == "AUTOCOMMIT":
            raise StoreError(
                "the engine autocommits every statement; build it without isolation_level='AUTOCOMMIT' "
                "so that appends can join a transaction"
            )

    # --- joining the caller's transaction (rehabcore_sqlalchemy.joined) --------------------------------

    def joined_lock(self, dbapi: Any) -> None:
        """Take the append lock inside the caller's open transaction, held until it ends.

        The default is SQLite's: a write that changes nothing takes the database's one write lock (a
        deferred transaction that has only read so far would otherwise read heads another writer may move).
        """
        cur = dbapi.cursor()
        try:
            cur.execute(f"UPDATE {VERSION_TABLE} SET version = version WHERE 0 = 1")
        finally:
            cur.close()

    def joined(self, dbapi: Any) -> AppendTransaction:
        """The reads and the insert of an append inside the caller's transaction (no BEGIN, no COMMIT)."""
        return _CursorAppend(dbapi, self)

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

    def append_groups(self) -> AppendGroups | None:
        """The queue that groups this process's appends into shared transactions (:mod:`.grouping`), or
        ``None``: each append its own transaction (a server back-end, where the lock is the server's)."""
        return None

    def queue_timeout_s(self) -> float:
        """How long an append waits in :meth:`append_groups`' queue before giving up (the lock's patience)."""
        return 60.0

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


class _CursorAppend:
    """An append's reads and insert through plain DB-API cursors: a statement per head, chunks of ids."""

    def __init__(self, dbapi: Any, dialect: Dialect) -> None:
        self.dbapi, self.dialect = dbapi, dialect

    def read(self, stream_ids: Sequence[str], ids: Sequence[Any]) -> tuple[list[Head | None], Known, int]:
        sql, p = self.dialect.sql, self.dialect.placeholder
        cur = self.dbapi.cursor()
        try:
            heads: list[Head | None] = []
            for stream_id in stream_ids:
                cur.execute(sql.head, (stream_id,))
                row = cur.fetchone()
                heads.append(None if row is None else (row[0], row[1], row[2]))
            known: Known = {}
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ", ".join([p] * len(chunk))
                found = f"SELECT event_id, stream_id, version, position FROM {EVENTS} WHERE event_id IN "
                cur.execute(f"{found}({marks})", chunk)
                for event_id, stream_id, version, position in cur.fetchall():
                    known[event_id] = (stream_id, version, position)
            cur.execute(sql.max_position)
            (top,) = cur.fetchone()
            return heads, known, int(top or 0)
        finally:
            cur.close()

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        cur = self.dbapi.cursor()
        try:
            cur.executemany(self.dialect.sql.insert, rows)
        finally:
            cur.close()
