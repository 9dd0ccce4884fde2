"""Open activities and unit changes in the read models (#18), on memory, SQLite and PostgreSQL.

Seed 001 (Lomma, Trivselhuset): an open meeting place without decisions, run during the pandemic by phone,
on walks and in small groups; moved from IFO to "förebyggande och öppen verksamhet", giving up its premises.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.rules import UnitClosed
from rehabcore.projections import UNITS, MemoryProjectionStore, ProjectionOutdated, ReadModels, Runner
from rehabcore.projections.visits import VisitMonthRow

ACTOR = rc.Actor(id="trivsel-1", role=v.Role.MANAGER, unit="Trivselhuset")
TRIVSEL, AME = uuid.UUID(int=0x18A), uuid.UUID(int=0x18B)
MONDAY = dt.date(2026, 3, 2)
MOVED_ON, CLOSED_ON = dt.date(2026, 4, 1), dt.date(2026, 6, 1)
NAMND = "Kommunstyrelsen 2021-10-26 § 201"
OWNER = "Förebyggande och öppen verksamhet"
#: A week of counts: forty visits, on site and, as during the pandemic, by phone, on walks, in small groups.
WEEK = (
    (0, 6, v.VisitForm.ON_SITE),
    (0, 2, v.VisitForm.PHONE),
    (1, 9, v.VisitForm.ON_SITE),
    (2, 4, v.VisitForm.WALK),
    (2, 3, v.VisitForm.PHONE),
    (3, 5, v.VisitForm.SMALL_GROUP),
    (3, 3, v.VisitForm.ON_SITE),
    (4, 8, v.VisitForm.ON_SITE),
)


def _record(store: rc.EventStore) -> rc.Cases:
    cases = rc.Cases(store, today=lambda: dt.date(2026, 12, 1))

    def handle(command: cmd.Command) -> None:
        cases.handle(command, actor=ACTOR)

    handle(
        cmd.RegisterUnit(
            unit_id=TRIVSEL,
            registered_on=dt.date(2026, 1, 1),
            name="Trivselhuset",
            kind=v.UnitKind.OPEN_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=0,
            offers=(),  # an open activity takes no placements: nobody is placed, visitors just come
        )
    )
    for day, count, form in WEEK:
        handle(
            cmd.CountVisits(
                unit_id=TRIVSEL, counted_on=MONDAY + dt.timedelta(days=day), count=count, form=form
            )
        )
    handle(cmd.CountVisits(unit_id=TRIVSEL, counted_on=dt.date(2026, 4, 7), count=11))
    handle(cmd.ChangeUnitOwner(unit_id=TRIVSEL, changed_on=MOVED_ON, owner=OWNER, decision_ref=NAMND))
    handle(cmd.MoveUnit(unit_id=TRIVSEL, moved_on=MOVED_ON, decision_ref=NAMND))  # premises given up
    handle(cmd.CloseUnit(unit_id=TRIVSEL, closed_on=CLOSED_ON, decision_ref=NAMND))
    return cases


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[rc.EventStore]:
    if request.param == "memory":
        opened: rc.EventStore = rc.InMemoryStore()
    else:
        opened = rc.open_store(
            request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        )
    yield opened
    opened.close()


def _month(month: str, visits: int, days: int, **forms: int) -> VisitMonthRow:
    return VisitMonthRow(
        unit="Trivselhuset", month=month, unit_id=TRIVSEL, visits=visits, days_open=days, **forms
    )


def test_an_open_activity_records_40_visits_over_a_week_with_no_personal_case(store: rc.EventStore) -> None:
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    try:
        assert models.cases() == []  # nobody's case: counts only
        march = _month("2026-03", 40, 5, on_site=26, phone=5, walk=4, small_group=5)
        assert models.visits(TRIVSEL) == [march, _month("2026-04", 11, 1, on_site=11)]
        assert models.visits(year=2025) == []
        days = models.visit_days(TRIVSEL)
        assert sum(d.visits for d in days if d.day.month == 3) == 40
        assert {(d.day, d.form, d.visits) for d in days if d.day == MONDAY} == {
            (MONDAY, "on_site", 6),
            (MONDAY, "phone", 2),
        }
        # Counted again the same day and form: the counts add up, the row stays one.
        rc.Cases(store, today=lambda: dt.date(2026, 12, 1)).handle(
            cmd.CountVisits(unit_id=TRIVSEL, counted_on=MONDAY, count=1), actor=ACTOR
        )
        runner.catch_up()
        assert models.visits(TRIVSEL, 2026)[0].visits == 41
        assert len(models.visit_days(TRIVSEL)) == len(days)
        fresh = MemoryProjectionStore()
        Runner(store, fresh).rebuild()
        assert ReadModels(fresh).visits() == models.visits()
    finally:
        runner.target.close()


def test_the_unit_summary_and_occupancy_show_the_unit_moved_passed_on_and_closed(
    store: rc.EventStore,
) -> None:
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    try:
        (unit,) = models.units()
        assert unit.closed_on == CLOSED_ON
        assert unit.owner_on(MOVED_ON - dt.timedelta(days=1)) is None
        assert unit.owner_on(MOVED_ON) == OWNER
        moved = unit.premises_on(MOVED_ON)
        assert moved is not None and moved.value is None and moved.decision_ref == NAMND  # premises given up
        assert [c.change for c in unit.changes] == ["owner", "moved", "closed"]
        (before,) = models.occupancy(CLOSED_ON - dt.timedelta(days=1))
        (after,) = models.occupancy(CLOSED_ON)
        assert (before.kind, after.kind, after.places) == ("open_activity", "closed", 0)
    finally:
        runner.target.close()


def test_a_closed_unit_refuses_a_placement_and_nothing_is_written(store: rc.EventStore) -> None:
    cases = _record(store)
    cases.handle(
        cmd.RegisterUnit(
            unit_id=AME,
            registered_on=dt.date(2026, 1, 1),
            name="Arbetsmarknadsenheten",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=5,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        actor=ACTOR,
    )
    case_id, decision = uuid.UUID(int=0x18C), uuid.UUID(int=0x18D)
    worker = rc.Actor(id="hand-18", role=v.Role.CASE_WORKER, unit="AME")
    for command in (
        cmd.OpenCase(
            case_id=case_id,
            subject_id=uuid.UUID(int=0x18E),
            opened_on=dt.date(2026, 5, 4),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="1262",
            source=v.ReferralSource.INCOME_SUPPORT,
        ),
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=decision,
            decided_on=dt.date(2026, 5, 11),
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.SOL_ASSISTANCE_2025,
            service=v.ServiceKind.WORK_REHABILITATION,
            valid_from=dt.date(2026, 5, 11),
            valid_to=dt.date(2026, 12, 31),
        ),
        cmd.CloseUnit(unit_id=AME, closed_on=CLOSED_ON, decision_ref=NAMND),
    ):
        cases.handle(command, actor=worker if not isinstance(command, cmd.CloseUnit) else ACTOR)
    head = store.head_position()
    start = cmd.StartPlacement(
        case_id=case_id,
        placement_id=uuid.UUID(int=0x18F),
        unit_id=AME,
        kind=v.PlacementKind.WORK_TRAINING,
        basis=v.Basis.sol(decision),
        start_on=CLOSED_ON,
        planned_end_on=dt.date(2026, 8, 31),
        hours_per_week=20,
    )
    with pytest.raises(UnitClosed, match="closed from 2026-06-01") as refused:
        cases.handle(start, actor=worker)
    assert refused.value.rule_id == "U3"
    assert store.head_position() == head


def test_read_models_stored_before_unit_changes_were_kept_are_refused_until_rebuilt(sqlite_url: str) -> None:
    """An upgrade: a database at projection schema 2 (no unit change or visit table), units at version 1."""
    from rehabcore_sqlalchemy.projections import SCHEMA_VERSION, SqlProjectionStore

    store = rc.open_store(sqlite_url)
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    runner.target.close()
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:  # what rehabcore before #18 left behind
        conn.execute(sa.text("DROP TABLE rehabcore_rm_unit_change"))
        conn.execute(sa.text("DROP TABLE rehabcore_rm_unit_visits"))
        conn.execute(sa.text("DROP TABLE rehabcore_rm_unit_visit_month"))
        conn.execute(sa.text("DELETE FROM rehabcore_projection_checkpoint WHERE name = 'visits'"))
        conn.execute(sa.text("UPDATE rehabcore_projection_schema_version SET version = 2"))
        conn.execute(
            sa.text("UPDATE rehabcore_projection_checkpoint SET projection_version = 1 WHERE name = 'units'")
        )
    engine.dispose()
    upgraded = SqlProjectionStore.from_url(sqlite_url)  # migrates: the tables are made
    with pytest.raises(ProjectionOutdated):
        list(upgraded.values(UNITS))
    Runner(store, upgraded).rebuild()
    assert [u.closed_on for u in upgraded.values(UNITS)] == [CLOSED_ON]
    assert ReadModels(upgraded).visits(TRIVSEL)[0].visits == 40
    upgraded.close()
    with sa.create_engine(sqlite_url).connect() as conn:
        found = conn.execute(sa.text("SELECT max(version) FROM rehabcore_projection_schema_version")).scalar()
    assert found == SCHEMA_VERSION == 4  # #18: outcomes (3), unit changes and visits (4)
    store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_visits_per_month_in_plain_sql_as_the_doc_writes_it(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """The fourth query of docs/projections.md gives what ``ReadModels.visits`` gives (SQLite, PostgreSQL)."""
    from rehabcore_sqlalchemy.store import SqlEventStore

    from tests.projections.test_doc_sql import QUERIES

    store = rc.open_store(request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url"))
    assert isinstance(store, SqlEventStore)
    _record(store)
    runner = Runner(store)
    runner.catch_up()
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text(QUERIES[3].strip().rstrip(";"))).all()
        expected = [(m.unit, m.month, m.visits, m.days_open) for m in ReadModels(runner.target).visits()]
        assert (
            [tuple(r) for r in rows]
            == expected
            == [("Trivselhuset", "2026-03", 40, 5), ("Trivselhuset", "2026-04", 11, 1)]
        )
    finally:
        runner.target.close()
        store.close()


def test_stats_prints_the_visits_per_month_in_the_language_asked_for(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``rehabcore stats --model visits``: the monthly statistics a municipality reports for an open
    activity, with Swedish headings for a Swedish case worker; counts only."""
    from rehabcore.cli import main as cli

    store = rc.open_store(sqlite_url)
    try:
        _record(store)
    finally:
        store.close()
    argv = ["stats", "--store", sqlite_url, "--on", "2026-12-31", "--model", "visits"]
    assert cli([*argv, "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert "Öppen verksamhet under året till 2026-12-31" in out
    assert "månad" in out and "besök" in out and "på plats" in out and "per telefon" in out
    rows = [line.split() for line in out.splitlines() if "Trivselhuset" in line]
    assert [r[1:4] for r in rows] == [["2026-03", "40", "5"], ["2026-04", "11", "1"]]
    assert cli([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(r["month"], r["visits"], r["on_site"]) for r in doc["visits"]] == [
        ("2026-03", 40, 26),
        ("2026-04", 11, 11),
    ]
