"""The Cases service: load → fold → decide → append, with optimistic concurrency and idempotency.

A command is handled against the case as stored now. The events it produces go into the case stream and, when
a placement takes or gives back a place, into the unit's stream, in one atomic append with the expected
version of each stream: a concurrent writer makes the append fail, and the command is decided again on the
fresh state. Event ids derive from the command id, so handling a command twice writes nothing new.

States are cached per stream and brought up to date by reading only the events after the cached version, so
a command costs the same on a case of 10 events as on a case of 1,000.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import attrs
import orjson

from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.corrections import Entry, decide_correction, fold_effective, place_changes
from rehabcore.domain.evolve import evolve_case, evolve_unit
from rehabcore.domain.review import review
from rehabcore.domain.rules import SWEDEN_DEFAULT, ActorRequired, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.unit import PlaceMove, check_place, decide_unit, place_moves
from rehabcore.domain.validation import check_for
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import ConcurrencyError, InvalidInput, UnknownCase, UnknownUnit
from rehabcore.store import AppendResult, EventStore, NewEvent, StoredEvent, StreamWrite

S = TypeVar("S", CaseState, UnitState)

_ZONES = {Jurisdiction.SE: "Europe/Stockholm", Jurisdiction.DK: "Europe/Copenhagen"}
_COMMAND_TYPES = (*cmd.CASE_COMMAND_TYPES, *cmd.UNIT_COMMAND_TYPES)
# Ids from callers are checked before they name a stream or an error: never an identity number in either.
_check_id = check_for(uuid.UUID)
_check_moment = check_for(dt.datetime)


def case_stream(case_id: uuid.UUID) -> str:
    """The stream id of a case: a prefix and the random case id, never anything personal."""
    _check_id("case_id", case_id)
    return f"case-{case_id}"


def unit_stream(unit_id: uuid.UUID) -> str:
    """The stream id of a unit."""
    _check_id("unit_id", unit_id)
    return f"unit-{unit_id}"


def new_case_id() -> uuid.UUID:
    """A fresh random case id (never derived from a personal identity number)."""
    return uuid.uuid4()


@attrs.frozen
class Recorded:
    """A stored event, decoded, with its envelope."""

    position: int
    stream_id: str
    version: int
    recorded_at: dt.datetime
    event: ev.Event
    metadata: dict[str, Any]


@attrs.frozen
class Handled:
    """What handling a command did: the events recorded, the warnings raised, where the streams landed."""

    events: tuple[ev.Event, ...]
    warnings: tuple[RuleWarning, ...]
    appended: tuple[AppendResult, ...]
    #: True when the command had been handled before and nothing new was written.
    duplicate: bool = False


@attrs.define
class _Loaded(Generic[S]):
    state: S
    #: The ids of the stream's events. A command handled here wrote ``event_id(command, stream, 0)``, so
    #: "handled before?" is a set look-up (:func:`_handled`), without parsing each event's metadata. Only ids
    #: of stored events ever enter it, so it is grown in place as the stream is read forward.
    event_ids: set[uuid.UUID]


def _handled(event_ids: set[uuid.UUID], command: cmd.Command, stream: str) -> bool:
    return event_id(command.command_id, stream, 0) in event_ids


def event_id(command_id: uuid.UUID, stream: str, index: int) -> uuid.UUID:
    """The id of a command's ``index``-th event on ``stream``: the same every time the command is handled."""
    return uuid.uuid5(command_id, f"{stream}/{index}")


