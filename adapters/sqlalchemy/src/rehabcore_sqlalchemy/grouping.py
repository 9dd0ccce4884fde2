"""Appends of one process to one SQLite file: queued on a lock of their own, committed together.

SQLite has one write lock per file, and with ``synchronous=FULL`` every commit waits for the disk. Writers
that meet the lock held used to wait in SQLite's busy handler, which sleeps (1, 2, 5, … up to 100 ms) and
polls, so threads spent most of their time asleep after the lock was free. Now each append of this process
joins the file's queue (:class:`AppendGroups`) and takes its lock; the thread that gets it (the leader) takes
every append of the same store that queued meanwhile and writes them in *one* transaction, each append in a
savepoint of its own, with one commit and so one flush for all of them. The others find their append done
when the lock comes to them.

What each caller sees is what it saw alone: its append is planned on the heads as they stand after the
appends before it (the transaction sees its own rows), gets contiguous positions, and either lands whole or
raises its own error (a version conflict rolls back only its savepoint). If the transaction itself fails
(the disk, the lock held past the timeout by another process), every append of the group gets that error and
none was written, as a single append's caller would.

Across processes the leaders queue on an OS lock (:class:`FileLock`: ``flock`` on a side file next to
the database, ``<file>-rehabcore-lock``) before ``BEGIN IMMEDIATE``: a process waiting for it blocks in the
kernel (without the GIL) and is woken the moment the holder lets go, where SQLite's busy handler would have
slept and polled. It is a queue, not the guard: SQLite's write lock still serialises every writer (one that
does not take the file lock, an older rehabcore or another program, waits in the busy handler as before), so
positions stay gap-free and each append's events contiguous whatever the file lock does. The wait for it is
as long as the holder's append (which ends within the busy timeout); a process *stopped* in the middle of an
append (SIGSTOP, a debugger) keeps the next process's leader waiting until it runs on or exits, where SQLite's
busy handler would have given up with "locked" after the busy timeout. Where there is no
``fcntl`` (Windows) or the side file cannot be opened (a directory this process may not write), appends go
straight to SQLite's lock as before; read-only stores never touch the file. The kernel drops the lock of a
process that dies, so a crash never leaves it held.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Sequence

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no OS file lock, appends wait in SQLite's busy handler
    fcntl = None  # type: ignore[assignment]

from rehabcore.errors import StorageFailed
from rehabcore.store import AppendResult, StreamWrite


class Ticket:
    """One caller's append in the queue, and what became of it."""

    __slots__ = ("done", "error", "results", "writes", "written")

    def __init__(self, writes: tuple[StreamWrite, ...]) -> None:
        self.writes = writes
        self.results: list[AppendResult] | None = None
        self.written: list[tuple[AppendResult, bytes]] = []
        self.error: BaseException | None = None
        self.done = False


#: Writes a group of tickets in one transaction: sets each ticket's ``results`` (and ``written``) or its
#: ``error``; raises when the transaction as a whole failed (then nothing of the group was written).
Run = Callable[[Sequence[Ticket]], None]


class FileLock:
    """An exclusive ``flock`` on a side file, which the processes appending to one database queue on.

    Taken and released only by the leader of this process's queue (:class:`AppendGroups`), so by one thread
    of this process at a time: two system calls uncontended; contended, the leader blocks in ``flock`` (the
    GIL released) until the kernel hands it the lock. That wait has no timeout of its own: it is bounded by
    the holder's append, which lets go when it commits or fails (within the busy timeout, like any append).
    A waiter handed the lock through a thread of its own, so that it could give up on a timer, measured no
    faster than SQLite's busy handler on two shared cores (#20): the hand-over cost what the queue saved.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd = -1
        self._held = False

    def acquire(self) -> None:
        """Wait for the lock. Raises ``OSError`` when the side file cannot be opened (go without it)."""
        if self._fd < 0:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._held = True

    def release(self) -> None:
        """Let the next waiting process have the lock."""
        if self._held:
            self._held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def forget(self) -> None:
        """In a forked child: close the inherited descriptor *without* unlocking (an unlock through it would
        free the parent's lock, which is the same open file)."""
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd, self._held = -1, False


class AppendGroups:
    """The append queue of one SQLite file in this process (see the module's docstring)."""

    def __init__(self, file_lock: FileLock | None = None) -> None:
        #: The queue of the processes appending to the file, which this process's leader joins.
        self.file_lock = file_lock
        #: Held by the leader while it writes a group; every append of this process to the file takes it.
        self.lock = threading.Lock()
        self._mutex = threading.Lock()
        self._finished = threading.Condition(self._mutex)
        self._pending: dict[int, list[Ticket]] = {}

    def submit(
        self, owner: object, writes: tuple[StreamWrite, ...], run: Run, timeout_s: float
    ) -> list[AppendResult]:
        """Append ``writes`` through ``run``, grouped with the appends of ``owner`` (a store) queued with it.

        Only one store's appends share a transaction: each store has its own clock and connections.
        """
        ticket = Ticket(writes)
        key = id(owner)
        with self._mutex:
            self._pending.setdefault(key, []).append(ticket)
        if self.lock.acquire(timeout=timeout_s):
            try:
                if not ticket.done:
                    self._lead(key, run)
            finally:
                self.lock.release()
        else:
            with self._mutex:
                queued = self._pending.get(key, [])
                if any(t is ticket for t in queued):  # no leader took it: give up, nothing written
                    queued.remove(ticket)
                    raise StorageFailed(
                        "locked",
                        f"SQLite database stayed locked by another writer for {timeout_s * 1000:.0f} ms",
                    )
                while not ticket.done:  # a leader is writing it right now
                    self._finished.wait()
        if ticket.error is not None:
            raise ticket.error
        assert ticket.results is not None
        return ticket.results

    def _lead(self, key: int, run: Run) -> None:
        with self._mutex:
            group = self._pending.pop(key, [])
        try:
            run(group)
        except BaseException as exc:
            # The transaction failed as a whole (or never began): nothing of the group was written.
            for ticket in group:
                ticket.results, ticket.error = None, exc
        finally:
            with self._mutex:
                for ticket in group:
                    ticket.done = True
                self._finished.notify_all()


_GROUPS: dict[str, AppendGroups] = {}
_GROUPS_LOCK = threading.Lock()


def append_groups(database: str) -> AppendGroups:
    """The append queue of the SQLite file ``database`` in this process (by its resolved path, so two stores
    on one file queue together)."""
    key = os.path.realpath(database)
    with _GROUPS_LOCK:
        groups = _GROUPS.get(key)
        if groups is None:
            file_lock = FileLock(f"{key}-rehabcore-lock") if fcntl is not None and database else None
            groups = _GROUPS[key] = AppendGroups(file_lock)
        return groups


def _fresh_after_fork() -> None:
    # A forked child has one thread: a lock some other thread of the parent held would never be released.
    global _GROUPS_LOCK
    _GROUPS_LOCK = threading.Lock()
    for groups in _GROUPS.values():
        if groups.file_lock is not None:
            groups.file_lock.forget()
    _GROUPS.clear()


os.register_at_fork(after_in_child=_fresh_after_fork)
