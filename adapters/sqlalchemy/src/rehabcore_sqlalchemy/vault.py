"""The identity vault's tables on SQLite or PostgreSQL (#13): people, data keys, tombstones, the access log.

The vault may share the event store's database or have its own (``--vault URL``); its tables are apart from
the events and nothing joins them. On SQLite every connection sets ``secure_delete``, so the bytes of a
destroyed key are overwritten in the file rather than left in a free page. Moments are stored as UTC ISO
8601 text with microseconds, which sorts as time does on both back-ends.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import sqlalchemy as sa

from rehabcore.access import Access
from rehabcore.identity.numbers import LegalSex, NumberKind
from rehabcore.identity.vault import PersonRow, Tombstone, VaultNotFound

_META = sa.MetaData()
PEOPLE = sa.Table(
    "rehabcore_vault_people",
    _META,
    sa.Column("subject_id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("sealed_number", sa.Text, nullable=False),
    sa.Column("birth_date", sa.String(10), nullable=False),
    sa.Column("legal_sex", sa.String(10), nullable=False),
    sa.Column("protected", sa.Boolean, nullable=False),
)
KEYS = sa.Table(
    "rehabcore_vault_keys",
    _META,
    sa.Column("key_id", sa.String(36), primary_key=True),
    sa.Column("subject_id", sa.String(36), nullable=False, index=True),
    sa.Column("data_key", sa.LargeBinary, nullable=False),
)
TOMBSTONES = sa.Table(
    "rehabcore_vault_tombstones",
    _META,
    sa.Column("key_id", sa.String(36), primary_key=True),
    sa.Column("subject_id", sa.String(36), nullable=False, index=True),
    sa.Column("destroyed_at", sa.String(40), nullable=False),
    sa.Column("policy", sa.String(100), nullable=False),
)
ACCESS = sa.Table(
    "rehabcore_access_log",
    _META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False, index=True),
    sa.Column("reader", sa.String(200), nullable=False, index=True),
    sa.Column("purpose", sa.String(2000), nullable=False),
    sa.Column("case_id", sa.String(36), nullable=False),
    sa.Column("subject_id", sa.String(36), nullable=True, index=True),
    sa.Column("via", sa.String(100), nullable=False),
)


_SQLITE_KEY = f"SELECT data_key FROM {KEYS.name} WHERE key_id = ?"
_SQLITE_TOMBSTONED = f"SELECT 1 FROM {TOMBSTONES.name} WHERE key_id = ?"
_SQLITE_PUT_KEY = f"INSERT OR IGNORE INTO {KEYS.name} (key_id, subject_id, data_key) VALUES (?, ?, ?)"
_SQLITE_PERSON = (
    f"SELECT subject_id, kind, sealed_number, birth_date, legal_sex, protected FROM {PEOPLE.name} "
    "WHERE subject_id = ?"
)


class _PersonRecord(NamedTuple):
    """A row of the people table read with sqlite3, by the names SQLAlchemy's rows have."""

    subject_id: str
    kind: str
    sealed_number: str
    birth_date: str
    legal_sex: str
    protected: int


