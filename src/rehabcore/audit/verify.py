"""Tamper evidence: walk every stream, recompute its hash chain, and name what was changed.

``verify`` reads the store once, in global order, keeping only each stream's last version and hashes (memory
grows with the number of streams, never with the number of events). It reads every row defensively
(:mod:`rehabcore.rows`): a column holding text where bytes belong, NULL, a time out of range or an id that is
not one becomes a finding of that row (``wrong_type`` or ``unreadable``), and the walk goes on. An event is
suspicious when its version does not follow the previous one of its stream, when its hash does not chain
over that event's hash, or when its id is neither the one its command would have given it
(``uuid5(command_id, "stream/i")``, see ``rehabcore.cases``) nor an import's (see :mod:`.provenance`). Only
the streams with a suspicious event are read a second time, whole, to say what happened to which version:

* ``deleted``: a version is missing (a gap), or the stream ends before the version a head digest pinned;
* ``reordered``: versions do not follow the order the store recorded them in (positions);
* ``inserted``: an event no command or import produced, one pushed in before an existing version, or one
  appended after a digest with a recording time the digest covers;
* ``edited``: an event whose content no longer matches its hash;
* ``wrong_type`` / ``unreadable``: a column that does not hold what rehabcore wrote there.

What a hash chain cannot show without a secret: someone who rewrites a stream's tail and recomputes every
hash, or who moves rows between positions. The head digest (``digest.py``), kept outside the store, catches
that for everything it covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

import attrs

from rehabcore import observability
from rehabcore.audit.classify import Finding, FindingKind, Head, chain_hash, classify, command_of
from rehabcore.audit.digest import CHAIN_START, MAX_CHECKPOINTS, HeadDigest, StreamHead, chain_step
from rehabcore.imports import import_of
from rehabcore.rows import AuditableStore, AuditRow, DamagedRow
from rehabcore.store import EventStore, StoredEvent

#: The log chain is remembered at every multiple of this many positions (thinned out for the digest).
CHECKPOINT_EVERY = 1024
#: Rows recorded earlier than the row before them, remembered to name what a changed log chain moved.
_MAX_REVERSALS = 1000


@attrs.frozen
class ImportedBatch:
    """Entries an import appended directly (see :mod:`rehabcore.imports`), counted per batch."""

    batch_id: str
    actor: str
    source: str
    events: int


@attrs.frozen
class VerifyReport:
    """The outcome of one walk: counts, the findings (empty when intact) and the digest of the store now."""

    events: int
    streams: int
    head_position: int
    findings: tuple[Finding, ...]
    digest: HeadDigest
    checked_digest: HeadDigest | None = None
    #: Import batches found, with how many entries each wrote: accepted, and shown so they can be checked.
    imports: tuple[ImportedBatch, ...] = ()

    @property
    def intact(self) -> bool:
        """No finding."""
        return not self.findings


def audit_rows(store: EventStore, stream_id: str | None = None) -> Iterator[AuditRow]:
    """The store's rows read defensively when it can (a database), else its events as they are."""
    if isinstance(store, AuditableStore):
        return store.audit_rows(stream_id=stream_id)
    if stream_id is not None:
        return iter(store.read_stream(stream_id))
    return store.read_all()


