"""IVO's quarterly report and its lifecycle (#11), on memory, SQLite and PostgreSQL: counted from the decision
day, closed cases kept, executed inside the quarter, what changed since the report sent, the duty ended for a
recorded reason."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.rules import CaseIsClosed, DatesOutOfOrder, InvalidState
from rehabcore.projections import ReadModels, Runner
from rehabcore.projections.ivo_report import IvoReport, IvoReportRow
from rehabcore.testing import an_id

ACTOR = rc.Actor(id="lss-7", role=v.Role.LSS_OFFICER, unit="LSS")
UNIT = an_id("unit-dv")


class World:
    """A store, a clock the test moves, and the read models caught up on demand."""

    def __init__(self, store: rc.EventStore) -> None:
        self.store = store
        self.today = dt.date(2025, 11, 1)
        self.cases = rc.Cases(store, today=lambda: self.today)
        self.runner = Runner(store)
        self.handle(
            cmd.RegisterUnit(
                unit_id=UNIT,
                registered_on=dt.date(2025, 1, 1),
                name="Daglig verksamhet Bjästa",
                kind=v.UnitKind.LSS_DAILY_ACTIVITY,
                jurisdiction=v.Jurisdiction.SE,
                capacity=10,
                offers=(v.PlacementKind.DAILY_ACTIVITY,),
            )
        )

    def handle(self, command: cmd.Command, on: dt.date | None = None) -> rc.Handled:
        if on is not None:
            self.today = max(self.today, on)
        return self.cases.handle(command, actor=ACTOR)

    def case(self, name: str, decided_on: dt.date, valid_from: dt.date) -> tuple[uuid.UUID, uuid.UUID]:
        case_id, decision_id = an_id(f"case/{name}"), an_id(f"decision/{name}")
        self.handle(
            cmd.OpenCase(
                case_id=case_id,
                subject_id=an_id(f"subject/{name}"),
                opened_on=dt.date(2025, 10, 1),
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="2284",
                source=v.ReferralSource.LSS_OFFICER,
            ),
            on=dt.date(2025, 10, 1),
        )
        # An LSS insats is decided on the person's request (LSS 8 §, rule D2).
        application_id = an_id(f"application/{name}")
        self.handle(
            cmd.ReceiveApplication(
                case_id=case_id,
                application_id=application_id,
                received_on=dt.date(2025, 10, 1),
                applicant=v.Applicant.PERSON,
                requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                form=v.ApplicationForm.WRITTEN,
            ),
            on=dt.date(2025, 10, 1),
        )
        self.handle(
            cmd.MakeDecision(
                case_id=case_id,
                decision_id=decision_id,
                application_id=application_id,
                decided_on=decided_on,
                outcome=v.DecisionOutcome.GRANT,
                legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
                service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                valid_from=valid_from,
                personkrets=v.Personkrets.GROUP_1,
            ),
            on=decided_on,
        )
        return case_id, decision_id

    def place(self, case_id: uuid.UUID, decision_id: uuid.UUID, on: dt.date) -> None:
        self.handle(
            cmd.StartPlacement(
                case_id=case_id,
                placement_id=an_id(f"placement/{case_id}"),
                unit_id=UNIT,
                kind=v.PlacementKind.DAILY_ACTIVITY,
                basis=v.Basis.lss(decision_id),
                start_on=on,
                hours_per_week=25,
            ),
            on=on,
        )

    def report(self, quarter: str) -> IvoReport:
        self.runner.catch_up()
        return ReadModels(self.runner.target).ivo_report(quarter)


def row(report: IvoReport, decision_id: uuid.UUID) -> IvoReportRow | None:
    return next((r for r in report.rows if r.decision_id == decision_id), None)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    if request.param == "memory":
        store: rc.EventStore = rc.InMemoryStore()
    else:
        store = rc.open_store(
            request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        )
    w = World(store)
    yield w
    w.runner.target.close()
    store.close()


def test_a_decision_valid_from_may_is_reported_from_three_months_after_the_decision_day_and_after_closing(
    world: World,
) -> None:
    case_id, decision = world.case("anna", dt.date(2026, 1, 15), valid_from=dt.date(2026, 5, 1))
    assert row(world.report("2026Q1"), decision) is None  # three months not yet reached on 31 March
    q2 = row(world.report("2026Q2"), decision)
    assert q2 is not None
    assert (q2.state, q2.since, q2.reached_on, q2.decided_on) == (
        "not_executed",
        dt.date(2026, 1, 15),
        dt.date(2026, 4, 15),
        dt.date(2026, 1, 15),
    )
    assert (q2.law, q2.section, q2.insats, q2.change) == ("LSS", "9 § 10", "lss_daily_activity", "new")
    assert q2.delay_reason == "no_place_offered" and q2.birth_year is None and q2.sex is None
    assert q2.case_ref == str(case_id)

    world.handle(
        cmd.CloseCase(case_id=case_id, closed_on=dt.date(2026, 5, 10), reason=v.CloseReason.OTHER),
        on=dt.date(2026, 5, 10),
    )
    q3 = row(world.report("2026Q3"), decision)
    assert q3 is not None and q3.state == "not_executed" and q3.since == dt.date(2026, 1, 15)


def test_executed_inside_the_quarter_it_crossed_three_months_in(world: World) -> None:
    case_id, decision = world.case("bo", dt.date(2026, 1, 15), valid_from=dt.date(2026, 1, 15))
    world.place(case_id, decision, dt.date(2026, 4, 20))
    q2 = row(world.report("2026Q2"), decision)
    assert q2 is not None
    assert (q2.state, q2.executed_on, q2.reached_on, q2.change) == (
        "executed",
        dt.date(2026, 4, 20),
        dt.date(2026, 4, 15),
        "new",
    )
    assert row(world.report("2026Q3"), decision) is None


def test_the_next_quarter_says_executed_on_for_a_decision_sent_as_not_executed(world: World) -> None:
    case_id, decision = world.case("cia", dt.date(2025, 12, 10), valid_from=dt.date(2025, 12, 10))
    q1 = world.report("2026Q1")
    first = row(q1, decision)
    assert first is not None and first.state == "not_executed" and first.reached_on == dt.date(2026, 3, 10)
    world.handle(q1.submission(dt.date(2026, 4, 5)), on=dt.date(2026, 4, 5))
    assert world.report("2026Q1").submitted_on == dt.date(2026, 4, 5)

    world.place(case_id, decision, dt.date(2026, 4, 20))
    q2 = world.report("2026Q2")
    assert q2.previous == (v.Quarter(2026, 1), dt.date(2026, 4, 5))
    line = row(q2, decision)
    assert line is not None
    assert (line.state, line.executed_on, line.change, line.previously_reported) == (
        "executed",
        dt.date(2026, 4, 20),
        "executed",
        "not_executed",
    )
    world.handle(q2.submission(dt.date(2026, 7, 3)), on=dt.date(2026, 7, 3))
    assert row(world.report("2026Q3"), decision) is None  # IVO has heard it was executed


def test_a_duty_ended_for_a_recorded_reason_is_reported_once_as_ended(world: World) -> None:
    case_id, decision = world.case("dan", dt.date(2025, 12, 10), valid_from=dt.date(2025, 12, 10))
    world.handle(
        cmd.CloseCase(case_id=case_id, closed_on=dt.date(2026, 2, 1), reason=v.CloseReason.OTHER),
        on=dt.date(2026, 2, 1),
    )
    q1 = world.report("2026Q1")
    world.handle(q1.submission(dt.date(2026, 4, 2)), on=dt.date(2026, 4, 2))
    # Accepted on the closed case: the duty outlives it. Anything else is not.
    world.handle(
        cmd.EndExecutionDuty(
            case_id=case_id,
            decision_id=decision,
            ended_on=dt.date(2026, 5, 2),
            reason=v.DutyEndReason.MOVED_OUT,
        ),
        on=dt.date(2026, 5, 2),
    )
    with pytest.raises(CaseIsClosed):
        world.handle(
            cmd.GiveInterimSupport(
                case_id=case_id,
                decision_id=decision,
                given_on=dt.date(2026, 5, 3),
                kind=v.InterimSupportKind.OPEN_ACTIVITY,
            )
        )
    line = row(world.report("2026Q2"), decision)
    assert line is not None
    assert (line.state, line.ended_on, line.end_reason, line.change) == (
        "ended",
        dt.date(2026, 5, 2),
        "moved_out",
        "ended",
    )


def test_marking_a_quarter_sent_is_refused_before_it_ends_and_twice(world: World) -> None:
    world.case("eva", dt.date(2025, 12, 10), valid_from=dt.date(2025, 12, 10))
    q1 = world.report("2026Q1")
    with pytest.raises(DatesOutOfOrder):
        world.handle(q1.submission(dt.date(2026, 3, 31)), on=dt.date(2026, 3, 31))
    world.handle(q1.submission(dt.date(2026, 4, 1)), on=dt.date(2026, 4, 1))
    with pytest.raises(InvalidState):
        world.handle(q1.submission(dt.date(2026, 4, 2)), on=dt.date(2026, 4, 2))
    assert [s.quarter for s in world.cases.ivo_reports("2284").submitted] == [v.Quarter(2026, 1)]


def test_interim_support_and_the_reason_are_on_the_line(world: World) -> None:
    case_id, decision = world.case("fia", dt.date(2026, 1, 15), valid_from=dt.date(2026, 1, 15))
    world.handle(
        cmd.GiveInterimSupport(
            case_id=case_id,
            decision_id=decision,
            given_on=dt.date(2026, 2, 1),
            kind=v.InterimSupportKind.OPEN_ACTIVITY,
        ),
        on=dt.date(2026, 2, 1),
    )
    line = row(world.report("2026Q2"), decision)
    assert line is not None and line.interim_support == "2026-02-01 open_activity"


def test_a_bad_quarter_is_refused_naming_the_field() -> None:
    models = ReadModels(rc.projections.MemoryProjectionStore())
    with pytest.raises(rc.InvalidInput, match="quarter"):
        models.ivo_report("2026-Q5")
