"""B20 exits in the controlled taxonomy; C1 references, C2 ids used once, C3 commands fit the state."""

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import (
    AssessNeeds,
    EndPlacement,
    EstablishPlan,
    ExitToStudies,
    ExitToWork,
    InterruptPlacement,
    MakeDecision,
    RecordFollowUp,
    ReopenCase,
    ResumePlacement,
    StartPlacement,
    TransferToLssDailyActivity,
    WithdrawConsent,
)
from rehabcore.domain.rules import DuplicateId, ExitCategoryInvalid, InvalidState, UnknownReference
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.vocabulary import (
    AssessmentMethod,
    Basis,
    ConsentScope,
    DecisionOutcome,
    EmployerSector,
    EmploymentForm,
    EndReason,
    FollowUpStatus,
    GoalOutcome,
    GoalResult,
    InterruptionReason,
    LegalBases,
    Participation,
    PlacementKind,
    PlanKind,
    ServiceKind,
    StudyKind,
    SubsidyType,
)

from .gwt import (
    ATERBRUKET,
    CASE,
    DAILY_ACTIVITY,
    DV_UNIT,
    GOAL,
    LSS_DECISION,
    SOL_DECISION,
    TODAY,
    WORK_TRAINING,
    an_id,
    given,
    goal_set,
    lss_decision,
    opened,
    sol_decision,
    work_training_started,
)

IN_WORK_TRAINING = (opened(), sol_decision(), work_training_started())

# --- B20 ------------------------------------------------------------------------------------------------


def exit_to_work(form: EmploymentForm, subsidy: SubsidyType | None) -> ExitToWork:
    return ExitToWork(
        case_id=CASE,
        exit_on=TODAY,
        employment_form=form,
        employer_sector=EmployerSector.PRIVATE,
        extent_pct=75,
        subsidy=subsidy,
    )


def test_b20_leaving_for_subsidised_work_names_the_subsidy_and_ends_the_placement() -> None:
    outcome = (
        given(*IN_WORK_TRAINING)
        .when(exit_to_work(EmploymentForm.SUBSIDISED, SubsidyType.LONEBIDRAG_ANSTALLNING))
        .then(
            ev.PlacementEnded(occurred_on=TODAY, placement_id=WORK_TRAINING, reason=EndReason.EXIT_WORK),
            ev.ExitedToWork(
                occurred_on=TODAY,
                employment_form=EmploymentForm.SUBSIDISED,
                extent_pct=75,
                employer_sector=EmployerSector.PRIVATE,
                subsidy=SubsidyType.LONEBIDRAG_ANSTALLNING,
            ),
        )
    )
    assert outcome.after.status is CaseStatus.EXITED


def test_b20_leaving_for_open_work_needs_no_subsidy() -> None:
    given(*IN_WORK_TRAINING).when(exit_to_work(EmploymentForm.OPEN, None)).then_accepted()


@pytest.mark.parametrize("form", [EmploymentForm.SUBSIDISED, EmploymentForm.SHELTERED])
def test_b20_subsidised_or_sheltered_work_without_the_subsidy_is_refused(form: EmploymentForm) -> None:
    (
        given(*IN_WORK_TRAINING)
        .when(exit_to_work(form, None))
        .then_rejected("B20", ExitCategoryInvalid, says="names the subsidy or sheltered form (subsidy)")
    )


def test_b20_open_work_with_a_subsidy_is_refused() -> None:
    (
        given(*IN_WORK_TRAINING)
        .when(exit_to_work(EmploymentForm.OPEN, SubsidyType.NYSTARTSJOBB))
        .then_rejected("B20", ExitCategoryInvalid, says="use employment_form=subsidised or sheltered")
    )


def test_b20_leaving_for_studies_ends_the_placement() -> None:
    command = ExitToStudies(case_id=CASE, exit_on=TODAY, study_kind=StudyKind.KOMVUX, extent_pct=50)
    (
        given(*IN_WORK_TRAINING)
        .when(command)
        .then(
            ev.PlacementEnded(occurred_on=TODAY, placement_id=WORK_TRAINING, reason=EndReason.EXIT_STUDIES),
            ev.ExitedToStudies(occurred_on=TODAY, study_kind=StudyKind.KOMVUX, extent_pct=50),
        )
    )


# --- C1 -------------------------------------------------------------------------------------------------

UNKNOWN = an_id("not-in-this-case")


