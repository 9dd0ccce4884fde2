"""Wakers: what a follower sleeps on between polls of the store.

On PostgreSQL every append sends ``NOTIFY rehabcore_events`` in its own transaction, so it is delivered at
commit and never for a rollback. A :class:`ListenWaker` keeps one connection of its own (taken out of the
pool, so it never returns there still listening) with ``LISTEN rehabcore_events``; notifications that
arrive while the follower is busy queue on that connection, so one that lands between a catch-up and the
next wait still wakes it at once. If the listening connection breaks, the waker sleeps like a poller and
listens again on a new connection at the next wait: polling is always the fallback, never a lost event.

SQLite has no way for another process to announce a commit, so its waker (and the in-memory store's)
simply sleeps the poll interval.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rehabcore_sqlalchemy.store import SqlEventStore


class Waker(Protocol):
    """Sleep until new events may be there, or ``timeout`` seconds at most."""

    def wait(self, timeout: float) -> bool:
        """Return True when woken by a notification, False when the timeout ran out."""
        ...

    def close(self) -> None:
        """Release what the waker holds (a listening connection)."""
        ...


class SleepWaker:
    """Polling: sleep the whole interval (cut short only by :meth:`close`)."""

    def __init__(self) -> None:
        self._closed = threading.Event()

    def wait(self, timeout: float) -> bool:
        self._closed.wait(timeout)
        return False

    def close(self) -> None:
        self._closed.set()


class ListenWaker:
    """PostgreSQL LISTEN on a connection of its own; falls back to sleeping while it cannot listen."""

    def __init__(self, store: SqlEventStore, channel: str) -> None:
        self._store = store
        self._channel = channel
        self._conn: Any = None
        self._fallback = SleepWaker()
        self._listen()

    def _listen(self) -> None:
        try:
            fairy = self._store.engine.raw_connection()
            conn = fairy.driver_connection
            fairy.detach()  # ours alone from now on: closed by close(), never back in the pool
            assert conn is not None
            conn.autocommit = True
            conn.execute(f"LISTEN {self._channel}")
            self._conn = conn
        except Exception:
            self._conn = None  # the server is away: poll until it is back

    def wait(self, timeout: float) -> bool:
        if self._conn is None:
            self._listen()
            if self._conn is None:
                return self._fallback.wait(timeout)
        try:
            # Each generator is run to its end: a suspended one would keep the connection's lock.
            woken = bool(list(self._conn.notifies(timeout=timeout, stop_after=1)))
            if woken:
                # Swallow what else is queued: one catch-up reads every event those announce.
                list(self._conn.notifies(timeout=0.0))
            return woken
        except Exception:
            self._drop()
        return False

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        with contextlib.suppress(Exception):  # already broken: nothing more to release
            conn.close()

    def close(self) -> None:
        self._fallback.close()
        if self._conn is not None:
            self._drop()


def waker_for(store: SqlEventStore) -> Waker:
    """The best waker the store's back-end offers."""
    if store.engine.dialect.name == "postgresql":
        from rehabcore_sqlalchemy.postgres import CHANNEL

        return ListenWaker(store, CHANNEL)
    return SleepWaker()
