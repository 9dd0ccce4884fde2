"""A case's record for audit: every entry with its envelope, its correction status, and the two clocks.

* *As known at T* (recording time): only the entries recorded up to ``T``, and only the corrections recorded
  up to ``T`` applied to them. This is what the record said at that moment.
* *On date D* (business time): what was in force, active and open on ``D``, read from the folded state.

Both can be asked at once: the situation on ``D`` as the record stood at ``T``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import attrs
import orjson

from rehabcore import sealing, streams
from rehabcore.domain import events as ev
from rehabcore.domain.corrections import effective, fold_effective
from rehabcore.domain.state import CaseState, Consent, Decision, Goal, Placement
from rehabcore.domain.validation import check_for
from rehabcore.domain.vocabulary import GoalResult
from rehabcore.errors import DecodeError, InvalidInput, UnknownCase
from rehabcore.imports import import_of
from rehabcore.store import EventStore, StoredEvent
from rehabcore.streams import case_stream

_check_moment = check_for(dt.datetime)
_check_date = check_for(dt.date)


class UnreadableEntry(DecodeError):
    """A stored row of the record does not decode: altered behind rehabcore's back, or from a newer rehabcore.

    The message names the stream and version only: the row's type and payload are not to be trusted or shown.
    """

    def __init__(self, stream_id: str, version: int, type_name: str, problem: str) -> None:
        super().__init__(type_name, problem)
        self.stream_id = stream_id
        self.version = version
        self.args = (
            f"entry v{version} of {stream_id} cannot be read as a rehabcore event; "
            "`rehabcore verify` tells whether it was altered",
        )


def decode(s: StoredEvent) -> ev.Event:
    """The event of a stored row, or :class:`UnreadableEntry` naming where it is."""
    try:
        return streams.decode(s)
    except DecodeError as err:
        raise UnreadableEntry(s.stream_id, s.version, err.type_name, err.problem) from None


@attrs.frozen
class Provenance:
    """Who recorded an entry, for whom, under which rules, and in answer to which command."""

    actor_id: str | None
    role: str | None
    unit: str | None
    tenant: str | None
    correlation_id: str | None
    causation_id: str | None
    command_id: str | None
    ruleset: str | None
    #: The full command, on the first entry a command wrote (``{"type": …, "data": …}``), else None.
    command: dict[str, Any] | None
    #: The import batch that appended the entry directly (batch_id, actor, source), if one did.
    imported: dict[str, str] | None = None
    #: The day the command was decided as of (``"today"`` in the metadata, ISO date), when recorded.
    today: dt.date | None = None
    #: The warnings shown to staff when the command was handled (``"warnings"``: ``[{"rule_id", "code"}]``),
    #: when recorded; None when the recorder did not keep them.
    warnings: tuple[tuple[str, str], ...] | None = None

    @classmethod
    def from_metadata(cls, raw: bytes) -> Provenance:
        """Read the envelope metadata, tolerating what is missing (a missing part is itself a finding)."""
        try:
            meta = orjson.loads(raw)
        except orjson.JSONDecodeError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        actor: dict[str, Any] = meta["actor"] if isinstance(meta.get("actor"), dict) else {}
        return cls(
            actor.get("id"),
            actor.get("role"),
            actor.get("unit"),
            meta.get("tenant"),
            meta.get("correlation_id"),
            meta.get("causation_id"),
            meta.get("command_id"),
            meta.get("ruleset"),
            sealing.open_command(meta["command"]) if isinstance(meta.get("command"), dict) else None,
            import_of(raw),
            _day(meta.get("today")),
            _warnings(meta.get("warnings")),
        )


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _warnings(value: Any) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(value, list):
        return None
    found = []
    for w in value:
        if (
            not isinstance(w, dict)
            or not isinstance(w.get("rule_id"), str)
            or not isinstance(w.get("code"), str)
        ):
            return None
        found.append((w["rule_id"], w["code"]))
    return tuple(sorted(found))


@attrs.frozen
class Entry:
    """One recorded event of a case, with its envelope and what later corrections did to it."""

    position: int
    version: int
    event_id: uuid.UUID
    recorded_at: dt.datetime
    event: ev.CaseEvent
    provenance: Provenance
    #: The event as it counts now: the latest correction's replacement, or None when retracted (or when the
    #: entry is itself a correction).
    effective: ev.CorrectableEvent | None
    #: Ids of the corrections and retraction of this entry, oldest first.
    corrected_by: tuple[uuid.UUID, ...] = ()
    retracted_by: uuid.UUID | None = None

    @property
    def is_correction(self) -> bool:
        """A correction or retraction of another entry."""
        return isinstance(self.event, ev.EntryCorrected | ev.EntryRetracted)


@attrs.frozen
class Situation:
    """What was in force, active and open on a business date."""

    on: dt.date
    decisions_in_force: tuple[Decision, ...]
    active_placements: tuple[Placement, ...]
    interrupted_placements: tuple[Placement, ...]
    open_goals: tuple[Goal, ...]
    consents_active: tuple[Consent, ...]


@attrs.frozen
class CaseRecord:
    """A case's entries (as known at a moment, or now) and the state they fold to."""

    case_id: uuid.UUID
    entries: tuple[Entry, ...]
    as_known_at: dt.datetime | None = None

    @property
    def state(self) -> CaseState:
        """The case folded from its effective history."""
        return fold_effective((e.event_id, e.event) for e in self.entries)

    def situation(self, on: dt.date) -> Situation:
        """The situation on business date ``on``."""
        _check_date("on", on)
        s = self.state
        active = s.active_placements(on)
        return Situation(
            on,
            tuple(s.decisions_in_force(on)),
            tuple(p for p in active if not p.is_interrupted_on(on)),
            tuple(p for p in active if p.is_interrupted_on(on)),
            tuple(g for g in s.goals.values() if _open_on(g, on)),
            tuple(c for c in s.consents.values() if c.active(on)),
        )


