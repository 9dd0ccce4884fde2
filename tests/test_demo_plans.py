"""The demo's plans (#18): recorded in any store, the lines it prints say what the rules did."""

import rehabcore as rc
from rehabcore import demo_plans
from rehabcore.domain import events as ev


def test_the_plans_vignette_records_offers_plans_reviews_and_shows_b14_and_v1() -> None:
    store = rc.InMemoryStore()
    lines = list(demo_plans.record(store))
    assert any("[V1]" in line for line in lines)
    assert any("was to be followed up on 2026-05-01" in line for line in lines)
    assert any("reviewed at least once a year" in line for line in lines)
    case = rc.Cases(store).get(demo_plans.CASE)
    assert {p.plan_kind for p in case.plans} == {
        rc.domain.vocabulary.PlanKind.LSS_INDIVIDUAL_PLAN,
        rc.domain.vocabulary.PlanKind.IMPLEMENTATION_PLAN,
    }
    unit_plan = next(p for p in case.plans if p.placement_id == demo_plans.PLACEMENT)
    assert unit_plan.unit_id == demo_plans.UNIT and unit_plan.activities and len(unit_plan.activities) == 3
    assert len(case.plan_reviews) == 1 and case.plan_offers
    assert all(f.disagreement for f in case.follow_ups)
    assert list(demo_plans.danish(store)) == [
        "A Danish case assessed in three VUM 2.0 themes and offered a § 141 handleplan"
    ]
    danish = [s.type for s in store.read_stream(rc.case_stream(demo_plans.DK_CASE))]
    assert any(t.endswith("PlanOffered") for t in danish)
    assert isinstance(case.plans[0], ev.PlanEstablished)
