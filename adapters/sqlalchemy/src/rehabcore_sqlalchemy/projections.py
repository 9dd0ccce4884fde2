"""SqlProjectionStore: read-model tables and checkpoints in SQL; a batch and its checkpoint in one commit.

Tables are made from each projection's :class:`~rehabcore.projections.Table` (the attrs row class's fields
are the columns), so other software can read them with plain SQL; ``docs/projections.md`` lists them. The
checkpoint table and these tables carry their own schema version (``rehabcore_projection_schema_version``),
apart from the event store's.

A batch is applied in one transaction that also moves the checkpoint: on SQLite under ``BEGIN IMMEDIATE``,
on PostgreSQL under a transaction-scoped advisory lock of its own (not the append lock, so writers are never
held up by a rebuild). Only the rows of the keys the batch touches are read, and only changed rows are
rewritten, so memory stays flat however large the store.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import StoreError
from rehabcore.projections.base import (
    BatchItem,
    CheckpointConflict,
    CheckpointMovedBackwards,
    Fold,
    K,
    Projection,
    ProjectionOutdated,
    Table,
    V,
    check_position,
)
from rehabcore.projections.runner import READ_MODEL_PROJECTIONS
from rehabcore.store import EventStore
from rehabcore_sqlalchemy.errors import translate
from rehabcore_sqlalchemy.sqlite import SqliteDialect
from rehabcore_sqlalchemy.store import SqlEventStore

#: The advisory lock key projection writers take on PostgreSQL ("rehabprj" in ASCII); appends use another.
PROJECTION_LOCK_KEY = 0x7265686162707260
CHECKPOINTS = "rehabcore_projection_checkpoint"
VERSION_TABLE = "rehabcore_projection_schema_version"
#: Before the names of the tables a rebuild fills, beside the live ones, until it swaps them in.
REBUILD_PREFIX = "rehabcore_rebuild_"
#: Keys per ``IN (…)`` list when loading a batch's rows or paging through a table.
CHUNK = 500

_SQL_TYPES: dict[Any, sa.types.TypeEngine[Any]] = {
    uuid.UUID: sa.Uuid(as_uuid=True),
    dt.date: sa.Date(),
    int: sa.Integer(),
    str: sa.Text(),
    bool: sa.Boolean(),
}


def _column(name: str, annotation: Any, primary: bool) -> sa.Column[Any]:
    args = typing.get_args(annotation)
    nullable = type(None) in args
    base = next(a for a in args if a is not type(None)) if nullable else annotation
    kind: sa.types.TypeEngine[Any] = _SQL_TYPES[base]
    if base is str and primary:
        kind = sa.String(200)  # an indexable key column on every back-end
    return sa.Column(name, kind, primary_key=primary, nullable=nullable and not primary)


def sql_table(spec: Table, metadata: sa.MetaData) -> sa.Table:
    """The SQLAlchemy table for a read-model table: one column per field of its row class."""
    hints = typing.get_type_hints(spec.row)
    columns = [_column(f.name, hints[f.name], f.name in spec.primary_key) for f in attrs.fields(spec.row)]
    table = sa.Table(spec.name, metadata, *columns)
    if spec.primary_key[0] != spec.key:
        sa.Index(f"ix_{spec.name}_{spec.key}", table.c[spec.key])
    return table


metadata = sa.MetaData()
checkpoints = sa.Table(
    CHECKPOINTS,
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("projection_version", sa.Integer, nullable=False),
)
schema_version = sa.Table(VERSION_TABLE, metadata, sa.Column("version", sa.Integer, nullable=False))
_TABLES: dict[str, sa.Table] = {
    spec.name: sql_table(spec, metadata) for p in READ_MODEL_PROJECTIONS for spec in p.tables
}


def _v1(conn: sa.Connection) -> None:
    """Version 1: checkpoints and the case, unit and place tables."""
    metadata.create_all(conn)
    conn.execute(schema_version.insert().values(version=0))


def _v2(conn: sa.Connection) -> None:
    """Version 2: placement extensions with their authorising decisions (the ``cases`` projection v3)."""
    metadata.create_all(conn, tables=[_TABLES["rehabcore_rm_extension"]], checkfirst=True)


def _v3(conn: sa.Connection) -> None:
    """Version 3 (#18, the ``cases`` projection v5): exits keep extent, employment length, student aid and
    income sources; statuses after the exit and attendance in tables of their own."""
    exits = _TABLES["rehabcore_rm_exit"]
    present = {c["name"] for c in sa.inspect(conn).get_columns(exits.name)}
    for name in (
        "extent_pct",
        "employment_term",
        "employment_ends_on",
        "student_aid",
        "income_before",
        "income_after",
    ):
        if name not in present:
            column = exits.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {exits.name} ADD COLUMN {name} {kind}"))
    tables = [_TABLES["rehabcore_rm_outcome_status"], _TABLES["rehabcore_rm_attendance"]]
    metadata.create_all(conn, tables=tables, checkfirst=True)


def _v4(conn: sa.Connection) -> None:
    """Version 4 (#18): units closed, moved or passed on (the ``units`` projection v2) and visit counts."""
    names = ("rehabcore_rm_unit_change", "rehabcore_rm_unit_visit_month", "rehabcore_rm_unit_visits")
    tables = [_TABLES[name] for name in names]
    metadata.create_all(conn, tables=tables, checkfirst=True)


#: Ordered upgrade steps, append only (as the event store's schema.MIGRATIONS).
MIGRATIONS = ((1, _v1), (2, _v2), (3, _v3), (4, _v4))
SCHEMA_VERSION = MIGRATIONS[-1][0]


class SqlProjectionStore:
    """A :class:`~rehabcore.projections.ProjectionStore` in SQL tables on a SQLite or PostgreSQL engine."""

    def __init__(
        self, engine: sa.Engine, *, owns_engine: bool = False, read_only: bool = False, prefix: str = ""
    ) -> None:
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise StoreError(f"no projection store for the {engine.dialect.name} back-end")
        self._engine = engine
        self._owns_engine = owns_engine
        # Tables of projections other than the built-in ones (all of a rebuild's), made on first use.
        self._extra = sa.MetaData()
        self._made: set[str] = set()
        #: Put before every table name: "" for the live read models, REBUILD_PREFIX for a rebuild's.
        self._prefix = prefix
        self._checkpoints = (
            checkpoints if not prefix else checkpoints.to_metadata(self._extra, name=prefix + CHECKPOINTS)
        )
        #: Read only (a store opened for reading): no DDL; read models never built read as empty, at 0.
        self.read_only = read_only
        self._present = True
        if read_only:
            try:
                with engine.connect() as conn:
                    self._present = sa.inspect(conn).has_table(CHECKPOINTS)
            except sa_exc.DBAPIError as exc:
                raise translate(exc, engine.url) from exc
        elif prefix:
            with self._transaction() as conn:
                self._checkpoints.create(conn, checkfirst=True)
        else:
            with self._transaction() as conn:
                self._upgrade(conn)

    def _table(self, spec: Table) -> sa.Table:
        if spec.name in _TABLES and not self._prefix:
            return _TABLES[spec.name]
        name = self._prefix + spec.name
        if name not in self._extra.tables:
            sql_table(attrs.evolve(spec, name=name), self._extra)
        return self._extra.tables[name]

    def _ensure_tables(self, conn: sa.Connection, projection: Projection[Any, Any]) -> None:
        """Create a projection's tables if they are not there yet (inside the caller's transaction)."""
        if projection.name in self._made:
            return
        tables = [self._table(spec) for spec in projection.tables]
        extra = [t for t in tables if t.name not in _TABLES or self._prefix]
        if extra:
            self._extra.create_all(conn, tables=extra, checkfirst=True)
        self._made.add(projection.name)

    @classmethod
    def from_url(cls, url: str) -> SqlProjectionStore:
        """Read models in their own database (``sqlite:///…`` or ``postgresql+psycopg://…``)."""
        parsed = sa.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            engine = SqliteDialect().create_engine(parsed)
        else:
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            engine = sa.create_engine(parsed, isolation_level="READ COMMITTED")
        return cls(engine, owns_engine=True)

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        """A write transaction, serialised with every other projection writer on this database."""
        try:
            with self._engine.connect() as conn:
                if self._engine.dialect.name == "sqlite":
                    with SqliteDialect().write_transaction(conn):
                        yield conn
                else:
                    with conn.begin():
                        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PROJECTION_LOCK_KEY)))
                        yield conn
        except sa_exc.DBAPIError as exc:
            # Statement parameters may hold case data: name only the cause.
            raise translate(exc, self._engine.url) from exc

    @staticmethod
    def _upgrade(conn: sa.Connection) -> None:
        found = 0
        if sa.inspect(conn).has_table(VERSION_TABLE):
            found = int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar_one() or 0)
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"projection schema version {found} is newer than this adapter supports ({SCHEMA_VERSION})"
            )
        for version, step in MIGRATIONS:
            if found < version:
                step(conn)
                conn.execute(schema_version.update().values(version=version))
                found = version

    # --- checkpoints --------------------------------------------------------------------------------------

    def checkpoint(self, name: str) -> int:
        if not self._present:
            return 0
        with self._engine.connect() as conn:
            found = conn.execute(
                sa.select(self._checkpoints.c.position).where(self._checkpoints.c.name == name)
            ).first()
        return int(found[0]) if found else 0

    def _stored(self, conn: sa.Connection, projection_name: str) -> tuple[int, int] | None:
        row = conn.execute(
            sa.select(self._checkpoints.c.position, self._checkpoints.c.projection_version).where(
                self._checkpoints.c.name == projection_name
            )
        ).first()
        return (int(row[0]), int(row[1])) if row else None

    def _set(self, conn: sa.Connection, name: str, position: int, version: int, exists: bool) -> None:
        if exists:
            conn.execute(
                self._checkpoints.update()
                .where(self._checkpoints.c.name == name)
                .values(position=position, projection_version=version)
            )
        else:
            conn.execute(
                self._checkpoints.insert().values(name=name, position=position, projection_version=version)
            )

    def record_checkpoint(self, name: str, position: int, version: int = 1) -> None:
        check_position(name, position)
        with self._transaction() as conn:
            stored = self._stored(conn, name)
            if stored is not None and position < stored[0]:
                raise CheckpointMovedBackwards(name, stored[0], position)
            self._set(conn, name, position, stored[1] if stored else version, stored is not None)

    # --- batches ------------------------------------------------------------------------------------------

    def apply(
        self, projection: Projection[Any, Any], batch: Sequence[BatchItem], *, after: int, up_to: int
    ) -> None:
        check_position(projection.name, up_to)
        fold: Fold[Any, Any] = Fold(projection, batch)
        with self._transaction() as conn:
            stored = self._stored(conn, projection.name)
            position, version = stored if stored else (0, projection.version)
            if version != projection.version:
                raise ProjectionOutdated(projection.name, version, projection.version)
            if position != after:
                raise CheckpointConflict(projection.name, after, position)
            if up_to < position:
                raise CheckpointMovedBackwards(projection.name, position, up_to)
            self._ensure_tables(conn, projection)
            keys = fold.keys
            old = self._load(conn, projection, keys)
            new = fold.run({k: projection.from_rows(k, rows) for k, rows in old.items()})
            self._write(conn, projection, old, new)
            self._set(conn, projection.name, up_to, projection.version, stored is not None)

    def _load(
        self, conn: sa.Connection, projection: Projection[Any, Any], keys: list[Any]
    ) -> dict[Any, list[list[Any]]]:
        """The stored rows of ``keys`` (only keys that have any), grouped per table."""
        found: dict[Any, list[list[Any]]] = {}
        for n, spec in enumerate(projection.tables):
            table = self._table(spec)
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                for row in conn.execute(sa.select(table).where(table.c[spec.key].in_(chunk))).mappings():
                    key = row[spec.key]
                    groups = found.setdefault(key, [[] for _ in projection.tables])
                    groups[n].append(spec.row(**row))
        return found

    def _write(
        self,
        conn: sa.Connection,
        projection: Projection[Any, Any],
        old: dict[Any, list[list[Any]]],
        new: dict[Any, Any],
    ) -> None:
        """Replace, table by table, the rows of each key whose rows in that table changed."""
        stale: dict[int, list[Any]] = defaultdict(list)
        fresh: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for key, value in new.items():
            before = old.get(key)
            for n, rows in enumerate(projection.to_rows(value)):
                spec = projection.tables[n]
                previous = sorted(before[n], key=_order) if before else []
                if list(rows) == previous:
                    continue
                if previous:
                    stale[n].append(key)
                fresh[n].extend(attrs.asdict(r, recurse=False) for r in rows)
        for n, spec in enumerate(projection.tables):
            table = self._table(spec)
            keys = stale.get(n, [])
            for start in range(0, len(keys), CHUNK):
                conn.execute(table.delete().where(table.c[spec.key].in_(keys[start : start + CHUNK])))
            if fresh.get(n):
                conn.execute(table.insert(), fresh[n])

    def reset(self, projection: Projection[Any, Any]) -> None:
        with self._transaction() as conn:
            self._ensure_tables(conn, projection)
            for spec in projection.tables:
                conn.execute(self._table(spec).delete())
            conn.execute(self._checkpoints.delete().where(self._checkpoints.c.name == projection.name))

    # --- reading ------------------------------------------------------------------------------------------

    def values(self, projection: Projection[K, V]) -> Iterator[V]:
        """Every value, a page of keys at a time (constant memory however many there are).

        All pages come from one snapshot, so a batch committed meanwhile is seen whole or not at all.
        """
        if not self._present:
            return
        with self._engine.connect() as plain:
            conn = plain
            if self._engine.dialect.name == "postgresql":
                conn = plain.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield from self._values(conn, projection)

    def _values(self, conn: sa.Connection, projection: Projection[K, V]) -> Iterator[V]:
        stored = self._stored(conn, projection.name)
        if stored is None:  # never applied (or just reset): nothing to read, maybe not even tables
            return
        if stored[1] != projection.version:
            raise ProjectionOutdated(projection.name, stored[1], projection.version)
        head = projection.tables[0]
        head_table = self._table(head)
        last: Any = None
        while True:
            query = sa.select(head_table.c[head.key]).order_by(head_table.c[head.key]).limit(CHUNK)
            if last is not None:
                query = query.where(head_table.c[head.key] > last)
            keys = list(conn.execute(query).scalars())
            if not keys:
                return
            rows = self._load(conn, projection, keys)
            for key in keys:
                yield projection.from_rows(key, rows[key])
            last = keys[-1]

    # --- rebuilding beside the live read models ---------------------------------------------------------

    def shadow(self, projections: Sequence[Projection[Any, Any]]) -> SqlProjectionStore:
        """An empty store beside this one, in tables named ``rehabcore_rebuild_…`` (what a killed rebuild
        left there is dropped first), for :meth:`~rehabcore.projections.Runner.rebuild` to fill."""
        shadow = SqlProjectionStore(self._engine, prefix=REBUILD_PREFIX)
        shadow.discard(projections)
        return SqlProjectionStore(self._engine, prefix=REBUILD_PREFIX)

    def discard(self, projections: Sequence[Projection[Any, Any]]) -> None:
        """Drop this rebuild store's tables (only a store made by :meth:`shadow` has any to drop)."""
        if not self._prefix:
            return
        with self._transaction() as conn:
            for projection in projections:
                for spec in projection.tables:
                    self._table(spec).drop(conn, checkfirst=True)
            self._checkpoints.drop(conn, checkfirst=True)
        self._made.clear()

    def swap_in(self, shadow: SqlProjectionStore, projections: Sequence[Projection[Any, Any]]) -> None:
        """Replace the read models of ``projections`` with what ``shadow`` holds, and their checkpoints,
        in one transaction: readers see the old read models or the new ones, never a half-built one."""
        with self._transaction() as conn:
            for projection in projections:
                self._ensure_tables(conn, projection)
                for spec in projection.tables:
                    live, built = self._table(spec), shadow._table(spec)
                    columns = [c.name for c in live.columns]
                    conn.execute(live.delete())
                    conn.execute(
                        live.insert().from_select(columns, sa.select(*(built.c[c] for c in columns)))
                    )
                rebuilt = shadow._stored(conn, projection.name)
                stored = self._stored(conn, projection.name)
                if rebuilt is None:
                    conn.execute(
                        self._checkpoints.delete().where(self._checkpoints.c.name == projection.name)
                    )
                else:
                    self._set(conn, projection.name, rebuilt[0], rebuilt[1], stored is not None)

    def close(self) -> None:
        """Dispose of the engine if this store made it."""
        if self._owns_engine:
            self._engine.dispose()


def _order(row: Any) -> Any:
    return getattr(row, "seq", 0)


def for_store(store: EventStore) -> SqlProjectionStore | None:
    """Entry point (``rehabcore.projection_stores``): read models beside the events of a SQL store."""
    if isinstance(store, SqlEventStore):
        return SqlProjectionStore(store.engine, read_only=store.read_only)
    return None
