"""Checkpoints: they never move backwards, a batch and its checkpoint move together, and a stale or
competing batch is refused, on every projection store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.projections import (
    CheckpointConflict,
    CheckpointMovedBackwards,
    MemoryProjectionStore,
    ProjectionOutdated,
    ProjectionStore,
    Runner,
    decode,
)
from rehabcore.store import NewEvent, StreamWrite
from tests.projections.counting import Counting, StreamCount

Factory = Callable[[], ProjectionStore]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def make_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    made: list[ProjectionStore] = []

    def make() -> ProjectionStore:
        if request.param == "memory":
            target: ProjectionStore = MemoryProjectionStore()
        else:
            from rehabcore_sqlalchemy.projections import SqlProjectionStore

            url = (
                f"sqlite:///{tmp_path / 'rm.sqlite'}"
                if request.param == "sqlite"
                else request.getfixturevalue("pg_url")
            )
            target = SqlProjectionStore.from_url(url)
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


def _store(events: int = 12) -> rc.InMemoryStore:
    """``events`` real events over three streams (Counting looks only at envelopes)."""
    store = rc.InMemoryStore()
    for n in range(events):
        name, version, data = codec.encode_event(ev.CaseReopened(occurred_on=dt.date(2025, 1, 1 + n)))
        store.append(StreamWrite(f"stream-{n % 3}", [NewEvent(uuid.uuid4(), name, version, data)]))
    return store


def _batch(store: rc.EventStore, after: int, limit: int) -> list[rc.Recorded]:
    return [decode(s) for s in store.read_all(after=after, limit=limit)]


def _counts(target: ProjectionStore, projection: Counting) -> dict[str, StreamCount]:
    return {c.stream_id: c for c in target.values(projection)}


def test_recording_a_lower_position_is_refused_and_changes_nothing(make_target: Factory) -> None:
    target = make_target()
    target.record_checkpoint("p", 5)
    target.record_checkpoint("p", 5)  # standing still is not moving back
    target.record_checkpoint("p", 9)
    with pytest.raises(CheckpointMovedBackwards) as refused:
        target.record_checkpoint("p", 8)
    assert (refused.value.stored, refused.value.given) == (9, 8)
    assert target.checkpoint("p") == 9
    assert target.checkpoint("other") == 0


@pytest.mark.parametrize("bad", [-1, True, 1.5, "3"])
def test_a_checkpoint_is_a_position(make_target: Factory, bad: object) -> None:
    target = make_target()
    with pytest.raises(rc.InvalidInput):
        target.record_checkpoint("p", bad)  # type: ignore[arg-type]
    assert target.checkpoint("p") == 0


def test_a_batch_ending_below_the_checkpoint_is_refused(make_target: Factory) -> None:
    store, target, counting = _store(), make_target(), Counting()
    target.apply(counting, _batch(store, 0, 6), after=0, up_to=6)
    with pytest.raises(CheckpointMovedBackwards):
        target.apply(counting, [], after=6, up_to=4)
    assert target.checkpoint("counting") == 6
    assert sum(c.events for c in _counts(target, counting).values()) == 6


def test_a_batch_read_before_another_runner_moved_the_checkpoint_is_refused(make_target: Factory) -> None:
    store, target, counting = _store(), make_target(), Counting()
    stale = _batch(store, 0, 4)
    target.apply(counting, _batch(store, 0, 6), after=0, up_to=6)
    with pytest.raises(CheckpointConflict):
        target.apply(counting, stale, after=0, up_to=4)
    assert target.checkpoint("counting") == 6
    assert sum(c.events for c in _counts(target, counting).values()) == 6


def test_a_batch_that_fails_half_way_leaves_values_and_checkpoint_as_they_were(make_target: Factory) -> None:
    store, target = _store(), make_target()
    target.apply(Counting(), _batch(store, 0, 3), after=0, up_to=3)
    before = _counts(target, Counting())
    with pytest.raises(RuntimeError):
        target.apply(Counting(poison=8), _batch(store, 3, 9), after=3, up_to=12)
    assert target.checkpoint("counting") == 3
    assert _counts(target, Counting()) == before
    # And the runner goes on from there, counting each event once.
    Runner(store, target, [Counting()], batch_size=4).catch_up()
    counts = _counts(target, Counting())
    assert {c.stream_id: c.events for c in counts.values()} == {f"stream-{n}": 4 for n in range(3)}
    assert all(c.events == c.last_version for c in counts.values())


def test_rebuild_starts_from_zero_and_counts_once(make_target: Factory) -> None:
    store, target = _store(), make_target()
    runner = Runner(store, target, [Counting()], batch_size=5)
    runner.catch_up()
    runner.catch_up()
    assert runner.rebuild() == 12
    assert sum(c.events for c in _counts(target, Counting()).values()) == 12
    assert [(s.name, s.checkpoint, s.head, s.behind) for s in runner.status()] == [("counting", 12, 12, 0)]


def test_an_undecodable_event_stops_the_runner_before_anything_is_applied() -> None:
    store = _store(3)
    store.append(StreamWrite("stream-x", [NewEvent(uuid.uuid4(), "rehab.NoSuchEvent", 1, b"{}")]))
    target = MemoryProjectionStore()
    with pytest.raises(rc.DecodeError):
        Runner(store, target, [Counting()]).catch_up()
    assert target.checkpoint("counting") == 0
    assert list(target.values(Counting())) == []


def test_runner_settings_are_checked() -> None:
    store = rc.InMemoryStore()
    with pytest.raises(rc.InvalidInput):
        Runner(store, batch_size=0)
    with pytest.raises(rc.InvalidInput):
        Runner(store, projections=[Counting(), Counting()])


def test_sql_state_of_another_projection_version_must_be_rebuilt(tmp_path: Path) -> None:
    from rehabcore_sqlalchemy.projections import SqlProjectionStore

    store = _store()
    target = SqlProjectionStore.from_url(f"sqlite:///{tmp_path / 'rm.sqlite'}")
    try:
        Runner(store, target, [Counting()]).catch_up()
        newer = Counting(version=2)
        with pytest.raises(ProjectionOutdated):
            list(target.values(newer))
        with pytest.raises(ProjectionOutdated):
            Runner(store, target, [newer]).catch_up()
        assert Runner(store, target, [newer]).rebuild() == 12
        assert sum(c.events for c in target.values(newer)) == 12
    finally:
        target.close()


def test_rebuild_reports_progress_up_to_the_head() -> None:
    store = _store(30)
    calls: list[tuple[str, int, int]] = []
    applied = Runner(store, MemoryProjectionStore(), [Counting()], batch_size=7).rebuild(
        progress=lambda name, done, total: calls.append((name, done, total))
    )
    assert applied == 30
    assert [done for _, done, _ in calls] == [7, 14, 21, 28, 30]
    assert {(name, total) for name, _, total in calls} == {("counting", 30)}
