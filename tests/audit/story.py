"""A small case told through ``rehabcore.Cases`` on an ``InMemoryStore`` with a clock the test controls.

Two units (a work-rehabilitation unit with few places and a daily-activity unit), one person with an LSS
decision, a goal in their own words and a daily-activity placement; a second person at the work unit.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v

NS = uuid.UUID("3f0c6b2e-8a51-4d7e-b1c9-5e2a7d4f9c31")


def an_id(name: str) -> uuid.UUID:
    """A stable id for a name in the story."""
    return uuid.uuid5(NS, name)


CASE = an_id("case")
OTHER_CASE = an_id("case/other")
WORK_UNIT = an_id("unit/work")
DV_UNIT = an_id("unit/daily-activity")
DV_UNIT_2 = an_id("unit/daily-activity-2")
LSS = an_id("decision/lss")
GOAL = an_id("goal")
DAILY = an_id("placement/daily")
OTHERS_PLACEMENT = an_id("placement/other")
OPENED = dt.date(2026, 1, 12)
TODAY = dt.date(2026, 4, 1)

CASE_WORKER = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER, unit="AME Örnsköldsvik")
LSS_OFFICER = rc.Actor(id="lss-007", role=v.Role.LSS_OFFICER, unit="LSS-handläggning")


@attrs.define
class Clock:
    """Recording time that moves one minute per stored write, from TODAY at 08:00 UTC."""

    now: dt.datetime = attrs.field(factory=lambda: dt.datetime.combine(TODAY, dt.time(8), tzinfo=dt.UTC))

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def world(capacity: int = 2) -> tuple[rc.Cases, Clock]:
    """A store with the two units registered, and the Cases service on it."""
    clock = Clock()
    cases = rc.Cases(rc.InMemoryStore(clock=clock), today=lambda: TODAY, tenant="kommun-2284")
    for unit_id, name, kind, offers, places in (
        (WORK_UNIT, "Återbruket Bjästa", v.UnitKind.WORK_REHABILITATION, (v.PlacementKind.WORK_TRAINING,), 1),
        (
            DV_UNIT,
            "Solrosen daglig verksamhet",
            v.UnitKind.LSS_DAILY_ACTIVITY,
            (v.PlacementKind.DAILY_ACTIVITY,),
            capacity,
        ),
        (DV_UNIT_2, "Verkstan", v.UnitKind.LSS_DAILY_ACTIVITY, (v.PlacementKind.DAILY_ACTIVITY,), 1),
    ):
        cases.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=OPENED,
                name=name,
                kind=kind,
                jurisdiction=v.Jurisdiction.SE,
                capacity=places,
                offers=offers,
            ),
            actor=CASE_WORKER,
        )
    return cases, clock


def open_case(case_id: uuid.UUID = CASE) -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=case_id,
        subject_id=uuid.uuid5(case_id, "subject"),
        opened_on=OPENED,
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="2284",
        source=v.ReferralSource.LSS_OFFICER,
    )


APPLICATION = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
#: Who decided: shown to the person in their file (FL 31 §), unlike who recorded what.
DECIDER = v.Official(id="lss-beslut-01", role=v.Role.LSS_OFFICER, delegation="LSS 3.2")
REASONS = "Du tillhör personkrets 1 och behöver daglig verksamhet för att komma ut i arbetslivet"


def application() -> cmd.ReceiveApplication:
    return cmd.ReceiveApplication(
        case_id=CASE,
        application_id=APPLICATION,
        received_on=dt.date(2026, 1, 20),
        applicant=v.Applicant.PERSON,
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        form=v.ApplicationForm.WRITTEN,
    )


def lss_decision(valid_from: dt.date = dt.date(2026, 2, 2)) -> cmd.MakeDecision:
    return cmd.MakeDecision(
        case_id=CASE,
        decision_id=LSS,
        decided_on=dt.date(2026, 2, 2),
        outcome=v.DecisionOutcome.GRANT,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
        service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=valid_from,
        personkrets=v.Personkrets.GROUP_1,
        alternatives_considered=("sysselsättning enligt SoL",),
        least_intrusive_rationale="önskemål i dialog",
        communicated_on=dt.date(2026, 1, 28),
        reasons=REASONS,
        decided_by=DECIDER,
        appeal_info_given=True,
        application_id=APPLICATION,
    )


def goal(words: str = "Jobba med trä igen") -> cmd.SetGoal:
    return cmd.SetGoal(
        case_id=CASE,
        goal_id=GOAL,
        set_on=dt.date(2026, 2, 2),
        life_area=v.LifeArea.WORK_AND_EDUCATION,
        citizen_words=words,
        formulated_by=v.FormulatedBy.CITIZEN,
        goal_type=v.GoalType.DEVELOP,
    )


def daily_activity(
    start_on: dt.date = dt.date(2026, 2, 16), unit_id: uuid.UUID = DV_UNIT
) -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=CASE,
        placement_id=DAILY,
        unit_id=unit_id,
        kind=v.PlacementKind.DAILY_ACTIVITY,
        basis=v.Basis.lss(LSS),
        start_on=start_on,
        hours_per_week=20,
    )


def told(capacity: int = 2, words: str = "Jobba med trä igen") -> tuple[rc.Cases, Clock]:
    """The whole story recorded: opened, decided, a goal, daily activity started."""
    cases, clock = world(capacity)
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(application(), actor=LSS_OFFICER)
    cases.handle(lss_decision(), actor=LSS_OFFICER)
    cases.handle(goal(words), actor=CASE_WORKER)
    cases.handle(daily_activity(), actor=CASE_WORKER)
    return cases, clock


def event_id(cases: rc.Cases, case_id: uuid.UUID, type_name: str) -> uuid.UUID:
    """The stored id of the first event of a type in a case (what a case worker sees in the audit view)."""
    for stored in cases.store.read_stream(rc.case_stream(case_id)):
        if stored.type == f"rehab.{type_name}":
            return stored.event_id
    raise LookupError(type_name)
