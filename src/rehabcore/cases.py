"""The Cases service: load → decide → append, one loop for every command, with optimistic concurrency.

A command goes to its stream (the case's or the unit's) and is decided there by that stream's
:class:`~rehabcore.domain.decider.Decider`, on the state as stored now. The decider says everything the
command records: the stream's events and, when a placement takes or gives back a place (or a correction moves
one), the units' events. They go into the store in one atomic append with the expected version of each
stream: a concurrent writer makes the append fail, and the command is decided again on the fresh state.
Event ids derive from the command id, so handling a command twice writes nothing new.

States are cached per stream and brought up to date by reading only the events after the cached version, so
a command on a long case reads no more than one on a short case.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import attrs
import orjson

from rehabcore import codec, observability, sealing
from rehabcore.access import AccessLog, Reader, log_read
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.context import Context
from rehabcore.domain.corrections import fold_effective
from rehabcore.domain.decider import CASES, IVO, UNITS, Decider
from rehabcore.domain.ivo import IvoState, ivo_stream
from rehabcore.domain.rules import SWEDEN_DEFAULT, ActorRequired, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.validation import check_for
from rehabcore.errors import CommandIdReused, ConcurrencyError, InvalidInput, UnknownCase, UnknownUnit
from rehabcore.sealing import Sealer
from rehabcore.store import AppendResult, EventStore, NewEvent, StreamWrite
from rehabcore.streams import ZONES, Recorded, case_stream, decode, entries, recorded, unit_stream
from rehabcore.tenancy import TenantView

__all__ = ["Cases", "Handled", "Recorded", "case_stream", "event_id", "new_case_id", "unit_stream"]

S = TypeVar("S", CaseState, UnitState, IvoState)

_COMMAND_TYPES = typing.get_args(cmd.Command)
_COMMAND_CLASSES = frozenset(_COMMAND_TYPES)
#: Commands whose person's age is checked against the vault (B22).
_AGED = (cmd.MakeDecision, cmd.StartPlacement, cmd.TransferToLssDailyActivity)
_check_moment = check_for(dt.datetime)
_UNIT_COMMANDS = cmd.UnitCommand  # #18: every unit command, the union itself


def new_case_id() -> uuid.UUID:
    """A fresh random case id (never derived from a personal identity number)."""
    return uuid.uuid4()


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


class _Once:
    """A sealer that seals each text once per command: the event and the command share the token."""

    def __init__(self, sealer: Sealer) -> None:
        self._sealer = sealer
        self._tokens: dict[str, str] = {}

    def seal(self, text: str, *, case_id: uuid.UUID, subject_id: uuid.UUID) -> str:
        token = self._tokens.get(text)
        if token is None:
            token = self._tokens[text] = self._sealer.seal(text, case_id=case_id, subject_id=subject_id)
        return token

    def open(self, token: str) -> str:
        return self._sealer.open(token)


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
        sealer: Sealer | None = None,
        access_log: AccessLog | None = None,
    ) -> None:
        self.store = store
        #: Seals personal text with the person's key before it is stored (#13, ``rehabcore.sealing``); the
        #: same sealer opens it wherever this process decodes, so it is installed for the process.
        self.sealer = sealer
        if sealer is not None:
            sealing.use(sealer)
        #: Where reads that name a reader are recorded (#13, ``rehabcore.access``).
        self.access_log = access_log
        self._born: dict[uuid.UUID, dt.date | None] = {}
        self.ruleset = ruleset
        zone = ZONES[ruleset.jurisdiction]
        self._today = today or (lambda: dt.datetime.now(zone).date())
        self.tenant = tenant
        # Under an organisation a Cases opened for a tenant reads as that tenant: only the cases and entries
        # that name it (#16). Commands are still decided on the whole stream.
        access = ruleset.access
        self._view = (
            TenantView(store, tenant)
            if tenant is not None and access is not None and access.organisation is not None
            else None
        )
        self._max_attempts = max_attempts
        self._cache: OrderedDict[str, _Loaded[Any]] = OrderedDict()
        self._cache_size = cache_size

    # --- writing ----------------------------------------------------------------------------------------

    @observability.traced_handle
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
                return self._handle_once(command, meta, actor)
            except ConcurrencyError:
                if attempt == self._max_attempts - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _handle_once(self, command: cmd.Command, meta: dict[str, Any], actor: cmd.Actor) -> Handled:
        """Load the command's stream, decide, append: the same steps for every command."""
        decider: Decider[Any]
        if isinstance(command, _UNIT_COMMANDS):
            stream, decider = unit_stream(command.unit_id), UNITS
        elif isinstance(command, cmd.MarkIvoReportSubmitted):
            stream, decider = ivo_stream(command.municipality_code), IVO
        else:
            stream, decider = case_stream(command.case_id), CASES
        loaded: _Loaded[Any] = self._load(stream, decider)
        if _handled(loaded.event_ids, command, stream):
            return self._already_handled(stream, command)
        units: dict[uuid.UUID, UnitState] = {}

        def unit(unit_id: uuid.UUID) -> UnitState:
            if unit_id not in units:
                units[unit_id] = self._load(unit_stream(unit_id), UNITS).state
            return units[unit_id]

        ctx = Context(
            today=self._today(),
            ruleset=self.ruleset,
            born_on=self._born_on(command, loaded.state),
            actor=actor,
            tenant=self.tenant,
        )
        history = lambda: entries(self.store.read_stream(stream))  # noqa: E731
        outcome = decider.decide(command, loaded.state, ctx, history, unit)
        # Recorded with the command, so that a replay decides it as of the same day and compares the
        # warnings staff were shown instead of inventing its own (#14).
        shown = [{"rule_id": w.rule_id, "code": w.code} for w in outcome.warnings]
        meta = {**meta, "today": ctx.today.isoformat()}
        if outcome.tenants is not None:  # whom the entries belong to: the case's board, its providers (#16)
            meta["tenants"] = list(outcome.tenants)
        seal = self._seal_for(decider, outcome.after, command, outcome.events)
        writes = [self._write(stream, loaded.state.version, outcome.events, command, meta, seal, shown)]
        writes += [
            self._write(unit_stream(unit_id), units[unit_id].version, events, command, meta, seal)
            for unit_id, events in outcome.places.items()
        ]
        appended = self.store.append(*writes)
        if appended[0].duplicate and writes[0].events:
            # Another process handled the same command id first: its events are the record, and the one
            # that wrote them reports duplicate=False; this one reports what is stored (#14).
            self._cache.pop(stream, None)
            return self._already_handled(stream, command)
        self._remember(stream, loaded, outcome.after, appended[0], writes[0])
        return Handled(outcome.events, outcome.warnings, tuple(appended))

    def _write(
        self,
        stream: str,
        version: int,
        events: Iterable[ev.Event],
        command: cmd.Command,
        meta: dict[str, Any],
        seal: Callable[[Any], Any] | None = None,
        warnings: list[dict[str, str]] | None = None,
    ) -> StreamWrite:
        new = []
        for i, event in enumerate(events):
            name, schema, data = codec.encode_event(event if seal is None else seal(event))
            # The full command rides on the first event of each write; the rest point at it by id.
            extra: dict[str, Any] = {"command": self._stored_command(command, seal)} if i == 0 else {}
            if i == 0 and warnings is not None:
                extra["warnings"] = warnings
            try:
                metadata = orjson.dumps({**meta, **extra})
            except TypeError:  # a lone surrogate in a field of the command that no event carries (#14)
                raise InvalidInput(
                    type(command).__name__, "text must be valid Unicode (no lone surrogates)"
                ) from None
            new.append(NewEvent(event_id(command.command_id, stream, i), name, schema, data, metadata))
        return StreamWrite(stream, new, version)

    def _born_on(self, command: cmd.Command, state: Any) -> dt.date | None:
        """The person's birth date from the vault, for the commands whose age is checked (B22)."""
        person = getattr(self.sealer, "person", None)
        subject = getattr(state, "subject_id", None)
        if person is None or subject is None or not isinstance(command, _AGED):
            return None
        if subject not in self._born:  # a birth date never changes: asked once per person
            if len(self._born) >= self._cache_size:
                self._born.clear()
            self._born[subject] = getattr(person(subject), "birth_date", None)
        return self._born[subject]

    def _seal_for(
        self, decider: Decider[Any], after: Any, command: cmd.Command, events: Sequence[ev.Event]
    ) -> Callable[[Any], Any] | None:
        """What seals a case's personal text under its person's key (None: stored as given, also when
        neither the command nor its events carry personal text, which most do not)."""
        if self.sealer is None or decider is not CASES or after.case_id is None or after.subject_id is None:
            return None
        if not sealing.has_personal_text(command, events):
            return None
        case_id, subject_id = after.case_id, after.subject_id
        # The command in the metadata repeats its events' text: each text is sealed once, for both.
        sealer: Sealer = _Once(self.sealer)

        def seal(item: Any) -> Any:
            if type(item) in _COMMAND_CLASSES:
                raw = codec.unstructure_command(item)
                data = sealing.seal_command(
                    type(item), raw["data"], sealer, case_id=case_id, subject_id=subject_id
                )
                return {**raw, "data": data}
            return sealing.seal_event(item, sealer, case_id=case_id, subject_id=subject_id)

        return seal

    @staticmethod
    def _stored_command(command: cmd.Command, seal: Callable[[Any], Any] | None) -> Any:
        return codec.unstructure_command(command) if seal is None else seal(command)

    def _already_handled(self, stream: str, command: cmd.Command) -> Handled:
        """What the command recorded on ``stream``: its events, found by the ids it gave them.

        The same id with other content is not a retry: :class:`CommandIdReused`, naming the id only.
        """
        command_id = command.command_id
        by_id = {s.event_id: s for s in self.store.read_stream(stream)}
        first = by_id.get(event_id(command_id, stream, 0))
        if first is not None:
            recorded = orjson.loads(first.metadata).get("command")  # None: written without it, not comparable
            if recorded is not None and sealing.open_command(recorded) != orjson.loads(
                orjson.dumps(codec.unstructure_command(command))
            ):
                raise CommandIdReused(command_id)
        mine: list[ev.Event] = []
        while (stored := by_id.get(event_id(command_id, stream, len(mine)))) is not None:
            mine.append(decode(stored))
        return Handled(tuple(mine), (), (), duplicate=True)

    # --- reading ----------------------------------------------------------------------------------------

    def _load(self, stream: str, decider: Decider[S]) -> _Loaded[S]:
        """The stream's state as stored now: the cached state brought up to date, then settled."""
        cached = self._cache.get(stream)
        loaded: _Loaded[S] = (
            _Loaded(decider.initial, set()) if cached is None else _Loaded(cached.state, cached.event_ids)
        )
        newer = self.store.read_stream(stream, after_version=loaded.state.version)
        if newer:  # a cached state was settled when it was cached: only a state read forward needs it
            state, ids, evolve = loaded.state, loaded.event_ids, decider.evolve
            for stored in newer:
                state = evolve(state, decode(stored))
                ids.add(stored.event_id)
            loaded = _Loaded(decider.settle(state, lambda: entries(self.store.read_stream(stream))), ids)
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

    def get(
        self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None, reader: Reader | None = None
    ) -> CaseState:
        """The case as stored now, or as the record stood at ``as_known_at`` (events recorded up to then).

        A ``reader`` (who and why) is recorded in the access log (``access_log=`` of the service).
        """
        stream = case_stream(case_id)
        if self._view is not None and not self._view.read_stream(stream, limit=1):
            raise UnknownCase(case_id)  # not this tenant's case: as if there were none
        if as_known_at is None:
            state = self._load(stream, CASES).state
        else:
            _check_moment("as_known_at", as_known_at)
            known = [s for s in self.store.read_stream(stream) if s.recorded_at <= as_known_at]
            state = fold_effective(entries(known))
        if state.version == 0:
            raise UnknownCase(case_id)
        log_read(self.access_log, reader, case_id=case_id, subject_id=state.subject_id, via="cases.get")
        return state

    def unit(self, unit_id: uuid.UUID) -> UnitState:
        """A unit as stored now."""
        if self._view is not None and not self._view.read_stream(unit_stream(unit_id), limit=1):
            raise UnknownUnit(unit_id)
        state = self._load(unit_stream(unit_id), UNITS).state
        if state.version == 0:
            raise UnknownUnit(unit_id)
        return state

    def ivo_reports(self, municipality_code: str) -> IvoState:
        """The reports a municipality has marked as sent to IVO (empty when none)."""
        return self._load(ivo_stream(municipality_code), IVO).state

    def history(self, case_id: uuid.UUID) -> list[Recorded]:
        """Every event of a case with its envelope, oldest first."""
        reader = self.store if self._view is None else self._view
        found = [recorded(s) for s in reader.read_stream(case_stream(case_id))]
        if not found:
            raise UnknownCase(case_id)
        return found
