"""The head digest: a small token that pins the whole log as it stood, to be kept outside the store.

A hash chain proves that nothing inside a stream changed, but not that its newest events are still there (a
deleted tail leaves a shorter chain that still verifies), nor where each event stood in the global order (a
stream's chain does not hash positions), nor that nothing was slipped in later with an earlier date. The
digest records:

* for every stream, its last version and that event's hash, computed from the content (an event edited in
  place changes it even when its stored hash was left alone);
* the log chain: one SHA-256 chained over every position up to the head, in order
  (``chain_p = sha256(chain_{p-1} ‖ p ‖ hash of the event at p)``), with checkpoints along the way so a
  difference can be placed between two positions. Swapping two rows of different streams changes it;
* ``recorded_until``: the newest recording time it covers. An entry that claims to have been recorded at or
  before then but is not covered was appended afterwards with a back-dated time.

Exported to a file kept elsewhere (a ticket, a mail to the archive, a printed page), it lets ``verify`` show
later that each stream still reaches as far, with the same content, and that the log up to the head is the
same log. Optionally signed with an Ed25519 key (the ``signing`` extra, ``cryptography``) so that whoever can
write the store cannot also replace the digest with one of their own.

Imports only the standard library and attrs (``cryptography`` when signing); no driver, no domain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from rehabcore.errors import InvalidInput

FORMAT = "rehabcore-head-digest/2"
#: Digests exported before the log chain existed: read, and checked for what they pin.
FORMAT_V1 = "rehabcore-head-digest/1"
#: The log chain before position 1.
CHAIN_START = bytes(32)
#: At most this many checkpoints of the log chain in a digest.
MAX_CHECKPOINTS = 256


def chain_step(previous: bytes, position: int, event_hash: bytes) -> bytes:
    """The log chain after the event at ``position`` (its content hash ``event_hash``)."""
    return hashlib.sha256(previous + position.to_bytes(8, "big", signed=True) + event_hash).digest()


@attrs.frozen
class StreamHead:
    """Where one stream ended: its last version and that event's hash (from its content)."""

    stream_id: str
    version: int
    hash: bytes


@attrs.frozen
class Signature:
    """An Ed25519 signature over the digest's token, and the public key that checks it."""

    public_key: bytes
    value: bytes


