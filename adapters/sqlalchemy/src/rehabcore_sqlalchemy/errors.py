"""Driver failures as rehabcore errors that name their cause, and the check a reader makes before reading.

A message says what happened and what to do: the disk is full, the file or database is read-only, the file is
not a database, another writer holds the lock, the server at host:port refused the connection. It never
carries statement parameters (they may hold case data), nor a password: only the host, the port, the
database and the user of the URL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from rehabcore.errors import NotAStore, StorageFailed, StoreError
from rehabcore_sqlalchemy.schema import SCHEMA_VERSION, current_version

#: SQLite messages (lower case, as the driver words them) → cause and what to say.
_SQLITE = (
    (
        "database or disk is full",
        "disk_full",
        "the disk holding the SQLite file is full; free space and retry",
    ),
    ("readonly database", "read_only", "the SQLite file or its directory is read-only; a writer needs both"),
    ("file is not a database", "not_a_database", "the file is not a SQLite database (or is encrypted)"),
    ("database disk image is malformed", "not_a_database", "the SQLite file is corrupt"),
    ("database is locked", "locked", "another process holds the SQLite write lock"),
    (
        "unable to open database file",
        "cannot_open",
        "cannot open the SQLite file: no such directory, or no access",
    ),
    ("disk i/o error", "io_error", "the disk failed to read or write the SQLite file"),
)

#: PostgreSQL SQLSTATE classes and codes → cause and what to say.
_PG_STATES = {
    "53100": ("disk_full", "the PostgreSQL server's disk is full"),
    "25006": ("read_only", "the PostgreSQL session or server is read-only (a standby, or read-only mode)"),
    "28P01": ("authentication_failed", "PostgreSQL refused the user's password"),
    "28000": ("authentication_failed", "PostgreSQL refused the user"),
    "3D000": ("unknown_database", "the PostgreSQL database does not exist"),
    "55P03": ("locked", "a PostgreSQL lock could not be taken"),
    "57P03": ("connection_refused", "the PostgreSQL server is starting up or shutting down"),
}


def where(url: sa.URL) -> str:
    """The URL without its password: driver, user, host, port and database."""
    return url.render_as_string(hide_password=True)


def translate(exc: sa_exc.DBAPIError, url: sa.URL | None, busy_timeout_ms: int | None = None) -> StoreError:
    """A driver failure (other than a key clash) as a :class:`StorageFailed` naming its cause."""
    orig: Any = exc.orig
    message = str(orig).lower()
    if isinstance(orig, sqlite3.Error):
        for needle, cause, text in _SQLITE:
            if needle in message:
                if cause == "locked" and busy_timeout_ms is not None:
                    text = f"SQLite database stayed locked by another writer for {busy_timeout_ms} ms"
                return StorageFailed(cause, text)
        return StorageFailed("other", f"storage back-end failed: {type(orig).__name__}")
    state = getattr(orig, "sqlstate", None)
    if state in _PG_STATES:
        cause, text = _PG_STATES[state]
        return StorageFailed(cause, f"{text} ({_server(url)})")
    if state is None and isinstance(exc, sa_exc.OperationalError):
        # No SQLSTATE: the connection itself failed (refused, unreachable, timed out).
        if "refused" in message:
            return StorageFailed(
                "connection_refused",
                f"connection refused by {_server(url)}: is the server running and listening there?",
            )
        if "timeout" in message or "timed out" in message:
            return StorageFailed("connection_refused", f"no answer from {_server(url)} (timed out)")
        if "could not translate host name" in message or "name or service not known" in message:
            return StorageFailed("connection_refused", f"unknown host in {_server(url)}")
        if "password" in message or "authentication" in message:
            return StorageFailed("authentication_failed", f"authentication failed at {_server(url)}")
        return StorageFailed("connection_refused", f"cannot connect to {_server(url)}")
    return StorageFailed(
        "other", f"storage back-end failed: {type(orig).__name__}" + (f" ({state})" if state else "")
    )


def _server(url: sa.URL | None) -> str:
    if url is None:
        return "the server"
    host = url.host or "localhost"
    return f"{host}:{url.port or 5432}" + (f"/{url.database}" if url.database else "")


def require_store(conn: sa.Connection) -> int:
    """For a reader: the stored schema version, or :class:`NotAStore` when there is no rehabcore store.

    Reads the catalogue only: no DDL, no write.
    """
    version = current_version(conn)
    if version == 0:
        raise NotAStore("it has no rehabcore tables (another application's database, or an empty file)")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this adapter supports ({SCHEMA_VERSION}); "
            "upgrade rehabcore-sqlalchemy"
        )
    return version
