"""Attendance a week at a time per placement (#18): the weeks of a SoL 4 kap. 4 § required activity with days
away, for the income-support case worker, and the days attended at daily activity per month, for the
daily-activity allowance; on memory, SQLite and PostgreSQL. And the rules of recording a week."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import rules as r
from rehabcore.domain import vocabulary as v
from rehabcore.projections import ReadModels, Runner
from rehabcore.projections import read_models as rm

TODAY = dt.date(2026, 5, 1)
ACTOR = rc.Actor(id="hand-9", role=v.Role.CASE_WORKER, unit="AME")
STAFF = rc.Actor(id="pers-2", role=v.Role.UNIT_STAFF, unit="Verkstan")
W = v.Weekday
A = v.AbsenceReason
WORKSHOP, DAILY = uuid.UUID(int=0x31), uuid.UUID(int=0x32)
ANNA, BO = uuid.UUID(int=0x41), uuid.UUID(int=0x42)  # required activity; LSS daily activity
REQUIRED, ACTIVITY = uuid.UUID(int=0x51), uuid.UUID(int=0x52)
DECISION = uuid.UUID(int=0x61)
MARCH_30 = dt.date(2026, 3, 30)  # a Monday: the week runs into April


def _unit(unit_id: uuid.UUID, name: str, kind: v.UnitKind, offers: v.PlacementKind) -> cmd.RegisterUnit:
    return cmd.RegisterUnit(
        unit_id=unit_id,
        registered_on=dt.date(2026, 1, 1),
        name=name,
        kind=kind,
        jurisdiction=v.Jurisdiction.SE,
        capacity=10,
        offers=(offers,),
    )


def _open(case_id: uuid.UUID, n: int) -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=case_id,
        subject_id=uuid.UUID(int=0x71 + n),
        opened_on=dt.date(2026, 1, 5),
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="0580",
        source=v.ReferralSource.INCOME_SUPPORT,
    )


def _week(
    case_id: uuid.UUID,
    placement_id: uuid.UUID,
    monday: dt.date,
    attended: tuple[v.Weekday, ...],
    absences: tuple[v.Absence, ...] = (),
) -> cmd.RecordAttendance:
    return cmd.RecordAttendance(
        case_id=case_id, placement_id=placement_id, week_of=monday, attended=attended, absences=absences
    )


def _record(store: rc.EventStore) -> rc.Cases:
    cases = rc.Cases(store, today=lambda: TODAY)
    cases.handle(
        _unit(WORKSHOP, "Verkstan", v.UnitKind.WORK_REHABILITATION, v.PlacementKind.WORK_TRAINING),
        actor=ACTOR,
    )
    cases.handle(
        _unit(DAILY, "Linden", v.UnitKind.LSS_DAILY_ACTIVITY, v.PlacementKind.DAILY_ACTIVITY), actor=ACTOR
    )
    cases.handle(_open(ANNA, 0), actor=ACTOR)
    cases.handle(_open(BO, 1), actor=ACTOR)
    cases.handle(
        cmd.StartPlacement(
            case_id=ANNA,
            placement_id=REQUIRED,
            unit_id=WORKSHOP,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis(v.BasisKind.REQUIRED_ACTIVITY),
            start_on=dt.date(2026, 3, 2),
            planned_end_on=dt.date(2026, 8, 31),
            hours_per_week=20,
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.ReceiveApplication(
            case_id=BO,
            application_id=uuid.UUID(int=0x62),
            received_on=dt.date(2026, 1, 10),
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.WRITTEN,
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.MakeDecision(
            case_id=BO,
            decision_id=DECISION,
            decided_on=dt.date(2026, 2, 1),
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
            service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            valid_from=dt.date(2026, 2, 1),
            personkrets=v.Personkrets.GROUP_1,
            application_id=uuid.UUID(int=0x62),
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.StartPlacement(
            case_id=BO,
            placement_id=ACTIVITY,
            unit_id=DAILY,
            kind=v.PlacementKind.DAILY_ACTIVITY,
            basis=v.Basis.lss(DECISION),
            start_on=dt.date(2026, 3, 2),
            planned_end_on=None,
            hours_per_week=30,
        ),
        actor=ACTOR,
    )
    # Anna: a full week, a week with a day ill and a day unexcused, a week with leave agreed.
    for week in (
        _week(ANNA, REQUIRED, dt.date(2026, 3, 16), (W.MONDAY, W.TUESDAY, W.WEDNESDAY, W.THURSDAY, W.FRIDAY)),
        _week(
            ANNA,
            REQUIRED,
            dt.date(2026, 3, 23),
            (W.MONDAY, W.TUESDAY, W.FRIDAY),
            (v.Absence(W.WEDNESDAY, A.ILLNESS), v.Absence(W.THURSDAY, A.UNEXCUSED)),
        ),
        _week(
            ANNA,
            REQUIRED,
            MARCH_30,
            (W.MONDAY, W.TUESDAY, W.WEDNESDAY, W.THURSDAY),
            (v.Absence(W.FRIDAY, A.AGREED_LEAVE),),
        ),
        # Bo: four days a week; the week of 30 March runs into April (Wednesday 1 April on).
        _week(BO, ACTIVITY, dt.date(2026, 3, 23), (W.MONDAY, W.TUESDAY, W.THURSDAY, W.FRIDAY)),
        _week(BO, ACTIVITY, MARCH_30, (W.MONDAY, W.TUESDAY, W.THURSDAY), (v.Absence(W.FRIDAY, A.ILLNESS),)),
    ):
        cases.handle(week, actor=STAFF)  # the unit reports attendance
    return cases


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


def test_the_income_support_worker_sees_the_weeks_away_from_a_required_activity(store: rc.EventStore) -> None:
    runner = Runner(store)
    runner.catch_up()
    try:
        rows = ReadModels(runner.target).required_activity_absences(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
        assert rows == [
            rm.AbsenceWeek(ANNA, REQUIRED, dt.date(2026, 3, 23), 3, 2, 1, "illness,unexcused"),
            rm.AbsenceWeek(ANNA, REQUIRED, MARCH_30, 4, 1, 0, "agreed_leave"),
        ]  # Bo's daily activity is not a required activity: not on the income-support list
    finally:
        runner.target.close()


def test_the_daily_activity_allowance_counts_each_day_in_its_month(store: rc.EventStore) -> None:
    runner = Runner(store)
    runner.catch_up()
    try:
        rows = ReadModels(runner.target).daily_activity_days(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
        # March: four days in the week of 23 March, Monday and Tuesday of the next; April: its Thursday.
        assert rows == [rm.AllowanceMonth("2026-03", BO, 6), rm.AllowanceMonth("2026-04", BO, 1)]
    finally:
        runner.target.close()


def test_a_week_is_recorded_once_from_its_monday_with_each_day_once_within_the_placement() -> None:
    cases = _record(rc.InMemoryStore())
    before = cases.store.head_position()
    refused = [
        (_week(ANNA, REQUIRED, dt.date(2026, 4, 7), (W.MONDAY,)), r.DatesOutOfOrder),  # a Tuesday
        (_week(ANNA, REQUIRED, MARCH_30, (W.MONDAY,)), r.DuplicateId),  # the week is recorded
        (
            _week(ANNA, REQUIRED, dt.date(2026, 4, 6), (W.MONDAY,), (v.Absence(W.MONDAY, A.ILLNESS),)),
            r.DuplicateId,
        ),
        (_week(ANNA, REQUIRED, dt.date(2026, 2, 23), (W.FRIDAY,)), r.DatesOutOfOrder),  # before it started
        (_week(ANNA, uuid.UUID(int=0x99), dt.date(2026, 4, 6), (W.MONDAY,)), r.UnknownReference),
    ]
    for command, rule in refused:
        with pytest.raises(rule):
            cases.handle(command, actor=STAFF)
    assert cases.store.head_position() == before  # nothing written
    cases.handle(_week(ANNA, REQUIRED, dt.date(2026, 4, 6), (W.MONDAY,)), actor=STAFF)
    assert (REQUIRED, dt.date(2026, 4, 6)) in cases.get(ANNA).attendance
