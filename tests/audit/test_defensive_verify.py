"""``verify`` never raises on what a row holds: random tampering on SQLite and PostgreSQL is each named (#14).

The stores here are copies of a small demo store whose events table was rebuilt without constraints, as an
attacker with SQL access may do, so that NULLs and duplicates can be written too. Every example verifies
against the digest exported before the tampering, so that moves in the global order are caught as well.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import FindingKind, HeadDigest, verify

EVENTS = "rehabcore_events"
MUTATIONS = ("edit", "wrong_type", "null", "delete", "insert", "swap", "move", "position_swap")


def _verify(url: str, against: HeadDigest | None = None) -> rc.audit.VerifyReport:
    store = rc.open_store(url)
    try:
        return verify(store, against=against)
    finally:
        store.close()


class Db:
    """Raw SQL on a copy of the template; ``p`` is the driver's placeholder."""

    def __init__(self, url: str, run: Callable[..., list[tuple[Any, ...]]], p: str, sqlite: bool) -> None:
        self.url, self.run, self.p, self.sqlite = url, run, p, sqlite

    def rows(self) -> list[tuple[int, str, int]]:
        return [
            (int(p), str(s), int(v))
            for p, s, v in self.run(f"SELECT position, stream_id, version FROM {EVENTS} ORDER BY position")
        ]


def _mutate(db: Db, kind: str, row: tuple[int, str, int], other: tuple[int, str, int], variant: int) -> str:
    """Apply one kind of tampering to ``row``; return the stream id the report must name."""
    p, at = db.p, row[0]
    where = f"WHERE position = {p}"
    if kind == "edit":
        ((data,),) = db.run(f"SELECT data FROM {EVENTS} {where}", at)
        db.run(f"UPDATE {EVENTS} SET data = {p} {where}", bytes(data).replace(b"2", b"1", 1) + b" ", at)
    elif kind == "wrong_type":
        if db.sqlite:
            change = (
                "data = replace(data, '20', '19')",  # replace() on a BLOB returns TEXT
                "recorded_at = CAST(recorded_at AS TEXT) || 'x'",
                "recorded_at = 9223372036854775807",
                "event_id = 'not a hex id at all'",
                "hash = CAST(hash AS TEXT)",
                "data = CAST(data AS TEXT)",
            )[variant % 6]
        else:
            change = ("recorded_at = 'infinity'", "recorded_at = '-infinity'", "hash = 'short'::bytea")[
                variant % 3
            ]
        db.run(f"UPDATE {EVENTS} SET {change} {where}", at)
    elif kind == "null":
        column = ("data", "metadata", "recorded_at", "hash", "event_id", "stream_id", "version", "type")
        db.run(f"UPDATE {EVENTS} SET {column[variant % len(column)]} = NULL {where}", at)
    elif kind == "delete":
        db.run(f"DELETE FROM {EVENTS} {where}", at)
    elif kind == "insert":
        new_id = uuid.uuid4().hex if db.sqlite else uuid.uuid4()
        db.run(
            f"INSERT INTO {EVENTS} SELECT (SELECT max(position) + 1 FROM {EVENTS}), stream_id, version + 1, "
            f"{p}, type, schema_version, data, metadata, recorded_at, hash FROM {EVENTS} {where}",
            new_id,
            at,
        )
    elif kind == "swap":
        db.run(f"UPDATE {EVENTS} SET version = version + 1 {where}", at)
    elif kind == "move":
        db.run(f"UPDATE {EVENTS} SET stream_id = {p} {where}", other[1], at)
    elif kind == "position_swap":
        db.run(f"UPDATE {EVENTS} SET position = -1 WHERE position = {p}", other[0])
        db.run(f"UPDATE {EVENTS} SET position = {p} {where}", other[0], at)
        db.run(f"UPDATE {EVENTS} SET position = {p} WHERE position = -1", at)
        return "(log)"
    return row[1]


plans = st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 50)),
    min_size=1,
    max_size=3,
)


def _check(db: Db, digest: HeadDigest, plan: list[tuple[str, int, int, int]]) -> None:
    rows = db.rows()
    used: set[int] = set()
    expected: set[str] = set()
    for kind, pick, pick_other, variant in plan:
        free = [r for r in rows if r[0] not in used]
        if len(free) < 2:
            break
        row = free[pick % len(free)]
        others = [r for r in free if r[1] != row[1]]
        other = others[pick_other % len(others)]
        used |= {row[0], other[0]}
        expected.add(_mutate(db, kind, row, other, variant))
    report = _verify(db.url, against=digest)  # never raises, whatever the rows hold
    named = {f.stream_id for f in report.findings}
    assert not report.intact
    assert expected <= named, (expected - named, [str(f) for f in report.findings])
    # The digest of the tampered store is not the one exported before.
    assert report.digest.token != digest.token


