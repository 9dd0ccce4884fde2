"""``replace`` builds exactly what ``attrs.evolve`` builds, for the folded state classes only."""

from __future__ import annotations

import datetime as dt
import functools
import uuid

import attrs
import pytest

from rehabcore.domain.replace import replace
from rehabcore.domain.state import CaseState, CaseStatus, Place, UnitState
from rehabcore.domain.vocabulary import GoalOutcome, GoalResult


def test_replace_equals_attrs_evolve_and_leaves_the_original() -> None:
    before = CaseState(status=CaseStatus.REFERRED, version=3, municipality_code="2284")
    after = replace(before, status=CaseStatus.ACTIVE, opened_on=dt.date(2026, 3, 2))
    assert after == attrs.evolve(before, status=CaseStatus.ACTIVE, opened_on=dt.date(2026, 3, 2))
    assert before.status is CaseStatus.REFERRED and before.opened_on is None
    assert after.consents is before.consents  # a shallow copy, as attrs.evolve makes


def test_replace_with_no_changes_is_an_equal_copy() -> None:
    unit = UnitState(
        version=2, places={uuid.uuid4(): Place(case_id=uuid.uuid4(), taken_on=dt.date(2026, 1, 5))}
    )
    copy = replace(unit)
    assert copy == unit and copy is not unit


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(TypeError, match="sttus"):
        replace(CaseState(), sttus=CaseStatus.ACTIVE)


def test_a_class_that_checks_its_values_is_refused() -> None:
    # GoalOutcome validates on construction: a copy that skipped __init__ would skip the check.
    outcome = GoalOutcome(goal_id=uuid.uuid4(), result=GoalResult.ACHIEVED)
    with pytest.raises(TypeError, match=r"use attrs\.evolve"):
        replace(outcome, result=GoalResult.DROPPED)


def test_a_slotted_class_is_copied_slot_by_slot() -> None:
    @attrs.frozen
    class Slotted:
        a: int
        b: str = "x"

    assert replace(Slotted(1), b="y") == Slotted(1, "y")
    with pytest.raises(TypeError):
        replace(Slotted(1), c=2)


def test_a_class_that_caches_what_it_derives_from_its_fields_is_refused() -> None:
    @attrs.frozen(slots=False, cache_hash=True)
    class HashCached:
        a: int

    @attrs.frozen(slots=False)
    class PropertyCached:
        a: int

        @functools.cached_property
        def double(self) -> int:
            return 2 * self.a

    for cls in (HashCached, PropertyCached):
        with pytest.raises(TypeError, match="caches"):
            replace(cls(1), a=2)