class Cases:
    """Handle commands and read cases and units on one store, under one ruleset."""

    def __init__(
        self,
        store: EventStore,
        *,
        ruleset: Ruleset = SWEDEN_DEFAULT,
        today: Callable[[], dt.date] | None = None,
        tenant: str | None = None,
        max_attempts: int = 5,
        cache_size: int = 10_000,
    ) -> None:
        self.store = store
        self.ruleset = ruleset
        zone = zoneinfo.ZoneInfo(_ZONES[ruleset.jurisdiction])
        self._today = today or (lambda: dt.datetime.now(zone).date())
        self.tenant = tenant
        self._max_attempts = max_attempts
        self._cache: OrderedDict[str, _Loaded[Any]] = OrderedDict()
        self._cache_size = cache_size

    # --- writing ----------------------------------------------------------------------------------------

    def handle(
        self,
        command: cmd.Command,
        *,
        actor: cmd.Actor,
        correlation_id: uuid.UUID | None = None,
        causation_id: uuid.UUID | None = None,
    ) -> Handled:
        """Decide ``command`` on the stored state and record its events; raise the rule that rejects it."""
        if not isinstance(command, _COMMAND_TYPES):
            raise InvalidInput("command", f"expected a rehabcore command, got {type(command).__name__}")
        if not isinstance(actor, cmd.Actor):
            raise ActorRequired("every entry says who made it: pass actor=Actor(id=…, role=…)")
        meta = {
            "actor": {"id": actor.id, "role": actor.role.value, "unit": actor.unit},
            "tenant": self.tenant,
            "correlation_id": str(correlation_id or command.command_id),
            "causation_id": str(causation_id) if causation_id else None,
            "command_id": str(command.command_id),
            "ruleset": self.ruleset.ref,
        }
        for attempt in range(self._max_attempts):
            try:
                if isinstance(command, cmd.RegisterUnit | cmd.ChangeUnitCapacity | cmd.ChangeUnitPurpose):
                    return self._handle_unit(command, meta)
                if isinstance(command, cmd.CorrectEntry | cmd.RetractEntry):
                    return self._handle_correction(command, meta)
                return self._handle_case(command, meta)
            except ConcurrencyError:
                if attempt == self._max_attempts - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _handle_case(self, command: cmd.CaseCommand, meta: dict[str, Any]) -> Handled:
        stream = case_stream(command.case_id)
        loaded = self._load_case(stream)
        if _handled(loaded.event_ids, command, stream):
            return self._already_handled(stream, command.command_id)
        ctx = Context(today=self._today(), ruleset=self.ruleset)
        events = decide(command, loaded.state, ctx)
        after = loaded.state
        for e in events:
            after = evolve_case(after, e)
        reason = command.over_capacity_reason if isinstance(command, cmd.StartPlacement) else None
        writes = [self._write(stream, loaded.state.version, events, command, meta)]
        writes += self._unit_writes(place_moves(command.case_id, loaded.state, events, reason), command, meta)
        appended = self.store.append(*writes)
        self._remember(stream, loaded, after, appended[0], writes[0])
        return Handled(tuple(events), tuple(review(command, after, ctx)), tuple(appended))

    def _handle_correction(
        self, command: cmd.CorrectEntry | cmd.RetractEntry, meta: dict[str, Any]
    ) -> Handled:
        """Decide a correction on the case's whole stream; move the places it changes at the units too."""
        stream = case_stream(command.case_id)
        stored = self.store.read_stream(stream)
        if not stored:
            raise UnknownCase(command.case_id)
        known = {s.event_id for s in stored}
        if _handled(known, command, stream):
            return self._already_handled(stream, command.command_id)
        entries = _entries(stored)
        ctx = Context(today=self._today(), ruleset=self.ruleset)
        events = decide_correction(command, entries, ctx)
        before = fold_effective(entries)
        after = fold_effective([*entries, *((uuid.UUID(int=0), e) for e in events)])
        writes = [self._write(stream, len(stored), events, command, meta)]
        writes += self._place_corrections(command.case_id, before, after, command, meta)
        appended = self.store.append(*writes)
        self._remember(stream, _Loaded(before, known), after, appended[0], writes[0])
        return Handled(tuple(events), tuple(review(command, after, ctx)), tuple(appended))

    def _place_corrections(
        self,
        case_id: uuid.UUID,
        before: CaseState,
        after: CaseState,
        command: cmd.Command,
        meta: dict[str, Any],
    ) -> list[StreamWrite]:
        by_unit: dict[uuid.UUID, tuple[int, UnitState, list[ev.UnitEvent]]] = {}
        for change in place_changes(case_id, before, after):
            if change.unit_id not in by_unit:
                state = self._load(unit_stream(change.unit_id), UnitState(), evolve_unit).state
                by_unit[change.unit_id] = (state.version, state, [])
            version, state, events = by_unit[change.unit_id]
            if not isinstance(change.event, ev.PlaceWithdrawn):
                check_place(state, PlaceMove(change.unit_id, change.event, change.kind))
            by_unit[change.unit_id] = (version, evolve_unit(state, change.event), [*events, change.event])
        return [
            self._write(unit_stream(unit_id), version, events, command, meta)
            for unit_id, (version, _, events) in by_unit.items()
        ]

    def _unit_writes(
        self, moves: list[PlaceMove], command: cmd.Command, meta: dict[str, Any]
    ) -> list[StreamWrite]:
        by_unit: dict[uuid.UUID, tuple[int, UnitState, list[ev.UnitEvent]]] = {}
        for move in moves:
            if move.unit_id not in by_unit:
                state = self._load(unit_stream(move.unit_id), UnitState(), evolve_unit).state
                by_unit[move.unit_id] = (state.version, state, [])
            version, state, events = by_unit[move.unit_id]
            check_place(state, move)
            by_unit[move.unit_id] = (version, evolve_unit(state, move.event), [*events, move.event])
        return [
            self._write(unit_stream(unit_id), version, events, command, meta)
            for unit_id, (version, _, events) in by_unit.items()
        ]

    def _handle_unit(self, command: cmd.UnitCommand, meta: dict[str, Any]) -> Handled:
        stream = unit_stream(command.unit_id)
        loaded = self._load(stream, UnitState(), evolve_unit)
        if _handled(loaded.event_ids, command, stream):
            return self._already_handled(stream, command.command_id)
        events = decide_unit(command, loaded.state, Context(today=self._today(), ruleset=self.ruleset))
        after = loaded.state
        for e in events:
            after = evolve_unit(after, e)
        write = self._write(stream, loaded.state.version, events, command, meta)
        appended = self.store.append(write)
        self._remember(stream, loaded, after, appended[0], write)
        return Handled(tuple(events), (), tuple(appended))

    def _write(
        self,
        stream: str,
        version: int,
        events: Iterable[ev.Event],
        command: cmd.Command,
        meta: dict[str, Any],
    ) -> StreamWrite:
        new = []
        for i, event in enumerate(events):
            name, schema, data = codec.encode_event(event)
            # The full command rides on the first event of each write; the rest point at it by id.
            extra = {"command": codec.unstructure_command(command)} if i == 0 else {}
            metadata = orjson.dumps({**meta, **extra})
            new.append(NewEvent(event_id(command.command_id, stream, i), name, schema, data, metadata))
        return StreamWrite(stream, new, version)

    def _already_handled(self, stream: str, command_id: uuid.UUID) -> Handled:
        """What the command recorded on ``stream``: its events, found by the ids it gave them."""
        by_id = {s.event_id: s for s in self.store.read_stream(stream)}
        mine: list[ev.Event] = []
        while (stored := by_id.get(event_id(command_id, stream, len(mine)))) is not None:
            mine.append(codec.decode_event(stored.type, stored.schema_version, stored.data))
        return Handled(tuple(mine), (), (), duplicate=True)

    # --- reading ----------------------------------------------------------------------------------------

    def _load(self, stream: str, initial: S, evolve: Callable[[S, Any], S]) -> _Loaded[S]:
        cached = self._cache.get(stream)
        loaded: _Loaded[S] = (
            _Loaded(initial, set()) if cached is None else _Loaded(cached.state, cached.event_ids)
        )
        newer = self.store.read_stream(stream, after_version=loaded.state.version)
        if newer:
            state, ids = loaded.state, loaded.event_ids
            decode = codec.decode_event
            for stored in newer:
                state = evolve(state, decode(stored.type, stored.schema_version, stored.data))
                ids.add(stored.event_id)
            loaded = _Loaded(state, ids)
            self._put(stream, loaded)
        return loaded

    def _load_case(self, stream: str) -> _Loaded[CaseState]:
        """The case as stored now; read again whole when a correction came in since it was cached."""
        loaded = self._load(stream, CaseState(), evolve_case)
        if loaded.state.pending_corrections:
            stored = self.store.read_stream(stream)
            loaded = _Loaded(fold_effective(_entries(stored)), {s.event_id for s in stored})
            self._put(stream, loaded)
        return loaded

    def _remember(
        self, stream: str, before: _Loaded[Any], after: Any, result: AppendResult, written: StreamWrite
    ) -> None:
        if result.version == after.version:
            before.event_ids.update(e.event_id for e in written.events)
            self._put(stream, _Loaded(after, before.event_ids))
        else:
            self._cache.pop(stream, None)

    def _put(self, stream: str, loaded: _Loaded[Any]) -> None:
        self._cache[stream] = loaded
        self._cache.move_to_end(stream)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def get(self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None) -> CaseState:
        """The case as stored now, or as the record stood at ``as_known_at`` (events recorded up to then)."""
        stream = case_stream(case_id)
        if as_known_at is None:
            state = self._load_case(stream).state
        else:
            _check_moment("as_known_at", as_known_at)
            known = [s for s in self.store.read_stream(stream) if s.recorded_at <= as_known_at]
            state = fold_effective(_entries(known))
        if state.version == 0:
            raise UnknownCase(case_id)
        return state

    def unit(self, unit_id: uuid.UUID) -> UnitState:
        """A unit as stored now."""
        state = self._load(unit_stream(unit_id), UnitState(), evolve_unit).state
        if state.version == 0:
            raise UnknownUnit(unit_id)
        return state

    def history(self, case_id: uuid.UUID) -> list[Recorded]:
        """Every event of a case with its envelope, oldest first."""
        recorded = self._recorded(case_stream(case_id))
        if not recorded:
            raise UnknownCase(case_id)
        return recorded

    def _recorded(self, stream: str) -> list[Recorded]:
        return [_decode(s) for s in self.store.read_stream(stream)]


def _entries(stored: Iterable[StoredEvent]) -> list[Entry]:
    """A case stream's events with their ids, for the effective history."""
    return [(s.event_id, codec.decode_event(s.type, s.schema_version, s.data)) for s in stored]  # type: ignore[misc]


def _decode(stored: StoredEvent) -> Recorded:
    return Recorded(
        position=stored.position,
        stream_id=stored.stream_id,
        version=stored.version,
        recorded_at=stored.recorded_at,
        event=codec.decode_event(stored.type, stored.schema_version, stored.data),
        metadata=orjson.loads(stored.metadata),
    )