def test_c1_a_placement_of_the_case_can_be_ended() -> None:
    end = EndPlacement(case_id=CASE, placement_id=WORK_TRAINING, end_on=TODAY, reason=EndReason.COMPLETED)
    given(*IN_WORK_TRAINING).when(end).then(
        ev.PlacementEnded(occurred_on=TODAY, placement_id=WORK_TRAINING, reason=EndReason.COMPLETED)
    )


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (
            EndPlacement(case_id=CASE, placement_id=UNKNOWN, end_on=TODAY, reason=EndReason.COMPLETED),
            "placement",
        ),
        (
            EstablishPlan(
                case_id=CASE,
                plan_id=an_id("plan"),
                established_on=TODAY,
                plan_kind=PlanKind.IMPLEMENTATION_PLAN,
                goal_ids=(UNKNOWN,),
                participation=Participation.FULL,
                next_follow_up_on=dt.date(2026, 6, 1),
            ),
            "set it with SetGoal first",
        ),
        (WithdrawConsent(case_id=CASE, consent_id=UNKNOWN, withdrawn_on=TODAY), "consent"),
        (
            MakeDecision(
                case_id=CASE,
                decision_id=an_id("decision/termination"),
                decided_on=TODAY,
                outcome=DecisionOutcome.TERMINATE,
                legal_basis=LegalBases.SOL_ASSISTANCE_2025,
                service=ServiceKind.WORK_REHABILITATION,
                valid_from=TODAY,
                terminates_decision_id=UNKNOWN,
                reasons="Behovet finns inte längre",
            ),
            "record it with MakeDecision first",
        ),
    ],
    ids=["end-placement", "plan-goal", "withdraw-consent", "terminate-decision"],
)
def test_c1_a_command_naming_something_the_case_does_not_have_is_refused(command: object, says: str) -> None:
    given(*IN_WORK_TRAINING).when(command, today=TODAY).then_rejected(  # type: ignore[arg-type]
        "C1", UnknownReference, says=[str(UNKNOWN), says]
    )


def test_c1_a_terminating_decision_ends_the_decision_it_names() -> None:
    terminate = MakeDecision(
        case_id=CASE,
        decision_id=an_id("decision/termination"),
        decided_on=TODAY,
        outcome=DecisionOutcome.TERMINATE,
        legal_basis=LegalBases.SOL_ASSISTANCE_2025,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=TODAY,
        terminates_decision_id=SOL_DECISION,
        reasons="Behovet finns inte längre",
        communicated_on=TODAY,
    )
    outcome = given(*IN_WORK_TRAINING).when(terminate).then_accepted()
    assert outcome.after.decisions[SOL_DECISION].last_day == TODAY - dt.timedelta(days=1)


# --- C2 -------------------------------------------------------------------------------------------------


def test_c2_a_new_placement_id_starts_a_second_placement() -> None:
    second = StartPlacement(
        case_id=CASE,
        placement_id=an_id("placement/second"),
        unit_id=ATERBRUKET,
        kind=PlacementKind.OCCUPATION,
        basis=Basis.voluntary(),
        start_on=TODAY,
        hours_per_week=5,
    )
    given(*IN_WORK_TRAINING).when(second).then_accepted()


def test_c2_a_placement_id_is_used_once_in_a_case() -> None:
    again = StartPlacement(
        case_id=CASE,
        placement_id=WORK_TRAINING,
        unit_id=ATERBRUKET,
        kind=PlacementKind.OCCUPATION,
        basis=Basis.voluntary(),
        start_on=TODAY,
        hours_per_week=5,
    )
    given(*IN_WORK_TRAINING).when(again).then_rejected("C2", DuplicateId, says="use a new id")


def test_c2_a_decision_id_is_used_once_in_a_case() -> None:
    again = MakeDecision(
        case_id=CASE,
        decision_id=SOL_DECISION,
        decided_on=TODAY,
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.SOL_ASSISTANCE_2025,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=TODAY,
    )
    given(*IN_WORK_TRAINING).when(again).then_rejected("C2", DuplicateId, says="already exists")


def test_c2_a_transfer_takes_a_new_placement_id() -> None:
    transfer = TransferToLssDailyActivity(
        case_id=CASE,
        from_placement_id=WORK_TRAINING,
        placement_id=WORK_TRAINING,
        to_unit_id=DV_UNIT,
        lss_decision_id=LSS_DECISION,
        start_on=TODAY,
        hours_per_week=20,
    )
    given(*IN_WORK_TRAINING, lss_decision()).when(transfer).then_rejected(
        "C2", DuplicateId, says="use a new id"
    )


def test_c2_a_goal_has_one_result_per_follow_up() -> None:
    twice = RecordFollowUp(
        case_id=CASE,
        follow_up_id=an_id("follow-up"),
        follow_up_on=TODAY,
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED), GoalOutcome(GOAL, GoalResult.ACHIEVED)),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )
    given(opened(), goal_set()).when(twice).then_rejected(
        "C2", DuplicateId, says="two results in one follow-up"
    )


# --- C3 -------------------------------------------------------------------------------------------------


def interrupt(on: dt.date = TODAY) -> InterruptPlacement:
    return InterruptPlacement(
        case_id=CASE, placement_id=WORK_TRAINING, interrupted_on=on, reason=InterruptionReason.ILLNESS
    )


