"""``recorded_at`` reads back as the same instant, in ``datetime.UTC``, whatever the session's TimeZone.

The PostgreSQL store reads ``timestamptz`` with a loader of its own (microseconds since 2000 straight to a
UTC datetime, #20) on its own cursors; a host's connection, and what it reads, keep psycopg's loader.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from rehabcore_sqlalchemy import SqlEventStore

import rehabcore as rc
from rehabcore import NewEvent, StreamWrite

MOMENTS = [
    dt.datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=dt.UTC),  # the hour before Sweden's clocks go forward
    dt.datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=dt.UTC),
    dt.datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),  # before PostgreSQL's own epoch
    dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # given in CET
]


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/St_Johns", "UTC"])
def test_recorded_at_is_the_instant_in_utc(pg_url: str, zone: str) -> None:
    url = f"{pg_url}%20-cTimeZone%3D{zone.replace('/', '%2F')}"
    times = iter(MOMENTS)
    store = rc.open_store(url, clock=lambda: next(times))
    assert isinstance(store, SqlEventStore)
    try:
        for n, _ in enumerate(MOMENTS):
            store.append(StreamWrite("s-1", [NewEvent(uuid.uuid4(), "t", 1, b"{}")], n))
        with store.engine.connect() as conn:  # the session really runs in that zone
            assert conn.exec_driver_sql("SHOW TimeZone").scalar_one() == zone
            host_read = conn.exec_driver_sql("SELECT recorded_at FROM rehabcore_events LIMIT 1").scalar_one()
            joined = store.using(conn).read_stream("s-1")
        assert host_read.tzinfo is not dt.UTC or zone == "UTC"  # the host's reads are left as they were
        for read in (store.read_stream("s-1"), list(store.read_all()), joined):
            assert [e.recorded_at for e in read] == MOMENTS
            assert all(e.recorded_at.tzinfo is dt.UTC for e in read)
    finally:
        store.close()
