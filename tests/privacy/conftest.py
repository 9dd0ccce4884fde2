"""Vaults on every back-end: memory, a SQLite file and the session's PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rehabcore import sealing
from rehabcore.identity import Vault, open_vault


@pytest.fixture(autouse=True)
def no_sealer_left_behind() -> Iterator[None]:
    """Each test installs its own sealer; the next test starts without one."""
    previous = sealing.use(None)
    yield
    sealing.use(previous)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def vault_url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def vault(vault_url: str) -> Iterator[Vault]:
    v = open_vault(vault_url)
    yield v
    v.close()
