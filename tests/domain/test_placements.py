"""Placements: B5 time-limited work rehabilitation, B6 extensions, B7 LSS decision in force, B9 continuity,
B19 one basis."""

import datetime as dt
import uuid

from rehabcore.domain import events as ev
from rehabcore.domain.commands import (
    ExtendPlacement,
    StartPlacement,
    TransferToLssDailyActivity,
)
from rehabcore.domain.rules import (
    ExtensionNeedsDecision,
    LssDecisionNotInForce,
    PlacementBasisInvalid,
    RuleParameters,
    Ruleset,
    WorkTrainingNeedsPlannedEnd,
    WorkTrainingTooLong,
)
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.vocabulary import (
    Basis,
    BasisKind,
    DecisionOutcome,
    EndReason,
    Jurisdiction,
    PlacementKind,
)

from .gwt import (
    ATERBRUKET,
    CASE,
    DAILY_ACTIVITY,
    DECIDED_ON,
    DV_UNIT,
    LSS_DECISION,
    SOL_DECISION,
    TODAY,
    WORK_TRAINING,
    an_id,
    given,
    lss_decision,
    opened,
    sol_decision,
    work_training_started,
)

NEW = an_id("placement/new")


def start(
    kind: PlacementKind = PlacementKind.WORK_TRAINING,
    basis: Basis | None = None,
    start_on: dt.date = TODAY,
    planned_end_on: dt.date | None = None,
    placement_id: uuid.UUID = NEW,
) -> StartPlacement:
    return StartPlacement(
        case_id=CASE,
        placement_id=placement_id,
        unit_id=ATERBRUKET if kind.is_work_rehabilitation else DV_UNIT,
        kind=kind,
        basis=basis or Basis.sol(SOL_DECISION),
        start_on=start_on,
        planned_end_on=planned_end_on,
        hours_per_week=20,
    )


def started(command: StartPlacement) -> ev.PlacementStarted:
    return ev.PlacementStarted(
        occurred_on=command.start_on,
        placement_id=command.placement_id,
        unit_id=command.unit_id,
        kind=command.kind,
        basis=command.basis,
        planned_end_on=command.planned_end_on,
        hours_per_week=command.hours_per_week,
    )


# --- B5 -------------------------------------------------------------------------------------------------


def test_b5_work_training_with_a_planned_end_starts() -> None:
    command = start(planned_end_on=TODAY + dt.timedelta(days=90))
    given(opened(), sol_decision()).when(command).then(started(command))


def test_b5_work_training_needs_a_planned_end_at_start() -> None:
    (
        given(opened(), sol_decision())
        .when(start(planned_end_on=None))
        .then_rejected("B5", WorkTrainingNeedsPlannedEnd, says="give planned_end_on")
    )


def test_b5_internship_and_work_assessment_are_time_limited_too() -> None:
    for kind in (PlacementKind.INTERNSHIP, PlacementKind.WORK_ASSESSMENT):
        (
            given(opened())
            .when(start(kind, Basis.required_activity()))
            .then_rejected("B5", WorkTrainingNeedsPlannedEnd, says="time-limited")
        )


def test_b5_daily_activity_runs_until_further_notice_without_a_planned_end() -> None:
    command = start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION))
    given(opened(), lss_decision()).when(command).then(started(command))


def test_b5_work_training_planned_for_exactly_the_longest_allowed_starts() -> None:
    longest = RuleParameters().max_work_training_days
    command = start(planned_end_on=TODAY + dt.timedelta(days=longest))
    given(opened(), sol_decision()).when(command).then_accepted()


def test_b5_work_training_planned_longer_than_the_ruleset_allows_is_refused() -> None:
    one_too_many = RuleParameters().max_work_training_days + 1
    (
        given(opened(), sol_decision())
        .when(start(planned_end_on=TODAY + dt.timedelta(days=one_too_many)))
        .then_rejected("B5", WorkTrainingTooLong, says="without an extension decision")
    )


def test_b5_a_municipality_allowing_a_year_of_work_training_accepts_a_longer_one() -> None:
    year = Ruleset(
        name="year",
        version="2",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(max_work_training_days=365),
    )
    command = start(planned_end_on=TODAY + dt.timedelta(days=300))
    given(opened(), sol_decision()).when(command, ruleset=year).then(started(command))
    (
        given(opened(), sol_decision())
        .when(start(planned_end_on=TODAY + dt.timedelta(days=366)), ruleset=year)
        .then_rejected("B5", WorkTrainingTooLong, says="year@2 allows 365")
    )


# --- B6 -------------------------------------------------------------------------------------------------

EXTENSION_DECISION = an_id("decision/extension")


