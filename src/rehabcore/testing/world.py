"""A small municipality under test: cases and units on an in-memory store, one ruleset, and its history.

:class:`World` handles commands through :class:`rehabcore.Cases` (so through ``decide``, the unit decider,
the local rules and the store), keeps every step — command, the events or the rule that rejected it, the
warnings — and checks the promises that belong to a single step: a rejected command writes nothing; a closed
case accepts nothing but reopening or corrections; every event an accepted command writes records the ruleset
(``name@version``) it was decided under, so that an audit replay can decide it again. :class:`InvariantBroken`
prints the history as a case journal.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections.abc import Callable

import attrs
import orjson

from rehabcore.cases import Cases
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import ON_CLOSED_CASE
from rehabcore.domain.rules import Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, CaseStatus, UnitState
from rehabcore.domain.vocabulary import Role
from rehabcore.domain.watching import RuleWatch, SlowCheck, watching
from rehabcore.errors import RuleViolation, UnknownCase, UnknownUnit
from rehabcore.memory import InMemoryStore
from rehabcore.streams import case_stream, entries
from rehabcore.testing.readable import line, shorten, source, value
from rehabcore.testing.strategies import BASE_DATE, Pools

ACTOR = cmd.Actor(id="machine", role=Role.CASE_WORKER)
#: The day the world starts on: after every date the strategies draw by default.
START = BASE_DATE + dt.timedelta(days=400)

#: An invariant looks at the world after a step and returns None, or a message saying what is broken.
Invariant = Callable[["World"], "str | None"]


@attrs.frozen
class Step:
    """One command handled: the day, and its events and warnings, or the rule that rejected it."""

    today: dt.date
    command: cmd.Command
    events: tuple[ev.Event, ...] = ()
    error: RuleViolation | None = None
    warnings: tuple[RuleWarning, ...] = ()
    #: What went wrong when the command neither passed nor was refused by a rule (a crash: always a bug).
    crash: str | None = None
    #: Local-rule checks of this step slower than the world's budget.
    slow: tuple[SlowCheck, ...] = ()

    @property
    def accepted(self) -> bool:
        """Whether the rules accepted the command."""
        return self.error is None

    @property
    def outcome(self) -> str:
        """``accepted``, ``rejected by <rule id>`` or ``crashed``: what the reach report counts."""
        if self.crash is not None:
            return "crashed"
        return "accepted" if self.error is None else f"rejected by {self.error.rule_id}"

    def lines(self) -> list[str]:
        """The command (dated: ``on <business date>``), then what came of it, indented."""
        out = [line(self.command, dated="on ")]
        out += [f"   ⏱ {s} (over budget)" for s in self.slow]
        if self.crash is not None:
            return [*out, f"   ✗ crashed: {self.crash}"]
        if self.error is not None:
            return [*out, f"   ✗ rejected {self.error.rule_id}: {shorten(self.error.message)}"]
        out += [f"   → {line(e, dated='on ')}" for e in self.events]
        out += [f"   ! {w.rule_id}: {shorten(w.message)}" for w in self.warnings]
        return out


def journal(steps: list[Step]) -> str:
    """Steps as a numbered journal: ``handled <day>`` when the day it was handled changes, and each command
    and event with ``on <date>``, the date it concerns."""
    out: list[str] = []
    day = None
    for n, step in enumerate(steps, 1):
        if step.today != day:
            out.append(f"  (handled {step.today})")
            day = step.today
        first, *rest = step.lines()
        out.append(f"  {n:>2}. {first}")
        out += [f"      {r}" for r in rest]
    return "\n".join(out)


class InvariantBroken(AssertionError):
    """A promise of the rules does not hold after a history; the message is the history, readable."""

    def __init__(self, invariant: str, problem: str, world: World) -> None:
        self.invariant = invariant
        self.problem = problem
        #: The steps after the set-up, as handled (the shrunk history when hypothesis raises it).
        self.steps = list(world.steps[world.set_up_steps :])
        self.ruleset_ref = world.cases.ruleset.ref
        #: The set-up commands the steps ran after (what :func:`replay_history` needs to reproduce them).
        self.setup = list(world.set_up_commands)
        super().__init__(
            f"{invariant}: {problem}\n"
            f"under ruleset {self.ruleset_ref}, after {len(self.steps)} step(s) "
            f"(set-up: {world.set_up_summary or 'none'}):\n{journal(self.steps)}"
        )

    def reproduction(self) -> str:
        """Python that replays this history: ``replay_history(RULESET, SETUP, STEPS, *invariants)``."""
        setup = ",\n".join(f"    {source(c)}" for c in self.setup)
        steps = ",\n".join(f"    ({source(s.today)}, {source(s.command)})" for s in self.steps)
        return (
            "from rehabcore.testing.reproduce import *  # an_id, cmd, v, dt, replay_history\n"
            f"SETUP = [\n{setup}\n]\nSTEPS = [\n{steps}\n]\n"
            f"replay_history(RULESET, SETUP, STEPS, *INVARIANTS)  # RULESET: yours ({self.ruleset_ref})"
        )


# B3: a closed case takes reopening; corrections and retractions of its record are decided on its history
# (rättelse of a closed personakt), so they are accepted too.
# Retention (holds, archiving, erasure; #13) is recorded on closed records too.
#: What a closed case still takes: reopening, corrections, retention (#13), and the end of a duty to execute
#: a decision, which outlives the case (B10, #11).
#: What a closed case may accept (B3): the domain's list, corrections and retention.
_AFTER_CLOSE = (
    *ON_CLOSED_CASE,
    cmd.CorrectEntry,
    cmd.RetractEntry,
    *typing.get_args(cmd.RetentionCommand),
)


class World:
    """Cases and units on a fresh in-memory store, under ``ruleset``; ``today`` moves only when told."""

    def __init__(
        self, ruleset: Ruleset, pools: Pools, today: dt.date = START, *, budget_ms: float = 20.0
    ) -> None:
        self.pools = pools
        self.today = today
        self.store = InMemoryStore()
        self.cases = Cases(self.store, ruleset=ruleset, today=lambda: self.today)
        self.steps: list[Step] = []
        self.set_up_steps = 0
        self.set_up_summary = ""
        self.set_up_commands: list[cmd.Command] = []
        #: Every local-rule check, counted and timed; a check slower than ``budget_ms`` is noted on its step.
        self.watch = RuleWatch(budget_ms, rules=ruleset.local_rules)
        #: Every capacity schedule each unit has had: a place taken under an older one stays legitimate.
        self.capacity_schedules: dict[uuid.UUID, list[tuple[tuple[dt.date, int], ...]]] = {}

    def set_up(self, commands: list[cmd.Command]) -> None:
        """Handle the set-up commands; each must be accepted."""
        for command in commands:
            step = self.handle(command)
            if step.error is not None:
                raise step.error
        self.set_up_steps = len(self.steps)
        self.set_up_summary = ", ".join(_briefly(c) for c in commands)
        self.set_up_commands = list(commands)

    def handle(self, command: cmd.Command) -> Step:
        """Handle one command and record the step; check the promises of a single step."""
        before = None if isinstance(command, cmd.UnitCommand | cmd.IvoCommand) else self.case(command.case_id)
        head = self.store.head_position()
        slow_before = len(self.watch.slow)
        try:
            with watching(self.watch):
                handled = self.cases.handle(command, actor=ACTOR)
        except RuleViolation as err:
            self.steps.append(Step(self.today, command, error=err, slow=self._slow(slow_before)))
            if self.store.head_position() != head:
                raise InvariantBroken("a rejected command writes nothing", "the store moved", self) from err
            return self.steps[-1]
        except Exception as exc:  # a generated command is valid: only a rule may refuse it
            crash = f"{type(exc).__name__}: {exc}"
            if exc.__cause__ is not None:  # a local rule that raised: its own exception, too
                crash += f" — caused by {type(exc.__cause__).__name__}: {exc.__cause__}"
            self.steps.append(Step(self.today, command, crash=crash, slow=self._slow(slow_before)))
            raise InvariantBroken(
                "a command is accepted or refused by a rule, never crashes", crash, self
            ) from exc
        step = Step(
            self.today, command, handled.events, warnings=handled.warnings, slow=self._slow(slow_before)
        )
        self.steps.append(step)
        refs = {orjson.loads(s.metadata).get("ruleset") for s in self.store.read_all(after=head)}
        if refs != {self.cases.ruleset.ref} and (refs or handled.events):
            shown = ", ".join(sorted(map(str, refs))) or "nothing written"
            raise InvariantBroken(
                "every event written records the ruleset it was decided under",
                f"{self.cases.ruleset.ref} decided it; the events record {shown}",
                self,
            )
        if before is not None and before.erased_on is not None:
            raise InvariantBroken("B24 nothing is recorded after erasure", f"{type(command).__name__}", self)
        if (
            before is not None
            and before.status is CaseStatus.CLOSED
            and not isinstance(command, _AFTER_CLOSE)
        ):
            raise InvariantBroken(
                "B3 nothing but reopening (or correcting) after close", f"{type(command).__name__}", self
            )
        if isinstance(command, cmd.RegisterUnit | cmd.ChangeUnitCapacity):
            unit = self.cases.unit(command.unit_id)
            self.capacity_schedules.setdefault(command.unit_id, []).append(unit.capacities)
        return step

    def _slow(self, since: int) -> tuple[SlowCheck, ...]:
        return tuple(self.watch.slow[since:])

    def case(self, case_id: uuid.UUID) -> CaseState | None:
        """A case as stored now, or None before it is opened."""
        try:
            return self.cases.get(case_id)
        except UnknownCase:
            return None

    def entries(self, case_id: uuid.UUID) -> list[tuple[uuid.UUID, ev.CaseEvent]]:
        """A case's stored entries with their event ids (what corrections and retractions name)."""
        return entries(self.store.read_stream(case_stream(case_id)))

    def case_states(self) -> dict[uuid.UUID, CaseState]:
        """The pools' cases that exist."""
        found = {case_id: self.case(case_id) for case_id in self.pools.case_ids}
        return {k: s for k, s in found.items() if s is not None}

    def unit_states(self) -> dict[uuid.UUID, UnitState]:
        """The pools' units that exist."""
        found: dict[uuid.UUID, UnitState] = {}
        for unit_id in self.pools.units:
            try:
                found[unit_id] = self.cases.unit(unit_id)
            except UnknownUnit:
                continue
        return found

    def check(self, invariants: tuple[tuple[str, Invariant], ...]) -> None:
        """Raise :class:`InvariantBroken` for the first invariant that does not hold."""
        for name, invariant in invariants:
            problem = invariant(self)
            if problem is not None:
                raise InvariantBroken(name, problem, self)


def _briefly(command: cmd.Command) -> str:
    if isinstance(command, cmd.RegisterUnit):
        return f"{value(command.unit_id)} with {command.capacity} places"
    if isinstance(command, cmd.OpenCase):
        return f"{value(command.case_id)} opened {command.opened_on} from {command.source.value}"
    if isinstance(command, cmd.SetGoal):
        return f"{value(command.case_id)} with a goal by {command.formulated_by.value}"
    return line(command)
