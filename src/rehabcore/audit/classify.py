"""Naming what happened to one stream: the rows that no longer chain, and why.

Given every row of a stream whose walk looked wrong, say which versions were edited, inserted, deleted or
reordered. The evidence: versions against positions (the order the store recorded the rows in), each row's
hash over the previous one (``rehabcore.store.event_hash``), and each row's id against the command in its
metadata (``uuid5(command_id, "stream/i")``, as ``rehabcore.cases`` makes them).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence

import attrs
import orjson

from rehabcore.errors import N_, english
from rehabcore.imports import import_of
from rehabcore.store import GENESIS_HASH, StoredEvent, event_hash

#: How many events one command may write to one stream and still have its ids recognised.
_MAX_EVENTS_PER_WRITE = 64


class FindingKind(enum.StrEnum):
    """What happened to a row."""

    EDITED = "edited"
    INSERTED = "inserted"
    DELETED = "deleted"
    REORDERED = "reordered"
    WRONG_TYPE = "wrong_type"  # a column holds another type than rehabcore wrote (its content still read)
    UNREADABLE = "unreadable"  # a column cannot be read at all (NULL, out of range, not an id)
    LOG_CHANGED = "log_changed"  # the log up to a digest's head is not the one the digest covered


@attrs.frozen
class Finding:
    """One sign of tampering: which stream, which version, what kind, and a sentence saying why.

    ``detail`` is English; a finding made with :meth:`of` also keeps its ``template`` and typed ``values``
    so :func:`rehabcore.messages.render` can say it in Swedish or Danish.
    """

    kind: FindingKind
    stream_id: str
    version: int | None
    detail: str
    template: str | None = attrs.field(default=None, eq=False, kw_only=True)
    plural: str | None = attrs.field(default=None, eq=False, kw_only=True)
    values: Mapping[str, object] = attrs.field(factory=dict, eq=False, hash=False, kw_only=True)

    @classmethod
    def of(
        cls,
        kind: FindingKind,
        stream_id: str,
        version: int | None,
        template: str,
        /,
        *,
        plural: str | None = None,
        **values: object,
    ) -> Finding:
        """A finding from its English template and the values it names."""
        detail = english(template, plural, values)
        return cls(kind, stream_id, version, detail, template=template, plural=plural, values=values)

    def __str__(self) -> str:
        where = self.stream_id if self.version is None else f"{self.stream_id} v{self.version}"
        return f"{self.kind.value:<9} {where}: {self.detail}"


@attrs.define
class Head:
    """Where a walk has got to in one stream: its last version and hash."""

    version: int
    hash: bytes
    #: The command that wrote the last event, and that event's index in its write: the next event of the
    #: same command has the next index, so its id is checked with one uuid5 instead of a search.
    command_id: uuid.UUID | None = None
    index: int = 0


def chain_hash(previous: bytes, e: StoredEvent, version: int | None = None) -> bytes:
    """The hash ``e`` should have after ``previous`` (at ``version``, if not its own)."""
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


def command_of(e: StoredEvent, head: Head) -> tuple[uuid.UUID | None, int]:
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
    """Whether the event's id is the one the command named in its metadata would have given it, or the
    event says which import batch appended it (see :mod:`rehabcore.imports`)."""
    return command_of(e, Head(0, GENESIS_HASH))[0] is not None or import_of(e.metadata) is not None


def classify(rows: Sequence[StoredEvent], damaged: Mapping[int, bytes | None] | None = None) -> list[Finding]:
    """Name what happened in one stream, given all its readable rows (any order).

    ``damaged`` maps the versions of rows that could not be read (already named as such) to their stored
    hash, if that could be read: they are not missing, and what follows them may chain over them.
    """
    if not rows:
        return []
    damaged = damaged or {}
    stream_id = rows[0].stream_id
    moved = _renumbered(rows, damaged)
    findings = [
        Finding.of(
            FindingKind.REORDERED,
            stream_id,
            r.version,
            "recorded as v{recorded}, now numbered v{now}",
            recorded=moved[r.version],
            now=r.version,
        )
        for r in rows
        if r.version in moved
    ]
    if moved:
        # Put them back where they chain, and name only what else is wrong.
        rows = [attrs.evolve(r, version=moved[r.version]) if r.version in moved else r for r in rows]
    by_version = sorted(rows, key=lambda r: r.version)
    by_position = sorted(rows, key=lambda r: r.position)
    findings += _gaps(stream_id, by_version, damaged)
    versions = [r.version for r in by_version]
    # The store gave each event its position when it recorded it. When versions no longer follow positions
    # and the chain verifies in the recorded order, the rows were only renumbered: name them reordered.
    recorded_order = list(zip(by_position, versions, strict=True))
    if by_position != by_version and _failures(recorded_order) == 0:
        findings += _reordered(recorded_order)
    else:
        findings += _chain(stream_id, [(r, r.version) for r in by_version], damaged)
    if not findings and by_position != by_version:
        findings += _out_of_place(by_version)
    if not findings:
        findings.append(Finding.of(FindingKind.EDITED, stream_id, None, "the stream does not verify"))
    return sorted(findings, key=lambda f: (f.version or 0, f.kind.value))


def _out_of_place(by_version: list[StoredEvent]) -> list[Finding]:
    """Rows whose chain holds but whose position is after a later version's: moved in the log."""
    found = []
    later = None
    for r in reversed(by_version):
        if later is not None and r.position > later:
            found.append(
                Finding.of(
                    FindingKind.REORDERED,
                    r.stream_id,
                    r.version,
                    "at position {position}, after later versions of its stream: moved in the log",
                    position=r.position,
                )
            )
        later = r.position if later is None else min(later, r.position)
    return found


