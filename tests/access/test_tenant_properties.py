"""Hypothesis (#16): in random histories with several tenants, a tenant's view holds only its cases.

Cases of two boards; placements started and ended at units of three providers, follow-ups by boards and
providers, in random order (refused commands are part of the history: nothing of them is written). Then every
read through each tenant's view is checked against what the cases say independently: a board sees its cases
whole, a provider only cases it executes a placement in, and nothing from before its first placement there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.errors import RuleViolation
from rehabcore.streams import decode
from rehabcore.tenancy import TenantView
from tests.access import world as w

CASES = tuple(w.an_id(f"case/p{n}") for n in range(3))
UNITS = (w.DV_1, w.DV_2, w.WORK)
BOARDS = (w.SOCIAL, w.LABOUR)


def _start(case: uuid.UUID, unit: uuid.UUID, day: int) -> tuple[str, cmd.Command]:
    provider = w.ORGANISATION.provider_of(unit)
    assert provider is not None
    return provider.provider_id, w.placement(case, unit, dt.date(2026, 2, 10) + dt.timedelta(days=day))


def _end(case: uuid.UUID, unit: uuid.UUID, day: int) -> tuple[str, cmd.Command]:
    provider = w.ORGANISATION.provider_of(unit)
    assert provider is not None
    return provider.provider_id, cmd.EndPlacement(
        case_id=case,
        placement_id=w.placement(case, unit).placement_id,
        end_on=dt.date(2026, 2, 20) + dt.timedelta(days=day),
        reason=v.EndReason.OWN_CHOICE,
        ground=v.ContinuityGround.OWN_WISH,
        citizen_words="Vill byta",
    )


def _follow_up(case: uuid.UUID, tenant: str, day: int) -> tuple[str, cmd.Command]:
    return tenant, w.follow_up(case, dt.date(2026, 3, 1) + dt.timedelta(days=day))


steps = st.one_of(
    st.builds(_start, st.sampled_from(CASES), st.sampled_from(UNITS), st.integers(0, 9)),
    st.builds(_end, st.sampled_from(CASES), st.sampled_from(UNITS), st.integers(0, 9)),
    st.builds(
        _follow_up, st.sampled_from(CASES), st.sampled_from((*BOARDS, w.LEANLINK, w.OWN)), st.integers(0, 20)
    ),
)


@given(boards=st.tuples(*(st.sampled_from(BOARDS) for _ in CASES)), history=st.lists(steps, max_size=12))
def test_every_read_through_a_tenants_view_holds_only_its_cases(
    boards: tuple[str, ...], history: list[tuple[str, cmd.Command]]
) -> None:
    store = rc.InMemoryStore()
    w.register_units(store)
    w.cases(store, w.OWN).handle(
        cmd.RegisterUnit(
            unit_id=w.WORK,
            registered_on=w.OPENED,
            name="AME",
            kind=v.UnitKind.LSS_DAILY_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=5,
            offers=(v.PlacementKind.DAILY_ACTIVITY,),
        ),
        actor=w.MANAGER,
    )
    for case, board in zip(CASES, boards, strict=True):
        w.decided_case(store, case, board)
    for tenant, command in history:
        actor = w.STAFF if tenant not in BOARDS else w.CASE_WORKER
        with contextlib.suppress(RuleViolation):  # a refused command is part of the history: nothing written
            w.cases(store, tenant).handle(command, actor=actor)
    everything = list(store.read_all())
    for tenant in w.ORGANISATION.tenants():
        view = TenantView(store, tenant)
        shown = list(view.read_all())
        cases_shown = {s.stream_id for s in shown if s.stream_id.startswith("case-")}
        org = w.ORGANISATION
        if org.board(tenant) is not None:
            mine = {rc.case_stream(c) for c, b in zip(CASES, boards, strict=True) if b == tenant}
            assert cases_shown == mine
            assert [s for s in everything if s.stream_id in mine] == [s for s in shown if s.stream_id in mine]
            continue
        provider = org.provider(tenant)
        assert provider is not None
        for case in CASES:
            stream = rc.case_stream(case)
            state = w.cases(store, boards[CASES.index(case)]).get(case)
            executes = any(p.unit_id in provider.units for p in state.placements.values())
            assert (stream in cases_shown) == executes
            if executes:
                first = min(
                    s.version
                    for s in everything
                    if s.stream_id == stream and s.type == "rehab.PlacementStarted" and _at(s, provider.units)
                )
                assert min(s.version for s in shown if s.stream_id == stream) == first
                assert view.read_stream(stream) == [s for s in shown if s.stream_id == stream]


def _at(stored: rc.StoredEvent, units: tuple[uuid.UUID, ...]) -> bool:
    return getattr(decode(stored), "unit_id", None) in units
