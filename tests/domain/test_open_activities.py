"""Open activities and unit changes (#18): visits counted without a case, U3 closed units, U4, the nämnd's
decision cited on unit changes."""

import datetime as dt

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.commands import (
    ChangeUnitCapacity,
    ChangeUnitOwner,
    ChangeUnitPurpose,
    CloseUnit,
    CountVisits,
    MoveUnit,
)
from rehabcore.domain.rules import UnitClosed, UnitStillHoldsPlaces, VisitsOnlyAtOpenActivity
from rehabcore.domain.vocabulary import PlacementKind, UnitKind, VisitForm

from .gwt import (
    ATERBRUKET,
    TODAY,
    given_unit,
    place_taken,
    unit_registered,
    work_training_started,
)

NAMND = "Socialnämnden 2021-10-26 § 112"
OPEN = dict(kind=UnitKind.OPEN_ACTIVITY, offers=())


def test_an_open_activity_counts_visits_with_no_case_and_no_person() -> None:
    counted = CountVisits(unit_id=ATERBRUKET, counted_on=TODAY, count=7, form=VisitForm.WALK)
    given_unit(unit_registered(**OPEN)).when(counted).then(  # type: ignore[arg-type]
        ev.VisitsCounted(occurred_on=TODAY, count=7, form=VisitForm.WALK)
    )
    # Data minimisation (GDPR art. 5(1)(c)): the event holds a day, a number and a form, nothing about anyone.
    _, _, stored = codec.encode_event(ev.VisitsCounted(occurred_on=TODAY, count=7, form=VisitForm.WALK))
    assert stored == b'{"occurred_on":"2026-03-02","count":7,"form":"walk"}'


def test_u4_visits_are_counted_at_an_open_activity_only() -> None:
    counted = CountVisits(unit_id=ATERBRUKET, counted_on=TODAY, count=3)
    given_unit(unit_registered()).when(counted).then_rejected(
        "U4", VisitsOnlyAtOpenActivity, says=["not an open activity on 2026-03-02", "placement in their case"]
    )


def test_u4_a_unit_refocused_to_an_open_activity_counts_visits_from_that_day() -> None:
    refocus = ev.UnitPurposeChanged(occurred_on=TODAY, kind=UnitKind.OPEN_ACTIVITY, offers=())
    unit = given_unit(unit_registered(), refocus)
    unit.when(CountVisits(unit_id=ATERBRUKET, counted_on=TODAY, count=3)).then_accepted()
    before = CountVisits(unit_id=ATERBRUKET, counted_on=TODAY - dt.timedelta(days=1), count=3)
    unit.when(before).then_rejected("U4", VisitsOnlyAtOpenActivity)


def test_u3_a_closed_unit_takes_no_placement() -> None:
    closed = ev.UnitClosed(occurred_on=TODAY, decision_ref=NAMND)
    unit = given_unit(unit_registered(), closed)
    unit.when_placed(work_training_started(on=TODAY)).then_rejected(
        "U3", UnitClosed, says=["closed from 2026-03-02", "choose an open unit"]
    )
    # Started before the closing day but running on past it: refused too (found by the rule machine).
    unit.when_placed(work_training_started(on=TODAY - dt.timedelta(days=7))).then_rejected(
        "U3", UnitClosed, says="ends by the day before"
    )
    given_unit(unit_registered()).when_placed(work_training_started(on=TODAY)).then_accepted()


def test_u3_a_closed_unit_takes_no_visit_and_no_change() -> None:
    unit = given_unit(unit_registered(**OPEN), ev.UnitClosed(occurred_on=TODAY))  # type: ignore[arg-type]
    later = TODAY + dt.timedelta(days=1)
    for command in (
        CountVisits(unit_id=ATERBRUKET, counted_on=later, count=1),
        ChangeUnitCapacity(unit_id=ATERBRUKET, effective_on=later, capacity=3),
        MoveUnit(unit_id=ATERBRUKET, moved_on=later, premises="Centrumvägen 1"),
        ChangeUnitOwner(unit_id=ATERBRUKET, changed_on=later, owner="Kultur"),
        CloseUnit(unit_id=ATERBRUKET, closed_on=later),
    ):
        unit.when(command).then_rejected("U3", UnitClosed, says="closed from 2026-03-02")


def test_u3_a_unit_closes_only_once_nobody_holds_a_place_there() -> None:
    close = CloseUnit(unit_id=ATERBRUKET, closed_on=TODAY, decision_ref=NAMND)
    given_unit(unit_registered(), place_taken("other")).when(close).then_rejected(
        "U3", UnitStillHoldsPlaces, says=["1 placement holds a place", "move it to another unit first"]
    )
    released = ev.PlaceReleased(
        occurred_on=TODAY - dt.timedelta(days=1), placement_id=place_taken("x").placement_id
    )
    given_unit(unit_registered(), place_taken("x"), released).when(close).then(
        ev.UnitClosed(occurred_on=TODAY, decision_ref=NAMND)
    )


def test_seed_001_the_activity_moves_to_another_owner_and_gives_its_premises_up() -> None:
    unit = given_unit(unit_registered(**OPEN))  # type: ignore[arg-type]
    owner = "Förebyggande och öppen verksamhet"
    unit.when(ChangeUnitOwner(unit_id=ATERBRUKET, changed_on=TODAY, owner=owner, decision_ref=NAMND)).then(
        ev.UnitOwnerChanged(occurred_on=TODAY, owner=owner, decision_ref=NAMND)
    )
    unit.when(MoveUnit(unit_id=ATERBRUKET, moved_on=TODAY)).then(ev.UnitMoved(occurred_on=TODAY))


def test_unit_changes_cite_the_namnd_decision_and_older_rows_keep_their_bytes() -> None:
    change = ChangeUnitPurpose(
        unit_id=ATERBRUKET,
        effective_on=TODAY,
        kind=UnitKind.WORK_REHABILITATION,
        offers=(PlacementKind.WORK_TRAINING,),
        decision_ref=NAMND,
    )
    given_unit(unit_registered()).when(change).then(
        ev.UnitPurposeChanged(
            occurred_on=TODAY,
            kind=UnitKind.WORK_REHABILITATION,
            offers=(PlacementKind.WORK_TRAINING,),
            decision_ref=NAMND,
        )
    )
    _, _, without = codec.encode_event(ev.UnitCapacityChanged(occurred_on=TODAY, capacity=4))
    assert without == b'{"occurred_on":"2026-03-02","capacity":4}'  # as stored before #18
    cited = ev.UnitCapacityChanged(occurred_on=TODAY, capacity=4, decision_ref=NAMND)
    assert codec.decode_event(*codec.encode_event(cited)) == cited
