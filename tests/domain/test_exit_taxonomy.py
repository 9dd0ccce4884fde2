"""#18: exits for neither work nor studies, employment length (B20), follow-ups after the exit, and what
the new fields leave of the stored bytes of exits recorded before them."""

import datetime as dt

import pytest

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.commands import CloseCase, ExitElsewhere, ExitToWork, RecordOutcomeStatus
from rehabcore.domain.rules import (
    CaseIsClosed,
    DatesOutOfOrder,
    DuplicateId,
    ExitCategoryInvalid,
    InvalidState,
)
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.vocabulary import (
    CloseReason,
    EmployerSector,
    EmploymentForm,
    EmploymentTerm,
    EndReason,
    ExitDestination,
    IncomeSource,
    OutcomeActivity,
    OutcomePoint,
)

from .gwt import CASE, TODAY, WORK_TRAINING, given, opened, sol_decision, work_training_started

IN_WORK_TRAINING = (opened(), sol_decision(), work_training_started())
EXIT_ON = TODAY - dt.timedelta(days=40)


@pytest.mark.parametrize(
    ("destination", "reason"),
    [
        (ExitDestination.JOB_SEEKER_AF, EndReason.COMPLETED),
        (ExitDestination.MOVED, EndReason.MOVED),
        (ExitDestination.SICKNESS_COMPENSATION, EndReason.ILL_HEALTH),
        (ExitDestination.OWN_CHOICE, EndReason.OWN_CHOICE),
    ],
)
def test_an_exit_elsewhere_ends_the_placement_for_its_destinations_reason(
    destination: ExitDestination, reason: EndReason
) -> None:
    command = ExitElsewhere(
        case_id=CASE,
        exit_on=TODAY,
        destination=destination,
        income_before=(IncomeSource.ECONOMIC_ASSISTANCE,),
        income_after=(IncomeSource.UNEMPLOYMENT_BENEFIT,),
    )
    outcome = (
        given(*IN_WORK_TRAINING)
        .when(command)
        .then(
            ev.PlacementEnded(occurred_on=TODAY, placement_id=WORK_TRAINING, reason=reason),
            ev.ExitedElsewhere(
                occurred_on=TODAY,
                destination=destination,
                income_before=(IncomeSource.ECONOMIC_ASSISTANCE,),
                income_after=(IncomeSource.UNEMPLOYMENT_BENEFIT,),
            ),
        )
    )
    assert outcome.after.status is CaseStatus.EXITED


def _work(term: EmploymentTerm | None, ends_on: dt.date | None) -> ExitToWork:
    return ExitToWork(
        case_id=CASE,
        exit_on=TODAY,
        employment_form=EmploymentForm.MUNICIPAL,
        employer_sector=EmployerSector.PUBLIC,
        extent_pct=100,
        term=term,
        employment_ends_on=ends_on,
    )


def test_b20_fixed_term_work_names_its_last_day_and_permanent_work_none() -> None:
    month = TODAY + dt.timedelta(days=30)
    given(*IN_WORK_TRAINING).when(_work(EmploymentTerm.FIXED_TERM, month)).then_accepted()
    given(*IN_WORK_TRAINING).when(_work(EmploymentTerm.PERMANENT, None)).then_accepted()
    given(*IN_WORK_TRAINING).when(_work(None, None)).then_accepted()  # not known: counted as unknown
    (
        given(*IN_WORK_TRAINING)
        .when(_work(EmploymentTerm.FIXED_TERM, None))
        .then_rejected("B20", ExitCategoryInvalid, says="names its last day")
    )
    (
        given(*IN_WORK_TRAINING)
        .when(_work(EmploymentTerm.PERMANENT, month))
        .then_rejected("B20", ExitCategoryInvalid, says="only fixed-term work has a last day")
    )
    (
        given(*IN_WORK_TRAINING)
        .when(_work(EmploymentTerm.FIXED_TERM, TODAY - dt.timedelta(days=1)))
        .then_rejected("B4", DatesOutOfOrder, says="is before the exit")
    )


EXITED = (
    opened(),
    ev.ExitedElsewhere(occurred_on=EXIT_ON, destination=ExitDestination.JOB_SEEKER_AF),
    ev.CaseClosed(occurred_on=EXIT_ON, reason=CloseReason.EXITED),
)


def _status(point: OutcomePoint, on: dt.date = TODAY, **extra: object) -> RecordOutcomeStatus:
    return RecordOutcomeStatus(
        case_id=CASE,
        followed_up_on=on,
        point=point,
        activity=extra.pop("activity", OutcomeActivity.WORK),  # type: ignore[arg-type]
        income=(IncomeSource.SALARY,),
        **extra,  # type: ignore[arg-type]
    )


def test_the_status_after_the_exit_is_recorded_on_the_closed_case_once_per_point() -> None:
    status = _status(OutcomePoint.ONE_MONTH, employment_form=EmploymentForm.OPEN)
    outcome = given(*EXITED).when(status).then_accepted()
    assert outcome.after.outcome_statuses[0].point is OutcomePoint.ONE_MONTH
    recorded = outcome.after.outcome_statuses[0]
    (
        given(*EXITED, recorded)
        .when(_status(OutcomePoint.ONE_MONTH))
        .then_rejected("C2", DuplicateId, says="already recorded")
    )
    given(*EXITED, recorded).when(_status(OutcomePoint.SIX_MONTHS)).then_accepted()


def test_the_status_after_the_exit_needs_an_exit_before_it() -> None:
    (
        given(*IN_WORK_TRAINING)
        .when(_status(OutcomePoint.ONE_MONTH))
        .then_rejected("C3", InvalidState, says="no exit is recorded")
    )
    (
        given(*EXITED)
        .when(_status(OutcomePoint.ONE_MONTH, on=EXIT_ON - dt.timedelta(days=1)))
        .then_rejected("B4", DatesOutOfOrder, says="is before the exit")
    )
    (
        given(*EXITED)
        .when(
            _status(
                OutcomePoint.ONE_MONTH, activity=OutcomeActivity.STUDIES, employment_form=EmploymentForm.OPEN
            )
        )
        .then_rejected("B20", ExitCategoryInvalid, says="activity=work only")
    )


def test_other_commands_on_the_closed_case_are_still_refused() -> None:
    (
        given(*EXITED)
        .when(CloseCase(case_id=CASE, closed_on=TODAY, reason=CloseReason.OTHER))
        .then_rejected("B3", CaseIsClosed, says="the case is closed")
    )


def test_exits_recorded_without_the_new_fields_keep_their_bytes() -> None:
    work = ev.ExitedToWork(
        occurred_on=TODAY,
        employment_form=EmploymentForm.OPEN,
        extent_pct=100,
        employer_sector=EmployerSector.PRIVATE,
    )
    name, version, data = codec.encode_event(work)
    assert data == (
        b'{"occurred_on":"2026-03-02","employment_form":"open","extent_pct":100,"employer_sector":"private",'
        b'"subsidy":null}'
    )
    assert codec.decode_event(name, version, data) == work
