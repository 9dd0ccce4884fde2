"""Every reading command checks the chains of what it shows (#14): an edited date in the timeline, a deleted
entry under replay, a tampered store under stats each say so (banner, line, JSON field) and exit 1; findings
name the field that changed where it can be known; one renumbered version or position is one finding."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore.audit import FindingKind, verify
from rehabcore.cli import main

EVENTS = "rehabcore_events"


def _sql(url: str, sql: str, *params: object) -> None:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _a_case(url: str) -> tuple[str, str]:
    """The longest case stream and its case id."""
    store = rc.open_store(url, read_only=True)
    try:
        streams: dict[str, int] = {}
        for e in store.read_all():
            if e.stream_id.startswith("case-"):
                streams[e.stream_id] = e.version
    finally:
        store.close()
    stream = max(streams, key=lambda s: (streams[s], s))
    return stream, stream.removeprefix("case-")


def _edit_a_date(url: str, stream: str) -> None:
    # Still a BLOB: only the content changed, as a careful hand would do it (the entry's day a century back).
    _sql(
        url,
        f'UPDATE {EVENTS} SET data = CAST(replace(CAST(data AS TEXT), \'"occurred_on":"20\', '
        '\'"occurred_on":"19\') AS BLOB) WHERE stream_id = ? AND version = 2',
        stream,
    )


@pytest.mark.parametrize("view", ["staff", "citizen"])
def test_an_edited_date_shows_in_every_timeline_format_with_the_break_said_plainly(
    demo_sqlite: str, view: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream, case = _a_case(demo_sqlite)
    args = ["timeline", case, "--store", demo_sqlite, "--view", view, "--lang", "en"]
    for fmt in ("text", "json", "html"):
        assert main([*args, "--format", fmt]) == 0
    capsys.readouterr()
    _edit_a_date(demo_sqlite, stream)
    assert main([*args, "--format", "text"]) == 1
    assert "INTEGRITY BROKEN" in capsys.readouterr().out.splitlines()[0]
    assert main([*args, "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["integrity"]["intact"] is False
    assert {(f["kind"], f["version"]) for f in body["integrity"]["findings"]} == {("edited", 2)}
    assert main([*args, "--format", "html"]) == 1
    page = capsys.readouterr().out
    assert page.index('role="alert"') < page.index("<h1>")


def test_a_deleted_entry_is_not_zero_divergences_under_replay(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream, case = _a_case(demo_sqlite)
    _sql(demo_sqlite, f"DELETE FROM {EVENTS} WHERE stream_id = ? AND version = 3", stream)
    assert main(["replay", case, "--store", demo_sqlite, "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INTEGRITY BROKEN") and "deleted" in out
    assert main(["replay", case, "--store", demo_sqlite, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["integrity"]["findings"][0]["kind"] == "deleted"


def test_an_unreadable_row_is_exit_1_with_its_finding_not_a_traceback(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream, case = _a_case(demo_sqlite)
    _sql(demo_sqlite, f"UPDATE {EVENTS} SET recorded_at = 'x' WHERE stream_id = ? AND version = 2", stream)
    for command in ("timeline", "replay"):
        assert main([command, case, "--store", demo_sqlite, "--lang", "en"]) == 1
        out, err = capsys.readouterr()
        assert "unreadable" in out and "recorded_at" in out and "Traceback" not in err


def test_stats_checks_every_chain_and_says_so(demo_sqlite: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", demo_sqlite, "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("integrity: the hash chains")
    stream, _ = _a_case(demo_sqlite)
    _edit_a_date(demo_sqlite, stream)
    assert main(["stats", "--store", demo_sqlite, "--lang", "en"]) == 1
    assert capsys.readouterr().out.startswith("INTEGRITY BROKEN")
    assert main(["stats", "--store", demo_sqlite, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["integrity"]["intact"] is False
    assert main(["stats", "--store", demo_sqlite, "--skip-verify", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("integrity: hash chains not checked")


def _verify(url: str) -> rc.audit.VerifyReport:
    store = rc.open_store(url, read_only=True)
    try:
        return verify(store)
    finally:
        store.close()


def test_findings_name_the_field_that_changed_where_it_can_be_known(demo_sqlite: str) -> None:
    stream, _ = _a_case(demo_sqlite)
    _sql(
        demo_sqlite,
        f"UPDATE {EVENTS} SET recorded_at = recorded_at - 86400000000 * 400 "
        "WHERE stream_id = ? AND version = 3",
        stream,
    )
    (finding,) = _verify(demo_sqlite).findings
    assert (finding.kind, finding.version) == (FindingKind.EDITED, 3)
    assert "recorded time" in finding.detail


def test_one_renumbered_version_is_one_finding(demo_sqlite: str) -> None:
    stream, _ = _a_case(demo_sqlite)
    _sql(demo_sqlite, f"UPDATE {EVENTS} SET version = 100000 WHERE stream_id = ? AND version = 3", stream)
    findings = _verify(demo_sqlite).findings
    assert [(f.kind, f.stream_id, f.version) for f in findings] == [(FindingKind.REORDERED, stream, 100000)]
    assert "recorded as v3" in findings[0].detail


def test_one_renumbered_position_is_one_finding(demo_sqlite: str) -> None:
    path = Path(demo_sqlite.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    ((stream, version, position),) = conn.execute(
        f"SELECT stream_id, version, position FROM {EVENTS} e WHERE version = "
        f"(SELECT max(version) FROM {EVENTS} WHERE stream_id = e.stream_id) ORDER BY position LIMIT 1"
    ).fetchall()
    conn.close()
    _sql(demo_sqlite, f"UPDATE {EVENTS} SET position = 100000 WHERE position = ?", position)
    findings = _verify(demo_sqlite).findings
    assert [(f.kind, f.stream_id, f.version) for f in findings] == [(FindingKind.REORDERED, stream, version)]
    assert f"recorded at position {position}" in findings[0].detail
