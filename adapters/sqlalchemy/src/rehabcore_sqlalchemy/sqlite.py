"""SQLite: the embedded default. One file, safe for several threads and several processes.

Settings, applied to every connection (``docs/adapters.md`` says why in more words):

* ``journal_mode=WAL``: readers never block the writer and the writer never blocks readers.
* ``synchronous=FULL``: every committed append is fsynced before ``append`` returns, so a power cut
  loses nothing that was acknowledged (WAL's default NORMAL may lose the last commits).
* ``busy_timeout``: a writer waits for another process's write lock instead of failing at once.
* ``BEGIN IMMEDIATE`` for appends: the write lock is taken before the stream is read, so two processes
  cannot both plan against the same head and then collide at commit (a deferred BEGIN would upgrade a
  read lock and fail with SQLITE_BUSY mid-transaction).
* Appends of one process queue on a lock of their own per database file before ``BEGIN IMMEDIATE``, and
  the appends that queued together are committed together, each in a savepoint (:mod:`.grouping`):
  SQLite's busy handler made waiting threads sleep and poll, and every append paid its own flush.
* Processes queue on an OS file lock (``flock`` on ``<file>-rehabcore-lock``, where ``fcntl`` exists) before
  ``BEGIN IMMEDIATE``: the next one is woken when the lock is let go instead of polling in the busy handler.
  SQLite's lock stays the guard; the file lock only orders the waiting (:mod:`.grouping`).

``read_all`` reads in pages by position (``position > last … LIMIT n``), one row at a time, each page its
own short read: a replay of any size runs in constant memory and never keeps the WAL from a checkpoint.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import DecodeError, InvalidInput, NotAStore, StoreError
from rehabcore.store import StoredEvent
from rehabcore.structuring import positional_builder
from rehabcore_sqlalchemy.dialects import COLUMNS, Dialect, Head, Known
from rehabcore_sqlalchemy.errors import translate
from rehabcore_sqlalchemy.grouping import AppendGroups, FileLock, append_groups
from rehabcore_sqlalchemy.schema import EVENTS
from rehabcore_sqlalchemy.store import SqlEventStore

#: How long (ms) an append waits for another writer's lock before giving up with StoreError.
BUSY_TIMEOUT_MS = 60_000

#: Rows per page of ``read_all``.
PAGE = 1000
#: Event ids per ``IN (…)`` look-up (SQLite's parameter limit is far above this).
ID_CHUNK = 500

_WRITE = "rehabcore_write"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_UUID, _UNKNOWN = uuid.UUID, uuid.SafeUUID.unknown
_new, _set = object.__new__, object.__setattr__
_DELTA = dt.timedelta
#: ``StoredEvent(...)`` slot by slot: a row is read per event, and replay is mostly reading rows.
_stored_event = positional_builder(StoredEvent)


class SqliteDialect(Dialect):
    """WAL, synchronous=FULL, busy_timeout and BEGIN IMMEDIATE on a file database."""

    placeholder = "?"

    def __init__(self, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, read_only: bool = False) -> None:
        super().__init__()
        self.busy_timeout_ms = busy_timeout_ms
        self.read_only = read_only
        self._known_sql: dict[int, str] = {}
        self._one_stream_sql: dict[int, str] = {}
        self._scan_sql: dict[tuple[bool, int], str] = {}
        self._groups: tuple[AppendGroups | None, int] = (None, -1)
        self._last_stamp: tuple[Any, dt.datetime] = (None, _EPOCH)
        self._without_file_lock = False

    backend = "sqlite"

    def create_engine(self, url: sa.URL, **pool: Any) -> sa.Engine:
        """An engine whose connections carry the pragmas and leave BEGIN to us."""
        _check_file(url)
        engine = self._read_only_engine(url, **pool) if self.read_only else sa.create_engine(url, **pool)
        self.install(engine)
        return engine

    def install(self, engine: sa.Engine) -> None:
        """The pragmas and our BEGIN on an engine made elsewhere; idle connections made without them go."""
        super().install(engine)
        _check_file(engine.url)
        if sa.event.contains(engine, "begin", _on_begin):
            return  # already installed (another store on the same engine)
        sa.event.listen(engine, "connect", self._on_connect)
        sa.event.listen(engine, "begin", _on_begin)
        engine.dispose()

    def _read_only_engine(self, url: sa.URL, **pool: Any) -> sa.Engine:
        """SQLite opened with ``mode=ro``: it cannot write the file, whatever a statement asks.

        On read-only media, or in a directory this process may not write, SQLite could not keep the
        shared-memory file a WAL reader needs; there the file is opened ``immutable`` (nobody can be
        writing it there either), so an archived copy reads as it is.
        """
        path = Path(url.database or "").resolve()
        if not path.is_file():
            raise NotAStore(f"no file {path}")
        for option, value in url.query.items():
            # The file is opened here, not by SQLAlchemy: its options are read here too.
            if option != "timeout":
                raise InvalidInput("url", f"option {option!r} is not used when a SQLite store is read")
            try:
                seconds = float(value if isinstance(value, str) else value[-1])
            except ValueError:
                raise InvalidInput("url", "option 'timeout' expects seconds, e.g. ?timeout=5") from None
            if not 0 <= seconds <= 86_400:
                raise InvalidInput("url", "option 'timeout' expects seconds from 0 to 86400")
            self.busy_timeout_ms = int(seconds * 1000)
        uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if _archived(path) else "")

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, check_same_thread=False)

        # The URL names the file (for messages and checks); the creator is what opens it, read only.
        return sa.create_engine(url.set(query={}), creator=connect, **pool)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        # pysqlite would otherwise issue its own deferred BEGIN at the first write; we issue ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            if self.read_only:
                # No journal-mode switch and no checkpoint: a reader leaves the file as it found it.
                cursor.execute("PRAGMA query_only=1")
                return
            _switch_to_wal(cursor, self.busy_timeout_ms)
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @contextmanager
    def write_transaction(self, conn: sa.Connection) -> Iterator[None]:
        """BEGIN IMMEDIATE: SQLite's single write lock is the append lock."""
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield

    def translate(self, exc: sa_exc.DBAPIError) -> StoreError:
        """The cause, named (see :mod:`.errors`); a lock held past busy_timeout says for how long."""
        return translate(exc, self.url, self.busy_timeout_ms)

    # --- the hot path: sqlite3 in autocommit mode, explicit BEGIN IMMEDIATE for appends ---------------

    def id_param(self, event_id: uuid.UUID) -> str:
        """32 hex digits, as SQLAlchemy's ``Uuid`` type keeps it on SQLite (``CHAR(32)``)."""
        return event_id.hex

    def time_param(self, moment: dt.datetime) -> int:
        """Integer microseconds since the epoch (see :class:`~.schema.UtcTimestamp`)."""
        return (moment - _EPOCH) // _MICROSECOND

    def stored(self, row: Sequence[Any]) -> StoredEvent:
        """A row as a stored event: the id back to a UUID, the microseconds back to an aware time."""
        position, stream_id, version, event_id, type_, schema_version, data, metadata, at, digest = row
        try:
            if len(event_id) == 32:
                # uuid.UUID(hex=event_id) for the 32 digits this store writes, without its generic clean-up.
                parsed = _new(_UUID)
                _set(parsed, "int", int(event_id, 16))
                _set(parsed, "is_safe", _UNKNOWN)
            else:
                parsed = uuid.UUID(hex=event_id)  # not what we write: the standard parser, and its error
            # The events of one append share their time, and a datetime is immutable: the last one is reused.
            last_at, recorded_at = self._last_stamp
            if at != last_at or type(at) is not int:
                # (days, seconds, microseconds): positional is ~1/3 cheaper
                recorded_at = _EPOCH + _DELTA(0, 0, at)
                self._last_stamp = (at, recorded_at)  # one tuple: threads never see half of it
        except (TypeError, ValueError, OverflowError):
            # A column altered behind the store's back (text where a number belongs, a time out of range).
            raise DecodeError(
                "stored row", f"the row at position {position} cannot be read; `rehabcore verify` names why"
            ) from None
        return _stored_event(
            position, stream_id, version, parsed, type_, schema_version, data, metadata, recorded_at, digest
        )

    @contextmanager
    def append_transaction(self, dbapi: Any) -> Iterator[_SqliteAppend]:
        """BEGIN IMMEDIATE (SQLite's one write lock is the append lock) … COMMIT, fsynced (FULL).

        The store calls it with this file's append queue held (:meth:`append_groups`); the queue of the
        processes appending to the file (:class:`~.grouping.FileLock`) is taken first, where there is one."""
        file_lock = self._take_file_lock()
        try:
            dbapi.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteAppend(dbapi, self)
            except BaseException:
                dbapi.rollback()
                raise
            dbapi.commit()
        finally:
            if file_lock is not None:
                file_lock.release()

    def _take_file_lock(self) -> FileLock | None:
        """The processes' queue on this file, taken; ``None`` where there is none (no ``fcntl``, or a side
        file this process cannot make: then SQLite's busy handler alone, as before)."""
        groups = self.append_groups()
        file_lock = groups.file_lock if groups is not None else None
        if file_lock is None or self._without_file_lock:
            return None
        try:
            file_lock.acquire()
        except OSError:
            self._without_file_lock = True
            return None
        return file_lock

    def queue_timeout_s(self) -> float:
        """The busy timeout: a writer of this process holding the queue that long is as stuck as another
        process holding SQLite's lock, and the waiting append gets the same error."""
        return self.busy_timeout_ms / 1000

    def append_groups(self) -> AppendGroups | None:
        """This file's append queue in this process (:mod:`.grouping`); read-only stores have none."""
        groups, pid = self._groups
        if pid != os.getpid():  # first use, or a forked child (which must not inherit a held lock)
            groups = append_groups((self.url.database if self.url is not None else None) or "")
            self._groups = groups, os.getpid()
        return groups

    def known_sql(self, n: int) -> str:
        """The look-up of ``n`` event ids."""
        sql = self._known_sql.get(n)
        if sql is None:
            sql = (
                f"SELECT event_id, stream_id, version, position FROM {EVENTS} "
                f"WHERE event_id IN ({', '.join('?' * n)})"
            )
            self._known_sql[n] = sql
        return sql

    def one_stream_sql(self, n: int) -> str:
        """An append's reads for one stream and ``n`` event ids, one statement (``_SqliteAppend.read``)."""
        sql = self._one_stream_sql.get(n)
        if sql is None:
            sql = (
                f"SELECT 0, h.version, h.hash, h.position, (SELECT max(position) FROM {EVENTS}) "
                f"FROM (SELECT 1) LEFT JOIN ({self.sql.head}) AS h "
                f"UNION ALL SELECT 1, event_id, stream_id, version, position FROM {EVENTS} "
                f"WHERE event_id IN ({', '.join('?' * n)})"
            )
            self._one_stream_sql[n] = sql
        return sql

    def query(self, dbapi: Any, sql: str, params: Sequence[Any]) -> list[Any]:
        """One statement in its own implicit read transaction."""
        return dbapi.execute(sql, params).fetchall()  # type: ignore[no-any-return]

    def scan(
        self,
        checkout: Callable[[], AbstractContextManager[Any]],
        after: int,
        limit: int | None,
        types: list[str] | None,
    ) -> Iterator[StoredEvent]:
        """Pages by position, each one statement (one short read) on a pooled connection.

        Rows are fetched one at a time, so memory stays flat whatever the events' size, and no read
        transaction outlives its page, so a long replay never keeps the WAL from being checkpointed.
        """
        if types is not None and not types:
            return
        sql = self._scan(len(types) if types is not None else -1)
        stored = self.stored
        left = limit
        while left is None or left > 0:
            page = PAGE if left is None else min(PAGE, left)
            seen = 0
            with checkout() as dbapi:
                cursor = dbapi.execute(sql, (after, *(types or ()), page))
                try:
                    for row in cursor:
                        seen += 1
                        after = row[0]
                        yield stored(row)
                finally:
                    cursor.close()
            if seen < page:
                return
            if left is not None:
                left -= seen

    def _scan(self, n_types: int) -> str:
        key = (n_types >= 0, n_types)
        sql = self._scan_sql.get(key)
        if sql is None:
            where = "position > ?"
            if n_types >= 0:
                where += f" AND type IN ({', '.join('?' * n_types)})"
            sql = f"SELECT {COLUMNS} FROM {EVENTS} WHERE {where} ORDER BY position LIMIT ?"
            self._scan_sql[key] = sql
        return sql


