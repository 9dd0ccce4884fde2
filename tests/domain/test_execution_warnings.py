"""Warnings on decisions in force: B10 LSS decision not executed or interrupted, B11 decision ending."""

import datetime as dt

from rehabcore.domain import events as ev
from rehabcore.domain.commands import SetGoal
from rehabcore.domain.rules import RuleParameters, Ruleset
from rehabcore.domain.vocabulary import (
    DecisionOutcome,
    EndReason,
    FollowUpStatus,
    FormulatedBy,
    GoalType,
    InterruptionReason,
    Jurisdiction,
    LegalBases,
    LifeArea,
    Participation,
    ServiceKind,
)

from .gwt import (
    CASE,
    DAILY_ACTIVITY,
    DECIDED_ON,
    LSS_DECISION,
    SOL_DECISION,
    an_id,
    daily_activity_started,
    given,
    lss_decision,
    opened,
    sol_decision,
)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def anything_on(on: dt.date) -> SetGoal:
    """An accepted command that raises no flag of its own (a citizen-led goal): warnings look at the case."""
    return SetGoal(
        case_id=CASE,
        goal_id=an_id(f"goal/{on}"),
        set_on=on,
        life_area=LifeArea.WORK_AND_EDUCATION,
        citizen_words="Laga cyklar",
        formulated_by=FormulatedBy.CITIZEN,
        goal_type=GoalType.DEVELOP,
    )


# --- B10: three calendar months from the decision day (or from an interruption), the same definition as the
# watch list and IVO's report (rehabcore.domain.execution) ------------------------------------------------

GRANTED = (opened(), lss_decision())  # decided 2026-02-02, in force from then, until further notice
REACHED = dt.date(2026, 5, 2)  # three calendar months from 2026-02-02


def test_b10_an_lss_decision_not_executed_the_day_before_three_months_raises_no_flag_yet() -> None:
    on = REACHED - days(1)
    given(*GRANTED).when(anything_on(on), today=on).then_warns()


def test_b10_an_lss_decision_with_no_placement_three_calendar_months_on_is_flagged_for_ivo() -> None:
    outcome = given(*GRANTED).when(anything_on(REACHED), today=REACHED).then_warns("B10")
    flag = outcome.warning("B10")
    assert flag.code == "decision_not_executed"
    assert flag.refers_to == LSS_DECISION
    assert "report to IVO" in flag.message
    assert "since 2026-02-02" in flag.message and "2026-05-02" in flag.message


def test_b10_counts_from_the_decision_day_not_from_valid_from() -> None:
    later = (opened(), lss_decision(valid_from=dt.date(2026, 9, 1)))
    given(*later).when(anything_on(REACHED), today=REACHED).then_warns("B10")


def test_b10_an_lss_decision_executed_by_a_running_daily_activity_raises_no_flag() -> None:
    on = DECIDED_ON + days(200)
    given(*GRANTED, daily_activity_started(on=DECIDED_ON + days(80))).when(
        anything_on(on), today=on
    ).then_warns()


INTERRUPTED_ON = dt.date(2026, 3, 2)
INTERRUPTED_REACHED = dt.date(2026, 6, 2)
INTERRUPTED = (
    *GRANTED,
    daily_activity_started(on=DECIDED_ON),
    ev.PlacementInterrupted(
        occurred_on=INTERRUPTED_ON, placement_id=DAILY_ACTIVITY, reason=InterruptionReason.UNIT_CLOSED
    ),
)


def test_b10_a_daily_activity_interrupted_three_months_less_a_day_raises_no_flag_yet() -> None:
    on = INTERRUPTED_REACHED - days(1)
    given(*INTERRUPTED).when(anything_on(on), today=on).then_warns()


def test_b10_a_daily_activity_interrupted_for_three_months_is_flagged() -> None:
    outcome = given(*INTERRUPTED).when(anything_on(INTERRUPTED_REACHED), today=INTERRUPTED_REACHED)
    assert str(INTERRUPTED_ON) in outcome.then_warns("B10").warning("B10").message


def test_b10_a_resumed_daily_activity_executes_the_decision_again() -> None:
    on = INTERRUPTED_ON + days(120)
    resumed = ev.PlacementResumed(occurred_on=INTERRUPTED_ON + days(30), placement_id=DAILY_ACTIVITY)
    given(*INTERRUPTED, resumed).when(anything_on(on), today=on).then_warns()


