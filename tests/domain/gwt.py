"""The small story the domain tests tell: ids, dates and event builders, on the shipped given/when/then kit.

    given(opened(), lss_decision()).when(StartPlacement(...), today=TODAY).then(PlacementStarted(...))
    given(...).when(EndPlacement(...)).then_rejected("B9", LssContinuityBroken, says="start a new daily")
    given(...).when(ReceiveReferral(...), today=later).then_warns("B10")

``given`` and ``given_unit`` are :mod:`rehabcore.testing.gwt`'s, with this story's today and case.
"""

from __future__ import annotations

import datetime as dt
import uuid

from rehabcore.domain import events as ev
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset
from rehabcore.domain.vocabulary import (
    Applicant,
    ApplicationForm,
    AssessmentMethod,
    Basis,
    DecisionOutcome,
    FormulatedBy,
    GoalType,
    Jurisdiction,
    LegalBases,
    LegalBasis,
    LifeArea,
    Official,
    Participation,
    Personkrets,
    PlacementKind,
    ReferralSource,
    Role,
    ServiceKind,
    UnitKind,
)
from rehabcore.testing import gwt as kit
from rehabcore.testing.gwt import Given, GivenUnit, Then, diff
from rehabcore.testing.readable import an_id

__all__ = ["Given", "GivenUnit", "Then", "an_id", "diff", "given", "given_unit"]

# --- the story: ids and dates ------------------------------------------------------------------------------

CASE = an_id("case")
SUBJECT = an_id("subject")
ATERBRUKET = an_id("unit/aterbruket")  # work rehabilitation
DV_UNIT = an_id("unit/daily-activity")  # LSS daily activity
LSS_DECISION = an_id("decision/lss")
SOL_DECISION = an_id("decision/sol")
WORK_TRAINING = an_id("placement/work-training")
DAILY_ACTIVITY = an_id("placement/daily-activity")
NEXT_DAILY_ACTIVITY = an_id("placement/daily-activity-2")
GOAL = an_id("goal/work")
APPLICATION = an_id("application/lss")
#: Who decides in the story (FL 31 §).
LSS_OFFICER = Official(id="lss-007", role=Role.LSS_OFFICER, delegation="3.2")

OPENED_ON = dt.date(2026, 1, 12)
DECIDED_ON = dt.date(2026, 2, 2)
STARTED_ON = dt.date(2026, 2, 16)
TODAY = dt.date(2026, 3, 2)

# --- the story: events -------------------------------------------------------------------------------------


def opened(on: dt.date = OPENED_ON, jurisdiction: Jurisdiction = Jurisdiction.SE) -> ev.CaseOpened:
    """The case of SUBJECT was opened."""
    return ev.CaseOpened(
        occurred_on=on,
        case_id=CASE,
        subject_id=SUBJECT,
        jurisdiction=jurisdiction,
        municipality_code="2284",
        source=ReferralSource.LSS_OFFICER,
    )


def assessed(
    on: dt.date = OPENED_ON, personkrets: Personkrets | None = Personkrets.GROUP_1
) -> ev.NeedsAssessed:
    """Needs were assessed with IBIC."""
    return ev.NeedsAssessed(
        occurred_on=on,
        assessment_id=an_id(f"assessment/{on}"),
        method=AssessmentMethod.IBIC,
        life_areas=(LifeArea.WORK_AND_EDUCATION,),
        participation=Participation.FULL,
        personkrets=personkrets,
    )


def applied(on: dt.date = OPENED_ON, application_id: uuid.UUID = APPLICATION) -> ev.ApplicationReceived:
    """The person applied for daily activity under LSS (LSS 8 §)."""
    return ev.ApplicationReceived(
        occurred_on=on,
        application_id=application_id,
        applicant=Applicant.PERSON,
        requested_service=ServiceKind.LSS_DAILY_ACTIVITY,
        form=ApplicationForm.WRITTEN,
    )


def lss_decision(
    decision_id: uuid.UUID = LSS_DECISION,
    on: dt.date = DECIDED_ON,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
) -> ev.DecisionMade:
    """An LSS 9 § 10 daily-activity decision for personkrets group 1."""
    return ev.DecisionMade(
        occurred_on=on,
        decision_id=decision_id,
        outcome=outcome,
        legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
        service=ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=valid_from or on,
        valid_to=valid_to,
        personkrets=Personkrets.GROUP_1,
    )


