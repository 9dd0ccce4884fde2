"""The unit decider: registration, capacity, purpose, and the places placements take (B15, U1, U2).

A placement takes a place in the same atomic append as the case event that starts it, so two case workers
cannot both fill the last place: the unit stream's expected version makes the second one retry and see the
unit full.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.context import Context
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.vocabulary import PlacementKind


def decide_unit(command: cmd.UnitCommand, state: UnitState, ctx: Context | None = None) -> list[ev.UnitEvent]:
    """The events a unit command produces, or the rule error; ``ctx`` adds local rules that rejects it."""
    events = _built_in(command, state)
    if ctx is not None:
        ctx.ruleset.enforce(command, state, ctx)
    return events


def _built_in(command: cmd.UnitCommand, state: UnitState) -> list[ev.UnitEvent]:
    if isinstance(command, cmd.RegisterUnit):
        if state.is_registered:
            raise r.UnitNotRegistered(f"unit {command.unit_id} is already registered")
        if not command.offers:
            raise r.PlacementKindNotOffered("a unit offers at least one placement kind")
        return [
            ev.UnitRegistered(
                occurred_on=command.registered_on,
                unit_id=command.unit_id,
                name=command.name,
                kind=command.kind,
                jurisdiction=command.jurisdiction,
                capacity=command.capacity,
                offers=command.offers,
            )
        ]
    _registered(state, command.unit_id, command.effective_on)
    if isinstance(command, cmd.ChangeUnitCapacity):
        return [ev.UnitCapacityChanged(occurred_on=command.effective_on, capacity=command.capacity)]
    if not command.offers:
        raise r.PlacementKindNotOffered("a unit offers at least one placement kind")
    return [ev.UnitPurposeChanged(occurred_on=command.effective_on, kind=command.kind, offers=command.offers)]


def _registered(state: UnitState, unit_id: uuid.UUID, on: dt.date) -> None:
    if not state.is_registered:
        raise r.UnitNotRegistered(f"unit {unit_id} is not registered; record RegisterUnit first")
    assert state.registered_on is not None
    if on < state.registered_on:
        raise r.DatesOutOfOrder(f"{on} is before the unit was registered ({state.registered_on})")


@attrs.frozen
class PlaceMove:
    """A place a case event takes or gives back at a unit."""

    unit_id: uuid.UUID
    event: ev.PlaceTaken | ev.PlaceReleased
    kind: PlacementKind | None = None


def place_moves(
    case_id: uuid.UUID,
    case: CaseState,
    events: list[ev.CaseEvent],
    over_capacity_reason: str | None = None,
) -> list[PlaceMove]:
    """What new events of a case (in state ``case``) do to places: starts take one, ends give one back."""
    moves: list[PlaceMove] = []
    for e in events:
        match e:
            case ev.PlacementStarted():
                taken = ev.PlaceTaken(
                    occurred_on=e.occurred_on,
                    placement_id=e.placement_id,
                    case_id=case_id,
                    over_capacity_reason=over_capacity_reason,
                )
                moves.append(PlaceMove(e.unit_id, taken, e.kind))
            case ev.PlacementEnded():
                unit_id = case.placements[e.placement_id].unit_id
                moves.append(
                    PlaceMove(
                        unit_id, ev.PlaceReleased(occurred_on=e.occurred_on, placement_id=e.placement_id)
                    )
                )
            case ev.TransferredToLssDailyActivity():
                old = case.placements[e.from_placement_id]
                last_day = e.occurred_on - dt.timedelta(days=1)
                moves.append(
                    PlaceMove(
                        old.unit_id, ev.PlaceReleased(occurred_on=last_day, placement_id=old.placement_id)
                    )
                )
                taken = ev.PlaceTaken(
                    occurred_on=e.occurred_on,
                    placement_id=e.placement_id,
                    case_id=case_id,
                    over_capacity_reason=over_capacity_reason,
                )
                moves.append(PlaceMove(e.to_unit_id, taken, PlacementKind.DAILY_ACTIVITY))
    return moves


def check_place(state: UnitState, move: PlaceMove) -> None:
    """Whether a unit can take (or give back) a place; raises the unit rule that says no."""
    _registered(state, move.unit_id, move.event.occurred_on)
    if isinstance(move.event, ev.PlaceReleased):
        return
    on = move.event.occurred_on
    held = state.places.get(move.event.placement_id)
    if held is not None and held.case_id != move.event.case_id:
        # Placement ids are the client's UUIDs, unique within a case (C2); a unit keys its places by them, so
        # a second case reusing one would overwrite the first case's place and undercount the unit.
        raise r.DuplicateId(
            f"placement {move.event.placement_id} already holds a place at unit {move.unit_id} for another "
            "case; give the placement a new id"
        )
    if move.kind is not None and move.kind not in state.offers_on(on):
        raise r.PlacementKindNotOffered(
            f"unit {move.unit_id} does not take {move.kind} placements on {on}; choose a unit that does"
        )
    if move.event.over_capacity_reason is not None:
        return
    # Check the day it starts and every later day another placement is due to start: a future start must
    # not fill a place that is already promised, even one already given back later (it is held until then).
    days = {on} | {p.taken_on for p in state.places.values() if p.taken_on > on}
    for day in sorted(days):
        if state.occupied_on(day) >= state.capacity_on(day):
            raise r.UnitFull(
                f"unit {move.unit_id} has {state.capacity_on(day)} places, all taken on {day}; free a place, "
                "wait, or pass over_capacity_reason"
            )
