"""PostgreSQL row-level security (#16): a non-superuser role bound to a tenant cannot select another's events.

The store is written by its owner (the session's superuser here, as an application's owner role would); a
login role without superuser or BYPASSRLS is bound to Leanlink and reads with raw SQL and through a store.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import orjson
import pytest
import sqlalchemy as sa

import rehabcore as rc
from rehabcore.audit import Audit
from rehabcore.errors import InvalidInput
from tests.access import world as w

PLACED, NOT_PLACED = w.an_id("case/placed"), w.an_id("case/not-placed")


@pytest.fixture
def owner(pg_url: str) -> Iterator[sa.Engine]:
    store = rc.open_store(pg_url)
    w.register_units(store)
    for case_id in (PLACED, NOT_PLACED):
        w.decided_case(store, case_id)
    w.cases(store, w.LEANLINK).handle(w.placement(PLACED), actor=w.STAFF)
    store.close()
    engine = sa.create_engine(pg_url, poolclass=sa.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def role(owner: sa.Engine) -> Iterator[str]:
    name = f"reader_{uuid.uuid4().hex[:12]}"
    with owner.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOBYPASSRLS")
    yield name
    with owner.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {name}")
        conn.exec_driver_sql(f"DROP ROLE {name}")


def _as(owner: sa.Engine, role: str) -> sa.Engine:
    return sa.create_engine(owner.url.set(username=role), poolclass=sa.NullPool)


def test_a_role_bound_to_a_provider_selects_only_its_events_even_with_raw_sql(
    owner: sa.Engine, role: str
) -> None:
    from rehabcore_sqlalchemy.tenancy import bind_role, enable_row_level_security

    enable_row_level_security(owner)
    enable_row_level_security(owner)  # idempotent
    bind_role(owner, role, w.LEANLINK)
    reader = _as(owner, role)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar_one() == role
            rows = conn.exec_driver_sql("SELECT stream_id, metadata FROM rehabcore_events").all()
            assert rows and all(w.LEANLINK in orjson.loads(m)["tenants"] for _, m in rows)
            streams = {s for s, _ in rows}
            assert rc.case_stream(PLACED) in streams and rc.case_stream(NOT_PLACED) not in streams
            hidden = conn.exec_driver_sql(
                "SELECT count(*) FROM rehabcore_events WHERE stream_id = %(s)s",
                {"s": rc.case_stream(NOT_PLACED)},
            ).scalar_one()
            assert hidden == 0
            # It may not rebind itself, nor write.
            for sql in (
                f"UPDATE rehabcore_tenant_role SET tenant = '{w.SOCIAL}'",
                "DELETE FROM rehabcore_events",
            ):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), conn.begin_nested():
                    conn.exec_driver_sql(sql)
        # Through a store opened as the role: Audit and the read models on it see only Leanlink's part.
        as_role = rc.open_store(reader.url.render_as_string(hide_password=False))
        try:
            assert {s.stream_id for s in as_role.read_all()} == streams
            assert [type(e.event).__name__ for e in Audit(as_role).record(PLACED).entries] == [
                "PlacementStarted"
            ]
        finally:
            as_role.close()
        with owner.connect() as conn:  # the owner still reads everything
            total = conn.exec_driver_sql("SELECT count(*) FROM rehabcore_events").scalar_one()
        assert total > len(rows)
    finally:
        reader.dispose()


def test_a_role_bound_to_no_tenant_sees_nothing_and_a_superuser_is_not_bound(
    owner: sa.Engine, role: str
) -> None:
    from rehabcore_sqlalchemy.tenancy import bind_role, enable_row_level_security

    enable_row_level_security(owner)
    bind_role(owner, role, w.LEANLINK)
    with owner.begin() as conn:
        conn.exec_driver_sql("DELETE FROM rehabcore_tenant_role")
    reader = _as(owner, role)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM rehabcore_events").scalar_one() == 0
    finally:
        reader.dispose()
    with pytest.raises(InvalidInput, match="superuser"):
        bind_role(owner, "postgres", w.LEANLINK)
    with pytest.raises(InvalidInput, match="identifier"):
        bind_role(owner, "x; DROP TABLE rehabcore_events", w.LEANLINK)