def _renumbered(rows: Sequence[StoredEvent], damaged: Mapping[int, bytes | None]) -> dict[int, int]:
    """Rows that do not chain where they are numbered but chain exactly at the start of a gap: a version
    changed by hand (v3 set to v100000 is one renumbered row, not 99,997 deleted ones)."""
    hashes: dict[int, bytes | None] = {**damaged, **{r.version: r.hash for r in rows}}
    hashes[0] = GENESIS_HASH
    top = max(hashes)
    starts = [v + 1 for v in sorted(hashes) if v + 1 not in hashes and v + 1 < top]
    moved: dict[int, int] = {}
    for r in sorted(rows, key=lambda r: r.version):
        previous = hashes.get(r.version - 1)
        if previous is not None and chain_hash(previous, r) == r.hash:
            continue
        for start in starts:
            before = hashes.get(start - 1)
            if start not in moved.values() and before is not None and chain_hash(before, r, start) == r.hash:
                moved[r.version] = start
                break
    return moved


#: A gap of more missing versions than this is one finding, not one per version.
_GAP_LISTED = 16


def _gaps(
    stream_id: str, by_version: list[StoredEvent], damaged: Mapping[int, bytes | None]
) -> list[Finding]:
    found = []
    expected = 1
    previous: bytes | None = GENESIS_HASH
    for r in by_version:
        missing = [v for v in range(expected, r.version) if v not in damaged]
        if missing and previous is not None and chain_hash(previous, r, expected) == r.hash:
            # It chains right where it was recorded: renumbered, not a run of deletions.
            found.append(
                Finding.of(
                    FindingKind.REORDERED,
                    stream_id,
                    r.version,
                    "recorded as v{recorded}, now numbered v{now}",
                    recorded=expected,
                    now=r.version,
                )
            )
        elif len(missing) > _GAP_LISTED:
            found.append(
                Finding.of(
                    FindingKind.DELETED,
                    stream_id,
                    missing[0],
                    "version gap: v{first}–v{last} ({n} version) is missing",
                    plural="version gap: v{first}–v{last} ({n} versions) are missing",
                    first=missing[0],
                    last=missing[-1],
                    n=len(missing),
                )
            )
        else:
            found += [
                Finding.of(FindingKind.DELETED, stream_id, v, "version gap: v{v} is missing", v=v)
                for v in missing
            ]
        if r.version >= expected:
            expected, previous = r.version + 1, r.hash
    return found


def _reordered(recorded_order: list[tuple[StoredEvent, int]]) -> list[Finding]:
    return [
        Finding.of(
            FindingKind.REORDERED,
            r.stream_id,
            r.version,
            "recorded as v{recorded} (position {position}), now numbered v{now}",
            recorded=recorded,
            position=r.position,
            now=r.version,
        )
        for r, recorded in recorded_order
        if r.version != recorded
    ]


def _links(
    order: list[tuple[StoredEvent, int]], damaged: Mapping[int, bytes | None] | None = None
) -> list[bool | None]:
    """Per row: True if it chains over the row before it, False if not, None if that row is missing."""
    hashes = {**(damaged or {}), **{v: r.hash for r, v in order}}
    out: list[bool | None] = []
    for r, v in order:
        previous = GENESIS_HASH if v == 1 else hashes.get(v - 1)
        out.append(None if previous is None else chain_hash(previous, r, v) == r.hash and _from_a_command(r))
    return out


