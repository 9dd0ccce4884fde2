"""``rehabcore ivo-report`` on the demo store (recorded at simulated recording times, 2026Q1 marked sent):
text, JSON and CSV; exit codes as the other commands (#11)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import verify
from rehabcore.cli import main


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ivo') / 'demo.sqlite'}"
    assert demo.main(["--store", url, "--people", "120"]) == 0
    return url


def test_the_demo_records_entries_at_recording_times_in_order_some_weeks_late(demo_url: str) -> None:
    store = rc.open_store(demo_url)
    try:
        rows = list(store.read_all())
        moments = [r.recorded_at for r in rows]
        assert moments == sorted(moments)  # recording times grow with positions, as in a real store
        assert moments[-1] - moments[0] > dt.timedelta(days=600)  # not all within two seconds
        late = [r for r in rows if (r.recorded_at.date() - rc.streams.decode(r).occurred_on).days >= 14]
        assert late
        assert not verify(store).findings  # the chain is whole; as-known-at views cut it cleanly
        mid = dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC)
        assert not verify(store, as_known_at=mid).findings
    finally:
        store.close()


def test_text_names_the_quarter_the_previous_report_and_the_identity_note(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "2026Q2, municipality 2284" in out
    assert "Compared with the report for 2026Q1, marked sent on 2026-04-08" in out
    # The demo keeps an identity vault in its database: IVO's birth date and sex come from it.
    assert "three months reached" in out and "   born " in out and "(see note)" not in out


def test_the_report_speaks_the_municipality_s_language_in_ivo_s_own_terms(
    demo_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Swedish store, no --lang and no locale: the report IVO receives is in Swedish; Danish on request."""
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Rapport till IVO om ej verkställda gynnande beslut, 2026Q2, kommun 2284")
    assert "vid kvartalets slut: " in out and "sedan förra rapporten: " in out and "född " in out
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--lang", "da"]) == 0
    assert capsys.readouterr().out.startswith("Indberetning af ikke iværksatte begunstigende afgørelser")


def test_json_lists_each_decision_with_what_ivo_asks(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["quarter"] == "2026Q2" and doc["previous_report"] == {
        "quarter": "2026Q1",
        "submitted_on": "2026-04-08",
    }
    assert doc["decisions"], "the demo has decisions not executed within three months"
    for d in doc["decisions"]:
        assert d["state"] in ("not_executed", "interrupted", "partly_executed", "executed", "ended")
        assert dt.date.fromisoformat(d["reached_on"]) <= dt.date(2026, 6, 30)
        assert dt.date.fromisoformat(d["birth_date"]).year == d["birth_year"] and d["sex"] in (
            "female",
            "male",
        )
    assert {d["change"] for d in doc["decisions"]} & {"unchanged", "executed", "ended", "state_changed"}
    assert "identity vault" in doc["note"]


def test_csv_has_a_header_and_a_row_per_decision(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--format", "json"]) == 0
    count = len(json.loads(capsys.readouterr().out)["decisions"])
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == count
    assert {
        "case_ref",
        "decided_on",
        "law",
        "section",
        "reached_on",
        "state",
        "executed_on",
        "offers",
    } <= set(rows[0])


def test_as_known_at_prints_the_report_as_the_record_stood_then_and_writes_nothing(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before 2026Q1's report was marked sent (2026-04-08) the 2026Q2 report has nothing to compare with;
    the entries recorded later (some weeks late) are left out, and the store is not touched."""
    store = rc.open_store(demo_url)
    try:
        head = store.head_position()
        before = len(list(store.read_all()))
    finally:
        store.close()
    args = ["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--lang", "en", "--format", "json"]
    assert main([*args, "--as-known-at", "2026-04-07T12:00"]) == 0
    then = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    now = json.loads(capsys.readouterr().out)
    assert then["previous_report"] is None and now["previous_report"] is not None
    # Only what was recorded by then: no decision made after the moment, nothing executed after it.
    for d in then["decisions"]:
        assert dt.date.fromisoformat(d["decided_on"]) <= dt.date(2026, 4, 7)
        assert d["executed_on"] is None or dt.date.fromisoformat(d["executed_on"]) <= dt.date(2026, 4, 7)
    assert then["decisions"] != now["decisions"]
    store = rc.open_store(demo_url)
    try:
        assert store.head_position() == head and len(list(store.read_all())) == before
    finally:
        store.close()


def test_as_known_at_cannot_mark_a_report_sent(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--as-known-at", "2026-04-07"]
    assert main([*argv, "--mark-submitted", "2026-04-08"]) == 2
    assert "--as-known-at" in capsys.readouterr().err
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--as-known-at", "April"]) == 2


@pytest.mark.parametrize("quarter", ["2026Q5", "2026-Q2", "Q2", "26Q2", ""])
def test_a_bad_quarter_exits_2(demo_url: str, quarter: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ivo-report", "--store", demo_url, "--quarter", quarter]) == 2
    assert "quarter" in capsys.readouterr().err


def test_a_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'none.sqlite'}"
    assert main(["ivo-report", "--store", url, "--quarter", "2026Q2"]) == 2
    assert "no store" in capsys.readouterr().err


def test_marking_a_quarter_sent_twice_exits_2(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["ivo-report", "--store", demo_url, "--quarter", "2026Q1", "--mark-submitted", "2026-04-09"]
    assert main(args) == 2
    assert "already marked submitted" in capsys.readouterr().err


def test_a_person_with_protected_identity_is_reported_and_marked(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """IVO wants people with protected identity reported too, flagged (its FAQ), not left out."""
    from rehabcore.identity import open_vault

    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)["decisions"][0]
    store = rc.open_store(demo_url, read_only=True)
    try:
        opening = next(iter(store.read_stream(rc.case_stream(uuid.UUID(first["case_ref"])), limit=1)))
        subject = uuid.UUID(json.loads(opening.data)["subject_id"])
    finally:
        store.close()
    vault = open_vault(demo_url)
    try:
        vault.set_protected(subject, True)
    finally:
        vault.close()
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["decisions"]
    assert [r["protected"] for r in rows if r["case_ref"] == first["case_ref"]] == [True]
    assert main(["ivo-report", "--store", demo_url, "--quarter", "2026Q2", "--lang", "en"]) == 0
    assert "protected identity" in capsys.readouterr().out
