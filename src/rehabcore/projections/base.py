"""What a projection is, where its state and checkpoint live, and the errors of both.

A projection is an initial value and an evolve function over stored events, kept per key: the case
projection keeps one small summary per case stream, the unit projection one per unit. Keying is what lets
a SQL back-end hold the state in tables and touch only the rows a batch of events changes, so a rebuild of
millions of events runs in constant memory.

A :class:`ProjectionStore` keeps each projection's values and its checkpoint (the position of the last
event applied) and applies a batch atomically: the values and the checkpoint move together or not at all.

Must not import sqlalchemy: the SQL back-end lives in the ``rehabcore-sqlalchemy`` adapter.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import attrs

from rehabcore.errors import RehabcoreError
from rehabcore.streams import Recorded

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ProjectionError(RehabcoreError):
    """Base of the errors a projection runner or projection store raises."""


class CheckpointMovedBackwards(ProjectionError, ValueError):
    """A checkpoint was asked to move to a position below the one stored: refused, nothing written.

    Moving back would apply events a second time. To start over, rebuild (which resets on purpose).
    """

    def __init__(self, name: str, stored: int, given: int) -> None:
        self.name = name
        self.stored = stored
        self.given = given
        super().__init__(
            f"projection {name}: checkpoint is at {stored}, refusing to move it back to {given}; "
            "rebuild to start over"
        )


class CheckpointConflict(ProjectionError):
    """Another runner applied events to this projection since this batch was read: nothing written.

    The batch was read after ``expected``, but the stored checkpoint is ``stored``; applying it would count
    events twice. Read again from the stored checkpoint.
    """

    def __init__(self, name: str, expected: int, stored: int) -> None:
        self.name = name
        self.expected = expected
        self.stored = stored
        super().__init__(
            f"projection {name}: batch read after position {expected}, but the checkpoint is now at "
            f"{stored}; another runner moved it"
        )


class ProjectionOutdated(ProjectionError):
    """The stored state was built by another version of a projection; rebuild it before use."""

    def __init__(self, name: str, stored: int, current: int) -> None:
        self.name = name
        super().__init__(
            f"projection {name}: stored state has version {stored}, this rehabcore builds {current}; "
            "run `rehabcore projections rebuild`"
        )


@attrs.frozen
class Table:
    """A read-model table: its name, the attrs class whose fields are its columns, and its keys.

    ``key`` is the column holding the projection key (every row of one key is replaced together);
    ``primary_key`` the columns that identify a row.
    """

    name: str
    row: type[Any]
    key: str
    primary_key: tuple[str, ...]


class Projection(Protocol[K, V]):
    """An initial value and an evolve function, per key, over decoded stored events."""

    #: A stable name; the checkpoint and the tables are kept under it.
    name: str
    #: The shape of the state; bump it when evolve or the rows change, and the stored state must be rebuilt.
    version: int
    #: The stored event type names it reads (``None``: every event). Others are never fetched.
    types: frozenset[str] | None
    #: The tables the SQL back-end keeps its values in (one value is a group of rows across them).
    tables: tuple[Table, ...]

    def key(self, recorded: Recorded) -> K | None:
        """The key an event belongs to, or None to skip it."""
        ...

    def initial(self, key: K) -> V:
        """The value of a key before its first event."""
        ...

    def evolve(self, value: V, recorded: Recorded) -> V:
        """The value after one more event. Total: never raises on a recorded event."""
        ...

    def to_rows(self, value: V) -> tuple[tuple[Any, ...], ...]:
        """The value as rows, one tuple per table in ``tables`` order."""
        ...

    def from_rows(self, key: K, rows: Sequence[Sequence[Any]]) -> V:
        """The value back from its rows (as ``to_rows`` gave them, in any order within a table)."""
        ...


@attrs.frozen
class Rederived:
    """An event of a batch with the value its key has after it, derived from the stream up to it."""

    recorded: Recorded
    value: Any


#: What a batch holds: events to fold, or a value derived from the stream (see :class:`Rederiving`).
BatchItem = Recorded | Rederived


@runtime_checkable
class Rederiving(Projection[K, V], Protocol[K, V]):
    """A projection some of whose events change what came before them in their stream.

    A correction (``EntryCorrected``) or retraction (``EntryRetracted``) changes an earlier entry of a case,
    which a one-step evolve cannot undo. For such an event the runner reads the event's own stream up to and
    including it and asks the projection for the key's value derived anew from that history; the events
    after it fold on top as usual. A stream's events up to a version never change, so the value derived is
    the same whenever (and however often) it is derived: a runner killed before its batch commits derives
    it again, identically.
    """

    def rederives(self, recorded: Recorded) -> bool:
        """Whether the key's value must be derived again from its stream up to this event."""
        ...

    def rederive(self, key: K, history: Sequence[tuple[uuid.UUID, Recorded]]) -> V:
        """The key's value from its stream's events (with their stored ids), oldest first. Total."""
        ...


