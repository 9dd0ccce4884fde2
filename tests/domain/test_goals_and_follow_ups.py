"""Goals and follow-ups: B12 the citizen's own words, B13 results for open goals, B14 follow-up overdue."""

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import EstablishPlan, RecordFollowUp, SetGoal
from rehabcore.domain.rules import GoalNeedsReason, GoalNotOpen, RuleParameters, Ruleset
from rehabcore.domain.vocabulary import (
    EndReason,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalResult,
    GoalType,
    Jurisdiction,
    LifeArea,
    Participation,
    PlanKind,
)

from .gwt import (
    CASE,
    GOAL,
    STARTED_ON,
    TODAY,
    WORK_TRAINING,
    an_id,
    given,
    goal_set,
    opened,
    sol_decision,
    work_training_started,
)

NEW_GOAL = an_id("goal/new")
WORDS = "Jag vill klara en hel arbetsdag"


def set_goal(formulated_by: FormulatedBy, proxy_reason: str | None = None, on: dt.date = TODAY) -> SetGoal:
    return SetGoal(
        case_id=CASE,
        goal_id=an_id(f"goal/{on}"),
        set_on=on,
        life_area=LifeArea.WORK_AND_EDUCATION,
        citizen_words=WORDS,
        formulated_by=formulated_by,
        goal_type=GoalType.DEVELOP,
        proxy_reason=proxy_reason,
    )


def goal_event(c: SetGoal) -> ev.GoalSet:
    return ev.GoalSet(
        occurred_on=c.set_on,
        goal_id=c.goal_id,
        life_area=c.life_area,
        citizen_words=c.citizen_words,
        formulated_by=c.formulated_by,
        goal_type=c.goal_type,
        target_on=c.target_on,
        proxy_reason=c.proxy_reason,
    )


# --- B12 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", [FormulatedBy.CITIZEN, FormulatedBy.JOINTLY])
def test_b12_a_goal_in_the_citizens_own_words_is_recorded_without_a_flag(by: FormulatedBy) -> None:
    command = set_goal(by)
    given(opened()).when(command).then(goal_event(command)).then_warns()


@pytest.mark.parametrize("by", [FormulatedBy.PROXY, FormulatedBy.PROFESSIONAL])
def test_b12_a_goal_formulated_by_someone_else_must_say_why(by: FormulatedBy) -> None:
    (
        given(opened())
        .when(set_goal(by, proxy_reason=None))
        .then_rejected("B12", GoalNeedsReason, says="must say why the citizen did not (proxy_reason)")
    )


@pytest.mark.parametrize("by", [FormulatedBy.PROXY, FormulatedBy.PROFESSIONAL])
def test_b12_a_goal_not_led_by_the_citizen_is_accepted_with_a_reason_and_flagged(by: FormulatedBy) -> None:
    command = set_goal(by, proxy_reason="god man formulerade målet; personen saknar talat språk")
    outcome = given(opened()).when(command).then(goal_event(command)).then_warns("B12")
    flag = outcome.warning("B12")
    assert flag.code == "goal_not_citizen_led"
    assert flag.refers_to == command.goal_id
    assert "with the citizen in their own words" in flag.message


# --- B13 ------------------------------------------------------------------------------------------------


def follow_up(*results: GoalOutcome, on: dt.date = TODAY, next_on: dt.date | None = None) -> RecordFollowUp:
    return RecordFollowUp(
        case_id=CASE,
        follow_up_id=an_id(f"follow-up/{on}"),
        follow_up_on=on,
        goal_results=results,
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
        next_follow_up_on=next_on,
    )


def test_b13_a_result_is_recorded_for_an_open_goal_of_the_case() -> None:
    command = follow_up(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED))
    recorded = ev.FollowUpRecorded(
        occurred_on=TODAY,
        follow_up_id=command.follow_up_id,
        goal_results=command.goal_results,
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )
    outcome = given(opened(), goal_set()).when(command).then(recorded)
    assert outcome.after.goals[GOAL].is_open


def test_b13_a_goal_partly_achieved_stays_open_for_the_next_follow_up() -> None:
    earlier = ev.FollowUpRecorded(
        occurred_on=dt.date(2026, 2, 1),
        follow_up_id=an_id("follow-up/1"),
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )
    outcome = given(opened(), goal_set(), earlier).when(follow_up(GoalOutcome(GOAL, GoalResult.ACHIEVED)))
    outcome.then_accepted()
    assert not outcome.after.goals[GOAL].is_open


def test_b13_no_result_for_a_goal_the_case_does_not_have() -> None:
    (
        given(opened(), goal_set())
        .when(follow_up(GoalOutcome(an_id("goal/other-case"), GoalResult.ACHIEVED)))
        .then_rejected("B13", GoalNotOpen, says="is not an open goal of this case")
    )


@pytest.mark.parametrize("closing", [GoalResult.ACHIEVED, GoalResult.DROPPED])
def test_b13_no_result_for_a_goal_already_achieved_or_dropped(closing: GoalResult) -> None:
    closed = ev.FollowUpRecorded(
        occurred_on=dt.date(2026, 2, 1),
        follow_up_id=an_id("follow-up/1"),
        goal_results=(GoalOutcome(GOAL, closing),),
        participation=Participation.FULL,
        status=FollowUpStatus.END,
    )
    (
        given(opened(), goal_set(), closed)
        .when(follow_up(GoalOutcome(GOAL, GoalResult.NOT_ACHIEVED)))
        .then_rejected("B13", GoalNotOpen, says="is not an open goal")
    )


