"""rehabcore: the case record of vocational rehabilitation and daily activity, as an event stream."""

from rehabcore.errors import (
    AdapterNotInstalled,
    ConcurrencyError,
    DecodeError,
    InvalidInput,
    PayloadRejected,
    PersonalDataInIdentifier,
    RehabcoreError,
    RuleViolation,
    StoreError,
    UnknownCase,
    UnknownUnit,
)
from rehabcore.memory import InMemoryStore
from rehabcore.store import (
    ANY_VERSION,
    NO_STREAM,
    AppendResult,
    EventStore,
    NewEvent,
    StoredEvent,
    StreamWrite,
    open_store,
)

__version__ = "0.1.0"

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "AdapterNotInstalled",
    "AppendResult",
    "ConcurrencyError",
    "DecodeError",
    "EventStore",
    "InMemoryStore",
    "InvalidInput",
    "NewEvent",
    "PayloadRejected",
    "PersonalDataInIdentifier",
    "RehabcoreError",
    "RuleViolation",
    "StoreError",
    "StoredEvent",
    "StreamWrite",
    "UnknownCase",
    "UnknownUnit",
    "__version__",
    "open_store",
]
