"""A rebuild is made beside the read models and swapped in at once (#14): a rebuild that meets an undecodable
row, or is killed with SIGKILL, leaves the previous read models answering; ``stats`` says when they are
behind the log and exits 1 when asked for a stale report."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.cli import main
from rehabcore.errors import DecodeError
from rehabcore.projections import ReadModels, Runner
from tests.projections import oracle
from tests.projections.test_sigkill import _copy

ROOT = Path(__file__).resolve().parents[2]
DATES = [dt.date(2025, 1, 1), dt.date(2025, 10, 1)]
CHILD = """
import sys
from rehabcore import open_store
from rehabcore.projections import Runner

store = open_store(sys.argv[1])
def progress(name, done, total):
    print(name, done, flush=True)
Runner(store, batch_size=int(sys.argv[2])).rebuild(progress=progress)
print("done", flush=True)
"""


def _models(url: str) -> object:
    store = rc.open_store(url)
    try:
        runner = Runner(store)
        try:
            return oracle.from_models(ReadModels(runner.target), DATES), runner.lag()
        finally:
            runner.target.close()
    finally:
        store.close()


def _built(tmp_path: Path, people: int = 30) -> str:
    memory = rc.InMemoryStore()
    demo.build(memory, seed=11, people=people)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = _copy(memory, url)
    runner = Runner(store)
    runner.catch_up()
    runner.target.close()
    store.close()
    return url


def _spoil_a_row(url: str) -> None:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    conn.execute(
        "UPDATE rehabcore_events SET data = x'7b2262726f6b656e' WHERE position = "
        "(SELECT max(position) FROM rehabcore_events WHERE type = 'rehab.PlacementStarted')"
    )
    conn.commit()
    conn.close()


def test_a_rebuild_that_meets_an_undecodable_row_leaves_the_read_models_answering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _built(tmp_path)
    before = _models(url)
    assert before[1] == 0 and before[0]
    _spoil_a_row(url)
    store = rc.open_store(url)
    with pytest.raises(DecodeError):
        Runner(store).rebuild()
    store.close()
    assert _models(url) == before
    assert main(["projections", "rebuild", "--store", url]) == 1  # a problem in the record
    assert _models(url) == before
    capsys.readouterr()
    assert main(["stats", "--store", url, "--no-catch-up", "--skip-verify", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["caseload"]  # not an empty caseload


def test_a_rebuild_killed_with_sigkill_leaves_the_read_models_answering(tmp_path: Path) -> None:
    url = _built(tmp_path, people=25)
    before = _models(url)
    killed = 0
    for lines in (1, 3, 6):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, "7"], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert child.stdout is not None
        for seen, line in enumerate(child.stdout, 1):
            if line.startswith("done"):
                break
            if seen >= lines:
                os.kill(child.pid, signal.SIGKILL)
                killed += 1
                break
        child.wait(timeout=60)
        assert _models(url) == before  # the old read models, whole, while and after the rebuild died
    assert killed >= 2, "the rebuild finished before it could be killed: make the store bigger"
    store = rc.open_store(url)
    Runner(store).rebuild()  # what the killed ones left beside is dropped first
    store.close()
    assert _models(url) == before


def test_stats_says_the_read_models_are_behind_and_exits_1_for_a_stale_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _built(tmp_path, people=4)
    store = rc.open_store(url)
    demo.build(store, seed=12, people=1)  # recorded after the read models were brought up to date
    head = store.head_position()
    store.close()
    assert _models(url)[1] > 0
    assert main(["stats", "--store", url, "--no-catch-up", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert "STALE" in out and "STALE" in err and f"head position {head:,}" in out
    assert main(["stats", "--store", url, "--no-catch-up", "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["stale"] is True and body["behind"] > 0
    assert main(["stats", "--store", url]) == 0  # brought up to date first
    assert _models(url)[1] == 0
