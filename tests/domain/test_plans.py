"""Plans (#18): tied to a placement and its unit, with activities (what, who, when, how followed up); the
LSS 10 § individual plan offered, established and reviewed at least yearly (B14); the § 141 handleplan
offered; follow-ups and reviews with the person's own view and disagreement (seed 003)."""

import datetime as dt
import uuid

import pytest

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.commands import EstablishPlan, OfferPlan, RecordFollowUp, ReviewPlan, SetGoal
from rehabcore.domain.rules import DENMARK_DEFAULT, DatesOutOfOrder, PlanInvalid, UnknownReference
from rehabcore.domain.vocabulary import (
    DialogueParty,
    EndReason,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalResult,
    GoalType,
    Jurisdiction,
    LifeArea,
    Participation,
    PlanActivity,
    PlanAnswer,
    PlanKind,
)
from rehabcore.errors import InvalidInput

from .gwt import (
    ATERBRUKET,
    CASE,
    DAILY_ACTIVITY,
    DECIDED_ON,
    DV_UNIT,
    GOAL,
    TODAY,
    WORK_TRAINING,
    an_id,
    daily_activity_started,
    given,
    goal_set,
    lss_decision,
    opened,
    sol_decision,
    work_training_started,
)

PLAN = an_id("plan/genomforandeplan")
LSS_PLAN = an_id("plan/lss-10")
DUE = dt.date(2026, 4, 1)
KITCHEN = PlanActivity(
    what="Arbetsträning i caféets kök",
    who=DialogueParty.UNIT_STAFF,
    when="Måndag till torsdag 9–13",
    follow_up="Handledaren och Kim går igenom veckan varje fredag",
)
OWN_VIEW = "Jag vill hellre jobba i kassan"
DISAGREES = "Jag håller inte med om att fyra dagar är för mycket"


def establish(
    plan_id: uuid.UUID = PLAN,
    kind: PlanKind = PlanKind.IMPLEMENTATION_PLAN,
    on: dt.date = TODAY,
    placement_id: uuid.UUID | None = WORK_TRAINING,
    unit_id: uuid.UUID | None = ATERBRUKET,
    activities: tuple[PlanActivity, ...] | None = (KITCHEN,),
) -> EstablishPlan:
    return EstablishPlan(
        case_id=CASE,
        plan_id=plan_id,
        established_on=on,
        plan_kind=kind,
        goal_ids=(GOAL,),
        participation=Participation.FULL,
        next_follow_up_on=DUE,
        placement_id=placement_id,
        unit_id=unit_id,
        activities=activities,
        took_part=(DialogueParty.PERSON, DialogueParty.UNIT_STAFF),
        own_view=OWN_VIEW,
    )


def established(c: EstablishPlan) -> ev.PlanEstablished:
    return ev.PlanEstablished(
        occurred_on=c.established_on,
        plan_id=c.plan_id,
        plan_kind=c.plan_kind,
        goal_ids=c.goal_ids,
        participation=c.participation,
        next_follow_up_on=c.next_follow_up_on,
        placement_id=c.placement_id,
        unit_id=c.unit_id,
        activities=c.activities,
        took_part=c.took_part,
        own_view=c.own_view,
    )


WORKING = (opened(), goal_set(), sol_decision(), work_training_started(planned_end_on=dt.date(2026, 9, 1)))
WITH_PLAN = (*WORKING, established(establish()))


# --- plans tied to a placement and its unit ----------------------------------------------------------------


def test_a_plan_at_a_placement_records_its_activities_who_took_part_and_the_persons_view() -> None:
    command = establish()
    given(*WORKING).when(command).then(established(command)).then_warns()


def test_a_plan_tied_to_a_placement_names_that_placements_unit() -> None:
    outcome = (
        given(*WORKING)
        .when(establish(unit_id=DV_UNIT))
        .then_rejected("P1", PlanInvalid, says="name its unit")
    )
    assert outcome.values["unit_id"] == ATERBRUKET


def test_a_plan_names_a_placement_of_this_case() -> None:
    given(*WORKING).when(establish(placement_id=an_id("placement/elsewhere"))).then_rejected(
        "C1", UnknownReference
    )


def test_an_activity_with_blank_text_is_refused_naming_it() -> None:
    blank = PlanActivity(what=" ", who=DialogueParty.PERSON, when="varje dag", follow_up="varje vecka")
    with pytest.raises(InvalidInput, match=r"activities\[1\]\.what"):
        given(*WORKING).when(establish(activities=(KITCHEN, blank)))


