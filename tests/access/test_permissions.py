"""Roles, delegation and tenancy (#16): who may record what, in which case, at which unit."""

from __future__ import annotations

import datetime as dt

import attrs
import orjson
import pytest

import rehabcore as rc
from rehabcore.audit import Audit
from rehabcore.audit.replay import replay
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.organisation import Contract, Provider, ProviderKind
from rehabcore.domain.permissions import (
    AccessPolicy,
    ExecutionOnly,
    NotDelegated,
    NotPermitted,
    OutsideTenancy,
    RoleGrant,
)
from rehabcore.errors import InvalidInput
from tests.access import world as w

CASE, OTHER = w.an_id("case/1"), w.an_id("case/2")


@pytest.fixture
def store() -> rc.InMemoryStore:
    store = rc.InMemoryStore()
    w.register_units(store)
    w.decided_case(store, CASE)
    return store


def test_a_providers_staff_start_end_and_follow_up_placements_at_its_own_units(
    store: rc.InMemoryStore,
) -> None:
    leanlink = w.cases(store, w.LEANLINK)
    leanlink.handle(w.placement(CASE), actor=w.STAFF)
    leanlink.handle(w.follow_up(CASE), actor=w.STAFF)
    leanlink.handle(
        cmd.EndPlacement(
            case_id=CASE,
            placement_id=w.placement(CASE).placement_id,
            end_on=dt.date(2026, 3, 20),
            reason=v.EndReason.OWN_CHOICE,
            ground=v.ContinuityGround.OWN_WISH,
            citizen_words="Vill prova något annat",
        ),
        actor=w.STAFF,
    )
    assert not w.cases(store, w.SOCIAL).get(CASE).open_placements()


@pytest.mark.parametrize(
    ("role", "error", "says"),
    [
        (v.Role.UNIT_STAFF, NotPermitted, "missing permission: MakeDecision for unit_staff"),
        (v.Role.CASE_WORKER, NotDelegated, "no delegation to decide lss_daily_activity under LSS 9 § 10"),
    ],
)
def test_a_decision_by_a_role_without_the_permission_or_delegation_is_refused_and_nothing_written(
    role: v.Role, error: type[Exception], says: str
) -> None:
    store = rc.InMemoryStore()
    office = w.cases(store, w.SOCIAL)
    office.handle(w.open_case(CASE), actor=w.CASE_WORKER)
    office.handle(w.application(CASE), actor=w.CASE_WORKER)
    before = len(list(store.read_all()))
    with pytest.raises(error, match=says) as raised:
        office.handle(w.lss_decision(CASE), actor=rc.Actor(id="x-1", role=role))
    assert raised.value.rule_id in ("A1", "A2")  # type: ignore[attr-defined]
    assert len(list(store.read_all())) == before


def test_a_providers_staff_never_decide_even_with_a_role_that_may(store: rc.InMemoryStore) -> None:
    w.cases(store, w.SOCIAL).handle(w.open_case(OTHER), actor=w.CASE_WORKER)
    w.cases(store, w.SOCIAL).handle(w.application(OTHER), actor=w.LSS_OFFICER)
    before = len(list(store.read_all()))
    with pytest.raises(ExecutionOnly, match="records execution only") as raised:
        w.cases(store, w.LEANLINK).handle(w.lss_decision(OTHER), actor=w.LSS_OFFICER)
    assert raised.value.rule_id == "A4"
    assert len(list(store.read_all())) == before


def test_a_provider_cannot_act_at_another_providers_unit_nor_in_a_case_it_does_not_execute(
    store: rc.InMemoryStore,
) -> None:
    before = len(list(store.read_all()))
    with pytest.raises(OutsideTenancy, match="not one of provider annan-utforare's units"):
        w.cases(store, w.ENDED).handle(w.placement(CASE, w.DV_1), actor=w.STAFF)
    with pytest.raises(OutsideTenancy, match="executes no placement in this case"):
        w.cases(store, w.LEANLINK).handle(w.follow_up(CASE), actor=w.STAFF)
    with pytest.raises(OutsideTenancy, match="contract does not cover 2026-02-16"):
        w.cases(store, w.ENDED).handle(w.placement(CASE, w.ENDED_UNIT), actor=w.STAFF)
    assert len(list(store.read_all())) == before


def test_a_board_records_only_in_its_own_cases(store: rc.InMemoryStore) -> None:
    with pytest.raises(OutsideTenancy, match="another board's"):
        w.cases(store, w.LABOUR).handle(w.follow_up(CASE), actor=w.CASE_WORKER)
    with pytest.raises(OutsideTenancy, match="OpenCase names it in board_id"):
        w.cases(store, w.LABOUR).handle(w.open_case(OTHER, board=None), actor=w.CASE_WORKER)
    with pytest.raises(OutsideTenancy, match="neither"):
        w.cases(store, None).handle(w.follow_up(CASE), actor=w.CASE_WORKER)


def test_every_entry_names_its_board_and_for_execution_its_provider(store: rc.InMemoryStore) -> None:
    w.cases(store, w.LEANLINK).handle(w.placement(CASE), actor=w.STAFF)
    metas = [orjson.loads(s.metadata) for s in store.read_stream(rc.case_stream(CASE))]
    assert [m["tenants"] for m in metas] == [
        [w.SOCIAL],
        [w.SOCIAL],
        [w.SOCIAL],
        [w.SOCIAL, w.LEANLINK],
    ]
    assert metas[-1]["tenant"] == w.LEANLINK and metas[0]["tenant"] == w.SOCIAL


def test_replay_checks_permission_again_under_the_recorded_ruleset(store: rc.InMemoryStore) -> None:
    w.cases(store, w.LEANLINK).handle(w.placement(CASE), actor=w.STAFF)
    record = Audit(store).record(CASE)
    assert all(step.redecided == "same" for step in replay(record, rulesets=[w.RULESET]).steps)
    # Under a version of the ruleset where unit staff may record nothing, the placement is refused again.
    strict = attrs.evolve(
        w.RULESET,
        access=attrs.evolve(
            w.POLICY, grants=(*w.POLICY.grants[:2], RoleGrant(role=v.Role.UNIT_STAFF, commands=()))
        ),
    )
    steps = replay(record, rulesets=[strict]).steps
    assert [s.redecided for s in steps][-1] == "rejected"
    assert "[A1]" in steps[-1].divergences[0].detail


def test_the_tables_refuse_what_is_not_there() -> None:
    with pytest.raises(InvalidInput, match="names no command: MakeDecisions"):
        RoleGrant(role=v.Role.MANAGER, commands=("MakeDecisions",))
    with pytest.raises(InvalidInput, match="under a contract"):
        Provider(provider_id="p", name="P", kind=ProviderKind.CONTRACTED, units=())
    with pytest.raises(InvalidInput, match="before the contract's start"):
        Contract(start=dt.date(2026, 1, 1), ends_on=dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match="one provider only"):
        attrs.evolve(
            w.ORGANISATION,
            providers=(
                *w.ORGANISATION.providers,
                attrs.evolve(w.ORGANISATION.providers[1], provider_id="p2"),
            ),
        )
    assert Contract(start=dt.date(2026, 1, 1)).until_further_notice
    assert AccessPolicy().may_decide(
        v.Role.UNIT_STAFF, v.ServiceKind.LSS_DAILY_ACTIVITY, v.LegalBases.LSS_DAILY_ACTIVITY
    )
