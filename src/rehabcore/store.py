"""The storage port: what every event store does, in envelopes and bytes.

Adapters implement :class:`EventStore`; they never see domain classes. This module must not import any
driver, the domain, or the codec.

Versions are 1-based per stream; ``expected_version`` is the version the writer last saw: ``0`` means the
stream must not exist yet, ``None`` means "any" (no check). Positions are the global order, starting at 1,
without gaps for a reader: ``read_all(after=p)`` never skips an event that commits later with a lower
position.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import inspect
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

import attrs
import orjson

from rehabcore.errors import (
    AdapterNotInstalled,
    ConcurrencyError,
    InvalidInput,
    PayloadRejected,
    RehabcoreError,
)

#: The hash that precedes version 1 of every stream.
GENESIS_HASH = bytes(32)

ANY_VERSION: None = None
NO_STREAM = 0


@attrs.frozen
class NewEvent:
    """An event on its way into a store: the codec's bytes plus an id that makes re-appends idempotent."""

    event_id: uuid.UUID
    type: str
    schema_version: int
    data: bytes
    metadata: bytes = b"{}"


@attrs.frozen
class StoredEvent:
    """An event as a store holds it. ``recorded_at`` and ``position`` are set by the store."""

    position: int
    stream_id: str
    version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    data: bytes
    metadata: bytes
    recorded_at: dt.datetime
    hash: bytes


@attrs.frozen
class StreamWrite:
    """Events for one stream, with the version the writer saw. Several go in one atomic ``append``."""

    stream_id: str
    events: Sequence[NewEvent]
    expected_version: int | None = ANY_VERSION


@attrs.frozen
class AppendResult:
    """Where a stream write landed: the stream's version and the global position of its last event.

    ``duplicate`` is True when the write was an idempotent retry: every one of its events was already
    stored, so nothing was written and the result says where they are. Of two writers racing with the same
    events, exactly one gets ``duplicate=False``.
    """

    stream_id: str
    version: int
    position: int
    #: Not part of equality: a retry lands where the first write did, and compares equal to its result.
    duplicate: bool = attrs.field(default=False, eq=False)


