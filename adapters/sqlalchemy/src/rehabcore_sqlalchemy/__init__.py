"""rehabcore-sqlalchemy: rehabcore event stores on SQLite and PostgreSQL with SQLAlchemy 2 Core.

Normally reached through ``rehabcore.open_store("sqlite:///cases.sqlite")`` or
``open_store("postgresql+psycopg://…")``; the entry points live in :mod:`.sqlite` and :mod:`.postgres`.
An application embedding rehabcore builds :class:`SqlEventStore` on its own engine, joins appends to its
transactions with :meth:`SqlEventStore.using`, and keeps rehabcore's tables out of its Alembic
autogenerate with :func:`include_object` (``docs/embedding.md``).
"""

from rehabcore_sqlalchemy.schema import SCHEMA_VERSION, include_object, metadata
from rehabcore_sqlalchemy.store import ConnectionDropped, SqlEventStore

__all__ = ["SCHEMA_VERSION", "ConnectionDropped", "SqlEventStore", "include_object", "metadata"]
