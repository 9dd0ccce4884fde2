"""The demo's open activity (#18): Trivselhuset's visits are counted, in months, and nobody has a case."""

import datetime as dt

import rehabcore as rc
from rehabcore import demo_open
from rehabcore.audit.unit_timeline import unit_timeline
from rehabcore.i18n import using


def test_the_demo_counts_trivselhusets_visits_with_no_case_and_prints_the_months() -> None:
    store = rc.InMemoryStore()
    with using("en"):
        lines = list(demo_open.record(store, dt.date(2026, 8, 31)))
    assert lines[0] == "Open activity Trivselhuset (Lomma): 228 visits counted, no personal case"
    assert lines[1].startswith("  2021-02: 148 visits on 20 days") and "walks 28" in lines[1]
    assert lines[2].startswith("  2026-03: 80 visits on 10 days — on site 80")
    assert "premises given up 2022-01-01" in lines[3]
    # Only the unit's stream was written: no case, no person.
    assert {s.stream_id for s in store.read_all()} == {f"unit-{demo_open.TRIVSELHUSET}"}
    kinds = [i.kind for i in unit_timeline(store, demo_open.TRIVSELHUSET).items]
    assert kinds[0] == "UnitRegistered" and {"UnitOwnerChanged", "UnitMoved", "VisitsCounted"} <= set(kinds)
