"""``rehabcore stats`` and ``rehabcore projections rebuild|status`` on the demo store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
import time
import uuid
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.cli import main
from rehabcore.cli.stats import MODELS
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import MemoryProjectionStore, ReadModels, Runner

ON = "2025-12-31"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    store = rc.open_store(url)
    demo.build(store, seed=2284, people=200)
    store.close()
    return url


def _expected(url: str) -> rc.projections.Stats:
    store = rc.open_store(url)
    try:
        target = MemoryProjectionStore()
        Runner(store, target).catch_up()
        return ReadModels(target).stats(dt.date.fromisoformat(ON))
    finally:
        store.close()


def test_stats_prints_every_table_of_the_demo(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", demo_url, "--on", ON, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for title in MODELS.values():
        assert title.split(":")[0].split(" on ")[0].split(" {")[0] in out
    expected = _expected(demo_url)
    for row in expected.occupancy:
        assert any(
            line.split()[-3:] == [str(row.places), str(row.occupied), str(row.free)] and row.unit in line
            for line in out.splitlines()
        ), row
    assert "Återbruket Bredbyn" in out and "median days from referral to exit" in out


def test_stats_json_is_the_read_models(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", demo_url, "--on", ON, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    expected = _expected(demo_url)
    assert document["on"] == ON
    assert [(r["unit"], r["places"], r["occupied"], r["free"]) for r in document["occupancy"]] == [
        (r.unit, r.places, r.occupied, r.free) for r in expected.occupancy
    ]
    assert sum(r["cases"] for r in document["caseload"]) >= 200
    assert len(document["waiting"]) == len(expected.waiting)
    assert document["median_days_to_exit"] == expected.outcomes.median_days_to_exit
    assert set(MODELS) <= set(document)


def test_stats_csv_of_one_model(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", demo_url, "--on", ON, "--format", "csv", "--model", "exits"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = _expected(demo_url).outcomes.exits
    assert [(r["period"], r["destination"], r["detail"], int(r["exits"])) for r in rows] == [
        (e.period, e.destination, e.detail, e.exits) for e in expected
    ]


def test_stats_csv_of_every_model_has_a_section(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", demo_url, "--on", ON, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert [line[2:] for line in out.splitlines() if line.startswith("# ")] == list(MODELS)


def test_projections_status_and_rebuild(demo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["projections", "rebuild", "--store", demo_url, "--batch-size", "500", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    store = rc.open_store(demo_url)
    head = store.head_position()
    case_events = sum(1 for e in store.read_all() if e.stream_id.startswith("case-"))
    store.close()
    # The execution projection (#11) reads the case events a second time.
    assert f"{head + case_events:,} events" in out
    assert main(["projections", "status", "--store", demo_url, "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [(s["name"], s["checkpoint"], s["head"], s["behind"]) for s in status] == [
        (name, head, head, 0)
        for name in ("cases", "units", "places", "visits", "execution", "ivo_reports")  # visits: #18
    ]
    assert main(["projections", "status", "--store", demo_url]) == 0
    assert "cases" in capsys.readouterr().out


class Terminal(io.StringIO):
    """Standard error as a terminal: the progress bar draws on it."""

    def isatty(self) -> bool:
        return True


def test_projections_rebuild_draws_a_progress_bar_per_projection_on_a_terminal(
    demo_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["projections", "rebuild", "--store", demo_url, "--batch-size", "500", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    store = rc.open_store(demo_url)
    head = store.head_position()
    store.close()
    lines = [line for line in terminal.getvalue().split("\n") if line]
    # One line per projection, redrawn in place with \r, ending full at the head.
    assert [line.rsplit("\r", 1)[-1].split(" [")[0] for line in lines] == [
        "rebuilding cases",
        "rebuilding units",
        "rebuilding places",
        "rebuilding visits",  # #18
        "rebuilding execution",
        "rebuilding ivo_reports",
    ]
    for line in lines:
        drawn = [d for d in line.split("\r") if d]
        assert f"] {head:,}/{head:,} (" in drawn[-1] and drawn[-1].endswith("/s)"), drawn[-1]
        # Every rate drawn is the projection's own: positions over the time since it started, not since its
        # first batch ended (which showed hundreds of millions per second on the first draw).
        for d in drawn:
            rate = int(d.rsplit("(", 1)[1].removesuffix("/s)").replace(",", ""))
            assert 0 < rate < 50_000_000, d
    assert "rebuilt 6 projections" in out  # visits: #18


def test_stats_refuses_a_malformed_date_and_a_missing_store(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--store", demo_url, "--on", "31/12/2025"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["stats", "--store", f"sqlite:///{tmp_path / 'none.sqlite'}"]) == 2
    assert not (tmp_path / "none.sqlite").exists()
    assert main(["stats", "--store", demo_url, "--threshold-days", "0"]) == 2


def test_projections_follow_applies_new_events_until_stopped(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    follow = [
        "projections",
        "follow",
        "--store",
        demo_url,
        "--poll",
        "0.02",
        "--max-seconds",
        "2",
        "--lang",
        "en",
    ]
    following = threading.Thread(target=main, args=(follow,))
    following.start()
    time.sleep(0.5)
    store = rc.open_store(demo_url)
    case_id = uuid.uuid4()
    rc.Cases(store).handle(
        cmd.OpenCase(
            case_id=case_id,
            subject_id=uuid.uuid4(),
            opened_on=dt.date(2025, 11, 3),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.SELF,
        ),
        actor=rc.Actor(id="hand-9", role=v.Role.CASE_WORKER, unit="Följ-enheten"),
    )
    head = store.head_position()
    following.join(timeout=30)
    assert f"position {head:,}" in capsys.readouterr().out
    # Read without catching up: the follower alone put the new case into the read models.
    assert (
        main(["stats", "--store", demo_url, "--no-catch-up", "--format", "json", "--model", "caseload"]) == 0
    )
    caseload = json.loads(capsys.readouterr().out)["caseload"]
    assert {
        "status": "referred",
        "programme": "-",
        "worker_unit": "Följ-enheten",
        "unit": "-",
        "cases": 1,
    } in caseload
    store.close()
    assert main(["projections", "follow", "--store", demo_url, "--poll", "0"]) == 2
