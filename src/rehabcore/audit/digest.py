"""The head digest: a small token that pins where every stream ended, to be kept outside the store.

A hash chain proves that nothing inside a stream changed, but not that its newest events are still there: a
deleted tail leaves a shorter chain that still verifies. The digest records, for every stream, its last
version and that event's hash, and the store's head position. Exported to a file kept elsewhere (a ticket, a
mail to the archive, a printed page), it lets ``verify`` show later that each stream still reaches at least as
far, with the same hash, and so catch a truncated tail.

Imports only the standard library and attrs; no driver, no domain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from rehabcore.errors import InvalidInput

FORMAT = "rehabcore-head-digest/1"


@attrs.frozen
class StreamHead:
    """Where one stream ended: its last version and that event's stored hash."""

    stream_id: str
    version: int
    hash: bytes


@attrs.frozen
class HeadDigest:
    """Every stream's head and the store's head position, with one SHA-256 over all of it."""

    head_position: int
    events: int
    heads: tuple[StreamHead, ...]

    @property
    def token(self) -> str:
        """The short form to write down or mail: ``rehabcore-head:<position>:<sha256 hex>``."""
        return f"rehabcore-head:{self.head_position}:{self.sha256()}"

    def sha256(self) -> str:
        """SHA-256 over the head position and the sorted (stream, version, hash) triples."""
        h = hashlib.sha256(f"{FORMAT}\n{self.head_position}\n{self.events}\n".encode())
        for head in sorted(self.heads, key=lambda s: s.stream_id):
            h.update(f"{head.stream_id}\t{head.version}\t{head.hash.hex()}\n".encode())
        return h.hexdigest()

    def to_json(self) -> str:
        """The exported file: the token plus the per-stream heads, so a mismatch can be named."""
        # One stream per line, so the file reads (and diffs) well.
        streams = ",\n  ".join(
            json.dumps([s.stream_id, s.version, s.hash.hex()]) for s in sorted(self.heads, key=_key)
        )
        return (
            f'{{"format": "{FORMAT}",\n "token": "{self.token}",\n "head_position": {self.head_position},\n'
            f' "events": {self.events},\n "streams": [\n  {streams}\n ]}}\n'
        )

    @classmethod
    def from_heads(
        cls, heads: Mapping[str, tuple[int, bytes]], head_position: int, events: int
    ) -> HeadDigest:
        """Build a digest from ``{stream: (last version, last hash)}``."""
        return cls(head_position, events, tuple(StreamHead(s, v, h) for s, (v, h) in sorted(heads.items())))

    @classmethod
    def from_json(cls, text: str) -> HeadDigest:
        """Read an exported digest; refuse one that is malformed or whose token does not match its heads."""
        try:
            body: Any = json.loads(text)
            if body.get("format") != FORMAT:
                raise InvalidInput("digest", f"not a {FORMAT} file")
            digest = cls(
                int(body["head_position"]),
                int(body["events"]),
                tuple(_head(item) for item in body["streams"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput(
                "digest", "malformed digest file; export a new one with --export-digest"
            ) from None
        if body.get("token") != digest.token:
            raise InvalidInput(
                "digest", "the token does not match the stream heads listed: the file was altered"
            )
        return digest


def _key(head: StreamHead) -> str:
    return head.stream_id


def _head(item: Iterable[Any]) -> StreamHead:
    stream_id, version, hex_hash = item
    if not isinstance(stream_id, str) or not isinstance(version, int):
        raise ValueError("bad stream head")
    return StreamHead(stream_id, version, bytes.fromhex(hex_hash))
