"""Integration handlers: checkpointed, at-least-once delivery of events to the application's outbox or broker.

A :class:`Subscription` is a projection whose "state" is the application's side effect: the projection
:class:`~rehabcore.projections.Runner` reads batches after the subscription's checkpoint, as it does for
read models, and hands each batch to a :class:`HandlerCheckpoints` store, which calls the handler and moves
the checkpoint in one transaction.

* On a SQL store (``rehabcore-sqlalchemy``) the handler is given the SQLAlchemy ``Connection`` of that
  transaction: rows it writes there (an outbox table in the same database) commit with the checkpoint, so
  each event lands in the outbox exactly once.
* A handler that talks to something outside the transaction (a broker, an HTTP endpoint) gets
  **at-least-once** delivery: a crash after it sent and before the checkpoint committed sends the batch
  again. The consumer must be idempotent: keep the ids it has processed (the CloudEvent ``id``,
  ``"<stream>/<version>"``, is unique and stable) and skip a repeat (``docs/embedding.md``).

Batches are in position order, and a failing handler (it raises) moves nothing: the same batch is offered
again on the next catch-up. :func:`follow` keeps a runner current, sleeping on the store's waker between
catch-ups (PostgreSQL LISTEN/NOTIFY; polling elsewhere).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol, cast

import attrs

from rehabcore.cases import Recorded
from rehabcore.errors import InvalidInput, StoreError
from rehabcore.memory import InMemoryStore
from rehabcore.projections.base import (
    BatchItem,
    CheckpointConflict,
    CheckpointMovedBackwards,
    Projection,
    Rederived,
    check_position,
)
from rehabcore.projections.runner import Runner
from rehabcore.store import EventStore

#: What a handler is: it gets a batch of decoded events in order and the transaction they ride in (a
#: SQLAlchemy Connection on a SQL store; ``None`` on the in-memory one).
Handle = Callable[[Sequence[Recorded], Any], None]


@attrs.frozen
class Subscription:
    """A named handler of some event types (``None``: all), run by the projection runner.

    It fits the :class:`~rehabcore.projections.Projection` protocol with no keys and no tables: the runner
    reads and filters for it, a :class:`HandlerCheckpoints` store applies its batches.
    """

    name: str
    handle: Handle
    types: frozenset[str] | None = None
    version: int = 1
    tables: tuple[Any, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or len(self.name) > 200:
            raise InvalidInput("name", "a subscription needs a name of 1 to 200 characters")
        if not callable(self.handle):
            raise InvalidInput("handle", "expected a callable taking (events, connection)")

    def key(self, recorded: Recorded) -> None:
        return None

    def initial(self, key: Any) -> None:
        return None

    def evolve(self, value: Any, recorded: Recorded) -> None:
        return None

    def to_rows(self, value: Any) -> tuple[tuple[Any, ...], ...]:
        return ()

    def from_rows(self, key: Any, rows: Sequence[Sequence[Any]]) -> None:
        return None


def events_of(batch: Sequence[BatchItem]) -> list[Recorded]:
    """The recorded events of a runner's batch, in order."""
    return [item.recorded if isinstance(item, Rederived) else item for item in batch]