@runtime_checkable
class EventStore(Protocol):
    """The port. Small on purpose: an in-memory fake of it fits in a screenful.

    ``append`` is all-or-nothing over every write it is given. A write whose event ids are all already
    stored in that stream, in that order, is an idempotent retry: it writes nothing and returns where the
    events already are. Any other clash of event ids, or a stream not at ``expected_version``, raises
    :class:`~rehabcore.errors.ConcurrencyError` and nothing of the call is written.
    """

    def append(self, *writes: StreamWrite) -> list[AppendResult]:
        """Append atomically to one or more streams."""
        ...

    def read_stream(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        up_to_version: int | None = None,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Events of one stream in version order (newest first with ``backwards``); ``[]`` if missing."""
        ...

    def read_all(
        self, *, after: int = 0, limit: int | None = None, types: Iterable[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event with a position above ``after``, in order, optionally only of ``types``."""
        ...

    def head_position(self) -> int:
        """The highest position a reader can see now (0 for an empty store)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


def event_hash(
    previous: bytes,
    stream_id: str,
    version: int,
    event_id: uuid.UUID,
    type_: str,
    schema_version: int,
    data: bytes,
    metadata: bytes,
    recorded_at: dt.datetime,
) -> bytes:
    """SHA-256 chaining an event to the previous one of its stream; every adapter uses this one recipe."""
    h = hashlib.sha256(previous)
    for part in (
        stream_id.encode(),
        str(version).encode(),
        event_id.bytes,
        type_.encode(),
        str(schema_version).encode(),
        data,
        metadata,
        recorded_at.astimezone(dt.UTC).isoformat(timespec="microseconds").encode(),
    ):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.digest()


@attrs.frozen
class Limits:
    """How large what a store accepts may be; larger is refused with :class:`PayloadRejected` on every
    back-end, before anything is written. Set with :func:`set_limits`.

    The defaults are far above any real case entry (the largest the demo writes is about 2 KiB) and far
    below what would hurt: a 20 MB command or a 100 MB event slows every reader of its stream for good.
    """

    #: Bytes of one event's data.
    max_event_bytes: int = 1024 * 1024
    #: Bytes of one event's metadata (which carries the whole command on a write's first event).
    max_metadata_bytes: int = 1024 * 1024
    #: Bytes of everything one ``append`` writes.
    max_append_bytes: int = 16 * 1024 * 1024
    #: Characters of one text value inside data or metadata (a goal in the citizen's words, a reason).
    max_text_chars: int = 20_000
    #: Items of one list inside data or metadata.
    max_list_items: int = 10_000
    #: Payloads up to this many bytes are not walked for text and lists (they cannot break those limits).
    walk_above_bytes: int = 4096

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Limits):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInput(field.name, "must be a count >= 1")


_limits = Limits()


def set_limits(limits: Limits) -> Limits:
    """Use ``limits`` in this process from now on; returns the ones in force before."""
    global _limits
    if not isinstance(limits, Limits):
        raise InvalidInput("limits", "expected rehabcore.store.Limits")
    previous, _limits = _limits, limits
    return previous


def current_limits() -> Limits:
    """The limits in force."""
    return _limits


def check_writes(writes: Sequence[StreamWrite]) -> None:
    """Refuse malformed, oversized or self-contradicting writes before any adapter touches its back-end.

    A stream written twice in one call, or an event id given twice, is a conflict with itself: it raises
    :class:`ConcurrencyError` like any other clash, and nothing is written. What is larger than
    :class:`Limits` allows raises :class:`PayloadRejected` naming the limit.
    """
    streams: set[str] = set()
    ids: set[int] = set()  # by the id's integer: a UUID's own hash is a Python call
    limits = _limits
    total = 0
    for write in writes:
        _check_write(write)
        total += _check_sizes(write, limits)
        if total > limits.max_append_bytes:
            raise PayloadRejected(
                f"append: {total:,} bytes or more, above the limit of {limits.max_append_bytes:,} "
                "(Limits.max_append_bytes); write in smaller appends"
            )
        if write.stream_id in streams:
            raise ConcurrencyError(write.stream_id, write.expected_version, -1)
        streams.add(write.stream_id)
        for event in write.events:
            key = event.event_id.int  # a UUID: _check_write said so
            if key in ids:
                raise ConcurrencyError(write.stream_id, write.expected_version, -1)
            ids.add(key)


def _check_write(write: StreamWrite) -> None:
    if not isinstance(write.stream_id, str) or not write.stream_id or len(write.stream_id) > 200:
        raise InvalidInput("stream_id", "must be a non-empty string of at most 200 characters")
    if not _encodable(write.stream_id):
        # event_hash encodes it as UTF-8; failing there would be after earlier writes of the call were made.
        raise InvalidInput("stream_id", "must be valid Unicode text (no lone surrogates)")
    if write.expected_version is not None and (
        not isinstance(write.expected_version, int) or write.expected_version < 0
    ):
        raise InvalidInput("expected_version", "must be None (any) or a version >= 0")
    for event in write.events:
        if not isinstance(event.event_id, uuid.UUID):
            raise InvalidInput("event_id", "must be a uuid.UUID")
        name = event.type
        if not (type(name) is str and name in _GOOD_TYPES) and not _good_type(name):
            raise InvalidInput("type", "must be a non-empty string of valid Unicode text")
        if not isinstance(event.data, bytes) or not isinstance(event.metadata, bytes):
            raise InvalidInput("data", "data and metadata must be bytes")


#: Type names already found good: a store sees the same few dozen on every append. Bounded.
_GOOD_TYPES: set[str] = set()


def _good_type(name: object) -> bool:
    if not name or not isinstance(name, str) or not _encodable(name):
        return False
    if len(_GOOD_TYPES) >= 4096:
        _GOOD_TYPES.clear()
    _GOOD_TYPES.add(name)
    return True


def _check_sizes(write: StreamWrite, limits: Limits) -> int:
    """The bytes of one write; :class:`PayloadRejected` for an event, a text or a list above the limits."""
    total = 0
    max_data, max_metadata, walk = limits.max_event_bytes, limits.max_metadata_bytes, limits.walk_above_bytes
    for n, event in enumerate(write.events):
        data, metadata = len(event.data), len(event.metadata)
        total += data + metadata
        if data > max_data or metadata > max_metadata or data > walk or metadata > walk:
            _check_event_sizes(write, n, event, limits)  # the rare event that needs a closer look
    return total


def _check_event_sizes(write: StreamWrite, n: int, event: NewEvent, limits: Limits) -> None:
    """One event's parts against the limits, named in the error (:func:`_check_sizes`)."""
    for part, data, limit, name in (
        ("data", event.data, limits.max_event_bytes, "max_event_bytes"),
        ("metadata", event.metadata, limits.max_metadata_bytes, "max_metadata_bytes"),
    ):
        size = len(data)
        where = f"event {n} of {write.stream_id} ({event.type}): {part}"
        if size > limit:
            raise PayloadRejected(f"{where} is {size:,} bytes, above the limit of {limit:,} (Limits.{name})")
        if size > limits.walk_above_bytes:
            _walk(where, data, limits)


def _walk(where: str, data: bytes, limits: Limits) -> None:
    """Look inside a large payload for one text or list above the limits (naming its field, not its value)."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return  # not JSON: nothing inside to measure; the size limit above still holds
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if len(item) > limits.max_text_chars:
                raise PayloadRejected(
                    f"{where}: text {path or '(top)'} has {len(item):,} characters, above the limit of "
                    f"{limits.max_text_chars:,} (Limits.max_text_chars)"
                )
        elif isinstance(item, list):
            if len(item) > limits.max_list_items:
                raise PayloadRejected(
                    f"{where}: list {path or '(top)'} has {len(item):,} items, above the limit of "
                    f"{limits.max_list_items:,} (Limits.max_list_items)"
                )
            stack.extend((f"{path}[]", x) for x in item)
        elif isinstance(item, dict):
            stack.extend((f"{path}.{k}" if path else str(k), x) for k, x in item.items())


def check_read_all(after: Any, limit: Any, types: Any) -> list[str] | None:
    """The arguments of ``read_all`` checked (every adapter's), ``types`` as a list or None.

    A single string for ``types`` is refused: iterated, it would name one-letter types and match nothing.
    """
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise InvalidInput("after", "must be a position >= 0")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise InvalidInput("limit", "must be None or a count >= 0")
    if types is None:
        return None
    if isinstance(types, str | bytes):
        raise InvalidInput(
            "types", "must be a collection of type names, e.g. ['rehab.CaseOpened'], not one string"
        )
    try:
        wanted = list(types)
    except TypeError:
        raise InvalidInput("types", "must be a collection of type names") from None
    if not all(isinstance(t, str) for t in wanted):
        raise InvalidInput("types", "must be a collection of type names (strings)")
    return wanted


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def utc_now() -> dt.datetime:
    """The clock stores use for ``recorded_at``: aware UTC, microsecond precision."""
    return dt.datetime.now(dt.UTC)


StoreFactory = Callable[..., EventStore]


def open_store(
    url: str,
    *,
    create: bool = True,
    clock: Callable[[], dt.datetime] | None = None,
    read_only: bool = False,
    **options: object,
) -> EventStore:
    """Open a store by URL: ``memory://``, ``sqlite:///cases.sqlite``, ``postgresql+psycopg://…``.

    ``create=False`` never writes DDL: the schema must exist at the adapter's version (``rehabcore db
    upgrade``). ``clock`` sets ``recorded_at`` (tests, imports of old records). Other keyword arguments are
    the adapter's options, e.g. pool settings (``pool_size=2``, also as ``?pool_size=2`` in the URL).
    Adapters register a factory per URL scheme in the entry-point group ``rehabcore.stores``.
    ``read_only`` (what every reading command asks for) opens an existing store without writing anything:
    no table is created and a database without rehabcore's tables is refused
    (:class:`~rehabcore.errors.NotAStore`); factories that take a ``read_only`` keyword are given it.
    """
    if not isinstance(url, str):
        raise InvalidInput("url", f"expected a store URL as text, got {type(url).__name__}")
    if not create:
        options["create"] = False
    if clock is not None:
        options["clock"] = clock
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if not scheme or "://" not in url or not _encodable(url):
        raise InvalidInput("url", "expected a store URL such as memory:// or sqlite:///cases.sqlite")
    if scheme in {"postgresql", "postgres"} and importlib.util.find_spec("psycopg") is None:
        # The SQL adapter may be there without its driver; say so before SQLAlchemy fails to import it.
        raise AdapterNotInstalled(scheme, "install the driver too: pip install 'rehabcore[postgresql]'")
    for ep in entry_points(group="rehabcore.stores"):
        if ep.name == scheme:
            factory: StoreFactory = ep.load()
            if read_only and "read_only" in inspect.signature(factory).parameters:
                options["read_only"] = True
            try:
                return factory(url, **options)
            except RehabcoreError:
                raise
            except Exception as exc:  # the URL's options, as the driver parses them (?timeout=abc)
                raise InvalidInput(
                    "url",
                    f"the {scheme} adapter cannot use this URL ({type(exc).__name__}); check its options",
                ) from None
    hint = (
        "install the SQL adapter: pip install 'rehabcore[sqlite]'"
        if scheme == "sqlite"
        else "install the SQL adapter with psycopg: pip install 'rehabcore[postgresql]'"
        if scheme in {"postgresql", "postgres"}
        else "install an adapter that registers this scheme in the 'rehabcore.stores' entry-point group"
    )
    raise AdapterNotInstalled(scheme, hint)