def _moment(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _sqlite_secure_delete(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # a new key commits without blocking readers
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


class SqlVaultBackend:
    """A :class:`~rehabcore.identity.vault.VaultBackend` in four tables."""

    def __init__(self, engine: sa.Engine, *, must_exist: bool = False) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        if must_exist and not sa.inspect(engine).has_table(KEYS.name):
            engine.dispose()
            raise VaultNotFound("no identity vault in this database; give --vault URL")
        _META.create_all(engine)

    def _insert_ignoring(self, conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> None:
        if self._engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(table).values(**values).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            conn.execute(sqlite_insert(table).values(**values).on_conflict_do_nothing())

    def put_person(self, row: PersonRow) -> PersonRow:
        with self._engine.begin() as conn:
            self._insert_ignoring(
                conn,
                PEOPLE,
                {
                    "subject_id": str(row.subject_id),
                    "kind": row.kind.value,
                    "sealed_number": row.sealed_number,
                    "birth_date": row.birth_date.isoformat(),
                    "legal_sex": row.legal_sex.value,
                    "protected": row.protected,
                },
            )
        stored = self.get_person(row.subject_id)
        assert stored is not None
        return row if stored == row else stored

    @staticmethod
    def _person(r: Any) -> PersonRow:
        return PersonRow(
            subject_id=uuid.UUID(r.subject_id),
            kind=NumberKind(r.kind),
            sealed_number=r.sealed_number,
            birth_date=dt.date.fromisoformat(r.birth_date),
            legal_sex=LegalSex(r.legal_sex),
            protected=bool(r.protected),
        )

    def get_person(self, subject_id: uuid.UUID) -> PersonRow | None:
        if self._sqlite:
            with self._sqlite_connection() as db:
                r = db.execute(_SQLITE_PERSON, (str(subject_id),)).fetchone()
            return None if r is None else self._person(_PersonRecord(*r))
        with self._engine.connect() as conn:
            r = conn.execute(sa.select(PEOPLE).where(PEOPLE.c.subject_id == str(subject_id))).first()
        return None if r is None else self._person(r)

    def set_protected(self, subject_id: uuid.UUID, protected: bool) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                PEOPLE.update().where(PEOPLE.c.subject_id == str(subject_id)).values(protected=protected)
            )

    def people(self) -> list[PersonRow]:
        with self._engine.connect() as conn:
            return [self._person(r) for r in conn.execute(sa.select(PEOPLE).order_by(PEOPLE.c.subject_id))]

    def put_key(self, key_id: uuid.UUID, subject_id: uuid.UUID, key: bytes) -> bytes | None:
        if self._sqlite:
            return self._put_key_sqlite(str(key_id), str(subject_id), key)
        existing = self.get_key(key_id)  # the common case, read without a write transaction
        if existing is not None:
            return existing
        with self._engine.begin() as conn:
            gone = conn.execute(
                sa.select(TOMBSTONES.c.key_id).where(TOMBSTONES.c.key_id == str(key_id))
            ).first()
            if gone is not None:
                return None
            self._insert_ignoring(
                conn, KEYS, {"key_id": str(key_id), "subject_id": str(subject_id), "data_key": key}
            )
            stored = conn.execute(sa.select(KEYS.c.data_key).where(KEYS.c.key_id == str(key_id))).scalar()
        return None if stored is None else bytes(stored)

    def get_key(self, key_id: uuid.UUID) -> bytes | None:
        if self._sqlite:
            with self._sqlite_connection() as db:
                r = db.execute(_SQLITE_KEY, (str(key_id),)).fetchone()
            return None if r is None else bytes(r[0])
        with self._engine.connect() as conn:
            found = conn.execute(sa.select(KEYS.c.data_key).where(KEYS.c.key_id == str(key_id))).scalar()
        return None if found is None else bytes(found)

    # --- SQLite's hot path: the first seal of every new case makes a key (#13's sealing-cost bound) -------

    @contextmanager
    def _sqlite_connection(self) -> Iterator[sqlite3.Connection]:
        """The pool's sqlite3 connection itself: a key or a person is one indexed row, and SQLAlchemy's
        statement machinery cost more than the read (as on the event store's append path)."""
        raw = self._engine.raw_connection()
        try:
            yield raw.driver_connection  # type: ignore[misc]
        finally:
            raw.close()

    def _put_key_sqlite(self, key_id: str, subject_id: str, key: bytes) -> bytes | None:
        """The stored key, or ``key`` stored now in one short write transaction (None: it was destroyed).

        The key is read first without the write lock (after a restart every case's first seal finds its key
        there); only a new case takes SQLite's write lock, for one fsynced commit."""
        with self._sqlite_connection() as db:
            found = db.execute(_SQLITE_KEY, (key_id,)).fetchone()
            if found is not None:
                return bytes(found[0])
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute(_SQLITE_TOMBSTONED, (key_id,)).fetchone() is not None:
                    db.rollback()
                    return None
                db.execute(_SQLITE_PUT_KEY, (key_id, subject_id, key))
                stored = db.execute(_SQLITE_KEY, (key_id,)).fetchone()
                db.commit()
            except BaseException:
                db.rollback()
                raise
        return None if stored is None else bytes(stored[0])

    def live_keys(self, subject_id: uuid.UUID) -> list[uuid.UUID]:
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(KEYS.c.key_id).where(KEYS.c.subject_id == str(subject_id)))
            return [uuid.UUID(r.key_id) for r in rows]

    def destroy(self, tombstones: list[Tombstone], *, forget_person: bool) -> None:
        if not tombstones:
            return
        with self._engine.begin() as conn:
            for t in tombstones:
                conn.execute(KEYS.delete().where(KEYS.c.key_id == str(t.key_id)))
                self._insert_ignoring(
                    conn,
                    TOMBSTONES,
                    {
                        "key_id": str(t.key_id),
                        "subject_id": str(t.subject_id),
                        "destroyed_at": _moment(t.destroyed_at),
                        "policy": t.policy,
                    },
                )
            if forget_person:
                conn.execute(PEOPLE.delete().where(PEOPLE.c.subject_id == str(tombstones[0].subject_id)))
        if self._engine.dialect.name == "sqlite":
            # The WAL still holds the page images with the key as it was written; copy the overwritten
            # pages back into the file and empty the log, so the key is in no byte of either.
            with self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def tombstone(self, key_id: uuid.UUID) -> Tombstone | None:
        with self._engine.connect() as conn:
            r = conn.execute(sa.select(TOMBSTONES).where(TOMBSTONES.c.key_id == str(key_id))).first()
        if r is None:
            return None
        return Tombstone(
            uuid.UUID(r.key_id), uuid.UUID(r.subject_id), dt.datetime.fromisoformat(r.destroyed_at), r.policy
        )

    def record_access(self, access: Access) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                ACCESS.insert().values(
                    at=_moment(access.at),
                    reader=access.reader,
                    purpose=access.purpose,
                    case_id=str(access.case_id),
                    subject_id=None if access.subject_id is None else str(access.subject_id),
                    via=access.via,
                )
            )

    def accesses(
        self,
        *,
        subject_id: uuid.UUID | None = None,
        reader: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Access]:
        query = sa.select(ACCESS).order_by(ACCESS.c.id)
        if subject_id is not None:
            query = query.where(ACCESS.c.subject_id == str(subject_id))
        if reader is not None:
            query = query.where(ACCESS.c.reader == reader)
        if start is not None:
            query = query.where(ACCESS.c.at >= _moment(start))
        if end is not None:
            query = query.where(ACCESS.c.at < _moment(end))
        with self._engine.connect() as conn:
            return [
                Access(
                    at=dt.datetime.fromisoformat(r.at),
                    reader=r.reader,
                    purpose=r.purpose,
                    case_id=uuid.UUID(r.case_id),
                    subject_id=None if r.subject_id is None else uuid.UUID(r.subject_id),
                    via=r.via,
                )
                for r in conn.execute(query)
            ]

    def close(self) -> None:
        self._engine.dispose()


def open_vault_backend(url: str, *, must_exist: bool = False) -> SqlVaultBackend:
    """Entry point (group ``rehabcore.vaults``) for ``sqlite:///…`` and ``postgresql+psycopg://…`` URLs."""
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(parsed)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_secure_delete)
    return SqlVaultBackend(engine, must_exist=must_exist)
