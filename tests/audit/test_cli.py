"""``rehabcore verify``, ``replay`` and ``timeline`` on a real SQLite demo store: output, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore import codec
from rehabcore.cli import main
from rehabcore.cli.common import EXIT_FOUND, EXIT_OK, EXIT_USAGE
from rehabcore.domain import events as ev
from rehabcore.store import NewEvent, StreamWrite


def _a_case(url: str, type_name: str = "rehab.TransferredToLssDailyActivity") -> str:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    row = conn.execute(
        "SELECT stream_id FROM rehabcore_events WHERE type = ? ORDER BY position LIMIT 1", (type_name,)
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT stream_id FROM rehabcore_events WHERE stream_id LIKE 'case-%' LIMIT 1"
        ).fetchone()
    conn.close()
    return str(row[0]).removeprefix("case-")


def _first_recorded(url: str, case: str) -> str:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    (micros,) = conn.execute(
        "SELECT min(recorded_at) FROM rehabcore_events WHERE stream_id = ?", (f"case-{case}",)
    ).fetchone()
    conn.close()
    return (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)).isoformat()


def test_verify_on_the_untouched_demo_store_exits_0_and_exports_a_digest(
    demo_sqlite: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = tmp_path / "head.json"
    assert main(["verify", "--store", demo_sqlite, "--export-digest", str(digest), "--lang", "en"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "intact" in out and "rehabcore-head:" in out
    assert main(["verify", "--store", demo_sqlite, "--lang", "da"]) == EXIT_OK
    assert "intakt: hver hashkæde stemmer" in capsys.readouterr().out
    assert json.loads(digest.read_text())["token"] in out
    assert main(["verify", "--store", demo_sqlite, "--check-digest", str(digest)]) == EXIT_OK


def test_verify_exits_1_and_names_the_stream_when_the_tail_is_gone(
    demo_sqlite: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = tmp_path / "head.json"
    assert main(["verify", "--store", demo_sqlite, "--export-digest", str(digest), "--lang", "en"]) == EXIT_OK
    case = _a_case(demo_sqlite)
    conn = sqlite3.connect(demo_sqlite.removeprefix("sqlite:///"))
    (last,) = conn.execute(
        "SELECT max(version) FROM rehabcore_events WHERE stream_id = ?", (f"case-{case}",)
    ).fetchone()
    conn.execute("DELETE FROM rehabcore_events WHERE stream_id = ? AND version = ?", (f"case-{case}", last))
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert (
        main(["verify", "--store", demo_sqlite, "--check-digest", str(digest), "--format", "json"])
        == EXIT_FOUND
    )
    report = json.loads(capsys.readouterr().out)
    assert not report["intact"]
    assert {"kind": "deleted", "stream": f"case-{case}", "version": last} in [
        {k: f[k] for k in ("kind", "stream", "version")} for f in report["findings"]
    ]


def test_verify_draws_a_progress_bar(demo_sqlite: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--store", demo_sqlite, "--progress"]) == EXIT_OK
    assert "verify [" in capsys.readouterr().err


def test_replay_of_a_demo_case_exits_0_with_every_step_decided_the_same(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _a_case(demo_sqlite)
    assert main(["replay", case, "--store", demo_sqlite, "--on", "2025-11-01", "--lang", "en"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "rehab.cmd.TransferToLssDailyActivity" in out and "decided again: same" in out
    assert "0 divergences" in out and "Situation on 2025-11-01" in out
    assert main(["replay", case, "--store", demo_sqlite, "--on", "2025-11-01", "--lang", "sv"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "avgjort igen: samma" in out and "0 avvikelser" in out and "Läget den 2025-11-01" in out
    assert main(["replay", case, "--store", demo_sqlite, "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["divergences"] == [] and all(s["redecided"] == "same" for s in report["steps"])
    assert "situation" not in report
    argv = ["replay", case, "--store", demo_sqlite, "--format", "json", "--on", "2025-11-01"]
    assert main(argv) == EXIT_OK
    situation = json.loads(capsys.readouterr().out)["situation"]
    assert situation["on"] == "2025-11-01" and situation["decisions_in_force"]


def test_timeline_in_three_languages_and_both_views(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _a_case(demo_sqlite)
    for lang, word in (
        ("sv", "Flytt till daglig verksamhet"),
        ("en", "Moved to daily activity"),
        ("da", "dagtilbud"),
    ):
        assert main(["timeline", case, "--store", demo_sqlite, "--lang", lang]) == EXIT_OK
        assert word in capsys.readouterr().out
    assert (
        main(["timeline", case, "--store", demo_sqlite, "--view", "citizen", "--format", "json"]) == EXIT_OK
    )
    body = json.loads(capsys.readouterr().out)
    assert body["view"] == "citizen" and body["entries"]
    assert "actor" not in json.dumps(body) and "hand-" not in json.dumps(body)


def test_as_known_at_shows_the_record_as_it_stood(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _a_case(demo_sqlite)
    first = _first_recorded(demo_sqlite, case)
    assert (
        main(["timeline", case, "--store", demo_sqlite, "--as-known-at", first, "--format", "json"])
        == EXIT_OK
    )
    body = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in body["entries"]] == ["CaseOpened"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["timeline", "0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10"],
            "no case 0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10",
        ),
        (["replay", "not-a-case-id"], "CASE expects a case id"),
        (["timeline", "{case}", "--on", "2025-13-01"], "--on expects a date as YYYY-MM-DD"),
        (["replay", "{case}", "--as-known-at", "last tuesday"], "--as-known-at expects YYYY-MM-DD"),
        (["timeline", "{case}", "--as-known-at", "2001-01-01"], "is before case"),
        (["replay", "{case}", "--lang", "fi"], "invalid choice"),
    ],
    ids=[
        "unknown-case",
        "malformed-case-id",
        "malformed-date",
        "malformed-moment",
        "before-the-case",
        "bad-lang",
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(
    demo_sqlite: str, args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _a_case(demo_sqlite)
    argv = [a.replace("{case}", case) for a in args] + ["--store", demo_sqlite]
    assert main(argv) == EXIT_USAGE
    assert says in capsys.readouterr().err


def test_a_missing_store_or_digest_file_is_exit_2(
    tmp_path: Path, demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--store", f"sqlite:///{tmp_path / 'none.sqlite'}"]) == EXIT_USAGE
    assert (
        main(["verify", "--store", demo_sqlite, "--check-digest", str(tmp_path / "none.json")]) == EXIT_USAGE
    )
    (tmp_path / "bad.json").write_text("{}")
    assert (
        main(["verify", "--store", demo_sqlite, "--check-digest", str(tmp_path / "bad.json")]) == EXIT_USAGE
    )
    assert "digest" in capsys.readouterr().err


def test_the_installed_command_runs_in_its_own_process(demo_sqlite: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rehabcore.cli", "verify", "--store", demo_sqlite, "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert "intact" in done.stdout


def test_verify_takes_as_known_at_and_refuses_a_malformed_one(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["verify", "--store", demo_sqlite, "--as-known-at", "2001-01-01", "--format", "json"]) == EXIT_OK
    )
    assert json.loads(capsys.readouterr().out)["events"] == 0
    assert main(["verify", "--store", demo_sqlite, "--as-known-at", "igår"]) == EXIT_USAGE
    assert "--as-known-at expects" in capsys.readouterr().err


def test_replay_exits_1_on_a_divergence_and_an_unreadable_row_is_exit_1_too(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _a_case(demo_sqlite)
    store = rc.open_store(demo_sqlite)
    try:  # an entry no command produced, appended through the store as a careless import would
        name, version, data = codec.encode_event(ev.CaseReopened(occurred_on=dt.date(2026, 1, 1)))
        store.append(StreamWrite(f"case-{case}", [NewEvent(uuid.uuid4(), name, version, data, b"{}")]))
    finally:
        store.close()
    assert main(["replay", case, "--store", demo_sqlite, "--lang", "en"]) == EXIT_FOUND
    assert "1 divergence:" in capsys.readouterr().out
    assert main(["verify", "--store", demo_sqlite]) == EXIT_FOUND  # its id is not a command's either
    capsys.readouterr()

    conn = sqlite3.connect(demo_sqlite.removeprefix("sqlite:///"))
    conn.execute(
        'UPDATE rehabcore_events SET data = CAST(\'{"personnummer": "19121212-1212"}\' AS BLOB) '
        "WHERE stream_id = ? AND version = 2",
        (f"case-{case}",),
    )
    conn.commit()
    conn.close()
    for command in ("replay", "timeline"):
        assert main([command, case, "--store", demo_sqlite]) == EXIT_FOUND
        err = capsys.readouterr().err
        assert f"entry v2 of case-{case} cannot be read" in err and "rehabcore verify" in err
        assert "1212" not in err and "personnummer" not in err


def test_the_commands_read_postgresql_and_verify_exits_1_on_an_edit_there(
    demo_pg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = sa.create_engine(demo_pg, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            stream = conn.execute(
                sa.text("SELECT stream_id FROM rehabcore_events WHERE stream_id LIKE 'case-%' LIMIT 1")
            ).scalar_one()
        case = str(stream).removeprefix("case-")
        assert main(["verify", "--store", demo_pg]) == EXIT_OK
        assert main(["replay", case, "--store", demo_pg]) == EXIT_OK
        assert (
            main(["timeline", case, "--store", demo_pg, "--format", "html", "--view", "citizen"]) == EXIT_OK
        )
        capsys.readouterr()
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE rehabcore_events SET recorded_at = recorded_at + interval '1 day' "
                    "WHERE stream_id = :s AND version = 2"
                ),
                {"s": stream},
            )
    finally:
        engine.dispose()
    assert main(["verify", "--store", demo_pg, "--format", "json"]) == EXIT_FOUND
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["kind"], f["stream"], f["version"]) for f in findings] == [("edited", stream, 2)]
