"""A decision that authorises extending a placement is executed by that placement: a work-rehabilitation
placement continued under a new SoL decision is neither waiting for a place nor on IVO's list. On memory,
SQLite and PostgreSQL, and on read models stored before extensions were kept (refused until rebuilt)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.cli import main
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import CASES, MemoryProjectionStore, ProjectionOutdated, ReadModels, Runner
from tests.projections import oracle

TODAY = dt.date(2025, 12, 1)
ACTOR = rc.Actor(id="hand-3", role=v.Role.CASE_WORKER, unit="AME")
UNIT, CASE, PLACEMENT = uuid.UUID(int=0x1), uuid.UUID(int=0x2), uuid.UUID(int=0x3)
FIRST, SECOND = uuid.UUID(int=0x4), uuid.UUID(int=0x5)
SECOND_DECIDED = dt.date(2025, 3, 15)
EXTENDED = dt.date(2025, 3, 20)
ENDED = dt.date(2025, 6, 30)
DAY = dt.timedelta(days=1)


def _record(store: rc.EventStore) -> None:
    """A placement on one SoL decision, extended under a second one, then ended."""
    cases = rc.Cases(store, today=lambda: TODAY)

    def handle(command: cmd.Command) -> None:
        cases.handle(command, actor=ACTOR)

    handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=dt.date(2025, 1, 1),
            name="Återbruket",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=5,
            offers=(v.PlacementKind.WORK_TRAINING,),
        )
    )
    handle(
        cmd.OpenCase(
            case_id=CASE,
            subject_id=uuid.UUID(int=0x6),
            opened_on=dt.date(2025, 1, 2),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.INCOME_SUPPORT,
        )
    )
    for decision_id, decided, valid_to in (
        (FIRST, dt.date(2025, 1, 8), dt.date(2025, 3, 31)),
        (SECOND, SECOND_DECIDED, dt.date(2025, 12, 31)),
    ):
        handle(
            cmd.MakeDecision(
                case_id=CASE,
                decision_id=decision_id,
                decided_on=decided,
                outcome=v.DecisionOutcome.GRANT,
                legal_basis=v.LegalBases.sol_assistance(decided),
                service=v.ServiceKind.WORK_REHABILITATION,
                valid_from=decided,
                valid_to=valid_to,
            )
        )
        if decision_id == FIRST:
            handle(
                cmd.StartPlacement(
                    case_id=CASE,
                    placement_id=PLACEMENT,
                    unit_id=UNIT,
                    kind=v.PlacementKind.WORK_TRAINING,
                    basis=v.Basis.sol(FIRST),
                    start_on=dt.date(2025, 1, 10),
                    planned_end_on=dt.date(2025, 3, 31),
                    hours_per_week=20,
                )
            )
    handle(
        cmd.ExtendPlacement(
            case_id=CASE,
            placement_id=PLACEMENT,
            extended_on=EXTENDED,
            new_planned_end_on=dt.date(2025, 8, 31),
            authorising_decision_id=SECOND,
        )
    )
    handle(
        cmd.EndPlacement(case_id=CASE, placement_id=PLACEMENT, end_on=ENDED, reason=v.EndReason.OWN_CHOICE)
    )


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[rc.EventStore]:
    if request.param == "memory":
        opened: rc.EventStore = rc.InMemoryStore()
    else:
        opened = rc.open_store(
            request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        )
    _record(opened)
    yield opened
    opened.close()


def _waiting(models: ReadModels, on: dt.date) -> dict[uuid.UUID, dt.date]:
    return {r.decision_id: r.since for r in models.waiting(on)}


def _watched(models: ReadModels, on: dt.date, days: int) -> dict[uuid.UUID, tuple[str, dt.date]]:
    return {r.decision_id: (r.state, r.since) for r in models.execution_watch(on, threshold_days=days)}


def test_the_decision_that_authorised_an_extension_is_executed_by_the_placement(store: rc.EventStore) -> None:
    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    try:
        # Decided, the extension not yet recorded: the second decision waits, from its first day.
        assert _waiting(models, EXTENDED - DAY) == {SECOND: SECOND_DECIDED}
        # Extended under it: executed while the placement runs, whatever the threshold.
        for on in (EXTENDED, dt.date(2025, 5, 1), ENDED):
            assert _waiting(models, on) == {}, on
            assert _watched(models, on, 1) == {}, on
        # The placement ended: from the next day the decision is executed no more (interrupted, not "never").
        after = ENDED + 100 * DAY
        assert _waiting(models, after) == {SECOND: ENDED + DAY}
        assert _watched(models, after, 90) == {SECOND: ("interrupted", ENDED + DAY)}
        assert _watched(models, after, 101) == {}
        # The extension is a row other software can read.
        (summary,) = models.cases()
        assert [(x.placement_id, x.extended_on, x.decision_id) for x in summary.extensions] == [
            (PLACEMENT, EXTENDED, SECOND)
        ]
        dates = [EXTENDED - DAY, EXTENDED, ENDED, ENDED + DAY, after]
        assert oracle.from_models(models, dates) == oracle.snapshot(store, dates, rc.RuleParameters())
        fresh = MemoryProjectionStore()
        Runner(store, fresh).rebuild()
        assert oracle.from_models(ReadModels(fresh), dates) == oracle.from_models(models, dates)
    finally:
        runner.target.close()


def test_read_models_stored_before_extensions_were_kept_are_refused_until_rebuilt(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An upgrade: a database at projection schema 1 (no extension table) with cases built by version 2."""
    from rehabcore_sqlalchemy.projections import SqlProjectionStore

    store = rc.open_store(sqlite_url)
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    runner.target.close()
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:  # what rehabcore before this change left behind
        conn.execute(sa.text("DROP TABLE rehabcore_rm_extension"))
        conn.execute(sa.text("UPDATE rehabcore_projection_schema_version SET version = 1"))
        conn.execute(
            sa.text("UPDATE rehabcore_projection_checkpoint SET projection_version = 2 WHERE name = 'cases'")
        )
    engine.dispose()

    upgraded = SqlProjectionStore.from_url(sqlite_url)  # migrates: the table is made
    with pytest.raises(ProjectionOutdated):
        list(upgraded.values(CASES))
    upgraded.close()
    on = (ENDED - DAY).isoformat()
    assert main(["stats", "--store", sqlite_url, "--on", on, "--model", "waiting"]) == 2
    assert "projections rebuild" in capsys.readouterr().err
    assert main(["projections", "rebuild", "--store", sqlite_url]) == 0
    capsys.readouterr()
    assert main(["stats", "--store", sqlite_url, "--on", on, "--model", "waiting", "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "service,since,case_id,decision_id,days"
    with sa.create_engine(sqlite_url).connect() as conn:
        assert (
            conn.execute(sa.text("SELECT max(version) FROM rehabcore_projection_schema_version")).scalar()
            == 4  # and on to #18's: outcomes (3), unit changes and visits (4)
        )
        rows = conn.execute(sa.text("SELECT placement_id, decision_id FROM rehabcore_rm_extension")).all()
    assert rows == [(PLACEMENT.hex, SECOND.hex)]
    store.close()