def sol_decision(
    decision_id: uuid.UUID = SOL_DECISION,
    on: dt.date = DECIDED_ON,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
    legal_basis: LegalBasis = LegalBases.SOL_ASSISTANCE_2025,
) -> ev.DecisionMade:
    """A SoL bistånd decision for work rehabilitation."""
    return ev.DecisionMade(
        occurred_on=on,
        decision_id=decision_id,
        outcome=outcome,
        legal_basis=legal_basis,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=valid_from or on,
        valid_to=valid_to,
    )


def work_training_started(
    placement_id: uuid.UUID = WORK_TRAINING,
    on: dt.date = STARTED_ON,
    planned_end_on: dt.date | None = dt.date(2026, 5, 15),
    unit_id: uuid.UUID = ATERBRUKET,
    basis: Basis | None = None,
) -> ev.PlacementStarted:
    """Work training at Återbruket on the SoL decision."""
    return ev.PlacementStarted(
        occurred_on=on,
        placement_id=placement_id,
        unit_id=unit_id,
        kind=PlacementKind.WORK_TRAINING,
        basis=basis or Basis.sol(SOL_DECISION),
        planned_end_on=planned_end_on,
        hours_per_week=20,
    )


def daily_activity_started(
    placement_id: uuid.UUID = DAILY_ACTIVITY,
    on: dt.date = STARTED_ON,
    unit_id: uuid.UUID = DV_UNIT,
    decision_id: uuid.UUID = LSS_DECISION,
) -> ev.PlacementStarted:
    """Daily activity under the LSS decision."""
    return ev.PlacementStarted(
        occurred_on=on,
        placement_id=placement_id,
        unit_id=unit_id,
        kind=PlacementKind.DAILY_ACTIVITY,
        basis=Basis.lss(decision_id),
        planned_end_on=None,
        hours_per_week=25,
    )


def goal_set(
    goal_id: uuid.UUID = GOAL,
    on: dt.date = OPENED_ON,
    formulated_by: FormulatedBy = FormulatedBy.CITIZEN,
) -> ev.GoalSet:
    """A goal in the citizen's own words."""
    return ev.GoalSet(
        occurred_on=on,
        goal_id=goal_id,
        life_area=LifeArea.WORK_AND_EDUCATION,
        citizen_words="Jag vill jobba med cyklar",
        formulated_by=formulated_by,
        goal_type=GoalType.DEVELOP,
    )


def unit_registered(
    unit_id: uuid.UUID = ATERBRUKET,
    capacity: int = 2,
    offers: tuple[PlacementKind, ...] = (PlacementKind.WORK_TRAINING, PlacementKind.DAILY_ACTIVITY),
    on: dt.date = OPENED_ON,
    kind: UnitKind = UnitKind.WORK_REHABILITATION,
) -> ev.UnitRegistered:
    """A unit with ``capacity`` places."""
    return ev.UnitRegistered(
        occurred_on=on,
        unit_id=unit_id,
        name="Återbruket Bjästa",
        kind=kind,
        jurisdiction=Jurisdiction.SE,
        capacity=capacity,
        offers=offers,
    )


def place_taken(placement: str, on: dt.date = STARTED_ON, case_id: uuid.UUID = CASE) -> ev.PlaceTaken:
    """Another placement holds one of the unit's places from ``on``."""
    return ev.PlaceTaken(occurred_on=on, placement_id=an_id(f"placement/{placement}"), case_id=case_id)


# --- the kit, with this story's today and case ------------------------------------------------------------


def given(*events: ev.CaseEvent, ruleset: Ruleset = SWEDEN_DEFAULT) -> Given:
    """A case with these events recorded; commands are decided on TODAY unless ``when`` says otherwise."""
    return kit.given(*events, today=TODAY, ruleset=ruleset)


def given_unit(*events: ev.UnitEvent) -> GivenUnit:
    """A unit with these events recorded; places are taken for CASE."""
    return kit.given_unit(*events, case_id=CASE)
