"""Faults with real processes: writer processes with a tailing reader, and writers killed mid-append.

Children are started with ``spawn`` (a clean interpreter, no inherited connections) and talk to the
parent only through the store, a result queue and a shared counter.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from rehabcore import ConcurrencyError, EventStore, NewEvent, StreamWrite, open_store
from rehabcore.testing.contract import verify_chain

SPAWN = multiprocessing.get_context("spawn")
WRITERS, APPENDS = 4, 500


@pytest.fixture(params=["sqlite_url", "pg_url"])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    value = str(request.getfixturevalue(request.param))
    open_store(value).close()  # create the schema before the children race for it
    yield value


def _writer(url: str, n: int) -> tuple[list[str], list[str], int, int]:
    """Append to an own stream, to a shared stream and to both at once; return stored and refused ids."""
    store = open_store(url)
    stored: list[str] = []
    refused: list[str] = []
    conflicts = shared_calls = 0
    for i in range(APPENDS):
        own = StreamWrite(f"own-{n}", [NewEvent(uuid.uuid4(), "t.Own", 1, b"%d" % i)], None)
        writes = [own]
        if i % 3 == 0:
            head = store.read_stream("shared", backwards=True, limit=1)
            version = head[0].version if head else 0
            shared = [NewEvent(uuid.uuid4(), "t.Shared", 1, b"%d" % i) for _ in range(2)]
            writes.append(StreamWrite("shared", shared, version))
        ids = [str(e.event_id) for w in writes for e in w.events]
        try:
            store.append(*writes)
            stored += ids
            shared_calls += len(writes) - 1
        except ConcurrencyError:
            conflicts += 1
            refused += ids
    store.close()
    return stored, refused, conflicts, shared_calls


def _tail(store: EventStore, done: threading.Event, seen: list[Any], problems: list[str]) -> None:
    last = 0
    while True:
        finished = done.is_set()
        for event in store.read_all(after=last, limit=200):
            if event.position != last + 1:
                # A jump means a lower position committed later than a higher one the reader already saw.
                problems.append(f"position {event.position} after {last}")
            last = event.position
            seen.append(event.event_id)
        if finished and last == store.head_position():
            return


@pytest.mark.slow
def test_writer_processes_and_a_tailing_reader_lose_nothing(url: str) -> None:
    reader_store = open_store(url)
    done, seen, problems = threading.Event(), [], []  # type: ignore[var-annotated]
    reader = threading.Thread(target=_tail, args=(reader_store, done, seen, problems))
    reader.start()
    try:
        with ProcessPoolExecutor(WRITERS, mp_context=SPAWN) as pool:
            outcomes = list(pool.map(_writer, [url] * WRITERS, range(WRITERS)))
    finally:
        done.set()
        reader.join(timeout=600)
    stored = {uuid.UUID(i) for s, _, _, _ in outcomes for i in s}
    refused = {uuid.UUID(i) for _, r, _, _ in outcomes for i in r}
    assert problems == []
    assert len(seen) == len(set(seen)) and set(seen) == stored
    assert not refused & set(seen)
    everything = list(reader_store.read_all())
    assert [e.position for e in everything] == list(range(1, len(everything) + 1))
    assert {e.event_id for e in everything} == stored
    # A refused call wrote neither its own-stream event nor its shared events.
    assert len(reader_store.read_stream("shared")) == 2 * sum(o[3] for o in outcomes)
    for n, (_, _, conflicts, _) in enumerate(outcomes):
        assert len(reader_store.read_stream(f"own-{n}")) == APPENDS - conflicts
    verify_chain(reader_store.read_stream("shared"))
    reader_store.close()


BATCH = 300


def _batch_writer(url: str, started: Any) -> None:
    """Append big two-stream batches forever; the parent kills this process with SIGKILL."""
    store = open_store(url)
    while True:
        tag = uuid.uuid4().hex
        body = b"x" * 2_000
        with started.get_lock():
            started.value += 1
        store.append(
            StreamWrite(f"batch-{tag}", [NewEvent(uuid.uuid4(), "t.Part", 1, body) for _ in range(BATCH)], 0),
            StreamWrite(f"pair-{tag}", [NewEvent(uuid.uuid4(), "t.Pair", 1, b"{}")], 0),
        )


@pytest.mark.slow
def test_a_writer_killed_mid_append_leaves_whole_batches(url: str) -> None:
    rng = random.Random(20240603)
    for _round in range(5):
        started = SPAWN.Value("i", 0)
        child = SPAWN.Process(target=_batch_writer, args=(url, started))
        child.start()
        target = rng.randint(2, 4)
        while started.value < target and child.is_alive():
            child.join(timeout=0.01)
        assert child.is_alive(), "the writer died on its own"
        child.join(timeout=rng.uniform(0.0, 0.05))  # land somewhere inside the next append
        child.kill()
        child.join()
        _assert_whole_batches(url)


def _assert_whole_batches(url: str) -> None:
    store = open_store(url)
    try:
        everything = list(store.read_all())
        assert [e.position for e in everything] == list(range(1, len(everything) + 1))
        streams = {e.stream_id for e in everything}
        for stream_id in streams:
            events = store.read_stream(stream_id)
            tag = stream_id.split("-", 1)[1]
            assert len(events) == (BATCH if stream_id.startswith("batch-") else 1)
            assert {f"batch-{tag}", f"pair-{tag}"} <= streams  # both streams of the call, or neither
            verify_chain(events)
        if url.startswith("sqlite"):
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            engine.dispose()
    finally:
        store.close()
