"""The identity vault: the one place an identity number exists, and the keeper of every person's data keys.

A :class:`Vault` maps a pseudonymous ``subject_id`` to the person's identity number (stored sealed under the
person's own identity key), the birth date and legal sex derived from it, and the protected-identity flag
(skyddade personuppgifter). It holds one AES-256-GCM data key per case of the person (a personakt), made on
first use, and is the :class:`~rehabcore.sealing.Sealer` that :class:`~rehabcore.cases.Cases` seals the
person's free text with. Destroying a key (:meth:`Vault.destroy_keys`) erases every text sealed with it and
leaves a tombstone saying when and under which policy: the proof that erasure happened.

Keys are per case rather than one per person so that records kept under different rules can be erased
apart: the person's SoL record is erased five years after its last entry while their LSS record is kept.

Storage is a small :class:`VaultBackend`: :class:`MemoryVaultBackend` here, SQLite and PostgreSQL in
``rehabcore_sqlalchemy.vault``; :func:`open_vault` picks one by URL, as stores are opened. The vault never
writes to the event stream, and nothing from it is in an event.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Protocol

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rehabcore import sealing
from rehabcore.access import Access, MemoryAccessLog
from rehabcore.domain.validation import check_for
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import AdapterNotInstalled, DecodeError, InvalidInput, RehabcoreError
from rehabcore.identity.numbers import IdentityNumber, LegalSex, NumberKind, parse_identity_number

_check_id = check_for(uuid.UUID)
_check_bool = check_for(bool)


@attrs.frozen(kw_only=True)
class PersonRow:
    """A person as the backend stores it: the number only as a sealed token."""

    subject_id: uuid.UUID
    kind: NumberKind
    sealed_number: str = attrs.field(repr=False)
    birth_date: dt.date
    legal_sex: LegalSex
    protected: bool = False


@attrs.frozen(kw_only=True)
class Person:
    """What the vault says about a person, without the number (ask :meth:`Vault.identity_number` for it)."""

    subject_id: uuid.UUID
    kind: NumberKind
    birth_date: dt.date
    legal_sex: LegalSex
    protected: bool

    @property
    def jurisdiction(self) -> Jurisdiction:
        return Jurisdiction.DK if self.kind is NumberKind.CPR else Jurisdiction.SE

    def age_on(self, on: dt.date) -> int:
        """Whole years on ``on``."""
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@attrs.frozen
class Tombstone:
    """A destroyed key: when, and under which retention policy."""

    key_id: uuid.UUID
    subject_id: uuid.UUID
    destroyed_at: dt.datetime
    policy: str


class VaultBackend(Protocol):
    """Where a vault keeps its rows. Every method is one transaction."""

    def put_person(self, row: PersonRow) -> PersonRow:
        """Store ``row`` unless the subject is there; return the stored row."""
        ...

    def get_person(self, subject_id: uuid.UUID) -> PersonRow | None: ...

    def set_protected(self, subject_id: uuid.UUID, protected: bool) -> None: ...

    def people(self) -> list[PersonRow]: ...

    def put_key(self, key_id: uuid.UUID, subject_id: uuid.UUID, key: bytes) -> bytes | None:
        """Store a key unless one (or its tombstone) is there; the stored key, None once destroyed."""
        ...

    def get_key(self, key_id: uuid.UUID) -> bytes | None: ...

    def live_keys(self, subject_id: uuid.UUID) -> list[uuid.UUID]: ...

    def destroy(self, tombstones: list[Tombstone], *, forget_person: bool) -> None:
        """Delete the keys and write their tombstones (and the person's row) all at once or not at all."""
        ...

    def tombstone(self, key_id: uuid.UUID) -> Tombstone | None: ...

    def record_access(self, access: Access) -> None: ...

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]: ...

    def close(self) -> None: ...


