"""Schema administration by URL, for ``rehabcore db status`` and ``rehabcore db upgrade [--sql]``.

Status and the printed SQL only read: they use a plain engine (no connection settings written, no pragma
switched) and, for a SQLite path that does not exist, do not connect at all, so no empty file appears.
The upgrade itself runs under the store's write lock, as opening a store with ``create=True`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import StoreError
from rehabcore_sqlalchemy.schema import SchemaStatus, planned, status, upgrade, upgrade_sql
from rehabcore_sqlalchemy.store import dialect_for


def _url(url: str) -> sa.URL:
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _missing_file(parsed: sa.URL) -> bool:
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()


@contextmanager
def _reading(parsed: sa.URL) -> Iterator[sa.Connection]:
    engine = sa.create_engine(parsed, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    except sa_exc.DBAPIError as exc:
        raise StoreError(f"cannot read the database: {type(exc.orig).__name__}") from exc
    finally:
        engine.dispose()


def schema_status(url: str) -> SchemaStatus:
    """The schema version of the database at ``url`` and the upgrade steps not yet applied (read only)."""
    parsed = _url(url)
    if _missing_file(parsed):
        return SchemaStatus(0, planned_version(), tuple(range(1, planned_version() + 1)))
    with _reading(parsed) as conn:
        return status(conn)


def planned_version() -> int:
    from rehabcore_sqlalchemy.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def pending_sql(url: str) -> list[str]:
    """The statements ``upgrade`` would run now, compiled for the database's dialect; runs none of them."""
    parsed = _url(url)
    if _missing_file(parsed):
        dialect = sa.create_engine(parsed).dialect  # compiles only: no connection, no file made
        return [
            str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True})).strip()
            for s in planned(0, dialect.name)
        ]
    with _reading(parsed) as conn:
        return upgrade_sql(conn)


def apply_upgrade(url: str) -> tuple[int, int]:
    """Bring the schema at ``url`` to this adapter's version under the write lock; (before, after)."""
    parsed = _url(url)
    before = schema_status(url).version
    probe = sa.create_engine(parsed, poolclass=sa.NullPool)
    dialect = dialect_for(probe)
    probe.dispose()
    engine = dialect.create_engine(parsed, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn, dialect.write_transaction(conn):
            after = upgrade(conn)
    except sa_exc.DBAPIError as exc:
        raise dialect.translate(exc) from exc
    finally:
        engine.dispose()
    return before, after
