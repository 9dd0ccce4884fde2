"""A runner process killed with SIGKILL in the middle of a rebuild, again and again, on SQLite: whatever it
committed is whole, and the next runner finishes with read models equal to a rebuild in memory."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import rehabcore as rc
from rehabcore import demo
from rehabcore.projections import MemoryProjectionStore, ReadModels, Runner
from rehabcore.store import NewEvent, StreamWrite
from tests.projections import oracle

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from rehabcore import open_store
from rehabcore.projections import Runner

store = open_store(sys.argv[1])
def progress(name, done, total):
    print(name, done, flush=True)
Runner(store, batch_size=int(sys.argv[2])).catch_up(progress=progress)
print("done", flush=True)
"""


def _copy(source: rc.EventStore, url: str) -> rc.EventStore:
    """The same events in a SQLite store, a few hundred per append (each stream's order kept)."""
    target = rc.open_store(url)
    chunk: dict[str, list[NewEvent]] = {}
    for n, e in enumerate(source.read_all(), 1):
        chunk.setdefault(e.stream_id, []).append(
            NewEvent(e.event_id, e.type, e.schema_version, e.data, e.metadata)
        )
        if n % 300 == 0:
            target.append(*(StreamWrite(s, events) for s, events in chunk.items()))
            chunk = {}
    if chunk:
        target.append(*(StreamWrite(s, events) for s, events in chunk.items()))
    return target


def _kill_after(url: str, lines: int, batch_size: int) -> bool:
    """Run a runner process and SIGKILL it after ``lines`` progress lines; True if it finished first."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(batch_size)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    for seen, line in enumerate(child.stdout, 1):
        if line.startswith("done"):
            child.wait(timeout=60)
            return True
        if seen >= lines:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    return False


def test_runner_killed_with_sigkill_resumes_to_the_same_read_models(tmp_path: Path) -> None:
    memory = rc.InMemoryStore()
    demo.build(memory, seed=7, people=80)
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    store = _copy(memory, url)
    kills = 0
    for lines in (2, 6, 12, 25):
        if not _kill_after(url, lines, batch_size=23):
            kills += 1
            # What the killed runner committed is whole: never past the head, and current where it says so.
            status = Runner(store).status()
            assert all(0 <= s.checkpoint <= s.head for s in status)
    assert kills >= 3, "the runner finished before it could be killed: make the store bigger"
    runner = Runner(store)
    runner.catch_up()
    fresh = MemoryProjectionStore()
    Runner(memory, fresh).catch_up()
    dates = [dt.date(2024, 9, 1) + dt.timedelta(days=n) for n in range(0, 720, 61)]
    assert oracle.from_models(ReadModels(runner.target), dates) == oracle.from_models(
        ReadModels(fresh), dates
    )
    store.close()
