"""The store contract, run against every store rehabcore ships: memory, a SQLite file and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from rehabcore import InMemoryStore, open_store
from rehabcore.testing.contract import StoreContract, StoreFactory


class TestInMemoryStore(StoreContract):
    @pytest.fixture
    def make_store(self) -> StoreFactory:
        return InMemoryStore


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> StoreFactory:
        counter = itertools.count()
        return lambda: open_store(f"sqlite:///{tmp_path / f'store-{next(counter)}.sqlite'}")


class TestPostgresStore(StoreContract):
    text_holds_nul = False

    @pytest.fixture
    def make_store(self, pg_schema_factory: Callable[[], str]) -> StoreFactory:
        return lambda: open_store(pg_schema_factory())