@attrs.frozen
class HeadDigest:
    """Every stream's head, the log chain up to the head position, and one SHA-256 over all of it."""

    head_position: int
    events: int
    heads: tuple[StreamHead, ...]
    #: The log chain at ``head_position``; None in a digest of the first format.
    chain: bytes | None = None
    #: (position, log chain there), increasing; the last is ``head_position``.
    checkpoints: tuple[tuple[int, bytes], ...] = ()
    #: The newest recording time covered (None for an empty store or a first-format digest).
    recorded_until: dt.datetime | None = None
    signature: Signature | None = None

    @property
    def format(self) -> str:
        return FORMAT_V1 if self.chain is None else FORMAT

    @property
    def token(self) -> str:
        """The short form to write down or mail: ``rehabcore-head:<position>:<sha256 hex>``."""
        return f"rehabcore-head:{self.head_position}:{self.sha256()}"

    def sha256(self) -> str:
        """SHA-256 over the head position, the log chain, its checkpoints, the time and the stream heads."""
        h = hashlib.sha256(f"{self.format}\n{self.head_position}\n{self.events}\n".encode())
        if self.chain is not None:
            until = self.recorded_until.isoformat() if self.recorded_until else "-"
            h.update(f"{self.chain.hex()}\n{until}\n".encode())
            for position, value in self.checkpoints:
                h.update(f"{position}\t{value.hex()}\n".encode())
        for head in sorted(self.heads, key=_key):
            h.update(f"{head.stream_id}\t{head.version}\t{head.hash.hex()}\n".encode())
        return h.hexdigest()

    def to_json(self) -> str:
        """The exported file: the token plus what it covers, so a mismatch can be named."""
        # One stream per line, so the file reads (and diffs) well.
        streams = ",\n  ".join(
            json.dumps([s.stream_id, s.version, s.hash.hex()]) for s in sorted(self.heads, key=_key)
        )
        head = f'{{"format": "{self.format}",\n "token": "{self.token}",\n'
        if self.signature is not None:
            head += (
                f' "signature": {{"algorithm": "ed25519", "public_key": "{self.signature.public_key.hex()}", '
                f'"value": "{self.signature.value.hex()}"}},\n'
            )
        head += f' "head_position": {self.head_position},\n "events": {self.events},\n'
        if self.chain is not None:
            until = json.dumps(self.recorded_until.isoformat() if self.recorded_until else None)
            checkpoints = ", ".join(f'[{p}, "{v.hex()}"]' for p, v in self.checkpoints)
            head += (
                f' "recorded_until": {until},\n "chain": "{self.chain.hex()}",\n'
                f' "checkpoints": [{checkpoints}],\n'
            )
        return head + f' "streams": [\n  {streams}\n ]}}\n'

    @classmethod
    def from_heads(
        cls,
        heads: Mapping[str, tuple[int, bytes]],
        head_position: int,
        events: int,
        *,
        chain: bytes | None = None,
        checkpoints: Sequence[tuple[int, bytes]] = (),
        recorded_until: dt.datetime | None = None,
    ) -> HeadDigest:
        """Build a digest from ``{stream: (last version, last hash)}`` and the log chain."""
        return cls(
            head_position,
            events,
            tuple(StreamHead(s, v, h) for s, (v, h) in sorted(heads.items())),
            chain,
            tuple(checkpoints),
            recorded_until,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> HeadDigest:
        """Read an exported digest; refuse one that is malformed or whose token does not match its content."""
        try:
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            body: Any = json.loads(text)
            if not isinstance(body, dict) or body.get("format") not in (FORMAT, FORMAT_V1):
                raise InvalidInput("digest", f"not a {FORMAT} file")
            chained = body["format"] == FORMAT
            digest = cls(
                _count(body["head_position"]),
                _count(body["events"]),
                tuple(_head(item) for item in body["streams"]),
                bytes.fromhex(body["chain"]) if chained else None,
                tuple(_checkpoint(item) for item in body["checkpoints"]) if chained else (),
                _moment(body["recorded_until"]) if chained else None,
                _signature(body.get("signature")),
            )
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput(
                "digest", "malformed digest file; export a new one with --export-digest"
            ) from None
        if body.get("token") != digest.token:
            raise InvalidInput("digest", "the token does not match the content listed: the file was altered")
        return digest

    def signed(self, private_key_pem: bytes) -> HeadDigest:
        """This digest signed with an Ed25519 private key (PEM, unencrypted)."""
        keys = _crypto()
        try:
            key = keys.load_pem_private_key(private_key_pem, password=None)
        except (ValueError, TypeError):
            raise InvalidInput("sign key", "not an unencrypted PEM private key") from None
        if not isinstance(key, keys.Ed25519PrivateKey):
            raise InvalidInput("sign key", "not an Ed25519 private key")
        public = key.public_key().public_bytes(keys.Encoding.Raw, keys.PublicFormat.Raw)
        return attrs.evolve(self, signature=Signature(public, key.sign(self.token.encode())))

    def check_signature(self, public_key_pem: bytes) -> None:
        """Raise :class:`InvalidInput` unless the digest is signed by the holder of this public key."""
        keys = _crypto()
        try:
            key = keys.load_pem_public_key(public_key_pem)
        except (ValueError, TypeError):
            raise InvalidInput("verify key", "not a PEM public key") from None
        if not isinstance(key, keys.Ed25519PublicKey):
            raise InvalidInput("verify key", "not an Ed25519 public key")
        if self.signature is None:
            raise InvalidInput("digest", "the digest is not signed, and a signed one was asked for")
        try:
            key.verify(self.signature.value, self.token.encode())
        except keys.InvalidSignature:
            raise InvalidInput(
                "digest", "the signature does not match this key: the digest was replaced or altered"
            ) from None


class _Crypto:
    """The few names of ``cryptography`` signing needs, imported only when asked for."""

    def __init__(self) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            PublicFormat,
            load_pem_private_key,
            load_pem_public_key,
        )

        self.InvalidSignature = InvalidSignature
        self.Ed25519PrivateKey = Ed25519PrivateKey
        self.Ed25519PublicKey = Ed25519PublicKey
        self.Encoding = Encoding
        self.PublicFormat = PublicFormat
        self.load_pem_private_key = load_pem_private_key
        self.load_pem_public_key = load_pem_public_key


def _crypto() -> _Crypto:
    try:
        return _Crypto()
    except ImportError:
        raise InvalidInput(
            "signing", "signed digests need the 'cryptography' package: pip install 'rehabcore[signing]'"
        ) from None


def _key(head: StreamHead) -> str:
    return head.stream_id


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value


def _moment(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive time")
    return moment


def _head(item: Iterable[Any]) -> StreamHead:
    stream_id, version, hex_hash = item
    if not isinstance(stream_id, str) or not isinstance(version, int):
        raise ValueError("bad stream head")
    return StreamHead(stream_id, version, bytes.fromhex(hex_hash))


def _checkpoint(item: Iterable[Any]) -> tuple[int, bytes]:
    position, hex_chain = item
    return _count(position), bytes.fromhex(hex_chain)


def _signature(value: Any) -> Signature | None:
    if value is None:
        return None
    if value.get("algorithm") != "ed25519":
        raise ValueError("unknown signature algorithm")
    return Signature(bytes.fromhex(value["public_key"]), bytes.fromhex(value["value"]))
