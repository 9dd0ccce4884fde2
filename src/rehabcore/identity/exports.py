"""Leaving people with protected identity (skyddade personuppgifter) out of what leaves the system.

Every export and external report passes its rows through :func:`without_protected` with the vault's
:meth:`~rehabcore.identity.vault.Vault.protected_subjects`: a case whose person is protected is left out,
every event of it, read in store order (a case stream's first event names its person).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.store import StoredEvent

#: The stored name of the event that opens a case and names its person.
_OPENED = next(name for name, (cls, _) in codec.EVENT_TYPES.items() if cls is ev.CaseOpened)


_UNIT_PLACES = frozenset(
    name
    for name, (cls, _) in codec.EVENT_TYPES.items()
    if cls in (ev.PlaceTaken, ev.PlaceReleased, ev.PlaceWithdrawn)
)


def without_protected(rows: Iterable[StoredEvent], protected: frozenset[uuid.UUID]) -> Iterator[StoredEvent]:
    """``rows`` (in store order) without the cases of people with protected identity.

    A unit's places taken by such a case (and given back) are left out too: they name the case.
    """
    left_out: set[str] = set()
    placements: set[uuid.UUID] = set()
    for stored in rows:
        if protected and stored.type == _OPENED:
            opened = codec.decode_event(stored.type, stored.schema_version, stored.data)
            if isinstance(opened, ev.CaseOpened) and opened.subject_id in protected:
                left_out.add(stored.stream_id)
        if left_out and stored.type in _UNIT_PLACES:
            place = codec.decode_event(stored.type, stored.schema_version, stored.data)
            if isinstance(place, ev.PlaceTaken) and f"case-{place.case_id}" in left_out:
                placements.add(place.placement_id)
            if getattr(place, "placement_id", None) in placements:
                continue
        if stored.stream_id not in left_out:
            yield stored
