"""``make bench`` is not part of CI, so a change to an event could break it unseen: the peer's classes in
``benchmarks/es_side.py`` declare their fields, and one the domain adds (``board_id`` on the opening, #16;
``kind`` on a place taken, #12) made the peer refuse every case until someone ran the bench. Each benchmark
runs here on a tiny workload, writing nowhere but a temporary file; the figures are not looked at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import privacy, rebuild, run, scale, writers
from benchmarks.report import replace_section


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


def test_the_scale_benchmark_runs_on_a_tiny_store(
    tmp_path: Path, pg_schema_factory: Callable[[], str]
) -> None:
    # On the session's server, in new schemas (``make bench`` starts a throwaway server of its own).
    result = scale.run(3000, 1, fresh_url=pg_schema_factory, cases=4)
    out = tmp_path / "performance.md"
    out.write_text("# Performance\n")
    replace_section(
        scale.render(result, "python -m benchmarks.scale --events 3000", "test"), scale.START, scale.END, out
    )
    report = out.read_text()
    assert "## Ten million events on PostgreSQL" in report and "append cost, full / empty" in report
    assert "uq_rehabcore_events_stream_version" in report  # the sizes were read from the server
    assert [step["events"] for step in result["steps"]][-1] >= 3000
