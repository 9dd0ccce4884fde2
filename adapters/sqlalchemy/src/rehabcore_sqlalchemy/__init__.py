"""rehabcore-sqlalchemy: rehabcore event stores on SQLite and PostgreSQL with SQLAlchemy 2 Core.

Normally reached through ``rehabcore.open_store("sqlite:///cases.sqlite")`` or
``open_store("postgresql+psycopg://…")``; the entry points live in :mod:`.sqlite` and :mod:`.postgres`.
"""

from rehabcore_sqlalchemy.schema import SCHEMA_VERSION
from rehabcore_sqlalchemy.store import SqlEventStore

__all__ = ["SCHEMA_VERSION", "SqlEventStore"]
