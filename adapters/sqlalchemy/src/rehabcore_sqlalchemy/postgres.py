"""PostgreSQL through psycopg 3.

Readers must never skip an event that commits later with a lower position. Appends are therefore
serialised with a transaction-scoped advisory lock (``pg_advisory_xact_lock``) taken before the stream
heads are read: positions are ``max + 1`` under the lock, so they are assigned in commit order and a
snapshot always sees a gap-free prefix. PostgreSQL makes a transaction visible before it releases its
locks, so the next writer's snapshot, taken after it gets the lock, sees the previous commit.

``read_all`` uses a server-side cursor, so replaying a large store runs in constant memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from rehabcore.errors import PayloadRejected
from rehabcore.store import StreamWrite
from rehabcore_sqlalchemy.dialects import Dialect
from rehabcore_sqlalchemy.store import SqlEventStore

#: The advisory lock key every rehabcore append takes (a constant; "rehabcor" in ASCII).
APPEND_LOCK_KEY = 0x7265686162636F72


class PostgresDialect(Dialect):
    """Advisory-lock serialised appends and streamed reads on PostgreSQL."""

    stream_options: dict[str, Any] = {"stream_results": True, "yield_per": 200}  # noqa: RUF012

    def create_engine(self, url: sa.URL) -> sa.Engine:
        """A pooled psycopg engine at READ COMMITTED, the isolation this ordering argument needs."""
        return sa.create_engine(url, isolation_level="READ COMMITTED", pool_size=10, max_overflow=20)

    @contextmanager
    def write_transaction(self, conn: sa.Connection) -> Iterator[None]:
        """Begin, then wait for the store-wide advisory lock; it is released at commit or rollback."""
        with conn.begin():
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(APPEND_LOCK_KEY)))
            yield

    def check_values(self, writes: Iterable[StreamWrite]) -> None:
        """PostgreSQL text cannot hold the NUL character; refuse rather than strip it."""
        super().check_values(writes)
        for write in writes:
            if "\x00" in write.stream_id:
                raise PayloadRejected("stream_id: PostgreSQL text cannot hold the NUL character")
            if any("\x00" in event.type for event in write.events):
                raise PayloadRejected("type: PostgreSQL text cannot hold the NUL character")


def open_postgresql_store(url: str) -> SqlEventStore:
    """Entry point for ``postgresql+psycopg://user@host/db`` URLs; creates or upgrades the schema."""
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver this adapter ships for; SQLAlchemy's bare default is psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    dialect = PostgresDialect()
    return SqlEventStore(dialect.create_engine(parsed), dialect)
