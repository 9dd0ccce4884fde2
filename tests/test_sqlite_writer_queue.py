"""SQLite appends of one process queue on a lock per database file, and those that queue together commit
together, each with the answer it would have had alone (#20)."""

from __future__ import annotations

import datetime as dt
import fcntl
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rehabcore_sqlalchemy import SqlEventStore
from rehabcore_sqlalchemy.grouping import AppendGroups, append_groups
from rehabcore_sqlalchemy.sqlite import SqliteDialect

from rehabcore import NewEvent, StreamWrite, new_event_id, open_store
from rehabcore.errors import ConcurrencyError, StorageFailed
from rehabcore.testing.contract import verify_chain


def _events(n: int = 2) -> list[NewEvent]:
    return [NewEvent(new_event_id(), "test.Happened", 1, b"{}") for _ in range(n)]


def test_two_stores_on_one_file_share_the_queue_and_stay_gap_free(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    first, second = open_store(f"sqlite:///{path}"), open_store(f"sqlite:///{path}")
    try:
        assert append_groups(str(path)) is append_groups(str(tmp_path / "." / "shared.sqlite"))
        barrier = threading.Barrier(8)
        failures: list[BaseException] = []

        def write(n: int) -> None:
            store = first if n % 2 else second
            barrier.wait()
            try:
                for i in range(10):
                    store.append(StreamWrite(f"s-{n}-{i}", _events(), 0))
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        stored = list(first.read_all())
        assert [e.position for e in stored] == list(range(1, 161))
        for a, b in zip(stored[::2], stored[1::2], strict=True):
            assert a.stream_id == b.stream_id and (a.version, b.version) == (1, 2)
    finally:
        first.close()
        second.close()


def test_a_writer_stuck_in_the_queue_gets_the_locked_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "held.sqlite"
    store = SqlEventStore.from_url(f"sqlite:///{path}", SqliteDialect(busy_timeout_ms=50))
    try:
        queue = append_groups(str(path)).lock
        # Another writer of this process is in the middle of an append and does not finish.
        with queue, pytest.raises(StorageFailed) as raised:
            store.append(StreamWrite("s", _events(), 0))
        assert raised.value.cause == "locked"
        assert list(store.read_all()) == []
        store.append(StreamWrite("s", _events(), 0))  # the queue is free again
        assert store.head_position() == 2
    finally:
        store.close()


def _queued(store: Any, groups: AppendGroups, n: int) -> None:
    """Wait (no time limit of its own: the test's) until ``n`` appends of ``store`` are queued."""
    while len(groups._pending.get(id(store), [])) < n:
        time.sleep(0.001)


def test_appends_queued_together_commit_together_with_the_answers_they_would_get_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "group.sqlite"
    store = open_store(f"sqlite:///{path}")
    try:
        store.append(StreamWrite("existing", _events(1), 0))
        groups = append_groups(str(path))
        same = _events(2)
        calls: list[tuple[str, StreamWrite]] = [
            ("first", StreamWrite("s", _events(2), 0)),
            ("second on the same stream", StreamWrite("s", _events(1), 2)),
            ("stale", StreamWrite("existing", _events(1), 0)),
            ("new", StreamWrite("t", same, 0)),
            ("retry of new", StreamWrite("t", same, 0)),
        ]
        outcome: dict[str, Any] = {}
        sizes: list[int] = []
        write_group = store._append_group  # type: ignore[attr-defined]

        def recorded(group: Any) -> None:
            sizes.append(len(group))
            write_group(group)

        store._append_group = recorded  # type: ignore[attr-defined]

        def call(name: str, write: StreamWrite) -> None:
            try:
                outcome[name] = store.append(write)[0]
            except ConcurrencyError as exc:
                outcome[name] = exc

        threads = []
        with groups.lock:  # an append of this process is being written: the others queue behind it
            for n, (name, write) in enumerate(calls):
                thread = threading.Thread(target=call, args=(name, write))
                thread.start()
                threads.append(thread)
                _queued(store, groups, n + 1)  # in this order
        for thread in threads:
            thread.join()
        assert sizes == [5]  # one transaction, one commit for the five
        assert outcome["first"].version == 2 and outcome["second on the same stream"].version == 3
        assert isinstance(outcome["stale"], ConcurrencyError)
        assert outcome["new"].duplicate is False and outcome["retry of new"].duplicate is True
        assert outcome["retry of new"] == outcome["new"]
        stored = list(store.read_all())
        assert [e.position for e in stored] == list(range(1, 7))
        assert [(e.stream_id, e.version) for e in stored] == [
            ("existing", 1),
            ("s", 1),
            ("s", 2),
            ("s", 3),
            ("t", 1),
            ("t", 2),
        ]
        verify_chain(store.read_stream("s"))
    finally:
        store.close()


def test_each_store_on_a_file_writes_only_its_own_appends(tmp_path: Path) -> None:
    # Two stores on one file queue together, but a store's clock and connections are its own: a leader
    # takes only its own store's appends into its transaction.
    path = tmp_path / "two.sqlite"
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    first = open_store(f"sqlite:///{path}")
    second = SqlEventStore.from_url(f"sqlite:///{path}", SqliteDialect(), clock=lambda: moment)
    try:
        groups = append_groups(str(path))
        threads = []
        with groups.lock:
            for n, store in enumerate([first, second, first, second]):
                thread = threading.Thread(target=store.append, args=(StreamWrite(f"s{n}", _events(1), 0),))
                thread.start()
                threads.append(thread)
                _queued(store, groups, n // 2 + 1)
        for thread in threads:
            thread.join()
        stamps = {e.stream_id: e.recorded_at for e in first.read_all()}
        assert stamps["s1"] == stamps["s3"] == moment
        assert stamps["s0"] != moment and stamps["s2"] != moment
    finally:
        first.close()
        second.close()


# --- across processes: the file lock (#20) ------------------------------------------------------------


def _append_many(path: str, tag: str, appends: int) -> None:
    store = open_store(f"sqlite:///{path}")
    try:
        for i in range(appends):
            store.append(StreamWrite(f"{tag}-{i}", _events(2), 0))
    finally:
        store.close()


def test_processes_appending_at_once_stay_gap_free_and_each_append_whole(tmp_path: Path) -> None:
    path = tmp_path / "processes.sqlite"
    open_store(f"sqlite:///{path}").close()
    ctx = multiprocessing.get_context("spawn")
    children = [ctx.Process(target=_append_many, args=(str(path), f"p{n}", 15)) for n in range(3)]
    for child in children:
        child.start()
    _append_many(str(path), "parent", 15)
    for child in children:
        child.join(timeout=300)
        assert child.exitcode == 0
    store = open_store(f"sqlite:///{path}")
    try:
        stored = list(store.read_all())
        assert [e.position for e in stored] == list(range(1, 4 * 15 * 2 + 1))
        for first, second in zip(stored[::2], stored[1::2], strict=True):
            assert first.stream_id == second.stream_id and (first.version, second.version) == (1, 2)
    finally:
        store.close()
    assert Path(f"{path}-rehabcore-lock").exists()  # they queued on it


def test_an_append_waits_for_the_file_lock_another_process_holds(tmp_path: Path) -> None:
    # flock belongs to an open file: this test's own descriptor stands for another process holding the lock.
    path = tmp_path / "held.sqlite"
    store = open_store(f"sqlite:///{path}")
    try:
        store.append(StreamWrite("first", _events(1), 0))  # makes the side file
        holder = os.open(f"{path}-rehabcore-lock", os.O_RDWR)
        done = threading.Event()
        try:
            fcntl.flock(holder, fcntl.LOCK_EX)
            writer = threading.Thread(
                target=lambda: (store.append(StreamWrite("second", _events(1), 0)), done.set())
            )
            writer.start()
            # Not a timing assertion: the append cannot finish while the lock is held, however long we look.
            assert not done.wait(0.3)
            assert store.head_position() == 1
            fcntl.flock(holder, fcntl.LOCK_UN)
            writer.join(timeout=60)
            assert done.is_set() and store.head_position() == 2
        finally:
            os.close(holder)
    finally:
        store.close()


def test_a_read_only_store_makes_no_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    open_store(f"sqlite:///{path}").close()
    reader = open_store(f"sqlite:///{path}", read_only=True)
    try:
        assert list(reader.read_all()) == []
    finally:
        reader.close()
    assert not Path(f"{path}-rehabcore-lock").exists()


def test_without_a_lock_file_appends_go_straight_to_sqlites_lock(tmp_path: Path) -> None:
    path = tmp_path / "nolock.sqlite"
    store = open_store(f"sqlite:///{path}")
    try:
        # The side file cannot be made (here: a directory stands where it would be): SQLite's lock alone.
        Path(f"{path}-rehabcore-lock").mkdir()
        store.append(StreamWrite("s", _events(2), 0))
        store.append(StreamWrite("s", _events(1), 2))
        assert [e.version for e in store.read_stream("s")] == [1, 2, 3]
    finally:
        store.close()


def test_a_pool_of_one_connection_is_not_kept_for_appends(tmp_path: Path) -> None:
    # The queue's leader keeps a connection for appends only where the pool can spare one: with a pool of
    # one, a read after an append would otherwise wait for a connection that never comes back.
    store = open_store(f"sqlite:///{tmp_path / 'one.sqlite'}", pool_size=1, max_overflow=0, pool_timeout=5)
    try:
        store.append(StreamWrite("s", _events(2), 0))
        assert [e.version for e in store.read_stream("s")] == [1, 2]
        store.append(StreamWrite("s", _events(1), 2))
        assert store.head_position() == 3
    finally:
        store.close()


def test_the_kept_connection_follows_a_disposed_pool(tmp_path: Path) -> None:
    # After engine.dispose() (new settings on the engine's connections) the next append takes a fresh one.
    store = open_store(f"sqlite:///{tmp_path / 'dispose.sqlite'}")
    try:
        store.append(StreamWrite("s", _events(1), 0))
        engine: Any = store.engine  # type: ignore[attr-defined]
        kept = store._writer[0]  # type: ignore[attr-defined]
        engine.dispose()
        store.append(StreamWrite("s", _events(1), 1))
        assert store._writer[0] is not kept  # type: ignore[attr-defined]
        assert store.head_position() == 2
    finally:
        store.close()
