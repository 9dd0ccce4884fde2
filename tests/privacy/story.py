"""The people of the retention tests, recorded through Cases with the vault sealing their text.

* ``SOL_PERSON`` (born 1985-06-12): work training under a SoL decision, case closed 2020-03-01 (the last
  entry), due for erasure on 2026-01-01; and an LSS daily-activity record of the same person, kept.
* ``SAMPLE_PERSON`` (born 1986-04-15): a SoL record closed in 2019, in the research sample: archived.
* ``HELD_PERSON`` (born 1984-02-20): a SoL record closed 2020-03-01 with an appeal pending: held.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.identity import Vault

NS = uuid.UUID("5d1e7f3a-2b4c-4d6e-8f90-a1b2c3d4e5f6")


def an_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NS, name)


UNIT = an_id("unit/aterbruket")
DV_UNIT = an_id("unit/solrosen")
SOL_PERSON, SAMPLE_PERSON, HELD_PERSON = an_id("subject/sol"), an_id("subject/sample"), an_id("subject/held")
SOL_CASE, LSS_CASE = an_id("case/sol"), an_id("case/lss")
SAMPLE_CASE, HELD_CASE = an_id("case/sample"), an_id("case/held")
HOLD = an_id("hold/appeal")
LAST_ENTRY = dt.date(2020, 3, 1)
STAFF = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER, unit="AME")

#: Each person's free text, by case: none of it may be left in the bytes of an erased record.
WORDS = {
    SOL_CASE: ("Jag vill laga cyklar på Återbruket", "Arbetsträning nära hemmet på halvtid"),
    LSS_CASE: ("Jag vill vara i snickeriet", "Daglig verksamhet i liten grupp"),
    SAMPLE_CASE: ("Jag vill sy kläder till second hand", "Kort arbetsträning först"),
    HELD_CASE: ("Jag vill köra truck på lagret", "Praktik före anställning"),
}


def luhn_pnr(born: dt.date, birth_number: int = 123) -> str:
    nine = f"{born:%y%m%d}{birth_number:03d}"
    doubled = [(d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, nine))]
    return f"{born.year}{nine[2:6]}-{nine[6:]}{(10 - sum(doubled) % 10) % 10}"


@attrs.define
class Day:
    today: dt.date = dt.date(2019, 1, 2)

    def __call__(self) -> dt.date:
        return self.today


def record(store: rc.EventStore, vault: Vault) -> rc.Cases:
    """Record the story; return the Cases service it was recorded with."""
    day = Day()
    cases = rc.Cases(store, today=day, sealer=vault)
    for unit_id, name, kind, offers in (
        (UNIT, "Återbruket", v.UnitKind.WORK_REHABILITATION, (v.PlacementKind.WORK_TRAINING,)),
        (DV_UNIT, "Solrosen", v.UnitKind.LSS_DAILY_ACTIVITY, (v.PlacementKind.DAILY_ACTIVITY,)),
    ):
        cases.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=day.today,
                name=name,
                kind=kind,
                jurisdiction=v.Jurisdiction.SE,
                capacity=10,
                offers=offers,
            ),
            actor=STAFF,
        )
    for subject, born in (
        (SOL_PERSON, dt.date(1985, 6, 12)),
        (SAMPLE_PERSON, dt.date(1986, 4, 15)),
        (HELD_PERSON, dt.date(1984, 2, 20)),
    ):
        vault.enrol(subject, luhn_pnr(born), v.Jurisdiction.SE)
    _sol_record(cases, day, SOL_CASE, SOL_PERSON, dt.date(2019, 9, 2), LAST_ENTRY)
    _sol_record(cases, day, SAMPLE_CASE, SAMPLE_PERSON, dt.date(2019, 1, 7), dt.date(2019, 6, 28))
    _sol_record(cases, day, HELD_CASE, HELD_PERSON, dt.date(2019, 9, 2), LAST_ENTRY)
    _lss_record(cases, day, LSS_CASE, SOL_PERSON, dt.date(2020, 5, 4))
    day.today = dt.date(2020, 4, 1)
    cases.handle(
        cmd.PlaceRetentionHold(
            case_id=HELD_CASE, hold_id=HOLD, placed_on=day.today, reason=v.HoldReason.APPEAL
        ),
        actor=STAFF,
    )
    return cases


def _intake(
    cases: rc.Cases, day: Day, case_id: uuid.UUID, subject: uuid.UUID, opened: dt.date, lss: bool
) -> None:
    day.today = opened
    cases.handle(
        cmd.OpenCase(
            case_id=case_id,
            subject_id=subject,
            opened_on=opened,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.LSS_OFFICER if lss else v.ReferralSource.INCOME_SUPPORT,
        ),
        actor=STAFF,
    )
    cases.handle(
        cmd.AssessNeeds(
            case_id=case_id,
            assessment_id=an_id(f"{case_id}/assessment"),
            assessed_on=opened,
            method=v.AssessmentMethod.IBIC,
            life_areas=(v.LifeArea.WORK_AND_EDUCATION,),
            participation=v.Participation.FULL,
            personkrets=v.Personkrets.GROUP_1 if lss else None,
        ),
        actor=STAFF,
    )
    words, rationale = WORDS[case_id]
    cases.handle(
        cmd.SetGoal(
            case_id=case_id,
            goal_id=an_id(f"{case_id}/goal"),
            set_on=opened,
            life_area=v.LifeArea.WORK_AND_EDUCATION,
            citizen_words=words,
            formulated_by=v.FormulatedBy.CITIZEN,
            goal_type=v.GoalType.DEVELOP,
        ),
        actor=STAFF,
    )
    application = an_id(f"{case_id}/application")
    if lss:  # an LSS insats is decided on the person's request (D2)
        cases.handle(
            cmd.ReceiveApplication(
                case_id=case_id,
                application_id=application,
                received_on=opened,
                applicant=v.Applicant.PERSON,
                requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                form=v.ApplicationForm.WRITTEN,
            ),
            actor=STAFF,
        )
    cases.handle(
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=an_id(f"{case_id}/decision"),
            decided_on=opened,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY if lss else v.LegalBases.sol_assistance(opened),
            service=v.ServiceKind.LSS_DAILY_ACTIVITY if lss else v.ServiceKind.WORK_REHABILITATION,
            valid_from=opened,
            personkrets=v.Personkrets.GROUP_1 if lss else None,
            least_intrusive_rationale=rationale,
            application_id=application if lss else None,
        ),
        actor=STAFF,
    )


def _sol_record(
    cases: rc.Cases, day: Day, case_id: uuid.UUID, subject: uuid.UUID, opened: dt.date, closed: dt.date
) -> None:
    _intake(cases, day, case_id, subject, opened, lss=False)
    start = opened + dt.timedelta(days=7)
    day.today = start
    cases.handle(
        cmd.StartPlacement(
            case_id=case_id,
            placement_id=an_id(f"{case_id}/placement"),
            unit_id=UNIT,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis.sol(an_id(f"{case_id}/decision")),
            start_on=start,
            hours_per_week=20,
            planned_end_on=start + dt.timedelta(weeks=12),
        ),
        actor=STAFF,
    )
    day.today = closed
    cases.handle(cmd.CloseCase(case_id=case_id, closed_on=closed, reason=v.CloseReason.OTHER), actor=STAFF)


def _lss_record(cases: rc.Cases, day: Day, case_id: uuid.UUID, subject: uuid.UUID, opened: dt.date) -> None:
    _intake(cases, day, case_id, subject, opened, lss=True)
    day.today = opened + dt.timedelta(days=14)
    cases.handle(
        cmd.StartPlacement(
            case_id=case_id,
            placement_id=an_id(f"{case_id}/placement"),
            unit_id=DV_UNIT,
            kind=v.PlacementKind.DAILY_ACTIVITY,
            basis=v.Basis.lss(an_id(f"{case_id}/decision")),
            start_on=day.today,
            hours_per_week=20,
        ),
        actor=STAFF,
    )
