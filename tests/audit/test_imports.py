"""Direct appends carry import provenance and verify accepts them (#14): the documented import path verifies
intact and names its batch; a case imported event by event replays as imported, not as divergences; an
append with neither a command nor a batch is still named as inserted."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import Audit, FindingKind, verify
from rehabcore.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_path_in_docs_adapters_md_runs_and_verifies() -> None:
    text = (ROOT / "docs" / "adapters.md").read_text()
    section = text[text.index("### Importing") :]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None
    exec(compile(block.group(1), "docs/adapters.md", "exec"), {})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_imported_case_verifies_and_replays_as_imported(
    backend: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo's first case, copied event by event into a new store by an import batch."""
    source = rc.InMemoryStore()
    demo.build(source, people=2)
    case_stream = next(e.stream_id for e in source.read_all() if e.stream_id.startswith("case-"))
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    store = rc.open_store(url)
    batch = rc.ImportBatch(actor="migration-007", source="legacy-ame-2019")
    events = [
        batch.event(e.type, e.data, schema_version=e.schema_version) for e in source.read_stream(case_stream)
    ]
    store.append(rc.StreamWrite(case_stream, events, expected_version=0))
    report = verify(store)
    assert report.intact, report.findings
    assert [(b.actor, b.source, b.events) for b in report.imports] == [
        ("migration-007", "legacy-ame-2019", len(events))
    ]
    case_id = case_stream.removeprefix("case-")
    replayed = Audit(store).replay(uuid.UUID(case_id))
    assert not replayed.divergences
    assert {s.redecided for s in replayed.steps} == {"imported"}
    # An entry with neither a command nor a batch is still one no one accounts for.
    store.append(
        rc.StreamWrite(case_stream, [rc.NewEvent(rc.new_event_id(), events[-1].type, 1, events[-1].data)])
    )
    kinds = {(f.kind, f.version) for f in verify(store).findings}
    assert kinds == {(FindingKind.INSERTED, len(events) + 1)}
    store.close()
    assert main(["verify", "--store", url, "--lang", "en"]) == 1
    assert "imported: " in capsys.readouterr().out
