"""Corrections and retractions: the effective history of a case, and the decider that guards it.

Nothing recorded is ever edited (B1). A correction (``EntryCorrected``) says that an earlier entry reads
differently from now on; a retraction (``EntryRetracted``) that it no longer counts. The *effective* history
is derived when the case is read: every entry in stream order, retracted ones left out, corrected ones
replaced by their latest correction. Folding it gives the state; the stream itself, with the originals, is
the audit view.

A correction is accepted only if the effective history it leads to could have been recorded command by command
under the rules: each entry is turned back into the command that records it and decided again on the state
before it. The first rule that fails is raised, so the case worker learns which rule the correction would
break; nothing is written.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections.abc import Iterable, Sequence

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import decisions, permissions, recording
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.evolve import evolve_case, fold_case
from rehabcore.domain.state import CaseState
from rehabcore.errors import RuleViolation

#: An entry of a case stream: its stored event id and the event.
Entry = tuple[uuid.UUID, ev.CaseEvent]


def effective(entries: Iterable[Entry]) -> list[tuple[uuid.UUID, ev.CorrectableEvent]]:
    """The entries as they count now: retracted ones left out, corrected ones as last corrected.

    Retention bookkeeping (holds, archiving, erasure) is not an entry that counts or can be corrected; it is
    folded with the entries by :func:`in_force`.
    """
    return [(i, e) for i, e in in_force(entries) if not isinstance(e, _BOOKKEEPING)]  # type: ignore[misc]


_BOOKKEEPING = typing.get_args(ev.RetentionEvent)


def in_force(entries: Iterable[Entry]) -> list[tuple[uuid.UUID, ev.EffectiveEvent]]:
    """What the case folds: the effective entries and the retention bookkeeping, in stream order."""
    entries = list(entries)
    replaced: dict[uuid.UUID, ev.EffectiveEvent] = {}
    retracted: set[uuid.UUID] = set()
    for _, e in entries:
        if isinstance(e, ev.EntryCorrected):
            replaced[e.corrected_event_id] = e.replacement
        elif isinstance(e, ev.EntryRetracted):
            retracted.add(e.retracted_event_id)
    return [
        (event_id, replaced.get(event_id, e))
        for event_id, e in entries
        if not isinstance(e, ev.EntryCorrected | ev.EntryRetracted) and event_id not in retracted
    ]


def fold_effective(entries: Iterable[Entry]) -> CaseState:
    """The case folded from its effective history; ``version`` still counts every entry of the stream."""
    entries = list(entries)
    state = fold_case(e for _, e in in_force(entries))
    return attrs.evolve(state, version=len(entries))


def decide_correction(
    command: cmd.CorrectEntry | cmd.RetractEntry, entries: Sequence[Entry], ctx: Context
) -> list[ev.CaseEvent]:
    """The correction or retraction event, or the rule error it would cause somewhere in the case."""
    now = dict(effective(entries))
    recorded = dict(entries)
    state = fold_effective(entries)
    if state.erased_on is not None:  # B24 holds for corrections too: the reason could not even be sealed
        raise r.RecordErased(
            "case {case_id} was erased on {erased_on}; nothing more is recorded in it",
            case_id=command.case_id,
            erased_on=state.erased_on,
        )
    target = recorded.get(command.event_id)
    if target is None:
        raise r.UnknownReference("entry {event_id} is not in this case", event_id=command.event_id)
    if isinstance(target, ev.EntryCorrected | ev.EntryRetracted):
        raise r.InvalidState("that entry is itself a correction; correct the original entry instead")
    if isinstance(target, ev.RetentionEvent):
        raise r.InvalidState("retention bookkeeping is not corrected; release a hold instead")
    current = now.get(command.event_id)
    if current is None:
        raise r.InvalidState(
            "entry {event_id} was retracted; record what happened anew instead", event_id=command.event_id
        )
    permissions.check(command, state, ctx)  # who may correct, in whose case (#16)
    if isinstance(command, cmd.CorrectEntry):
        _check_replacement(current, command.replacement)
        _check_day(state, command.corrected_on, ctx)
    else:
        if isinstance(current, ev.CaseOpened):
            raise r.InvalidState(
                "the opening of a case cannot be retracted; retract the entries recorded on the wrong case"
            )
        if isinstance(current, ev.DecisionMade | ev.DecisionReconsidered):
            decisions.check_retraction()
        _check_day(state, command.retracted_on, ctx)
    event: ev.CaseEvent = recording.record(command)
    recheck([*entries, (uuid.UUID(int=0), event)], ctx)
    return [event]


def _check_replacement(current: ev.EffectiveEvent, replacement: ev.CorrectableEvent) -> None:
    if type(replacement) is not type(current):
        raise r.InvalidState(
            "a correction keeps the kind of entry ({kind}); retract it and record a {replacement} instead",
            kind=type(current).__name__,
            replacement=type(replacement).__name__,
        )
    if replacement == current:
        raise r.InvalidState("the replacement is the entry as it already reads; nothing to correct")
    if isinstance(current, ev.DecisionMade | ev.DecisionReconsidered):
        decisions.check_correction(current, replacement)
    if (
        isinstance(current, ev.CaseOpened)
        and isinstance(replacement, ev.CaseOpened)
        and (replacement.case_id, replacement.subject_id) != (current.case_id, current.subject_id)
    ):
        raise r.CaseAlreadyOpen(
            "a case is one person's record: its case and person cannot be corrected; retract the entries "
            "recorded on the wrong case and record them on the right one"
        )


def _check_day(state: CaseState, on: dt.date, ctx: Context) -> None:
    latest = ctx.today + dt.timedelta(days=ctx.ruleset.parameters.future_tolerance_days)
    if on > latest:
        raise r.DatesOutOfOrder(
            "the correction is dated {on}, after today ({today}) and its tolerance", on=on, today=ctx.today
        )
    if state.opened_on is not None and on < state.opened_on:
        raise r.DatesOutOfOrder(
            "the correction is dated {on}, before the case was opened ({opened_on})",
            on=on,
            opened_on=state.opened_on,
        )


def recheck(entries: Sequence[Entry], ctx: Context) -> CaseState:
    """Decide every effective entry again, in order, on the state before it; raise the first rule broken."""
    state = CaseState()
    # Who may record what was checked when each entry was recorded, for its own actor (and replay checks it
    # again from the envelope): read again here, the entries are held to the case's rules, not to the
    # permissions of whoever records the correction.
    if ctx.ruleset.access is not None:
        ctx = attrs.evolve(ctx, ruleset=attrs.evolve(ctx.ruleset, access=None))
    for event_id, e in in_force(entries):
        try:
            produced = decide(command_for(e, state), state, ctx)
        except RuleViolation as err:
            raise type(err)(
                "read with this correction, entry {event_id} breaks the rule: {rule}",
                event_id=event_id,
                rule=err,
            ) from None
        if produced != [e]:
            raise r.InvalidState(
                "read with this correction, entry {event_id} no longer follows from the entries before it",
                event_id=event_id,
            )
        state = evolve_case(state, e)
    return state


def command_for(e: ev.EffectiveEvent, state: CaseState) -> cmd.CaseCommand:
    """The command that records exactly ``e`` on a case in ``state`` (the inverse of ``decide``).

    Derived from the recording table (:func:`rehabcore.domain.recording.command_for`), field by field.
    """
    case_id = e.case_id if isinstance(e, ev.CaseOpened) else state.case_id
    assert case_id is not None, "only the opening comes before the case id is known"
    command: cmd.CaseCommand = recording.command_for(e, case_id)
    return command
