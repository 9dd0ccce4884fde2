"""Places at units, decided in one pure function for a case's new events and its corrections (B15, U1, U2).

A placement holds one of its unit's places from its start to its end. When a case records a start, an end or a
transfer, or a correction changes when or where a placement was, the units' streams must say so too, in the
same atomic append as the case's events: two case workers then cannot both fill the last place, since the
unit stream's expected version makes the second one retry and see the unit full.

:func:`decide_places` takes the case before, the case after, the new case events and a way to look up a
unit's state, checks every place taken (the unit is registered, offers the kind, has a free place on every
day the place is held, or the placement records why it was taken over capacity; no other case holds the
placement id) and returns the unit events per unit. ``Cases``, ``decide_correction``'s callers and the test
kit all call it; nothing else moves places.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence

import attrs

from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.evolve import evolve_unit
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.vocabulary import Jurisdiction, PlacementKind

#: Unit events per unit, in the order they are to be appended.
UnitEvents = dict[uuid.UUID, list[ev.UnitEvent]]


@attrs.frozen(kw_only=True)
class PlaceMove:
    """A place a case event takes, gives back or withdraws at a unit."""

    unit_id: uuid.UUID
    event: ev.PlaceTaken | ev.PlaceReleased | ev.PlaceWithdrawn
    #: The kind of placement taking the place: the unit must offer it (U2).
    kind: PlacementKind | None = None
    #: The case's jurisdiction: a unit takes placements of its own country's law only (B19).
    jurisdiction: Jurisdiction | None = None


def decide_places(
    before: CaseState,
    after: CaseState,
    events: Sequence[ev.CaseEvent],
    unit: Callable[[uuid.UUID], UnitState],
) -> UnitEvents:
    """The unit events that ``events`` (turning ``before`` into ``after``) need, per unit; or the unit rule.

    A correction or retraction among ``events`` is read through the placements it changes (before and after,
    each as effective); any other event through what it does to places. ``unit(unit_id)`` gives a unit's
    state as stored now; each unit is checked move by move, folding between moves.
    """
    for e in events:  # an offer takes no place, but names a unit that must take its kind (U1/U2)
        if isinstance(e, ev.OfferMade):
            check_offer(unit(e.unit_id), e)
            _same_country(unit(e.unit_id), e.unit_id, after.jurisdiction)
    for e in events:
        if type(e) in _MOVES_PLACES:
            break
    else:
        return {}
    case_id = after.case_id or before.case_id
    assert case_id is not None, "places are taken by an opened case"
    corrects = any(type(e) in _CORRECTIONS for e in events)
    moves = (
        _corrected_moves(case_id, before, after, unit) if corrects else place_moves(case_id, before, events)
    )
    moves = [attrs.evolve(m, jurisdiction=after.jurisdiction) for m in moves]
    states: dict[uuid.UUID, UnitState] = {}
    out: UnitEvents = {}
    for move in moves:
        state = states[move.unit_id] if move.unit_id in states else unit(move.unit_id)
        if not isinstance(move.event, ev.PlaceWithdrawn):
            check_place(state, move)
        states[move.unit_id] = evolve_unit(state, move.event)
        out.setdefault(move.unit_id, []).append(move.event)
    for move in moves:  # #18 U3: a place taken at a unit that closes is given back by the day before it does
        if isinstance(move.event, ev.PlaceTaken):
            _given_back_before_closing(states[move.unit_id], move.unit_id, move.event.placement_id)
    return out


def _given_back_before_closing(state: UnitState, unit_id: uuid.UUID, placement_id: uuid.UUID) -> None:
    place, closed_on = state.places.get(placement_id), state.closed_on
    if place is None or closed_on is None:
        return
    if place.released_on is None or place.released_on >= closed_on:
        raise r.UnitClosed(
            "unit {unit_id} is closed from {closed_on}; a placement there ends by the day before, or is at "
            "another unit",
            unit_id=unit_id,
            closed_on=closed_on,
        )


_CORRECTIONS = frozenset({ev.EntryCorrected, ev.EntryRetracted})
#: The case events that can take, give back or withdraw a place.
_MOVES_PLACES = _CORRECTIONS | {ev.PlacementStarted, ev.PlacementEnded, ev.TransferredToLssDailyActivity}


def place_moves(
    case_id: uuid.UUID,
    case: CaseState,
    events: Sequence[ev.CaseEvent],
    over_capacity_reason: str | None = None,
) -> list[PlaceMove]:
    """What new events of a case (in state ``case``) do to places: starts take one, ends give one back.

    A start takes its place with the over-capacity reason it records (or ``over_capacity_reason``).
    """
    moves: list[PlaceMove] = []
    for e in events:
        match e:
            case ev.PlacementStarted():
                reason = e.over_capacity_reason or over_capacity_reason
                taken = ev.PlaceTaken(
                    occurred_on=e.occurred_on,
                    placement_id=e.placement_id,
                    case_id=case_id,
                    over_capacity_reason=reason,
                    kind=e.kind,
                )
                moves.append(PlaceMove(unit_id=e.unit_id, event=taken, kind=e.kind))
            case ev.PlacementEnded():
                unit_id = case.placements[e.placement_id].unit_id
                released = ev.PlaceReleased(occurred_on=e.occurred_on, placement_id=e.placement_id)
                moves.append(PlaceMove(unit_id=unit_id, event=released))
            case ev.TransferredToLssDailyActivity():
                old = case.placements[e.from_placement_id]
                last_day = e.occurred_on - dt.timedelta(days=1)
                released = ev.PlaceReleased(occurred_on=last_day, placement_id=old.placement_id)
                moves.append(PlaceMove(unit_id=old.unit_id, event=released))
                taken = ev.PlaceTaken(
                    occurred_on=e.occurred_on,
                    placement_id=e.placement_id,
                    case_id=case_id,
                    over_capacity_reason=over_capacity_reason,
                    kind=PlacementKind.DAILY_ACTIVITY,
                )
                moves.append(PlaceMove(unit_id=e.to_unit_id, event=taken, kind=PlacementKind.DAILY_ACTIVITY))
    return moves


def _corrected_moves(
    case_id: uuid.UUID, before: CaseState, after: CaseState, unit: Callable[[uuid.UUID], UnitState]
) -> list[PlaceMove]:
    """Withdraw each hold a correction changes as recorded, and take it as corrected.

    The place is taken again with the over-capacity reason the placement records, or else the one its unit
    recorded when the place was first taken (placements started before the reason was kept on the case).
    """
    moves: list[PlaceMove] = []
    for placement_id in sorted(set(before.placements) | set(after.placements), key=str):
        old, new = before.placements.get(placement_id), after.placements.get(placement_id)
        hold = (old.unit_id, old.start_on, old.end_on) if old else None
        if new is not None and hold == (new.unit_id, new.start_on, new.end_on):
            continue
        reason = None
        if old is not None:
            withdrawn = ev.PlaceWithdrawn(occurred_on=old.start_on, placement_id=placement_id)
            moves.append(PlaceMove(unit_id=old.unit_id, event=withdrawn))
            held = unit(old.unit_id).places.get(placement_id)
            reason = held.over_capacity_reason if held is not None else None
        if new is not None:
            taken = ev.PlaceTaken(
                occurred_on=new.start_on,
                placement_id=placement_id,
                case_id=case_id,
                over_capacity_reason=new.over_capacity_reason or reason,
                kind=new.kind,
            )
            moves.append(PlaceMove(unit_id=new.unit_id, event=taken, kind=new.kind))
            if new.end_on is not None:
                released = ev.PlaceReleased(occurred_on=new.end_on, placement_id=placement_id)
                moves.append(PlaceMove(unit_id=new.unit_id, event=released))
    return moves


def registered(state: UnitState, unit_id: uuid.UUID, on: dt.date) -> None:
    """U1: the unit is registered, and was on ``on``."""
    if not state.is_registered:
        raise r.UnitNotRegistered(
            "unit {unit_id} is not registered; record RegisterUnit first", unit_id=unit_id
        )
    assert state.registered_on is not None
    if on < state.registered_on:
        raise r.DatesOutOfOrder(
            "{on} is before the unit was registered ({registered_on})",
            on=on,
            registered_on=state.registered_on,
        )


def still_open(state: UnitState, unit_id: uuid.UUID, on: dt.date) -> None:
    """U3 (#18): a closed unit takes nothing from the day it closed: no placement, offer, visit or change."""
    if state.is_closed(on):
        raise r.UnitClosed(
            "unit {unit_id} is closed from {closed_on}; choose an open unit or a day before it closed",
            unit_id=unit_id,
            closed_on=state.closed_on,
        )


def _same_country(state: UnitState, unit_id: uuid.UUID, jurisdiction: Jurisdiction | None) -> None:
    """B19: a unit runs under one country's law, the case's."""
    if jurisdiction is not None and state.jurisdiction is not None and state.jurisdiction is not jurisdiction:
        raise r.PlacementBasisInvalid(
            "unit {unit_id} runs under {jurisdiction} law and the case under {jurisdiction2}; choose "
            "a unit in {jurisdiction2}",
            unit_id=unit_id,
            jurisdiction=state.jurisdiction,
            jurisdiction2=jurisdiction,
        )


def check_offer(state: UnitState, offer: ev.OfferMade) -> None:
    """U1/U2: an offer names a registered unit that takes the kind offered on the day it would start."""
    registered(state, offer.unit_id, offer.offered_from)
    still_open(state, offer.unit_id, offer.offered_from)  # #18
    if offer.kind not in state.offers_on(offer.offered_from):
        raise r.PlacementKindNotOffered(
            "unit {unit_id} does not take {kind} placements on {offered_from}; offer a unit that does",
            unit_id=offer.unit_id,
            kind=offer.kind,
            offered_from=offer.offered_from,
        )


def check_place(state: UnitState, move: PlaceMove) -> None:
    """Whether a unit can take (or give back) a place; raises the unit rule that says no."""
    registered(state, move.unit_id, move.event.occurred_on)
    if not isinstance(move.event, ev.PlaceTaken):
        return
    on = move.event.occurred_on
    still_open(state, move.unit_id, on)  # #18
    held = state.places.get(move.event.placement_id)
    if held is not None and held.case_id != move.event.case_id:
        # Placement ids are the client's UUIDs, unique within a case (C2); a unit keys its places by them, so
        # a second case reusing one would overwrite the first case's place and undercount the unit.
        raise r.DuplicateId(
            "placement {placement_id} already holds a place at unit {unit_id} for another case; give the "
            "placement a new id",
            placement_id=move.event.placement_id,
            unit_id=move.unit_id,
        )
    _same_country(state, move.unit_id, move.jurisdiction)
    if move.kind is not None and move.kind not in state.offers_on(on):
        raise r.PlacementKindNotOffered(
            "unit {unit_id} does not take {kind} placements on {on}; choose a unit that does",
            unit_id=move.unit_id,
            kind=move.kind,
            on=on,
        )
    if move.event.over_capacity_reason is not None:
        return
    # Check the day it starts and every later day another placement is due to start: a future start must
    # not fill a place that is already promised, even one already given back later (it is held until then).
    days = {on} | {p.taken_on for p in state.places.values() if p.taken_on > on}
    for day in sorted(days):
        if state.occupied_on(day) >= state.capacity_on(day):
            raise r.UnitFull(
                "unit {unit_id} has {n} place, all taken on {on}; free a place, wait, or pass "
                "over_capacity_reason",
                plural="unit {unit_id} has {n} places, all taken on {on}; free a place, wait, or pass "
                "over_capacity_reason",
                unit_id=move.unit_id,
                n=state.capacity_on(day),
                on=day,
            )