def test_b10_a_daily_activity_ended_three_months_ago_leaves_the_decision_unexecuted() -> None:
    ended = ev.PlacementEnded(
        occurred_on=INTERRUPTED_ON - days(1), placement_id=DAILY_ACTIVITY, reason=EndReason.OWN_CHOICE
    )
    given(*GRANTED, daily_activity_started(on=DECIDED_ON), ended).when(
        anything_on(INTERRUPTED_REACHED), today=INTERRUPTED_REACHED
    ).then_warns("B10")


def test_b10_a_sol_assistance_decision_is_watched_too() -> None:
    given(opened(), sol_decision()).when(anything_on(REACHED), today=REACHED).then_warns("B10")


def test_b10_a_sol_4_4_required_activity_is_never_reported() -> None:
    required = ev.DecisionMade(
        occurred_on=DECIDED_ON,
        decision_id=an_id("decision/4-4"),
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.SOL_REQUIRED_ACTIVITY_2001,
        service=ServiceKind.REQUIRED_ACTIVITY,
        valid_from=DECIDED_ON,
    )
    on = DECIDED_ON + days(400)
    given(opened(), required).when(anything_on(on), today=on).then_warns()


def test_b10_a_rejected_lss_application_is_nothing_to_execute() -> None:
    on = DECIDED_ON + days(120)
    given(opened(), lss_decision(outcome=DecisionOutcome.REJECT)).when(anything_on(on), today=on).then_warns()


def test_b10_an_lss_decision_terminated_is_no_longer_to_execute() -> None:
    terminated = ev.DecisionMade(
        occurred_on=DECIDED_ON + days(10),
        decision_id=an_id("decision/termination"),
        outcome=DecisionOutcome.TERMINATE,
        legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
        service=ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=DECIDED_ON + days(10),
        terminates_decision_id=LSS_DECISION,
    )
    on = DECIDED_ON + days(120)
    given(*GRANTED, terminated).when(anything_on(on), today=on).then_warns()


# --- B11 ------------------------------------------------------------------------------------------------

VALID_TO = dt.date(2026, 6, 30)
NOTICE = RuleParameters().decision_expiry_notice_days
TIME_LIMITED = (opened(), sol_decision(on=dt.date(2026, 4, 1), valid_to=VALID_TO))  # B10 not yet due


def test_b11_a_time_limited_decision_ending_after_the_notice_period_raises_no_flag() -> None:
    on = VALID_TO - days(NOTICE + 1)
    given(*TIME_LIMITED).when(anything_on(on), today=on).then_warns()


def test_b11_a_time_limited_decision_ending_within_the_notice_period_is_flagged() -> None:
    on = VALID_TO - days(NOTICE)
    outcome = given(*TIME_LIMITED).when(anything_on(on), today=on).then_warns("B11")
    flag = outcome.warning("B11")
    assert flag.code == "decision_ending"
    assert flag.refers_to == SOL_DECISION
    assert "follow up and take a new application" in flag.message


def test_b11_a_follow_up_within_the_notice_period_clears_the_flag() -> None:
    followed_up = ev.FollowUpRecorded(
        occurred_on=VALID_TO - days(NOTICE),
        follow_up_id=an_id("follow-up"),
        goal_results=(),
        participation=Participation.FULL,
        status=FollowUpStatus.CHANGE,
    )
    on = VALID_TO - days(10)
    given(*TIME_LIMITED, followed_up).when(anything_on(on), today=on).then_warns()


def test_b11_a_follow_up_before_the_notice_period_does_not_count() -> None:
    too_early = ev.FollowUpRecorded(
        occurred_on=VALID_TO - days(NOTICE + 1),
        follow_up_id=an_id("follow-up"),
        goal_results=(),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )
    on = VALID_TO - days(10)
    given(*TIME_LIMITED, too_early).when(anything_on(on), today=on).then_warns("B11")


def test_b11_a_new_decision_from_the_day_after_clears_the_flag() -> None:
    renewed = sol_decision(an_id("decision/renewed"), on=VALID_TO - days(20), valid_from=VALID_TO + days(1))
    on = VALID_TO - days(10)
    given(*TIME_LIMITED, renewed).when(anything_on(on), today=on).then_warns()


def test_b11_a_decision_until_further_notice_never_ends_soon() -> None:
    on = DECIDED_ON + days(80)
    given(opened(), sol_decision()).when(anything_on(on), today=on).then_warns()


def test_b11_the_notice_period_is_a_ruleset_parameter() -> None:
    short = Ruleset(
        name="short",
        version="1",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(decision_expiry_notice_days=14),
    )
    on = VALID_TO - days(30)
    given(*TIME_LIMITED).when(anything_on(on), today=on, ruleset=short).then_warns()
    given(*TIME_LIMITED).when(anything_on(on), today=on).then_warns("B11")
