"""The command line as someone who installed the wheel meets it: ``--version``, ``python -m rehabcore``, the
store URL from the environment or a private file, a graceful stop of ``projections follow``, and hints that
fit a pip install."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.cli import main
from rehabcore.cli.common import EXIT_FOUND, EXIT_OK, EXIT_USAGE
from rehabcore.cli.store_url import DEFAULT_STORE, ENV_STORE, ENV_STORE_FILE, resolve
from rehabcore.projections import MemoryProjectionStore, Runner

SECRET = "s3cret-pw"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line speaks the locale's language; these tests read its English.
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def small_store(sqlite_url: str) -> str:
    store = rc.open_store(sqlite_url)
    demo.build(store, seed=7, people=12)
    store.close()
    return sqlite_url


def _head(url: str) -> int:
    store = rc.open_store(url)
    try:
        return store.head_position()
    finally:
        store.close()


def test_version_names_the_package_and_the_adapter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"rehabcore {rc.__version__}") and "rehabcore-sqlalchemy" in out


@pytest.mark.parametrize(
    ("args", "shown"), [(["--help"], "usage: rehabcore"), (["--version"], "rehabcore 0")]
)
def test_python_m_rehabcore_is_the_command_line(args: list[str], shown: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rehabcore", *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(shown)


def test_rehabcore_store_in_the_environment_is_used_when_no_option_is_given(
    small_store: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_STORE, small_store)
    assert main(["projections", "status"]) == EXIT_OK
    assert f"{_head(small_store):>12,}" in capsys.readouterr().out
    # --store still wins over the environment.
    missing = small_store.replace("events.sqlite", "other.sqlite")
    assert main(["projections", "status", "--store", missing]) == EXIT_USAGE
    assert "other.sqlite" in capsys.readouterr().err


def test_the_store_url_order_is_option_file_environment_default(tmp_path: Path) -> None:
    file = tmp_path / "store.url"
    file.write_text("# the case record\n\nsqlite:///from-file.sqlite\n")
    file.chmod(0o600)
    env = {ENV_STORE: "sqlite:///from-env.sqlite", ENV_STORE_FILE: str(file)}
    assert resolve("sqlite:///opt.sqlite", str(file), env) == "sqlite:///opt.sqlite"
    assert resolve(None, str(file), env) == "sqlite:///from-file.sqlite"
    assert resolve(None, None, env) == "sqlite:///from-env.sqlite"
    assert resolve(None, None, {ENV_STORE_FILE: str(file)}) == "sqlite:///from-file.sqlite"
    assert resolve(None, None, {}) == DEFAULT_STORE


def test_a_store_file_keeps_the_password_out_of_argv_and_must_be_private(
    small_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "store.url"
    file.write_text(small_store + "\n")
    file.chmod(0o600)
    assert main(["projections", "status", "--store-file", str(file)]) == EXIT_OK
    capsys.readouterr()
    file.write_text(f"postgresql+psycopg://rehab:{SECRET}@localhost/cases\n")
    file.chmod(0o644)
    assert main(["projections", "status", "--store-file", str(file)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "chmod 600" in err and SECRET not in err
    empty = tmp_path / "empty.url"
    empty.write_text("# nothing yet\n")
    empty.chmod(0o600)
    assert main(["projections", "status", "--store-file", str(empty)]) == EXIT_USAGE
    assert "first line" in capsys.readouterr().err


def test_a_missing_store_hint_fits_a_pip_install(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", f"sqlite:///{tmp_path / 'none.sqlite'}"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "make" not in err
    assert "--store" in err and ENV_STORE in err and "rehabcore demo" in err


def test_the_sqlite_adapter_hint_does_not_ask_for_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rehabcore.store.entry_points", lambda group: [])
    with pytest.raises(rc.AdapterNotInstalled) as sqlite:
        rc.open_store("sqlite:///cases.sqlite")
    assert "rehabcore[sqlite]" in str(sqlite.value) and "psycopg" not in str(sqlite.value)
    with pytest.raises(rc.AdapterNotInstalled) as postgres:
        rc.open_store(f"postgresql+psycopg://rehab:{SECRET}@db/cases")
    assert "rehabcore[postgresql]" in str(postgres.value) and SECRET not in str(postgres.value)


def test_a_missing_postgresql_driver_is_named_not_a_traceback() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from rehabcore.cli import main\n"
        f"raise SystemExit(main(['projections', 'status', '--store', 'postgresql+psycopg://rehab:{SECRET}@db/x']))"
    )
    env = {**os.environ, "LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == EXIT_USAGE
    assert "pip install 'rehabcore[postgresql]'" in done.stderr and "Traceback" not in done.stderr
    assert SECRET not in done.stderr


def test_importing_the_test_kit_without_its_extra_names_the_extra() -> None:
    code = "import sys; sys.modules['hypothesis'] = None; import rehabcore.testing"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError") and "pip install 'rehabcore[testing]'" in last


def test_verify_prints_no_head_digest_for_a_tampered_store(
    small_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--store", small_store]) == EXIT_OK
    assert "head digest now" in capsys.readouterr().out
    conn = sqlite3.connect(small_store.removeprefix("sqlite:///"))
    conn.execute("DELETE FROM rehabcore_events WHERE position = 5")
    conn.commit()
    conn.close()
    assert main(["verify", "--store", small_store]) == EXIT_FOUND
    out = capsys.readouterr().out
    assert "TAMPERING" in out and "head digest now" not in out


def test_the_demo_occupancy_header_lines_up_with_its_rows() -> None:
    m = demo.build(rc.InMemoryStore(), seed=7, people=12)
    lines = list(demo.summary(m))
    start = next(i for i, line in enumerate(lines) if line.startswith("Occupancy on"))
    header, rows = lines[start], lines[start + 1 : lines.index("", start)]
    assert rows
    for column in ("places", "occupied", "free"):
        right = header.index(column) + len(column)
        # Every row has a number ending exactly where the column's title ends.
        assert all(row[right - 1].isdigit() and (right == len(row) or row[right] == " ") for row in rows)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_stops_follow_with_a_summary_and_exit_0(small_store: str, sig: signal.Signals) -> None:
    env = {**os.environ, ENV_STORE: small_store, "LANGUAGE": "en"}
    follow = subprocess.Popen(
        [sys.executable, "-m", "rehabcore", "projections", "follow", "--poll", "0.05"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The first catch-up is done (so the handlers are in place) once no projection is behind.
        deadline = time.monotonic() + 60
        while True:
            assert follow.poll() is None, follow.communicate()
            store = rc.open_store(small_store)
            try:
                caught_up = all(s.behind == 0 and s.checkpoint > 0 for s in Runner(store).status())
            finally:
                store.close()
            if caught_up:
                break
            assert time.monotonic() < deadline, "follow never caught up"
            time.sleep(0.1)
        follow.send_signal(sig)
        out, err = follow.communicate(timeout=30)
    finally:
        if follow.poll() is None:
            follow.kill()
    assert follow.returncode == 0, err
    # "applied" counts what each projection applied: a case event feeds several read models.
    summary = re.fullmatch(
        rf"stopped by {sig.name}: applied ([\d,]+) events; the read models are at position ([\d,]+)",
        out.strip(),
    )
    assert summary is not None, out
    head = _head(small_store)
    assert int(summary[2].replace(",", "")) == head
    assert int(summary[1].replace(",", "")) >= head


def test_log_level_shows_rehabcore_s_records_with_their_fields_on_stderr(
    small_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    head = _head(small_store)
    assert (
        main(["--log-level", "DEBUG", "projections", "follow", "--max-seconds", "0", "--store", small_store])
        == 0
    )
    captured = capsys.readouterr()
    applied = int(captured.out.split()[1].replace(",", ""))  # "applied N events; …"
    lines = [line for line in captured.err.splitlines() if "rehabcore.projections: catch-up applied " in line]
    assert lines and sum(int(re.search(r" events=(\d+)", line)[1]) for line in lines) == applied
    assert f"position={head}" in lines[-1]
    assert "batch applied" in captured.err and "projection=cases" in captured.err
    # The handler is gone afterwards: a second command without --log-level logs nothing.
    assert main(["projections", "status", "--store", small_store]) == 0
    assert capsys.readouterr().err == ""


def test_follow_stops_between_batches_on_a_signal(small_store: str) -> None:
    # A stop asked for while a long catch-up runs takes effect after the batch in hand, not at its end.
    from rehabcore.cli.stopping import StopRequest, follow

    class OneBatchThenSignal:
        def __init__(self, runner: Runner, stop: StopRequest) -> None:
            self.runner, self.stop, self.calls = runner, stop, 0

        def catch_up(self, *, max_batches: int | None = None) -> int:
            self.calls += 1
            got = self.runner.catch_up(max_batches=max_batches)
            self.stop.set()  # SIGTERM arrives while this batch was applied
            return got

    store = rc.open_store(small_store)
    try:
        runner = Runner(store, MemoryProjectionStore(), batch_size=5)
        stop = StopRequest()
        probe = OneBatchThenSignal(runner, stop)
        applied = follow(probe, stop, lambda: False, poll=10.0)
        assert probe.calls == 1 and 0 < applied <= 5
        assert any(s.behind for s in runner.status())  # the rest waits for the next start
    finally:
        store.close()