def test_c3_a_placement_is_interrupted_then_resumed() -> None:
    given(*IN_WORK_TRAINING).when(interrupt()).then(
        ev.PlacementInterrupted(
            occurred_on=TODAY, placement_id=WORK_TRAINING, reason=InterruptionReason.ILLNESS
        )
    )
    later = TODAY + dt.timedelta(days=14)
    outcome = (
        given(
            *IN_WORK_TRAINING,
            ev.PlacementInterrupted(
                occurred_on=TODAY, placement_id=WORK_TRAINING, reason=InterruptionReason.ILLNESS
            ),
        )
        .when(ResumePlacement(case_id=CASE, placement_id=WORK_TRAINING, resumed_on=later), today=later)
        .then(ev.PlacementResumed(occurred_on=later, placement_id=WORK_TRAINING))
    )
    assert not outcome.after.placements[WORK_TRAINING].is_interrupted


ENDED = ev.PlacementEnded(
    occurred_on=dt.date(2026, 2, 27), placement_id=WORK_TRAINING, reason=EndReason.COMPLETED
)
INTERRUPTED = ev.PlacementInterrupted(
    occurred_on=dt.date(2026, 2, 23), placement_id=WORK_TRAINING, reason=InterruptionReason.ILLNESS
)


@pytest.mark.parametrize(
    ("extra", "command", "says"),
    [
        (
            (ENDED,),
            EndPlacement(case_id=CASE, placement_id=WORK_TRAINING, end_on=TODAY, reason=EndReason.COMPLETED),
            "start a new placement instead",
        ),
        ((ENDED,), interrupt(), "start a new placement instead"),
        (
            (),
            ResumePlacement(case_id=CASE, placement_id=WORK_TRAINING, resumed_on=TODAY),
            "is not interrupted",
        ),
        ((INTERRUPTED,), interrupt(), "resume it first"),
        ((), ReopenCase(case_id=CASE, reopened_on=TODAY), "only a closed case can be reopened"),
        (
            (
                ev.ConsentGiven(
                    occurred_on=dt.date(2026, 2, 1),
                    consent_id=an_id("consent"),
                    scope=ConsentScope.EMPLOYMENT_SERVICE,
                ),
                ev.ConsentWithdrawn(occurred_on=dt.date(2026, 2, 10), consent_id=an_id("consent")),
            ),
            WithdrawConsent(case_id=CASE, consent_id=an_id("consent"), withdrawn_on=TODAY),
            "already withdrawn",
        ),
        (
            (ev.ExitedToStudies(occurred_on=dt.date(2026, 2, 27), study_kind=StudyKind.SFI, extent_pct=50),),
            ExitToStudies(case_id=CASE, exit_on=TODAY, study_kind=StudyKind.KOMVUX, extent_pct=50),
            "an exit is already recorded",
        ),
        (
            (),
            AssessNeeds(
                case_id=CASE,
                assessment_id=an_id("assessment"),
                assessed_on=TODAY,
                method=AssessmentMethod.VUM2,
                life_areas=(),
                participation=Participation.FULL,
            ),
            "at least one life area",
        ),
        (
            (),
            MakeDecision(
                case_id=CASE,
                decision_id=an_id("decision/termination"),
                decided_on=TODAY,
                outcome=DecisionOutcome.TERMINATE,
                legal_basis=LegalBases.SOL_ASSISTANCE_2025,
                service=ServiceKind.WORK_REHABILITATION,
                valid_from=TODAY,
                reasons="Behovet finns inte längre",
            ),
            "names the decision it ends (terminates_decision_id)",
        ),
        (
            (),
            MakeDecision(
                case_id=CASE,
                decision_id=an_id("decision/grant"),
                decided_on=TODAY,
                outcome=DecisionOutcome.GRANT,
                legal_basis=LegalBases.SOL_ASSISTANCE_2025,
                service=ServiceKind.WORK_REHABILITATION,
                valid_from=TODAY,
                terminates_decision_id=SOL_DECISION,
                reasons="Behovet finns inte längre",
            ),
            "only a decision with outcome 'terminate'",
        ),
    ],
    ids=[
        "end-ended",
        "interrupt-ended",
        "resume-running",
        "interrupt-twice",
        "reopen-open-case",
        "withdraw-twice",
        "exit-twice",
        "assess-nothing",
        "terminate-nothing",
        "grant-terminating",
    ],
)
def test_c3_a_command_that_does_not_fit_the_state_is_refused(
    extra: tuple[ev.CaseEvent, ...], command: object, says: str
) -> None:
    given(*IN_WORK_TRAINING, *extra).when(command).then_rejected(  # type: ignore[arg-type]
        "C3", InvalidState, says=says
    )


def test_c3_a_daily_activity_ended_by_transfer_is_not_ended_again() -> None:
    transferred = ev.TransferredToLssDailyActivity(
        occurred_on=dt.date(2026, 2, 27),
        from_placement_id=WORK_TRAINING,
        placement_id=DAILY_ACTIVITY,
        to_unit_id=DV_UNIT,
        lss_decision_id=LSS_DECISION,
        hours_per_week=25,
    )
    end = EndPlacement(case_id=CASE, placement_id=WORK_TRAINING, end_on=TODAY, reason=EndReason.COMPLETED)
    (
        given(*IN_WORK_TRAINING, lss_decision(), transferred)
        .when(end)
        .then_rejected("C3", InvalidState, says="ended on 2026-02-26")
    )
