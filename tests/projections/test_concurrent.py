"""Writers append while runners follow: the read models count every event exactly once (SQLite, PostgreSQL),
and a retraction read while writers go on frees its place exactly once.

Two runners follow the same read models at once, so batches also race each other for the checkpoint.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import CASES, PLACES, UNITS, MemoryProjectionStore, ReadModels, Runner
from tests.projections.counting import Counting

WRITERS, CASES_EACH = 3, 6
DAY0 = dt.date(2025, 3, 3)
ACTOR = rc.Actor(id="hand-1", role=v.Role.CASE_WORKER, unit="AME")


def _write(store: rc.EventStore, writer: int, unit_id: uuid.UUID, errors: list[BaseException]) -> None:
    try:
        # Three writers on one unit stream: give the optimistic retries room.
        cases = rc.Cases(store, today=lambda: dt.date(2025, 12, 1), max_attempts=200)
        for n in range(CASES_EACH):
            case_id = uuid.uuid5(unit_id, f"{writer}/{n}")
            cases.handle(
                cmd.OpenCase(
                    case_id=case_id,
                    subject_id=uuid.uuid4(),
                    opened_on=DAY0,
                    jurisdiction=v.Jurisdiction.SE,
                    municipality_code="2284",
                    source=v.ReferralSource.INCOME_SUPPORT,
                ),
                actor=ACTOR,
            )
            # Every writer takes places at the same unit: its stream is contended, and Cases retries.
            cases.handle(
                cmd.StartPlacement(
                    case_id=case_id,
                    placement_id=uuid.uuid5(case_id, "p"),
                    unit_id=unit_id,
                    kind=v.PlacementKind.WORK_TRAINING,
                    basis=v.Basis.required_activity(),
                    start_on=DAY0 + dt.timedelta(days=n),
                    planned_end_on=DAY0 + dt.timedelta(days=90),
                    hours_per_week=20,
                ),
                actor=ACTOR,
            )
            if n % 4 == 0:
                # Recorded on the wrong case: the retraction frees the place while the followers read on.
                started = next(
                    s.event_id
                    for s in store.read_stream(rc.case_stream(case_id))
                    if s.type == "rehab.PlacementStarted"
                )
                cases.handle(
                    cmd.RetractEntry(
                        case_id=case_id, event_id=started, retracted_on=DAY0, reason="fel ärende"
                    ),
                    actor=ACTOR,
                )
            if n % 2:
                cases.handle(
                    cmd.ExitToWork(
                        case_id=case_id,
                        exit_on=DAY0 + dt.timedelta(days=30 + n),
                        employment_form=v.EmploymentForm.OPEN,
                        employer_sector=v.EmployerSector.PRIVATE,
                        extent_pct=100,
                    ),
                    actor=ACTOR,
                )
    except BaseException as exc:  # surfaced by the test thread
        errors.append(exc)


def _follow(store: rc.EventStore, stop: threading.Event, errors: list[BaseException], batch: int) -> None:
    try:
        Runner(store, projections=[Counting(), CASES, UNITS, PLACES], batch_size=batch).follow(
            stop, poll_interval=0.01
        )
    except BaseException as exc:
        errors.append(exc)


def _run(open_: Callable[[], rc.EventStore]) -> None:
    store = open_()
    unit_id = uuid.uuid4()
    rc.Cases(store).handle(
        cmd.RegisterUnit(
            unit_id=unit_id,
            registered_on=dt.date(2025, 1, 1),
            name="Återbruket",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=100,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        actor=ACTOR,
    )
    errors: list[BaseException] = []
    stop = threading.Event()
    # Each follower has its own store connection pool, as two processes would.
    followers = [threading.Thread(target=_follow, args=(open_(), stop, errors, batch)) for batch in (3, 5)]
    writers = [threading.Thread(target=_write, args=(open_(), w, unit_id, errors)) for w in range(WRITERS)]
    for t in followers + writers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    stop.set()
    for t in followers:
        t.join(timeout=120)
    assert not errors, errors

    runner = Runner(store, projections=[Counting(), CASES, UNITS, PLACES])
    counts = {c.stream_id: c for c in runner.target.values(Counting())}
    head = store.head_position()
    streams = {e.stream_id for e in store.read_all()}
    assert set(counts) == streams
    for stream, c in counts.items():
        assert c.events == c.last_version == len(store.read_stream(stream)), stream
    # Per case: opened (1), placement and place taken (2); every other case: exit, end, place released (3);
    # every fourth: retraction and place withdrawn (2).
    retracted = len(range(0, CASES_EACH, 4))
    assert (
        sum(c.events for c in counts.values())
        == head
        == 1 + WRITERS * (CASES_EACH * 3 + CASES_EACH // 2 * 3 + retracted * 2)
    )
    assert all(s.checkpoint == s.head for s in runner.status())

    fresh = MemoryProjectionStore()
    Runner(store, fresh).catch_up()
    on = DAY0 + dt.timedelta(days=40)
    live, rebuilt = ReadModels(runner.target), ReadModels(fresh)
    assert live.caseload() == rebuilt.caseload()
    assert live.occupancy(on) == rebuilt.occupancy(on)
    assert live.outcomes(on) == rebuilt.outcomes(on)
    assert live.placed(on) == rebuilt.placed(on)
    day10 = DAY0 + dt.timedelta(days=10)
    assert sum(r.occupied for r in live.occupancy(day10)) == WRITERS * (CASES_EACH - retracted)


def test_sqlite_followers_count_every_event_once(sqlite_url: str) -> None:
    _run(lambda: rc.open_store(sqlite_url))


@pytest.mark.usefixtures("postgres_url")
def test_postgresql_followers_count_every_event_once(pg_url: str) -> None:
    _run(lambda: rc.open_store(pg_url))
