"""InMemoryStore: the reference store and the test oracle every adapter is compared with."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator

from rehabcore.errors import ConcurrencyError
from rehabcore.observability import traced_append
from rehabcore.store import (
    GENESIS_HASH,
    AppendResult,
    StoredEvent,
    StreamWrite,
    check_read_all,
    check_writes,
    event_hash,
    utc_now,
)


class InMemoryStore:
    """A thread-safe store in a list. Nothing survives the process."""

    def __init__(self, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._events: list[StoredEvent] = []
        self._streams: dict[str, list[StoredEvent]] = {}
        self._ids: dict[uuid.UUID, StoredEvent] = {}
        self._lock = threading.Lock()
        self._clock = clock

    @traced_append
    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        check_writes(writes)
        with self._lock:
            plans = [self._plan(write) for write in writes]
            results: list[AppendResult] = []
            for write, retry in zip(writes, plans, strict=True):
                results.append(retry if retry is not None else self._write(write))
            return results

    def _plan(self, write: StreamWrite) -> AppendResult | None:
        """Check one write against the store; return its earlier result when it is an idempotent retry."""
        stream = self._streams.get(write.stream_id, [])
        known = [self._ids.get(e.event_id) for e in write.events]
        if write.events and all(k is not None for k in known):
            first = known[0]
            assert first is not None
            same = all(
                k is not None and k.stream_id == write.stream_id and k.version == first.version + i
                for i, k in enumerate(known)
            )
            if same:
                last = stream[first.version + len(known) - 2]
                return AppendResult(write.stream_id, last.version, last.position, duplicate=True)
        if any(k is not None for k in known) or (
            write.events and write.expected_version is not None and write.expected_version != len(stream)
        ):
            raise ConcurrencyError(write.stream_id, write.expected_version, len(stream))
        return None

    def _write(self, write: StreamWrite) -> AppendResult:
        stream = self._streams.setdefault(write.stream_id, [])
        now = self._clock()
        for new in write.events:
            version = len(stream) + 1
            previous = stream[-1].hash if stream else GENESIS_HASH
            stored = StoredEvent(
                position=len(self._events) + 1,
                stream_id=write.stream_id,
                version=version,
                event_id=new.event_id,
                type=new.type,
                schema_version=new.schema_version,
                data=new.data,
                metadata=new.metadata,
                recorded_at=now,
                hash=event_hash(
                    previous,
                    write.stream_id,
                    version,
                    new.event_id,
                    new.type,
                    new.schema_version,
                    new.data,
                    new.metadata,
                    now,
                ),
            )
            stream.append(stored)
            self._events.append(stored)
            self._ids[new.event_id] = stored
        if not stream:
            del self._streams[write.stream_id]
            return AppendResult(write.stream_id, 0, 0)
        return AppendResult(write.stream_id, stream[-1].version, stream[-1].position)

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        with self._lock:
            stream = self._streams.get(stream_id, [])
            end = len(stream) if up_to_version is None else min(up_to_version, len(stream))
            chosen = stream[max(after_version, 0) : max(end, 0)]
        if backwards:
            chosen = chosen[::-1]
        return chosen if limit is None else chosen[:limit]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        listed = check_read_all(after, limit, types)
        wanted = None if listed is None else frozenset(listed)
        with self._lock:
            snapshot = self._events[max(after, 0) :]
        count = 0
        for event in snapshot:
            if limit is not None and count >= limit:
                return
            if wanted is None or event.type in wanted:
                count += 1
                yield event

    def audit_rows(self, *, stream_id: str | None = None) -> Iterator[StoredEvent]:
        """Every event (of one stream) for ``verify``; a list in memory holds what was appended."""
        for event in self.read_all():
            if stream_id is None or event.stream_id == stream_id:
                yield event

    def head_position(self) -> int:
        with self._lock:
            return len(self._events)

    def close(self) -> None:
        """Nothing to release."""


def open_memory_store(
    url: str, *, create: bool = True, clock: Callable[[], dt.datetime] = utc_now, read_only: bool = False
) -> InMemoryStore:
    """Entry point for ``memory://`` URLs (a new store is always empty, so ``create`` and ``read_only``
    change nothing)."""
    return InMemoryStore(clock=clock)
