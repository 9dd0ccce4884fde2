"""Reading every row for audit, whatever its columns hold (see :mod:`rehabcore.rows`).

The hot path's reads trust the rows and convert them at full speed; these reads trust nothing. Each column
comes with the type the database says it holds (SQLite ``typeof``, PostgreSQL ``pg_typeof``), so text
where a BLOB belongs, a number spelt as text, NULL, invalid UTF-8, ``infinity`` or a year past 9999 each
become a named problem of that row instead of an exception that would end the walk.

Pages by position, like ``read_all``, each page its own short read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rehabcore.rows import (
    COLUMNS,
    AuditRow,
    Unparsable,
    as_aware_time,
    as_epoch_micros,
    as_uuid,
    read_row,
    readers,
)
from rehabcore_sqlalchemy.schema import EVENTS

if TYPE_CHECKING:
    from rehabcore_sqlalchemy.store import SqlEventStore

PAGE = 1000

_SQLITE_READERS = readers(as_uuid, as_epoch_micros)
_PG_READERS = readers(as_uuid, as_aware_time)
_PG_INTS = {"bigint", "integer", "smallint", "numeric"}


def audit_rows(store: SqlEventStore, stream_id: str | None) -> Iterator[AuditRow]:
    """Every row of the events table (of one stream, when given) in position order, read defensively."""
    sqlite = store.engine.dialect.name == "sqlite"
    if sqlite:
        typed = ", ".join(f"{c}, typeof({c})" for c in COLUMNS)
    else:
        typed = ", ".join(f"{c}::text, pg_typeof({c})::text" for c in COLUMNS)
    p = "?" if sqlite else "%s"
    where = f"position > {p}" + (f" AND stream_id = {p}" if stream_id is not None else "")
    # Qualified: the text output column "position" would otherwise order as text.
    sql = f"SELECT {typed} FROM {EVENTS} WHERE {where} ORDER BY {EVENTS}.position LIMIT {PAGE}"
    after = 0
    while True:
        params: tuple[Any, ...] = (after,) if stream_id is None else (after, stream_id)
        with store._raw() as dbapi:  # the store's pooled connection, prepared as for every read
            rows = _sqlite_page(dbapi, sql, params) if sqlite else _pg_page(dbapi, sql, params)
        for values, position in rows:
            after = position
            yield read_row(values, _SQLITE_READERS if sqlite else _PG_READERS)
        if len(rows) < PAGE:
            return


def _sqlite_page(dbapi: Any, sql: str, params: tuple[Any, ...]) -> list[tuple[list[Any], int]]:
    # Text as bytes: a TEXT column holding invalid UTF-8 would otherwise fail the whole fetch.
    factory = dbapi.text_factory
    dbapi.text_factory = bytes
    try:
        raw = dbapi.execute(sql, params).fetchall()
    finally:
        dbapi.text_factory = factory
    return [(_sqlite_values(row), row[0]) for row in raw]


def _sqlite_values(row: Sequence[Any]) -> list[Any]:
    values = []
    for i in range(0, len(row), 2):
        value, kind = row[i], row[i + 1].decode() if isinstance(row[i + 1], bytes) else row[i + 1]
        if kind == "text":
            try:
                value = value.decode()
            except UnicodeDecodeError:
                value = Unparsable("holds bytes that are not UTF-8 text")
        values.append(value)
    return values


def _pg_page(dbapi: Any, sql: str, params: tuple[Any, ...]) -> list[tuple[list[Any], int]]:
    # Every column as text, in a spelling that does not depend on the session: psycopg would raise on a
    # timestamp of 'infinity' or past year 9999, and a column whose type was altered reads as anything.
    cursor = dbapi.cursor()
    try:
        cursor.execute("SET TimeZone = 'UTC'")
        cursor.execute("SET DateStyle = 'ISO'")
        cursor.execute("SET bytea_output = 'hex'")
        try:
            raw = cursor.execute(sql, params).fetchall()
        finally:
            for setting in ("TimeZone", "DateStyle", "bytea_output"):
                cursor.execute(f"RESET {setting}")
    finally:
        cursor.close()
    return [(_pg_values(row), int(row[0])) for row in raw]


def _pg_values(row: Sequence[Any]) -> list[Any]:
    return [_pg_value(row[i], row[i + 1]) for i in range(0, len(row), 2)]


def _pg_value(text: str | None, kind: str) -> Any:
    if text is None:
        return None
    try:
        if kind in _PG_INTS:
            return int(text)
        if kind == "bytea":
            return bytes.fromhex(text[2:]) if text.startswith("\\x") else Unparsable("holds unreadable bytes")
        if kind == "timestamp with time zone":
            return dt.datetime.fromisoformat(text)
    except ValueError:
        return Unparsable(f"holds a {kind} rehabcore cannot read ({_shape(text)})")
    return text


def _shape(text: str) -> str:
    """What a value looks like, without showing it: it may be case data."""
    if text in ("infinity", "-infinity"):
        return text
    return f"{len(text)} characters"
