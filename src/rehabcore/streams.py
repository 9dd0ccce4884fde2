"""Where events live and how a stored one is read: stream ids, :class:`Recorded`, decoding, the time zones.

The service (``cases.py``), the projections and the audit tools all read streams; they share these names
from here rather than from the service. Stream ids are a prefix and a random id, never anything personal.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterable
from typing import Any

import attrs
import orjson

from rehabcore import codec, sealing
from rehabcore.domain import events as ev
from rehabcore.domain.corrections import Entry
from rehabcore.domain.validation import check_for
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.store import StoredEvent

# Ids from callers are checked before they name a stream or an error: never an identity number in either.
_check_id = check_for(uuid.UUID)

#: The time zone a jurisdiction's business dates are read in ("today" of a case worker there).
ZONES: dict[Jurisdiction, zoneinfo.ZoneInfo] = {
    Jurisdiction.SE: zoneinfo.ZoneInfo("Europe/Stockholm"),
    Jurisdiction.DK: zoneinfo.ZoneInfo("Europe/Copenhagen"),
}


def local_date(moment: dt.datetime, jurisdiction: Jurisdiction) -> dt.date:
    """The business date of ``moment`` in the jurisdiction's time zone."""
    return moment.astimezone(ZONES[jurisdiction]).date()


def case_stream(case_id: uuid.UUID) -> str:
    """The stream id of a case: a prefix and the random case id, never anything personal."""
    _check_id("case_id", case_id)
    return f"case-{case_id}"


def unit_stream(unit_id: uuid.UUID) -> str:
    """The stream id of a unit."""
    _check_id("unit_id", unit_id)
    return f"unit-{unit_id}"


@attrs.frozen(kw_only=True)
class Recorded:
    """A stored event, decoded, with its envelope."""

    position: int
    stream_id: str
    version: int
    recorded_at: dt.datetime
    event: ev.Event
    metadata: dict[str, Any]


def decode(stored: StoredEvent) -> ev.Event:
    """The typed event of a stored row, upcast to the current schema version, personal text opened."""
    event = codec.decode_event(stored.type, stored.schema_version, stored.data)
    # Opening is part of decoding (#13); a row in plain text costs one bytes search.
    return sealing.open_event(event) if sealing.sealed_in(stored.data) else event


def recorded(stored: StoredEvent) -> Recorded:
    """A stored row decoded, with its envelope and metadata."""
    return Recorded(
        position=stored.position,
        stream_id=stored.stream_id,
        version=stored.version,
        recorded_at=stored.recorded_at,
        event=decode(stored),
        metadata=_metadata(stored.metadata),
    )


def _metadata(raw: bytes) -> Any:
    meta = orjson.loads(raw)
    return sealing.open_command(meta) if sealing.sealed_in(raw) else meta


def entries(stored: Iterable[StoredEvent]) -> list[Entry]:
    """A case stream's events with their stored ids, as the effective history reads them."""
    return [(s.event_id, decode(s)) for s in stored]  # type: ignore[misc]
