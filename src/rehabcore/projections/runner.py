"""The runner: catch projections up from their checkpoints through ``read_all``, in batches, and follow.

Each batch is read after the projection's checkpoint, decoded, and handed to the projection store, which
applies it and moves the checkpoint in one transaction. A runner killed between two batches loses nothing
and counts nothing twice: the next one starts from the checkpoint the last committed batch left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from rehabcore.errors import InvalidInput
from rehabcore.memory import InMemoryStore
from rehabcore.observability import traced_batch, traced_catch_up
from rehabcore.projections.base import (
    BatchItem,
    CheckpointConflict,
    Projection,
    ProjectionStore,
    Rederived,
    Rederiving,
    Status,
)
from rehabcore.projections.case_summary import CaseProjection
from rehabcore.projections.execution import ExecutionProjection, IvoReportsProjection
from rehabcore.projections.memory import MemoryProjectionStore
from rehabcore.projections.unit_summary import PlaceProjection, UnitProjection
from rehabcore.projections.visits import VisitProjection
from rehabcore.store import EventStore, StoredEvent
from rehabcore.streams import Recorded, recorded


@runtime_checkable
class Rebuilding(ProjectionStore, Protocol):
    """A projection store that can rebuild beside itself and swap the result in at once."""

    def shadow(self, projections: Sequence[Projection[Any, Any]]) -> Rebuilding:
        """An empty store of the same kind beside this one."""
        ...

    def discard(self, projections: Sequence[Projection[Any, Any]]) -> None:
        """Drop what :meth:`shadow` made."""
        ...

    def swap_in(self, shadow: Any, projections: Sequence[Projection[Any, Any]]) -> None:
        """Replace the values and checkpoints of ``projections`` with ``shadow``'s, atomically."""
        ...


CASES = CaseProjection()
UNITS = UnitProjection()
PLACES = PlaceProjection()
VISITS = VisitProjection()  # #18: open activities' visit counts
#: The projections behind the built-in read models.
READ_MODEL_PROJECTIONS: tuple[Projection[Any, Any], ...] = (CASES, UNITS, PLACES, VISITS)
#: The execution duty's record per case and the reports sent to IVO (#11); their tables are made on first use.
EXECUTION = ExecutionProjection()
IVO_REPORTS = IvoReportsProjection()
EXECUTION_PROJECTIONS: tuple[Projection[Any, Any], ...] = (EXECUTION, IVO_REPORTS)
#: Every projection a runner keeps by default.
ALL_PROJECTIONS: tuple[Projection[Any, Any], ...] = (*READ_MODEL_PROJECTIONS, *EXECUTION_PROJECTIONS)

#: Called with (projection name, events applied so far in this run, events to apply in all).
ProgressFn = Callable[[str, int, int], None]


def projection_store_for(store: EventStore) -> ProjectionStore:
    """Where the read models of ``store`` live: tables in the same database for a SQL store, else memory.

    Adapters register a factory in the entry-point group ``rehabcore.projection_stores``; it returns a
    projection store for event stores it knows and None for the rest.
    """
    if not isinstance(store, InMemoryStore):
        for ep in entry_points(group="rehabcore.projection_stores"):
            found = ep.load()(store)
            if found is not None:
                return found  # type: ignore[no-any-return]
    return MemoryProjectionStore()


def decode(stored: StoredEvent) -> Recorded:
    """A stored event, decoded, with its envelope."""
    return recorded(stored)