@observability.traced_verify
def verify(
    store: EventStore,
    *,
    against: HeadDigest | None = None,
    progress: Callable[[int], None] | None = None,
    as_known_at: dt.datetime | None = None,
    gapless_positions: bool = True,
    streams: Iterable[str] | None = None,
) -> VerifyReport:
    """Check every stream's hash chain (and, with ``against``, the log against a digest exported earlier).

    With ``as_known_at`` only the events recorded up to then are checked, and the digest returned is the one
    that would have been exported then. rehabcore's stores number events 1, 2, 3… without holes, so a hole in
    the positions is a deleted row even where no chain shows it (the last event of a stream); the digest names
    its stream. Pass ``gapless_positions=False`` for an adapter that declares positions only increasing.
    With ``streams``, only those streams are read and checked (what a reading command shows); positions and
    the digest are then not checked.
    """
    walk = _Walk(against, gapless_positions and streams is None, as_known_at)
    sources = [audit_rows(store)] if streams is None else [audit_rows(store, s) for s in streams]
    for rows in sources:
        for row in rows:
            walk.see(row)
            if progress is not None and walk.count % 1000 == 0:
                progress(1000)
    if progress is not None and walk.count % 1000:
        progress(walk.count % 1000)
    findings = walk.findings + walk.holes()
    for stream_id in sorted(walk.suspicious):
        events: list[StoredEvent] = []
        damaged: dict[int, bytes | None] = {}
        for row in audit_rows(store, stream_id):
            event = row.event if isinstance(row, DamagedRow) else row
            if event is not None and walk.known(event.recorded_at):
                events.append(event)
            elif isinstance(row, DamagedRow) and row.version is not None:
                damaged[row.version] = row.hash
        findings += classify(events, damaged)
    if against is not None and streams is None:
        findings += walk.against_digest(against)
    imports = tuple(ImportedBatch(b, a, s, n) for b, (a, s, n) in sorted(walk.imports.items()))
    return VerifyReport(
        walk.count, len(walk.heads), walk.last_position, _once(findings), walk.digest(), against, imports
    )


def _once(findings: list[Finding]) -> tuple[Finding, ...]:
    """Each row named once: a moved row is seen by the positions and by its stream; the first naming wins."""
    seen: set[tuple[FindingKind, str, int]] = set()
    out = []
    for f in findings:
        if f.version is not None:
            key = (f.kind, f.stream_id, f.version)
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return tuple(out)


def verify_streams(store: EventStore, stream_ids: Iterable[str]) -> VerifyReport:
    """Check the hash chains of a few streams only: what `timeline`, `replay` and the citizen file show."""
    return verify(store, streams=list(stream_ids))


@attrs.define
class _StreamWalk(Head):
    #: The hash chained from the content (equal to ``hash`` while nothing in the stream has changed).
    content: bytes = b""


