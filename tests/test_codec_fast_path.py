"""The codec's fast read path (cached hooks, specialised optional/tuple hooks, parsed-UUID cache) decodes
exactly what the detailed converter accepts, and a bad payload still raises DecodeError naming the field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehabcore import DecodeError, codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import FollowUpStatus, GoalOutcome, GoalResult, Participation
from rehabcore.testing import strategies

GOAL_1, GOAL_2 = uuid.uuid4(), uuid.uuid4()


def follow_up(next_on: dt.date | None = dt.date(2026, 3, 1)) -> ev.FollowUpRecorded:
    return ev.FollowUpRecorded(
        occurred_on=dt.date(2026, 1, 10),
        follow_up_id=uuid.uuid4(),
        goal_results=(
            GoalOutcome(GOAL_1, GoalResult.PARTLY_ACHIEVED),
            GoalOutcome(GOAL_2, GoalResult.NOT_ACHIEVED),
        ),
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
        next_follow_up_on=next_on,
    )


def raw_of(event: ev.Event) -> tuple[str, int, dict[str, Any]]:
    name, version, data = codec.encode_event(event)
    return name, version, orjson.loads(data)


@pytest.mark.parametrize("next_on", [dt.date(2026, 3, 1), None])
def test_round_trip_many_times_gives_equal_events(next_on: dt.date | None) -> None:
    event = follow_up(next_on)
    for _ in range(3):  # the second and later reads hit the cached hooks and the UUID cache
        assert codec.decode_event(*codec.encode_event(event)) == event


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda raw: raw.update(goal_results=5), "goal_results"),
        (lambda raw: raw["goal_results"][1].update(goal_id="not-a-uuid"), "goal_id"),
        (lambda raw: raw["goal_results"][0].update(goal_id=12345), "goal_id"),
        (lambda raw: raw["goal_results"][0].update(goal_id=[str(GOAL_1)]), "goal_id"),
        (lambda raw: raw["goal_results"][0].update(result="perfect"), "result"),
        (lambda raw: raw.update(next_follow_up_on=20260301), "next_follow_up_on"),
        (lambda raw: raw.update(next_follow_up_on="2026-02-30"), "next_follow_up_on"),
        (lambda raw: raw["goal_results"][0].update(extra=1), "unknown field"),
    ],
)
def test_a_bad_nested_value_raises_decode_error_naming_it(change: Any, field: str) -> None:
    event = follow_up()
    name, version, raw = raw_of(event)
    codec.decode_event(name, version, orjson.dumps(raw))  # warm every cache with the good payload
    change(raw)
    with pytest.raises(DecodeError) as raised:
        codec.decode_event(name, version, orjson.dumps(raw))
    assert raised.value.type_name == name
    assert field in str(raised.value)


def test_a_cached_uuid_text_still_refuses_other_spellings() -> None:
    event = follow_up()
    name, version, raw = raw_of(event)
    codec.decode_event(name, version, orjson.dumps(raw))
    raw["follow_up_id"] = uuid.UUID(raw["follow_up_id"]).hex  # 32 digits, no hyphens: not canonical
    with pytest.raises(DecodeError, match="canonical"):
        codec.decode_event(name, version, orjson.dumps(raw))


_JUNK = st.sampled_from(
    [
        None,
        0,
        -1,
        7,
        1.5,
        True,
        "",
        "x",
        "2026-02-30",
        "2026-03-01",
        "20260301",
        [],
        [1],
        {},
        {"a": 1},
        str(GOAL_1),
    ]
)


def _mutated(raw: Any, data: st.DataObject) -> Any:
    """``raw`` with one value, at any depth, replaced by JSON junk (or a key added or dropped)."""
    if isinstance(raw, dict) and raw:
        key = data.draw(st.sampled_from(sorted(raw)))
        choice = data.draw(st.sampled_from(["replace", "descend", "drop", "add"]))
        if choice == "replace":
            return {**raw, key: data.draw(_JUNK)}
        if choice == "drop":
            return {k: v for k, v in raw.items() if k != key}
        if choice == "add":
            return {**raw, "unexpected": data.draw(_JUNK)}
        return {**raw, key: _mutated(raw[key], data)}
    if isinstance(raw, list) and raw:
        i = data.draw(st.integers(0, len(raw) - 1))
        return [*raw[:i], _mutated(raw[i], data), *raw[i + 1 :]]
    return data.draw(_JUNK)


@given(event=strategies.events(), data=st.data())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_generated_fast_path_accepts_exactly_what_the_detailed_converter_accepts(
    event: ev.Event, data: st.DataObject
) -> None:
    name, version, raw = raw_of(event)
    cls, _ = codec.EVENT_TYPES[name]
    bad = _mutated(raw, data)
    try:
        expected: Any = codec._detailed.structure(bad, cls)
    except Exception:
        expected = DecodeError
    try:
        got: Any = codec.decode_event(name, version, orjson.dumps(bad))
    except DecodeError:
        got = DecodeError
    assert got == expected
