"""The floor: the same rows through the bare driver (sqlite3 / psycopg), parsed with orjson, nothing typed.

One table like rehabcore's (position, stream, version, event id, type, data, metadata, time), the same
durability settings, one transaction per command (cycle) or per case (bulk). No version check beyond the
unique constraint, no hash chain, no domain types: the least any store on this driver can do.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import orjson

from benchmarks.workload import Workload
from rehabcore import case_stream, codec, new_event_id, unit_stream

_SQLITE_DDL = """
CREATE TABLE events (
  position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
  event_id BLOB NOT NULL UNIQUE,
  type TEXT NOT NULL, data BLOB NOT NULL, metadata BLOB NOT NULL, recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, version))
"""
_PG_DDL = """
CREATE TABLE events (
  position BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
  event_id UUID NOT NULL UNIQUE,
  type TEXT NOT NULL, data BYTEA NOT NULL, metadata BYTEA NOT NULL, recorded_at TIMESTAMPTZ NOT NULL,
  UNIQUE (stream_id, version))
"""


class Raw:
    """A connection with the dialect's placeholders and id/time encodings."""

    def __init__(self, conn: Any, kind: str) -> None:
        self.conn, self.kind = conn, kind
        p = "?" if kind == "sqlite" else "%s"
        self.insert = (
            "INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at) "
            f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})"
        )
        self.by_stream = f"SELECT type, data FROM events WHERE stream_id = {p} ORDER BY version"

    def now(self) -> Any:
        t = dt.datetime.now(dt.UTC)
        return int(t.timestamp() * 1_000_000) if self.kind == "sqlite" else t

    def event_id(self) -> Any:
        # The ids rehabcore's side uses for direct appends (time-ordered), so the floor does the same work.
        made = new_event_id()
        return made.bytes if self.kind == "sqlite" else made

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if self.kind == "sqlite":
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(self.insert, rows)
            self.conn.execute("COMMIT")
        else:
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.executemany(self.insert, rows)

    def close(self) -> None:
        self.conn.close()


def open_sqlite(path: str) -> Raw:
    """WAL, synchronous=FULL, autocommit with explicit BEGIN IMMEDIATE: the adapter's settings."""
    raw = connect_sqlite(path)
    raw.conn.execute(_SQLITE_DDL)
    return raw


def connect_sqlite(path: str) -> Raw:
    """Another connection to a file :func:`open_sqlite` made (a writer waits up to 60 s for the lock)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return Raw(conn, "sqlite")


def open_postgres(conninfo: str) -> Raw:
    """Autocommit connection with explicit transactions, at the server's default durability."""
    raw = connect_postgres(conninfo)
    raw.conn.execute(_PG_DDL)
    return raw


def connect_postgres(conninfo: str) -> Raw:
    """Another connection to the schema :func:`open_postgres` made its table in."""
    import psycopg

    return Raw(psycopg.connect(conninfo, autocommit=True), "postgresql")


class Prepared:
    """The workload's rows (type, data, metadata) per command and per case, encoded outside any timing."""

    def __init__(self, workload: Workload) -> None:
        self.workload = workload
        self.steps: list[list[tuple[str, int, str, bytes]]] = []
        versions: dict[str, int] = {}
        for case, step in workload.interleaved_steps():
            rows = []
            for stream, events in (
                (case_stream(case.case_id), step.case_events),
                (unit_stream(step.unit_id) if step.unit_id else "", step.unit_events),
            ):
                for event in events:
                    versions[stream] = versions.get(stream, 0) + 1
                    name, _, data = codec.encode_event(event)
                    rows.append((stream, versions[stream], name, data))
            self.steps.append(rows)
        self.cases = [
            [(case_stream(c.case_id), i + 1, *codec.encode_event(e)[::2]) for i, e in enumerate(c.events)]
            for c in workload.cases
        ]


def command_cycle(raw: Raw, prepared: Prepared) -> int:
    """One transaction per command with that command's rows."""
    n = 0
    for rows in prepared.steps:
        now = raw.now()
        raw.write([(s, v, raw.event_id(), t, d, b"{}", now) for s, v, t, d in rows])
        n += len(rows)
    return n


def bulk_append(raw: Raw, prepared: Prepared) -> int:
    """One transaction per case with all of its rows."""
    n = 0
    for rows in prepared.cases:
        now = raw.now()
        raw.write([(s, v, raw.event_id(), t, d, b"{}", now) for s, v, t, d in rows])
        n += len(rows)
    return n


def load_all(raw: Raw, prepared: Prepared) -> int:
    """Select each case's rows in version order and parse them."""
    n = 0
    for case in prepared.workload.cases:
        rows = raw.conn.execute(raw.by_stream, (case_stream(case.case_id),)).fetchall()
        for _, data in rows:
            orjson.loads(data)
        n += len(rows)
    return n


def replay_all(raw: Raw) -> int:
    """Select every row in position order (streamed) and parse it."""
    n = 0
    sql = "SELECT position, stream_id, version, type, data, metadata FROM events ORDER BY position"
    if raw.kind == "sqlite":
        rows: Any = raw.conn.execute(sql)
        for row in rows:
            orjson.loads(row[4])
            n += 1
        return n
    with raw.conn.transaction(), raw.conn.cursor(name="replay") as cur:
        cur.itersize = 1000
        cur.execute(sql)
        for row in cur:
            orjson.loads(row[4])
            n += 1
    return n
