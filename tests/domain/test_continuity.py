"""B9 without loopholes (issue #12): every way of leaving an LSS daily activity, given / when / then.

While an LSS 9 § 10 decision is in force the day after, a daily activity ends (any end reason, closing the
case, an exit, an interruption awaiting a new unit) only if a new one starts by the next day or a recorded
ground applies. A move on day D ends the old daily activity on D − 1: one daily activity a day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import (
    CloseCase,
    DeclineOffer,
    EndPlacement,
    ExitToStudies,
    ExitToWork,
    InterruptPlacement,
    StartPlacement,
    TransferToLssDailyActivity,
)
from rehabcore.domain.continuity import days_at_two, days_left_without
from rehabcore.domain.rules import LssContinuityBroken
from rehabcore.domain.vocabulary import (
    Basis,
    CloseReason,
    ContinuityGround,
    DecisionOutcome,
    EmployerSector,
    EmploymentForm,
    EndReason,
    InterruptionReason,
    PlacementKind,
    StudyKind,
)

from .gwt import (
    CASE,
    DAILY_ACTIVITY,
    LSS_DECISION,
    NEXT_DAILY_ACTIVITY,
    STARTED_ON,
    TODAY,
    an_id,
    daily_activity_started,
    given,
    lss_decision,
    opened,
)

DAY = dt.timedelta(days=1)
NEXT_DAY = TODAY + DAY
OTHER_UNIT = an_id("unit/2")
WORDS = "Jag vill inte gå dit längre, jag vill vara hemma"
LSS_PARTICIPANT = (opened(), lss_decision(), daily_activity_started())
#: The decision ended by a new decision from tomorrow on.
TERMINATED = ev.DecisionMade(
    occurred_on=TODAY,
    decision_id=an_id("decision/termination"),
    outcome=DecisionOutcome.TERMINATE,
    legal_basis=lss_decision().legal_basis,
    service=lss_decision().service,
    valid_from=TODAY + 10 * DAY,
    terminates_decision_id=LSS_DECISION,
)


def end(
    reason: EndReason,
    end_on: dt.date = TODAY,
    ground: ContinuityGround | None = None,
    citizen_words: str | None = None,
) -> EndPlacement:
    return EndPlacement(
        case_id=CASE,
        placement_id=DAILY_ACTIVITY,
        end_on=end_on,
        reason=reason,
        ground=ground,
        citizen_words=citizen_words,
    )


def successor(on: dt.date = NEXT_DAY) -> ev.PlacementStarted:
    return daily_activity_started(NEXT_DAILY_ACTIVITY, on=on, unit_id=OTHER_UNIT)


# --- every end reason ---------------------------------------------------------------------------------

#: Reasons that are no ground by themselves: refused without a new daily activity the next day.
NO_GROUND = [
    EndReason.COMPLETED,
    EndReason.EXIT_STUDIES,
    EndReason.TRANSFERRED,
    EndReason.ILL_HEALTH,
    EndReason.UNIT_REFOCUS,
    EndReason.PLACE_FREED,
    EndReason.CASE_CLOSED,
]
#: Reasons that are a ground themselves: death, moving away, work.
GROUNDS = [EndReason.DECEASED, EndReason.MOVED, EndReason.EXIT_WORK]


def test_every_end_reason_is_covered() -> None:
    covered = {*NO_GROUND, *GROUNDS, EndReason.OWN_CHOICE, EndReason.DECISION_CEASED}
    assert covered == set(EndReason)


@pytest.mark.parametrize("reason", NO_GROUND, ids=str)
def test_b9_an_end_for_a_reason_that_is_no_ground_is_refused_without_a_new_daily_activity(
    reason: EndReason,
) -> None:
    given(*LSS_PARTICIPANT).when(end(reason)).then_rejected(
        "B9", LssContinuityBroken, says=["no later than 2026-03-03", "ground"]
    )


@pytest.mark.parametrize("reason", list(EndReason), ids=str)
def test_b9_any_end_reason_is_accepted_once_a_new_daily_activity_starts_the_next_day(
    reason: EndReason,
) -> None:
    words = WORDS if reason is EndReason.OWN_CHOICE else None
    history = (*LSS_PARTICIPANT, successor(), *([TERMINATED] if reason is EndReason.DECISION_CEASED else []))
    then = given(*history).when(end(reason, citizen_words=words)).then_accepted()
    assert then.after is not None
    assert not days_left_without(then.after, TODAY + 30 * DAY) and not days_at_two(then.after)


@pytest.mark.parametrize("reason", GROUNDS, ids=str)
def test_b9_death_moving_away_and_work_are_grounds_in_themselves(reason: EndReason) -> None:
    then = (
        given(*LSS_PARTICIPANT)
        .when(end(reason))
        .then(ev.PlacementEnded(occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=reason))
    )
    assert (
        then.after is not None and then.after.placements[DAILY_ACTIVITY].end_ground is reason.implied_ground
    )


def test_b9_own_choice_needs_the_person_s_own_words() -> None:
    given(*LSS_PARTICIPANT).when(end(EndReason.OWN_CHOICE)).then_rejected(
        "B9", LssContinuityBroken, says="own words"
    )
    given(*LSS_PARTICIPANT).when(end(EndReason.OWN_CHOICE, citizen_words=WORDS)).then(
        ev.PlacementEnded(
            occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=EndReason.OWN_CHOICE, citizen_words=WORDS
        )
    )


def test_b9_decision_ceased_needs_the_new_decision_that_ends_it() -> None:
    given(*LSS_PARTICIPANT).when(end(EndReason.DECISION_CEASED)).then_rejected(
        "B9", LssContinuityBroken, says="MakeDecision"
    )
    given(*LSS_PARTICIPANT, TERMINATED).when(end(EndReason.DECISION_CEASED)).then_accepted()


def test_b9_no_ground_is_needed_when_the_decision_is_no_longer_in_force_the_next_day() -> None:
    ending = (opened(), lss_decision(valid_to=TODAY), daily_activity_started())
    given(*ending).when(end(EndReason.COMPLETED)).then_accepted()


# --- every recorded ground -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ground", [ContinuityGround.DECEASED, ContinuityGround.MOVED_AWAY, ContinuityGround.EMPLOYMENT], ids=str
)
def test_b9_a_recorded_ground_lets_daily_activity_end_for_any_reason(ground: ContinuityGround) -> None:
    then = given(*LSS_PARTICIPANT).when(end(EndReason.COMPLETED, ground=ground))
    then.then(
        ev.PlacementEnded(
            occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=EndReason.COMPLETED, ground=ground
        )
    )
    assert then.after is not None and then.after.placements[DAILY_ACTIVITY].end_ground is ground
    assert not days_left_without(then.after, TODAY + 30 * DAY)


def test_b9_the_ground_own_wish_is_recorded_in_the_person_s_words() -> None:
    given(*LSS_PARTICIPANT).when(end(EndReason.UNIT_REFOCUS, ground=ContinuityGround.OWN_WISH)).then_rejected(
        "B9", LssContinuityBroken, says="citizen_words"
    )
    given(*LSS_PARTICIPANT).when(
        end(EndReason.UNIT_REFOCUS, ground=ContinuityGround.OWN_WISH, citizen_words=WORDS)
    ).then_accepted()


def test_b9_the_ground_decision_ended_needs_the_decision_that_ends_it() -> None:
    command = end(EndReason.COMPLETED, ground=ContinuityGround.DECISION_ENDED)
    given(*LSS_PARTICIPANT).when(command).then_rejected("B9", LssContinuityBroken, says="terminate")
    given(*LSS_PARTICIPANT, TERMINATED).when(command).then_accepted()


# --- closing the case, exits, interruptions -------------------------------------------------------------


def close(reason: CloseReason, **ground: object) -> CloseCase:
    return CloseCase(case_id=CASE, closed_on=TODAY, reason=reason, **ground)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "reason", [CloseReason.GOAL_REACHED, CloseReason.NO_NEED, CloseReason.OTHER], ids=str
)
def test_b9_closing_the_case_of_an_lss_participant_without_a_ground_is_refused(reason: CloseReason) -> None:
    given(*LSS_PARTICIPANT).when(close(reason)).then_rejected(
        "B9", LssContinuityBroken, says="closing the case"
    )


def test_b9_closing_the_case_with_a_ground_ends_daily_activity_with_that_ground() -> None:
    then = given(*LSS_PARTICIPANT).when(close(CloseReason.DECEASED))
    then.then(
        ev.PlacementEnded(
            occurred_on=TODAY,
            placement_id=DAILY_ACTIVITY,
            reason=EndReason.CASE_CLOSED,
            ground=ContinuityGround.DECEASED,
        ),
        ev.CaseClosed(occurred_on=TODAY, reason=CloseReason.DECEASED),
    )
    wish = close(CloseReason.OTHER, ground=ContinuityGround.OWN_WISH, citizen_words=WORDS)
    then = given(*LSS_PARTICIPANT).when(wish).then_accepted()
    assert (
        then.after is not None
        and then.after.placements[DAILY_ACTIVITY].end_ground is ContinuityGround.OWN_WISH
    )
    assert then.events is not None and then.events[0] == ev.PlacementEnded(
        occurred_on=TODAY,
        placement_id=DAILY_ACTIVITY,
        reason=EndReason.CASE_CLOSED,
        ground=ContinuityGround.OWN_WISH,
        citizen_words=WORDS,
    )


def test_b9_leaving_for_work_is_a_ground_leaving_for_studies_is_not() -> None:
    work = ExitToWork(
        case_id=CASE,
        exit_on=TODAY,
        employment_form=EmploymentForm.OPEN,
        employer_sector=EmployerSector.PRIVATE,
        extent_pct=50,
    )
    given(*LSS_PARTICIPANT).when(work).then_accepted()
    studies = ExitToStudies(case_id=CASE, exit_on=TODAY, study_kind=StudyKind.KOMVUX, extent_pct=50)
    given(*LSS_PARTICIPANT).when(studies).then_rejected("B9", LssContinuityBroken, says="exit")


def interrupt(reason: InterruptionReason, **ground: object) -> InterruptPlacement:
    return InterruptPlacement(
        case_id=CASE,
        placement_id=DAILY_ACTIVITY,
        interrupted_on=TODAY,
        reason=reason,
        **ground,  # type: ignore[arg-type]
    )


def test_b9_an_interruption_awaiting_a_new_unit_is_refused_without_a_ground() -> None:
    given(*LSS_PARTICIPANT).when(interrupt(InterruptionReason.AWAITING_NEW_UNIT)).then_rejected(
        "B9", LssContinuityBroken, says="interrupting"
    )
    given(*LSS_PARTICIPANT).when(
        interrupt(InterruptionReason.AWAITING_NEW_UNIT, ground=ContinuityGround.OWN_WISH, citizen_words=WORDS)
    ).then_accepted()


@pytest.mark.parametrize(
    "reason", [r for r in InterruptionReason if r is not InterruptionReason.AWAITING_NEW_UNIT], ids=str
)
def test_b9_other_interruptions_hold_the_place_and_need_no_ground(reason: InterruptionReason) -> None:
    given(*LSS_PARTICIPANT).when(interrupt(reason)).then_accepted()


# --- a declined offer -----------------------------------------------------------------------------------


def test_b9_a_declined_offer_keeps_the_placement_and_the_rule() -> None:
    offer = ev.OfferMade(
        occurred_on=TODAY,
        offer_id=an_id("offer"),
        unit_id=OTHER_UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        offered_from=NEXT_DAY,
        decision_id=LSS_DECISION,
    )
    declined = ev.OfferDeclined(occurred_on=TODAY, offer_id=an_id("offer"), citizen_words=WORDS)
    then = given(*LSS_PARTICIPANT, offer).when(
        DeclineOffer(case_id=CASE, offer_id=an_id("offer"), declined_on=TODAY, citizen_words=WORDS)
    )
    then.then(declined)
    assert then.after is not None and then.after.placements[DAILY_ACTIVITY].is_active(NEXT_DAY + 30 * DAY)
    # Declining is not ending: the unit still cannot end it for its own reasons.
    given(*LSS_PARTICIPANT, offer, declined).when(end(EndReason.UNIT_REFOCUS)).then_rejected(
        "B9", LssContinuityBroken
    )


# --- the move rule: one daily activity a day ---------------------------------------------------------------


def test_b9_a_new_daily_activity_two_days_later_leaves_a_gap_and_is_refused() -> None:
    given(*LSS_PARTICIPANT, successor(on=TODAY + 2 * DAY)).when(end(EndReason.UNIT_REFOCUS)).then_rejected(
        "B9", LssContinuityBroken, says="no later than 2026-03-03"
    )


def test_b9_a_move_on_day_d_ends_the_old_daily_activity_on_d_minus_one() -> None:
    # The new one starts today: ending the old one today would count the person at both today.
    given(*LSS_PARTICIPANT, successor(on=TODAY)).when(end(EndReason.UNIT_REFOCUS)).then_rejected(
        "B9", LssContinuityBroken, says="end it on 2026-03-01"
    )
    then = given(*LSS_PARTICIPANT, successor(on=TODAY)).when(end(EndReason.UNIT_REFOCUS, end_on=TODAY - DAY))
    then.then_accepted()
    assert then.after is not None
    for day in (TODAY - 2 * DAY, TODAY - DAY, TODAY, NEXT_DAY):
        assert len([p for p in then.after.active_placements(day) if p.is_lss_daily_activity]) == 1, day


def test_b9_a_daily_activity_that_already_ended_does_not_keep_continuity() -> None:
    other = daily_activity_started(NEXT_DAILY_ACTIVITY, on=STARTED_ON - 20 * DAY, unit_id=OTHER_UNIT)
    ended = ev.PlacementEnded(
        occurred_on=STARTED_ON - DAY, placement_id=NEXT_DAILY_ACTIVITY, reason=EndReason.DECEASED
    )
    given(
        opened(on=STARTED_ON - 30 * DAY),
        lss_decision(on=STARTED_ON - 30 * DAY),
        other,
        ended,
        daily_activity_started(),
    ).when(end(EndReason.UNIT_REFOCUS)).then_rejected("B9", LssContinuityBroken)


def test_b9_a_start_on_a_day_an_ended_daily_activity_covers_is_refused() -> None:
    ended = ev.PlacementEnded(occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=EndReason.MOVED)
    start = StartPlacement(
        case_id=CASE,
        placement_id=NEXT_DAILY_ACTIVITY,
        unit_id=OTHER_UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        basis=Basis.lss(LSS_DECISION),
        start_on=TODAY,
        hours_per_week=20,
    )
    given(*LSS_PARTICIPANT, ended).when(start).then_rejected(
        "B9", LssContinuityBroken, says="start the new one on 2026-03-03"
    )
    # While the old one is open, starting the new one is a planned move.
    given(*LSS_PARTICIPANT).when(start).then_accepted()


def test_b9_ending_the_new_daily_activity_while_the_old_one_runs_is_refused() -> None:
    cancel = EndPlacement(
        case_id=CASE,
        placement_id=NEXT_DAILY_ACTIVITY,
        end_on=NEXT_DAY + 5 * DAY,
        reason=EndReason.DECEASED,
    )
    given(*LSS_PARTICIPANT, successor()).when(cancel).then_rejected("B9", LssContinuityBroken, says="retract")


def test_b9_a_transfer_may_not_leave_the_old_daily_activity_beside_one_begun_meanwhile() -> None:
    """Found by the rule machine: a second daily activity started while the first ran, then a transfer out
    of the first a month later ended it the day before — leaving the two side by side for that month."""
    third = an_id("placement/third")
    meanwhile = daily_activity_started(NEXT_DAILY_ACTIVITY, on=STARTED_ON + 2 * DAY, unit_id=OTHER_UNIT)
    transfer = TransferToLssDailyActivity(
        case_id=CASE,
        from_placement_id=DAILY_ACTIVITY,
        placement_id=third,
        to_unit_id=OTHER_UNIT,
        lss_decision_id=LSS_DECISION,
        start_on=TODAY,
        hours_per_week=25,
    )
    then = given(*LSS_PARTICIPANT, meanwhile).when(transfer)
    then.then_rejected("B9", LssContinuityBroken, says="one daily")


def test_b9_a_transfer_between_daily_activities_ends_the_old_one_the_day_before() -> None:
    transfer = TransferToLssDailyActivity(
        case_id=CASE,
        from_placement_id=DAILY_ACTIVITY,
        placement_id=NEXT_DAILY_ACTIVITY,
        to_unit_id=OTHER_UNIT,
        lss_decision_id=LSS_DECISION,
        start_on=TODAY,
        hours_per_week=25,
    )
    then = given(*LSS_PARTICIPANT).when(transfer).then_accepted()
    assert then.after is not None
    assert then.after.placements[DAILY_ACTIVITY].end_on == TODAY - DAY
    assert not days_at_two(then.after) and not days_left_without(then.after, TODAY + 30 * DAY)
