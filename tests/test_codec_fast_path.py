"""The codec's fast read path (cached hooks, specialised optional/tuple hooks, parsed-UUID cache) decodes
exactly what the detailed converter accepts, and a bad payload still raises DecodeError naming the field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
import pytest

from rehabcore import DecodeError, codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import FollowUpStatus, GoalOutcome, GoalResult, Participation

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
        (lambda raw: raw["goal_results"][0].update(extra=1), "unknown fields"),
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
