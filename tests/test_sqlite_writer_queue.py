"""SQLite appends of one process queue on a lock per database file before BEGIN IMMEDIATE (#20)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rehabcore_sqlalchemy import SqlEventStore
from rehabcore_sqlalchemy.sqlite import SqliteDialect, writer_queue

from rehabcore import NewEvent, StreamWrite, new_event_id, open_store
from rehabcore.errors import StorageFailed


def _events(n: int = 2) -> list[NewEvent]:
    return [NewEvent(new_event_id(), "test.Happened", 1, b"{}") for _ in range(n)]


def test_two_stores_on_one_file_share_the_queue_and_stay_gap_free(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    first, second = open_store(f"sqlite:///{path}"), open_store(f"sqlite:///{path}")
    try:
        assert writer_queue(str(path)) is writer_queue(str(tmp_path / "." / "shared.sqlite"))
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
        queue = writer_queue(str(path))
        # Another writer of this process is in the middle of an append and does not finish.
        with queue, pytest.raises(StorageFailed) as raised:
            store.append(StreamWrite("s", _events(), 0))
        assert raised.value.cause == "locked"
        assert list(store.read_all()) == []
        store.append(StreamWrite("s", _events(), 0))  # the queue is free again
        assert store.head_position() == 2
    finally:
        store.close()
