"""The case status machine (``domain/status.py``): one place, and the events a fold may skip truly change
nothing."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabcore.domain import events as ev
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.status import MOVES_STATUS, status_after
from rehabcore.testing.strategies import builds

STILL = [cls for cls in typing.get_args(ev.CaseEvent) if cls not in MOVES_STATUS]


@pytest.mark.parametrize("cls", STILL, ids=lambda c: c.__name__)
@settings(max_examples=10)  # per event type: the rule has no branch on the event's values
@given(data=st.data(), status=st.sampled_from(CaseStatus), any_open=st.booleans())
def test_an_event_outside_moves_status_leaves_the_status_as_it_is(
    cls: type[ev.CaseEvent], data: st.DataObject, status: CaseStatus, any_open: bool
) -> None:
    event = data.draw(builds(cls))
    assert status_after(status, event, lambda: any_open) is status


def test_the_last_placement_ending_puts_an_active_case_back_to_assessing() -> None:
    ended = typing.cast(ev.PlacementEnded, object.__new__(ev.PlacementEnded))
    assert status_after(CaseStatus.ACTIVE, ended, lambda: False) is CaseStatus.ASSESSING
    assert status_after(CaseStatus.ACTIVE, ended, lambda: True) is CaseStatus.ACTIVE
    assert status_after(CaseStatus.EXITED, ended, lambda: False) is CaseStatus.EXITED
