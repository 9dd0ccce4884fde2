"""Bring your own engine: dialect settings installed or a clear refusal, pool options, the retry once."""

from __future__ import annotations

import datetime as dt
import types
import uuid

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy import SqlEventStore
from rehabcore_sqlalchemy.sqlite import SqliteDialect

import rehabcore as rc
from rehabcore import InvalidInput, NewEvent, StoreError, StreamWrite

from .conftest import Server
from .helpers import ACTOR, cases_on, open_case


def _pragmas(engine: sa.Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return {n: conn.exec_driver_sql(f"PRAGMA {n}").scalar() for n in ("journal_mode", "synchronous")}


def test_an_application_sqlite_engine_gets_wal_and_the_connect_hooks(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:  # a connection the app opened before handing the engine over
        conn.exec_driver_sql("SELECT 1")
    store = SqlEventStore(engine)  # the dialect is found from the engine
    try:
        assert _pragmas(engine) == {"journal_mode": "wal", "synchronous": 2}
        SqlEventStore(engine, SqliteDialect())  # a second store on it installs nothing twice
        assert _pragmas(engine) == {"journal_mode": "wal", "synchronous": 2}
        cases_on(store).handle(open_case(), actor=ACTOR)
        assert store.head_position() == 1
    finally:
        store.close()


def test_an_autocommit_engine_is_refused_naming_the_setting(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url, isolation_level="AUTOCOMMIT")
    with pytest.raises(StoreError, match="AUTOCOMMIT"):
        SqlEventStore(engine)


def test_a_dialect_for_another_backend_is_refused(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with pytest.raises(StoreError, match="needs a sqlite engine"):
            SqlEventStore(engine, SqliteDialect())
    finally:
        engine.dispose()


def test_an_unsupported_backend_is_refused() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        driver = types.SimpleNamespace(paramstyle="format")  # no MySQL driver needed to make the engine
        SqlEventStore(sa.create_engine("mysql://u@localhost/db", module=driver))


@pytest.mark.parametrize("backend", ["sqlite_url", "pg_url"])
def test_pool_options_from_the_url_and_from_keywords(backend: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue(backend))
    sep = "&" if "?" in url else "?"
    store = rc.open_store(f"{url}{sep}pool_size=2&max_overflow=0&pool_pre_ping=true")
    assert isinstance(store, SqlEventStore)
    try:
        pool = store.engine.pool
        assert isinstance(pool, sa.QueuePool)
        assert (pool.size(), pool._max_overflow, pool._pre_ping) == (2, 0, True)
        assert "pool_size" not in store.engine.url.query  # never handed to the driver
        cases_on(store).handle(open_case(), actor=ACTOR)
    finally:
        store.close()
    store = rc.open_store(url, pool_size=3, pool_timeout=5)
    assert isinstance(store, SqlEventStore)
    try:
        assert store.engine.pool.size() == 3  # type: ignore[attr-defined]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("suffix", "field"),
    [
        ("?pool_size=zero", "pool_size"),
        ("?pool_pre_ping=maybe", "pool_pre_ping"),
        ("?max_overflow=-2", "max_overflow"),
    ],
)
def test_bad_pool_options_name_the_option(sqlite_url: str, suffix: str, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        rc.open_store(sqlite_url + suffix)
    assert raised.value.field == field


def test_an_unknown_keyword_is_refused(sqlite_url: str) -> None:
    with pytest.raises(InvalidInput, match="pool options are"):
        rc.open_store(sqlite_url, pool_sise=2)


@pytest.mark.parametrize("backend", ["memory", "sqlite_url", "pg_url"])
def test_open_store_takes_the_recording_clock(backend: str, request: pytest.FixtureRequest) -> None:
    url = "memory://" if backend == "memory" else str(request.getfixturevalue(backend))
    moment = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    store = rc.open_store(url, clock=lambda: moment)
    try:
        store.append(StreamWrite("s", [NewEvent(uuid.uuid4(), "t", 1, b"{}")], 0))
        assert [e.recorded_at for e in store.read_all()] == [moment]
    finally:
        store.close()


def test_a_command_after_a_server_restart_is_retried_once_and_recorded_once(own_postgres: Server) -> None:
    store = rc.open_store(own_postgres.url)
    try:
        cases = cases_on(store)
        first = open_case()
        cases.handle(first, actor=ACTOR)
        own_postgres.restart()  # every pooled connection is now dead
        second = open_case()
        handled = cases.handle(second, actor=ACTOR)
        assert not handled.duplicate
        assert [e.stream_id for e in store.read_all()] == [f"case-{first.case_id}", f"case-{second.case_id}"]
        assert cases.handle(second, actor=ACTOR).duplicate  # and handled again: nothing new
        assert store.head_position() == 2
    finally:
        store.close()
