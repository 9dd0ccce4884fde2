"""A municipality's own rules: a stricter parameter, a local rule, and the test kit that checks them.

Örnsköldsvik decides that work training runs at most 90 days without an extension decision (the national
default is 183), and that nobody is placed above 50 % — 20 hours a week — in the first month of their case.
This script builds that ruleset, shows it at work in ``Cases``, tests it with the given/when/then kit, and
lets the rule machine check it: the rule as written passes — and the reach report shows what the run reached,
so a green run is not mistaken for proof of what it never tried — and a deliberately wrong version of it
(50 % typed as 50 hours) is caught and shrunk to the short history that shows the mistake.

Run it with ``python examples/local_rule.py`` (needs the ``testing`` extra for the kit).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import Phase, settings

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.context import Context
from rehabcore.domain.local_rules import LocalRule, rejects
from rehabcore.domain.state import CaseState
from rehabcore.testing import InvariantBroken, Reach, Steering, an_id, given, per_case, run_case_machine

ANCHOR = "Arbetsmarknadsnämnden Örnsköldsvik 2026-02-10 § 14"
FIRST_MONTH = dt.timedelta(days=30)
HALF_TIME = 20  # hours a week; 100 % is 40 (SUS)


def above_half_time_in_first_month(case: CaseState, start: dt.date, hours: int) -> bool:
    """The policy itself, once: a start in the case's first month at more than half time."""
    assert case.opened_on is not None
    return start < case.opened_on + FIRST_MONTH and hours > HALF_TIME


@rejects("ORN-1", anchor=ANCHOR, on=(cmd.StartPlacement, cmd.TransferToLssDailyActivity))
def half_time_first_month(
    c: cmd.StartPlacement | cmd.TransferToLssDailyActivity, case: CaseState, ctx: Context
) -> str | None:
    """No placement above 50 % (20 h/week) in the case's first month."""
    if above_half_time_in_first_month(case, c.start_on, c.hours_per_week):
        assert case.opened_on is not None
        until = case.opened_on + FIRST_MONTH
        return f"at most {HALF_TIME} h/week until {until}; start later or with fewer hours"
    return None


@rejects("ORN-1", anchor=ANCHOR, on=cmd.StartPlacement)
def half_time_first_month_mistyped(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """The same rule with a planted mistake: "50 %" typed as 50 hours."""
    assert case.opened_on is not None
    if c.start_on < case.opened_on + FIRST_MONTH and c.hours_per_week > 50:
        return "at most 50 % in the first month"
    return None


def ruleset(rule: LocalRule = half_time_first_month) -> rc.Ruleset:
    """Örnsköldsvik's ruleset: the Swedish rulebook, a stricter B5, and ORN-1."""
    return rc.Ruleset(
        name="ornskoldsvik",
        version="2026-03",
        jurisdiction=v.Jurisdiction.SE,
        parameters=rc.RuleParameters(max_work_training_days=90),
        local_rules=(rule,),
    )


@per_case
def nobody_above_half_time_in_the_first_month(case: CaseState) -> str | None:
    """ORN-1 holds: no placement in any case starts in its first month at more than half time."""
    for p in case.placements.values():
        if above_half_time_in_first_month(case, p.start_on, p.hours_per_week):
            return f"a placement starts {p.start_on} at {p.hours_per_week} h/week"
    return None


# Reproducible output; in your own tests the hypothesis profile you load decides.
MACHINE = settings(max_examples=40, derandomize=True, database=None, phases=[Phase.generate])
#: ORN-1 is about placements in a case's first month: send the machine there, among the many other commands.
TOWARDS_STARTS = Steering(weights={"StartPlacement": 8})


def in_cases() -> None:
    """The ruleset at work: ORN-1 and the stricter B5 reject, with their ids."""
    cases = rc.Cases(rc.InMemoryStore(), ruleset=ruleset(), today=lambda: dt.date(2026, 3, 16), tenant="2284")
    actor = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER)
    unit, case_id = an_id("unit/aterbruket"), an_id("case/example")
    cases.handle(
        cmd.RegisterUnit(
            unit_id=unit,
            registered_on=dt.date(2026, 1, 1),
            name="Återbruket Bjästa",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=12,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        actor=actor,
    )
    cases.handle(
        cmd.OpenCase(
            case_id=case_id,
            subject_id=an_id("subject/example"),
            opened_on=dt.date(2026, 3, 2),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.INCOME_SUPPORT,
        ),
        actor=actor,
    )

    def work_training(hours: int, weeks: int) -> cmd.StartPlacement:
        start = dt.date(2026, 3, 16)
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=an_id(f"placement/{hours}h-{weeks}w"),
            unit_id=unit,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis.required_activity(),
            start_on=start,
            planned_end_on=start + dt.timedelta(weeks=weeks),
            hours_per_week=hours,
        )

    for hours, weeks in ((30, 8), (20, 16)):
        try:
            cases.handle(work_training(hours, weeks), actor=actor)
        except rc.RuleViolation as err:
            print(f"refused {hours} h/week for {weeks} weeks: {err}")
    handled = cases.handle(work_training(20, 8), actor=actor)
    print(f"accepted 20 h/week for 8 weeks, recorded under {cases.history(case_id)[-1].metadata['ruleset']}")
    assert handled.events


def with_given_when_then() -> None:
    """The rule as a rulebook test: given an opened case, when a full-time start, then ORN-1."""
    opened_on = dt.date(2026, 3, 2)
    case_id = an_id("case/gwt")
    opened = ev.CaseOpened(
        occurred_on=opened_on,
        case_id=case_id,
        subject_id=an_id("subject/gwt"),
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="2284",
        source=v.ReferralSource.SELF,
    )
    start = cmd.StartPlacement(
        case_id=case_id,
        placement_id=an_id("placement/full-time"),
        unit_id=an_id("unit/aterbruket"),
        kind=v.PlacementKind.OCCUPATION,
        basis=v.Basis.voluntary(),
        start_on=opened_on + dt.timedelta(days=7),
        hours_per_week=40,
    )
    error = (
        given(opened, ruleset=ruleset(), today=opened_on).when(start).then_rejected("ORN-1", says="20 h/week")
    )
    print(f"given/when/then: {error.rule_id} rejects, anchored in {error.anchor}")  # type: ignore[attr-defined]


def reach_of_the_rule_as_written() -> Reach:
    """Run the rule machine on ORN-1 as written; it must have fired, or the run proves nothing about it."""
    return run_case_machine(
        ruleset(),
        nobody_above_half_time_in_the_first_month,
        settings=MACHINE,
        steering=TOWARDS_STARTS,
        require_reached=["ORN-1"],
    )


def find_the_planted_mistake() -> InvariantBroken:
    """Run the rule machine on the mistyped rule; return the (shrunk) failure it finds."""
    try:
        run_case_machine(
            ruleset(half_time_first_month_mistyped),
            nobody_above_half_time_in_the_first_month,
            settings=MACHINE,
            steering=TOWARDS_STARTS,
        )
    except InvariantBroken as broken:
        return broken
    raise AssertionError("the rule machine did not find the planted mistake")


def main() -> InvariantBroken:
    in_cases()
    with_given_when_then()
    reach = reach_of_the_rule_as_written()
    print("rule machine: ORN-1 as written keeps every built-in invariant and its own; what the run reached:")
    print(reach)
    broken = find_the_planted_mistake()
    print(f"rule machine, on the mistyped rule, after {len(broken.steps)} step(s):\n{broken}")
    return broken


if __name__ == "__main__":
    main()
