"""Seed 002's joint follow-up (#16): housing support as a service, who took part, and a read model of people
with housing support and whether they also have a day activity, by provider."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.projections.coordination import by_provider, housing_support_and_day_activity
from tests.access import world as w

HS_LEANLINK, HS_OWN = w.an_id("unit/hs-leanlink"), w.an_id("unit/hs-own")
ORGANISATION = attrs.evolve(
    w.ORGANISATION,
    providers=(
        attrs.evolve(w.ORGANISATION.providers[0], units=(w.DV_1, w.DV_2, HS_LEANLINK)),
        attrs.evolve(w.ORGANISATION.providers[1], units=(w.WORK, HS_OWN)),
        *w.ORGANISATION.providers[2:],
    ),
)
ON = dt.date(2026, 3, 20)


def _unit(unit_id: uuid.UUID, kind: v.UnitKind, offers: v.PlacementKind) -> cmd.RegisterUnit:
    return cmd.RegisterUnit(
        unit_id=unit_id,
        registered_on=w.OPENED,
        name="Enhet",
        kind=kind,
        jurisdiction=v.Jurisdiction.SE,
        capacity=5,
        offers=(offers,),
    )


def _housing_support(cases: rc.Cases, case_id: uuid.UUID, unit_id: uuid.UUID) -> None:
    decision_id = uuid.uuid5(case_id, "housing-support")
    cases.handle(
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=decision_id,
            decided_on=dt.date(2026, 2, 3),
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.SOL_ASSISTANCE_2025,
            service=v.ServiceKind.HOUSING_SUPPORT,
            valid_from=dt.date(2026, 2, 3),
        ),
        actor=w.CASE_WORKER,
    )
    cases.handle(
        cmd.StartPlacement(
            case_id=case_id,
            placement_id=uuid.uuid5(case_id, "hs-placement"),
            unit_id=unit_id,
            kind=v.PlacementKind.HOUSING_SUPPORT,
            basis=v.Basis.sol(decision_id),
            start_on=dt.date(2026, 2, 10),
            hours_per_week=4,
        ),
        actor=w.CASE_WORKER,
    )


def test_people_with_housing_support_and_whether_they_have_a_day_activity_by_provider() -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: w.TODAY)
    for unit_id, kind, offers in (
        (HS_LEANLINK, v.UnitKind.HOUSING_SUPPORT, v.PlacementKind.HOUSING_SUPPORT),
        (HS_OWN, v.UnitKind.HOUSING_SUPPORT, v.PlacementKind.HOUSING_SUPPORT),
        (w.DV_1, v.UnitKind.LSS_DAILY_ACTIVITY, v.PlacementKind.DAILY_ACTIVITY),
    ):
        cases.handle(_unit(unit_id, kind, offers), actor=w.MANAGER)
    both, only = w.an_id("case/both"), w.an_id("case/only")
    for case_id in (both, only):
        for command in (w.open_case(case_id, board=None), w.application(case_id), w.lss_decision(case_id)):
            cases.handle(command, actor=w.LSS_OFFICER)
    _housing_support(cases, both, HS_LEANLINK)
    cases.handle(w.placement(both), actor=w.CASE_WORKER)  # daily activity at Leanlink's DV 1
    _housing_support(cases, only, HS_OWN)
    rows = housing_support_and_day_activity(store, ON, ORGANISATION)
    assert {(r.case_id, r.housing_provider, r.day_activity_providers) for r in rows} == {
        (both, w.LEANLINK, (w.LEANLINK,)),
        (only, w.OWN, ()),
    }
    assert by_provider(rows) == {w.LEANLINK: (1, 0), w.OWN: (0, 1)}
    assert housing_support_and_day_activity(store, dt.date(2026, 2, 9), ORGANISATION) == []
    # A follow-up says who took part, housing support among them.
    done = cases.handle(
        attrs.evolve(
            w.follow_up(both),
            took_part=(
                v.DialogueParty.PERSON,
                v.DialogueParty.UNIT_STAFF,
                v.DialogueParty.HOUSING_SUPPORT,
                v.DialogueParty.RELATIVE,
            ),
        ),
        actor=w.CASE_WORKER,
    )
    (recorded,) = done.events
    assert isinstance(recorded, ev.FollowUpRecorded) and v.DialogueParty.HOUSING_SUPPORT in (
        recorded.took_part or ()
    )
    assert rc.Cases(store).history(both)[-1].event == recorded  # through the codec and back
