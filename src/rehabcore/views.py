"""A store seen through a filter, for reading: the one mechanism behind tenant views and as-known-at views.

A view shows the entries its :meth:`ReadOnlyView.shows` keeps, in the store's order, with the store's
positions and versions (gaps where entries are left out), and refuses to append: what it shows is decided
elsewhere. :class:`~rehabcore.tenancy.TenantView` keeps the entries naming a tenant (#16);
:class:`~rehabcore.known.KnownAtView` the entries recorded up to a moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rehabcore.errors import InvalidInput
from rehabcore.store import AppendResult, EventStore, StoredEvent, StreamWrite

__all__ = ["ReadOnlyView"]


class ReadOnlyView:
    """``store`` as a filter shows it: subclasses say which entries (``shows``) and why appends fail."""

    #: What an append is told (the view's reason for being read only).
    refusal = "a view of a store is for reading"

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def shows(self, stored: StoredEvent) -> bool:
        """Whether the view shows this entry."""
        raise NotImplementedError

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Refused: a view is for reading."""
        raise InvalidInput(f"{type(self).__name__}.append", self.refusal)

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The stream's entries the view shows, in version order (versions keep their gaps)."""
        found = [
            s
            for s in self.store.read_stream(
                stream_id, after_version=after_version, up_to_version=up_to_version, backwards=backwards
            )
            if self.shows(s)
        ]
        return found if limit is None else found[:limit]

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every entry the view shows after ``after``, in order; ``limit`` counts the entries shown."""
        shown = 0
        for stored in self.store.read_all(after=after, types=types):
            if limit is not None and shown >= limit:
                return
            if self.shows(stored):
                shown += 1
                yield stored

    def head_position(self) -> int:
        """The store's head: positions are the store's, with gaps where entries are left out."""
        return self.store.head_position()

    def close(self) -> None:
        """Close the store underneath."""
        self.store.close()
