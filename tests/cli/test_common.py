"""The command line's shared parts: exit codes, dates, the store option."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from rehabcore.cli import main
from rehabcore.cli.common import (
    EXIT_USAGE,
    Progress,
    UsageError,
    open_existing_store,
    parse_date,
    parse_moment,
)


def test_a_bare_date_as_known_at_means_the_end_of_that_day_in_utc() -> None:
    moment = parse_moment("2025-10-01", "--as-known-at")
    assert moment.date() == dt.date(2025, 10, 1)
    assert moment.tzinfo is dt.UTC
    assert moment.time() == dt.time.max


def test_a_moment_without_offset_is_utc_and_one_with_an_offset_keeps_it() -> None:
    assert parse_moment("2025-10-01T12:00:00", "--as-known-at").tzinfo is dt.UTC
    given = parse_moment("2025-10-01T12:00:00+02:00", "--as-known-at")
    assert given.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "01/10/2025", ""])
def test_malformed_dates_name_the_option_and_the_expected_form(bad: str) -> None:
    with pytest.raises(UsageError, match="--on expects a date as YYYY-MM-DD"):
        parse_date(bad, "--on")
    with pytest.raises(UsageError, match="--as-known-at expects"):
        parse_moment(bad, "--as-known-at")


def test_a_missing_sqlite_store_is_a_usage_error_and_no_file_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(UsageError, match="no store at"):
        open_existing_store(f"sqlite:///{missing}")
    assert not missing.exists()


def test_unknown_command_exits_2() -> None:
    assert main(["no-such-command"]) == EXIT_USAGE


def test_demo_runs_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--store", "memory://", "--people", "6", "--lang", "en"]) == 0
    assert "identical to the live state: yes" in capsys.readouterr().out


def test_progress_is_silent_off_a_terminal_and_draws_when_forced() -> None:
    quiet = io.StringIO()
    bar = Progress("verify", 10, quiet)
    bar.advance(10)
    bar.finish()
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    bar = Progress("verify", 10, loud, force=True)
    bar.advance(10)
    bar.finish()
    assert "10/10" in loud.getvalue()


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    import subprocess
    import sys

    # `rehabcore … | head -1`: the reader closes the pipe before the command writes.
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehabcore.cli", "demo", "--store", "memory://", "--people", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err
