"""A throwaway PostgreSQL server for one benchmark run (initdb + pg_ctl, as ``postgres`` when root).

Like the test server it runs with ``fsync=off`` unless ``durable=True`` (``--pg-durable``): every side shares
the server, so the setting is the same for all, and without it a command cycle measures this disk's flush.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """Start with :meth:`start`, stop with :meth:`stop`; ``schema()`` makes a fresh, empty schema."""

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.root: Path | None = None
        self.port = 0
        self.version = ""
        self._bin: Path | None = None

    def start(self) -> None:
        """initdb and start on loopback; raises RuntimeError when no server can be started."""
        self._bin = _pg_bin()
        if self._bin is None:
            raise RuntimeError("no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH")
        self.root = Path(tempfile.mkdtemp(prefix="rehabcore-bench-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data, self.port = self.root / "data", _free_port()
        run: dict[str, Any] = {"check": True, "capture_output": True, "timeout": 120}
        subprocess.run(
            _as_postgres(
                [str(self._bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            **run,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        if not self.durable:
            # Same for every side; keeps the numbers about the software rather than this disk's flushes.
            options += " -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_postgres(
                [
                    str(self._bin / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(self.root / "log"),
                    "-w",
                    "start",
                ]
            ),
            **run,
        )
        out = subprocess.run([str(self._bin / "postgres"), "--version"], **run)
        self.version = out.stdout.decode().strip()

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self.root is None or self._bin is None:
            return
        subprocess.run(
            _as_postgres(
                [str(self._bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"]
            ),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    @property
    def conninfo(self) -> str:
        """libpq connection string of the server's ``postgres`` database."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def schema(self) -> str:
        """Create and return a new, empty schema."""
        import psycopg

        name = f"b_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return name

    def drop(self, name: str) -> None:
        """Drop a schema made by :meth:`schema`."""
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    def url(self, schema: str) -> str:
        """A rehabcore store URL whose connections use ``schema``."""
        return (
            f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?options=-csearch_path%3D{schema}"
        )

    def raw_conninfo(self, schema: str) -> str:
        """A libpq connection string whose connections use ``schema``."""
        return f"{self.conninfo} options=-csearch_path={schema}"

    def es_env(self, schema: str) -> dict[str, str]:
        """The peer's settings for ``schema`` (its default mode: no POSTGRES_ENABLE_DB_FUNCTIONS)."""
        return {
            "POSTGRES_DBNAME": "postgres",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_SCHEMA": schema,
        }