class _Walk:
    """One pass in global order: each stream's head, the log chain, the streams to read again, the holes."""

    def __init__(self, against: HeadDigest | None, gapless_positions: bool, as_known_at: dt.datetime | None):
        self.pinned = {h.stream_id: h for h in against.heads} if against else {}
        self.gapless = gapless_positions
        self.as_known_at = as_known_at
        self.heads: dict[str, _StreamWalk] = {}
        self.suspicious: set[str] = set()
        self.findings: list[Finding] = []
        self.seen_pinned: dict[str, bytes] = {}
        self.gaps: list[tuple[int, int]] = []
        #: Rows seen since the last gap, and the first of them: one row renumbered past the head leaves a
        #: hole where it was and a jump before it, which is one finding.
        self.since_gap = 0
        self.after_gap: tuple[int, str, int] | None = None
        self.count = 0
        self.last_position = 0
        self.chain = CHAIN_START
        self.checkpoints: list[tuple[int, bytes]] = []
        # The digest's checkpoints still ahead, and the log chain found at each.
        self.wanted = [p for p, _ in against.checkpoints] if against and against.chain else []
        self.wanted_at = 0
        self.found: dict[int, bytes] = {}
        self.recorded_until: dt.datetime | None = None
        self.reversals: list[tuple[int, str, int]] = []
        self.newest: tuple[int, str, int] = (0, "", 0)
        self.late: list[StoredEvent] = []
        self.against = against
        self.imports: dict[str, tuple[str, str, int]] = {}

    def known(self, moment: dt.datetime) -> bool:
        return self.as_known_at is None or moment <= self.as_known_at

    def see(self, row: AuditRow) -> None:
        if isinstance(row, DamagedRow):
            self._damaged(row)
            return
        if not self.known(row.recorded_at):
            return
        self._position(row.position)
        self.since_gap += 1
        if self.since_gap == 1 and self.gaps:
            self.after_gap = (row.position, row.stream_id, row.version)
        self._event(row)

    def _position(self, position: int) -> None:
        self.count += 1
        self._pass(position)
        if self.gapless and position != self.last_position + 1 and position > self.last_position:
            self.gaps.append((self.last_position + 1, position - 1))
            self.since_gap = 0
        self.last_position = max(self.last_position, position)

    def _pass(self, position: int) -> None:
        """Note the log chain at each checkpoint passed before ``position``."""
        while self.wanted_at < len(self.wanted) and self.wanted[self.wanted_at] < position:
            self.found[self.wanted[self.wanted_at]] = self.chain
            self.wanted_at += 1

    def _event(self, e: StoredEvent, problems: str = "") -> None:
        head = self.heads.get(e.stream_id)
        if head is None:
            head = self.heads[e.stream_id] = _StreamWalk(0, bytes(32), content=bytes(32))
        command_id, index = command_of(e, head)
        expected = chain_hash(head.hash, e)
        content = expected if head.content == head.hash else chain_hash(head.content, e)
        made = command_id is not None
        if not made and (batch := import_of(e.metadata)) is not None:
            made = True
            actor, source, n = self.imports.get(batch["batch_id"], (batch["actor"], batch["source"], 0))
            self.imports[batch["batch_id"]] = (actor, source, n + 1)
        if e.version != head.version + 1 or expected != e.hash or not made:
            self.suspicious.add(e.stream_id)
        if e.version > head.version:
            head.version, head.hash, head.command_id, head.index = e.version, e.hash, command_id, index
            head.content = content
        pin = self.pinned.get(e.stream_id)
        if pin is not None and pin.version == e.version:
            self.seen_pinned[e.stream_id] = content
        self._log(e.position, content)
        if self.recorded_until is not None and e.recorded_at < self.recorded_until:
            # Recorded before an entry placed ahead of it: one of the two was moved in the log.
            if len(self.reversals) < _MAX_REVERSALS:
                self.reversals += [self.newest, (e.position, e.stream_id, e.version)]
        else:
            self.recorded_until = e.recorded_at
            self.newest = (e.position, e.stream_id, e.version)
        against = self.against
        if (
            against is not None
            and against.recorded_until is not None
            and e.position > against.head_position
            and e.recorded_at <= against.recorded_until
        ):
            self.late.append(e)

    def _log(self, position: int, content: bytes) -> None:
        self.chain = chain_step(self.chain, position, content)
        if position % CHECKPOINT_EVERY == 0:
            self.checkpoints.append((position, self.chain))

    def _damaged(self, row: DamagedRow) -> None:
        if row.event is not None and not self.known(row.event.recorded_at):
            return
        kind = FindingKind.WRONG_TYPE if row.event is not None else FindingKind.UNREADABLE
        detail = "; ".join(str(p) for p in row.problems)
        self.findings.append(Finding(kind, row.where, row.version, detail))
        if row.event is not None:
            self._position(row.event.position)
            self._event(row.event)
            return
        if row.position is not None:
            self._position(row.position)
            self._log(row.position, bytes(32))
        if row.stream_id is None or row.version is None:
            return
        head = self.heads.setdefault(row.stream_id, _StreamWalk(0, bytes(32), content=bytes(32)))
        if row.version > head.version:
            # What follows chains over the stored hash, if it can be read; the content chain is broken.
            head.version, head.hash, head.content = row.version, row.hash or bytes(32), bytes(32)
            head.command_id, head.index = None, 0

    def holes(self) -> list[Finding]:
        gaps = self.gaps
        moved: list[Finding] = []
        if len(gaps) >= 2 and self.since_gap == 1 and self.after_gap is not None:
            single = next((g for g in gaps[:-1] if g[0] == g[1]), None)
            if single is not None:
                at, stream, version = self.after_gap
                moved.append(
                    Finding.of(
                        FindingKind.REORDERED,
                        stream,
                        version,
                        "recorded at position {recorded}, now numbered position {now}",
                        recorded=single[0],
                        now=at,
                    )
                )
                gaps = [g for g in gaps[:-1] if g is not single]
        return moved + [
            Finding.of(
                FindingKind.DELETED,
                "(store)",
                None,
                "no event at position {low}; the stream is not known",
                low=low,
            )
            if high == low
            else Finding.of(
                FindingKind.DELETED,
                "(store)",
                None,
                "no event at positions {low}–{high}; the stream is not known",
                low=low,
                high=high,
            )
            for low, high in gaps
        ]

    def digest(self) -> HeadDigest:
        """The digest of what was walked: the content heads, the log chain and the newest time."""
        checkpoints = self.checkpoints
        every = CHECKPOINT_EVERY
        while len(checkpoints) >= MAX_CHECKPOINTS:
            every *= 2
            checkpoints = [(p, c) for p, c in checkpoints if p % every == 0]
        if self.last_position and (not checkpoints or checkpoints[-1][0] != self.last_position):
            checkpoints = [*checkpoints, (self.last_position, self.chain)]
        return HeadDigest.from_heads(
            {s: (h.version, h.content) for s, h in self.heads.items()},
            self.last_position,
            self.count,
            chain=self.chain,
            checkpoints=checkpoints,
            recorded_until=self.recorded_until,
        )

    def against_digest(self, digest: HeadDigest) -> list[Finding]:
        self._pass(digest.head_position + 1)
        found = _pins(digest.heads, self.heads, self.seen_pinned)
        if self.last_position < digest.head_position:
            found.append(
                Finding.of(
                    FindingKind.DELETED,
                    "(store)",
                    None,
                    "the store's head position is {head}, below the digest's {digest_head}",
                    head=self.last_position,
                    digest_head=digest.head_position,
                )
            )
        found += self._log_changes(digest)
        found += [
            Finding.of(
                FindingKind.INSERTED,
                e.stream_id,
                e.version,
                "recorded at {at}, at or before the digest's time {until}, but at position {position}, after "
                "the {digest_head} the digest covers: appended later with an earlier time",
                at=e.recorded_at,
                until=digest.recorded_until,
                position=e.position,
                digest_head=digest.head_position,
            )
            for e in self.late
        ]
        return found

    def _log_changes(self, digest: HeadDigest) -> list[Finding]:
        """Where the log up to the digest's head differs from the one it covered: between two checkpoints."""
        low = 0
        for position, chain in digest.checkpoints:
            if self.found.get(position) != chain:
                moved = [
                    Finding.of(
                        FindingKind.REORDERED,
                        stream,
                        version,
                        "at position {at}, after an entry recorded later: moved in the log",
                        at=at,
                    )
                    for at, stream, version in dict.fromkeys(self.reversals)
                    if low < at <= position
                ]
                return [
                    Finding.of(
                        FindingKind.LOG_CHANGED,
                        "(log)",
                        None,
                        "the log between positions {low} and {high} is not the one the digest covered: "
                        "entries there were changed, removed, added or moved",
                        low=low + 1,
                        high=position,
                    ),
                    *moved,
                ]
            low = position
        return []


def _pins(pins: Iterable[StreamHead], heads: dict[str, _StreamWalk], seen: dict[str, bytes]) -> list[Finding]:
    found = []
    for pin in pins:
        now = heads.get(pin.stream_id)
        have = now.version if now is not None else 0
        if have < pin.version:
            for v in range(have + 1, pin.version + 1):
                found.append(
                    Finding.of(
                        FindingKind.DELETED,
                        pin.stream_id,
                        v,
                        "the digest pinned this stream at v{pinned}; it now ends at v{have}",
                        pinned=pin.version,
                        have=have,
                    )
                )
        elif seen.get(pin.stream_id) != pin.hash:
            found.append(
                Finding.of(
                    FindingKind.EDITED,
                    pin.stream_id,
                    pin.version,
                    "its content differs from what the digest pinned: history up to here was rewritten",
                )
            )
    return found
