"""``verify`` reads the store once, in order, and reads a stream again only when something in it is off;
the classifier names renumbered deletions and recomputed hashes too (rows built with the real hash recipe)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import FindingKind, verify
from rehabcore.audit.classify import classify
from rehabcore.store import GENESIS_HASH, StoredEvent, event_hash

from .story import CASE_WORKER, goal, told


class Counting:
    """A real store, with its reads counted."""

    def __init__(self, store: rc.EventStore) -> None:
        self.store = store
        self.stream_reads: list[str] = []
        self.all_reads = 0

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        self.all_reads += 1
        return self.store.read_all(after=after, limit=limit, types=types)

    def audit_rows(self, *, stream_id: str | None = None) -> Iterator[StoredEvent]:
        if stream_id is None:
            self.all_reads += 1
        else:
            self.stream_reads.append(stream_id)
        return self.store.audit_rows(stream_id=stream_id)  # type: ignore[attr-defined, no-any-return]

    def read_stream(self, stream_id: str, **kw: object) -> list[StoredEvent]:
        self.stream_reads.append(stream_id)
        return self.store.read_stream(stream_id, **kw)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)


def test_an_intact_store_is_read_once_in_order_and_progress_counts_every_event() -> None:
    store = rc.InMemoryStore()
    demo.build(store, people=12)
    counting = Counting(store)
    seen: list[int] = []
    report = verify(counting, progress=seen.append)  # type: ignore[arg-type]
    assert report.intact and report.events == store.head_position() == sum(seen)
    assert (counting.all_reads, counting.stream_reads) == (1, [])


def _rechained(rows: list[StoredEvent]) -> list[StoredEvent]:
    """Rows with versions 1..n and hashes recomputed by the recipe, as a forger who knows it would."""
    out, previous = [], GENESIS_HASH
    for n, r in enumerate(rows, start=1):
        h = event_hash(
            previous, r.stream_id, n, r.event_id, r.type, r.schema_version, r.data, r.metadata, r.recorded_at
        )
        out.append(attrs.evolve(r, version=n, hash=h))
        previous = h
    return out


def _a_stream() -> list[StoredEvent]:
    store = rc.InMemoryStore()
    demo.build(store, people=12)
    streams: dict[str, list[StoredEvent]] = {}
    for e in store.read_all():
        streams.setdefault(e.stream_id, []).append(e)
    return max(streams.values(), key=len)


def test_a_deleted_event_with_later_versions_renumbered_is_named_as_deleted() -> None:
    rows = _a_stream()
    renumbered = [
        r if r.version < 4 else attrs.evolve(r, version=r.version - 1) for r in rows if r.version != 4
    ]
    assert {(f.kind, f.version) for f in classify(renumbered)} == {(FindingKind.DELETED, 4)}


def test_an_edit_with_a_recomputed_hash_breaks_the_chain_at_the_next_event() -> None:
    rows = _a_stream()
    edited = attrs.evolve(rows[2], data=rows[2].data.replace(b"20", b"19"))
    forged = _rechained([*rows[:2], edited])[2]  # the forger recomputes v3's hash, not what follows
    findings = classify([*rows[:2], forged, *rows[3:]])
    assert [(f.kind, f.version) for f in findings] == [(FindingKind.EDITED, 4)]
    assert "recomputed hash" in findings[0].detail


def test_a_stream_given_to_classify_is_always_named_and_nothing_is_nothing() -> None:
    rows = _a_stream()
    assert [f.version for f in classify(rows)] == [None]
    assert classify([]) == []


def test_verify_as_known_at_a_moment_gives_the_digest_that_would_have_been_exported_then() -> None:
    cases, clock = told()
    then = verify(cases.store).digest
    moment = clock.now
    cases.handle(attrs.evolve(goal("Laga mat"), goal_id=rc.new_case_id()), actor=CASE_WORKER)
    assert verify(cases.store).digest != then
    report = verify(cases.store, as_known_at=moment)
    assert report.intact and report.digest == then and report.events == then.events