@pytest.fixture(scope="module")
def loose_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HeadDigest]:
    """A small demo store whose events table has no NOT NULL or unique constraints left."""
    path = tmp_path_factory.mktemp("loose") / "template.sqlite"
    store = rc.open_store(f"sqlite:///{path}")
    try:
        demo.build(store, people=3)
    finally:
        store.close()
    conn = sqlite3.connect(path)
    conn.executescript(
        f"CREATE TABLE loose AS SELECT * FROM {EVENTS}; DROP TABLE {EVENTS}; "
        f"ALTER TABLE loose RENAME TO {EVENTS};"
    )
    conn.commit()
    conn.close()
    return path, _verify(f"sqlite:///{path}").digest


@given(plan=plans)
def test_random_tampering_on_sqlite_is_named_and_verify_never_raises(
    loose_template: tuple[Path, HeadDigest], plan: list[tuple[str, int, int, int]]
) -> None:
    template, digest = loose_template
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.sqlite"
        shutil.copyfile(template, path)
        conn = sqlite3.connect(path)

        def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            rows = conn.execute(sql, params).fetchall()
            conn.commit()
            return rows

        try:
            _check(Db(f"sqlite:///{path}", run, "?", True), digest, plan)
        finally:
            conn.close()


@pytest.fixture(scope="module")
def pg_template(postgres_url: str) -> Iterator[tuple[str, sa.Engine, HeadDigest]]:
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"tpl_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in postgres_url else "?"
    store = rc.open_store(f"{postgres_url}{sep}options=-csearch_path%3D{name}")
    try:
        demo.build(store, people=3)
        digest = verify(store).digest
    finally:
        store.close()
    yield name, admin, digest
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    admin.dispose()


@settings(max_examples=20)
@given(plan=plans)
def test_random_tampering_on_postgresql_is_named_and_verify_never_raises(
    postgres_url: str, pg_template: tuple[str, sa.Engine, HeadDigest], plan: list[tuple[str, int, int, int]]
) -> None:
    template, admin, digest = pg_template
    name = f"t_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
        # No constraints: CREATE TABLE AS copies the rows and the column types only.
        conn.exec_driver_sql(f"CREATE TABLE {name}.{EVENTS} AS TABLE {template}.{EVENTS}")
        conn.exec_driver_sql(
            f"CREATE TABLE {name}.rehabcore_schema_version AS TABLE {template}.rehabcore_schema_version"
        )
    sep = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{sep}options=-csearch_path%3D{name}"
    raw = admin.raw_connection()

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        cursor = raw.cursor()
        cursor.execute(f"SET search_path = {name}")
        cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        raw.commit()
        return [tuple(r) for r in rows]

    try:
        _check(Db(url, run, "%s", False), digest, plan)
    finally:
        raw.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_edited_date_and_a_deletion_elsewhere_are_both_named(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """The issue's reproduction, on the real schema: ``replace()`` on a BLOB, and a row deleted elsewhere."""
    url = request.getfixturevalue("demo_sqlite" if backend == "sqlite" else "demo_pg")
    rows = rc.open_store(url)
    try:
        cases = sorted({e.stream_id for e in rows.read_all() if e.stream_id.startswith("case-")})
    finally:
        rows.close()
    edited, deleted = cases[0], cases[1]
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute(
            f"UPDATE {EVENTS} SET data = replace(data, '20', '19') WHERE stream_id = ? AND version = 2",
            (edited,),
        )
        conn.execute(
            f"UPDATE {EVENTS} SET recorded_at = 'yesterday' WHERE stream_id = ? AND version = 3", (edited,)
        )
        conn.execute(f"DELETE FROM {EVENTS} WHERE stream_id = ? AND version = 2", (deleted,))
        conn.commit()
        conn.close()
    else:
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as conn:
            conn.execute(
                sa.text(f"UPDATE {EVENTS} SET recorded_at = 'infinity' WHERE stream_id = :s AND version = 3"),
                {"s": edited},
            )
            conn.execute(
                sa.text(f"DELETE FROM {EVENTS} WHERE stream_id = :s AND version = 2"), {"s": deleted}
            )
        engine.dispose()
    report = _verify(url)
    kinds = {(f.kind, f.stream_id, f.version) for f in report.findings}
    assert (FindingKind.DELETED, deleted, 2) in kinds
    assert (FindingKind.UNREADABLE, edited, 3) in kinds
    if backend == "sqlite":
        assert (FindingKind.WRONG_TYPE, edited, 2) in kinds
        assert (FindingKind.EDITED, edited, 2) in kinds
    unreadable = next(f for f in report.findings if f.kind is FindingKind.UNREADABLE)
    assert "recorded_at" in unreadable.detail
