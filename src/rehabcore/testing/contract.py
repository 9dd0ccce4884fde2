"""The event-store contract as a pytest suite: subclass :class:`StoreContract` and give it a factory.

    class TestMyStore(StoreContract):
        @pytest.fixture
        def make_store(self, tmp_path):
            return lambda: MyStore(tmp_path / f"{uuid.uuid4()}.db")   # a new, empty store per call

Every ``test_*`` method then runs against that store, including a hypothesis state machine that runs the
same random operations on it and on :class:`~rehabcore.memory.InMemoryStore` (the oracle) and compares the
answers. Back-ends differ only where the class flags say so; nothing is skipped.

This module imports pytest and hypothesis; ``import rehabcore`` never imports it.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, cast

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from rehabcore.errors import ConcurrencyError, InvalidInput, PayloadRejected, RehabcoreError
from rehabcore.memory import InMemoryStore
from rehabcore.store import (
    GENESIS_HASH,
    AppendResult,
    EventStore,
    NewEvent,
    StoredEvent,
    StreamWrite,
    current_limits,
    event_hash,
)

StoreFactory = Callable[[], EventStore]

#: Stream ids that break naive SQL or string handling; every store keeps them exactly.
AWKWARD_STREAM_IDS = (
    "case'; DROP TABLE rehabcore_events; --",
    'a%b_c\\d"e',
    "ström-Ω-漢字-🙂-\u2028-\t",
    "x" * 200,
)


def new_event(n: int = 0, type_: str = "test.Happened", data: bytes | None = None) -> NewEvent:
    """A fresh event with a new id; ``data`` defaults to a tiny JSON body numbered ``n``."""
    body = b'{"n":%d}' % n if data is None else data
    return NewEvent(uuid.uuid4(), type_, 1, body)


def verify_chain(events: list[StoredEvent]) -> None:
    """Assert that the events of one stream, in version order, hash-chain from the genesis hash."""
    previous = GENESIS_HASH
    for e in events:
        expected = event_hash(
            previous,
            e.stream_id,
            e.version,
            e.event_id,
            e.type,
            e.schema_version,
            e.data,
            e.metadata,
            e.recorded_at,
        )
        assert e.hash == expected, f"hash chain broken at {e.stream_id} version {e.version}"
        previous = e.hash


class StoreContract:
    """What every :class:`~rehabcore.store.EventStore` promises. Subclass it in a ``Test…`` class.

    Override the ``make_store`` fixture: it returns a callable that opens a new, empty store on each call.
    Set the capability flags where the back-end differs from the reference.
    """

    #: Positions are exactly 1, 2, 3… with no holes, as in the reference (else only strictly increasing).
    gapless_positions: ClassVar[bool] = True
    #: Stream ids and type names may contain NUL; if False, such writes must raise PayloadRejected.
    text_holds_nul: ClassVar[bool] = True
    #: The largest ``data`` the back-end keeps (under Limits); a larger one must raise PayloadRejected.
    max_payload_bytes: ClassVar[int] = 10 * 1024 * 1024

    @pytest.fixture
    def make_store(self) -> StoreFactory:
        """Return a callable that opens a new, empty store each time it is called."""
        raise NotImplementedError("override the make_store fixture in your StoreContract subclass")

    @pytest.fixture
    def store(self, make_store: StoreFactory) -> Iterator[EventStore]:
        """One new store for a test, closed after it."""
        opened = make_store()
        yield opened
        opened.close()

    def test_append_and_read_back_exactly(self, store: EventStore) -> None:
        every_byte = bytes(range(256))
        first = NewEvent(uuid.uuid4(), "test.Opened", 3, every_byte, b'{"actor":"u-1"}')
        second = new_event(2)
        [result] = store.append(StreamWrite("case-1", [first, second], 0))
        assert (result.stream_id, result.version) == ("case-1", 2)
        got = store.read_stream("case-1")
        assert [(e.event_id, e.type, e.schema_version, e.data, e.metadata) for e in got] == [
            (first.event_id, "test.Opened", 3, every_byte, b'{"actor":"u-1"}'),
            (second.event_id, second.type, 1, second.data, b"{}"),
        ]
        assert all(type(e.event_id) is uuid.UUID and type(e.data) is bytes for e in got)
        assert all(type(e.position) is int and type(e.version) is int for e in got)
        assert [e.version for e in got] == [1, 2]
        assert result.position == got[-1].position
        assert list(store.read_all()) == got

    def test_empty_append_is_a_no_op(self, store: EventStore) -> None:
        assert store.append() == []
        assert store.append(StreamWrite("none", [], 0)) == [AppendResult("none", 0, 0)]
        assert store.read_stream("none") == [] and store.head_position() == 0
        [written] = store.append(StreamWrite("s", [new_event()], 0))
        # An empty write checks nothing and reports where the stream already is.
        assert store.append(StreamWrite("s", [], 7)) == [written]
        assert store.head_position() == written.position

    def test_expected_version_conflict_writes_nothing(self, store: EventStore) -> None:
        store.append(StreamWrite("a", [new_event()], 0))
        for expected in (0, 2, 5):
            with pytest.raises(ConcurrencyError) as raised:
                store.append(StreamWrite("a", [new_event()], expected))
            assert (raised.value.stream_id, raised.value.expected, raised.value.actual) == ("a", expected, 1)
        assert len(store.read_stream("a")) == 1 and len(list(store.read_all())) == 1
        store.append(StreamWrite("a", [new_event()], 1))
        store.append(StreamWrite("a", [new_event()], None))
        assert [e.version for e in store.read_stream("a")] == [1, 2, 3]

    def test_duplicates_inside_one_call_conflict(self, store: EventStore) -> None:
        twice = new_event()
        with pytest.raises(ConcurrencyError):
            store.append(StreamWrite("a", [twice, twice], 0))
        with pytest.raises(ConcurrencyError):
            store.append(
                StreamWrite("a", [new_event()], 0), StreamWrite("b", [twice], 0), StreamWrite("c", [twice])
            )
        with pytest.raises(ConcurrencyError):
            store.append(StreamWrite("a", [new_event()], 0), StreamWrite("a", [new_event()], None))
        assert list(store.read_all()) == [] and store.head_position() == 0

    def test_idempotent_retry_returns_the_earlier_result(self, store: EventStore) -> None:
        write = StreamWrite("a", [new_event(1), new_event(2)], 0)
        first = store.append(write)
        again = store.append(write)
        assert again == first and again[0].duplicate and not first[0].duplicate
        store.append(StreamWrite("a", [new_event(3)], 2))
        # Still a retry after the stream moved on, whatever the expected version says.
        assert store.append(write) == first
        assert store.append(StreamWrite("a", list(write.events[1:]), 0)) == [
            AppendResult("a", 2, first[0].position)
        ]
        assert [e.version for e in store.read_stream("a")] == [1, 2, 3]

    def test_reused_event_ids_that_are_not_a_retry_conflict(self, store: EventStore) -> None:
        one, two = new_event(1), new_event(2)
        store.append(StreamWrite("a", [one, two], 0))
        clashes = [
            StreamWrite("b", [one]),  # an id of another stream
            StreamWrite("a", [one, new_event()]),  # partly known
            StreamWrite("a", [two, one]),  # known, but out of order
        ]
        for write in clashes:
            with pytest.raises(ConcurrencyError):
                store.append(write)
        assert len(list(store.read_all())) == 2 and store.read_stream("b") == []

    def test_multi_stream_append_is_all_or_nothing(self, store: EventStore) -> None:
        a, b = store.append(StreamWrite("case", [new_event(1)], 0), StreamWrite("unit", [new_event(2)], 0))
        assert (a.version, b.version) == (1, 1) and b.position > a.position
        with pytest.raises(ConcurrencyError):
            store.append(StreamWrite("new", [new_event()], 0), StreamWrite("case", [new_event()], 0))
        assert store.read_stream("new") == [] and len(list(store.read_all())) == 2
        [stored] = store.read_stream("case")
        retry_and_new = store.append(
            StreamWrite("case", [_as_new(stored)], 0), StreamWrite("other", [new_event()])
        )
        assert retry_and_new[0] == a and retry_and_new[1].version == 1

    def test_read_stream_ranges(self, store: EventStore) -> None:
        store.append(StreamWrite("s", [new_event(n) for n in range(5)], 0))

        def versions(**kwargs: object) -> list[int]:
            return [e.version for e in store.read_stream("s", **kwargs)]  # type: ignore[arg-type]

        assert versions() == [1, 2, 3, 4, 5]
        assert versions(after_version=2) == [3, 4, 5]
        assert versions(up_to_version=3) == [1, 2, 3]
        assert versions(after_version=1, up_to_version=4) == [2, 3, 4]
        assert versions(backwards=True, limit=2) == [5, 4]
        assert versions(backwards=True, after_version=1, up_to_version=3) == [3, 2]
        assert versions(limit=0) == [] and versions(after_version=5) == []
        assert versions(up_to_version=9, limit=9) == [1, 2, 3, 4, 5]

    def test_reading_a_missing_stream_gives_nothing(self, store: EventStore) -> None:
        assert store.read_stream("missing") == []
        assert store.read_stream("missing", backwards=True, limit=3) == []

    def test_read_all_order_paging_filters_and_head(self, store: EventStore) -> None:
        for n in range(6):
            store.append(StreamWrite(f"s-{n % 3}", [new_event(n, "a.A" if n % 2 else "b.B")]))
        every = list(store.read_all())
        positions = [e.position for e in every]
        assert positions == sorted(set(positions)) and len(every) == 6
        if self.gapless_positions:
            assert positions == [1, 2, 3, 4, 5, 6]
        assert store.head_position() == positions[-1]
        assert list(store.read_all(after=store.head_position())) == []
        pages: list[StoredEvent] = []
        while page := list(store.read_all(after=pages[-1].position if pages else 0, limit=4)):
            pages += page
        assert pages == every
        assert list(store.read_all(types=["a.A"])) == [e for e in every if e.type == "a.A"]
        assert list(store.read_all(types=iter(["b.B"]), limit=2)) == [e for e in every if e.type == "b.B"][:2]
        assert list(store.read_all(types=[])) == []
        assert list(store.read_all(after=positions[2], types=["a.A", "b.B"])) == every[3:]

    def test_racing_batches_never_interleave(self, store: EventStore) -> None:
        threads, batch = 6, 25
        barrier = threading.Barrier(threads)
        results: list[AppendResult] = []

        def write(n: int) -> None:
            barrier.wait()
            results.extend(store.append(StreamWrite(f"race-{n}", [new_event(i) for i in range(batch)], 0)))

        _run_threads([lambda n=n: write(n) for n in range(threads)])  # type: ignore[misc]
        assert len(results) == threads
        stream_at = {e.position: e.stream_id for e in store.read_all()}
        for result in results:
            ordered = sorted(p for p, s in stream_at.items() if s == result.stream_id)
            assert ordered[-1] == result.position
            # No other stream's event sits between a batch's first and last position.
            between = [s for p, s in stream_at.items() if ordered[0] <= p <= ordered[-1]]
            assert set(between) == {result.stream_id} and len(between) == batch

    def test_recorded_at_is_set_by_the_store(self, store: EventStore) -> None:
        before = dt.datetime.now(dt.UTC)
        store.append(StreamWrite("s", [new_event(), new_event()], 0))
        after = dt.datetime.now(dt.UTC)
        for event in store.read_stream("s"):
            stamp = event.recorded_at
            assert stamp.tzinfo is not None and stamp.utcoffset() == dt.timedelta(0)
            # Generous bounds: they catch a wrong zone or epoch, never slowness.
            assert before - dt.timedelta(minutes=5) <= stamp <= after + dt.timedelta(minutes=5)
        assert store.read_stream("s") == list(store.read_all())

    def test_hash_chain_recomputes_with_event_hash(self, store: EventStore) -> None:
        store.append(StreamWrite("a", [new_event(1), new_event(2)], 0), StreamWrite("b", [new_event(3)], 0))
        store.append(StreamWrite("a", [new_event(4)], 2))
        for stream in ("a", "b"):
            verify_chain(store.read_stream(stream))
        assert store.read_stream("a")[0].hash != store.read_stream("b")[0].hash

    def test_threaded_writers_and_polling_readers(self, store: EventStore) -> None:
        writers, appends = 10, 100
        done = threading.Event()
        conflicts: list[ConcurrencyError] = []
        seen: list[list[int]] = [[], []]

        def write(n: int) -> None:
            for i in range(appends):
                store.append(StreamWrite(f"own-{n}", [new_event(i)], i))
                if i % 10 == 0:
                    shared = store.read_stream("shared", backwards=True, limit=1)
                    try:
                        store.append(
                            StreamWrite("shared", [new_event(i)], shared[0].version if shared else 0)
                        )
                    except ConcurrencyError as exc:
                        conflicts.append(exc)

        def poll(n: int) -> None:
            while True:
                finished = done.is_set()
                after = seen[n][-1] if seen[n] else 0
                seen[n].extend(e.position for e in store.read_all(after=after, limit=50))
                if finished and store.head_position() == (seen[n][-1] if seen[n] else 0):
                    return

        readers = [threading.Thread(target=poll, args=(n,)) for n in range(2)]
        for reader in readers:
            reader.start()
        try:
            _run_threads([lambda n=n: write(n) for n in range(writers)])  # type: ignore[misc]
        finally:
            done.set()
            for reader in readers:
                reader.join(timeout=300)
        total = store.head_position() if self.gapless_positions else len(list(store.read_all()))
        shared = len(store.read_stream("shared"))
        assert total == writers * appends + shared and shared + len(conflicts) == writers * appends // 10
        for n in range(writers):
            assert [e.version for e in store.read_stream(f"own-{n}")] == list(range(1, appends + 1))
        for positions in seen:
            assert positions == sorted(set(positions))
            if self.gapless_positions:
                assert positions == list(range(1, total + 1))

    def test_many_short_appends_from_many_threads_queue_in_order(self, store: EventStore) -> None:
        """Sixteen writers of short appends at once (the writer queue): every append is whole and in one
        piece, its result says where it landed, and the positions have no holes where the store says so."""
        threads, appends = 16, 8
        barrier = threading.Barrier(threads)
        results: list[AppendResult] = []

        def write(n: int) -> None:
            barrier.wait()
            for i in range(appends):
                events = [new_event(n * 100 + i), new_event(n * 100 + i + 50)]
                results.extend(store.append(StreamWrite(f"short-{n}-{i}", events, 0)))

        _run_threads([lambda n=n: write(n) for n in range(threads)])  # type: ignore[misc]
        stored = list(store.read_all())
        assert len(results) == threads * appends and len(stored) == 2 * threads * appends
        by_position = {e.position: e for e in stored}
        for result in results:
            last, first = by_position[result.position], by_position[result.position - 1]
            assert (first.stream_id, first.version) == (result.stream_id, 1)
            assert (last.stream_id, last.version) == (result.stream_id, 2)
        positions = [e.position for e in stored]
        assert positions == sorted(set(positions))
        if self.gapless_positions:
            assert positions == list(range(1, len(stored) + 1))
            assert store.head_position() == len(stored)

    def test_large_payload(self, store: EventStore) -> None:
        # The largest event the limits allow (rehabcore.store.Limits, or the back-end's own if smaller), every
        # byte value, is kept exactly; one byte more is refused and nothing is written.
        limit = min(self.max_payload_bytes, current_limits().max_event_bytes)
        big = (bytes(range(256)) * (limit // 256 + 1))[:limit]
        event = new_event(data=big)
        store.append(StreamWrite("big", [event], 0))
        [back] = store.read_stream("big")
        assert back.data == big and back.event_id == event.event_id
        verify_chain([back])
        with pytest.raises(PayloadRejected):
            store.append(StreamWrite("bigger", [new_event(data=big + b"x")], 0))
        assert store.read_stream("bigger") == []

    def test_awkward_values_are_kept_exactly(self, store: EventStore) -> None:
        for n, stream_id in enumerate(AWKWARD_STREAM_IDS):
            store.append(
                StreamWrite(stream_id, [NewEvent(uuid.uuid4(), "t.ß\u2028→", 1, b"\x00\x00", b"\x00\xff")], 0)
            )
            [back] = store.read_stream(stream_id)
            assert (back.stream_id, back.type, back.data, back.metadata) == (
                stream_id,
                "t.ß\u2028→",
                b"\x00\x00",
                b"\x00\xff",
            )
            assert back.version == 1 and len(list(store.read_all())) == n + 1
        assert {e.stream_id for e in store.read_all()} == set(AWKWARD_STREAM_IDS)

    def test_nul_in_text_is_kept_or_refused(self, store: EventStore) -> None:
        writes = [StreamWrite("nul\x00id", [new_event()], 0), StreamWrite("s", [new_event(type_="t\x00")], 0)]
        for write in writes:
            if self.text_holds_nul:
                store.append(write)
                [back] = store.read_stream(write.stream_id)
                assert (back.stream_id, back.type) == (write.stream_id, write.events[0].type)
            else:
                with pytest.raises(PayloadRejected):
                    store.append(StreamWrite("other", [new_event()], 0), write)
        if not self.text_holds_nul:
            assert list(store.read_all()) == []

    def test_extreme_schema_versions_are_kept_or_refused(self, store: EventStore) -> None:
        for n, schema_version in enumerate((0, 2**31 - 1, 2**31, -(2**63), 2**70)):
            event = NewEvent(uuid.uuid4(), "t.Versioned", schema_version, b"{}")
            try:
                store.append(StreamWrite(f"v-{n}", [event], 0))
            except PayloadRejected:
                assert store.read_stream(f"v-{n}") == []
            else:
                assert [e.schema_version for e in store.read_stream(f"v-{n}")] == [schema_version]
        long_type = "t." + "x" * 1000
        store.append(StreamWrite("long-type", [new_event(type_=long_type)], 0))
        assert [e.type for e in store.read_stream("long-type")] == [long_type]

    def test_malformed_writes_are_refused_before_storage(self, store: EventStore) -> None:
        lone_surrogate = "\ud800"  # not Unicode text; would fail when hashed, after other writes of the call
        for bad in (
            StreamWrite("", [new_event()]),
            StreamWrite("s", [new_event()], -1),
            StreamWrite(lone_surrogate, [new_event()]),
            StreamWrite("s", [new_event(type_=lone_surrogate)]),
            StreamWrite("s", [new_event(type_="")]),
            StreamWrite("s", [new_event(type_=cast(Any, ["t.List"]))]),  # not text, and not hashable
        ):
            with pytest.raises(InvalidInput):
                store.append(StreamWrite("fine", [new_event()], 0), bad)
        assert list(store.read_all()) == []

    def test_matches_the_memory_store(self, make_store: StoreFactory) -> None:
        check_against_memory(make_store, gapless_positions=self.gapless_positions)


def _as_new(event: StoredEvent) -> NewEvent:
    return NewEvent(event.event_id, event.type, event.schema_version, event.data, event.metadata)


def _run_threads(targets: list[Callable[[], None]]) -> None:
    """Run the targets in threads and re-raise the first exception any of them raised."""
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- the state machine: the adapter against the reference -------------------------------------------------

_STREAMS = ("s-1", "s-2", "case'; --", "ström-Ω")
_TYPES = ("a.One", "b.Two", "c.Three")
_Outcome = tuple[str, object]


def _outcome(call: Callable[[], object]) -> _Outcome:
    """What a call returned, or the type of the rehabcore error it raised (messages may differ)."""
    try:
        return ("ok", call())
    except RehabcoreError as exc:
        return ("raised", type(exc))


def _content(event: StoredEvent, with_position: bool) -> tuple[object, ...]:
    """An event minus what only the store decides (``recorded_at``, ``hash``; position if it may gap)."""
    return (
        event.position if with_position else None,
        event.stream_id,
        event.version,
        event.event_id,
        event.type,
        event.schema_version,
        event.data,
        event.metadata,
    )


def check_against_memory(make_store: StoreFactory, *, gapless_positions: bool = True) -> None:
    """Run random appends and reads on a new store from ``make_store`` and on ``InMemoryStore``; compare.

    Exceptions are compared by type, events by content (not ``recorded_at`` or ``hash``, which the store
    sets; the adapter's hash chain is re-verified instead). Uses the active hypothesis profile.
    """
    # The machine's stream ids and types hold no NUL, so every back-end must accept all of them.

    class StoreAgainstMemory(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.store = make_store()
            self.oracle = InMemoryStore()
            self.ids: list[uuid.UUID] = []
            self.writes: list[StreamWrite] = []

        def teardown(self) -> None:
            self.store.close()

        def _draw_write(self, data: st.DataObject, stream_id: str) -> StreamWrite:
            fresh = st.uuids().map(lambda u: NewEvent(u, "a.One", 1, u.bytes[:3]))
            reused = (
                st.sampled_from(self.ids).map(lambda u: NewEvent(u, "b.Two", 2, b"\x00"))
                if self.ids
                else fresh
            )
            events = data.draw(st.lists(st.one_of(fresh, fresh, reused), max_size=4))
            events = [
                NewEvent(e.event_id, data.draw(st.sampled_from(_TYPES)), e.schema_version, e.data, b"{}")
                for e in events
            ]
            expected = data.draw(st.one_of(st.none(), st.integers(0, 6), st.just(self._version(stream_id))))
            return StreamWrite(stream_id, events, expected)

        def _version(self, stream_id: str) -> int:
            events = self.oracle.read_stream(stream_id, backwards=True, limit=1)
            return events[0].version if events else 0

        def _append(self, writes: list[StreamWrite]) -> None:
            want = _outcome(lambda: self.oracle.append(*writes))
            got = _outcome(lambda: self.store.append(*writes))
            if want[0] == "ok" and got[0] == "ok" and not gapless_positions:
                want = ("ok", [(r.stream_id, r.version) for r in want[1]])  # type: ignore[attr-defined]
                got = ("ok", [(r.stream_id, r.version) for r in got[1]])  # type: ignore[attr-defined]
            assert got == want
            if want[0] == "ok":
                self.writes.extend(writes)
                self.ids.extend(e.event_id for w in writes for e in w.events)

        @rule(data=st.data(), streams=st.lists(st.sampled_from(_STREAMS), min_size=0, max_size=3))
        def append(self, data: st.DataObject, streams: list[str]) -> None:
            self._append([self._draw_write(data, s) for s in streams])

        @precondition(lambda self: bool(self.writes))
        @rule(data=st.data())
        def retry(self, data: st.DataObject) -> None:
            write = data.draw(st.sampled_from(self.writes))
            expected = data.draw(st.one_of(st.just(write.expected_version), st.none(), st.integers(0, 6)))
            self._append([StreamWrite(write.stream_id, write.events, expected)])

        @rule(
            stream_id=st.sampled_from(_STREAMS),
            after=st.integers(-1, 7),
            up_to=st.none() | st.integers(-1, 9),
            backwards=st.booleans(),
            limit=st.none() | st.integers(0, 5),
        )
        def read_stream(
            self, stream_id: str, after: int, up_to: int | None, backwards: bool, limit: int | None
        ) -> None:
            def read(store: EventStore) -> list[StoredEvent]:
                return store.read_stream(
                    stream_id, after_version=after, up_to_version=up_to, backwards=backwards, limit=limit
                )

            got, want = read(self.store), read(self.oracle)
            assert [_content(e, gapless_positions) for e in got] == [
                _content(e, gapless_positions) for e in want
            ]

        @rule(
            after=st.integers(0, 30),
            limit=st.none() | st.integers(0, 10),
            types=st.none() | st.lists(st.sampled_from(_TYPES), max_size=2),
        )
        def read_all(self, after: int, limit: int | None, types: list[str] | None) -> None:
            after = after if gapless_positions else 0  # positions of a gapped store do not line up
            got = list(self.store.read_all(after=after, limit=limit, types=types))
            want = list(self.oracle.read_all(after=after, limit=limit, types=types))
            assert [_content(e, gapless_positions) for e in got] == [
                _content(e, gapless_positions) for e in want
            ]

        @invariant()
        def heads_agree_and_chains_hold(self) -> None:
            if gapless_positions:
                assert self.store.head_position() == self.oracle.head_position()
            for stream_id in _STREAMS:
                events = self.store.read_stream(stream_id)
                verify_chain(events)
                assert all(e.recorded_at.utcoffset() == dt.timedelta(0) for e in events)

    run_state_machine_as_test(StoreAgainstMemory, settings=settings(stateful_step_count=25))