# --- B14 ------------------------------------------------------------------------------------------------

PLAN_FOLLOW_UP_ON = dt.date(2026, 4, 1)
PLAN = ev.PlanEstablished(
    occurred_on=STARTED_ON,
    plan_id=an_id("plan"),
    plan_kind=PlanKind.IMPLEMENTATION_PLAN,
    goal_ids=(GOAL,),
    participation=Participation.FULL,
    next_follow_up_on=PLAN_FOLLOW_UP_ON,
)
WORKING_TO_PLAN = (
    opened(),
    goal_set(),
    sol_decision(),
    work_training_started(planned_end_on=dt.date(2026, 7, 1)),
    PLAN,
)


def a_new_goal_on(on: dt.date) -> SetGoal:
    """Any accepted command that raises no flag of its own: a citizen-led goal set on ``on``."""
    return set_goal(FormulatedBy.CITIZEN, on=on)


def test_b14_a_plan_is_established_with_its_next_follow_up() -> None:
    command = EstablishPlan(
        case_id=CASE,
        plan_id=an_id("plan/2"),
        established_on=TODAY,
        plan_kind=PlanKind.IMPLEMENTATION_PLAN,
        goal_ids=(GOAL,),
        participation=Participation.PARTLY,
        next_follow_up_on=PLAN_FOLLOW_UP_ON,
    )
    established = ev.PlanEstablished(
        occurred_on=TODAY,
        plan_id=command.plan_id,
        plan_kind=PlanKind.IMPLEMENTATION_PLAN,
        goal_ids=(GOAL,),
        participation=Participation.PARTLY,
        next_follow_up_on=PLAN_FOLLOW_UP_ON,
    )
    given(opened(), goal_set()).when(command).then(established).then_warns()


def test_b14_a_placement_on_the_day_of_its_follow_up_is_not_overdue_yet() -> None:
    given(*WORKING_TO_PLAN).when(a_new_goal_on(PLAN_FOLLOW_UP_ON), today=PLAN_FOLLOW_UP_ON).then_warns()


def test_b14_a_placement_running_past_its_follow_up_date_without_one_is_flagged() -> None:
    day_after = PLAN_FOLLOW_UP_ON + dt.timedelta(days=1)
    outcome = given(*WORKING_TO_PLAN).when(a_new_goal_on(day_after), today=day_after).then_warns("B14")
    flag = outcome.warning("B14")
    assert flag.code == "follow_up_overdue"
    assert "due on 2026-04-01; record RecordFollowUp" in flag.message


def test_b14_a_follow_up_recorded_on_time_clears_the_flag() -> None:
    on_time = ev.FollowUpRecorded(
        occurred_on=PLAN_FOLLOW_UP_ON,
        follow_up_id=an_id("follow-up/on-time"),
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
        next_follow_up_on=dt.date(2026, 6, 1),
    )
    later = dt.date(2026, 5, 15)
    given(*WORKING_TO_PLAN, on_time).when(a_new_goal_on(later), today=later).then_warns()


def test_b14_a_follow_up_recorded_on_time_sets_the_next_due_date() -> None:
    on_time = ev.FollowUpRecorded(
        occurred_on=PLAN_FOLLOW_UP_ON,
        follow_up_id=an_id("follow-up/on-time"),
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
        next_follow_up_on=dt.date(2026, 5, 1),
    )
    later = dt.date(2026, 5, 2)
    given(*WORKING_TO_PLAN, on_time).when(a_new_goal_on(later), today=later).then_warns("B14")


def test_b14_recording_the_overdue_follow_up_clears_the_flag() -> None:
    day_after = PLAN_FOLLOW_UP_ON + dt.timedelta(days=1)
    command = follow_up(
        GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED), on=day_after, next_on=dt.date(2026, 6, 1)
    )
    given(*WORKING_TO_PLAN).when(command, today=day_after).then_warns()


def test_b14_without_a_plan_the_ruleset_interval_sets_when_a_follow_up_is_due() -> None:
    interval = RuleParameters().follow_up_interval_days
    due = STARTED_ON + dt.timedelta(days=interval)
    case = (opened(), sol_decision(), work_training_started(planned_end_on=due))
    given(*case).when(a_new_goal_on(due), today=due).then_warns()
    after = due + dt.timedelta(days=1)
    given(*case).when(a_new_goal_on(after), today=after).then_warns("B14")


def test_b14_the_follow_up_interval_is_a_ruleset_parameter() -> None:
    monthly = Ruleset(
        name="monthly",
        version="1",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(follow_up_interval_days=30),
    )
    case = (opened(), sol_decision(), work_training_started())
    month_on = STARTED_ON + dt.timedelta(days=31)
    given(*case).when(a_new_goal_on(month_on), today=month_on, ruleset=monthly).then_warns("B14")
    given(*case).when(a_new_goal_on(month_on), today=month_on).then_warns()


def test_b14_no_follow_up_is_overdue_when_no_placement_is_active() -> None:
    ended = ev.PlacementEnded(
        occurred_on=dt.date(2026, 3, 20), placement_id=WORK_TRAINING, reason=EndReason.COMPLETED
    )
    day_after = PLAN_FOLLOW_UP_ON + dt.timedelta(days=1)
    given(*WORKING_TO_PLAN, ended).when(a_new_goal_on(day_after), today=day_after).then_warns()