class Runner:
    """Keeps projections of one event store current in a projection store.

    A projection that reads a few event types has the store filter them (``read_all(types=…)``: an index
    on PostgreSQL, a walk by position inside SQLite); one that reads most types reads everything and drops
    the rest before decoding, because an index range per type, merged and sorted again for every batch,
    costs more than the rows it skips.
    """

    #: Up to this many types, the store filters; above it, the runner does.
    store_filters_up_to = 8

    def __init__(
        self,
        store: EventStore,
        target: ProjectionStore | None = None,
        projections: Sequence[Projection[Any, Any]] = ALL_PROJECTIONS,
        *,
        batch_size: int = 2000,
    ) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise InvalidInput("batch_size", "must be a count >= 1")
        names = [p.name for p in projections]
        if len(set(names)) != len(names):
            raise InvalidInput("projections", "two projections share a name")
        self.store = store
        self.target = projection_store_for(store) if target is None else target
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self._checked: set[str] = set()

    @traced_batch
    def step(self, projection: Projection[Any, Any]) -> tuple[int, int]:
        """Apply one batch; return ``(events read, positions advanced)``. ``(0, 0)``: nothing to do."""
        after = self.target.checkpoint(projection.name)
        if projection.name not in self._checked:
            # An empty batch that moves nothing: the store refuses it if its state is of another version.
            self.target.apply(projection, [], after=after, up_to=after)
            self._checked.add(projection.name)
        # Every event at or below the head seen now is visible to the read below (the store's gap-free
        # promise), so a short batch proves the projection is current up to this head.
        head = self.store.head_position()
        wanted = projection.types
        by_store = wanted is not None and len(wanted) <= self.store_filters_up_to
        types: Iterable[str] | None = sorted(wanted) if by_store and wanted is not None else None
        stored = list(self.store.read_all(after=after, limit=self.batch_size, types=types))
        if len(stored) == self.batch_size:
            up_to = stored[-1].position
        else:
            up_to = max([after, head, *(s.position for s in stored[-1:])])
        if up_to == after:
            return 0, 0
        if wanted is not None and not by_store:
            stored = [s for s in stored if s.type in wanted]
        batch: list[BatchItem] = [decode(s) for s in stored]
        if isinstance(projection, Rederiving):
            batch = self._rederive(projection, batch)
        self.target.apply(projection, batch, after=after, up_to=up_to)
        return len(stored), up_to - after

    def _rederive(self, projection: Rederiving[Any, Any], batch: list[BatchItem]) -> list[BatchItem]:
        """The batch with each key's last correction replaced by the key's value derived from its stream.

        Why read the stream again rather than keep each case's entries in the read model: a correction
        names the stored id of the entry it changes and may change anything recorded before it, so the
        read model would have to keep every entry of every case, with its id — the event store again, in
        tables meant for plain queries. Corrections are rare, so reading one stream for each is cheap. The
        read stops at the correction's version: events up to it never change, so the value is the same
        whenever it is derived (a killed runner derives it again, identically, and concurrent appends after
        the correction do not leak in; they arrive in their own batches). Only the last correction of a key
        in a batch is derived; the key's earlier events in the batch are in that history, so they are
        dropped. The history is folded here, outside the projection store's transaction, and let go: one
        stream at a time in memory, whatever the size of the store.
        """
        last: dict[Any, int] = {}
        for n, item in enumerate(batch):
            assert not isinstance(item, Rederived)
            if projection.rederives(item):
                key = projection.key(item)
                if key is not None:
                    last[key] = n
        if not last:
            return batch
        out: list[BatchItem] = []
        for n, item in enumerate(batch):
            assert not isinstance(item, Rederived)
            key = projection.key(item)
            if key not in last or n > last[key]:
                out.append(item)
            elif n == last[key]:
                history = self.store.read_stream(item.stream_id, up_to_version=item.version)
                value = projection.rederive(key, [(s.event_id, decode(s)) for s in history])
                out.append(Rederived(item, value))
        return out

    @traced_catch_up
    def catch_up(self, *, progress: ProgressFn | None = None, max_batches: int | None = None) -> int:
        """Apply batches until every projection is at the head; return the events applied.

        ``max_batches`` stops early after that many batches in all (a runner "killed" between batches).
        """
        applied = batches = 0
        for projection in self.projections:
            start = self.target.checkpoint(projection.name)
            total = max(self.store.head_position() - start, 0)
            advanced = 0
            while max_batches is None or batches < max_batches:
                try:
                    read, moved = self.step(projection)
                except CheckpointConflict:
                    continue  # another runner applied that batch first: read on from where it left off
                if moved == 0:
                    break
                batches += 1
                applied += read
                advanced += moved
                if progress is not None:
                    progress(projection.name, advanced, max(total, advanced))
        return applied

    def follow(
        self,
        stop: threading.Event | Callable[[], bool],
        *,
        poll_interval: float = 0.2,
    ) -> int:
        """Catch up, then poll for new events until ``stop`` is set; return the events applied."""
        should_stop = stop.is_set if isinstance(stop, threading.Event) else stop
        applied = 0
        while True:
            done = should_stop()
            got = self.catch_up()
            applied += got
            if done:  # one last catch-up after the stop, so what was written before it is counted
                return applied
            if not got:
                time.sleep(poll_interval)

    def rebuild(self, *, progress: ProgressFn | None = None) -> int:
        """Apply the whole store again, into new tables beside the read models, then swap them in.

        The live read models keep answering while the rebuild runs, and after it if it fails (a row that
        does not decode, a process killed): they are replaced in one transaction only once the new ones are
        complete. A projection store that cannot build beside itself (no ``shadow``) is reset and refilled
        in place. Returns the events applied.
        """
        for projection in self.projections:
            self._checked.discard(projection.name)
        if not isinstance(self.target, Rebuilding):
            for projection in self.projections:
                self.target.reset(projection)
            return self.catch_up(progress=progress)
        shadow = self.target.shadow(self.projections)
        try:
            beside = Runner(self.store, shadow, self.projections, batch_size=self.batch_size)
            applied = beside.catch_up(progress=progress)
            self.target.swap_in(shadow, self.projections)
        finally:
            shadow.discard(self.projections)
            shadow.close()
        # Events appended while the rebuild ran.
        return applied + self.catch_up()

    def lag(self) -> int:
        """How many positions the furthest-behind projection is behind the log now (0: current)."""
        return max((s.behind for s in self.status()), default=0)

    def status(self) -> list[Status]:
        """Each projection's checkpoint against the store's head."""
        head = self.store.head_position()
        return [Status(p.name, self.target.checkpoint(p.name), head) for p in self.projections]
