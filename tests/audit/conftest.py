"""Audit fixtures: a small demo municipality recorded into a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo

PEOPLE = 10


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store recorded once per session; tests work on copies of it."""
    path = tmp_path_factory.mktemp("demo") / "template.sqlite"
    store = rc.open_store(f"sqlite:///{path}")
    try:
        demo.build(store, people=PEOPLE)
    finally:
        store.close()
    return path


@pytest.fixture
def demo_sqlite(demo_template: Path, tmp_path: Path) -> str:
    """The URL of this test's own copy of the demo store."""
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def demo_pg(pg_url: str) -> Iterator[str]:
    """The URL of a PostgreSQL schema holding the demo municipality."""
    store = rc.open_store(pg_url)
    try:
        demo.build(store, people=PEOPLE)
    finally:
        store.close()
    yield pg_url
