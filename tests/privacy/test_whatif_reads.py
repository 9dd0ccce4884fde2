"""#15's what-if replay (``replay --under/--ruleset``) reads a case like a plain replay does (#13): through
the vault, and a named reader's read is recorded in the access log."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import rehabcore as rc
from rehabcore.cli import main as cli
from rehabcore.identity import open_vault

from . import story
from .story import LSS_CASE


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_a_what_if_replay_records_its_named_reader(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store, vault = rc.open_store(url), open_vault(url)
    try:
        story.record(store, vault)
    finally:
        vault.close()
        store.close()
    under = "rehabcore.domain.rules:SWEDEN_DEFAULT"  # the ruleset it was recorded under: nothing differs
    code, out, err = _cli(
        "replay", str(LSS_CASE), "--store", url, "--under", under, "--reader", "rev-02", "--purpose", "vad om"
    )
    assert code == 0, out + err
    code, _, err = _cli("replay", str(LSS_CASE), "--store", url, "--under", under, "--reader", "rev-02")
    assert code == 2 and "--purpose" in err
    code, out, _ = _cli("access-log", "--store", url, "--reader", "rev-02", "--format", "json")
    assert code == 0 and [(r["case_id"], r["purpose"]) for r in json.loads(out)] == [
        (str(LSS_CASE), "vad om")
    ]


def test_an_impact_report_reads_through_the_vault_and_records_its_named_reader(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store, vault = rc.open_store(url), open_vault(url)
    try:
        story.record(store, vault)
        cases = {s.stream_id for s in store.read_all() if s.stream_id.startswith("case-")}
    finally:
        vault.close()
        store.close()
    under = "rehabcore.domain.rules:SWEDEN_DEFAULT"
    reader = ("--reader", "rev-03", "--purpose", "ny")
    code, out, err = _cli("impact", "--store", url, "--ruleset", under, *reader)
    assert code == 0, out + err
    code, out, _ = _cli("access-log", "--store", url, "--reader", "rev-03", "--format", "json")
    assert code == 0 and sorted(r["case_id"] for r in json.loads(out)) == sorted(c[5:] for c in cases)
