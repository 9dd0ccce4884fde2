"""Property: for random histories (with corrections, retractions, closings, extents and partial placements),
the B10 warning, the execution watch read model and IVO's quarterly report agree on every date (#11).

* the warning: ``review``'s B10 on the case as ``Cases.get`` reads it, on the day asked;
* the read model: ``ReadModels.execution_watch(on)``, from the execution projection;
* the report: every decision reportable on some day of a quarter is on that quarter's report, the report's
  state at the quarter's end is the watch's on the last day, and nothing else is on it (nothing is sent, so
  nothing is carried over).
"""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import event, given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain.context import Context
from rehabcore.domain.review import _unexecuted
from rehabcore.domain.rules import SWEDEN_DEFAULT
from rehabcore.domain.vocabulary import Quarter
from rehabcore.projections import ReadModels, Runner
from rehabcore.testing.strategies import BASE_DATE, case_scripts
from tests.projections.histories import Step, lifelike
from tests.projections.test_properties import _pools, _record

histories = st.tuples(*(lifelike(_pools(n)) for n in range(2)), case_scripts(_pools(2), max_size=10))
QUARTERS = [Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 2)]


@given(histories)
def test_the_warning_the_watch_and_the_report_agree_on_every_date(scripts: tuple[list[Step], ...]) -> None:
    store = _record(scripts)
    runner = Runner(store)
    runner.catch_up()
    models = ReadModels(runner.target)
    reader = rc.Cases(store)
    case_ids = sorted(
        {
            uuid.UUID(s.stream_id.removeprefix("case-"))
            for s in store.read_all()
            if s.stream_id.startswith("case-")
        }
    )
    states = [reader.get(c) for c in case_ids]
    for quarter in QUARTERS:
        report = models.ivo_report(quarter, "2284") if case_ids else None
        on_report = {r.decision_id: r for r in report.rows} if report else {}
        seen: set[uuid.UUID] = set()
        day = quarter.first_day
        while day <= quarter.last_day:
            ctx = Context(today=day, ruleset=SWEDEN_DEFAULT)
            warned = {w.refers_to for s in states for w in _unexecuted(s, ctx)}
            watched = {w.decision_id for w in models.execution_watch(day)}
            assert warned == watched, day
            seen |= watched
            day += dt.timedelta(days=1 if day.day in (1, 2) or day.month % 3 == 0 else 5)
        event("a decision reportable in the quarter", bool(seen))
        assert seen <= set(on_report), quarter
        at_end = {w.decision_id: w.state for w in models.execution_watch(quarter.last_day)}
        for decision_id, state in at_end.items():
            assert on_report[decision_id].state == state, (quarter, decision_id)
        for decision_id, line in on_report.items():
            # On the report only if reportable on some day of the quarter: check the days not sampled.
            if decision_id not in seen:
                assert any(
                    decision_id
                    in {
                        w.decision_id
                        for w in models.execution_watch(quarter.first_day + dt.timedelta(days=n))
                    }
                    for n in range((quarter.last_day - quarter.first_day).days + 1)
                ), (quarter, line)
    assert BASE_DATE.year == 2025
