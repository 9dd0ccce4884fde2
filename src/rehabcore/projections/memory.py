"""MemoryProjectionStore: projection values and checkpoints in dictionaries (the reference back-end)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from rehabcore.projections.base import (
    BatchItem,
    CheckpointConflict,
    CheckpointMovedBackwards,
    Fold,
    K,
    Projection,
    V,
    check_position,
)


class MemoryProjectionStore:
    """Values and checkpoints in this process; a batch swaps both under one lock, so it is atomic."""

    def __init__(self) -> None:
        self._checkpoints: dict[str, int] = {}
        self._values: dict[str, dict[Any, Any]] = {}
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
        fold: Fold[Any, Any] = Fold(projection, batch)
        with self._lock:
            stored = self._checkpoints.get(projection.name, 0)
            if stored != after:
                raise CheckpointConflict(projection.name, after, stored)
            if up_to < stored:
                raise CheckpointMovedBackwards(projection.name, stored, up_to)
            values = self._values.setdefault(projection.name, {})
            # Folding may raise (a bug in evolve): nothing is assigned until it has finished.
            changed = fold.run({k: values[k] for k in fold.keys if k in values})
            for key, value in changed.items():
                # A value with no rows is no value, as in SQL (where its rows are deleted): a place withdrawn
                # by a correction is gone from ``values()`` on both back-ends.
                if any(projection.to_rows(value)):
                    values[key] = value
                else:
                    values.pop(key, None)
            self._checkpoints[projection.name] = up_to

    def reset(self, projection: Projection[Any, Any]) -> None:
        with self._lock:
            self._checkpoints.pop(projection.name, None)
            self._values.pop(projection.name, None)

    def values(self, projection: Projection[K, V]) -> Iterator[V]:
        with self._lock:
            snapshot = list(self._values.get(projection.name, {}).values())
        return iter(snapshot)

    def shadow(self, projections: Sequence[Projection[Any, Any]]) -> MemoryProjectionStore:
        """An empty store beside this one, for a rebuild to fill before :meth:`swap_in`."""
        return MemoryProjectionStore()

    def discard(self, projections: Sequence[Projection[Any, Any]]) -> None:
        """Nothing to drop: a rebuild's store in memory goes with its last reference."""

    def swap_in(self, shadow: MemoryProjectionStore, projections: Sequence[Projection[Any, Any]]) -> None:
        """Take the values and checkpoints of ``projections`` from ``shadow``, all under one lock."""
        with self._lock, shadow._lock:
            for p in projections:
                self._values[p.name] = dict(shadow._values.get(p.name, {}))
                if p.name in shadow._checkpoints:
                    self._checkpoints[p.name] = shadow._checkpoints[p.name]
                else:
                    self._checkpoints.pop(p.name, None)

    def close(self) -> None:
        """Nothing to release."""