def _archived(path: Path) -> bool:
    """Whether the file or its directory cannot be written (read-only media, no permission), or nobody is
    meant to write it (no write permission bit at all, which even root's ``access`` check ignores)."""
    return any(not os.access(p, os.W_OK) or not p.stat().st_mode & 0o222 for p in (path, path.parent))


def _switch_to_wal(cursor: Any, timeout_ms: int) -> None:
    """``PRAGMA journal_mode=WAL``, retried while another connection holds the lock it needs.

    Switching a new file to WAL takes an exclusive lock, and SQLite may refuse at once (without the busy
    handler) when several processes open a fresh database together.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class _SqliteAppend:
    """The reads and the insert of one append, inside BEGIN IMMEDIATE."""

    def __init__(self, dbapi: Any, dialect: SqliteDialect) -> None:
        self.dbapi, self.dialect = dbapi, dialect

    def read(self, stream_ids: Sequence[str], ids: Sequence[Any]) -> tuple[list[Head | None], Known, int]:
        """The heads, the known ids and the top position (in-process calls: no round trips to save, but each
        statement costs its Python; an append to one stream asks all three in one)."""
        execute = self.dbapi.execute
        if len(stream_ids) == 1 and 0 < len(ids) <= ID_CHUNK:
            # One row tagged 0: the head (version, hash and position NULL for a new stream) and the top
            # position; one row tagged 1 per known id.
            head: Head | None = None
            top = 0
            known: Known = {}
            for tag, a, b, c, d in execute(self.dialect.one_stream_sql(len(ids)), (stream_ids[0], *ids)):
                if tag:
                    known[a] = (b, c, d)
                else:
                    head, top = (None if a is None else (a, b, c)), d or 0
            return [head], known, top
        head_sql = self.dialect.sql.head
        heads: list[Head | None] = [execute(head_sql, (s,)).fetchone() for s in stream_ids]
        known = {}
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            for event_id, stream_id, version, position in execute(self.dialect.known_sql(len(chunk)), chunk):
                known[event_id] = (stream_id, version, position)
        (top,) = execute(self.dialect.sql.max_position).fetchone()
        return heads, known, top or 0

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """One ``executemany``."""
        self.dbapi.executemany(self.dialect.sql.insert, rows)


def _check_file(url: sa.URL) -> None:
    if url.database in (None, "", ":memory:") or (url.database or "").startswith("file::memory:"):
        raise InvalidInput("url", "an in-memory SQLite database is private to one connection; use memory://")


def _on_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def open_sqlite_store(url: str, *, read_only: bool = False, **options: Any) -> SqlEventStore:
    """Entry point for ``sqlite:///path/to/cases.sqlite`` URLs; creates or upgrades the schema unless
    ``create=False``; ``clock`` and pool options pass on (see :meth:`SqlEventStore.from_url`).

    ``read_only`` opens an existing store for reading (``mode=ro``): no table is created, the journal mode is
    left alone, and a file without rehabcore's tables is refused with :class:`~rehabcore.errors.NotAStore`.
    """
    dialect = SqliteDialect(read_only=read_only)
    return SqlEventStore.from_url(url, dialect, read_only=read_only, **options)