@attrs.frozen
class Status:
    """Where one projection stands: its checkpoint against the store's head."""

    name: str
    checkpoint: int
    head: int

    @property
    def behind(self) -> int:
        """Events stored but not yet applied (an upper bound when the projection reads few types)."""
        return max(self.head - self.checkpoint, 0)


class ProjectionStore(Protocol):
    """Where projection values and checkpoints live. Every batch is applied all-or-nothing."""

    def checkpoint(self, name: str) -> int:
        """The position of the last event applied to projection ``name`` (0 if none)."""
        ...

    def record_checkpoint(self, name: str, position: int) -> None:
        """Move a checkpoint forward without events; raise :class:`CheckpointMovedBackwards` going back."""
        ...

    def apply(
        self, projection: Projection[Any, Any], batch: Sequence[BatchItem], *, after: int, up_to: int
    ) -> None:
        """Fold ``batch`` (read after position ``after``) into the values and set the checkpoint to ``up_to``.

        Atomic: on any error nothing changes. Raises :class:`CheckpointConflict` when the stored checkpoint
        is no longer ``after`` and :class:`CheckpointMovedBackwards` when ``up_to`` is below it.
        """
        ...

    def reset(self, projection: Projection[Any, Any]) -> None:
        """Forget every value and the checkpoint of ``projection`` (the start of a rebuild)."""
        ...

    def values(self, projection: Projection[K, V]) -> Iterator[V]:
        """Every value the projection holds, in no particular order."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class Fold(Generic[K, V]):
    """Fold one batch into the values it touches; the back-ends share this, so they cannot drift apart."""

    def __init__(self, projection: Projection[K, V], batch: Sequence[BatchItem]) -> None:
        self.projection = projection
        self.keyed: list[tuple[K, BatchItem]] = []
        for item in batch:
            key = projection.key(item.recorded if isinstance(item, Rederived) else item)
            if key is not None:
                self.keyed.append((key, item))

    @property
    def keys(self) -> list[K]:
        """The keys the batch touches, each once, in first-touched order."""
        return list(dict.fromkeys(k for k, _ in self.keyed))

    def run(self, loaded: dict[K, V]) -> dict[K, V]:
        """The new value of every touched key, given the stored values of those that exist."""
        out: dict[K, V] = {}
        for key, item in self.keyed:
            if isinstance(item, Rederived):
                out[key] = item.value  # derived from the whole stream up to here: what came before is in it
                continue
            value = out[key] if key in out else loaded.get(key)
            if value is None:
                value = self.projection.initial(key)
            out[key] = self.projection.evolve(value, item)
        return out


def check_position(name: str, value: object) -> int:
    """A checkpoint position: an int >= 0 (a bool is not one)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        from rehabcore.errors import InvalidInput

        raise InvalidInput("position", f"projection {name}: a checkpoint is a position >= 0")
    return value
