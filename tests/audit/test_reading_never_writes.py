"""Reading commands never write (#14): a file that is not a rehabcore store is refused with exit 2 and left
byte-identical (no tables, no WAL switch, no side files); a store in a read-only directory reads as it is."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore.cli import main

A_CASE = "0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10"
READERS = (
    ["verify"],
    ["verify", "--format", "json"],
    ["timeline", A_CASE],
    ["replay", A_CASE],
    ["stats", "--no-catch-up"],
    ["stats"],
    ["projections", "status"],
    ["projections", "rebuild"],
)


def _snapshot(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, note TEXT)")
    conn.execute("INSERT INTO patients (note) VALUES ('not ours')")
    conn.commit()
    conn.close()


KINDS = {
    "another application's SQLite file": _foreign,
    "an empty file": lambda p: p.write_bytes(b""),
    "a file that is not a database": lambda p: p.write_bytes(b"%PDF-1.7 " * 200),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("argv", READERS, ids=lambda a: "-".join(a[:2]))
def test_a_file_that_is_no_store_is_refused_and_left_byte_identical(
    tmp_path: Path, kind: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.sqlite"
    KINDS[kind](path)
    before = _snapshot(tmp_path)
    assert main([*argv, "--store", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
    assert "not a rehabcore store" in err or "not a SQLite database" in err
    assert _snapshot(tmp_path) == before  # not a byte written, not a file added


@pytest.fixture
def archived(demo_sqlite: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A demo store with current read models, copied into a directory nobody may write, file read-only."""
    source = rc.open_store(demo_sqlite)
    case = next(e.stream_id for e in source.read_all() if e.stream_id.startswith("case-"))
    source.close()
    assert main(["projections", "rebuild", "--store", demo_sqlite]) == 0
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copyfile(demo_sqlite.removeprefix("sqlite:///"), archive / "cases.sqlite")
    (archive / "cases.sqlite").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    archive.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        yield f"sqlite:///{archive / 'cases.sqlite'}", case.removeprefix("case-")
    finally:
        archive.chmod(stat.S_IRWXU)


@pytest.mark.parametrize(
    "argv",
    [["verify"], ["timeline", "{case}"], ["replay", "{case}"], ["stats", "--no-catch-up"], ["stats"]],
    ids=lambda a: a[0],
)
def test_a_store_in_a_read_only_directory_reads_as_it_is(
    archived: tuple[str, str], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, case = archived
    directory = Path(url.removeprefix("sqlite:///")).parent
    before = _snapshot(directory)
    code = main([a.format(case=case) for a in argv] + ["--store", url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err and out
    assert _snapshot(directory) == before
    assert not os.access(directory, os.W_OK) or os.geteuid() == 0  # truly read-only unless root


def test_a_reading_command_leaves_a_store_s_journal_mode_and_tables_alone(demo_sqlite: str) -> None:
    path = Path(demo_sqlite.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = path.read_bytes()
    assert main(["verify", "--store", demo_sqlite]) == 0
    assert path.read_bytes() == before  # still DELETE, no read-model tables made by a read


def test_open_store_read_only_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    _foreign(path)
    with pytest.raises(rc.errors.NotAStore):
        rc.open_store(f"sqlite:///{path}", read_only=True)
