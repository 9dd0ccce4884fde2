"""A throwaway PostgreSQL server of the test's own, for tests that restart it (the session's stays up)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import _as_postgres, _free_port, _pg_bin, _unavailable


class Server:
    """One server in a temporary directory: its URL, and restart()."""

    def __init__(self, pg_bin: Path, root: Path) -> None:
        self.pg_bin, self.root, self.port = pg_bin, root, _free_port()
        self.data = root / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        command = [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l"]
        subprocess.run(
            _as_postgres([*command, str(self.root / "log"), "-w", *args]),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        run: dict[str, Any] = {"check": True, "capture_output": True, "timeout": 120}
        initdb = [str(self.pg_bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(_as_postgres(initdb), **run)
        self._ctl("start")

    def restart(self) -> None:
        """Stop (fast: every client connection is cut) and start again on the same port."""
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
            timeout=120,
        )


@pytest.fixture
def own_postgres() -> Iterator[Server]:
    """A PostgreSQL server for this test alone."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        _unavailable("no initdb/pg_ctl found")
        return
    root = Path(tempfile.mkdtemp(prefix="rehabcore-pg-own-"))
    if _as_postgres([]):  # running as root: the server runs as postgres and must own its directory
        shutil.chown(root, "postgres", "postgres")
    server = Server(pg_bin, root)
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"could not start a server: {exc}")
        return
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
