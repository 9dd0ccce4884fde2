"""End to end on memory, SQLite and PostgreSQL: a SoL-only work-training person whose last entry is
2020-03-01 is due on 2026-01-01; after ``retention run`` their key is gone from the database's bytes, their
text reads "[gallrad]", ``verify`` is intact and the read models rebuild; their LSS record and a person born
on the 15th are untouched; a legal hold blocks erasure until it is released; a rerun does nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import io
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import retention, sealing
from rehabcore.audit import Audit
from rehabcore.audit.render import timeline_text
from rehabcore.cli import main as cli
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.identity import Vault, open_vault
from rehabcore.projections import MemoryProjectionStore, ReadModels, Runner
from rehabcore.retention import Action

from . import story
from .story import HELD_CASE, HOLD, LSS_CASE, SAMPLE_CASE, SOL_CASE, SOL_PERSON, WORDS

DUE = dt.date(2026, 1, 1)


@contextlib.contextmanager
def opened(url: str) -> Iterator[tuple[rc.EventStore, Vault]]:
    store = rc.InMemoryStore() if url == "memory://" else rc.open_store(url)
    vault = open_vault(url)
    try:
        yield store, vault
    finally:
        vault.close()
        store.close()


def _run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(list(argv))
    return code, out.getvalue()


def _shown(store: rc.EventStore, case: object) -> str:
    return timeline_text(Audit(store).timeline(case), "sv")  # type: ignore[arg-type]


def _database_bytes(url: str) -> bytes:
    """Everything the database holds, as bytes: the SQLite files, or a pg_dump of the test's schema."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(Path(p).read_bytes() for p in glob.glob(f"{path}*"))
    schema = url.rsplit("search_path%3D", 1)[1]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), key=lambda p: int(p.split("/")[4]))
    pg_dump = found[-1] if found else "pg_dump"
    import sqlalchemy as sa

    parsed = sa.make_url(url.split("?", 1)[0])
    args = [pg_dump, "-h", str(parsed.host), "-p", str(parsed.port), "-U", "postgres", "-n", schema]
    args += ["--no-owner", str(parsed.database)]
    return subprocess.run(args, check=True, capture_output=True, timeout=120).stdout


def test_a_sol_record_is_erased_on_its_due_day_and_the_rest_is_untouched(vault_url: str) -> None:
    url = vault_url
    with opened(url) as (store, vault):
        story.record(store, vault)
        sol_key = vault.backend.get_key(SOL_CASE)
        assert sol_key is not None
        for case in (SOL_CASE, LSS_CASE, SAMPLE_CASE, HELD_CASE):
            assert WORDS[case][0] in _shown(store, case)

        # The day before, nothing is due; on the day, the SoL record is, and nothing else.
        assert retention.plan(store, vault, DUE - dt.timedelta(days=1)).of(Action.ERASE) == []
        plan = retention.plan(store, vault, DUE)
        [erase] = plan.of(Action.ERASE)
        assert (erase.subject_id, erase.cases) == (SOL_PERSON, (SOL_CASE,))
        assert erase.last_entry_on == story.LAST_ENTRY
        assert erase.policy == "SE-sol@2025.1" and erase.deadline == dt.date(2026, 12, 31)
        assert [i.cases for i in plan.of(Action.KEPT)] == [(LSS_CASE,)]
        assert [i.cases for i in plan.of(Action.ARCHIVE)] == [(SAMPLE_CASE,)]
        [held] = plan.of(Action.HELD)
        assert held.cases == (HELD_CASE,) and [h.value for h in held.holds] == ["appeal"]

        if url == "memory://":
            done = retention.run(store, vault, DUE, by="arkiv-01")
            assert done.erased == (SOL_CASE,) and done.archived == (SAMPLE_CASE,)
        else:
            code, out = _run_cli("retention", "plan", "--on", str(DUE), "--store", url, "--format", "json")
            assert code == 0 and json.loads(out)["counts"]["erase"] == 1
            code, out = _run_cli(
                "retention", "run", "--on", str(DUE), "--store", url, "--by", "arkiv-01", "--lang", "en"
            )
            assert code == 0 and "1 record erased, 1 archived" in out
            vault.forget_cached_keys()

        # The erased record: its text reads as erased, the proof is in the record, the chain is whole.
        shown = _shown(store, SOL_CASE)
        assert "[gallrad]" in shown
        for text in WORDS[SOL_CASE]:
            assert text not in shown
        erased = [r.event for r in rc.Cases(store).history(SOL_CASE) if isinstance(r.event, ev.SubjectErased)]
        assert len(erased) == 1 and erased[0].policy == "SE-sol@2025.1"
        assert rc.Cases(store).history(SOL_CASE)[-1].metadata["actor"]["id"] == "arkiv-01"
        assert Audit(store).verify().intact
        assert Audit(store).replay(SOL_CASE).divergences == ()

        # Untouched: the same person's LSS record, the research sample, the held record.
        for case in (LSS_CASE, SAMPLE_CASE, HELD_CASE):
            assert WORDS[case][0] in _shown(store, case)
        assert vault.identity_number(SOL_PERSON) is not None  # the LSS record still needs the person

        # B24: nothing more is recorded in the erased record.
        with pytest.raises(rc.RuleViolation, match=r"\[B24\]"):
            rc.Cases(store, sealer=vault).handle(
                cmd.ReopenCase(case_id=SOL_CASE, reopened_on=DUE), actor=story.STAFF
            )

        # The read models rebuild from the erased store.
        target = MemoryProjectionStore()
        # Each projection reads the store through (the IVO report's on its own), so at least every event.
        assert Runner(store, target).rebuild() >= store.head_position()
        assert any(c.case.case_id == SOL_CASE for c in ReadModels(target).cases())

        # A rerun finds nothing to do.
        again = retention.run(store, vault, DUE, by="arkiv-01")
        assert again.erased == () and again.archived == ()

        # The hold blocks until released; then the held record goes too.
        rc.Cases(store, today=lambda: DUE, sealer=vault).handle(
            cmd.ReleaseRetentionHold(case_id=HELD_CASE, hold_id=HOLD, released_on=DUE), actor=story.STAFF
        )
        assert retention.run(store, vault, DUE, by="arkiv-01").erased == (HELD_CASE,)
        assert "[gallrad]" in _shown(store, HELD_CASE)
        assert Audit(store).verify().intact

    if url != "memory://":
        if url.startswith("sqlite"):
            code, _ = _run_cli("projections", "rebuild", "--store", url)
            assert code == 0
        raw = _database_bytes(url)
        # The key is gone from every byte of the database (SQLite overwrites freed pages: secure_delete),
        # and no personal text was ever stored in the clear.
        assert sol_key not in raw and sol_key.hex().encode() not in raw
        for case in (SOL_CASE, HELD_CASE, LSS_CASE, SAMPLE_CASE):
            for text in WORDS[case]:
                assert text.encode() not in raw
        # Decoding every row on a fresh process view gives the LSS text back, never the erased one.
        sealing.use(None)
        with opened(url) as (store, vault):
            sealing.use(vault)
            assert WORDS[LSS_CASE][0] in _shown(store, LSS_CASE)
            assert "[gallrad]" in _shown(store, SOL_CASE)


def test_a_sealer_is_needed_to_read_the_text_at_all(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with opened(url) as (store, vault):
        story.record(store, vault)
    sealing.use(None)
    store = rc.open_store(url)
    try:
        assert "[krypterad]" in _shown(store, LSS_CASE)
    finally:
        store.close()
    assert os.path.exists(tmp_path / "s.sqlite")
