"""Tenant-scoped reads (#16): Cases, Audit and the read models see only the tenant's cases, from when it acts.

On memory, SQLite and PostgreSQL: the social board sees its cases whole; Leanlink sees a case from the entry
that starts its placement and never the case it has no placement in; the labour-market board sees none.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

import rehabcore as rc
from rehabcore.audit import Audit
from rehabcore.errors import InvalidInput, UnknownCase
from rehabcore.projections.api import ReadModels
from rehabcore.projections.memory import MemoryProjectionStore
from rehabcore.projections.runner import Runner
from rehabcore.store import EventStore
from rehabcore.tenancy import TenantView, tenants_of
from tests.access import world as w

PLACED, NOT_PLACED, ELSEWHERE = w.an_id("case/placed"), w.an_id("case/not-placed"), w.an_id("case/elsewhere")


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[EventStore]:
    opened: EventStore = (
        rc.InMemoryStore()
        if request.param == "memory"
        else rc.open_store(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))
    )
    w.register_units(opened)
    for case_id in (PLACED, NOT_PLACED):
        w.decided_case(opened, case_id)
    w.cases(opened, w.LEANLINK).handle(w.placement(PLACED), actor=w.STAFF)
    w.cases(opened, w.LEANLINK).handle(w.follow_up(PLACED), actor=w.STAFF)
    # The municipality's own provider places a third case at its unit: Leanlink never sees it.
    w.decided_case(opened, ELSEWHERE, board=w.SOCIAL)
    yield opened
    opened.close()


def _cases_seen(view: EventStore) -> set[str]:
    return {s.stream_id for s in view.read_all() if s.stream_id.startswith("case-")}


def test_cases_opened_for_a_provider_see_only_the_cases_it_executes(store: EventStore) -> None:
    leanlink = w.cases(store, w.LEANLINK)
    assert leanlink.get(PLACED).case_id == PLACED
    seen = leanlink.history(PLACED)
    assert [type(r.event).__name__ for r in seen] == ["PlacementStarted", "FollowUpRecorded"]
    for hidden in (NOT_PLACED, ELSEWHERE):
        with pytest.raises(UnknownCase):
            leanlink.get(hidden)
        with pytest.raises(UnknownCase):
            leanlink.history(hidden)
    social = w.cases(store, w.SOCIAL)
    assert len(social.history(PLACED)) == 5 and social.get(NOT_PLACED).board_id == w.SOCIAL
    with pytest.raises(UnknownCase):
        w.cases(store, w.LABOUR).get(PLACED)


def test_audit_and_read_models_on_a_tenants_view_see_only_its_cases(store: EventStore) -> None:
    view = TenantView(store, w.LEANLINK)
    assert _cases_seen(view) == {rc.case_stream(PLACED)}
    assert all(w.LEANLINK in tenants_of(s.metadata) for s in view.read_all())
    record = Audit(view).record(PLACED)
    assert [type(e.event).__name__ for e in record.entries] == ["PlacementStarted", "FollowUpRecorded"]
    target = MemoryProjectionStore()
    Runner(view, target=target).catch_up()
    # The provider's read model holds the case from its placement on: its placement, not the case's opening.
    (summary,) = ReadModels(target).cases()
    assert summary.case.case_stream == rc.case_stream(PLACED) and summary.case.opened_on is None
    assert [p.unit_id for p in summary.placements] == [w.DV_1]
    social = MemoryProjectionStore()
    Runner(TenantView(store, w.SOCIAL), target=social).catch_up()
    assert {c.case.case_id for c in ReadModels(social).cases()} == {PLACED, NOT_PLACED, ELSEWHERE}
    assert _cases_seen(TenantView(store, w.LABOUR)) == set()


def test_a_tenants_view_is_for_reading(store: EventStore) -> None:
    with pytest.raises(InvalidInput, match="for reading"):
        TenantView(store, w.LEANLINK).append()
    assert TenantView(store, w.SOCIAL).head_position() == store.head_position()
    assert len(list(TenantView(store, w.SOCIAL).read_all(limit=2))) == 2


def test_a_store_without_an_organisation_is_read_whole() -> None:
    store = rc.InMemoryStore()
    plain = rc.Cases(store, tenant="kommun-2284", today=lambda: w.TODAY)
    plain.handle(w.open_case(uuid.uuid4(), board=None), actor=w.CASE_WORKER)
    assert _cases_seen(TenantView(store, "kommun-2284")) == set()  # names no tenant: shown to none
