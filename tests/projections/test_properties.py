"""For random histories: incremental read models = a fresh rebuild = the direct computation from folded
states, and a runner stopped between any two batches and started again ends in the same place. The
histories correct and retract entries along the way, and the direct computation reads every case as
``Cases.get`` does (its effective history)."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain.vocabulary import Role
from rehabcore.projections import MemoryProjectionStore, ProjectionStore, ReadModels, Runner, decode
from rehabcore.testing.strategies import BASE_DATE, Pools, case_scripts
from tests.projections import oracle
from tests.projections.histories import Amend, Step, aim, amendments, lifelike, register_units

TODAY = dt.date(2026, 6, 1)
GRID = [BASE_DATE + dt.timedelta(days=n) for n in range(0, 750, 45)]


def _dates(store: rc.EventStore) -> list[dt.date]:
    """A grid, plus the days things happened and the days after: where off-by-one mistakes show."""
    happened = sorted({decode(s).event.occurred_on for s in store.read_all()})
    edges = {d + dt.timedelta(days=k) for d in happened[:: max(len(happened) // 12, 1)] for k in (0, 1)}
    return sorted(set(GRID) | edges)


PARAMETERS = rc.RuleParameters()
UNITS = (uuid.UUID(int=1001), uuid.UUID(int=1002))
ACTORS = [
    rc.Actor(id="hand-1", role=Role.CASE_WORKER, unit="AME"),
    rc.Actor(id="staff-1", role=Role.UNIT_STAFF, unit="Återbruket"),
    rc.Actor(id="lss-1", role=Role.LSS_OFFICER, unit="LSS"),
    rc.Actor(id="hand-2", role=Role.CASE_WORKER, unit="AME Nord"),
]


def _pools(n: int) -> Pools:
    return Pools(uuid.UUID(int=n + 1), UNITS, tuple(uuid.UUID(int=100 * (n + 1) + k) for k in range(5)))


# Three lifelike cases and one of the library's rule-probing scripts, all on the same two units.
histories = st.tuples(*(lifelike(_pools(n)) for n in range(3)), case_scripts(_pools(3), max_size=10))


def _interleaved(scripts: Sequence[Sequence[Step]]) -> Iterator[Step]:
    """Round robin over the cases, so batches mix streams as a municipality's store does."""
    yield from register_units(UNITS)
    for i in range(max(len(s) for s in scripts)):
        for script in scripts:
            if i < len(script):
                yield script[i]


def _record(
    scripts: Sequence[Sequence[Step]],
    store: rc.InMemoryStore | None = None,
    after_each: Callable[[int], object] | None = None,
) -> rc.InMemoryStore:
    """Handle every command (a rejected one is simply not recorded), calling ``after_each`` after each.

    A correction is aimed at the case as recorded by then (:func:`~tests.projections.histories.aim`)."""
    store = rc.InMemoryStore() if store is None else store
    cases = rc.Cases(store, today=lambda: TODAY)
    for n, step in enumerate(_interleaved(scripts)):
        command = aim(step, store) if isinstance(step, Amend) else step
        if command is not None:
            with contextlib.suppress(rc.RuleViolation):
                cases.handle(command, actor=ACTORS[n % len(ACTORS)])
        if after_each is not None:
            after_each(n)
    for kind in ("EntryCorrected", "EntryRetracted"):
        event(f"{kind} recorded", amendments(store)[kind] > 0)
    return store


def _until_current(store: rc.EventStore, target: ProjectionStore, batch_size: int, batches: int) -> int:
    """Runners that each stop after ``batches`` batches (as if killed), until the read models are current."""
    runs = 0
    while True:
        runs += 1
        runner = Runner(store, target, batch_size=batch_size)
        runner.catch_up(max_batches=batches)
        if all(s.checkpoint == s.head for s in runner.status()):
            return runs


@given(histories, st.integers(1, 7), st.integers(1, 5))
def test_incremental_equals_rebuild_equals_direct_computation(
    scripts: tuple[list[Step], ...], batch_size: int, every: int
) -> None:
    store, target = rc.InMemoryStore(), MemoryProjectionStore()
    runner = Runner(store, target, batch_size=batch_size)
    _record(scripts, store, lambda n: n % every == 0 and runner.catch_up())
    runner.catch_up()

    dates = _dates(store)
    expected = oracle.snapshot(store, dates, PARAMETERS)
    assert oracle.from_models(ReadModels(target), dates) == expected

    fresh = MemoryProjectionStore()
    Runner(store, fresh).rebuild()
    assert oracle.from_models(ReadModels(fresh), dates) == expected


@given(histories, st.integers(1, 6), st.integers(1, 4))
def test_a_runner_stopped_between_any_two_batches_resumes_to_the_same_result(
    scripts: tuple[list[Step], ...], batch_size: int, batches: int
) -> None:
    store = _record(scripts)
    killed = MemoryProjectionStore()
    runs = _until_current(store, killed, batch_size, batches)
    fresh = MemoryProjectionStore()
    Runner(store, fresh).catch_up()
    dates = _dates(store)
    assert oracle.from_models(ReadModels(killed), dates) == oracle.from_models(ReadModels(fresh), dates)
    # The stops really fell between batches: more than one runner was needed whenever there was work.
    assert runs >= 1 + (store.head_position() > batch_size * batches)


@settings(max_examples=8)
@given(histories, st.integers(2, 9), st.integers(1, 3))
def test_sql_read_models_stopped_and_resumed_equal_the_direct_computation(
    scripts: tuple[list[Step], ...], batch_size: int, batches: int
) -> None:
    from rehabcore_sqlalchemy.projections import SqlProjectionStore

    store = _record(scripts)
    with tempfile.TemporaryDirectory() as tmp:
        target = SqlProjectionStore.from_url(f"sqlite:///{Path(tmp) / 'read-models.sqlite'}")
        try:
            _until_current(store, target, batch_size, batches)
            dates = _dates(store)
            expected = oracle.snapshot(store, dates, PARAMETERS)
            assert oracle.from_models(ReadModels(target), dates) == expected
        finally:
            target.close()


def test_the_histories_really_correct_and_retract_entries() -> None:
    """The properties above are only as good as their histories: count what the corrections did."""
    seen: Counter[str] = Counter()

    @settings(max_examples=60, derandomize=True, database=None)
    @given(histories)
    def record(scripts: tuple[list[Step], ...]) -> None:
        seen.update(amendments(_record(scripts)))

    record()
    # Thresholds well under what 60 examples give (over eight seeds, the fewest were 84 corrections, 27
    # retractions, 6 placement starts retracted, 3 moved to another unit, 25 corrected, 1 exit retracted).
    assert seen["EntryCorrected"] >= 30 and seen["EntryRetracted"] >= 15, seen
    # The ones the read models feel most: places given back, moved between units, exits gone.
    assert seen["retracted PlacementStarted"] >= 3, seen
    assert seen["moved PlacementStarted"] >= 2 and seen["corrected PlacementStarted"] >= 10, seen
    assert seen["retracted ExitedToWork"] + seen["retracted ExitedToStudies"] >= 1, dict(seen)
