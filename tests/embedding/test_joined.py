"""Appends join the host application's transaction: its rows and the events commit or roll back together."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy import SqlEventStore

import rehabcore as rc
from rehabcore import ConcurrencyError, NewEvent, StoreError, StreamWrite

from .helpers import ACTOR, app_metadata, cases_on, open_case, requests

BACKENDS = ["sqlite_url", "pg_url"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> SqlEventStore:
    url = str(request.getfixturevalue(request.param))
    opened = rc.open_store(url)
    assert isinstance(opened, SqlEventStore)
    app_metadata.create_all(opened.engine)
    yield opened  # type: ignore[misc]
    opened.close()


def _count(store: SqlEventStore, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_rolled_back_host_transaction_leaves_neither_row_nor_events(store: SqlEventStore) -> None:
    command = open_case()
    with pytest.raises(RuntimeError, match="host gave up"), store.engine.begin() as conn:
        conn.execute(requests.insert().values(case_id=str(command.case_id)))
        handled = cases_on(store.using(conn)).handle(command, actor=ACTOR)
        assert handled.events
        raise RuntimeError("host gave up")
    assert _count(store, "app_requests") == 0
    assert _count(store, "rehabcore_events") == 0
    assert store.head_position() == 0


def test_committed_host_transaction_keeps_both(store: SqlEventStore) -> None:
    command = open_case()
    with store.engine.begin() as conn:
        conn.execute(requests.insert().values(case_id=str(command.case_id)))
        cases_on(store.using(conn)).handle(command, actor=ACTOR)
    assert _count(store, "app_requests") == 1
    assert cases_on(store).get(command.case_id).version == 1
    # The store's own pooled appends carry on after the joined one, with no gap in positions.
    cases_on(store).handle(open_case(), actor=ACTOR)
    assert [e.position for e in store.read_all()] == [1, 2]


def test_no_deadlock_when_the_host_holds_the_write_transaction(store: SqlEventStore) -> None:
    """The failure the issue reports: the host wrote first (holding SQLite's write lock), then handled."""
    started = time.monotonic()
    with store.transaction() as conn:
        conn.execute(requests.insert().values(case_id="x"))
        cases_on(store.using(conn)).handle(open_case(), actor=ACTOR)
        cases_on(store.using(conn)).handle(open_case(), actor=ACTOR)
    # Not a timing assertion on speed: the busy timeout is 60 s, a deadlock would take at least that.
    assert time.monotonic() - started < 30
    assert [e.position for e in store.read_all()] == [1, 2]


def test_a_joined_append_sees_its_own_transaction_and_checks_versions(store: SqlEventStore) -> None:
    event = NewEvent(uuid.uuid4(), "test.Happened", 1, b"{}")
    with store.engine.begin() as conn:
        joined = store.using(conn)
        [first] = joined.append(StreamWrite("s-1", [event], 0))
        assert joined.read_stream("s-1")[0].event_id == event.event_id
        assert joined.head_position() == first.position == 1
        # Retried: the same ids are an idempotent no-op; another writer's view of version 0 conflicts.
        assert joined.append(StreamWrite("s-1", [event], 0)) == [first]
        with pytest.raises(ConcurrencyError):
            joined.append(StreamWrite("s-1", [NewEvent(uuid.uuid4(), "test.Happened", 1, b"{}")], 0))
        # The transaction is still usable after the refusal.
        joined.append(StreamWrite("s-1", [NewEvent(uuid.uuid4(), "test.Happened", 1, b"{}")], 1))
        assert [e.version for e in joined.read_all()] == [1, 2]
    assert [e.version for e in store.read_stream("s-1")] == [1, 2]


def test_other_writers_wait_for_the_host_transaction_and_order_stays_gap_free(store: SqlEventStore) -> None:
    """A pooled append started while a joined one is open lands after it: positions follow commit order."""
    done: list[int] = []

    def other() -> None:
        [result] = store.append(StreamWrite("other", [NewEvent(uuid.uuid4(), "t", 1, b"{}")], 0))
        done.append(result.position)

    with store.engine.begin() as conn:
        store.using(conn).append(StreamWrite("mine", [NewEvent(uuid.uuid4(), "t", 1, b"{}")], 0))
        writer = threading.Thread(target=other)
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # held by our append lock until we commit
        seen = [e.position for e in store.read_all()]
        assert seen == []  # nothing of ours is visible before commit, and nothing of theirs yet
    writer.join(10)
    assert done == [2]
    assert [(e.stream_id, e.position) for e in store.read_all()] == [("mine", 1), ("other", 2)]


def test_a_connection_of_another_engine_is_refused(store: SqlEventStore) -> None:
    other = sa.create_engine(store.engine.url)
    try:
        with other.connect() as conn, pytest.raises(ValueError, match="engine the store was built on"):
            store.using(conn)
    finally:
        other.dispose()


def test_postgresql_refuses_to_join_a_repeatable_read_transaction(pg_url: str) -> None:
    store = rc.open_store(pg_url)
    assert isinstance(store, SqlEventStore)
    try:
        with store.engine.connect() as plain:
            conn = plain.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin(), pytest.raises(StoreError, match="READ COMMITTED"):
                store.using(conn).append(StreamWrite("s", [NewEvent(uuid.uuid4(), "t", 1, b"{}")], 0))
        assert store.head_position() == 0
    finally:
        store.close()
