"""The recording table: every command/event pair maps both ways, field by field, derived from the classes."""

from __future__ import annotations

import typing

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import recording
from rehabcore.domain import vocabulary as v
from rehabcore.domain.recording import RECORDINGS, STREAM_FIELDS, Recording
from rehabcore.errors import InvalidInput
from rehabcore.testing.strategies import builds

#: Events no command asks for by itself: a unit's places follow the case's placements (``places.py``).
NOT_RECORDED_ALONE = {ev.PlaceTaken, ev.PlaceReleased, ev.PlaceWithdrawn}


def _names(cls: type) -> set[str]:
    return {f.name for f in attrs.fields(cls)}


def test_every_command_and_every_event_has_one_line() -> None:
    assert {r.command for r in RECORDINGS} == set(typing.get_args(cmd.Command))
    assert {r.event for r in RECORDINGS} == set(typing.get_args(ev.Event)) - NOT_RECORDED_ALONE
    assert len({r.command for r in RECORDINGS}) == len({r.event for r in RECORDINGS}) == len(RECORDINGS)


@pytest.mark.parametrize("line", RECORDINGS, ids=lambda r: r.command.__name__)
def test_every_field_maps_both_ways(line: Recording) -> None:
    sources = line.sources()
    # Every event field comes from a command field ...
    assert set(sources) == _names(line.event), f"{line.event.__name__} fields with no source on the command"
    # ... and every command field but the stream's and the command's own ids lands on the event.
    taken = set(sources.values())
    left = _names(line.command) - taken - set(STREAM_FIELDS)
    assert not left, f"{line.command.__name__} fields the event does not record: {sorted(left)}"
    assert sources["occurred_on"] == line.date
    hints_c, hints_e = typing.get_type_hints(line.command), typing.get_type_hints(line.event)
    for event_field, command_field in sources.items():
        assert hints_c[command_field] == hints_e[event_field], f"{line.event.__name__}.{event_field}"


@pytest.mark.parametrize("line", RECORDINGS, ids=lambda r: r.command.__name__)
@settings(max_examples=10)  # 24 lines: the property is per line, ten commands each are plenty
@given(data=st.data())
def test_a_command_records_its_event_and_the_event_gives_the_command_back(
    line: Recording, data: st.DataObject
) -> None:
    command = data.draw(builds(line.command))
    event = recording.record(command)
    assert type(event) is line.event
    for event_field, command_field in line.sources().items():
        assert getattr(event, event_field) == getattr(command, command_field)
    stream_id = getattr(command, "case_id", None) or getattr(command, "unit_id", None)
    back = recording.command_for(event, stream_id)
    assert attrs.evolve(back, command_id=command.command_id) == command


def test_a_value_in_the_wrong_field_is_refused_when_the_event_is_built() -> None:
    closed = ev.CaseClosed(occurred_on="2026-01-01", reason=v.CloseReason.MOVED)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"CaseClosed\.occurred_on"):
        recording.check_event(closed)


def test_the_type_tables_are_read_off_the_unions() -> None:
    assert {cls for cls, _ in codec.EVENT_TYPES.values()} == set(typing.get_args(ev.Event))
    assert set(codec.COMMAND_TYPES.values()) == set(typing.get_args(cmd.Command))
    assert typing.get_args(ev.CaseEvent) == ev.CASE_EVENT_TYPES
    assert typing.get_args(cmd.CaseCommand) == cmd.CASE_COMMAND_TYPES


def test_a_line_that_maps_fields_of_different_types_is_refused() -> None:
    swapped = Recording(
        command=cmd.MakeDecision, event=ev.DecisionMade, date="decided_on", renamed={"valid_to": "valid_from"}
    )
    with pytest.raises(TypeError, match="valid_from"):
        recording._same_types(swapped)
