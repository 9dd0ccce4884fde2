"""The SQL adapters' row builder hashes each event with ``event_hash``'s recipe, parts encoded once (#20)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from hypothesis import given
from hypothesis import strategies as st
from rehabcore_sqlalchemy.planning import rows

from rehabcore.store import GENESIS_HASH, NewEvent, StreamWrite, event_hash


class _Level(enum.IntEnum):
    ONE = 1


_events = st.lists(
    st.builds(
        NewEvent,
        st.uuids(),
        st.text(min_size=1, max_size=20).filter(
            lambda t: t.encode("utf-8", "surrogatepass") and t.isprintable()
        ),
        st.integers(-(2**31), 2**31 - 1),
        st.binary(max_size=300),
        st.binary(max_size=40),
    ),
    min_size=1,
    max_size=6,
)


@given(
    stream_id=st.text(min_size=1, max_size=30).filter(lambda t: t.isprintable()),
    events=_events,
    version=st.integers(0, 10_000),
    previous=st.binary(min_size=32, max_size=32),
    moment=st.datetimes(timezones=st.just(dt.UTC)),
)
def test_every_row_hash_is_event_hash(
    stream_id: str, events: list[NewEvent], version: int, previous: bytes, moment: dt.datetime
) -> None:
    built: list[tuple[object, ...]] = []
    result, last = rows(built, StreamWrite(stream_id, events, None), version, previous, 7, moment, 0, str)
    expected = previous
    for n, event in enumerate(events, version + 1):
        expected = event_hash(
            expected,
            stream_id,
            n,
            event.event_id,
            event.type,
            event.schema_version,
            event.data,
            event.metadata,
            moment,
        )
        row = built[n - version - 1]
        assert row[-1] == expected and row[2] == n and row[3] == str(event.event_id)
    assert last == expected and result.version == version + len(events) and result.position == 7 + len(events)


def test_a_subclass_of_int_is_hashed_by_its_own_text_not_a_cached_one() -> None:
    # str() of an IntEnum member is not str() of its int on every Python: the cached parts must not answer.
    moment = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    plain = NewEvent(uuid.uuid4(), "t.T", 1, b"{}")
    odd = NewEvent(uuid.uuid4(), "t.T", _Level.ONE, b"{}")
    for event in (plain, odd, plain):
        built: list[tuple[object, ...]] = []
        rows(built, StreamWrite("s", [event], 0), 0, GENESIS_HASH, 0, moment, 0, str)
        expected = event_hash(
            GENESIS_HASH, "s", 1, event.event_id, "t.T", event.schema_version, b"{}", b"{}", moment
        )
        assert built[0][-1] == expected