def extend(authorising_decision_id: uuid.UUID | None = None, on: dt.date = TODAY) -> ExtendPlacement:
    return ExtendPlacement(
        case_id=CASE,
        placement_id=WORK_TRAINING,
        extended_on=on,
        new_planned_end_on=dt.date(2026, 8, 14),
        authorising_decision_id=authorising_decision_id,
    )


WORK_TRAINING_CASE = (opened(), sol_decision(), work_training_started())


def test_b6_work_training_is_extended_on_an_authorising_decision() -> None:
    (
        given(*WORK_TRAINING_CASE, sol_decision(EXTENSION_DECISION, on=TODAY))
        .when(extend(EXTENSION_DECISION))
        .then(
            ev.PlacementExtended(
                occurred_on=TODAY,
                placement_id=WORK_TRAINING,
                new_planned_end_on=dt.date(2026, 8, 14),
                authorising_decision_id=EXTENSION_DECISION,
            )
        )
    )


def test_b6_work_training_is_not_extended_without_a_decision() -> None:
    (
        given(*WORK_TRAINING_CASE)
        .when(extend(None))
        .then_rejected(
            "B6", ExtensionNeedsDecision, says="record MakeDecision and pass authorising_decision_id"
        )
    )


def test_b6_the_authorising_decision_must_be_a_decision_of_the_case() -> None:
    (
        given(*WORK_TRAINING_CASE)
        .when(extend(EXTENSION_DECISION))
        .then_rejected("B6", ExtensionNeedsDecision, says="record it with MakeDecision first")
    )


def test_b6_a_rejected_application_does_not_authorise_an_extension() -> None:
    rejected = sol_decision(EXTENSION_DECISION, on=TODAY, outcome=DecisionOutcome.REJECT)
    (
        given(*WORK_TRAINING_CASE, rejected)
        .when(extend(EXTENSION_DECISION))
        .then_rejected("B6", ExtensionNeedsDecision, says="a granted decision is needed")
    )


def test_b6_the_authorising_decision_must_be_in_force_on_the_extension_day() -> None:
    later = sol_decision(EXTENSION_DECISION, on=TODAY, valid_from=dt.date(2026, 5, 1))
    (
        given(*WORK_TRAINING_CASE, later)
        .when(extend(EXTENSION_DECISION))
        .then_rejected("B6", ExtensionNeedsDecision, says="not in force")
    )


# --- B7 -------------------------------------------------------------------------------------------------


def test_b7_daily_activity_starts_under_an_lss_decision_in_force() -> None:
    command = start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION), start_on=DECIDED_ON)
    given(opened(), lss_decision()).when(command).then(started(command))


def test_b7_daily_activity_needs_an_lss_decision_as_its_basis() -> None:
    (
        given(opened())
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.voluntary()))
        .then_rejected("B7", LssDecisionNotInForce, says="Basis.lss")
    )


def test_b7_daily_activity_on_a_decision_the_case_does_not_have_is_refused() -> None:
    (
        given(opened())
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION)))
        .then_rejected("B7", LssDecisionNotInForce, says="record it with MakeDecision first")
    )


def test_b7_daily_activity_does_not_start_before_the_decision_is_valid() -> None:
    (
        given(opened(), lss_decision(valid_from=dt.date(2026, 4, 1)))
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION), start_on=dt.date(2026, 3, 31)))
        .then_rejected("B7", LssDecisionNotInForce, says="decide again or change the date")
    )


def test_b7_daily_activity_does_not_start_after_the_decision_ran_out() -> None:
    (
        given(opened(), lss_decision(valid_to=dt.date(2026, 2, 28)))
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION), start_on=dt.date(2026, 3, 1)))
        .then_rejected("B7", LssDecisionNotInForce, says="not in force on 2026-03-01")
    )


def test_b7_daily_activity_does_not_start_on_a_rejected_lss_application() -> None:
    (
        given(opened(), lss_decision(outcome=DecisionOutcome.REJECT))
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.lss(LSS_DECISION)))
        .then_rejected("B7", LssDecisionNotInForce, says="a granted decision is needed")
    )


def test_b7_daily_activity_does_not_stand_on_a_sol_decision_named_as_lss() -> None:
    (
        given(opened(), sol_decision())
        .when(start(PlacementKind.DAILY_ACTIVITY, Basis.lss(SOL_DECISION)))
        .then_rejected("B7", LssDecisionNotInForce, says="is no lss_decision")
    )


def transfer(decision_id: uuid.UUID = LSS_DECISION, start_on: dt.date = TODAY) -> TransferToLssDailyActivity:
    return TransferToLssDailyActivity(
        case_id=CASE,
        from_placement_id=WORK_TRAINING,
        placement_id=DAILY_ACTIVITY,
        to_unit_id=DV_UNIT,
        lss_decision_id=decision_id,
        start_on=start_on,
        hours_per_week=25,
    )