def _open_on(goal: Goal, on: dt.date) -> bool:
    if goal.set.occurred_on > on:
        return False
    results = [result for day, result in goal.results if day <= on]
    return not results or results[-1] not in (GoalResult.ACHIEVED, GoalResult.DROPPED)


def load_case(store: EventStore, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None) -> CaseRecord:
    """A case's record now, or as it stood at ``as_known_at``; raise if there is no such case then."""
    stream = case_stream(case_id)
    stored = store.read_stream(stream)
    if not stored:
        raise UnknownCase(case_id)
    if as_known_at is not None:
        _check_moment("as_known_at", as_known_at)
        first = min(s.recorded_at for s in stored)
        if as_known_at < first:
            raise InvalidInput(
                "as_known_at",
                f"{as_known_at.isoformat()} is before case {case_id} was first recorded "
                f"({first.isoformat()}); give a later moment",
            )
        stored = [s for s in stored if s.recorded_at <= as_known_at]
    return CaseRecord(case_id, tuple(entries(stored)), as_known_at)


def entries(stored: Sequence[StoredEvent]) -> list[Entry]:
    """Decode a case stream and mark what its corrections did to each entry."""
    decoded: list[tuple[StoredEvent, ev.CaseEvent]] = [
        (s, decode(s))  # type: ignore[misc]
        for s in stored
    ]
    now = dict(effective((s.event_id, e) for s, e in decoded))
    corrected: dict[uuid.UUID, list[uuid.UUID]] = {}
    retracted: dict[uuid.UUID, uuid.UUID] = {}
    for s, e in decoded:
        if isinstance(e, ev.EntryCorrected):
            corrected.setdefault(e.corrected_event_id, []).append(s.event_id)
        elif isinstance(e, ev.EntryRetracted):
            retracted[e.retracted_event_id] = s.event_id
    return [
        Entry(
            s.position,
            s.version,
            s.event_id,
            s.recorded_at,
            e,
            Provenance.from_metadata(s.metadata),
            now.get(s.event_id),
            tuple(corrected.get(s.event_id, ())),
            retracted.get(s.event_id),
        )
        for s, e in decoded
    ]
