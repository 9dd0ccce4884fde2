"""Planning an append: which writes are retries, where the rest land, and their hash-chained rows.

Shared by the store's own transactions (:mod:`.store`) and appends inside a caller's (:mod:`.joined`): both
read the heads and known ids under the append lock, then call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rehabcore.errors import ConcurrencyError, InvalidInput
from rehabcore.store import GENESIS_HASH, AppendResult, StreamWrite, event_hash
from rehabcore_sqlalchemy.dialects import Head, Known


def plan(
    write: StreamWrite, head: Head | None, known: Known, id_param: Callable[[Any], Any]
) -> tuple[AppendResult | None, int, bytes]:
    """Check one write; return its earlier result if it is a retry, else the stream's head."""
    version, last_hash, last_position = head if head is not None else (0, GENESIS_HASH, 0)
    if not write.events:
        return AppendResult(write.stream_id, version, last_position), version, last_hash
    if known:
        mine = [known.get(id_param(e.event_id)) for e in write.events]
        if all(m is not None for m in mine):
            first_version = mine[0][1]  # type: ignore[index]
            if all(m[:2] == (write.stream_id, first_version + n) for n, m in enumerate(mine)):  # type: ignore[index]
                _, last_version, position = mine[-1]  # type: ignore[misc]
                return (
                    AppendResult(write.stream_id, last_version, position, duplicate=True),
                    version,
                    last_hash,
                )
        if any(m is not None for m in mine):
            raise ConcurrencyError(write.stream_id, write.expected_version, version)
    if write.expected_version is not None and write.expected_version != version:
        raise ConcurrencyError(write.stream_id, write.expected_version, version)
    return None, version, last_hash


def rows(
    rows: list[tuple[Any, ...]],
    write: StreamWrite,
    version: int,
    previous: bytes,
    position: int,
    now: dt.datetime,
    stamp: Any,
    id_param: Callable[[Any], Any],
) -> tuple[AppendResult, bytes]:
    """Add the rows of one write to ``rows``, each hash chained to the one before it in its stream.

    Returns where the write lands and the hash of its last event (the stream's new head).
    """
    stream_id = write.stream_id
    for new in write.events:
        version += 1
        position += 1
        previous = event_hash(
            previous,
            stream_id,
            version,
            new.event_id,
            new.type,
            new.schema_version,
            new.data,
            new.metadata,
            now,
        )
        rows.append(
            (
                position,
                stream_id,
                version,
                id_param(new.event_id),
                new.type,
                new.schema_version,
                new.data,
                new.metadata,
                stamp,
                previous,
            )
        )
    return AppendResult(stream_id, version, position), previous


def check_limit(limit: int | None) -> None:
    """Refuse a ``limit`` that is not None or a count >= 0."""
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInput("limit", "must be None or a count >= 0")