class HandlerCheckpoints(Protocol):
    """Where subscriptions' checkpoints live; applies a batch and its checkpoint in one transaction.

    The projection runner's ``target``: it has the :class:`~rehabcore.projections.ProjectionStore` methods.
    """

    def checkpoint(self, name: str) -> int: ...

    def record_checkpoint(self, name: str, position: int) -> None: ...

    def apply(
        self, projection: Projection[Any, Any], batch: Sequence[BatchItem], *, after: int, up_to: int
    ) -> None: ...

    def reset(self, projection: Projection[Any, Any]) -> None: ...

    def values(self, projection: Projection[Any, Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class MemoryHandlerCheckpoints:
    """Checkpoints in this process (the in-memory store's); the handler is called with ``None``."""

    def __init__(self) -> None:
        self._checkpoints: dict[str, int] = {}
        self._lock = threading.Lock()

    def checkpoint(self, name: str) -> int:
        with self._lock:
            return self._checkpoints.get(name, 0)

    def record_checkpoint(self, name: str, position: int) -> None:
        check_position(name, position)
        with self._lock:
            stored = self._checkpoints.get(name, 0)
            if position < stored:
                raise CheckpointMovedBackwards(name, stored, position)
            self._checkpoints[name] = position

    def apply(
        self, projection: Projection[Any, Any], batch: Sequence[BatchItem], *, after: int, up_to: int
    ) -> None:
        check_position(projection.name, up_to)
        with self._lock:
            stored = self._checkpoints.get(projection.name, 0)
            if stored != after:
                raise CheckpointConflict(projection.name, after, stored)
            if up_to < stored:
                raise CheckpointMovedBackwards(projection.name, stored, up_to)
            if batch:
                _subscription(projection).handle(events_of(batch), None)
            self._checkpoints[projection.name] = up_to

    def reset(self, projection: Projection[Any, Any]) -> None:
        with self._lock:
            self._checkpoints.pop(projection.name, None)

    def values(self, projection: Projection[Any, Any]) -> Iterator[Any]:
        return iter(())

    def close(self) -> None:
        """Nothing to release."""


def _subscription(projection: object) -> Subscription:
    if not isinstance(projection, Subscription):
        raise InvalidInput("projection", "a handler checkpoint store runs Subscriptions only")
    return projection


def checkpoints_for(store: EventStore) -> HandlerCheckpoints:
    """Where a store's subscriptions keep checkpoints: its own database for a SQL store, else memory.

    Adapters register a factory in the entry-point group ``rehabcore.handler_checkpoints``.
    """
    if not isinstance(store, InMemoryStore):
        for ep in entry_points(group="rehabcore.handler_checkpoints"):
            found = ep.load()(store)
            if found is not None:
                return found  # type: ignore[no-any-return]
    return MemoryHandlerCheckpoints()


def runner(
    store: EventStore,
    *subscriptions: Subscription,
    target: HandlerCheckpoints | None = None,
    batch_size: int = 500,
) -> Runner:
    """A projection runner over ``subscriptions``, with checkpoints where the store keeps them."""
    if not subscriptions:
        raise InvalidInput("subscriptions", "give at least one Subscription")
    for subscription in subscriptions:
        _subscription(subscription)
    chosen = checkpoints_for(store) if target is None else target
    # A frozen Subscription has read-only attributes where the Projection protocol declares plain ones.
    projections = cast(Sequence[Projection[Any, Any]], subscriptions)
    return Runner(store, chosen, projections, batch_size=batch_size)


class Waker(Protocol):
    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


class _Sleep:
    def __init__(self) -> None:
        self._stop = threading.Event()

    def wait(self, timeout: float) -> bool:
        self._stop.wait(timeout)
        return False

    def close(self) -> None:
        self._stop.set()


def follow(
    running: Runner,
    stop: threading.Event | Callable[[], bool],
    *,
    poll_interval: float = 1.0,
    on_error: Callable[[Exception], None] | None = None,
) -> int:
    """Catch up, then wait for new events and catch up again, until ``stop``; return the events applied.

    Between catch-ups it sleeps on the store's waker (``store.waker()``: woken by PostgreSQL's NOTIFY at
    each commit), or polls every ``poll_interval`` seconds. A storage failure (``StoreError``, e.g. the
    server restarting) is passed to ``on_error`` and retried after the interval, rather than ending the
    follower; a handler's own exception ends it (fix the handler, then start again: nothing was skipped).
    """
    should_stop = stop.is_set if isinstance(stop, threading.Event) else stop
    make = getattr(running.store, "waker", None)
    waker: Waker = make() if callable(make) else _Sleep()
    applied = 0
    try:
        while True:
            done = should_stop()
            try:
                applied += running.catch_up()
            except StoreError as error:
                if on_error is None:
                    raise
                on_error(error)
            if done:  # one last catch-up after the stop, so what was written before it is handled
                return applied
            waker.wait(poll_interval)
    finally:
        waker.close()
