"""Integration: events out of rehabcore, into the application's outbox, a broker, another system.

* :mod:`.handlers`: checkpointed subscriptions on the projection runner (at-least-once; exactly once into
  an outbox table in the same database), and :func:`follow`, woken by PostgreSQL NOTIFY.
* :mod:`.cloudevents`: every event as a CloudEvents 1.0 JSON object.
* :mod:`.schemas`: a JSON Schema per event and command, generated from the classes, shipped as files.

``docs/embedding.md`` walks through them. Must not import sqlalchemy: the SQL checkpoints are registered
by ``rehabcore-sqlalchemy``.
"""

from rehabcore.integration.cloudevents import DEFAULT_SOURCE, cloudevent, to_cloudevent, to_json
from rehabcore.integration.handlers import (
    Handle,
    HandlerCheckpoints,
    MemoryHandlerCheckpoints,
    Subscription,
    checkpoints_for,
    events_of,
    follow,
    runner,
)
from rehabcore.integration.schemas import command_schemas, event_schemas

__all__ = [
    "DEFAULT_SOURCE",
    "Handle",
    "HandlerCheckpoints",
    "MemoryHandlerCheckpoints",
    "Subscription",
    "checkpoints_for",
    "cloudevent",
    "command_schemas",
    "event_schemas",
    "events_of",
    "follow",
    "runner",
    "to_cloudevent",
    "to_json",
]
