"""A local rule that raises, or that is slow, is named: in the error (Cases.handle, replay, the machine), in
the machine's journal and in the timing report."""

from __future__ import annotations

import datetime as dt
import time
import warnings

import pytest

import rehabcore as rc
from rehabcore.audit import Audit
from rehabcore.domain import commands as cmd
from rehabcore.domain.context import Context
from rehabcore.domain.local_rules import LocalRuleFailed, rejects
from rehabcore.domain.rules import Ruleset
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import Basis, Jurisdiction, PlacementKind, ReferralSource, Role, UnitKind
from rehabcore.domain.watching import RuleWatch, SlowLocalRule, watching
from rehabcore.testing import InvariantBroken, RuleTooSlow, an_id, run_case_machine

ANCHOR = "Arbetsmarknadsnämnden 2026-02-10 § 30"
OPENED_ON = dt.date(2026, 3, 2)
CASE, UNIT = an_id("case/culprit"), an_id("unit/culprit")


@rejects("DIV-1", anchor=ANCHOR, on=cmd.StartPlacement)
def hours_per_day(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """At most eight hours a day (written with a division by the days worked: zero for a new placement)."""
    days_worked = len(case.follow_ups)
    return "too many hours a day" if c.hours_per_week / days_worked > 8 else None


@rejects("SLOW-1", anchor=ANCHOR, on=cmd.StartPlacement)
def looks_up_a_register(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """Checks something slowly (as if it called a register over the network)."""
    time.sleep(0.05)
    return None


RAISING = Ruleset(name="raising", version="1", jurisdiction=Jurisdiction.SE, local_rules=(hours_per_day,))
SLOW = Ruleset(name="slow", version="1", jurisdiction=Jurisdiction.SE, local_rules=(looks_up_a_register,))
ACTOR = rc.Actor(id="hand-1", role=Role.CASE_WORKER)


def _opened(cases: rc.Cases) -> None:
    cases.handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=OPENED_ON,
            name="Enhet",
            kind=UnitKind.WORK_REHABILITATION,
            jurisdiction=Jurisdiction.SE,
            capacity=10,
            offers=(PlacementKind.OCCUPATION,),
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.OpenCase(
            case_id=CASE,
            subject_id=an_id("subject/culprit"),
            opened_on=OPENED_ON,
            jurisdiction=Jurisdiction.SE,
            municipality_code="2284",
            source=ReferralSource.SELF,
        ),
        actor=ACTOR,
    )


def _placement() -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=CASE,
        placement_id=an_id("placement/culprit"),
        unit_id=UNIT,
        kind=PlacementKind.OCCUPATION,
        basis=Basis.voluntary(),
        start_on=OPENED_ON,
        hours_per_week=20,
    )


def test_cases_handle_names_the_rule_and_its_anchor_and_chains_the_original() -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, ruleset=RAISING, today=lambda: OPENED_ON)
    _opened(cases)
    head = store.head_position()
    with pytest.raises(LocalRuleFailed) as failed:
        cases.handle(_placement(), actor=ACTOR)
    error = failed.value
    assert isinstance(error, rc.RehabcoreError) and not isinstance(error, rc.RuleViolation)
    assert (error.rule_id, error.anchor, error.command_type) == ("DIV-1", ANCHOR, "StartPlacement")
    assert str(error).startswith(f"local rule DIV-1 ({ANCHOR}) raised ZeroDivisionError on StartPlacement")
    assert isinstance(error.__cause__, ZeroDivisionError)
    assert store.head_position() == head, "nothing is written"


def test_replay_names_the_rule_that_raises() -> None:
    store = rc.InMemoryStore()
    before = Ruleset(name="raising", version="1", jurisdiction=Jurisdiction.SE)
    cases = rc.Cases(store, ruleset=before, today=lambda: OPENED_ON)
    _opened(cases)
    cases.handle(_placement(), actor=ACTOR)  # recorded under "raising@1" before DIV-1 was added to it
    with pytest.raises(LocalRuleFailed, match="local rule DIV-1") as failed:
        Audit(store, rulesets=[RAISING]).replay(CASE)
    assert isinstance(failed.value.__cause__, ZeroDivisionError)


def test_the_machine_names_the_raising_rule_in_its_journal_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(InvariantBroken) as found:
        run_case_machine(RAISING)
    broken = found.value
    assert time.monotonic() - started < 30
    assert broken.invariant == "a command is accepted or refused by a rule, never crashes"
    assert 1 <= len(broken.steps) <= 3, str(broken)
    assert f"✗ crashed: LocalRuleFailed: local rule DIV-1 ({ANCHOR}) raised ZeroDivisionError" in str(broken)
    assert "caused by ZeroDivisionError: division by zero" in str(broken)


def test_a_slow_rule_is_warned_about_timed_and_named_in_the_machine() -> None:
    watch = RuleWatch(budget_ms=10)
    cases = rc.Cases(rc.InMemoryStore(), ruleset=SLOW, today=lambda: OPENED_ON)
    _opened(cases)
    with warnings.catch_warnings(record=True) as caught, watching(watch):
        warnings.simplefilter("always")
        cases.handle(_placement(), actor=ACTOR)
    (warned,) = [w for w in caught if issubclass(w.category, SlowLocalRule)]
    assert f"local rule SLOW-1 ({ANCHOR}) took" in str(warned.message) and "budget of 10 ms" in str(
        warned.message
    )
    assert watch.counts["SLOW-1"].checked == 1 and watch.counts["SLOW-1"].over_budget == 1
    assert watch.report().splitlines()[1].startswith("SLOW-1")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SlowLocalRule)
        with pytest.raises(RuleTooSlow) as found:
            run_case_machine(SLOW)
    slow = found.value
    assert slow.invariant == "every local rule answers within 20 ms"
    assert slow.problem.startswith(f"local rule SLOW-1 ({ANCHOR}) took ")
    assert "⏱ SLOW-1 took " in str(slow) and "(over budget)" in str(slow)
    (timing,) = [n for n in slow.__notes__ if n.startswith("timing of this run's local rules:")]
    row = timing.splitlines()[2].split()
    assert row[0] == "SLOW-1" and int(row[6]) >= 3, (
        timing
    )  # checked, fired, raised, mean, slowest, over budget
