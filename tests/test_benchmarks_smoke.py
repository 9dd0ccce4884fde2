"""``make bench`` is not part of CI, so a change to an event could break it unseen: the peer's classes in
``benchmarks/es_side.py`` declare their fields, and one the domain adds (``board_id`` on the opening, #16;
``kind`` on a place taken, #12) made the peer refuse every case until someone ran the bench. Each benchmark
runs here on a tiny workload, writing nowhere but a temporary file; the figures are not looked at."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import privacy, rebuild, run, writers


def test_the_side_by_side_benchmark_runs_every_side_on_a_tiny_workload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "performance.md"
    tiny = ["--reps", "1", "--cases", "4", "--events", "20", "--long-cases", "1", "--long-events", "24"]
    run.main([*tiny, "--no-million", "--backends", "memory,sqlite", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "eventsourcing" in printed and "rehabcore" in printed and "raw" in printed
    assert out.exists()


def test_the_writers_rebuild_and_privacy_benchmarks_run_on_a_tiny_workload(tmp_path: Path) -> None:
    writers.main(["--appends", "32", "--reps", "1", "--backends", "sqlite", "--no-write"])
    rebuild.main(["--events", "400", "--backends", "sqlite", "--no-write"])
    privacy.main(["--cases", "4", "--events", "20", "--reps", "1", "--out", str(tmp_path / "p.md")])
    assert "Personal text sealed" in (tmp_path / "p.md").read_text()