def test_a_plan_written_before_plans_had_placements_keeps_its_stored_shape() -> None:
    old = ev.PlanEstablished(
        occurred_on=TODAY,
        plan_id=PLAN,
        plan_kind=PlanKind.IMPLEMENTATION_PLAN,
        goal_ids=(GOAL,),
        participation=Participation.FULL,
        next_follow_up_on=DUE,
    )
    name, version, data = codec.encode_event(old)
    stored_before = {"occurred_on", "plan_id", "plan_kind", "goal_ids", "participation", "next_follow_up_on"}
    assert set(codec.loads(data)) == stored_before
    assert codec.decode_event(name, version, data) == old


# --- B14: a plan past its follow-up day ------------------------------------------------------------------


def test_b14_a_plan_review_overdue_by_a_day_gives_the_warning() -> None:
    day_after = DUE + dt.timedelta(days=1)
    nothing_flagged = ReviewPlan(
        case_id=CASE,
        review_id=an_id("review/other"),
        plan_id=PLAN,
        reviewed_on=DUE - dt.timedelta(days=10),
        participation=Participation.FULL,
        next_follow_up_on=DUE,
    )
    # On the due day itself nothing is flagged yet.
    given(*WITH_PLAN).when(nothing_flagged, today=DUE).then_warns()
    outcome = given(*WITH_PLAN).when(nothing_flagged, today=day_after).then_warns("B14")
    flag = outcome.warning("B14")
    assert flag.code == "plan_follow_up_overdue" and flag.refers_to == PLAN
    assert "2026-04-01" in flag.message


def test_b14_a_follow_up_of_the_plan_moves_its_due_day() -> None:
    later = dt.date(2026, 5, 2)
    follow_up = RecordFollowUp(
        case_id=CASE,
        follow_up_id=an_id("follow-up/plan"),
        follow_up_on=DUE,
        goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
        participation=Participation.FULL,
        status=FollowUpStatus.CHANGE,
        next_follow_up_on=dt.date(2026, 6, 1),
        plan_id=PLAN,
        own_view=OWN_VIEW,
        disagreement=DISAGREES,
    )
    outcome = given(*WITH_PLAN).when(follow_up, today=DUE)
    (recorded,) = outcome.then_warns().events or []
    assert isinstance(recorded, ev.FollowUpRecorded)
    assert (recorded.plan_id, recorded.own_view, recorded.disagreement) == (PLAN, OWN_VIEW, DISAGREES)
    # Recorded: the plan is due again on 2026-06-01, so nothing is flagged in May.
    review = ReviewPlan(
        case_id=CASE,
        review_id=an_id("review/may"),
        plan_id=PLAN,
        reviewed_on=later,
        participation=Participation.FULL,
        next_follow_up_on=dt.date(2026, 8, 1),
    )
    given(*WITH_PLAN, recorded).when(review, today=later).then_warns()


def test_b14_a_plan_whose_placement_ended_is_not_flagged() -> None:
    ended = ev.PlacementEnded(
        occurred_on=dt.date(2026, 3, 20), placement_id=WORK_TRAINING, reason=EndReason.COMPLETED
    )
    day_after = DUE + dt.timedelta(days=1)
    given(*WITH_PLAN, ended).when(_goal(day_after), today=day_after).then_warns()


def _goal(on: dt.date) -> SetGoal:
    """Any accepted command that raises no flag of its own: a citizen-led goal set on ``on``."""
    return SetGoal(
        case_id=CASE,
        goal_id=an_id(f"goal/{on}"),
        set_on=on,
        life_area=LifeArea.HEALTH,
        citizen_words="Jag vill må bättre",
        formulated_by=FormulatedBy.CITIZEN,
        goal_type=GoalType.DEVELOP,
    )


# --- LSS 10 §: the individual plan ----------------------------------------------------------------------

LSS_CASE = (opened(), goal_set(), lss_decision(), daily_activity_started())


def offer(kind: PlanKind = PlanKind.LSS_INDIVIDUAL_PLAN, on: dt.date = TODAY) -> OfferPlan:
    return OfferPlan(
        case_id=CASE,
        plan_id=LSS_PLAN,
        offered_on=on,
        plan_kind=kind,
        answer=PlanAnswer.ACCEPTED,
        citizen_words="Ja, jag vill ha en plan",
    )


def test_lss_10_an_individual_plan_is_offered_once_an_lss_insats_is_granted() -> None:
    c = offer()
    given(*LSS_CASE).when(c).then(
        ev.PlanOffered(
            occurred_on=TODAY,
            plan_id=LSS_PLAN,
            plan_kind=PlanKind.LSS_INDIVIDUAL_PLAN,
            answer=PlanAnswer.ACCEPTED,
            citizen_words="Ja, jag vill ha en plan",
        )
    ).then_warns()


