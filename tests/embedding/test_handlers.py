"""Integration handlers: checkpointed, at-least-once, exactly once into an outbox in the same database."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy import SqlEventStore

import rehabcore as rc
from rehabcore.cases import Recorded
from rehabcore.integration import Subscription, follow, runner, to_json

from .helpers import ACTOR, cases_on, open_case

outbox_metadata = sa.MetaData()
outbox = sa.Table(
    "app_outbox",
    outbox_metadata,
    sa.Column("id", sa.String(250), primary_key=True),
    sa.Column("body", sa.LargeBinary, nullable=False),
)


def publish(events: Sequence[Recorded], conn: Any) -> None:
    conn.execute(outbox.insert(), [{"id": f"{r.stream_id}/{r.version}", "body": to_json(r)} for r in events])


@pytest.fixture(params=["sqlite_url", "pg_url"])
def store(request: pytest.FixtureRequest) -> SqlEventStore:
    opened = rc.open_store(str(request.getfixturevalue(request.param)))
    assert isinstance(opened, SqlEventStore)
    outbox_metadata.create_all(opened.engine)
    yield opened  # type: ignore[misc]
    opened.close()


def _outbox(store: SqlEventStore) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(outbox.c.id).order_by(outbox.c.id)).scalars())


def test_the_outbox_gets_each_event_once_and_the_checkpoint_moves_with_it(store: SqlEventStore) -> None:
    cases = cases_on(store)
    for _ in range(3):
        cases.handle(open_case(), actor=ACTOR)
    publisher = runner(store, Subscription("outbox", publish, frozenset({"rehab.CaseOpened"})), batch_size=2)
    assert publisher.catch_up() == 3
    assert publisher.catch_up() == 0  # nothing twice
    assert len(_outbox(store)) == 3
    assert publisher.status()[0].checkpoint == 3


def test_a_failing_handler_moves_nothing_and_gets_the_batch_again(store: SqlEventStore) -> None:
    cases_on(store).handle(open_case(), actor=ACTOR)
    calls: list[int] = []

    def flaky(events: Sequence[Recorded], conn: Any) -> None:
        publish(events, conn)
        calls.append(len(events))
        if len(calls) == 1:
            raise ConnectionError("broker away")

    publisher = runner(store, Subscription("outbox", flaky))
    with pytest.raises(ConnectionError):
        publisher.catch_up()
    assert _outbox(store) == [] and publisher.status()[0].checkpoint == 0
    assert publisher.catch_up() == 1
    assert calls == [1, 1] and len(_outbox(store)) == 1


def test_two_followers_of_one_subscription_never_deliver_twice(store: SqlEventStore) -> None:
    cases = cases_on(store)
    for _ in range(6):
        cases.handle(open_case(), actor=ACTOR)
    subscription = Subscription("outbox", publish)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            runner(store, subscription, batch_size=1).catch_up()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(_outbox(store)) == 6  # the primary key would refuse a second delivery


def test_a_host_can_publish_in_its_own_transaction(store: SqlEventStore) -> None:
    """The command and the outbox rows it causes commit together, or not at all."""
    with pytest.raises(RuntimeError), store.transaction() as conn:
        joined = store.using(conn)
        cases_on(joined).handle(open_case(), actor=ACTOR)
        assert runner(joined, Subscription("outbox", publish)).catch_up() == 1
        raise RuntimeError("rolled back")
    assert _outbox(store) == [] and store.head_position() == 0
    with store.transaction() as conn:
        joined = store.using(conn)
        cases_on(joined).handle(open_case(), actor=ACTOR)
        runner(joined, Subscription("outbox", publish)).catch_up()
    assert len(_outbox(store)) == 1
    assert runner(store, Subscription("outbox", publish)).catch_up() == 0


def test_follow_delivers_what_is_written_while_it_runs(store: SqlEventStore) -> None:
    stop = threading.Event()
    publisher = runner(store, Subscription("outbox", publish))
    follower = threading.Thread(target=follow, args=(publisher, stop), kwargs={"poll_interval": 0.05})
    follower.start()
    try:
        cases_on(store).handle(open_case(), actor=ACTOR)
    finally:
        stop.set()
        follower.join(30)
    assert not follower.is_alive()
    assert len(_outbox(store)) == 1


def test_memory_store_subscriptions_get_no_connection() -> None:
    store = rc.open_store("memory://")
    seen: list[tuple[int, Any]] = []
    cases_on(store).handle(open_case(), actor=ACTOR)
    runner(store, Subscription("mem", lambda events, conn: seen.append((len(events), conn)))).catch_up()
    assert seen == [(1, None)]


def test_postgresql_followers_are_woken_by_a_commit_and_not_by_a_rollback(pg_url: str) -> None:
    store = rc.open_store(pg_url)
    assert isinstance(store, SqlEventStore)
    waker = store.waker()
    try:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            cases_on(store.using(conn)).handle(open_case(), actor=ACTOR)
            raise RuntimeError("rolled back: no notification is sent")
        assert waker.wait(0.2) is False
        cases_on(store).handle(open_case(), actor=ACTOR)  # queued on the listening connection
        assert waker.wait(30) is True
    finally:
        waker.close()
        store.close()


def test_sqlite_followers_poll(sqlite_url: str) -> None:
    store = rc.open_store(sqlite_url)
    assert isinstance(store, SqlEventStore)
    waker = store.waker()
    cases_on(store).handle(open_case(), actor=ACTOR)
    assert waker.wait(0.01) is False
    waker.close()
    store.close()
