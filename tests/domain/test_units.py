"""Units: B15 capacity, U1 registered units, U2 kinds offered (decide_unit, place_moves, check_place)."""

import datetime as dt

from rehabcore.domain import events as ev
from rehabcore.domain.commands import ChangeUnitCapacity, ChangeUnitPurpose, RegisterUnit
from rehabcore.domain.evolve import fold_case
from rehabcore.domain.rules import DatesOutOfOrder, PlacementKindNotOffered, UnitFull, UnitNotRegistered
from rehabcore.domain.vocabulary import (
    EndReason,
    Jurisdiction,
    PlacementKind,
    UnitKind,
)

from .gwt import (
    ATERBRUKET,
    CASE,
    DAILY_ACTIVITY,
    DV_UNIT,
    LSS_DECISION,
    OPENED_ON,
    STARTED_ON,
    TODAY,
    WORK_TRAINING,
    daily_activity_started,
    given_unit,
    lss_decision,
    opened,
    place_taken,
    sol_decision,
    unit_registered,
    work_training_started,
)

REASON = "beslut av enhetschef: tillfälligt överbeläggning"

# --- B15 ------------------------------------------------------------------------------------------------


def test_b15_a_placement_takes_a_free_place() -> None:
    (
        given_unit(unit_registered(capacity=2), place_taken("other"))
        .when_placed(work_training_started(on=TODAY))
        .then(
            ev.PlaceTaken(
                occurred_on=TODAY,
                placement_id=WORK_TRAINING,
                case_id=CASE,
                kind=PlacementKind.WORK_TRAINING,  # the place records its kind (#12)
            )
        )
    )


def test_b15_a_full_unit_takes_no_more_placements() -> None:
    (
        given_unit(unit_registered(capacity=1), place_taken("other"))
        .when_placed(work_training_started(on=TODAY))
        .then_rejected("B15", UnitFull, says=["all taken on 2026-03-02", "pass over_capacity_reason"])
    )


def test_b15_a_full_unit_takes_a_placement_overridden_with_a_reason() -> None:
    (
        given_unit(unit_registered(capacity=1), place_taken("other"))
        .when_placed(work_training_started(on=TODAY), over_capacity_reason=REASON)
        .then(
            ev.PlaceTaken(
                occurred_on=TODAY,
                placement_id=WORK_TRAINING,
                case_id=CASE,
                over_capacity_reason=REASON,
                kind=PlacementKind.WORK_TRAINING,
            )
        )
    )


def test_b15_a_place_promised_to_a_later_start_is_not_given_away() -> None:
    promised = place_taken("starts-in-april", on=dt.date(2026, 4, 1))
    (
        given_unit(unit_registered(capacity=1), promised)
        .when_placed(work_training_started(on=TODAY))
        .then_rejected("B15", UnitFull, says="all taken on 2026-04-01")
    )


def test_b15_a_place_is_free_the_day_after_its_last_day() -> None:
    last_day = dt.date(2026, 2, 28)
    released = ev.PlaceReleased(occurred_on=last_day, placement_id=place_taken("other").placement_id)
    unit = given_unit(unit_registered(capacity=1), place_taken("other"), released)
    unit.when_placed(work_training_started(on=last_day + dt.timedelta(days=1))).then_accepted()
    unit.when_placed(work_training_started(on=last_day)).then_rejected("B15", UnitFull, says="free a place")


def test_b15_more_places_from_a_date_take_more_placements_from_that_date() -> None:
    more = ev.UnitCapacityChanged(occurred_on=TODAY, capacity=2)
    unit = given_unit(unit_registered(capacity=1), place_taken("other"), more)
    unit.when_placed(work_training_started(on=TODAY)).then_accepted()
    yesterday = TODAY - dt.timedelta(days=1)
    unit.when_placed(work_training_started(on=yesterday)).then_rejected("B15", UnitFull, says="has 1 place,")


