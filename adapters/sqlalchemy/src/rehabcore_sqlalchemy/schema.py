"""The tables and their versioned upgrade path. Dialect-neutral SQLAlchemy Core; no driver imports.

The schema carries its own version in ``rehabcore_schema_version`` (one row). :func:`upgrade` applies the
ordered :data:`MIGRATIONS` above the stored version, in one transaction, under the dialect's write lock, so
several processes opening a fresh database at once create the tables exactly once. Each step is a list of
statements, so the same plan can be printed for review instead (:func:`upgrade_sql`, ``rehabcore db
upgrade --sql``).

For a host application with its own Alembic environment: :data:`metadata` holds the event store's tables,
and :func:`include_object` keeps every rehabcore table out of the host's autogenerate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

import attrs
import sqlalchemy as sa
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.expression import ClauseElement, Executable

from rehabcore.errors import StoreError

EVENTS = "rehabcore_events"
VERSION_TABLE = "rehabcore_schema_version"
HANDLER_CHECKPOINTS = "rehabcore_handler_checkpoint"

metadata = sa.MetaData()


class UtcTimestamp(sa.types.TypeDecorator[dt.datetime]):
    """An aware UTC datetime that reads back identical, to the microsecond, on every back-end.

    PostgreSQL keeps ``timestamptz`` (microsecond precision); SQLite has no time type, so the value is kept
    as integer microseconds since the epoch rather than text, which would lose the zone or round.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.DateTime(timezone=True))
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        if dialect.name == "postgresql":
            return value
        return (value - _EPOCH) // dt.timedelta(microseconds=1)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC)
        return _EPOCH + dt.timedelta(microseconds=int(value))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Positions are assigned by the store under its write lock (max + 1), so no sequence and no gaps; on SQLite
# the INTEGER variant makes the column the rowid alias.
events = sa.Table(
    EVENTS,
    metadata,
    sa.Column(
        "position",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Uuid(as_uuid=True), nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("metadata", sa.LargeBinary, nullable=False),
    sa.Column("recorded_at", UtcTimestamp, nullable=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
    sa.UniqueConstraint("stream_id", "version", name="uq_rehabcore_events_stream_version"),
    sa.UniqueConstraint("event_id", name="uq_rehabcore_events_event_id"),
)

schema_version = sa.Table(
    VERSION_TABLE,
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)


handler_checkpoints = sa.Table(
    HANDLER_CHECKPOINTS,
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
)

#: One upgrade step: the statements that bring a schema from the version before to this one, for a backend.
Step = Callable[[str], list[ClauseElement]]


def _v1_tables(backend: str) -> list[ClauseElement]:
    """Version 1: the events table and the version table."""
    return [
        CreateTable(events),
        CreateTable(schema_version),
        schema_version.insert().values(version=0),
    ]


def _v2_type_index(backend: str) -> list[ClauseElement]:
    """Version 2: an index for ``read_all(types=…)``, which projections use to follow a few event types."""
    return [sa.text(f"CREATE INDEX IF NOT EXISTS ix_rehabcore_events_type ON {EVENTS} (type, position)")]


def _v3_no_type_index_on_sqlite(backend: str) -> list[ClauseElement]:
    """Version 3: SQLite drops the type index again; PostgreSQL keeps it.

    On SQLite every commit is fsynced, and its cost grows with the pages the commit writes: the type index
    put each event of a write on the index page of its type, so a case's twenty events of fifteen types
    dirtied fifteen more pages: 13.8 MB written to the WAL for 100 one-append cases with it, 9.9 MB without
    (``strace`` around ``python -m benchmarks.micro append-cases``). A store-filtered ``read_all(types=…)``
    now walks positions and skips other types inside SQLite: linear in the events after the checkpoint,
    which the projection runner reads once per catch-up and never again.
    """
    return [sa.text("DROP INDEX IF EXISTS ix_rehabcore_events_type")] if backend == "sqlite" else []


def _v4_handler_checkpoints(backend: str) -> list[ClauseElement]:
    """Version 4: checkpoints of integration-event handlers (:mod:`rehabcore.integration`)."""
    return [CreateTable(handler_checkpoints)]


#: Ordered upgrade steps: step ``n`` brings a schema at version ``n - 1`` to version ``n``. Append only.
MIGRATIONS: tuple[tuple[int, Step], ...] = (
    (1, _v1_tables),
    (2, _v2_type_index),
    (3, _v3_no_type_index_on_sqlite),
    (4, _v4_handler_checkpoints),
)

#: The version this adapter writes and reads.
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(conn: sa.Connection) -> int:
    """The schema version stored in the database; 0 when no rehabcore table exists yet."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return 0
    return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar_one() or 0)


def _too_new(found: int) -> StoreError:
    return StoreError(
        f"database schema version {found} is newer than this adapter supports ({SCHEMA_VERSION}); "
        "upgrade rehabcore-sqlalchemy"
    )


def planned(found: int, backend: str, target: int = SCHEMA_VERSION) -> list[ClauseElement]:
    """Every statement that brings a schema at version ``found`` to ``target``, version bumps included."""
    if found > SCHEMA_VERSION:
        raise _too_new(found)
    statements: list[ClauseElement] = []
    for version, step in MIGRATIONS:
        if found < version <= target:
            statements += step(backend)
            statements.append(schema_version.update().values(version=version))
    return statements


def upgrade(conn: sa.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every step above the stored version up to ``target`` on ``conn``, inside its transaction.

    The caller holds the write lock, so the stored version read here cannot move underneath. Returns the
    version the schema ends at. A database newer than this adapter is refused rather than guessed at.
    """
    found = current_version(conn)
    for statement in planned(found, conn.dialect.name, target):
        conn.execute(cast(Executable, statement))  # DDL elements and DML alike
    return max(found, min(target, SCHEMA_VERSION))


def upgrade_sql(conn: sa.Connection, target: int = SCHEMA_VERSION) -> list[str]:
    """The SQL :func:`upgrade` would run on this database now, for a DBA to review; runs none of it."""
    found = current_version(conn)
    dialect = conn.dialect
    return [
        str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})).strip()
        for statement in planned(found, dialect.name, target)
    ]


