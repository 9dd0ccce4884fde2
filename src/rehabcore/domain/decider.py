"""The deciders as data: where a stream starts, how a command is decided on it, how an event is folded.

``Cases`` runs one loop for every command — load the stream's state, decide, append — over a
:class:`Decider`: :data:`CASES` for case commands (corrections included), :data:`UNITS` for unit commands.
What a command needs beyond its own stream's state comes in as functions: the case's whole history (only a
correction reads it) and the units' states (only placements that take or give back places look them up).
The :class:`Outcome` says everything to append: the stream's events, the units' events, and the warnings.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.corrections import Entry, decide_correction, fold_effective
from rehabcore.domain.decisions import check_restricted_entry
from rehabcore.domain.evolve import evolve_case, evolve_unit, fold_case, fold_unit
from rehabcore.domain.ivo import IvoState, decide_ivo, evolve_ivo
from rehabcore.domain.places import UnitEvents, decide_places
from rehabcore.domain.review import review
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.unit import decide_unit, refocus_warnings
from rehabcore.errors import UnknownCase

S = TypeVar("S")

_CORRECTIONS = (cmd.CorrectEntry, cmd.RetractEntry)

#: The stream's entries as stored, with their ids (read only when called).
History = Callable[[], Sequence[Entry]]
#: A unit's state as stored now.
Units = Callable[[uuid.UUID], UnitState]


class Outcome(NamedTuple, Generic[S]):
    """What a command comes to: events for its stream, the state after them, the units' events, warnings.

    A named tuple, not an attrs class: one is made per command handled, and a tuple is built in C.
    """

    events: tuple[ev.Event, ...]
    after: S
    places: UnitEvents
    warnings: tuple[RuleWarning, ...]


@attrs.frozen(kw_only=True)
class Decider(Generic[S]):
    """A stream kind's decider: its initial state, ``decide`` and ``evolve``, and how a state is settled."""

    initial: S
    decide: Callable[[Any, S, Context, History, Units], Outcome[S]]
    evolve: Callable[[S, Any], S]
    #: The state to decide on, from the state folded event by event and the history (read only if needed).
    settle: Callable[[S, History], S] = lambda state, _history: state


def decide_case(
    command: cmd.CaseCommand, state: CaseState, ctx: Context, history: History, units: Units
) -> Outcome[CaseState]:
    """A case command decided on the case, with the places it takes or gives back and its warnings."""
    if isinstance(command, _CORRECTIONS):
        entries = history()
        if not entries:
            raise UnknownCase(command.case_id)
        before = fold_effective(entries)
        events = decide_correction(command, entries, ctx)
        after = fold_effective([*entries, *((uuid.UUID(int=0), e) for e in events)])
    else:
        if isinstance(command, cmd.RestrictAccess):  # names an entry by its stored id: read the history
            check_restricted_entry(command, history())
        before = state
        events = decide(command, state, ctx)
        after = fold_case(events, state)
    places = decide_places(before, after, events, units)
    return Outcome(
        events=tuple(events), after=after, places=places, warnings=tuple(review(command, after, ctx))
    )


def decide_unit_command(
    command: cmd.UnitCommand, state: UnitState, ctx: Context, _history: History, _units: Units
) -> Outcome[UnitState]:
    """A unit command decided on the unit."""
    events = decide_unit(command, state, ctx)
    warnings = tuple(refocus_warnings(command, state))
    return Outcome(events=tuple(events), after=fold_unit(events, state), places={}, warnings=warnings)


def _settle_case(state: CaseState, history: History) -> CaseState:
    # A correction folded one step at a time only flags itself: read the effective history instead.
    return fold_effective(history()) if state.pending_corrections else state


CASES: Decider[CaseState] = Decider(
    initial=CaseState(), decide=decide_case, evolve=evolve_case, settle=_settle_case
)
UNITS: Decider[UnitState] = Decider(initial=UnitState(), decide=decide_unit_command, evolve=evolve_unit)


def decide_ivo_command(
    command: cmd.IvoCommand, state: IvoState, ctx: Context, _history: History, _units: Units
) -> Outcome[IvoState]:
    """A report marked as sent, on the municipality's IVO stream (#11)."""
    events = decide_ivo(command, state, ctx)
    after = state
    for e in events:
        after = evolve_ivo(after, e)
    return Outcome(events=tuple(events), after=after, places={}, warnings=())


IVO: Decider[IvoState] = Decider(initial=IvoState(), decide=decide_ivo_command, evolve=evolve_ivo)
