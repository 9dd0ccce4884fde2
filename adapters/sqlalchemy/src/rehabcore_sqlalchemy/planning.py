"""Planning an append: which writes are retries, where the rest land, and their hash-chained rows.

Shared by the store's own transactions (:mod:`.store`) and appends inside a caller's (:mod:`.joined`): both
read the heads and known ids under the append lock, then call these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from collections.abc import Callable
from typing import Any

from rehabcore.errors import ConcurrencyError, InvalidInput
from rehabcore.store import GENESIS_HASH, AppendResult, StreamWrite
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

    The hashes are :func:`rehabcore.store.event_hash`'s recipe (the contract recomputes every stored one with
    it), fed in one piece: SHA-256 over the previous hash and the length-prefixed parts is the same digest
    whether the parts come in eight updates or one, and the parts every event of the write shares (the
    stream id, ``recorded_at``) and those that repeat (a type, a schema version) are encoded once. Per event
    that is about a third of ``event_hash``'s time, which a one-append case pays twenty times.
    """
    stream_id = write.stream_id
    sid = stream_id.encode()
    at = now.astimezone(dt.UTC).isoformat(timespec="microseconds").encode()
    shared_tail = _prefix(len(at)) + at
    head = _prefix(len(sid)) + sid
    for new in write.events:
        version += 1
        position += 1
        data, metadata = new.data, new.metadata
        previous = _sha256(
            b"".join(
                (
                    previous,
                    head,
                    _version_part(version),
                    _ID_PREFIX,
                    new.event_id.bytes,
                    _text_part(new.type),
                    _version_part(new.schema_version),
                    _prefix(len(data)),
                    data,
                    _prefix(len(metadata)),
                    metadata,
                    shared_tail,
                )
            )
        ).digest()
        rows.append(
            (
                position,
                stream_id,
                version,
                id_param(new.event_id),
                new.type,
                new.schema_version,
                data,
                metadata,
                stamp,
                previous,
            )
        )
    return AppendResult(stream_id, version, position), previous


_sha256 = hashlib.sha256
_prefix = struct.Struct(">Q").pack  # event_hash's length prefix: eight bytes, big-endian
_ID_PREFIX = _prefix(16)
#: Length-prefixed parts already encoded, by exact type (an int subclass or a str subclass may print or encode
#: otherwise, so only plain ints and strs are looked up). Bounded: versions and type names repeat.
_NUMBERS: dict[int, bytes] = {}
_TEXTS: dict[str, bytes] = {}
_PARTS_MAX = 4096


def _version_part(number: int) -> bytes:
    """A version (or schema version) as event_hash feeds it: its decimal text, length-prefixed."""
    part = _NUMBERS.get(number) if type(number) is int else None
    if part is None:
        text = str(number).encode()
        part = _prefix(len(text)) + text
        if type(number) is int and len(_NUMBERS) < _PARTS_MAX:
            _NUMBERS[number] = part
    return part


def _text_part(text: str) -> bytes:
    """An event type as event_hash feeds it: UTF-8, length-prefixed."""
    part = _TEXTS.get(text) if type(text) is str else None
    if part is None:
        raw = text.encode()
        part = _prefix(len(raw)) + raw
        if type(text) is str and len(_TEXTS) < _PARTS_MAX:
            _TEXTS[text] = part
    return part


def check_limit(limit: int | None) -> None:
    """Refuse a ``limit`` that is not None or a count >= 0."""
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InvalidInput("limit", "must be None or a count >= 0")


def stream_read_params(
    stream_id: str, after_version: int, up_to_version: int | None, limit: int | None
) -> list[Any]:
    """The parameters of a stream read, in the order the dialect's ``read_stream`` SQL takes them (the
    optional bounds only when given); ``limit`` checked first."""
    check_limit(limit)
    params: list[Any] = [stream_id, after_version]
    if up_to_version is not None:
        params.append(up_to_version)
    if limit is not None:
        params.append(limit)
    return params