def test_b15_ending_a_placement_gives_its_place_back_from_the_next_day() -> None:
    case = fold_case([opened(), sol_decision(), work_training_started()])
    ended = ev.PlacementEnded(occurred_on=TODAY, placement_id=WORK_TRAINING, reason=EndReason.COMPLETED)
    (
        given_unit(
            unit_registered(capacity=1),
            ev.PlaceTaken(occurred_on=STARTED_ON, placement_id=WORK_TRAINING, case_id=CASE),
        )
        .when_placed(ended, case=case)
        .then(ev.PlaceReleased(occurred_on=TODAY, placement_id=WORK_TRAINING))
    )


def test_b15_a_transfer_gives_back_the_old_place_and_takes_one_at_the_daily_activity() -> None:
    case = fold_case([opened(), sol_decision(), work_training_started(), lss_decision()])
    transferred = ev.TransferredToLssDailyActivity(
        occurred_on=TODAY,
        from_placement_id=WORK_TRAINING,
        placement_id=DAILY_ACTIVITY,
        to_unit_id=DV_UNIT,
        lss_decision_id=LSS_DECISION,
        hours_per_week=25,
    )
    old_unit = given_unit(
        unit_registered(capacity=1),
        ev.PlaceTaken(occurred_on=STARTED_ON, placement_id=WORK_TRAINING, case_id=CASE),
    )
    old_unit.when_placed(transferred, case=case).then(
        ev.PlaceReleased(occurred_on=TODAY - dt.timedelta(days=1), placement_id=WORK_TRAINING)
    )
    dv_unit = given_unit(unit_registered(DV_UNIT, capacity=1, kind=UnitKind.LSS_DAILY_ACTIVITY))
    dv_unit.when_placed(transferred, case=case).then(
        ev.PlaceTaken(
            occurred_on=TODAY, placement_id=DAILY_ACTIVITY, case_id=CASE, kind=PlacementKind.DAILY_ACTIVITY
        )
    )
    full = given_unit(
        unit_registered(DV_UNIT, capacity=1, kind=UnitKind.LSS_DAILY_ACTIVITY), place_taken("other")
    )
    full.when_placed(transferred, case=case).then_rejected("B15", UnitFull, says="pass over_capacity_reason")


# --- U1 -------------------------------------------------------------------------------------------------


def register(
    capacity: int = 12, offers: tuple[PlacementKind, ...] = (PlacementKind.WORK_TRAINING,)
) -> RegisterUnit:
    return RegisterUnit(
        unit_id=ATERBRUKET,
        registered_on=OPENED_ON,
        name="Återbruket Bjästa",
        kind=UnitKind.WORK_REHABILITATION,
        jurisdiction=Jurisdiction.SE,
        capacity=capacity,
        offers=offers,
    )


def test_u1_a_unit_is_registered_with_its_places_and_offers() -> None:
    (
        given_unit()
        .when(register())
        .then(
            ev.UnitRegistered(
                occurred_on=OPENED_ON,
                unit_id=ATERBRUKET,
                name="Återbruket Bjästa",
                kind=UnitKind.WORK_REHABILITATION,
                jurisdiction=Jurisdiction.SE,
                capacity=12,
                offers=(PlacementKind.WORK_TRAINING,),
            )
        )
    )


def test_u1_a_unit_is_registered_once() -> None:
    given_unit(unit_registered()).when(register()).then_rejected(
        "U1", UnitNotRegistered, says="already registered"
    )


def test_u1_a_registered_unit_changes_its_capacity() -> None:
    change = ChangeUnitCapacity(unit_id=ATERBRUKET, effective_on=TODAY, capacity=8)
    given_unit(unit_registered()).when(change).then(ev.UnitCapacityChanged(occurred_on=TODAY, capacity=8))


def test_u1_an_unregistered_unit_has_no_capacity_to_change() -> None:
    change = ChangeUnitCapacity(unit_id=ATERBRUKET, effective_on=TODAY, capacity=8)
    given_unit().when(change).then_rejected("U1", UnitNotRegistered, says="record RegisterUnit first")


