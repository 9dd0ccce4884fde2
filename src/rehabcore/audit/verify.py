"""Tamper evidence: walk every stream, recompute its hash chain, and name what was changed.

``verify`` reads the store once, in global order, keeping only each stream's last version and hash (memory
grows with the number of streams, never with the number of events). An event is suspicious when its version
does not follow the previous one of its stream, when its hash does not chain over that event's hash, or when
its id is not the one its command would have given it (``uuid5(command_id, "stream/i")``, see
``rehabcore.cases``): every entry of a case record is made by a command. Only the streams with a suspicious
event are read a second time, whole, to say what happened to which version:

* ``deleted``: a version is missing (a gap), or the stream ends before the version a head digest pinned;
* ``reordered``: versions do not follow the order the store recorded them in (positions);
* ``inserted``: an event no command produced, or one pushed in before an existing version;
* ``edited``: an event whose content no longer matches its hash.

What a hash chain cannot show without a secret: someone who rewrites a stream's tail and recomputes every
hash. The head digest (``digest.py``), kept outside the store, catches that for everything it pinned.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable, Sequence

import attrs
import orjson

from rehabcore.audit.digest import HeadDigest, StreamHead
from rehabcore.store import GENESIS_HASH, EventStore, StoredEvent, event_hash

#: How many events one command may write to one stream and still have its ids recognised.
_MAX_EVENTS_PER_WRITE = 64


class FindingKind(enum.StrEnum):
    """What happened to a row."""

    EDITED = "edited"
    INSERTED = "inserted"
    DELETED = "deleted"
    REORDERED = "reordered"


@attrs.frozen
class Finding:
    """One sign of tampering: which stream, which version, what kind, and a sentence saying why."""

    kind: FindingKind
    stream_id: str
    version: int | None
    detail: str

    def __str__(self) -> str:
        where = self.stream_id if self.version is None else f"{self.stream_id} v{self.version}"
        return f"{self.kind.value:<9} {where}: {self.detail}"


@attrs.frozen
class VerifyReport:
    """The outcome of one walk: counts, the findings (empty when intact) and the digest of the store now."""

    events: int
    streams: int
    head_position: int
    findings: tuple[Finding, ...]
    digest: HeadDigest
    checked_digest: HeadDigest | None = None

    @property
    def intact(self) -> bool:
        """No finding."""
        return not self.findings


@attrs.define
class _Head:
    version: int
    hash: bytes
    #: The command that wrote the last event, and that event's index in its write: the next event of the
    #: same command has the next index, so its id is checked with one uuid5 instead of a search.
    command_id: uuid.UUID | None = None
    index: int = 0


def verify(
    store: EventStore,
    *,
    against: HeadDigest | None = None,
    progress: Callable[[int], None] | None = None,
    as_known_at: dt.datetime | None = None,
    gapless_positions: bool = True,
) -> VerifyReport:
    """Check every stream's hash chain (and, with ``against``, that no stream lost its tail since then).

    With ``as_known_at`` only the events recorded up to then are checked, and the digest returned is the one
    that would have been exported then. rehabcore's stores number events 1, 2, 3… without holes, so a hole in
    the positions is a deleted row even where no chain shows it (the last event of a stream); the digest names
    its stream. Pass ``gapless_positions=False`` for an adapter that declares positions only increasing.
    """
    walk = _Walk({h.stream_id: h for h in against.heads} if against else {}, gapless_positions)
    for e in store.read_all():
        if as_known_at is not None and e.recorded_at > as_known_at:
            continue
        walk.see(e)
        if progress is not None and walk.count % 1000 == 0:
            progress(1000)
    if progress is not None and walk.count % 1000:
        progress(walk.count % 1000)
    findings = walk.holes()
    for stream_id in sorted(walk.suspicious):
        rows = store.read_stream(stream_id)
        findings += classify([r for r in rows if as_known_at is None or r.recorded_at <= as_known_at])
    if against is not None:
        findings += _against_digest(against, walk.heads, walk.seen_pinned, walk.last_position)
    current = HeadDigest.from_heads(
        {s: (h.version, h.hash) for s, h in walk.heads.items()}, walk.last_position, walk.count
    )
    return VerifyReport(walk.count, len(walk.heads), walk.last_position, tuple(findings), current, against)


class _Walk:
    """One pass in global order: each stream's head, the streams to look at again, the holes in positions."""

    def __init__(self, pinned: dict[str, StreamHead], gapless_positions: bool) -> None:
        self.pinned = pinned
        self.gapless = gapless_positions
        self.heads: dict[str, _Head] = {}
        self.suspicious: set[str] = set()
        self.seen_pinned: dict[str, bytes] = {}
        self.gaps: list[tuple[int, int]] = []
        self.count = 0
        self.last_position = 0

    def see(self, e: StoredEvent) -> None:
        self.count += 1
        if self.gapless and e.position != self.last_position + 1:
            self.gaps.append((self.last_position + 1, e.position - 1))
        self.last_position = e.position
        head = self.heads.get(e.stream_id)
        if head is None:
            head = self.heads[e.stream_id] = _Head(0, GENESIS_HASH)
        command_id, index = _command_of(e, head)
        if e.version != head.version + 1 or _hash(head.hash, e) != e.hash or command_id is None:
            self.suspicious.add(e.stream_id)
        if e.version > head.version:
            head.version, head.hash, head.command_id, head.index = e.version, e.hash, command_id, index
        pin = self.pinned.get(e.stream_id)
        if pin is not None and pin.version == e.version:
            self.seen_pinned[e.stream_id] = e.hash

    def holes(self) -> list[Finding]:
        return [
            Finding(
                FindingKind.DELETED,
                "(store)",
                None,
                f"no event at position {low}"
                + (f"–{high}" if high > low else "")
                + "; the stream is not known",
            )
            for low, high in self.gaps
        ]


