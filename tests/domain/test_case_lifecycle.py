"""B2 one case, one person, opened once; B3 a closed case takes only ReopenCase; B4 dates in order."""

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import (
    AssessNeeds,
    CloseCase,
    EndPlacement,
    GiveConsent,
    MakeDecision,
    OpenCase,
    ReceiveReferral,
    RecordFollowUp,
    ReopenCase,
    ResumePlacement,
    SetGoal,
    StartPlacement,
)
from rehabcore.domain.rules import (
    CaseAlreadyOpen,
    CaseIsClosed,
    CaseNotOpen,
    DatesOutOfOrder,
    RuleParameters,
    Ruleset,
)
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.vocabulary import (
    AssessmentMethod,
    Basis,
    CloseReason,
    ConsentScope,
    DecisionOutcome,
    EndReason,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalResult,
    GoalType,
    InterruptionReason,
    Jurisdiction,
    LegalBases,
    LifeArea,
    Participation,
    PlacementKind,
    ReferralSource,
    ServiceKind,
)

from .gwt import (
    CASE,
    DECIDED_ON,
    GOAL,
    OPENED_ON,
    STARTED_ON,
    SUBJECT,
    TODAY,
    WORK_TRAINING,
    an_id,
    assessed,
    given,
    goal_set,
    opened,
    sol_decision,
    work_training_started,
)


def open_case(on: dt.date = OPENED_ON) -> OpenCase:
    return OpenCase(
        case_id=CASE,
        subject_id=SUBJECT,
        opened_on=on,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.LSS_OFFICER,
    )


def referral(on: dt.date = TODAY) -> ReceiveReferral:
    return ReceiveReferral(
        case_id=CASE,
        referral_id=an_id(f"referral/{on}"),
        received_on=on,
        source=ReferralSource.INCOME_SUPPORT,
        requested_service=ServiceKind.WORK_REHABILITATION,
    )


# --- B2 -------------------------------------------------------------------------------------------------


def test_b2_a_case_is_opened_for_one_person() -> None:
    given().when(open_case()).then(opened())


def test_b2_a_case_is_opened_only_once() -> None:
    given(opened()).when(open_case()).then_rejected("B2", CaseAlreadyOpen, says="already open")


def test_b2_nothing_is_recorded_in_a_case_that_was_never_opened() -> None:
    given().when(referral()).then_rejected("B2", CaseNotOpen, says="record OpenCase first")


# --- B3 -------------------------------------------------------------------------------------------------


def test_b3_closing_a_case_ends_its_open_placements_first() -> None:
    closed_on = dt.date(2026, 3, 1)
    (
        given(opened(), sol_decision(), work_training_started())
        .when(CloseCase(case_id=CASE, closed_on=closed_on, reason=CloseReason.GOAL_REACHED))
        .then(
            ev.PlacementEnded(
                occurred_on=closed_on, placement_id=WORK_TRAINING, reason=EndReason.CASE_CLOSED
            ),
            ev.CaseClosed(occurred_on=closed_on, reason=CloseReason.GOAL_REACHED),
        )
    )


@pytest.mark.parametrize(
    "command",
    [
        referral(),
        GiveConsent(case_id=CASE, consent_id=an_id("consent"), given_on=TODAY, scope=ConsentScope.SUS),
        CloseCase(case_id=CASE, closed_on=TODAY, reason=CloseReason.OTHER),
    ],
    ids=["referral", "consent", "close-again"],
)
def test_b3_a_closed_case_takes_nothing_but_reopening(command: ReceiveReferral) -> None:
    closed = ev.CaseClosed(occurred_on=dt.date(2026, 2, 1), reason=CloseReason.NO_NEED)
    given(opened(), closed).when(command).then_rejected("B3", CaseIsClosed, says="only ReopenCase")


def test_b3_a_closed_case_can_be_reopened_and_then_recorded_in_again() -> None:
    closed = ev.CaseClosed(occurred_on=dt.date(2026, 2, 1), reason=CloseReason.NO_NEED)
    reopened = given(opened(), closed).when(ReopenCase(case_id=CASE, reopened_on=TODAY))
    reopened.then(ev.CaseReopened(occurred_on=TODAY))
    assert reopened.after.status is CaseStatus.REFERRED
    given(opened(), closed, ev.CaseReopened(occurred_on=TODAY)).when(referral()).then_accepted()


# --- B4 -------------------------------------------------------------------------------------------------


def test_b4_opened_assessed_and_decided_on_the_same_day_is_in_order() -> None:
    decision = MakeDecision(
        case_id=CASE,
        decision_id=an_id("d"),
        decided_on=OPENED_ON,
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.SOL_ASSISTANCE_2025,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=OPENED_ON,
        valid_to=OPENED_ON,
        alternatives_considered=("praktik",),
        least_intrusive_rationale="kortast",
    )
    given(opened(), assessed(OPENED_ON)).when(decision).then_accepted()


def test_b4_nothing_is_recorded_before_the_case_was_opened() -> None:
    (
        given(opened())
        .when(referral(OPENED_ON - dt.timedelta(days=1)))
        .then_rejected("B4", DatesOutOfOrder, says="before the case was opened")
    )


def test_b4_an_assessment_before_the_opening_is_out_of_order() -> None:
    assess = AssessNeeds(
        case_id=CASE,
        assessment_id=an_id("a"),
        assessed_on=dt.date(2026, 1, 1),
        method=AssessmentMethod.IBIC,
        life_areas=(LifeArea.MOBILITY,),
        participation=Participation.FULL,
    )
    given(opened()).when(assess).then_rejected("B4", DatesOutOfOrder, says="before the case was opened")


