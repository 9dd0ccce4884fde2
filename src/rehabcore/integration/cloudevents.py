"""Events as CloudEvents 1.0 (structured JSON): the exchange format for brokers and other systems.

Each event becomes one JSON object with the required attributes and a few of rehabcore's own:

* ``id`` ``"<stream>/<version>"``: unique within the source and stable forever (a stream's versions never
  change), so a consumer can drop a duplicate by it; ``source`` the configured URI (default ``/rehabcore``).
* ``type`` the stable event name (``rehab.PlacementStarted``), ``dataschema`` the ``$id`` of its JSON
  Schema at the version ``data`` is written in (:mod:`.schemas`), ``subject`` the stream id (``case-<uuid>``:
  never personal data), ``time`` when the record learned of it (``recorded_at``).
* ``data``: the event as the codec writes it now (stored rows of older versions are upcast first), so it
  always validates against the schema named in ``dataschema``.
* Extensions ``rehabposition`` (the global order) and ``rehabversion`` (the stream version).

The metadata (actor, command) is not exported: it holds staff ids and the command's free text, which a
consumer of integration events has no need for.
"""

from __future__ import annotations

from typing import Any

import orjson

from rehabcore import codec
from rehabcore.cases import Recorded
from rehabcore.integration.schemas import event_schema_id
from rehabcore.store import StoredEvent

SPEC_VERSION = "1.0"
DEFAULT_SOURCE = "/rehabcore"


def cloudevent(recorded: Recorded, *, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """A decoded event with its envelope as a CloudEvents 1.0 structured-mode JSON object."""
    name, version, data = codec.encode_event(recorded.event)
    return {
        "specversion": SPEC_VERSION,
        "id": f"{recorded.stream_id}/{recorded.version}",
        "source": source,
        "type": name,
        "subject": recorded.stream_id,
        "time": recorded.recorded_at.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": event_schema_id(name, version),
        "rehabposition": recorded.position,
        "rehabversion": recorded.version,
        "data": orjson.loads(data),
    }


def to_cloudevent(stored: StoredEvent, *, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """A stored event (decoded, upcast, written again at its current version) as a CloudEvent."""
    event = codec.decode_event(stored.type, stored.schema_version, stored.data)
    recorded = Recorded(
        position=stored.position,
        stream_id=stored.stream_id,
        version=stored.version,
        recorded_at=stored.recorded_at,
        event=event,
        metadata={},
    )
    return cloudevent(recorded, source=source)


def to_json(recorded: Recorded, *, source: str = DEFAULT_SOURCE) -> bytes:
    """:func:`cloudevent` as ``application/cloudevents+json`` bytes."""
    return orjson.dumps(cloudevent(recorded, source=source))