@attrs.frozen
class SchemaStatus:
    """Where a database's rehabcore schema stands: its version, this adapter's, the steps not yet applied."""

    version: int
    supported: int
    pending: tuple[int, ...]

    @property
    def current(self) -> bool:
        """Whether the schema is exactly what this adapter reads and writes."""
        return self.version == self.supported


def status(conn: sa.Connection) -> SchemaStatus:
    """The schema's version and the upgrade steps pending (read only)."""
    found = current_version(conn)
    return SchemaStatus(found, SCHEMA_VERSION, tuple(v for v, _ in MIGRATIONS if v > found))


def check_schema(conn: sa.Connection) -> None:
    """Refuse a database whose schema is not this adapter's version, saying how to bring it there."""
    found = current_version(conn)
    if found > SCHEMA_VERSION:
        raise _too_new(found)
    if found == 0:
        raise StoreError(
            "no rehabcore schema in this database (opened with create=False); create it with "
            "`rehabcore db upgrade --store URL` (print the SQL first with --sql) or open with create=True"
        )
    if found < SCHEMA_VERSION:
        raise StoreError(
            f"rehabcore schema is at version {found}, this adapter needs {SCHEMA_VERSION}; run "
            "`rehabcore db upgrade --store URL` (print the SQL first with --sql)"
        )


#: Table names rehabcore owns on every back-end: its own, its read models' and its projections'.
PREFIX = "rehabcore_"


def is_rehabcore_table(name: str | None) -> bool:
    """Whether a table of this name belongs to rehabcore (created and upgraded by it, not by the host)."""
    return bool(name) and (str(name).startswith(PREFIX) or str(name) in metadata.tables)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """An Alembic ``include_object`` hook that leaves rehabcore's tables, and their columns, indexes and
    constraints, out of the host application's autogenerate (``docs/embedding.md``).

    rehabcore creates and upgrades its tables itself (``rehabcore db upgrade``); without this filter the
    host's ``alembic revision --autogenerate`` proposes dropping them, since they are not in its metadata.
    """
    if type_ == "table":
        return not is_rehabcore_table(name)
    table = getattr(obj, "table", None)
    return not is_rehabcore_table(getattr(table, "name", None))
