"""The peer: the same cases as ``eventsourcing`` aggregates, saved and read through its Application.

Each rehabcore event type has an ``EsCase`` event class with the same field names; the payload is the same
values (UUIDs and dates typed, enums by value, nested values as dicts), so the stored JSON is of the same
size. Applying an event files it in the aggregate by kind, the bookkeeping a case aggregate would do. The
peer does not run rehabcore's rules, audit metadata or hash chain: that work is rehabcore's alone.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Transcoding

from benchmarks.workload import Workload, plain
from rehabcore.domain import events as ev


class DateAsISO(Transcoding):
    """``datetime.date`` as ``YYYY-MM-DD`` (the peer ships UUID and datetime transcodings, not date)."""

    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)


class EsCase(Aggregate):
    """A case: its opening, and the events it recorded, filed by kind and id."""

    def __init__(
        self,
        occurred_on: dt.date,
        case_id: uuid.UUID,
        subject_id: uuid.UUID,
        jurisdiction: str,
        municipality_code: str,
        source: str,
        board_id: uuid.UUID | None = None,
    ) -> None:
        self.opened_on = occurred_on
        self.subject_id = subject_id
        self.jurisdiction = jurisdiction
        self.municipality_code = municipality_code
        self.status = "open"
        self.by_kind: dict[str, dict[Any, Any]] = {}

    class Opened(Aggregate.Created):
        occurred_on: dt.date
        case_id: uuid.UUID
        subject_id: uuid.UUID
        jurisdiction: str
        municipality_code: str
        source: str
        board_id: uuid.UUID | None  # #16: the responsible board, when the case names one


class EsUnit(Aggregate):
    """A unit: its registration and the places taken and released."""

    def __init__(
        self,
        occurred_on: dt.date,
        unit_id: uuid.UUID,
        name: str,
        kind: str,
        jurisdiction: str,
        capacity: int,
        offers: list[str],
    ) -> None:
        self.name = name
        self.capacity = capacity
        self.offers = offers
        self.places: dict[uuid.UUID, list[dt.date | None]] = {}

    class Registered(Aggregate.Created):
        occurred_on: dt.date
        unit_id: uuid.UUID
        name: str
        kind: str
        jurisdiction: str
        capacity: int
        offers: list[str]

    class PlaceTaken(Aggregate.Event):
        occurred_on: dt.date
        placement_id: uuid.UUID
        case_id: uuid.UUID
        over_capacity_reason: str | None
        kind: str | None  # #12: the kind of placement holding the place

        def apply(self, unit: EsUnit) -> None:
            unit.places[self.placement_id] = [self.occurred_on, None]

    class PlaceReleased(Aggregate.Event):
        occurred_on: dt.date
        placement_id: uuid.UUID

        def apply(self, unit: EsUnit) -> None:
            unit.places[self.placement_id][1] = self.occurred_on


def _file(event: Any, case: EsCase) -> None:
    key = next((v for k, v in vars(event).items() if k.endswith("_id") and k != "originator_id"), None)
    case.by_kind.setdefault(type(event).__name__, {})[key or event.originator_version] = event


def _case_event_class(cls: type) -> type:
    names = [a.name for a in cls.__attrs_attrs__]  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {
        "__annotations__": dict.fromkeys(names, Any),
        "__module__": __name__,
        "__qualname__": f"EsCase.{cls.__name__}",
        "apply": _file,
    }
    event_cls = type(cls.__name__, (EsCase.Event,), namespace)
    setattr(EsCase, cls.__name__, event_cls)
    return event_cls


CASE_EVENTS: dict[type, type] = {
    cls: _case_event_class(cls) for cls in ev.CASE_EVENT_TYPES if cls is not ev.CaseOpened
}
UNIT_EVENTS: dict[type, type] = {ev.PlaceTaken: EsUnit.PlaceTaken, ev.PlaceReleased: EsUnit.PlaceReleased}


class Bench(Application[uuid.UUID]):
    """The peer's application with a date transcoding registered."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def _payload(event: Any) -> dict[str, Any]:
    return plain(event)  # type: ignore[no-any-return]


class Prepared:
    """The workload's events as the peer's keyword arguments, built once, outside any timing."""

    def __init__(self, workload: Workload) -> None:
        self.workload = workload
        self.units = [_payload(e) for e in workload.unit_events]
        self.steps = [
            (
                case.case_id,
                [(type(e), _payload(e)) for e in step.case_events],
                step.unit_id,
                [(UNIT_EVENTS[type(e)], _payload(e)) for e in step.unit_events],
            )
            for case, step in workload.interleaved_steps()
        ]


def make_app(env: dict[str, str]) -> Bench:
    """An application on the given persistence environment (POPO when empty)."""
    return Bench(env=env)


def register_units(app: Bench, prepared: Prepared) -> None:
    """Save the units (before any timing)."""
    for payload in prepared.units:
        app.save(EsUnit._create(EsUnit.Registered, id=payload["unit_id"], **payload))


def command_cycle(app: Bench, prepared: Prepared) -> int:
    """One save per command: get the case (and unit), trigger its events, save them together."""
    n = 0
    get = app.repository.get
    for case_id, case_events, unit_id, unit_events in prepared.steps:
        first_cls, first = case_events[0]
        if first_cls is ev.CaseOpened:
            case = EsCase._create(EsCase.Opened, id=case_id, **first)
            rest = case_events[1:]
        else:
            case = get(case_id)
            rest = case_events
        for cls, payload in rest:
            case.trigger_event(CASE_EVENTS[cls], **payload)
        if unit_id is not None:
            unit = get(unit_id)
            for ucls, payload in unit_events:
                unit.trigger_event(ucls, **payload)
            app.save(case, unit)
        else:
            app.save(case)
        n += len(case_events) + len(unit_events)
    return n


def bulk_save(app: Bench, prepared: Prepared) -> int:
    """One save per case: the whole case's events in one ``Application.save``."""
    n = 0
    current = None
    case: Any = None
    for case_id, case_events, _, _ in prepared.steps:
        if case_id != current:
            if case is not None:
                app.save(case)
            current = case_id
            case = EsCase._create(EsCase.Opened, id=case_id, **case_events[0][1])
            case_events = case_events[1:]
            n += 1
        for cls, payload in case_events:
            case.trigger_event(CASE_EVENTS[cls], **payload)
            n += 1
    if case is not None:
        app.save(case)
    return n


def load_all(app: Bench, prepared: Prepared) -> int:
    """Get every case from the repository; returns the events folded."""
    n = 0
    for case in prepared.workload.cases:
        n += app.repository.get(case.case_id).version
    return n


def replay_all(app: Bench, page: int = 1000) -> int:
    """Every stored event in order from the notification log, decoded to its domain event."""
    select = app.recorder.select_notifications  # type: ignore[attr-defined]
    to_event = app.mapper.to_domain_event
    n, start = 0, 1
    while True:
        notes = select(start=start, limit=page)
        for note in notes:
            to_event(note)
        n += len(notes)
        if len(notes) < page:
            return n
        start = notes[-1].id + 1


def env_for(backend: str, where: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The peer's persistence settings for a backend, with ``where`` naming the database."""
    if backend == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    return {**where(), "PERSISTENCE_MODULE": f"eventsourcing.{backend}"}


assert os  # (kept for callers that set environment variables)
