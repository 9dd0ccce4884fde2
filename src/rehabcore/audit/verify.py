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
from collections.abc import Callable

import attrs

from rehabcore import observability
from rehabcore.audit.classify import Finding, FindingKind, Head, chain_hash, classify, command_of
from rehabcore.audit.digest import HeadDigest, StreamHead
from rehabcore.store import GENESIS_HASH, EventStore, StoredEvent


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


@observability.traced_verify
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
        self.heads: dict[str, Head] = {}
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
            head = self.heads[e.stream_id] = Head(0, GENESIS_HASH)
        command_id, index = command_of(e, head)
        if e.version != head.version + 1 or chain_hash(head.hash, e) != e.hash or command_id is None:
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


def _against_digest(
    digest: HeadDigest, heads: dict[str, Head], seen: dict[str, bytes], head_position: int
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
