"""The demo's refocusing story (S1): when Bredbyn stops taking daily activity on 2025-10-01, the occupancy
and execution-watch read models show every LSS participant placed, day after day, without a gap."""

from __future__ import annotations

import datetime as dt

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.projections import ReadModels, Runner
from tests.projections import oracle

DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def built() -> tuple[demo.Municipality, ReadModels]:
    store = rc.InMemoryStore()
    m = demo.build(store, seed=2284, people=200)
    runner = Runner(store, batch_size=97)
    runner.catch_up()
    return m, ReadModels(runner.target)


def test_every_lss_participant_at_bredbyn_is_placed_every_day_across_the_refocus(
    built: tuple[demo.Municipality, ReadModels],
) -> None:
    m, models = built
    eve = demo.REFOCUS - DAY
    at_bredbyn = {
        r.case_id
        for r in models.placed(eve)
        if r.unit == "Återbruket Bredbyn" and r.kind == "daily_activity" and r.basis_kind == "lss_decision"
    }
    assert at_bredbyn, "the story needs LSS participants at Bredbyn on the eve of the refocus"
    assert at_bredbyn == set(m.transferred)
    day = eve - 14 * DAY
    while day <= demo.REFOCUS + 60 * DAY:
        lss = [r for r in models.placed(day) if r.kind == "daily_activity" and r.basis_kind == "lss_decision"]
        assert at_bredbyn <= {r.case_id for r in lss}, f"someone without a daily-activity place on {day}"
        # Even with a one-day threshold the watch shows nobody, except people off sick (their place held).
        sick = {r.case_id for r in lss if r.interrupted}
        watched = {r.case_id for r in models.execution_watch(day, threshold_days=1)}
        assert at_bredbyn & watched <= sick, f"an LSS decision without execution on {day}"
        assert not at_bredbyn & {r.case_id for r in models.execution_watch(day)}
        day += DAY
    after = {r.case_id: r.unit for r in models.placed(demo.REFOCUS) if r.case_id in at_bredbyn}
    assert set(after.values()) == {"Solrosen daglig verksamhet"}


def test_occupancy_follows_the_refocus(built: tuple[demo.Municipality, ReadModels]) -> None:
    m, models = built
    before = {r.unit: r for r in models.occupancy(demo.REFOCUS - DAY)}
    on = {r.unit: r for r in models.occupancy(demo.REFOCUS)}
    moved = len(m.transferred)
    assert on["Återbruket Bredbyn"].kind == "work_rehabilitation"
    assert not any(
        r.unit == "Återbruket Bredbyn" and r.kind == "daily_activity" for r in models.placed(demo.REFOCUS)
    )
    # Solrosen grew first (new places before anyone moves), and took everyone who moved.
    assert before["Solrosen daglig verksamhet"].places == on["Solrosen daglig verksamhet"].places == 34
    solrosen_gain = on["Solrosen daglig verksamhet"].occupied - before["Solrosen daglig verksamhet"].occupied
    assert solrosen_gain >= moved
    for row in on.values():
        assert row.occupied <= row.places and row.free == row.places - row.occupied
    # The same figures as the units' own fold.
    for key, unit_id in m.units.items():
        unit = m.cases.unit(unit_id)
        for day in (demo.REFOCUS - DAY, demo.REFOCUS, demo.END):
            row = next(r for r in models.occupancy(day) if r.unit_id == unit_id)
            assert (row.places, row.occupied, row.free) == (
                unit.capacity_on(day),
                unit.occupied_on(day),
                unit.free_on(day),
            ), key


def test_the_demo_read_models_equal_the_direct_computation(
    built: tuple[demo.Municipality, ReadModels],
) -> None:
    m, models = built
    dates = [demo.START + dt.timedelta(days=n) for n in range(0, 730, 61)] + [
        demo.REFOCUS - DAY,
        demo.REFOCUS,
    ]
    assert oracle.from_models(models, dates) == oracle.snapshot(m.cases.store, dates, rc.RuleParameters())
