"""The demo municipality: deterministic, rule-abiding, and its refocusing story keeps LSS continuity."""

import datetime as dt

import rehabcore as rc
from rehabcore import demo
from rehabcore.domain import fold_case


def _build(seed: int = 2284) -> demo.Municipality:
    return demo.build(rc.InMemoryStore(), seed=seed, people=200)


def test_demo_is_deterministic_from_its_seed() -> None:
    first, second = _build(), _build()
    assert list(demo.summary(first)) == list(demo.summary(second))
    assert first.cases.store.head_position() == second.cases.store.head_position() > 1500


def test_refocus_moves_every_lss_participant_without_a_gap() -> None:
    m = _build()
    assert m.transferred, "the story needs LSS participants at Bredbyn on the refocus date"
    bredbyn = m.cases.unit(m.units["bredbyn"])
    assert rc.domain.vocabulary.PlacementKind.DAILY_ACTIVITY not in bredbyn.offers_on(demo.REFOCUS)
    for case_id in m.transferred:
        state = m.cases.get(case_id)
        for day in (demo.REFOCUS - dt.timedelta(days=1), demo.REFOCUS):
            assert any(p.is_lss_daily_activity for p in state.active_placements(day))


def test_no_unit_is_ever_over_capacity() -> None:
    m = _build()
    day = demo.START
    while day <= demo.END:
        for unit_id in m.units.values():
            unit = m.cases.unit(unit_id)
            assert unit.occupied_on(day) <= unit.capacity_on(day)
        day += dt.timedelta(days=7)


def test_folding_the_stored_events_again_gives_the_live_state() -> None:
    m = _build()
    for case_id in m.people:
        replayed = fold_case(r.event for r in m.cases.history(case_id))  # type: ignore[misc]
        assert replayed == m.cases.get(case_id)


def test_demo_main_writes_a_sqlite_store_and_prints_a_history(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert demo.main(["--store", url, "--people", "60", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "People by status" in out and "History of case" in out
    assert "identical to the live state: yes" in out
    assert demo.main(["--store", url]) == 2  # refuses to record twice into the same store
