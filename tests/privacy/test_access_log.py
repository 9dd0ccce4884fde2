"""Reads that name a reader and a purpose are recorded: Cases.get, Audit and the command line; the
``access-log`` command lists them by subject or reader and period."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore.access import MemoryAccessLog, Reader
from rehabcore.audit import Audit
from rehabcore.cli import main as cli
from rehabcore.identity import open_vault

from . import story
from .story import LSS_CASE, SOL_CASE, SOL_PERSON, WORDS


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cases_and_audit_record_a_named_reader() -> None:
    log = MemoryAccessLog()
    vault = open_vault("memory://")
    store = rc.InMemoryStore()
    story.record(store, vault)
    cases = rc.Cases(store, access_log=log)
    cases.get(SOL_CASE)  # no reader: nothing recorded
    assert log.accesses() == []
    cases.get(SOL_CASE, reader=Reader(id="hand-042", purpose="uppföljning"))
    Audit(store, access_log=log, reader=Reader(id="rev-01", purpose="logguppföljning")).timeline(LSS_CASE)
    rows = log.accesses(subject_id=SOL_PERSON)
    assert [(a.reader, a.case_id, a.via) for a in rows] == [
        ("hand-042", SOL_CASE, "cases.get"),
        ("rev-01", LSS_CASE, "audit"),
    ]
    assert [a.purpose for a in log.accesses(reader="rev-01")] == ["logguppföljning"]
    with pytest.raises(rc.InvalidInput, match="access_log"):
        rc.Cases(store).get(SOL_CASE, reader=Reader(id="hand-042", purpose="uppföljning"))
    with pytest.raises(rc.PersonalDataInIdentifier):
        Reader(id="19121212-1212", purpose="x")


def test_the_command_line_records_reads_and_lists_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store, vault = rc.open_store(url), open_vault(url)
    try:
        story.record(store, vault)
    finally:
        vault.close()
        store.close()
    code, out, _ = _cli(
        "timeline", str(SOL_CASE), "--store", url, "--reader", "hand-042", "--purpose", "möte"
    )
    assert code == 0 and WORDS[SOL_CASE][0] in out  # the vault in the store's database opens the text
    code, _, _ = _cli(
        "replay", str(LSS_CASE), "--store", url, "--reader", "rev-01", "--purpose", "granskning"
    )
    assert code == 0
    code, _, err = _cli("timeline", str(SOL_CASE), "--store", url, "--reader", "hand-042")
    assert code == 2 and "--purpose" in err
    code, out, _ = _cli("access-log", "--store", url, "--subject", str(SOL_PERSON), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [(r["reader"], r["case_id"]) for r in rows] == [
        ("hand-042", str(SOL_CASE)),
        ("rev-01", str(LSS_CASE)),
    ]
    today = dt.datetime.now(dt.UTC).date()
    code, out, _ = _cli(
        "access-log", "--store", url, "--reader", "rev-01", "--from", str(today), "--to", str(today)
    )
    assert code == 0 and out.startswith("1 read\n") and "granskning" in out
    code, out, _ = _cli("access-log", "--store", url, "--from", str(today + dt.timedelta(days=1)))
    assert out.startswith("0 reads")


def test_export_leaves_out_people_with_protected_identity(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store, vault = rc.open_store(url), open_vault(url)
    try:
        story.record(store, vault)
        vault.set_protected(SOL_PERSON, True)
    finally:
        vault.close()
        store.close()
    raw = io.BytesIO()
    wrapper = io.TextIOWrapper(raw, encoding="utf-8")
    with contextlib.redirect_stdout(wrapper):
        code = cli(["export", "--store", url])
        wrapper.flush()
    out = raw.getvalue().decode()
    assert code == 0 and out
    # Every event of the protected person's two cases is left out; the others' are there.
    assert str(SOL_CASE) not in out and str(LSS_CASE) not in out
    assert str(story.SAMPLE_CASE) in out and str(story.HELD_CASE) in out
