"""``retention run`` killed with SIGKILL half way, then run again: every due record erased exactly once (one
SubjectErased each, its key destroyed), and nothing else touched."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import subprocess
import sys
import uuid
from pathlib import Path

import rehabcore as rc
from rehabcore import retention
from rehabcore.audit import Audit
from rehabcore.cli import main as cli
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.identity import open_vault

from .story import STAFF, luhn_pnr

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 24
DUE = dt.date(2026, 1, 1)
CHILD = """
import datetime as dt, sys
from rehabcore import open_store, retention
from rehabcore.identity import open_vault

store, vault = open_store(sys.argv[1]), open_vault(sys.argv[1])
def progress(n):
    print("erased", flush=True)
retention.run(store, vault, dt.date.fromisoformat(sys.argv[2]), by="arkiv-01", progress=progress)
print("done", flush=True)
"""


def _record(url: str) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """PEOPLE with a SoL record closed in 2019 (due), and a few with a record of 2025 (not due)."""
    store, vault = rc.open_store(url), open_vault(url)
    due, kept = [], []
    try:
        cases = rc.Cases(store, today=lambda: dt.date(2025, 6, 1), sealer=vault)
        for n in range(PEOPLE + 6):
            subject, case_id = uuid.uuid4(), uuid.uuid4()
            vault.enrol(subject, luhn_pnr(dt.date(1980, 1 + n % 12, 12), 100 + n), v.Jurisdiction.SE)
            close = n < PEOPLE
            on = dt.date(2019, 3, 4) if close else dt.date(2025, 3, 4)
            cases.handle(
                cmd.OpenCase(
                    case_id=case_id,
                    subject_id=subject,
                    opened_on=on,
                    jurisdiction=v.Jurisdiction.SE,
                    municipality_code="2284",
                    source=v.ReferralSource.SELF,
                ),
                actor=STAFF,
            )
            cases.handle(
                cmd.SetGoal(
                    case_id=case_id,
                    goal_id=uuid.uuid4(),
                    set_on=on,
                    life_area=v.LifeArea.WORK_AND_EDUCATION,
                    citizen_words=f"Mål nummer {n} med egna ord",
                    formulated_by=v.FormulatedBy.CITIZEN,
                    goal_type=v.GoalType.DEVELOP,
                ),
                actor=STAFF,
            )
            if close:
                cases.handle(
                    cmd.CloseCase(case_id=case_id, closed_on=on, reason=v.CloseReason.OTHER), actor=STAFF
                )
            (due if close else kept).append(case_id)
    finally:
        vault.close()
        store.close()
    return due, kept


def _killed_after(url: str, lines: int) -> bool:
    """Run a retention run and SIGKILL it after ``lines`` people; True if it finished first."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, DUE.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    for seen, line in enumerate(child.stdout, 1):
        if line.startswith("done"):
            child.wait(timeout=60)
            return True
        if seen >= lines:
            child.kill()
            child.wait(timeout=60)
            return False
    child.wait(timeout=60)
    assert child.stderr is not None
    raise AssertionError(f"the run failed: {child.stderr.read()[-2000:]}")


def test_a_killed_run_is_finished_by_the_next_and_erases_each_record_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    due, kept = _record(url)
    store = rc.open_store(url)
    head_before = store.head_position()
    store.close()

    assert not _killed_after(url, PEOPLE // 3), "the run finished before it could be killed"
    store, vault = rc.open_store(url), open_vault(url)
    try:
        half = retention.plan(store, vault, DUE)
        done_half = {c for i in half.of(retention.Action.DONE) for c in i.cases}
        assert 0 < len(done_half & set(due)) < PEOPLE  # killed half way
    finally:
        vault.close()
        store.close()

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            cli(["retention", "run", "--on", str(DUE), "--store", url, "--by", "arkiv-01", "--lang", "en"])
            == 0
        )
    with contextlib.redirect_stdout(out):
        assert (
            cli(["retention", "run", "--on", str(DUE), "--store", url, "--by", "arkiv-01", "--lang", "en"])
            == 0
        )
    assert "0 records erased" in out.getvalue().splitlines()[-1]

    store, vault = rc.open_store(url), open_vault(url)
    try:
        erasures: dict[str, int] = {}
        for s in store.read_all(after=head_before):
            assert s.type == "rehab.SubjectErased", "a run writes nothing but the proof of erasure"
            erasures[s.stream_id] = erasures.get(s.stream_id, 0) + 1
        assert erasures == {rc.case_stream(c): 1 for c in due}
        for case_id in due:
            assert not vault.has_key(case_id) and vault.tombstone(case_id) is not None
            erased = [
                r.event for r in rc.Cases(store).history(case_id) if isinstance(r.event, ev.SubjectErased)
            ]
            tomb = vault.tombstone(case_id)
            assert tomb is not None and erased[0].key_destroyed_at == tomb.destroyed_at
        for case_id in kept:
            assert vault.has_key(case_id)
        assert Audit(store).verify().intact
    finally:
        vault.close()
        store.close()
