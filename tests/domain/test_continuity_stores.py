"""B9's move rule through the whole library (issue #12): a move on day D counts the person once on every day,
in the case state, in the units' occupancy, in the placed list and in the execution watch, on memory, SQLite
and PostgreSQL; a refused ending writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import ReadModels, Runner

DAY = dt.timedelta(days=1)
OPENED = dt.date(2026, 1, 12)
MOVE_ON = dt.date(2026, 3, 2)  # day D
CASE = uuid.UUID(int=1)
DECISION = uuid.UUID(int=2)
OLD, NEW = uuid.UUID(int=3), uuid.UUID(int=4)
UNIT_A, UNIT_B = uuid.UUID(int=10), uuid.UUID(int=11)
APPLICATION = uuid.UUID(int=6)
ACTOR = rc.Actor(id="lss-1", role=v.Role.LSS_OFFICER)


def _participant(cases: rc.Cases) -> None:
    for unit_id, name in ((UNIT_A, "Bredbyn"), (UNIT_B, "Solrosen")):
        cases.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=OPENED,
                name=name,
                kind=v.UnitKind.LSS_DAILY_ACTIVITY,
                jurisdiction=v.Jurisdiction.SE,
                capacity=10,
                offers=(v.PlacementKind.DAILY_ACTIVITY,),
            ),
            actor=ACTOR,
        )
    for command in (
        cmd.OpenCase(
            case_id=CASE,
            subject_id=uuid.UUID(int=5),
            opened_on=OPENED,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.LSS_OFFICER,
        ),
        cmd.ReceiveApplication(
            case_id=CASE,
            application_id=APPLICATION,
            received_on=OPENED,
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.ORAL,
        ),
        cmd.MakeDecision(
            case_id=CASE,
            decision_id=DECISION,
            application_id=APPLICATION,
            decided_on=OPENED,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
            service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            valid_from=OPENED,
            personkrets=v.Personkrets.GROUP_1,
        ),
        _start(OLD, UNIT_A, OPENED + 7 * DAY),
    ):
        cases.handle(command, actor=ACTOR)


def _start(placement_id: uuid.UUID, unit_id: uuid.UUID, on: dt.date) -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=CASE,
        placement_id=placement_id,
        unit_id=unit_id,
        kind=v.PlacementKind.DAILY_ACTIVITY,
        basis=v.Basis.lss(DECISION),
        start_on=on,
        hours_per_week=25,
    )


def _end_old(on: dt.date) -> cmd.EndPlacement:
    return cmd.EndPlacement(case_id=CASE, placement_id=OLD, end_on=on, reason=v.EndReason.UNIT_REFOCUS)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> rc.EventStore:
    if request.param == "memory":
        return rc.InMemoryStore()
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    return rc.open_store(url)


@pytest.mark.parametrize("how", ["start then end", "transfer"])
def test_a_move_on_day_d_counts_the_person_once_every_day(store: rc.EventStore, how: str) -> None:
    cases = rc.Cases(store, today=lambda: MOVE_ON)
    _participant(cases)
    if how == "transfer":
        cases.handle(
            cmd.TransferToLssDailyActivity(
                case_id=CASE,
                from_placement_id=OLD,
                placement_id=NEW,
                to_unit_id=UNIT_B,
                lss_decision_id=DECISION,
                start_on=MOVE_ON,
                hours_per_week=25,
            ),
            actor=ACTOR,
        )
    else:
        cases.handle(_start(NEW, UNIT_B, MOVE_ON), actor=ACTOR)
        head = store.head_position()
        with pytest.raises(rc.RuleViolation, match="end it on 2026-03-01") as refused:
            cases.handle(_end_old(MOVE_ON), actor=ACTOR)  # both on D: refused, nothing written
        assert refused.value.rule_id == "B9" and store.head_position() == head
        cases.handle(_end_old(MOVE_ON - DAY), actor=ACTOR)

    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    state = cases.get(CASE)
    assert state.status is rc.domain.state.CaseStatus.ACTIVE  # moved, still active (item 7 of #12)
    day = MOVE_ON - 3 * DAY
    while day <= MOVE_ON + 3 * DAY:
        in_state = [p for p in state.active_placements(day) if p.is_lss_daily_activity]
        held = sum(cases.unit(u).occupied_on(day) for u in (UNIT_A, UNIT_B))
        occupancy = sum(r.occupied for r in models.occupancy(day))
        placed = [r for r in models.placed(day) if r.case_id == CASE]
        watched = [r for r in models.execution_watch(day, threshold_days=1) if r.case_id == CASE]
        assert (len(in_state), held, occupancy, len(placed), watched) == (1, 1, 1, 1, []), day
        expected_unit = "Bredbyn" if day < MOVE_ON else "Solrosen"
        assert placed[0].unit == expected_unit, day
        day += DAY
    store.close()
