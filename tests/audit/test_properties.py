"""Hypothesis properties of the two clocks, corrections and replay, through the real Cases service.

For random rule-abiding histories with random corrections and retractions in the middle:

* the case *as known at T* (``Cases.get(as_known_at=T)`` and ``Audit.state``) is exactly what the live
  service said at T, for T at and between recorded writes: the as-of view folds the prefix recorded up to T;
* the units' places agree with the corrected case (every correction moved its places along);
* replaying a case twice gives identical reports, and a history made by the rules replays without a
  divergence (every command decides the same again, on the day it was recorded).
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import codec
from rehabcore.audit import Audit, replay_json
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.corrections import fold_effective
from rehabcore.domain.state import CaseState
from rehabcore.testing import strategies as rs

TODAY = rs.BASE_DATE + dt.timedelta(days=400)
ACTOR = rc.Actor(id="hand-001", role=v.Role.CASE_WORKER, unit="AME")
POOLS = rs.Pools.fresh()
CASE = POOLS.case_id

# What to do to an earlier entry: (which one, counted back from the newest; shift its date by n days, or
# retract it when n is 0). Recent entries and small shifts, so that many corrections pass the rules.
corrections = st.lists(st.tuples(st.integers(0, 8), st.integers(-4, 4)), max_size=4)


class Clock:
    """Recording time on TODAY, one second per write, so a replay decides on the day it was recorded."""

    def __init__(self) -> None:
        self.now = dt.datetime.combine(TODAY, dt.time(8), tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def _record(
    script: list[cmd.Command], fixes: list[tuple[int, int]]
) -> tuple[rc.Cases, list[tuple[dt.datetime, CaseState]]]:
    """Run the script with the corrections two thirds in; return the live states seen after each write."""
    clock = Clock()
    cases = rc.Cases(rc.InMemoryStore(clock=clock), today=lambda: TODAY)
    seen: list[tuple[dt.datetime, CaseState]] = []

    def attempt(command: cmd.Command) -> None:
        head = cases.store.head_position()
        try:
            cases.handle(command, actor=ACTOR)
        except rc.RuleViolation:
            assert cases.store.head_position() == head, "a rejected command wrote something"
            return
        if cases.store.head_position() != head and cases.store.read_stream(rc.case_stream(CASE)):
            seen.append((clock.now, cases.get(CASE)))

    half = len(script) * 2 // 3
    for command in script[:half]:
        attempt(command)
    for which, days in fixes:
        fix = _correction(cases, which, days)
        if fix is not None:
            attempt(fix)
    for command in script[half:]:
        attempt(command)
    return cases, seen


def _correction(cases: rc.Cases, which: int, days: int) -> cmd.Command | None:
    if not cases.store.read_stream(rc.case_stream(CASE)):
        return None
    live = [e for e in Audit(cases.store).record(CASE).entries if e.effective is not None]
    target = live[-1 - which % len(live)]
    assert target.effective is not None
    if days == 0:
        return cmd.RetractEntry(
            case_id=CASE, event_id=target.event_id, retracted_on=TODAY, reason="fel ärende"
        )
    moved = attrs.evolve(target.effective, occurred_on=target.effective.occurred_on + dt.timedelta(days=days))
    return cmd.CorrectEntry(
        case_id=CASE, event_id=target.event_id, corrected_on=TODAY, replacement=moved, reason="fel datum"
    )


@given(rs.case_scripts(POOLS, max_size=16), corrections, st.data())
def test_the_case_as_known_at_t_is_what_the_record_said_at_t(
    script: list[cmd.Command], fixes: list[tuple[int, int]], data: st.DataObject
) -> None:
    cases, seen = _record(script, fixes)
    if not seen:
        return
    audit = Audit(cases.store)
    stored = cases.store.read_stream(rc.case_stream(CASE))
    for moment, state in seen:
        for t in (moment, moment + dt.timedelta(milliseconds=500)):  # at a write, and between two writes
            assert cases.get(CASE, as_known_at=t) == state
            assert audit.state(CASE, as_known_at=t) == state
            prefix = [(s.event_id, _decoded(s)) for s in stored if s.recorded_at <= t]
            assert fold_effective(prefix) == state  # the prefix recorded up to T, folded
    assert cases.get(CASE) == seen[-1][1] == rc.Cases(cases.store).get(CASE)


@given(rs.case_scripts(POOLS, max_size=16), corrections)
def test_the_units_places_follow_the_corrected_case(
    script: list[cmd.Command], fixes: list[tuple[int, int]]
) -> None:
    cases, seen = _record(script, fixes)
    if not seen:
        return
    state = cases.get(CASE)
    for unit_id in POOLS.units:
        places = cases.unit(unit_id).places
        mine = {pid for pid, p in state.placements.items() if p.unit_id == unit_id}
        assert set(places) == mine
        for pid in mine:
            p = state.placements[pid]
            assert (places[pid].taken_on, places[pid].released_on) == (p.start_on, p.end_on)


@given(rs.case_scripts(POOLS, max_size=16), corrections)
def test_replaying_twice_gives_identical_reports_without_divergence(
    script: list[cmd.Command], fixes: list[tuple[int, int]]
) -> None:
    cases, seen = _record(script, fixes)
    if not seen:
        return
    first = Audit(cases.store).replay(CASE)
    second = Audit(rc.Cases(cases.store).store).replay(CASE)
    assert first == second
    assert replay_json(first) == replay_json(second)
    assert first.divergences == (), [str(d) for d in first.divergences]
    recorded = cases.store.read_stream(rc.case_stream(CASE))
    assert sum(len(s.versions) for s in first.steps) == len(recorded)
    assert json.loads(replay_json(first))["case_id"] == str(CASE)
    corrections_seen = [e for e in Audit(cases.store).record(CASE).entries if e.is_correction]
    assert all(isinstance(e.event, ev.EntryCorrected | ev.EntryRetracted) for e in corrections_seen)


def _decoded(s: rc.StoredEvent) -> ev.CaseEvent:
    event = codec.decode_event(s.type, s.schema_version, s.data)
    assert isinstance(event, ev.CaseEvent)
    return event


def test_the_histories_do_carry_accepted_corrections_and_retractions() -> None:
    """The properties above are about corrected histories: the generator reaches some the rules let in."""

    def corrected_and_retracted(drawn: tuple[list[cmd.Command], list[tuple[int, int]]]) -> bool:
        cases, _ = _record(*drawn)
        if not cases.store.read_stream(rc.case_stream(CASE)):
            return False
        kinds = {type(e.event) for e in Audit(cases.store).record(CASE).entries}
        return {ev.EntryCorrected, ev.EntryRetracted} <= kinds

    find(
        st.tuples(rs.case_scripts(POOLS, max_size=16), corrections),
        corrected_and_retracted,
        settings=settings(max_examples=500, database=None, derandomize=True, phases=[Phase.generate]),
    )
