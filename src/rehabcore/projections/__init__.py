"""Projections and read models: caseload, occupancy, outcomes, execution watch, follow-up watch.

A :class:`Runner` keeps the projections of an event store current in a projection store (tables in the same
database for the SQL adapter, dictionaries otherwise), batch by batch from checkpoints; :class:`ReadModels`
answers questions from them. ``docs/projections.md`` describes the read models and their SQL tables.

Must not import sqlalchemy: the SQL projection store is registered by ``rehabcore-sqlalchemy``.
"""

from rehabcore.projections import read_models
from rehabcore.projections.api import PERIODS, ReadModels, Stats
from rehabcore.projections.base import (
    CheckpointConflict,
    CheckpointMovedBackwards,
    Projection,
    ProjectionError,
    ProjectionOutdated,
    ProjectionStore,
    Rederived,
    Rederiving,
    Status,
    Table,
)
from rehabcore.projections.case_rows import CaseSummary
from rehabcore.projections.case_summary import CaseProjection
from rehabcore.projections.memory import MemoryProjectionStore
from rehabcore.projections.runner import (
    CASES,
    PLACES,
    READ_MODEL_PROJECTIONS,
    UNITS,
    Runner,
    decode,
    projection_store_for,
)
from rehabcore.projections.unit_summary import PlaceProjection, PlaceRow, UnitProjection, UnitSummary

__all__ = [
    "CASES",
    "PERIODS",
    "PLACES",
    "READ_MODEL_PROJECTIONS",
    "UNITS",
    "CaseProjection",
    "CaseSummary",
    "CheckpointConflict",
    "CheckpointMovedBackwards",
    "MemoryProjectionStore",
    "PlaceProjection",
    "PlaceRow",
    "Projection",
    "ProjectionError",
    "ProjectionOutdated",
    "ProjectionStore",
    "ReadModels",
    "Rederived",
    "Rederiving",
    "Runner",
    "Stats",
    "Status",
    "Table",
    "UnitProjection",
    "UnitSummary",
    "decode",
    "projection_store_for",
    "read_models",
]
