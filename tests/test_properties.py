"""Hypothesis properties of the domain core, run through the real Cases service on InMemoryStore.

For random command sequences: every command is either rejected by a named rule (writing nothing) or yields
events that fold without error; on every reachable state the invariants hold; folding the stored events
again gives the live state; every event type survives the codec.
"""

import datetime as dt

import orjson
from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import continuity, fold_case, fold_unit
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.state import CaseState, CaseStatus, UnitState
from rehabcore.testing import strategies as rs

TODAY = rs.BASE_DATE + dt.timedelta(days=400)
ACTOR = rc.Actor(id="hand-001", role=v.Role.CASE_WORKER)
POOLS = rs.Pools.fresh()


def _run(script: list[cmd.Command]) -> tuple[rc.Cases, list[tuple[cmd.Command, CaseState, CaseState]]]:
    cases = rc.Cases(rc.InMemoryStore(), today=lambda: TODAY)
    steps = []
    before = CaseState()
    for command in script:
        head = cases.store.head_position()
        try:
            cases.handle(command, actor=ACTOR)
        except rc.RuleViolation as err:
            assert err.rule_id != "?" and str(err)
            assert cases.store.head_position() == head, "a rejected command wrote something"
            continue
        if isinstance(command, cmd.RegisterUnit):
            continue
        after = cases.get(POOLS.case_id)
        steps.append((command, before, after))
        before = after
    return cases, steps


def _check_invariants(state: CaseState, units: list[UnitState]) -> None:
    assert state.opened_on is not None
    for p in state.placements.values():
        assert p.start_on >= state.opened_on
        assert p.end_on is None or p.end_on >= p.start_on - dt.timedelta(days=1)
    until = state.closed_on or state.last_occurred_on
    assert until is not None
    assert not continuity.days_left_without(state, until), "B9: an LSS participant was left without one"
    assert not continuity.days_at_two(state), "B9: at two daily activities on one day"
    for d in state.decisions.values():
        assert d.made.valid_to is None or d.made.valid_to >= d.made.valid_from
    for u in units:
        day = rs.BASE_DATE
        while day <= TODAY + dt.timedelta(days=60):
            assert u.occupied_on(day) <= u.capacity_on(day), "B15: a unit holds more placements than places"
            day += dt.timedelta(days=3)


@given(rs.case_scripts(POOLS))
def test_random_commands_are_rejected_by_a_rule_or_keep_every_invariant(script: list[cmd.Command]) -> None:
    cases, steps = _run(script)
    units = [cases.unit(u) for u in POOLS.units]
    for command, before, after in steps:
        if before.status is CaseStatus.CLOSED:
            assert isinstance(command, cmd.ReopenCase), "B3: something other than reopening after closing"
        _check_invariants(after, units)


@given(rs.case_scripts(POOLS))
def test_folding_the_stored_events_again_gives_the_live_state(script: list[cmd.Command]) -> None:
    cases, _ = _run(script)
    stored = [r.event for r in cases.history(POOLS.case_id)]
    assert fold_case(stored) == cases.get(POOLS.case_id)  # type: ignore[arg-type]
    for unit_id in POOLS.units:
        unit_events = [
            codec.decode_event(s.type, s.schema_version, s.data)
            for s in cases.store.read_stream(rc.unit_stream(unit_id))
        ]
        assert fold_unit(unit_events) == cases.unit(unit_id)  # type: ignore[arg-type]


@given(rs.case_scripts(POOLS))
def test_handling_accepted_commands_again_writes_nothing_new(script: list[cmd.Command]) -> None:
    cases, steps = _run(script)
    head = cases.store.head_position()
    for command, _, _ in steps:
        assert cases.handle(command, actor=ACTOR).duplicate
    assert cases.store.head_position() == head


@given(rs.events())
def test_every_event_survives_the_codec(event: ev.Event) -> None:
    name, version, data = codec.encode_event(event)
    assert codec.decode_event(name, version, data) == event
    assert codec.dumps(codec.decode_event(name, version, data)) == data


@given(rs.commands())
def test_every_command_survives_the_codec(command: cmd.Command) -> None:
    raw = codec.unstructure_command(command)
    assert codec.structure_command(orjson.loads(orjson.dumps(raw))) == command


@given(st.data())
def test_strategies_cover_every_event_and_command_type(data: st.DataObject) -> None:
    events = (*ev.CASE_EVENT_TYPES, *ev.UNIT_EVENT_TYPES, *ev.IVO_EVENT_TYPES)
    for cls in (*events, *cmd.CASE_COMMAND_TYPES, *cmd.UNIT_COMMAND_TYPES, *cmd.IVO_COMMAND_TYPES):
        assert isinstance(data.draw(rs.builds(cls)), cls)
    assert len(codec.EVENT_TYPES) == len(events)
