"""The unit decider: registration, capacity and purpose (U1, U2); visits, closing, moving, owner (U3, U4).

The places placements take are decided with the case's events, in :mod:`rehabcore.domain.places`; its names
are re-exported here for code written when they lived in this module.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import permissions
from rehabcore.domain import rules as r
from rehabcore.domain.context import Context
from rehabcore.domain.places import PlaceMove, check_place, place_moves, registered, still_open
from rehabcore.domain.recording import BY_COMMAND, record
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import UnitState
from rehabcore.domain.vocabulary import PlacementKind, UnitKind

__all__ = [
    "PlaceMove",
    "check_place",
    "decide_unit",
    "effective_on",
    "place_moves",
    "refocus_warnings",
    "still_open",
]


def decide_unit(command: cmd.UnitCommand, state: UnitState, ctx: Context | None = None) -> list[ev.UnitEvent]:
    """The events a unit command produces, or the rule error that rejects it; ``ctx`` adds local rules."""
    if ctx is not None:
        permissions.check(command, state, ctx)  # #16
    events = _built_in(command, state)
    if ctx is not None:
        ctx.ruleset.enforce(command, state, ctx)
    return events


def _built_in(command: cmd.UnitCommand, state: UnitState) -> list[ev.UnitEvent]:
    if isinstance(command, cmd.RegisterUnit):
        if state.is_registered:
            raise r.UnitAlreadyRegistered("unit {unit_id} is already registered", unit_id=command.unit_id)
    else:
        on = effective_on(command)
        registered(state, command.unit_id, on)
        still_open(state, command.unit_id, on)
    if (
        isinstance(command, cmd.RegisterUnit | cmd.ChangeUnitPurpose)
        and not command.offers
        and command.kind is not UnitKind.OPEN_ACTIVITY  # #18: an open activity may take no placements
    ):
        raise r.PlacementKindNotOffered("a unit offers at least one placement kind")
    match command:
        case cmd.CountVisits():
            _open_activity(state, command)
        case cmd.CloseUnit():
            _nobody_left(state, command)
    return [record(command)]


# --- #18 open activities and unit changes ---


def effective_on(command: cmd.UnitCommand) -> dt.date:
    """The day a unit command takes effect: the date the recording table makes the event's day."""
    on: dt.date = getattr(command, BY_COMMAND[type(command)].date)
    return on


def _nobody_left(state: UnitState, command: cmd.CloseUnit) -> None:
    """U3 (B9): a unit closes once every place there is given back by the day before it closes."""
    on = command.closed_on
    left = [p for p in state.places.values() if p.released_on is None or p.released_on >= on]
    if left:
        raise r.UnitStillHoldsPlaces(
            "{n} placement holds a place at unit {unit_id} on or after {on}; end it or move it to another "
            "unit first",
            plural="{n} placements hold places at unit {unit_id} on or after {on}; end them or move them to "
            "another unit first",
            n=len(left),
            unit_id=command.unit_id,
            on=on,
        )


def _open_activity(state: UnitState, command: cmd.CountVisits) -> None:
    """U4: visits are counted, not recorded per person, only where the unit is an open activity that day."""
    kind = state.kind_on(command.counted_on)
    if kind is not UnitKind.OPEN_ACTIVITY:
        raise r.VisitsOnlyAtOpenActivity(
            "unit {unit_id} is not an open activity on {on}; a decided service records each person's "
            "placement in their case",
            unit_id=command.unit_id,
            on=command.counted_on,
        )


def refocus_warnings(command: cmd.UnitCommand, before: UnitState) -> list[RuleWarning]:
    """B9 (S1): a refocus that stops daily activity says how many participants it leaves to be offered anew.

    Counts the places held on the day it takes effect by daily-activity placements (as the places recorded
    their kind); each of them needs a dialogue and an offer of a new daily activity before leaving.
    """
    if not isinstance(command, cmd.ChangeUnitPurpose):
        return []
    dv = PlacementKind.DAILY_ACTIVITY
    on = command.effective_on
    if dv not in before.offers_on(on) or dv in command.offers:
        return []
    held = [p for p in before.places.values() if p.kind is dv and p.held(on)]
    if not held:
        return []
    return [
        RuleWarning.of(
            rule_id="B9",
            code="refocus_leaves_participants",
            template="{n} daily-activity participant is at this unit on {on}: they keep their place until a "
            "new daily activity is offered and starts (see the refocus worklist)",
            plural="{n} daily-activity participants are at this unit on {on}: each keeps their place until a "
            "new daily activity is offered and starts (see the refocus worklist)",
            refers_to=command.unit_id,
            n=len(held),
            on=on,
        )
    ]
