"""Schema under the operator's control: create=False, db status / upgrade [--sql], the host's Alembic."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import sqlalchemy as sa
from rehabcore_sqlalchemy import SCHEMA_VERSION, SqlEventStore, include_object, metadata

import rehabcore as rc
from rehabcore import StoreError
from rehabcore.cli import main
from rehabcore.projections import projection_store_for

from .helpers import ACTOR, app_metadata, cases_on, open_case

BACKENDS = ["sqlite_url", "pg_url"]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


def _tables(url: str) -> set[str]:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return set()
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_create_false_on_an_empty_database_is_a_clear_error_and_creates_nothing(url: str) -> None:
    with pytest.raises(StoreError, match="rehabcore db upgrade"):
        rc.open_store(url, create=False)
    assert _tables(url) == set()
    if url.startswith("sqlite"):
        assert not Path(url.removeprefix("sqlite:///")).exists()  # not even an empty file


def test_create_false_refuses_an_older_schema_and_opens_a_current_one(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    from rehabcore_sqlalchemy.schema import upgrade

    with engine.begin() as conn:
        upgrade(conn, target=2)
    engine.dispose()
    with pytest.raises(StoreError, match=f"version 2, this adapter needs {SCHEMA_VERSION}"):
        rc.open_store(url, create=False)
    assert "rehabcore_handler_checkpoint" not in _tables(url)
    code, _ = _cli("db", "upgrade", "--store", url)
    assert code == 0
    store = rc.open_store(url, create=False)
    cases_on(store).handle(open_case(), actor=ACTOR)
    store.close()


def test_db_status_and_upgrade_sql_change_nothing_then_upgrade_applies(url: str) -> None:
    code, out = _cli("db", "status", "--store", url)
    assert code == 1
    assert f"schema version: 0 (this rehabcore: {SCHEMA_VERSION})" in out
    assert "pending upgrades: 1, 2, 3, 4" in out
    code, sql = _cli("db", "upgrade", "--sql", "--store", url)
    assert code == 0
    assert "CREATE TABLE rehabcore_events" in sql and f"SET version={SCHEMA_VERSION};" in sql
    assert _tables(url) == set()  # printed, not run
    code, out = _cli("db", "upgrade", "--store", url)
    assert (code, out.strip()) == (0, f"schema version 0 -> {SCHEMA_VERSION}")
    assert {"rehabcore_events", "rehabcore_schema_version", "rehabcore_handler_checkpoint"} <= _tables(url)
    code, out = _cli("db", "status", "--store", url)
    assert code == 0 and "pending upgrades: none" in out
    code, sql = _cli("db", "upgrade", "--sql", "--store", url)
    assert sql.strip() == "-- the schema is current: nothing to do"


def test_the_printed_sql_builds_the_schema_the_store_accepts(url: str) -> None:
    """What a DBA reviews is what runs: apply the printed SQL by hand, then open with create=False."""
    _, sql = _cli("db", "upgrade", "--sql", "--store", url)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for statement in sql.split(";\n"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    store = rc.open_store(url, create=False)
    assert isinstance(store, SqlEventStore)
    cases_on(store).handle(open_case(), actor=ACTOR)
    store.close()


def test_db_on_a_memory_store_is_a_usage_error() -> None:
    code, _ = _cli("db", "status", "--store", "memory://")
    assert code == 2


def test_exported_metadata_holds_the_event_store_tables() -> None:
    assert {"rehabcore_events", "rehabcore_schema_version", "rehabcore_handler_checkpoint"} <= set(
        metadata.tables
    )


ENV_MARK = "# migrations/env.py"


def _env_py() -> str:
    """The ``migrations/env.py`` that docs/embedding.md tells a host to write, as written there."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "embedding.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.DOTALL)
    [block] = [b for b in blocks if b.startswith(ENV_MARK)]
    return str(block)


HOST_MODELS = """
import sqlalchemy as sa

app_metadata = sa.MetaData()
sa.Table("app_requests", app_metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("case_id", sa.String(36), nullable=False))
sa.Table("app_new", app_metadata, sa.Column("id", sa.Integer, primary_key=True))
"""


def _autogenerate(tmp_path: Path, url: str, *, filtered: bool, name: str) -> str:
    from alembic import command
    from alembic.config import Config

    project = tmp_path / name
    project.mkdir()
    (project / "host_models.py").write_text(HOST_MODELS)
    config = Config(str(project / "alembic.ini"))
    config.set_main_option("script_location", str(project / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.init(config, str(project / "migrations"))
    env = _env_py()
    assert "include_object=include_object," in env
    if not filtered:
        env = env.replace("include_object=include_object,", "include_object=None,")
    (project / "migrations" / "env.py").write_text(env)
    import sys

    sys.path.insert(0, str(project))
    try:
        command.revision(config, message="host change", autogenerate=True, rev_id=name)
    finally:
        sys.path.remove(str(project))
        sys.modules.pop("host_models", None)
    [script] = (project / "migrations" / "versions").glob("*.py")
    return script.read_text()


def test_host_alembic_autogenerate_leaves_rehabcore_tables_alone(tmp_path: Path, url: str) -> None:
    store = rc.open_store(url)
    cases_on(store).handle(open_case(), actor=ACTOR)
    projection_store_for(store).close()  # the read-model tables exist too
    app_metadata.create_all(store.engine)  # the host's own table, already migrated
    store.close()
    unfiltered = _autogenerate(tmp_path, url, filtered=False, name="a")
    assert "op.drop_table('rehabcore_events')" in unfiltered  # the danger the filter exists for
    filtered = _autogenerate(tmp_path, url, filtered=True, name="b")
    assert "rehabcore" not in filtered
    assert "op.create_table('app_new'" in filtered  # the host's own change is still proposed
    assert include_object(None, "rehabcore_rm_case", "table", True, None) is False
