"""A store as the record stood at a moment: only the entries recorded up to then (the first clock).

``Cases.get(…, as_known_at=…)`` and the audit views answer "what did the record say at T" for one case;
:class:`KnownAtView` answers it for anything that reads a whole store — the projection
:class:`~rehabcore.projections.runner.Runner` and so every read model, e.g. the IVO report as the
municipality could have sent it on a given day (``rehabcore ivo-report --as-known-at``). Entries recorded
later are left out wherever they sit, so a correction recorded after the moment is not applied either.

The view is for reading: it refuses to append, like :class:`~rehabcore.tenancy.TenantView`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from rehabcore.errors import InvalidInput
from rehabcore.store import AppendResult, EventStore, StoredEvent, StreamWrite

__all__ = ["KnownAtView"]


class KnownAtView:
    """``store`` as it stood at ``moment``: the entries with ``recorded_at <= moment``."""

    def __init__(self, store: EventStore, moment: dt.datetime) -> None:
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            raise InvalidInput("as_known_at", "must be a moment with a time zone: 2026-04-07T12:00+02:00")
        self.store = store
        self.moment = moment

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Refused: the record as it stood then is read, never written."""
        raise InvalidInput("KnownAtView.append", "the record as it stood at a moment is for reading")

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The stream's entries recorded up to the moment, in version order."""
        found = [
            s
            for s in self.store.read_stream(
                stream_id, after_version=after_version, up_to_version=up_to_version, backwards=backwards
            )
            if s.recorded_at <= self.moment
        ]
        return found if limit is None else found[:limit]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every entry recorded up to the moment after ``after``, in order; ``limit`` counts those shown."""
        shown = 0
        for stored in self.store.read_all(after=after, types=types):
            if limit is not None and shown >= limit:
                return
            if stored.recorded_at <= self.moment:
                shown += 1
                yield stored

    def head_position(self) -> int:
        """The store's head (positions are the store's; later entries leave gaps)."""
        return self.store.head_position()

    def close(self) -> None:
        """Close the store underneath."""
        self.store.close()
