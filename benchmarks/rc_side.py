"""rehabcore: the same workload through ``Cases`` (command cycle, loads) and the store port (bulk, replay)."""

from __future__ import annotations

from benchmarks.workload import ACTOR, Workload, today
from rehabcore import Cases, EventStore, NewEvent, StreamWrite, case_stream, codec, new_event_id


def register_units(store: EventStore, workload: Workload) -> None:
    """Register the units (before any timing)."""
    cases = Cases(store, today=today)
    for command in workload.units:
        cases.handle(command, actor=ACTOR)


def command_cycle(store: EventStore, workload: Workload) -> int:
    """One append per command through ``Cases.handle``: load (cached), decide, append, review."""
    cases = Cases(store, today=today)
    n = 0
    for _, step in workload.interleaved_steps():
        handled = cases.handle(step.command, actor=ACTOR)
        n += len(handled.events) + len(step.unit_events)
    return n


def bulk_append(store: EventStore, workload: Workload) -> int:
    """One append per case: every event of the case encoded and written in one ``StreamWrite``.

    The ids are ``rehabcore.new_event_id()`` (time-ordered), as the docs advise for direct appends.
    """
    n = 0
    for case in workload.cases:
        new = []
        for event in case.events:
            name, schema, data = codec.encode_event(event)
            new.append(NewEvent(new_event_id(), name, schema, data))
        store.append(StreamWrite(case_stream(case.case_id), new, 0))
        n += len(new)
    return n


def load_all(store: EventStore, workload: Workload) -> int:
    """``Cases.get`` every case on a fresh service (nothing cached): read, decode, fold."""
    cases = Cases(store, today=today)
    n = 0
    for case in workload.cases:
        n += cases.get(case.case_id).version
    return n


def replay_all(store: EventStore) -> int:
    """Every event in order through ``read_all``, decoded to its typed event."""
    decode = codec.decode_event
    n = 0
    for stored in store.read_all():
        decode(stored.type, stored.schema_version, stored.data)
        n += 1
    return n
