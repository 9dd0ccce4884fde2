"""Watching local rules: how often each was checked and fired, how long it took, and which were too slow.

    with watching(RuleWatch(budget_ms=5)) as watch:
        cases.handle(command, actor=actor)
    print(watch.report())

A local rule is a function over a state that should answer in microseconds; one that takes milliseconds
slows every command (and every example of the rule machine) without failing anything. A watch counts every
check that runs while it is active, times it, and for a check slower than its budget issues a
:class:`SlowLocalRule` warning (once per rule) naming the rule and its anchor. ``Cases``, replay and the test
kit need no change to be watched: they decide through ``decide``, which runs the checks.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

import attrs

from rehabcore.domain.local_rules import _WATCHES, LocalRule, Outcome


class SlowLocalRule(UserWarning):
    """A local rule took longer than the budget of the watch that timed it."""


@attrs.define
class RuleCount:
    """One local rule, as watched: its checks, what they came to, and their time."""

    rule_id: str
    anchor: str
    checked: int = 0
    fired: int = 0
    raised: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    #: Checks slower than the budget.
    over_budget: int = 0

    @property
    def mean_ms(self) -> float:
        """Mean time of one check, in milliseconds."""
        return 1000 * self.seconds / self.checked if self.checked else 0.0


@attrs.frozen
class SlowCheck:
    """One check slower than the budget."""

    rule_id: str
    anchor: str
    command_type: str
    seconds: float

    def __str__(self) -> str:
        return f"{self.rule_id} took {1000 * self.seconds:.1f} ms on {self.command_type}"


class RuleWatch:
    """Counts and times every local-rule check run while it watches (see :func:`watching`).

    ``budget_ms`` is how long one check may take; a slower one is kept in :attr:`slow` and warned about once
    per rule with :class:`SlowLocalRule`. ``rules`` lists rules to report even if they never ran.
    """

    def __init__(self, budget_ms: float = 10.0, rules: tuple[LocalRule, ...] = ()) -> None:
        self.budget_ms = budget_ms
        self.counts: dict[str, RuleCount] = {r.rule_id: RuleCount(r.rule_id, r.anchor) for r in rules}
        self.slow: list[SlowCheck] = []
        self._warned: set[str] = set()

    def ran(self, rule: LocalRule, command: object, seconds: float, outcome: Outcome) -> None:
        """Count one check (called by ``LocalRule.problem``)."""
        count = self.counts.get(rule.rule_id)
        if count is None:
            count = self.counts[rule.rule_id] = RuleCount(rule.rule_id, rule.anchor)
        count.checked += 1
        count.fired += outcome is Outcome.FIRED
        count.raised += outcome is Outcome.RAISED
        count.seconds += seconds
        count.slowest = max(count.slowest, seconds)
        if 1000 * seconds > self.budget_ms:
            count.over_budget += 1
            slow = SlowCheck(rule.rule_id, rule.anchor, type(command).__name__, seconds)
            self.slow.append(slow)
            if rule.rule_id not in self._warned:
                self._warned.add(rule.rule_id)
                warnings.warn(
                    SlowLocalRule(
                        f"local rule {rule.rule_id} ({rule.anchor}) {str(slow).split(' ', 1)[1]}, over the "
                        f"budget of {self.budget_ms:g} ms; a check should only look at the state it is given"
                    ),
                    stacklevel=2,
                )

    def report(self) -> str:
        """A table: per rule, checked / fired / raised, mean and slowest time, checks over the budget."""
        lines = [
            f"local rule   checked    fired   raised   mean ms   slowest ms   over {self.budget_ms:g} ms"
        ]
        for c in sorted(self.counts.values(), key=lambda c: c.rule_id):
            lines.append(
                f"{c.rule_id:<10} {c.checked:>9} {c.fired:>8} {c.raised:>8} {c.mean_ms:>9.2f} "
                f"{1000 * c.slowest:>12.2f} {c.over_budget:>10}"
            )
        return "\n".join(lines)


@contextlib.contextmanager
def watching(watch: RuleWatch) -> Iterator[RuleWatch]:
    """Let ``watch`` count and time every local-rule check run in this block (nested watches all hear)."""
    token = _WATCHES.set((*_WATCHES.get(), watch))
    try:
        yield watch
    finally:
        _WATCHES.reset(token)
