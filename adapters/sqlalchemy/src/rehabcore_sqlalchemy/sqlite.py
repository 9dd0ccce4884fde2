"""SQLite: the embedded default. One file, safe for several threads and several processes.

Settings, applied to every connection (``docs/adapters.md`` says why in more words):

* ``journal_mode=WAL``: readers never block the writer and the writer never blocks readers.
* ``synchronous=FULL``: every committed append is fsynced before ``append`` returns, so a power cut
  loses nothing that was acknowledged (WAL's default NORMAL may lose the last commits).
* ``busy_timeout``: a writer waits for another process's write lock instead of failing at once.
* ``BEGIN IMMEDIATE`` for appends: the write lock is taken before the stream is read, so two processes
  cannot both plan against the same head and then collide at commit (a deferred BEGIN would upgrade a
  read lock and fail with SQLITE_BUSY mid-transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import InvalidInput, StoreError
from rehabcore_sqlalchemy.dialects import Dialect
from rehabcore_sqlalchemy.store import SqlEventStore

#: How long (ms) an append waits for another writer's lock before giving up with StoreError.
BUSY_TIMEOUT_MS = 60_000

_WRITE = "rehabcore_write"


class SqliteDialect(Dialect):
    """WAL, synchronous=FULL, busy_timeout and BEGIN IMMEDIATE on a file database."""

    def __init__(self, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.busy_timeout_ms = busy_timeout_ms

    def create_engine(self, url: sa.URL) -> sa.Engine:
        """An engine whose connections carry the pragmas and leave BEGIN to us."""
        if url.database in (None, "", ":memory:") or (url.database or "").startswith("file::memory:"):
            raise InvalidInput(
                "url", "an in-memory SQLite database is private to one connection; use memory://"
            )
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", self._on_connect)
        sa.event.listen(engine, "begin", _on_begin)
        return engine

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        # pysqlite would otherwise issue its own deferred BEGIN at the first write; we issue ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode=WAL")
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
        """Name the one failure users can act on: another writer held the lock past busy_timeout."""
        if isinstance(exc, sa_exc.OperationalError) and "locked" in str(exc.orig).lower():
            return StoreError(
                f"SQLite database stayed locked by another writer for {self.busy_timeout_ms} ms"
            )
        return super().translate(exc)


def _on_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def open_sqlite_store(url: str) -> SqlEventStore:
    """Entry point for ``sqlite:///path/to/cases.sqlite`` URLs; creates or upgrades the schema."""
    dialect = SqliteDialect()
    return SqlEventStore(dialect.create_engine(sa.make_url(url)), dialect)
