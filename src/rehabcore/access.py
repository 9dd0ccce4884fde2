"""The access log: who read whose case, when and why, for the municipality's log review (logguppföljning).

A read through ``Cases.get``, ``Audit`` or the command line that names a :class:`Reader` is recorded as an
:class:`Access`. The log is kept apart from the case record (in the identity vault's database when there is
one, :mod:`rehabcore.identity`), append-only; reading it is :meth:`AccessLog.accesses`.

Imports only the standard library, attrs and the domain's checks.
"""

import datetime as dt
import threading
import uuid
from typing import Protocol

import attrs

from rehabcore.domain.validation import validated


@attrs.frozen(kw_only=True, field_transformer=validated)
class Reader:
    """Who reads (a staff id, never a personal identity number) and why (the purpose, in a few words)."""

    id: str
    purpose: str


@attrs.frozen(kw_only=True)
class Access:
    """One read of a case: when, by whom, why, whose case, through what."""

    at: dt.datetime
    reader: str
    purpose: str
    case_id: uuid.UUID
    subject_id: uuid.UUID | None
    via: str


class AccessLog(Protocol):
    """Where reads are recorded."""

    def record_access(self, access: Access) -> None:
        """Append one read."""
        ...

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]:
        """The reads of a subject's cases or by a reader, from ``start`` up to (not including) ``end``."""
        ...


def matches(
    a: Access,
    subject_id: uuid.UUID | None,
    reader: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> bool:
    """Whether ``a`` answers a query of :meth:`AccessLog.accesses`."""
    return (
        (subject_id is None or a.subject_id == subject_id)
        and (reader is None or a.reader == reader)
        and (start is None or a.at >= start)
        and (end is None or a.at < end)
    )


class MemoryAccessLog:
    """An access log in memory, for tests and the demo."""

    def __init__(self) -> None:
        self._rows: list[Access] = []
        self._lock = threading.Lock()

    def record_access(self, access: Access) -> None:
        with self._lock:
            self._rows.append(access)

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]:
        return [a for a in self._rows if matches(a, subject_id, reader, start, end)]


def log_read(
    log: AccessLog | None,
    reader: Reader | None,
    *,
    case_id: uuid.UUID,
    subject_id: uuid.UUID | None,
    via: str,
    at: dt.datetime | None = None,
) -> None:
    """Record a read when a reader is named; naming one where no log is kept is refused, not ignored."""
    if reader is None:
        return
    if not isinstance(reader, Reader):
        from rehabcore.errors import InvalidInput

        raise InvalidInput("reader", "expected rehabcore.access.Reader(id=…, purpose=…)")
    if log is None:
        from rehabcore.errors import InvalidInput

        raise InvalidInput("reader", "a read that names a reader is logged: configure access_log=… first")
    log.record_access(
        Access(
            at=at or dt.datetime.now(dt.UTC),
            reader=reader.id,
            purpose=reader.purpose,
            case_id=case_id,
            subject_id=subject_id,
            via=via,
        )
    )