def _decision(decided_on: dt.date, valid_from: dt.date, valid_to: dt.date | None) -> MakeDecision:
    return MakeDecision(
        case_id=CASE,
        decision_id=an_id("d"),
        decided_on=decided_on,
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.SOL_ASSISTANCE_2025,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_b4_a_decision_is_not_made_before_the_assessment_it_rests_on() -> None:
    (
        given(opened(), assessed(dt.date(2026, 2, 10)))
        .when(_decision(dt.date(2026, 2, 9), dt.date(2026, 2, 9), None))
        .then_rejected("B4", DatesOutOfOrder, says="before the assessment")
    )


def test_b4_a_decision_is_not_valid_to_before_it_is_valid_from() -> None:
    (
        given(opened())
        .when(_decision(DECIDED_ON, dt.date(2026, 3, 1), dt.date(2026, 2, 28)))
        .then_rejected("B4", DatesOutOfOrder, says="valid_to")
    )


def _work_training(start_on: dt.date, planned_end_on: dt.date) -> StartPlacement:
    return StartPlacement(
        case_id=CASE,
        placement_id=an_id("new-placement"),
        unit_id=an_id("unit"),
        kind=PlacementKind.WORK_TRAINING,
        basis=Basis.required_activity(),
        start_on=start_on,
        planned_end_on=planned_end_on,
        hours_per_week=20,
    )


def test_b4_a_placement_is_not_planned_to_end_before_it_starts() -> None:
    (
        given(opened())
        .when(_work_training(dt.date(2026, 3, 2), dt.date(2026, 3, 1)))
        .then_rejected("B4", DatesOutOfOrder, says="planned_end_on")
    )


def test_b4_a_placement_does_not_end_before_it_started() -> None:
    end = EndPlacement(
        case_id=CASE,
        placement_id=WORK_TRAINING,
        end_on=STARTED_ON - dt.timedelta(days=1),
        reason=EndReason.COMPLETED,
    )
    (
        given(opened(), sol_decision(), work_training_started())
        .when(end)
        .then_rejected("B4", DatesOutOfOrder, says="before start_on")
    )


def test_b4_a_placement_may_end_the_day_it_started() -> None:
    end = EndPlacement(
        case_id=CASE, placement_id=WORK_TRAINING, end_on=STARTED_ON, reason=EndReason.OWN_CHOICE
    )
    (
        given(opened(), sol_decision(), work_training_started())
        .when(end)
        .then(
            ev.PlacementEnded(occurred_on=STARTED_ON, placement_id=WORK_TRAINING, reason=EndReason.OWN_CHOICE)
        )
    )


def test_b4_a_follow_up_is_not_dated_before_the_goal_it_follows_up() -> None:
    follow_up = RecordFollowUp(
        case_id=CASE,
        follow_up_id=an_id("f"),
        follow_up_on=dt.date(2026, 2, 1),
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )
    (
        given(opened(), goal_set(on=dt.date(2026, 2, 2)))
        .when(follow_up)
        .then_rejected("B4", DatesOutOfOrder, says="before goal")
    )


def test_b4_a_resumption_comes_after_the_interruption() -> None:
    interrupted = ev.PlacementInterrupted(
        occurred_on=dt.date(2026, 2, 20), placement_id=WORK_TRAINING, reason=InterruptionReason.ILLNESS
    )
    resume = ResumePlacement(case_id=CASE, placement_id=WORK_TRAINING, resumed_on=dt.date(2026, 2, 20))
    (
        given(opened(), sol_decision(), work_training_started(), interrupted)
        .when(resume)
        .then_rejected("B4", DatesOutOfOrder, says="after the interruption")
    )


def test_b4_a_goal_target_is_not_before_the_goal_was_set() -> None:
    goal = SetGoal(
        case_id=CASE,
        goal_id=an_id("g"),
        set_on=TODAY,
        life_area=LifeArea.WORK_AND_EDUCATION,
        citizen_words="Jobba i butik",
        formulated_by=FormulatedBy.CITIZEN,
        goal_type=GoalType.DEVELOP,
        target_on=TODAY - dt.timedelta(days=1),
    )
    given(opened()).when(goal).then_rejected("B4", DatesOutOfOrder, says="target_on")


def test_b4_a_start_up_to_the_tolerance_ahead_of_today_is_accepted() -> None:
    latest = TODAY + dt.timedelta(days=RuleParameters().future_tolerance_days)
    given(opened()).when(_work_training(latest, latest + dt.timedelta(days=90))).then_accepted()


def test_b4_a_start_too_far_in_the_future_is_refused() -> None:
    too_far = TODAY + dt.timedelta(days=RuleParameters().future_tolerance_days + 1)
    (
        given(opened())
        .when(_work_training(too_far, too_far + dt.timedelta(days=90)), today=TODAY)
        .then_rejected("B4", DatesOutOfOrder, says="ahead of today")
    )


def test_b4_a_case_is_not_opened_too_far_in_the_future() -> None:
    (
        given()
        .when(open_case(TODAY + dt.timedelta(days=32)), today=TODAY)
        .then_rejected("B4", DatesOutOfOrder, says="ahead of today")
    )


def test_b4_the_future_tolerance_is_a_ruleset_parameter() -> None:
    week = Ruleset(
        name="tight",
        version="1",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(future_tolerance_days=7),
    )
    in_8_days = TODAY + dt.timedelta(days=8)
    command = _work_training(in_8_days, in_8_days + dt.timedelta(days=30))
    given(opened()).when(command, ruleset=week).then_rejected("B4", DatesOutOfOrder, says="latest")
    given(opened()).when(command).then_accepted()