def _hash(previous: bytes, e: StoredEvent, version: int | None = None) -> bytes:
    return event_hash(
        previous,
        e.stream_id,
        e.version if version is None else version,
        e.event_id,
        e.type,
        e.schema_version,
        e.data,
        e.metadata,
        e.recorded_at,
    )


def _command_of(e: StoredEvent, head: _Head) -> tuple[uuid.UUID | None, int]:
    """The command that wrote ``e`` and the event's index in that write; ``(None, 0)`` if none did."""
    try:
        command_id = uuid.UUID(orjson.loads(e.metadata)["command_id"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None, 0
    likely = head.index + 1 if command_id == head.command_id else 0
    for i in (likely, *range(_MAX_EVENTS_PER_WRITE)):
        if uuid.uuid5(command_id, f"{e.stream_id}/{i}") == e.event_id:
            return command_id, i
    return None, 0


def _from_a_command(e: StoredEvent) -> bool:
    """Whether the event's id is the one the command named in its metadata would have given it."""
    return _command_of(e, _Head(0, GENESIS_HASH))[0] is not None


def classify(rows: Sequence[StoredEvent]) -> list[Finding]:
    """Name what happened in one stream, given all its rows (any order)."""
    if not rows:
        return []
    stream_id = rows[0].stream_id
    by_version = sorted(rows, key=lambda r: r.version)
    by_position = sorted(rows, key=lambda r: r.position)
    findings = _gaps(stream_id, by_version)
    versions = [r.version for r in by_version]
    # The store gave each event its position when it recorded it. When versions no longer follow positions
    # and the chain verifies in the recorded order, the rows were only renumbered: name them reordered.
    recorded_order = list(zip(by_position, versions, strict=True))
    if by_position != by_version and _failures(recorded_order) == 0:
        findings += _reordered(recorded_order)
    else:
        findings += _chain(stream_id, [(r, r.version) for r in by_version])
    if not findings:
        findings.append(Finding(FindingKind.EDITED, stream_id, None, "the stream does not verify"))
    return sorted(findings, key=lambda f: (f.version or 0, f.kind.value))


def _gaps(stream_id: str, by_version: list[StoredEvent]) -> list[Finding]:
    found = []
    expected = 1
    for r in by_version:
        for missing in range(expected, r.version):
            found.append(
                Finding(FindingKind.DELETED, stream_id, missing, f"version gap: v{missing} is missing")
            )
        expected = r.version + 1
    return found


def _reordered(recorded_order: list[tuple[StoredEvent, int]]) -> list[Finding]:
    return [
        Finding(
            FindingKind.REORDERED,
            r.stream_id,
            r.version,
            f"recorded as v{recorded} (position {r.position}), now numbered v{r.version}",
        )
        for r, recorded in recorded_order
        if r.version != recorded
    ]


def _links(order: list[tuple[StoredEvent, int]]) -> list[bool | None]:
    """Per row: True if it chains over the row before it, False if not, None if that row is missing."""
    hashes = {v: r.hash for r, v in order}
    out: list[bool | None] = []
    for r, v in order:
        previous = GENESIS_HASH if v == 1 else hashes.get(v - 1)
        out.append(None if previous is None else _hash(previous, r, v) == r.hash and _from_a_command(r))
    return out


def _failures(order: list[tuple[StoredEvent, int]]) -> int:
    return sum(1 for ok in _links(order) if ok is False)


def _chain(stream_id: str, order: list[tuple[StoredEvent, int]]) -> list[Finding]:
    links = _links(order)
    hashes = {v: r.hash for r, v in order}
    hashes[0] = GENESIS_HASH

    def chains(r: StoredEvent, previous_version: int, as_version: int) -> bool:
        previous = hashes.get(previous_version)
        return previous is not None and _hash(previous, r, as_version) == r.hash

    found: list[Finding] = []
    for i, ((r, v), ok) in enumerate(zip(order, links, strict=True)):
        if ok is not False:
            continue
        nxt = order[i + 1][0] if i + 1 < len(order) else None
        if not _from_a_command(r):
            found.append(Finding(FindingKind.INSERTED, stream_id, v, "no command produced this event"))
        elif chains(r, v - 1, v - 1) or chains(r, v - 1, v + 1):
            continue  # shifted by an insertion or deletion before it, already named
        elif v >= 2 and chains(r, v - 2, v - 1):
            found.append(
                Finding(
                    FindingKind.INSERTED,
                    stream_id,
                    v - 1,
                    f"pushed in before the event that was v{v - 1}; later versions were renumbered",
                )
            )
        elif nxt is not None and _hash(r.hash, nxt, v + 1) == nxt.hash:
            found.append(
                Finding(
                    FindingKind.EDITED,
                    stream_id,
                    v,
                    (
                        "its content no longer matches its hash (or the event before it was rewritten with a "
                        "recomputed hash)"
                    ),
                )
            )
        elif nxt is not None and _hash(r.hash, nxt, v + 2) == nxt.hash:
            found.append(
                Finding(
                    FindingKind.DELETED,
                    stream_id,
                    v,
                    f"the event that was v{v} is gone; later versions were renumbered down",
                )
            )
        elif found and found[-1].version == v - 1:
            continue  # the break follows from the row before, already named
        else:
            found.append(
                Finding(
                    FindingKind.EDITED,
                    stream_id,
                    v,
                    "the chain breaks here: this event, or the one before it with a recomputed hash, changed",
                )
            )
    return found


def _against_digest(
    digest: HeadDigest, heads: dict[str, _Head], seen: dict[str, bytes], head_position: int
) -> list[Finding]:
    found = []
    for pin in digest.heads:
        now = heads.get(pin.stream_id)
        have = now.version if now is not None else 0
        if have < pin.version:
            for v in range(have + 1, pin.version + 1):
                found.append(
                    Finding(
                        FindingKind.DELETED,
                        pin.stream_id,
                        v,
                        f"the digest pinned this stream at v{pin.version}; it now ends at v{have}",
                    )
                )
        elif seen.get(pin.stream_id) != pin.hash:
            found.append(
                Finding(
                    FindingKind.EDITED,
                    pin.stream_id,
                    pin.version,
                    "its hash differs from the one the digest pinned: history up to here was rewritten",
                )
            )
    if head_position < digest.head_position:
        found.append(
            Finding(
                FindingKind.DELETED,
                "(store)",
                None,
                f"the store's head position is {head_position}, below the digest's {digest.head_position}",
            )
        )
    return found