class MemoryVaultBackend:
    """A vault backend in memory: the reference the SQL one is tested against."""

    def __init__(self) -> None:
        self._people: dict[uuid.UUID, PersonRow] = {}
        self._keys: dict[uuid.UUID, tuple[uuid.UUID, bytes]] = {}
        self._tombstones: dict[uuid.UUID, Tombstone] = {}
        self._access = MemoryAccessLog()  # the vault keeps the log of reads beside the keys
        self._lock = threading.Lock()

    def put_person(self, row: PersonRow) -> PersonRow:
        with self._lock:
            return self._people.setdefault(row.subject_id, row)

    def get_person(self, subject_id: uuid.UUID) -> PersonRow | None:
        return self._people.get(subject_id)

    def set_protected(self, subject_id: uuid.UUID, protected: bool) -> None:
        with self._lock:
            row = self._people.get(subject_id)
            if row is not None:
                self._people[subject_id] = attrs.evolve(row, protected=protected)

    def people(self) -> list[PersonRow]:
        return list(self._people.values())

    def put_key(self, key_id: uuid.UUID, subject_id: uuid.UUID, key: bytes) -> bytes | None:
        with self._lock:
            if key_id in self._tombstones:
                return None
            return self._keys.setdefault(key_id, (subject_id, key))[1]

    def get_key(self, key_id: uuid.UUID) -> bytes | None:
        found = self._keys.get(key_id)
        return None if found is None else found[1]

    def live_keys(self, subject_id: uuid.UUID) -> list[uuid.UUID]:
        return [k for k, (s, _) in self._keys.items() if s == subject_id]

    def destroy(self, tombstones: list[Tombstone], *, forget_person: bool) -> None:
        with self._lock:
            for t in tombstones:
                self._keys.pop(t.key_id, None)
                self._tombstones.setdefault(t.key_id, t)
            if forget_person and tombstones:
                self._people.pop(tombstones[0].subject_id, None)

    def tombstone(self, key_id: uuid.UUID) -> Tombstone | None:
        return self._tombstones.get(key_id)

    def record_access(self, access: Access) -> None:
        self._access.record_access(access)

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]:
        return self._access.accesses(subject_id=subject_id, reader=reader, start=start, end=end)

    def close(self) -> None:
        pass


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Vault:
    """Identities, data keys and the access log of one municipality (or tenant), on one backend.

    It is a :class:`~rehabcore.sealing.Sealer` (give it to ``Cases(sealer=…)``) and an
    :class:`~rehabcore.access.AccessLog` (``Cases(access_log=…)``, ``Audit(access_log=…)``).
    """

    def __init__(
        self,
        backend: VaultBackend,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        cache_size: int = 4096,
    ) -> None:
        self.backend = backend
        self._clock = clock
        #: Ciphers by key id: opening a case's texts asks the backend once per case (cached per case).
        self._ciphers: dict[uuid.UUID, AESGCM | None] = {}
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # --- identities ---------------------------------------------------------------------------------------

    def enrol(
        self, subject_id: uuid.UUID, number: str, jurisdiction: Jurisdiction, *, protected: bool = False
    ) -> Person:
        """Record the identity number for ``subject_id``, validated; refused without repeating it."""
        _check_id("subject_id", subject_id)
        _check_bool("protected", protected)
        parsed = parse_identity_number(number, jurisdiction)
        row = PersonRow(
            subject_id=subject_id,
            kind=parsed.kind,
            sealed_number=self.seal(parsed.digits, case_id=subject_id, subject_id=subject_id),
            birth_date=parsed.birth_date,
            legal_sex=parsed.legal_sex,
            protected=protected,
        )
        stored = self.backend.put_person(row)
        if stored is not row and self.open(stored.sealed_number) != parsed.digits:
            raise InvalidInput(
                "subject_id", "is enrolled with another identity number; a subject is one person"
            )
        return self._person(stored)

    def person(self, subject_id: uuid.UUID) -> Person | None:
        """The person behind ``subject_id``, or None (never enrolled, or forgotten after erasure)."""
        _check_id("subject_id", subject_id)
        row = self.backend.get_person(subject_id)
        return None if row is None else self._person(row)

    def people(self) -> list[Person]:
        """Everyone enrolled."""
        return [self._person(row) for row in self.backend.people()]

    def identity_number(self, subject_id: uuid.UUID) -> str | None:
        """The canonical number (12 digits SE, 10 DK): for the one place it is needed, never for a log."""
        row = self.backend.get_person(subject_id)
        if row is None:
            return None
        digits = self.open(row.sealed_number)
        return None if digits == sealing.ERASED else digits

    def set_protected(self, subject_id: uuid.UUID, protected: bool) -> None:
        """Mark or unmark skyddade personuppgifter: a protected person is left out of every export."""
        _check_id("subject_id", subject_id)
        _check_bool("protected", protected)
        self.backend.set_protected(subject_id, protected)

    def protected_subjects(self) -> frozenset[uuid.UUID]:
        """Everyone with protected identity: exports and reports leave them out."""
        return frozenset(row.subject_id for row in self.backend.people() if row.protected)

    @staticmethod
    def _person(row: PersonRow) -> Person:
        return Person(
            subject_id=row.subject_id,
            kind=row.kind,
            birth_date=row.birth_date,
            legal_sex=row.legal_sex,
            protected=row.protected,
        )

    # --- keys: the Sealer ---------------------------------------------------------------------------------

    def _cipher(self, key_id: uuid.UUID, subject_id: uuid.UUID | None) -> AESGCM | None:
        # The hot path reads the cache without the lock (a dict read is atomic); a key seen missing is
        # asked again before sealing, as only the backend says whether it was destroyed.
        cached = self._ciphers.get(key_id)
        if cached is not None or (subject_id is None and key_id in self._ciphers):
            return cached
        if subject_id is None:
            key = self.backend.get_key(key_id)
        else:  # sealing: the stored key, or a new one stored in the same transaction
            key = self.backend.put_key(key_id, subject_id, AESGCM.generate_key(bit_length=256))
        cipher = None if key is None else AESGCM(key)
        if cipher is not None or subject_id is None:
            with self._lock:
                if len(self._ciphers) >= self._cache_size:
                    self._ciphers.clear()  # simpler than LRU bookkeeping on every read; keys reload cheaply
                self._ciphers[key_id] = cipher
        return cipher

    def seal(self, text: str, *, case_id: uuid.UUID, subject_id: uuid.UUID) -> str:
        """A sealed token for ``text`` under the case's key (the person's key for their identity number)."""
        cipher = self._cipher(case_id, subject_id)
        if cipher is None:
            raise InvalidInput(
                "case_id", "the key of this record was destroyed (erased); nothing can be added"
            )
        nonce = os.urandom(12)
        sealed = cipher.encrypt(nonce, text.encode(), case_id.bytes)
        return f"{sealing.PREFIX}{case_id.hex}:{_b64(nonce + sealed)}"

    def open(self, token: str) -> str:
        """The text of a token; :data:`~rehabcore.sealing.ERASED` when its key was destroyed."""
        try:
            key_hex, body = token[len(sealing.PREFIX) :].split(":", 1)
            key_id = uuid.UUID(hex=key_hex)
            raw = _unb64(body)
        except ValueError:
            raise DecodeError("sealed text", "not a sealed token; run `rehabcore verify`") from None
        cipher = self._cipher(key_id, None)
        if cipher is None:
            return sealing.ERASED
        try:
            return cipher.decrypt(raw[:12], raw[12:], key_id.bytes).decode()
        except (InvalidTag, ValueError):
            raise DecodeError("sealed text", "does not open with its key; run `rehabcore verify`") from None

    def has_key(self, key_id: uuid.UUID) -> bool:
        """Whether the key of a case (or a person's identity key) is still there."""
        return self.backend.get_key(key_id) is not None

    def tombstone(self, key_id: uuid.UUID) -> Tombstone | None:
        """When and under which policy a key was destroyed, if it was."""
        return self.backend.tombstone(key_id)

    def destroy_keys(
        self, subject_id: uuid.UUID, key_ids: Iterable[uuid.UUID], *, policy: str
    ) -> dt.datetime:
        """Destroy the keys of some of a person's cases at once; every text sealed with them reads as erased.

        When no key of the person remains, their identity row and identity key go too. Keys already destroyed
        keep their first tombstone, so a rerun changes nothing and returns the first moment.
        """
        _check_id("subject_id", subject_id)
        ids = list(dict.fromkeys(key_ids))
        existing = [t for k in ids if (t := self.backend.tombstone(k)) is not None]
        now = self._clock() if len(existing) < len(ids) else min(t.destroyed_at for t in existing)
        remaining = set(self.backend.live_keys(subject_id)) - set(ids) - {subject_id}
        forget = not remaining
        if forget:
            ids.append(subject_id)
        self.backend.destroy(
            [Tombstone(k, subject_id, now, policy) for k in ids if self.backend.tombstone(k) is None],
            forget_person=forget,
        )
        with self._lock:
            for k in ids:
                self._ciphers.pop(k, None)
        return now

    def forget_cached_keys(self) -> None:
        """Drop cached keys (a long-running process after another process erased someone)."""
        with self._lock:
            self._ciphers.clear()

    # --- the access log -----------------------------------------------------------------------------------

    def record_access(self, access: Access) -> None:
        """Append one read to the log."""
        self.backend.record_access(access)

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]:
        """The reads of a subject's cases or by a reader in a period, oldest first."""
        return self.backend.accesses(subject_id=subject_id, reader=reader, start=start, end=end)

    def close(self) -> None:
        self.backend.close()


