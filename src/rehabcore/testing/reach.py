"""What a run of the rule machine reached: per command type, accepted or rejected by which rule; per local
rule, how often it was checked, fired, raised, and how long it took.

A green run proves only what it reached. :meth:`Reach.require` fails a run that never exercised what you
name — a local rule that never fired, a command never accepted — with this report as the message.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping

import attrs

from rehabcore.domain.watching import RuleCount, RuleWatch, SlowCheck


class NotReached(AssertionError):
    """The run passed, but never reached what it was required to: a green run here would prove nothing."""

    def __init__(self, missing: list[str], reach: Reach) -> None:
        self.missing = missing
        self.reach = reach
        super().__init__(
            "the run never reached: " + "; ".join(missing) + "\n" + reach.report() + "\n"
            "steer the machine there (docs/testing.md, 'Steering'): weights, set-up or arms of your own"
        )


@attrs.define
class Reach:
    """Counts over every example of one run (see :func:`~rehabcore.testing.machine.run_case_machine`)."""

    ruleset_ref: str
    examples: int = 0
    steps: int = 0
    #: ``(command type, outcome)`` → how many; the outcome is ``accepted``, ``rejected by B6`` or ``crashed``.
    commands: collections.Counter[tuple[str, str]] = attrs.field(factory=collections.Counter)
    #: Local rule id → its counts and times, summed over the examples.
    rules: dict[str, RuleCount] = attrs.field(factory=dict)
    slow: list[SlowCheck] = attrs.field(factory=list)
    budget_ms: float = 10.0
    #: Seconds the run took, and whether it stopped drawing steps at its time cap.
    seconds: float = 0.0
    capped: bool = False

    def add(self, outcomes: Iterable[tuple[str, str]], watch: RuleWatch) -> None:
        """Count one example: its steps' ``(command type, outcome)`` and its world's watch."""
        self.examples += 1
        for outcome in outcomes:
            self.steps += 1
            self.commands[outcome] += 1
        self.budget_ms = watch.budget_ms
        for rule_id, c in watch.counts.items():
            mine = self.rules.setdefault(rule_id, RuleCount(rule_id, c.anchor))
            mine.checked += c.checked
            mine.fired += c.fired
            mine.raised += c.raised
            mine.seconds += c.seconds
            mine.slowest = max(mine.slowest, c.slowest)
            mine.over_budget += c.over_budget
        self.slow += watch.slow

    def accepted(self, command_type: str) -> int:
        """How many commands of this type were accepted."""
        return self.commands[(command_type, "accepted")]

    def fired(self, rule_id: str) -> int:
        """How often a local rule's check returned a message (rejected, or warned)."""
        count = self.rules.get(rule_id)
        return 0 if count is None else count.fired

    def checked(self, rule_id: str) -> int:
        """How often a local rule's check ran (on commands the built-in rules accepted)."""
        count = self.rules.get(rule_id)
        return 0 if count is None else count.checked

    def require(self, reached: Iterable[str], min_fires: int | Mapping[str, int] = 1) -> None:
        """Raise :class:`NotReached` unless each of ``reached`` was: a local rule id that fired at least
        ``min_fires`` times, or a command type accepted at least that often."""
        missing = []
        for name in reached:
            need = min_fires.get(name, 1) if isinstance(min_fires, Mapping) else min_fires
            if name in self.rules:
                got, what = self.fired(name), f"local rule {name} fired"
            else:
                got, what = self.accepted(name), f"{name} accepted"
            if got < need:
                missing.append(f"{what} {got} time(s), {need} required")
        if missing:
            raise NotReached(missing, self)

    def report(self) -> str:
        """The run as a table: commands by outcome, then local rules with their times."""
        capped = " (stopped at its time cap)" if self.capped else ""
        out = [
            f"reach of {self.examples} example(s), {self.steps} step(s) under {self.ruleset_ref} "
            f"in {self.seconds:.1f} s{capped}:",
            "  command                        accepted  rejected (by rule)",
        ]
        types = sorted({t for t, _ in self.commands})
        for t in types:
            rejected = sorted(
                (
                    (o.removeprefix("rejected by "), n)
                    for (u, o), n in self.commands.items()
                    if u == t and o != "accepted"
                ),
                key=lambda p: -p[1],
            )
            shown = ", ".join(f"{rule} {n}" for rule, n in rejected) or "-"
            out.append(f"  {t:<30} {self.accepted(t):>8}  {shown}")
        if self.rules:
            head = "  local rule    checked    fired   raised   mean ms   slowest ms"
            out.append(f"{head}   over {self.budget_ms:g} ms")
            for c in sorted(self.rules.values(), key=lambda c: c.rule_id):
                never = "   ← never fired" if c.fired == 0 else ""
                out.append(
                    f"  {c.rule_id:<10} {c.checked:>10} {c.fired:>8} {c.raised:>8} {c.mean_ms:>9.2f} "
                    f"{1000 * c.slowest:>12.2f} {c.over_budget:>10}{never}"
                )
        return "\n".join(out)

    def __str__(self) -> str:
        return self.report()
