"""Housing support and day activity, followed up together (seed 002, #16).

Linköping wants more people in occupation and fewer in housing support only, followed up jointly by the
providers of both. :func:`housing_support_and_day_activity` lists everyone with housing support on a day —
the provider that gives it, and whether (and where) they also have a day activity: a placement of any other
kind running that day. :func:`by_provider` counts them per housing-support provider. Read from the whole
store, as the refocus worklist is: it is the municipality's joint follow-up, for the board.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

import attrs

from rehabcore.domain.corrections import fold_effective
from rehabcore.domain.organisation import Organisation
from rehabcore.domain.vocabulary import PlacementKind
from rehabcore.store import EventStore
from rehabcore.streams import entries

__all__ = ["HousingSupportRow", "by_provider", "housing_support_and_day_activity"]

_UNKNOWN = "-"


@attrs.frozen
class HousingSupportRow:
    """One person with housing support on the day, and their day activity if they have one."""

    case_id: uuid.UUID
    #: The provider giving the housing support ("-" for a unit no provider of the organisation lists).
    housing_provider: str
    #: The providers of the day activities running that day (none: housing support only).
    day_activity_providers: tuple[str, ...]

    @property
    def has_day_activity(self) -> bool:
        """Also in a day activity (occupation, daily activity, work rehabilitation) that day."""
        return bool(self.day_activity_providers)


def housing_support_and_day_activity(
    store: EventStore, on: dt.date, organisation: Organisation | None = None
) -> list[HousingSupportRow]:
    """Everyone with housing support running on ``on``, with their day activities' providers."""

    def provider(unit_id: uuid.UUID) -> str:
        owner = organisation.provider_of(unit_id) if organisation is not None else None
        return owner.provider_id if owner is not None else _UNKNOWN

    streams = {s.stream_id for s in store.read_all(types=["rehab.PlacementStarted"])}
    rows = []
    for stream in sorted(streams):
        state = fold_effective(entries(store.read_stream(stream)))
        running = [p for p in state.placements.values() if p.is_active(on)]
        housing = [p for p in running if p.kind is PlacementKind.HOUSING_SUPPORT]
        if not housing or state.case_id is None:
            continue
        days = tuple(
            sorted({provider(p.unit_id) for p in running if p.kind is not PlacementKind.HOUSING_SUPPORT})
        )
        for p in housing:
            rows.append(HousingSupportRow(state.case_id, provider(p.unit_id), days))
    return rows


def by_provider(rows: list[HousingSupportRow]) -> dict[str, tuple[int, int]]:
    """Per housing-support provider: (people with a day activity too, people with housing support only)."""
    with_day: Counter[str] = Counter(r.housing_provider for r in rows if r.has_day_activity)
    only: Counter[str] = Counter(r.housing_provider for r in rows if not r.has_day_activity)
    return {p: (with_day[p], only[p]) for p in sorted({*with_day, *only})}
