"""An idempotent retry says so (#14): ``AppendResult.duplicate`` is True when every event of the write was
already stored, and of two writers racing with the same events exactly one gets ``duplicate=False``."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

import rehabcore as rc
from rehabcore.store import NewEvent, StreamWrite


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "memory":
        yield "memory://"
    else:
        yield request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def _write(stream: str, n: int = 2) -> StreamWrite:
    ids = [uuid.uuid5(uuid.NAMESPACE_URL, f"{stream}/{i}") for i in range(n)]
    return StreamWrite(stream, [NewEvent(i, "test.Thing", 1, b"{}") for i in ids])


def test_a_retry_is_marked_duplicate(url: str) -> None:
    store = rc.open_store(url)
    first = store.append(_write("s-1"))
    again = store.append(_write("s-1"))
    assert [r.duplicate for r in first] == [False]
    assert [r.duplicate for r in again] == [True]
    assert (again[0].version, again[0].position) == (first[0].version, first[0].position)
    assert store.head_position() == 2
    store.close()


def test_of_two_racing_writers_exactly_one_is_not_a_duplicate(url: str) -> None:
    # Two stores on one database, as two processes would have (one store in memory: it is the database).
    stores = [rc.InMemoryStore()] * 2 if url == "memory://" else [rc.open_store(url), rc.open_store(url)]
    try:
        for round_ in range(10):
            write = _write(f"race-{round_}")
            results: list[bool] = []
            barrier = threading.Barrier(2)

            def run(
                store: rc.EventStore,
                write: StreamWrite = write,
                barrier: threading.Barrier = barrier,
                results: list[bool] = results,
            ) -> None:
                barrier.wait()
                results.append(store.append(write)[0].duplicate)

            threads = [threading.Thread(target=run, args=(s,)) for s in stores]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(results) == [False, True], round_
    finally:
        for s in {id(s): s for s in stores}.values():
            s.close()
