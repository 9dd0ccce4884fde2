"""Tampering done behind rehabcore's back, with SQL, is caught by ``verify`` and named by stream and version.

Each test edits a real store directly: the SQLite file through the ``sqlite3`` module, PostgreSQL through SQL
on its own connection. Nothing goes through the store adapter's write path.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.audit import FindingKind, HeadDigest, verify
from rehabcore.store import event_hash

Run = Callable[..., list[tuple[Any, ...]]]


class Backend:
    """Raw SQL on one store, plus the few expressions that differ between the two dialects."""

    def __init__(self, url: str, run: Run, name: str, **sql: str) -> None:
        self.url, self.run, self.name = url, run, name
        self.new_id, self.forged_hash, self.backdated = sql["new_id"], sql["forged_hash"], sql["backdated"]

    def verify(self, against: HeadDigest | None = None) -> rc.audit.VerifyReport:
        store = rc.open_store(self.url)
        try:
            return verify(store, against=against)
        finally:
            store.close()

    def rows(self, stream: str) -> list[rc.StoredEvent]:
        store = rc.open_store(self.url)
        try:
            return store.read_stream(stream)
        finally:
            store.close()

    def a_long_case(self) -> tuple[str, int]:
        """The case stream with the most events, and its last version."""
        rows = self.run(
            "SELECT stream_id, max(version) AS last FROM rehabcore_events WHERE stream_id LIKE 'case-%' "
            "GROUP BY stream_id ORDER BY last DESC, stream_id LIMIT 1"
        )
        stream, last = rows[0]
        assert last >= 6
        return str(stream), int(last)


def _sqlite_backend(url: str) -> Iterator[Backend]:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))

    def run(sql: str, **params: Any) -> list[tuple[Any, ...]]:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows

    yield Backend(
        url,
        run,
        "sqlite",
        new_id="lower(hex(randomblob(16)))",
        forged_hash="randomblob(32)",
        backdated="CAST(replace(CAST(data AS TEXT), '20', '19') AS BLOB)",
    )
    conn.close()


def _pg_backend(url: str) -> Iterator[Backend]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)

    def run(sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []

    yield Backend(
        url,
        run,
        "postgresql",
        new_id="gen_random_uuid()",
        forged_hash="sha256('forged'::bytea)",
        backdated="convert_to(replace(convert_from(data, 'UTF8'), '20', '19'), 'UTF8')",
    )
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield from _sqlite_backend(request.getfixturevalue("demo_sqlite"))
    else:
        yield from _pg_backend(request.getfixturevalue("demo_pg"))


def _kinds(report: rc.audit.VerifyReport) -> set[tuple[FindingKind, str, int | None]]:
    return {(f.kind, f.stream_id, f.version) for f in report.findings}


def test_the_untouched_store_verifies(backend: Backend) -> None:
    report = backend.verify()
    assert report.intact, report.findings
    assert report.events == report.head_position > 50
    assert report.streams > 10  # a case stream per person, and the units'


def test_an_updated_payload_is_named_as_edited(backend: Backend) -> None:
    stream, _ = backend.a_long_case()
    backend.run(
        f"UPDATE rehabcore_events SET data = {backend.backdated} WHERE stream_id = :s AND version = 3",
        s=stream,
    )
    assert _kinds(backend.verify()) == {(FindingKind.EDITED, stream, 3)}


def test_a_deleted_middle_event_is_named_as_deleted(backend: Backend) -> None:
    stream, _ = backend.a_long_case()
    backend.run("DELETE FROM rehabcore_events WHERE stream_id = :s AND version = 4", s=stream)
    assert _kinds(backend.verify()) == {
        (FindingKind.DELETED, stream, 4),
        (FindingKind.DELETED, "(store)", None),
    }


def test_a_deleted_last_event_is_caught_by_the_head_digest(backend: Backend) -> None:
    stream, last = backend.a_long_case()
    digest = HeadDigest.from_json(backend.verify().digest.to_json())  # exported, kept elsewhere
    backend.run("DELETE FROM rehabcore_events WHERE stream_id = :s AND version = :v", s=stream, v=last)
    # The chain alone cannot see a missing tail: what is left still links up. The hole it leaves in the
    # positions shows that a row is gone, but not whose.
    assert _kinds(backend.verify()) == {(FindingKind.DELETED, "(store)", None)}
    report = backend.verify(against=digest)
    assert _kinds(report) == {
        (FindingKind.DELETED, stream, last),
        (FindingKind.DELETED, "(store)", None),
        (FindingKind.LOG_CHANGED, "(log)", None),  # the log chain up to the digest's head lost a row
    }


def test_the_newest_event_of_the_store_deleted_is_caught_only_by_the_head_digest(backend: Backend) -> None:
    digest = backend.verify().digest
    ((stream, last),) = backend.run(
        "SELECT stream_id, version FROM rehabcore_events "
        "WHERE position = (SELECT max(position) FROM rehabcore_events)"
    )
    backend.run("DELETE FROM rehabcore_events WHERE stream_id = :s AND version = :v", s=stream, v=last)
    assert (
        backend.verify().intact
    )  # no chain and no position shows it: what is left is a smaller, whole store
    assert (FindingKind.DELETED, stream, last) in _kinds(backend.verify(against=digest))


def test_two_swapped_versions_are_named_as_reordered(backend: Backend) -> None:
    stream, _ = backend.a_long_case()
    for sql in (
        "UPDATE rehabcore_events SET version = -1 WHERE stream_id = :s AND version = 2",
        "UPDATE rehabcore_events SET version = 2 WHERE stream_id = :s AND version = 3",
        "UPDATE rehabcore_events SET version = 3 WHERE stream_id = :s AND version = -1",
    ):
        backend.run(sql, s=stream)
    assert _kinds(backend.verify()) == {
        (FindingKind.REORDERED, stream, 2),
        (FindingKind.REORDERED, stream, 3),
    }


def test_a_forged_event_appended_to_a_case_is_named_as_inserted(backend: Backend) -> None:
    stream, last = backend.a_long_case()
    backend.run(
        "INSERT INTO rehabcore_events (position, stream_id, version, event_id, type, schema_version, data, "
        f"metadata, recorded_at, hash) SELECT (SELECT max(position) + 1 FROM rehabcore_events), stream_id, "
        f"version + 1, {backend.new_id}, type, schema_version, data, metadata, recorded_at, "
        f"{backend.forged_hash} FROM rehabcore_events WHERE stream_id = :s AND version = :v",
        s=stream,
        v=last,
    )
    assert _kinds(backend.verify()) == {(FindingKind.INSERTED, stream, last + 1)}


def test_an_event_pushed_into_the_middle_with_a_recomputed_hash_is_named_as_inserted(
    backend: Backend,
) -> None:
    """The forger knows the hash recipe and renumbers what follows; the old events give it away."""
    stream, _ = backend.a_long_case()
    rows = backend.rows(stream)
    template, before = rows[4], rows[2]  # the forged entry copies v5's content into place v4, after v3
    forged_id = _derived_id(template)
    forged_hash = event_hash(
        before.hash,
        stream,
        4,
        forged_id,
        template.type,
        template.schema_version,
        template.data,
        template.metadata,
        template.recorded_at,
    )
    backend.run(
        "UPDATE rehabcore_events SET version = -version WHERE stream_id = :s AND version >= 4", s=stream
    )
    backend.run(
        "UPDATE rehabcore_events SET version = 1 - version WHERE stream_id = :s AND version < 0", s=stream
    )
    position = backend.run("SELECT max(position) + 1 FROM rehabcore_events")[0][0]
    backend.run(
        "INSERT INTO rehabcore_events (position, stream_id, version, event_id, type, schema_version, data, "
        "metadata, recorded_at, hash) VALUES (:p, :s, 4, :id, :t, :sv, :d, :m, :r, :h)",
        p=position,
        s=stream,
        id=forged_id.hex if backend.name == "sqlite" else forged_id,
        t=template.type,
        sv=template.schema_version,
        d=template.data,
        m=template.metadata,
        r=_stored_time(template.recorded_at) if backend.name == "sqlite" else template.recorded_at,
        h=forged_hash,
    )
    assert _kinds(backend.verify()) == {(FindingKind.INSERTED, stream, 4)}


def _derived_id(template: rc.StoredEvent) -> uuid.UUID:
    """An id the forger derives from the template's command, as the real service would, but unused so far."""
    command_id = uuid.UUID(orjson.loads(template.metadata)["command_id"])
    return uuid.uuid5(command_id, f"{template.stream_id}/63")


def _stored_time(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def test_a_digest_file_that_was_altered_is_refused(backend: Backend) -> None:
    text = backend.verify().digest.to_json()
    altered = text.replace('"events": ', '"events": 1', 1)
    with pytest.raises(rc.InvalidInput, match="digest"):
        HeadDigest.from_json(altered)