class VaultNotFound(RehabcoreError, LookupError):
    """``open_vault(..., must_exist=True)`` found no vault at the URL."""


def open_vault(url: str, *, must_exist: bool = False, **options: object) -> Vault:
    """Open a vault by URL: ``memory://``, ``sqlite:///vault.sqlite``, ``postgresql+psycopg://…``.

    A vault may live in the store's own database (its tables are apart) or in a database of its own.
    """
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if "://" not in url:
        raise InvalidInput("vault", "expected a vault URL such as memory:// or sqlite:///vault.sqlite")
    if scheme == "memory":
        if must_exist:
            raise VaultNotFound("a memory:// vault lives inside one process; give its Vault object instead")
        return Vault(MemoryVaultBackend(), **options)  # type: ignore[arg-type]
    for ep in entry_points(group="rehabcore.vaults"):
        if ep.name == scheme:
            factory: Callable[..., VaultBackend] = ep.load()
            return Vault(factory(url, must_exist=must_exist), **options)  # type: ignore[arg-type]
    raise AdapterNotInstalled(
        scheme, "install the SQL adapter: pip install 'rehabcore-sqlalchemy[postgresql]'"
    )


__all__ = [
    "IdentityNumber",
    "MemoryVaultBackend",
    "Person",
    "PersonRow",
    "Tombstone",
    "Vault",
    "VaultBackend",
    "VaultNotFound",
    "open_vault",
]