def _failures(order: list[tuple[StoredEvent, int]]) -> int:
    return sum(1 for ok in _links(order) if ok is False)


def _chain(
    stream_id: str, order: list[tuple[StoredEvent, int]], damaged: Mapping[int, bytes | None]
) -> list[Finding]:
    links = _links(order, damaged)
    hashes: dict[int, bytes | None] = {**damaged, **{v: r.hash for r, v in order}}
    hashes[0] = GENESIS_HASH

    def chains(r: StoredEvent, previous_version: int, as_version: int) -> bool:
        previous = hashes.get(previous_version)
        return previous is not None and chain_hash(previous, r, as_version) == r.hash

    found: list[Finding] = []
    for i, ((r, v), ok) in enumerate(zip(order, links, strict=True)):
        if ok is not False:
            continue
        nxt = order[i + 1][0] if i + 1 < len(order) else None
        if not _from_a_command(r):
            found.append(
                Finding.of(
                    FindingKind.INSERTED, stream_id, v, "no command or import batch produced this event"
                )
            )
        elif chains(r, v - 1, v - 1) or chains(r, v - 1, v + 1):
            continue  # shifted by an insertion or deletion before it, already named
        elif v >= 2 and chains(r, v - 2, v - 1):
            found.append(
                Finding.of(
                    FindingKind.INSERTED,
                    stream_id,
                    v - 1,
                    "pushed in before the event that was v{v}; later versions were renumbered",
                    v=v - 1,
                )
            )
        elif nxt is not None and chain_hash(r.hash, nxt, v + 1) == nxt.hash:
            found.append(_edited(stream_id, v, r, order, here=False))
        elif nxt is not None and chain_hash(r.hash, nxt, v + 2) == nxt.hash:
            found.append(
                Finding.of(
                    FindingKind.DELETED,
                    stream_id,
                    v,
                    "the event that was v{v} is gone; later versions were renumbered down",
                    v=v,
                )
            )
        elif found and found[-1].version == v - 1:
            continue  # the break follows from the row before, already named
        else:
            found.append(_edited(stream_id, v, r, order, here=True))
    return found


def _edited(
    stream_id: str, v: int, r: StoredEvent, order: list[tuple[StoredEvent, int]], *, here: bool
) -> Finding:
    """An edited row, naming what changed; a moved recorded time is named with the time it now says (the
    reader sees it in the jurisdiction's zone)."""
    what = _what_changed(r, order)
    if what == _RECORDED_TIME and here:
        return Finding.of(
            FindingKind.EDITED,
            stream_id,
            v,
            "the chain breaks here: its recorded time (recorded_at, now {at}) of this event, or the one "
            "before it with a recomputed hash, changed",
            at=r.recorded_at,
        )
    if what == _RECORDED_TIME:
        return Finding.of(
            FindingKind.EDITED,
            stream_id,
            v,
            "its recorded time (recorded_at, now {at}) no longer matches its hash (or the event before it "
            "was rewritten with a recomputed hash)",
            at=r.recorded_at,
        )
    if here:
        return Finding.of(
            FindingKind.EDITED,
            stream_id,
            v,
            "the chain breaks here: {what} of this event, or the one before it with a recomputed "
            "hash, changed",
            what=what,
        )
    return Finding.of(
        FindingKind.EDITED,
        stream_id,
        v,
        "{what} no longer matches its hash (or the event before it was rewritten with a recomputed hash)",
        what=what,
    )


_RECORDED_TIME = N_("its recorded time (recorded_at)")


def _what_changed(r: StoredEvent, order: list[tuple[StoredEvent, int]]) -> str:
    """The field that changed, where the rows around it tell: a recorded time out of step with its
    neighbours', an actor other than the one on the command's other entries; else the payload or envelope."""
    i = next(n for n, (row, _) in enumerate(order) if row is r)
    before = order[i - 1][0].recorded_at if i > 0 else None
    after = order[i + 1][0].recorded_at if i + 1 < len(order) else None
    if (before is not None and r.recorded_at < before) or (after is not None and r.recorded_at > after):
        return _RECORDED_TIME
    mine = _envelope(r)
    if mine is not None:
        command_id, actor = mine
        others = [
            env[1]
            for row, _ in order
            if row is not r and (env := _envelope(row)) is not None and env[0] == command_id
        ]
        if others and all(a == others[0] for a in others) and actor != others[0]:
            return N_("its actor (metadata)")
    return N_("its payload or envelope (data, metadata)")


def _envelope(r: StoredEvent) -> tuple[object, object] | None:
    try:
        meta = orjson.loads(r.metadata)
        return meta["command_id"], meta.get("actor")
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
