"""The head digest binds the global order and time (#14): a forged entry appended after the digest with an
earlier recording time, and two rows of different streams swapped in the log, are both found with it; a
signed digest cannot be replaced by one made by whoever can write the store."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.audit import FindingKind, HeadDigest, verify
from rehabcore.cli import main
from rehabcore.store import event_hash

EVENTS = "rehabcore_events"


def _report(url: str, **kw: Any) -> rc.audit.VerifyReport:
    store = rc.open_store(url, read_only=True)
    try:
        return verify(store, **kw)
    finally:
        store.close()


def _rows(url: str) -> list[rc.StoredEvent]:
    store = rc.open_store(url, read_only=True)
    try:
        return list(store.read_all())
    finally:
        store.close()


Run = Callable[[str, dict[str, Any]], None]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest) -> Iterator[tuple[str, Run]]:
    if request.param == "sqlite":
        url: str = request.getfixturevalue("demo_sqlite")
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))

        def run_sqlite(sql: str, params: dict[str, Any]) -> None:
            conn.execute(sql, params)
            conn.commit()

        yield url, run_sqlite
        conn.close()
    else:
        url = request.getfixturevalue("demo_pg")
        engine = sa.create_engine(url, poolclass=sa.NullPool)

        def run_pg(sql: str, params: dict[str, Any]) -> None:
            with engine.begin() as c:
                c.execute(sa.text(sql), params)

        yield url, run_pg
        engine.dispose()


def _forge_after(url: str, run: Run, digest: HeadDigest) -> tuple[str, int]:
    """An insider's entry: the next version of a case, chained correctly, its id the one its command's next
    event would have, recorded (so it says) an hour before the digest was made."""
    rows = _rows(url)
    last = max((r for r in rows if r.stream_id.startswith("case-")), key=lambda r: r.position)
    command_id = uuid.UUID(orjson.loads(last.metadata)["command_id"])
    index = next(i for i in range(64) if uuid.uuid5(command_id, f"{last.stream_id}/{i}") == last.event_id)
    forged_id = uuid.uuid5(command_id, f"{last.stream_id}/{index + 1}")
    assert digest.recorded_until is not None
    at = digest.recorded_until - dt.timedelta(hours=1)
    version = last.version + 1
    digest_hash = event_hash(
        last.hash, last.stream_id, version, forged_id, last.type, 1, last.data, last.metadata, at
    )
    sqlite = url.startswith("sqlite")
    run(
        f"INSERT INTO {EVENTS} (position, stream_id, version, event_id, type, schema_version, data, "
        f"metadata, recorded_at, hash) VALUES ((SELECT max(position) + 1 FROM {EVENTS}), :s, :v, :id, :t, 1, "
        ":d, :m, :at, :h)",
        {
            "s": last.stream_id,
            "v": version,
            "id": forged_id.hex if sqlite else forged_id,
            "t": last.type,
            "d": last.data,
            "m": last.metadata,
            "at": (at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
            if sqlite
            else at,
            "h": digest_hash,
        },
    )
    return last.stream_id, version


def test_a_back_dated_entry_appended_after_the_digest_is_found_with_it(target: tuple[str, Run]) -> None:
    url, run = target
    digest = HeadDigest.from_json(_report(url).digest.to_json())
    stream, version = _forge_after(url, run, digest)
    # Without the digest the forgery holds: it chains and its id is its command's.
    assert _report(url).intact
    for known in (None, digest.recorded_until):
        report = _report(url, against=digest, as_known_at=known)
        found = {(f.kind, f.stream_id, f.version) for f in report.findings}
        assert found == {(FindingKind.INSERTED, stream, version)}, report.findings
        assert "appended later with an earlier time" in report.findings[0].detail


def test_two_rows_of_different_streams_swapped_in_the_log_are_found_with_the_digest(
    target: tuple[str, Run],
) -> None:
    url, run = target
    digest = _report(url).digest
    rows = _rows(url)
    # Neighbours of different streams recorded at different times: each stream keeps its own order.
    a, b = next(
        (x, y)
        for x, y in itertools.pairwise(rows)
        if x.stream_id != y.stream_id and x.recorded_at != y.recorded_at
    )
    run(f"UPDATE {EVENTS} SET position = -1 WHERE position = :p", {"p": a.position})
    run(f"UPDATE {EVENTS} SET position = :a WHERE position = :b", {"a": a.position, "b": b.position})
    run(f"UPDATE {EVENTS} SET position = :b WHERE position = -1", {"b": b.position})
    assert _report(url).intact  # each stream's chain still holds: only the digest sees the order
    report = _report(url, against=digest)
    kinds = {(f.kind, f.stream_id, f.version) for f in report.findings}
    assert (FindingKind.LOG_CHANGED, "(log)", None) in kinds
    assert (FindingKind.REORDERED, b.stream_id, b.version) in kinds  # recorded later, now placed first


def test_an_in_place_edit_changes_the_head_token(target: tuple[str, Run]) -> None:
    url, run = target
    before = _report(url).digest.token
    stream = next(r.stream_id for r in _rows(url) if r.stream_id.startswith("case-"))
    run(
        f"UPDATE {EVENTS} SET metadata = :m WHERE stream_id = :s AND version = 1",
        {"m": b'{"edited": true}', "s": stream},
    )
    assert _report(url).digest.token != before


def _keys(tmp_path: Path) -> tuple[Path, Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    paths = []
    for name in ("ours", "theirs"):
        key = Ed25519PrivateKey.generate()
        private = tmp_path / f"{name}.pem"
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        public = tmp_path / f"{name}.pub.pem"
        public.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        paths += [private, public]
    return paths[0], paths[1], paths[2]


def test_a_signed_digest_checks_and_a_replaced_one_is_refused(
    demo_sqlite: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("cryptography")
    ours, ours_public, theirs = _keys(tmp_path)
    exported = tmp_path / "head.json"
    store = ["--store", demo_sqlite]
    assert main(["verify", *store, "--export-digest", str(exported), "--sign-key", str(ours)]) == 0
    assert main(["verify", *store, "--check-digest", str(exported), "--verify-key", str(ours_public)]) == 0
    capsys.readouterr()
    # Whoever can write the store makes a digest of their own, signed with their own key: refused.
    forged = tmp_path / "forged.json"
    assert main(["verify", *store, "--export-digest", str(forged), "--sign-key", str(theirs)]) == 0
    assert main(["verify", *store, "--check-digest", str(forged), "--verify-key", str(ours_public)]) == 2
    assert "signature does not match" in capsys.readouterr().err
    unsigned = tmp_path / "unsigned.json"
    assert main(["verify", *store, "--export-digest", str(unsigned)]) == 0
    assert main(["verify", *store, "--check-digest", str(unsigned), "--verify-key", str(ours_public)]) == 2
    assert "not signed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--export-digest", "{dir}"],
        ["--export-digest", "/dev/full"],
        ["--check-digest", "{binary}"],
        ["--check-digest", "{dir}"],
        ["--sign-key", "{binary}", "--export-digest", "{dir}/x.json"],
    ],
)
def test_digest_files_that_cannot_be_used_are_exit_2_with_a_message(
    demo_sqlite: str, tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "digest.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    args = [a.format(dir=tmp_path, binary=binary) for a in argv] + ["--lang", "en"]
    assert main(["verify", "--store", demo_sqlite, *args]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