def test_lss_10_no_individual_plan_without_a_granted_lss_insats() -> None:
    given(opened(), sol_decision()).when(offer()).then_rejected("P1", PlanInvalid, says="granted LSS insats")


def test_an_implementation_plan_is_drawn_up_not_offered() -> None:
    given(*LSS_CASE).when(offer(PlanKind.IMPLEMENTATION_PLAN)).then_rejected(
        "P1", PlanInvalid, says="not offered"
    )


def test_an_offered_plan_is_established_as_the_kind_offered() -> None:
    offered = ev.PlanOffered(
        occurred_on=DECIDED_ON,
        plan_id=LSS_PLAN,
        plan_kind=PlanKind.LSS_INDIVIDUAL_PLAN,
        answer=PlanAnswer.ACCEPTED,
    )
    wrong = establish(LSS_PLAN, PlanKind.IMPLEMENTATION_PLAN, placement_id=DAILY_ACTIVITY, unit_id=DV_UNIT)
    given(*LSS_CASE, offered).when(wrong).then_rejected("P1", PlanInvalid, says="establish it as that kind")
    right = establish(LSS_PLAN, PlanKind.LSS_INDIVIDUAL_PLAN, placement_id=None, unit_id=None)
    given(*LSS_CASE, offered).when(right).then(established(right))


def _lss_plan(on: dt.date) -> ev.PlanEstablished:
    return ev.PlanEstablished(
        occurred_on=on,
        plan_id=LSS_PLAN,
        plan_kind=PlanKind.LSS_INDIVIDUAL_PLAN,
        goal_ids=(GOAL,),
        participation=Participation.FULL,
        # Set far ahead on purpose: LSS 10 § asks for a review within the year whatever the plan says.
        next_follow_up_on=dt.date(2028, 1, 1),
    )


def test_b14_an_lss_10_plan_not_reviewed_within_a_year_warns() -> None:
    plan = _lss_plan(dt.date(2026, 3, 2))
    a_year_on = dt.date(2027, 3, 2)
    given(*LSS_CASE, plan).when(_goal(a_year_on), today=a_year_on).then_warns()
    outcome = given(*LSS_CASE, plan).when(
        _goal(a_year_on + dt.timedelta(days=1)), today=a_year_on + dt.timedelta(days=1)
    )
    flag = outcome.then_warns("B14").warning("B14")
    assert flag.code == "individual_plan_not_reviewed" and flag.refers_to == LSS_PLAN


def test_b14_a_review_of_the_lss_plan_starts_the_year_again() -> None:
    plan = _lss_plan(dt.date(2026, 3, 2))
    reviewed = ev.PlanReviewed(
        occurred_on=dt.date(2027, 2, 1),
        review_id=an_id("review/2027"),
        plan_id=LSS_PLAN,
        participation=Participation.PARTLY,
        next_follow_up_on=dt.date(2028, 1, 15),
        took_part=(DialogueParty.PERSON, DialogueParty.GOOD_MAN),
        own_view=OWN_VIEW,
        disagreement=DISAGREES,
    )
    later = dt.date(2027, 6, 1)
    given(*LSS_CASE, plan, reviewed).when(_goal(later), today=later).then_warns()


def test_a_review_names_an_established_plan_and_a_later_next_review() -> None:
    review = ReviewPlan(
        case_id=CASE,
        review_id=an_id("review/x"),
        plan_id=LSS_PLAN,
        reviewed_on=TODAY,
        participation=Participation.FULL,
        next_follow_up_on=TODAY,
    )
    given(*LSS_CASE).when(review).then_rejected("C1", UnknownReference)
    given(*LSS_CASE, _lss_plan(DECIDED_ON)).when(review).then_rejected("B4", DatesOutOfOrder)


# --- SEL § 141: the Danish handleplan ---------------------------------------------------------------------


def test_sel_141_a_handleplan_is_offered_in_a_danish_case_and_not_in_a_swedish_one() -> None:
    dk = opened(jurisdiction=Jurisdiction.DK)
    c = offer(PlanKind.DK_ACTION_PLAN)
    given(dk, ruleset=DENMARK_DEFAULT).when(c).then_warns()
    given(opened()).when(c).then_rejected("P1", PlanInvalid, says="not a plan of a SE case")
    given(dk, ruleset=DENMARK_DEFAULT).when(offer()).then_rejected(
        "P1", PlanInvalid, says="not a plan of a DK"
    )
