"""Failures name their cause and bad input is a typed error (#14): disk full, read-only, not a database,
locked and connection refused on real back-ends; size limits refused as PayloadRejected on every back-end;
``open_store(None)``, ``?timeout=abc``, ``read_all(types="x")`` and lone surrogates as InvalidInput."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import orjson
import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.errors import InvalidInput, PayloadRejected, StorageFailed
from rehabcore.store import Limits, NewEvent, StreamWrite, set_limits
from tests.audit.story import CASE_WORKER, an_id, goal, told


def _event(data: bytes = b'{"x": 1}', metadata: bytes = b"{}") -> NewEvent:
    return NewEvent(uuid.uuid4(), "test.Thing", 1, data, metadata)


def _write(store: rc.EventStore, *events: NewEvent) -> None:
    store.append(StreamWrite("stream-1", list(events) or [_event()]))


def test_a_full_disk_is_named(sqlite_url: str) -> None:
    store = rc.open_store(sqlite_url)
    _write(store)
    engine: sa.Engine = store.engine  # type: ignore[attr-defined]
    engine.dispose()
    # The file may not grow by a single page: what SQLite says when the disk is full.
    sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA max_page_count=1"), insert=True)
    with pytest.raises(StorageFailed) as caught:
        _write(store, _event(b"y" * 100_000))
    assert caught.value.cause == "disk_full" and "full" in str(caught.value)
    store.close()


def test_writing_a_store_opened_read_only_is_named(sqlite_url: str) -> None:
    rc.open_store(sqlite_url).close()
    store = rc.open_store(sqlite_url, read_only=True)
    with pytest.raises(StorageFailed) as caught:
        _write(store)
    assert caught.value.cause == "read_only"
    store.close()


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"not a database at all " * 100)
    with pytest.raises(StorageFailed) as caught:
        rc.open_store(f"sqlite:///{path}")
    assert caught.value.cause == "not_a_database"


def test_a_lock_held_past_the_timeout_is_named(sqlite_url: str) -> None:
    from rehabcore_sqlalchemy.sqlite import SqliteDialect
    from rehabcore_sqlalchemy.store import SqlEventStore

    rc.open_store(sqlite_url).close()
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    dialect = SqliteDialect(busy_timeout_ms=50)
    try:
        with pytest.raises(StorageFailed) as caught:
            SqlEventStore(dialect.create_engine(sa.make_url(sqlite_url)), dialect)
        assert caught.value.cause == "locked" and "50 ms" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_refused_connection_names_host_and_port_and_never_the_password() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nobody listens there
    with pytest.raises(StorageFailed) as caught:
        rc.open_store(f"postgresql+psycopg://auditor:s3cret-pw@127.0.0.1:{port}/cases")
    message = str(caught.value)
    assert caught.value.cause == "connection_refused"
    assert f"127.0.0.1:{port}" in message and "s3cret" not in message


@pytest.mark.parametrize("url", [None, 42, b"sqlite:///x.sqlite", "\ud800://x"])
def test_a_url_that_is_not_text_is_invalid_input(url: object) -> None:
    with pytest.raises(InvalidInput):
        rc.open_store(url)  # type: ignore[arg-type]


def test_url_options_the_driver_cannot_use_are_invalid_input(sqlite_url: str) -> None:
    rc.open_store(sqlite_url).close()
    with pytest.raises(InvalidInput, match="options"):
        rc.open_store(f"{sqlite_url}?timeout=abc")


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Iterator[rc.EventStore]:
    if request.param == "memory":
        store: rc.EventStore = rc.InMemoryStore()
    else:
        store = rc.open_store(
            request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        )
    yield store
    store.close()


def test_read_all_with_one_string_for_types_is_invalid_input(any_store: rc.EventStore) -> None:
    _write(any_store)
    with pytest.raises(InvalidInput, match="types"):
        list(any_store.read_all(types="test.Thing"))
    assert [e.type for e in any_store.read_all(types=["test.Thing"])] == ["test.Thing"]


@pytest.mark.parametrize(
    "event",
    [
        _event(b"x" * (1024 * 1024 + 1)),
        _event(metadata=b"{" + b" " * (1024 * 1024 + 1) + b"}"),
        _event(orjson.dumps({"words": "a" * 20_001})),
        _event(metadata=orjson.dumps({"command": {"data": {"words": "a" * 20_001}}})),
        _event(orjson.dumps({"ids": list(range(10_001))})),
    ],
    ids=["event", "metadata", "text", "command text", "list"],
)
def test_what_is_larger_than_the_limits_is_refused_on_every_back_end(
    any_store: rc.EventStore, event: NewEvent
) -> None:
    with pytest.raises(PayloadRejected, match=r"Limits\."):
        _write(any_store, event)
    assert any_store.head_position() == 0  # nothing written


def test_limits_are_configurable(any_store: rc.EventStore) -> None:
    previous = set_limits(Limits(max_event_bytes=64, walk_above_bytes=16))
    try:
        with pytest.raises(PayloadRejected, match="max_event_bytes"):
            _write(any_store, _event(b'{"x": "' + b"y" * 100 + b'"}'))
        _write(any_store, _event(b'{"x": "small"}'))
    finally:
        set_limits(previous)
    with pytest.raises(InvalidInput):
        Limits(max_text_chars=0)


def test_a_lone_surrogate_in_a_command_is_invalid_input_and_nothing_is_written() -> None:
    cases, _ = told()
    head = cases.store.head_position()
    with pytest.raises(InvalidInput, match="surrogates"):
        cases.handle(attrs.evolve(goal("Jobba \ud800"), goal_id=an_id("goal/2")), actor=CASE_WORKER)
    assert cases.store.head_position() == head
