import uuid

import pytest

import rehabcore as rc


def _event(n: int = 0) -> rc.NewEvent:
    return rc.NewEvent(uuid.uuid4(), "t.Happened", 1, b'{"n":%d}' % n)


def test_append_and_read_back() -> None:
    store = rc.InMemoryStore()
    [result] = store.append(rc.StreamWrite("s-1", [_event(1), _event(2)], rc.NO_STREAM))
    assert (result.version, result.position) == (2, 2)
    assert [e.data for e in store.read_stream("s-1")] == [b'{"n":1}', b'{"n":2}']


def test_conflict_writes_nothing() -> None:
    store = rc.InMemoryStore()
    store.append(rc.StreamWrite("a", [_event()], 0))
    with pytest.raises(rc.ConcurrencyError):
        store.append(rc.StreamWrite("b", [_event()], 0), rc.StreamWrite("a", [_event()], 0))
    assert store.head_position() == 1
