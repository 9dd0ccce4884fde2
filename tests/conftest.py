"""Session fixtures: a real PostgreSQL server for the store tests, and the hypothesis profiles.

The server is started once per session with initdb + pg_ctl in a temporary directory, on loopback and a
free port (as user ``postgres`` when the tests run as root), unless ``REHABCORE_TEST_POSTGRES_URL``
names one. Every test gets its own schema, so no test sees another's rows. With ``CI=true`` a missing
server is a failure, not a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Both profiles start from Hypothesis's defaults, not from whatever profile happens to be loaded now.
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    derandomize=True,
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    parent=settings.get_profile("default"),
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _pin_hypothesis_constants(*packages: str) -> None:
    """Hypothesis mixes the literals of the local modules imported so far into what it draws (its "local
    constants", grown whenever ``sys.modules`` grows), so a module one test imported late (a tool, an
    example, a lazily imported part of the library) changed every later derandomized draw: the rule
    machine's coverage then hung on which tests ran first. The pool is pinned to the numbers of every module
    of the library, whatever the tests import and in which order (read on first use: hypothesis asks not to
    read its cache while conftest loads)."""
    import contextlib
    import importlib
    import pkgutil
    import types

    modules: list[types.ModuleType] = []
    for name in packages:
        modules.append(importlib.import_module(name))
        for info in pkgutil.walk_packages(modules[-1].__path__, f"{name}."):
            if info.name.rsplit(".", 1)[-1] == "__main__":
                continue
            # An optional extra that is not installed: nothing of it is drawn either.
            with contextlib.suppress(ImportError):
                modules.append(importlib.import_module(info.name))
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - hypothesis moved its internals: draws are order-dependent again
        return
    make = getattr(providers, "Constants", None)
    read = getattr(providers, "constants_from_module", None)
    if not (callable(make) and callable(read) and callable(getattr(providers, "_get_local_constants", None))):
        return  # pragma: no cover - as above
    pinned: list[Any] = []

    def library_constants() -> Any:
        if not pinned:
            pool = make()
            for module in modules:
                pool |= read(module)
            # Numbers only: a set of strings iterates in the order of the process's hash seed (so the draw
            # changed from run to run), and a log message of the library drawn as a person's words is no leak.
            pinned.append(make(integers=pool.integers, floats=pool.floats))
        return pinned[0]

    providers._get_local_constants = library_constants


_pin_hypothesis_constants("rehabcore", "rehabcore_sqlalchemy")

IN_CI = os.environ.get("CI") == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the distribution's postgres user runs it instead.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A ``postgresql+psycopg://`` URL of a database on a real server, for the whole session."""
    given = os.environ.get("REHABCORE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    pg_bin = _pg_bin()
    if pg_bin is None:
        _unavailable("no initdb/pg_ctl found under /usr/lib/postgresql/*/bin or on PATH")
        return
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="rehabcore-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    run: dict[str, Any] = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(
            _as_postgres(
                [str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            **run,
        )
        # The server's own durability is not under test (the fault tests kill clients, not the server).
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_postgres(
                [
                    str(pg_bin / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(root / "log"),
                    "-w",
                    "start",
                ]
            ),
            **run,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"could not start a server: {exc}")
        return
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_schema_factory(postgres_url: str) -> Iterator[Callable[[], str]]:
    """Make URLs that each point at a new, empty schema; the schemas are dropped after the test."""
    import sqlalchemy as sa

    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    made: list[str] = []

    def make() -> str:
        name = f"t_{uuid.uuid4().hex}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
        made.append(name)
        sep = "&" if "?" in postgres_url else "?"
        return f"{postgres_url}{sep}options=-csearch_path%3D{name}"

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    admin.dispose()


@pytest.fixture
def pg_url(pg_schema_factory: Callable[[], str]) -> str:
    """A URL of one fresh, empty schema on the session's PostgreSQL server."""
    return pg_schema_factory()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of a new SQLite file in this test's temporary directory."""
    return f"sqlite:///{tmp_path / 'events.sqlite'}"