def test_u1_a_unit_changes_nothing_before_it_was_registered() -> None:
    change = ChangeUnitCapacity(unit_id=ATERBRUKET, effective_on=OPENED_ON - dt.timedelta(days=1), capacity=8)
    given_unit(unit_registered()).when(change).then_rejected(
        "B4", DatesOutOfOrder, says="before the unit was registered"
    )


def test_u1_a_placement_needs_a_registered_unit() -> None:
    (
        given_unit()
        .when_placed(work_training_started(on=TODAY))
        .then_rejected("U1", UnitNotRegistered, says="record RegisterUnit first")
    )


def test_u1_a_placement_does_not_start_before_its_unit_was_registered() -> None:
    (
        given_unit(unit_registered(on=TODAY))
        .when_placed(work_training_started(on=TODAY - dt.timedelta(days=1)))
        .then_rejected("B4", DatesOutOfOrder, says="before the unit was registered")
    )


# --- U2 -------------------------------------------------------------------------------------------------

WORK_REHAB_ONLY = unit_registered(capacity=5, offers=(PlacementKind.WORK_TRAINING,))


def test_u2_a_unit_takes_a_placement_kind_it_offers() -> None:
    given_unit(WORK_REHAB_ONLY).when_placed(work_training_started(on=TODAY)).then_accepted()


def test_u2_a_unit_does_not_take_a_placement_kind_it_does_not_offer() -> None:
    (
        given_unit(WORK_REHAB_ONLY)
        .when_placed(daily_activity_started(unit_id=ATERBRUKET, on=TODAY))
        .then_rejected("U2", PlacementKindNotOffered, says=["daily_activity", "choose a unit that does"])
    )


def test_u2_a_refocused_unit_takes_the_old_kinds_only_before_the_change() -> None:
    refocus_on = dt.date(2026, 4, 1)
    refocused = ev.UnitPurposeChanged(
        occurred_on=refocus_on, kind=UnitKind.WORK_REHABILITATION, offers=(PlacementKind.WORK_TRAINING,)
    )
    unit = given_unit(unit_registered(capacity=5), refocused)
    unit.when_placed(daily_activity_started(unit_id=ATERBRUKET, on=TODAY)).then_accepted()
    (
        unit.when_placed(daily_activity_started(unit_id=ATERBRUKET, on=refocus_on)).then_rejected(
            "U2", PlacementKindNotOffered, says="on 2026-04-01"
        )
    )


def test_u2_a_unit_refocuses_to_what_it_offers_from_a_date() -> None:
    change = ChangeUnitPurpose(
        unit_id=ATERBRUKET,
        effective_on=TODAY,
        kind=UnitKind.OPEN_ACTIVITY,
        offers=(PlacementKind.OCCUPATION,),
    )
    (
        given_unit(unit_registered())
        .when(change)
        .then(
            ev.UnitPurposeChanged(
                occurred_on=TODAY, kind=UnitKind.OPEN_ACTIVITY, offers=(PlacementKind.OCCUPATION,)
            )
        )
    )


def test_u2_a_unit_offers_at_least_one_placement_kind() -> None:
    given_unit().when(register(offers=())).then_rejected("U2", PlacementKindNotOffered, says="at least one")
    change = ChangeUnitPurpose(
        unit_id=ATERBRUKET, effective_on=TODAY, kind=UnitKind.SOL_OCCUPATION, offers=()
    )
    given_unit(unit_registered()).when(change).then_rejected(
        "U2", PlacementKindNotOffered, says="at least one"
    )


def test_u2_an_open_activity_may_take_no_placements_at_all() -> None:
    # #18: an open meeting place (seed 001, Trivselhuset) runs without decisions: it counts visits instead.
    change = ChangeUnitPurpose(unit_id=ATERBRUKET, effective_on=TODAY, kind=UnitKind.OPEN_ACTIVITY, offers=())
    given_unit(unit_registered()).when(change).then(
        ev.UnitPurposeChanged(occurred_on=TODAY, kind=UnitKind.OPEN_ACTIVITY, offers=())
    )
