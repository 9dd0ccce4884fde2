"""Replay folds once and steps forward (#14): every step's state before and after is the state the whole
effective history up to it folds to, with corrections in between; timing is measured by
``benchmarks/replay_scaling.py`` and quoted in docs/performance.md, not asserted here."""

from __future__ import annotations

import datetime as dt

import attrs

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import Audit
from rehabcore.audit.replay import summary
from rehabcore.domain import commands as cmd
from rehabcore.domain.corrections import fold_effective

from .story import CASE, CASE_WORKER, TODAY, event_id, told
from .test_corrections import _stored


def _folded_each_time(audit: Audit, case_id: object) -> list[tuple[dict[str, object], dict[str, object]]]:
    """The reference: the prefix folded from scratch before and after every step."""
    record = audit.record(case_id)  # type: ignore[arg-type]
    report = audit.replay(case_id)  # type: ignore[arg-type]
    entries = [(e.event_id, e.event) for e in record.entries]
    out = []
    done = 0
    for step in report.steps:
        on = dt.date.fromisoformat(step.on)
        before = fold_effective(entries[:done])
        done += len(step.versions)
        out.append((summary(before, on), summary(fold_effective(entries[:done]), on)))
    return out


def _stepped(audit: Audit, case_id: object) -> list[tuple[dict[str, object], dict[str, object]]]:
    return [(s.state_before, s.state_after) for s in audit.replay(case_id).steps]  # type: ignore[arg-type]


def test_each_step_is_the_state_its_history_folds_to_across_corrections_and_retractions() -> None:
    cases, _ = told()
    original = _stored(cases, "PlacementStarted")
    cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=event_id(cases, CASE, "PlacementStarted"),
            corrected_on=TODAY,
            replacement=attrs.evolve(original, occurred_on=dt.date(2026, 2, 23)),
            reason="fel datum i registreringen",
        ),
        actor=CASE_WORKER,
    )
    cases.handle(
        cmd.RetractEntry(
            case_id=CASE,
            event_id=event_id(cases, CASE, "GoalSet"),
            retracted_on=TODAY,
            reason="registrerad på fel ärende",
        ),
        actor=CASE_WORKER,
    )
    audit = Audit(cases.store)
    assert _stepped(audit, CASE) == _folded_each_time(audit, CASE)
    assert not audit.replay(CASE).divergences


def test_every_demo_case_steps_as_it_folds() -> None:
    store = rc.InMemoryStore()
    m = demo.build(store, people=8)
    audit = Audit(store)
    for case_id in m.people:
        assert _stepped(audit, case_id) == _folded_each_time(audit, case_id)
