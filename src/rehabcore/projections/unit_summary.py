"""The unit projections: each unit's name, places and purpose over time, and every place held.

Places are their own projection, keyed by placement: a busy unit takes thousands of places over the years,
and keying them by unit would load them all for every batch that touches the unit. A correction that moves
or retracts a placement withdraws its place at the unit (``PlaceWithdrawn``) and, if it still stands, takes
it again where and when it now reads; a withdrawn place is no row at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.projections.base import Table
from rehabcore.streams import Recorded

UNIT_PREFIX = "unit-"


@attrs.frozen
class UnitRow:
    """One row per unit (``rehabcore_rm_unit``)."""

    unit_stream: str
    unit_id: uuid.UUID | None = None
    name: str | None = None
    jurisdiction: str | None = None
    registered_on: dt.date | None = None


@attrs.frozen
class CapacityRow:
    """Places from a date on (``rehabcore_rm_unit_capacity``)."""

    unit_stream: str
    seq: int
    effective_from: dt.date
    capacity: int


@attrs.frozen
class PurposeRow:
    """What a unit is for from a date on (``rehabcore_rm_unit_purpose``); ``offers`` comma-separated."""

    unit_stream: str
    seq: int
    effective_from: dt.date
    kind: str
    offers: str


@attrs.frozen
class UnitChangeRow:
    """A unit closed, moved or passed to another organisation (``rehabcore_rm_unit_change``, #18).

    ``change`` is ``closed``, ``moved`` or ``owner``; ``value`` the new premises (None: given up) or owner.
    """

    unit_stream: str
    seq: int
    effective_from: dt.date
    change: str
    value: str | None = None
    decision_ref: str | None = None


CLOSED, MOVED, OWNER = "closed", "moved", "owner"


@attrs.frozen
class UnitSummary:
    """What the read models keep of one unit."""

    unit: UnitRow
    capacities: tuple[CapacityRow, ...] = ()
    purposes: tuple[PurposeRow, ...] = ()
    #: Closed, moved, owner changed (#18), oldest first.
    changes: tuple[UnitChangeRow, ...] = ()

    def capacity_on(self, on: dt.date) -> int:
        """Places on ``on`` (0 before registration and once closed); the latest change by then wins."""
        if self.closed_on is not None and self.closed_on <= on:
            return 0
        return next((c.capacity for c in reversed(self.capacities) if c.effective_from <= on), 0)

    def purpose_on(self, on: dt.date) -> PurposeRow | None:
        """What the unit is for on ``on``."""
        return next((p for p in reversed(self.purposes) if p.effective_from <= on), None)

    @property
    def closed_on(self) -> dt.date | None:
        """The first day the unit is closed, if it closed."""
        return next((c.effective_from for c in self.changes if c.change == CLOSED), None)

    def premises_on(self, on: dt.date) -> UnitChangeRow | None:
        """The latest move effective by ``on`` (``value`` None: premises given up); None if it never moved."""
        return next((c for c in reversed(self.changes) if c.change == MOVED and c.effective_from <= on), None)

    def owner_on(self, on: dt.date) -> str | None:
        """The organisation running the unit on ``on`` by the latest owner change (None: never changed)."""
        found = (c for c in reversed(self.changes) if c.change == OWNER and c.effective_from <= on)
        return next((c.value for c in found), None)


@attrs.frozen
class PlaceRow:
    """One placement's hold on a unit's place (``rehabcore_rm_place``), both ends inclusive."""

    placement_id: uuid.UUID
    unit_stream: str = ""
    unit_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    taken_on: dt.date | None = None
    released_on: dt.date | None = None
    over_capacity: bool = False

    def held(self, on: dt.date) -> bool:
        """Whether the place is held on ``on``."""
        return (
            self.taken_on is not None
            and self.taken_on <= on
            and (self.released_on is None or on <= self.released_on)
        )


def _names(*classes: type[Any]) -> frozenset[str]:
    return frozenset(name for name, (cls, _) in codec.EVENT_TYPES.items() if cls in classes)


def unit_id_of(stream_id: str) -> uuid.UUID | None:
    """The unit id in a unit stream id, if it is one."""
    try:
        return uuid.UUID(stream_id.removeprefix(UNIT_PREFIX))
    except ValueError:
        return None


class UnitProjection:
    """Per unit stream, a :class:`UnitSummary`."""

    name: str = "units"
    #: 2: closed, moved and owner changed (#18; version 1 ignored them).
    version: int = 2
    types: frozenset[str] | None = _names(
        ev.UnitRegistered,
        ev.UnitCapacityChanged,
        ev.UnitPurposeChanged,
        ev.UnitClosed,
        ev.UnitMoved,
        ev.UnitOwnerChanged,
    )
    tables: tuple[Table, ...] = (
        Table("rehabcore_rm_unit", UnitRow, "unit_stream", ("unit_stream",)),
        Table("rehabcore_rm_unit_capacity", CapacityRow, "unit_stream", ("unit_stream", "seq")),
        Table("rehabcore_rm_unit_purpose", PurposeRow, "unit_stream", ("unit_stream", "seq")),
        Table("rehabcore_rm_unit_change", UnitChangeRow, "unit_stream", ("unit_stream", "seq")),
    )

    def key(self, recorded: Recorded) -> str | None:
        """The unit stream."""
        return recorded.stream_id

    def initial(self, key: str) -> UnitSummary:
        """A unit not yet registered."""
        return UnitSummary(UnitRow(key))

    def evolve(self, value: UnitSummary, recorded: Recorded) -> UnitSummary:
        """The unit after one more event."""
        e, s, key = recorded.event, value, recorded.stream_id
        match e:
            case ev.UnitRegistered():
                return UnitSummary(
                    UnitRow(key, e.unit_id, e.name, e.jurisdiction.value, e.occurred_on),
                    (CapacityRow(key, 0, e.occurred_on, e.capacity),),
                    (PurposeRow(key, 0, e.occurred_on, e.kind.value, _offers(e.offers)),),
                )
            case ev.UnitCapacityChanged():
                row = CapacityRow(key, len(s.capacities), e.occurred_on, e.capacity)
                return attrs.evolve(s, capacities=(*s.capacities, row))
            case ev.UnitPurposeChanged():
                purpose = PurposeRow(key, len(s.purposes), e.occurred_on, e.kind.value, _offers(e.offers))
                return attrs.evolve(s, purposes=(*s.purposes, purpose))
            # --- #18 unit changes
            case ev.UnitClosed():
                return _changed(s, key, e.occurred_on, CLOSED, None, e.decision_ref)
            case ev.UnitMoved():
                return _changed(s, key, e.occurred_on, MOVED, e.premises, e.decision_ref)
            case ev.UnitOwnerChanged():
                return _changed(s, key, e.occurred_on, OWNER, e.owner, e.decision_ref)
        return s

    def to_rows(self, value: UnitSummary) -> tuple[tuple[Any, ...], ...]:
        """The unit as rows of its four tables."""
        return ((value.unit,), value.capacities, value.purposes, value.changes)

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> UnitSummary:
        """The unit back from its rows."""
        unit, capacities, purposes, changes = rows
        return UnitSummary(
            unit[0] if unit else UnitRow(key),
            tuple(sorted(capacities, key=lambda r: r.seq)),
            tuple(sorted(purposes, key=lambda r: r.seq)),
            tuple(sorted(changes, key=lambda r: r.seq)),
        )


def _changed(
    s: UnitSummary, key: str, on: dt.date, change: str, value: str | None, ref: str | None
) -> UnitSummary:
    row = UnitChangeRow(key, len(s.changes), on, change, value, ref)
    return attrs.evolve(s, changes=(*s.changes, row))


def _offers(kinds: Sequence[Any]) -> str:
    return ",".join(k.value for k in kinds)


class PlaceProjection:
    """Per placement, the place it holds at its unit (from the unit streams' PlaceTaken, PlaceReleased and
    PlaceWithdrawn)."""

    name: str = "places"
    #: 2: PlaceWithdrawn gives the place back (version 1 ignored it).
    version: int = 2
    types: frozenset[str] | None = _names(ev.PlaceTaken, ev.PlaceReleased, ev.PlaceWithdrawn)
    tables: tuple[Table, ...] = (Table("rehabcore_rm_place", PlaceRow, "placement_id", ("placement_id",)),)

    def key(self, recorded: Recorded) -> uuid.UUID | None:
        """The placement."""
        e = recorded.event
        return e.placement_id if isinstance(e, ev.PlaceTaken | ev.PlaceReleased | ev.PlaceWithdrawn) else None

    def initial(self, key: uuid.UUID) -> PlaceRow:
        """A place not yet taken."""
        return PlaceRow(key)

    def evolve(self, value: PlaceRow, recorded: Recorded) -> PlaceRow:
        """The place after one more event.

        A release or withdrawal counts only at the unit that holds the place now. A correction that moves
        placements between units appends to each unit's stream, and the stream appended first gets the lower
        positions: a place may be taken at its new unit before it is withdrawn at its old one. Each unit's
        own fold (``Cases.unit``) holds the place at the new unit only, and so does this.
        """
        e = recorded.event
        if isinstance(e, ev.PlaceTaken):
            return PlaceRow(
                e.placement_id,
                recorded.stream_id,
                unit_id_of(recorded.stream_id),
                e.case_id,
                e.occurred_on,
                None,
                e.over_capacity_reason is not None,
            )
        if recorded.stream_id != value.unit_stream:
            return value
        if isinstance(e, ev.PlaceReleased):
            return attrs.evolve(value, released_on=e.occurred_on)
        if isinstance(e, ev.PlaceWithdrawn):
            return PlaceRow(e.placement_id)
        return value

    def to_rows(self, value: PlaceRow) -> tuple[tuple[Any, ...], ...]:
        """One row while the place is taken; none once withdrawn (or before it is taken)."""
        return ((value,),) if value.taken_on is not None else ((),)

    def from_rows(self, key: uuid.UUID, rows: Sequence[Sequence[Any]]) -> PlaceRow:
        """The row itself."""
        return rows[0][0] if rows[0] else PlaceRow(key)
