"""Reading a stored row defensively, for audit: whatever a column holds, the row is an event or a finding.

The hot path trusts its own rows: an adapter turns them into :class:`~rehabcore.store.StoredEvent` with no
checks, and a row altered behind its back (a ``replace()`` on a BLOB in SQLite returns TEXT, a time set to
text or to year 300,000, a NULL) makes it raise. ``verify`` must not: one such row would hide every other
finding. An adapter that can hold such rows therefore also offers :meth:`AuditableStore.audit_rows`, which
reads each row through :func:`read_row` into either a :class:`~rehabcore.store.StoredEvent` or a
:class:`DamagedRow` that names each column that is not what rehabcore wrote there.

Imports nothing but the standard library, attrs and the port.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from rehabcore.store import StoredEvent

#: The columns of a stored row, in the order adapters read them.
COLUMNS = (
    "position",
    "stream_id",
    "version",
    "event_id",
    "type",
    "schema_version",
    "data",
    "metadata",
    "recorded_at",
    "hash",
)


class Unreadable(ValueError):
    """A column's value cannot be read as what the column holds; the message says what it holds instead."""


@attrs.frozen
class Unparsable:
    """What an adapter passes for a value its driver could not even turn into text or a number."""

    what: str


@attrs.frozen
class ColumnProblem:
    """One column of a row that does not hold what rehabcore wrote: ``readable`` when its content could
    still be read (text where bytes belong, a number as text), so the hash can tell whether it changed."""

    column: str
    problem: str
    readable: bool

    def __str__(self) -> str:
        return f"{self.column} {self.problem}"


@attrs.frozen
class DamagedRow:
    """A stored row with at least one column that is not of its type, NULL, or out of range.

    ``event`` is the row read as well as it can be (each wrong-typed column read for its content) when every
    column could be read; ``None`` when one could not, and then only what could be read is set.
    """

    position: int | None
    stream_id: str | None
    version: int | None
    hash: bytes | None
    problems: tuple[ColumnProblem, ...]
    event: StoredEvent | None

    @property
    def where(self) -> str:
        """The stream, or the position when the stream id itself cannot be read."""
        if self.stream_id is not None:
            return self.stream_id
        return f"(position {self.position})" if self.position is not None else "(store)"


AuditRow = StoredEvent | DamagedRow


@runtime_checkable
class AuditableStore(Protocol):
    """A store whose rows can be altered behind its back (a database) reads them for audit defensively."""

    def audit_rows(self, *, stream_id: str | None = None) -> Iterator[AuditRow]:
        """Every row in position order (only ``stream_id``'s, when given), never raising for a row."""
        ...


#: Reads one column's raw value: returns the value and whether it was of the wrong type but readable;
#: raises :class:`Unreadable` when it cannot be read.
ColumnReader = Callable[[Any], tuple[Any, bool]]


def _kind(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a real number"
    return f"a {type(value).__name__}"


def as_int(value: Any) -> tuple[int, bool]:
    """An integer column: an integer, or text or a whole real number holding one (wrong type)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value, False
    if isinstance(value, str):
        try:
            return int(value.strip()), True
        except ValueError:
            raise Unreadable("holds text that is not a number, not an integer") from None
    if isinstance(value, float) and value.is_integer():
        return int(value), True
    raise Unreadable(f"holds {_kind(value)}, not an integer")


def as_text(value: Any) -> tuple[str, bool]:
    """A text column: text, or bytes holding UTF-8 text (wrong type)."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            raise Unreadable("holds text that is not valid Unicode") from None
        return value, False
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return bytes(value).decode(), True
        except UnicodeDecodeError:
            raise Unreadable("holds bytes that are not UTF-8 text") from None
    raise Unreadable(f"holds {_kind(value)}, not text")


def as_bytes(value: Any) -> tuple[bytes, bool]:
    """A bytes column: bytes, or text (read as its UTF-8 bytes; wrong type)."""
    if isinstance(value, bytes):
        return value, False
    if isinstance(value, bytearray | memoryview):
        return bytes(value), False
    if isinstance(value, str):
        try:
            return value.encode(), True
        except UnicodeEncodeError:
            raise Unreadable("holds text that is not valid Unicode, not bytes") from None
    raise Unreadable(f"holds {_kind(value)}, not bytes")


def as_hash(value: Any) -> tuple[bytes, bool]:
    """The hash column: 32 bytes."""
    digest, wrong = as_bytes(value)
    if len(digest) != 32:
        raise Unreadable(f"holds {len(digest)} bytes, not a 32-byte SHA-256")
    return digest, wrong


def as_uuid(value: Any) -> tuple[uuid.UUID, bool]:
    """An event id: a UUID, or text or 16 bytes holding one."""
    if isinstance(value, uuid.UUID):
        return value, False
    if isinstance(value, str):
        try:
            return uuid.UUID(value), False
        except ValueError:
            raise Unreadable("holds text that is not a UUID") from None
    if isinstance(value, bytes) and len(value) == 16:
        return uuid.UUID(bytes=value), True
    raise Unreadable(f"holds {_kind(value)}, not a UUID")


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def as_epoch_micros(value: Any) -> tuple[dt.datetime, bool]:
    """A time kept as integer microseconds since the epoch (SQLite)."""
    micros, wrong = as_int(value)
    try:
        return _EPOCH + dt.timedelta(microseconds=micros), wrong
    except OverflowError:
        raise Unreadable("holds a number of microseconds outside the years 1–9999") from None


def as_aware_time(value: Any) -> tuple[dt.datetime, bool]:
    """A time kept as an aware timestamp (PostgreSQL), or ISO 8601 text holding one."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise Unreadable("holds a time without a zone")
        return value.astimezone(dt.UTC), False
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise Unreadable("holds text that is not a time") from None
        if parsed.tzinfo is None:
            raise Unreadable("holds a time without a zone")
        return parsed.astimezone(dt.UTC), True
    raise Unreadable(f"holds {_kind(value)}, not a time")


def _non_empty(reader: ColumnReader) -> ColumnReader:
    def read(value: Any) -> tuple[Any, bool]:
        text, wrong = reader(value)
        if not text:
            raise Unreadable("is empty")
        return text, wrong

    return read


def readers(event_id: ColumnReader, recorded_at: ColumnReader) -> tuple[ColumnReader, ...]:
    """The column readers of :data:`COLUMNS`, with the adapter's spelling of ids and times."""
    return (
        as_int,
        _non_empty(as_text),
        as_int,
        event_id,
        _non_empty(as_text),
        as_int,
        as_bytes,
        as_bytes,
        recorded_at,
        as_hash,
    )


def read_row(values: Sequence[Any], columns: Sequence[ColumnReader]) -> AuditRow:
    """One row of :data:`COLUMNS` as a stored event, or a :class:`DamagedRow` naming what is wrong."""
    read: list[Any] = []
    problems: list[ColumnProblem] = []
    for name, reader, value in zip(COLUMNS, columns, values, strict=True):
        try:
            if isinstance(value, Unparsable):
                raise Unreadable(value.what)
            typed, wrong = reader(value)
        except Unreadable as exc:
            problems.append(ColumnProblem(name, str(exc), False))
            read.append(None)
            continue
        if wrong:
            problems.append(ColumnProblem(name, f"holds {_kind(value)}, not what rehabcore wrote", True))
        read.append(typed)
    if not problems:
        return StoredEvent(*read)
    position, stream_id, version = read[0], read[1], read[2]
    event = StoredEvent(*read) if all(p.readable for p in problems) else None
    return DamagedRow(position, stream_id, version, read[9], tuple(problems), event)