def test_b7_a_transfer_to_daily_activity_under_a_decision_in_force_moves_the_person_without_a_gap() -> None:
    outcome = (
        given(*WORK_TRAINING_CASE, lss_decision(on=dt.date(2026, 2, 20)))
        .when(transfer())
        .then(
            ev.TransferredToLssDailyActivity(
                occurred_on=TODAY,
                from_placement_id=WORK_TRAINING,
                placement_id=DAILY_ACTIVITY,
                to_unit_id=DV_UNIT,
                lss_decision_id=LSS_DECISION,
                hours_per_week=25,
            )
        )
    )
    old, new = outcome.after.placements[WORK_TRAINING], outcome.after.placements[DAILY_ACTIVITY]
    assert old.end_on == TODAY - dt.timedelta(days=1)
    assert old.end_reason is EndReason.TRANSFERRED
    assert new.start_on == TODAY
    assert new.basis.kind is BasisKind.LSS_DECISION
    assert outcome.after.status is CaseStatus.ACTIVE  # moved, not gone (#12)


def test_b7_a_transfer_without_an_lss_decision_is_refused() -> None:
    (
        given(*WORK_TRAINING_CASE)
        .when(transfer())
        .then_rejected("B7", LssDecisionNotInForce, says="record it with MakeDecision first")
    )


def test_b7_a_transfer_before_the_lss_decision_is_valid_is_refused() -> None:
    (
        given(*WORK_TRAINING_CASE, lss_decision(on=dt.date(2026, 2, 20), valid_from=dt.date(2026, 3, 16)))
        .when(transfer(start_on=dt.date(2026, 3, 9)))
        .then_rejected("B7", LssDecisionNotInForce, says="not in force on 2026-03-09")
    )


def test_b7_a_transfer_after_the_lss_decision_was_terminated_is_refused() -> None:
    terminated = ev.DecisionMade(
        occurred_on=dt.date(2026, 2, 25),
        decision_id=an_id("decision/termination"),
        outcome=DecisionOutcome.TERMINATE,
        legal_basis=lss_decision().legal_basis,
        service=lss_decision().service,
        valid_from=dt.date(2026, 3, 1),
        terminates_decision_id=LSS_DECISION,
    )
    (
        given(*WORK_TRAINING_CASE, lss_decision(on=dt.date(2026, 2, 20)), terminated)
        .when(transfer(start_on=dt.date(2026, 3, 1)))
        .then_rejected("B7", LssDecisionNotInForce, says="not in force")
    )


# --- B9: see test_continuity.py ------------------------------------------------------------------------


# --- B19 ------------------------------------------------------------------------------------------------


def test_b19_a_placement_stands_on_one_basis_open_activity_without_a_decision() -> None:
    command = start(PlacementKind.OCCUPATION, Basis.voluntary())
    given(opened()).when(command).then(started(command))


def test_b19_a_required_activity_stands_on_the_income_support_requirement_alone() -> None:
    command = start(
        PlacementKind.INTERNSHIP, Basis.required_activity(), planned_end_on=TODAY + dt.timedelta(days=60)
    )
    given(opened()).when(command).then(started(command))


def test_b19_a_decided_basis_names_its_decision() -> None:
    (
        given(opened(), sol_decision())
        .when(start(basis=Basis(BasisKind.SOL_DECISION), planned_end_on=dt.date(2026, 5, 1)))
        .then_rejected("B19", PlacementBasisInvalid, says="names the decision it executes")
    )


def test_b19_a_voluntary_basis_names_no_decision() -> None:
    (
        given(opened(), sol_decision())
        .when(start(PlacementKind.OCCUPATION, Basis(BasisKind.VOLUNTARY, SOL_DECISION)))
        .then_rejected("B19", PlacementBasisInvalid, says="names no decision")
    )


def test_b19_a_sol_basis_does_not_point_at_an_lss_decision() -> None:
    (
        given(opened(), lss_decision())
        .when(start(basis=Basis.sol(LSS_DECISION), planned_end_on=dt.date(2026, 5, 1)))
        .then_rejected("B19", PlacementBasisInvalid, says="is no sol_decision")
    )


def test_b19_a_sol_basis_needs_a_granted_decision_in_force() -> None:
    (
        given(opened(), sol_decision(outcome=DecisionOutcome.REJECT))
        .when(start(planned_end_on=dt.date(2026, 5, 1)))
        .then_rejected("B19", PlacementBasisInvalid, says="a granted decision is needed")
    )
    (
        given(opened(), sol_decision(valid_to=dt.date(2026, 2, 28)))
        .when(start(planned_end_on=dt.date(2026, 5, 1)))
        .then_rejected("B19", PlacementBasisInvalid, says="not in force")
    )
