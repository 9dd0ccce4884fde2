"""What the SQL adapter promises beyond the contract: URLs, SQLite settings, schema upgrades, streaming."""

from __future__ import annotations

import multiprocessing
import threading
import uuid

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy import SCHEMA_VERSION, SqlEventStore
from rehabcore_sqlalchemy.schema import EVENTS, current_version, events, schema_version, upgrade
from rehabcore_sqlalchemy.sqlite import SqliteDialect

from rehabcore import ConcurrencyError, NewEvent, StoreError, StreamWrite, open_store
from rehabcore.store import GENESIS_HASH, event_hash, utc_now
from rehabcore.testing.contract import verify_chain

BACKENDS = ["sqlite_url", "pg_url"]


def _event(n: int = 0, size: int = 0) -> NewEvent:
    return NewEvent(uuid.uuid4(), "test.Happened", 1, b'{"n":%d}' % n + b" " * size)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


def test_open_store_finds_the_adapter_by_scheme(url: str) -> None:
    store = open_store(url)
    try:
        assert isinstance(store, SqlEventStore)
        assert store.engine.dialect.name in {"sqlite", "postgresql"}
    finally:
        store.close()


def test_bare_postgresql_scheme_uses_psycopg(pg_url: str) -> None:
    store = open_store(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        assert isinstance(store, SqlEventStore) and store.engine.dialect.driver == "psycopg"
    finally:
        store.close()


def test_in_memory_sqlite_is_refused_with_a_pointer_to_memory() -> None:
    with pytest.raises(ValueError, match="memory://"):
        open_store("sqlite://")


def test_sqlite_connections_are_durable_and_patient(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    assert isinstance(store, SqlEventStore)
    try:
        with store.engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout")
            }
        assert pragma == {
            "journal_mode": "wal",
            "synchronous": 2,
            "busy_timeout": SqliteDialect().busy_timeout_ms,
        }
    finally:
        store.close()


def test_reopening_keeps_events_and_creates_nothing_twice(url: str) -> None:
    store = open_store(url)
    [written] = store.append(StreamWrite("s", [_event(1), _event(2)], 0))
    store.close()
    again = open_store(url)
    try:
        assert again.read_stream("s")[-1].position == written.position
        assert isinstance(again, SqlEventStore)
        with again.engine.connect() as conn:
            assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    finally:
        again.close()


def test_many_first_opens_at_once_create_the_schema_once(url: str) -> None:
    stores: list[object] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            stores.append(open_store(url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(stores) == 6
    for store in stores:
        assert isinstance(store, SqlEventStore)
        store.close()
    check = open_store(url)
    assert isinstance(check, SqlEventStore)
    with check.engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    check.close()


def test_upgrade_from_schema_version_1_keeps_events(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        assert upgrade(conn, target=1) == 1
        now = utc_now()
        event_id = uuid.uuid4()
        digest = event_hash(GENESIS_HASH, "old", 1, event_id, "t.Old", 1, b"{}", b"{}", now)
        conn.execute(
            events.insert(),
            [
                {
                    "position": 1,
                    "stream_id": "old",
                    "version": 1,
                    "event_id": event_id,
                    "type": "t.Old",
                    "schema_version": 1,
                    "data": b"{}",
                    "metadata": b"{}",
                    "recorded_at": now,
                    "hash": digest,
                }
            ],
        )
    assert not _has_type_index(engine)
    engine.dispose()
    store = open_store(url)
    try:
        assert isinstance(store, SqlEventStore)
        with store.engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION == 4
        # The type index (version 2) stays on PostgreSQL only (version 3, see schema.py).
        assert _has_type_index(store.engine) == (store.engine.dialect.name == "postgresql")
        [old] = store.read_stream("old")
        assert list(store.read_all(types=["t.Old"])) == [old]
        assert (old.event_id, old.recorded_at, old.hash) == (event_id, now, digest)
        store.append(StreamWrite("old", [_event()], 1))
        verify_chain(store.read_stream("old"))
    finally:
        store.close()


def _has_type_index(engine: sa.Engine) -> bool:
    return "ix_rehabcore_events_type" in {ix["name"] for ix in sa.inspect(engine).get_indexes(EVENTS)}


def test_a_newer_schema_is_refused(url: str) -> None:
    open_store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this adapter"):
        open_store(url)


def _peak_kib() -> int:
    # VmHWM: this process's own high-water mark. getrusage's ru_maxrss is carried across fork + exec on
    # Linux, so a spawned child would start from the (larger) pytest parent's peak and hide any growth.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/self/status")


def _replay_peak_growth(url: str, result: multiprocessing.Queue[tuple[int, int]]) -> None:
    store = open_store(url)
    store.head_position()  # connect first, so the baseline holds the pool and the driver's buffers
    before = _peak_kib()
    count = sum(1 for _ in store.read_all())
    result.put((count, _peak_kib() - before))
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_read_all_streams_in_constant_memory(backend: str, request: pytest.FixtureRequest) -> None:
    # 2,400 events of 50 kB (120 MB) are replayed in a fresh process; its peak memory may grow by far less
    # than the data: PostgreSQL streams through a server-side cursor, SQLite pages by position and fetches
    # row by row. Memory, not time, is what is asserted.
    url = str(request.getfixturevalue(backend))
    store = open_store(url)
    for _ in range(24):
        store.append(StreamWrite(f"big-{uuid.uuid4().hex}", [_event(n, 50_000) for n in range(100)], 0))
    store.close()
    ctx = multiprocessing.get_context("spawn")
    result: multiprocessing.Queue[tuple[int, int]] = ctx.Queue()
    child = ctx.Process(target=_replay_peak_growth, args=(url, result))
    child.start()
    count, growth_kib = result.get(timeout=300)
    child.join(timeout=60)
    assert count == 2_400
    assert growth_kib < 60_000, f"replay grew by {growth_kib} KiB"


def test_two_stores_on_one_database_never_chain_on_a_stale_head(url: str) -> None:
    # Each store remembers the heads it wrote (PostgreSQL appends in one round trip on them); another
    # writer moving a stream must send the stale one through the full, checked append.
    one, two = open_store(url), open_store(url)
    try:
        one.append(StreamWrite("s", [_event(1)], 0))
        two.append(StreamWrite("s", [_event(2)], 1))
        with pytest.raises(ConcurrencyError):
            one.append(StreamWrite("s", [_event(3)], 1))
        [result] = one.append(StreamWrite("s", [_event(4)], None))
        assert result.version == 3
        retry = StreamWrite("t", [_event(5), _event(6)], 0)
        assert one.append(retry) == two.append(retry)  # the second is an idempotent retry
        two.append(StreamWrite("t", [_event(7)], 2), StreamWrite("u", [_event(8)], 0))
        assert (
            one.append(StreamWrite("t", [_event(9)], None), StreamWrite("s", [_event(10)], 3))[0].version == 4
        )
        for stream in ("s", "t", "u"):
            verify_chain(one.read_stream(stream))
        everything = list(one.read_all())
        assert [e.position for e in everything] == list(range(1, len(everything) + 1))
    finally:
        one.close()
        two.close()
