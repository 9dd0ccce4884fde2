"""Evolve (and deriving a case anew after a correction) is total: any recorded events, in any order, with
any metadata, fold without raising; and the read models refuse bad questions with typed errors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain import events as ev
from rehabcore.projections import CASES, PLACES, UNITS, MemoryProjectionStore, ReadModels
from rehabcore.streams import Recorded
from rehabcore.testing.strategies import builds

_IDS = st.sampled_from([uuid.UUID(int=n) for n in range(1, 5)])
_EVENTS = st.one_of(*(builds(cls, {uuid.UUID: _IDS}) for cls in (*ev.CASE_EVENT_TYPES, *ev.UNIT_EVENT_TYPES)))
_METADATA = st.one_of(
    st.just({}),
    st.just([]),
    st.just({"actor": None}),
    st.fixed_dictionaries({"actor": st.fixed_dictionaries({"role": st.sampled_from(["case_worker", "x"])})}),
    st.fixed_dictionaries(
        {"actor": st.fixed_dictionaries({"role": st.just("lss_officer"), "unit": st.text(max_size=5)})}
    ),
)


@given(st.lists(st.tuples(_EVENTS, _METADATA), max_size=40))
def test_any_events_fold_without_raising_and_answer_every_question(recorded: list[tuple[Any, Any]]) -> None:
    target = MemoryProjectionStore()
    batch = [
        Recorded(
            position=n,
            stream_id="unit-" + str(uuid.UUID(int=1)) if type(e) in ev.UNIT_EVENT_TYPES else "case-1",
            version=n,
            recorded_at=_T,
            event=e,
            metadata=m,
        )
        for n, (e, m) in enumerate(recorded, 1)
    ]
    for projection in (CASES, UNITS, PLACES):
        mine = [
            r for r in batch if projection.key(r) is not None and type(r.event).__name__ in _names(projection)
        ]
        target.apply(projection, mine, after=0, up_to=len(batch))
    # Derived anew from any history too: entry ids from the same pool the corrections point at.
    history = [(uuid.UUID(int=n), r) for n, r in enumerate(batch, 1)]
    case = CASES.rederive("case-1", history)
    assert CASES.from_rows("case-1", CASES.to_rows(case)) == case
    models = ReadModels(target)
    for on in (dt.date(2025, 1, 1), dt.date(2026, 6, 30)):
        models.stats(on)
        models.placed(on)


_T = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _names(projection: Any) -> set[str]:
    types = projection.types or set()
    return {t.removeprefix("rehab.") for t in types}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda m: m.occupancy("2025-01-01"), "on"),
        (lambda m: m.outcomes(dt.date(2025, 1, 1), period="week"), "period"),
        (lambda m: m.execution_watch(dt.date(2025, 1, 1), threshold_days=0), "threshold_days"),
        (lambda m: m.ending_without_follow_up(dt.date(2025, 1, 1), notice_days=True), "notice_days"),
    ],
)
def test_bad_questions_are_refused_with_the_field_named(call: Any, field: str) -> None:
    with pytest.raises(rc.InvalidInput) as refused:
        call(ReadModels(MemoryProjectionStore()))
    assert refused.value.field == field
