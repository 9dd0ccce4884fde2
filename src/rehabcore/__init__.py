"""rehabcore: the case record of vocational rehabilitation and daily activity, as an event stream."""

from rehabcore.cases import Cases, Handled, new_case_id
from rehabcore.domain import rules as rulesets
from rehabcore.domain.commands import Actor
from rehabcore.domain.rules import RuleParameters, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, CaseStatus, UnitState
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
from rehabcore.ids import new_event_id
from rehabcore.imports import ImportBatch
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
from rehabcore.streams import Recorded, case_stream, unit_stream

__version__ = "0.1.0"

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "Actor",
    "AdapterNotInstalled",
    "AppendResult",
    "CaseState",
    "CaseStatus",
    "Cases",
    "ConcurrencyError",
    "DecodeError",
    "EventStore",
    "Handled",
    "ImportBatch",
    "InMemoryStore",
    "InvalidInput",
    "NewEvent",
    "PayloadRejected",
    "PersonalDataInIdentifier",
    "Recorded",
    "RehabcoreError",
    "RuleParameters",
    "RuleViolation",
    "RuleWarning",
    "Ruleset",
    "StoreError",
    "StoredEvent",
    "StreamWrite",
    "UnitState",
    "UnknownCase",
    "UnknownUnit",
    "__version__",
    "case_stream",
    "new_case_id",
    "new_event_id",
    "open_store",
    "rulesets",
    "unit_stream",
]
