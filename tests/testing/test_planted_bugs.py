"""The machine finds real bugs: three local rules written from the docs, a bug planted in each (an
off-by-one in a count, months counted from the wrong date, the wrong field checked), each found under the
loaded (ci) profile with a history of at most five steps; the rules written right pass, and the reach report
shows each of them fired."""

from __future__ import annotations

import time

import pytest

from rehabcore.domain.local_rules import LocalRule
from rehabcore.testing import InvariantBroken, Steering, run_case_machine
from tests.testing import planted as pl

#: Extension rules live three steps deep (a decision, work training, an extension): send the machine there.
EXTENDING = Steering(weights={"about:extend": 30})
#: The goal rule is about placements after goals: with the whole catalogue in play, weight the two.
PLACING = Steering(weights={"SetGoal": 6, "StartPlacement": 8})

BUGS = {
    "extended twice (>= 2 for >= 1)": (
        (pl.once(2), pl.nine_months(False), pl.own_goal("formulated_by")),
        EXTENDING,
    ),
    "nine months from the extension day": (
        (pl.once(1), pl.nine_months(True), pl.own_goal("formulated_by")),
        EXTENDING,
    ),
    "any goal with words counts": (
        (pl.once(1), pl.nine_months(False), pl.own_goal("citizen_words")),
        PLACING,
    ),
}
BROKEN_BY = {
    "extended twice (>= 2 for >= 1)": "work_training_extended_at_most_once",
    "nine months from the extension day": "work_training_within_nine_months_when_extended",
    "any goal with words counts": "placed_only_after_a_goal_in_own_words",
}


@pytest.mark.parametrize("bug", list(BUGS))
def test_a_planted_bug_is_found_with_a_short_history(bug: str) -> None:
    rules, steering = BUGS[bug]
    started = time.monotonic()
    with pytest.raises(InvariantBroken) as found:
        run_case_machine(pl.ruleset(*rules), *pl.INVARIANTS, steering=steering)
    broken = found.value
    assert broken.invariant.startswith(BROKEN_BY[bug]), str(broken)
    assert 1 <= len(broken.steps) <= 5, str(broken)
    assert time.monotonic() - started < 45
    # What reproduces it is printed with it, and does reproduce it.
    (reproduction,) = [n for n in broken.__notes__ if n.startswith("reproduce:")]
    namespace: dict[str, object] = {"RULESET": pl.ruleset(*rules), "INVARIANTS": pl.INVARIANTS}
    with pytest.raises(InvariantBroken) as again:
        exec(reproduction.removeprefix("reproduce:\n"), namespace)
    assert again.value.invariant == broken.invariant


def test_the_rules_written_right_pass_and_each_of_them_fired() -> None:
    rules: tuple[LocalRule, ...] = (pl.once(1), pl.nine_months(False), pl.own_goal("formulated_by"))
    reach = run_case_machine(
        pl.ruleset(*rules), *pl.INVARIANTS, steering=EXTENDING, require_reached=["EXT-1", "EXT-2", "GOAL-1"]
    )
    report = reach.report()
    for rule_id in ("EXT-1", "EXT-2", "GOAL-1"):
        assert reach.fired(rule_id) > 0 and f"  {rule_id} " in report
    assert "never fired" not in report
    assert reach.accepted("ExtendPlacement") > 0 and reach.accepted("StartPlacement") > 0


def test_a_run_that_never_reached_a_rule_fails_and_says_so() -> None:
    from hypothesis import settings

    from rehabcore.domain import commands as cmd
    from rehabcore.domain.context import Context
    from rehabcore.domain.local_rules import rejects
    from rehabcore.domain.state import CaseState
    from rehabcore.testing import NotReached

    @rejects("NEVER-1", anchor=pl.ANCHOR, on=cmd.ExitToWork)
    def never(c: cmd.ExitToWork, case: CaseState, ctx: Context) -> str | None:
        """Never says no."""
        return None

    with pytest.raises(NotReached) as missed:
        run_case_machine(
            pl.ruleset(never),
            settings=settings(max_examples=3),
            require_reached=["NEVER-1", "ExitToWork"],
            min_fires={"ExitToWork": 10_000},
        )
    message = str(missed.value)
    assert "local rule NEVER-1 fired 0 time(s), 1 required" in message
    assert "ExitToWork accepted" in message and "10000 required" in message
    assert "never fired" in message and "docs/testing.md" in message
