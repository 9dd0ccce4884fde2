"""The rule machine: a hypothesis ``RuleBasedStateMachine`` that runs random commands against your ruleset.

Each run draws a *swarm* (which kinds of step it uses, the referral source and first goal of each case; see
``rehabcore.testing.swarm``), sets up two cases and two units, then takes steps: a generated command, a
command about what a case holds, a unit change, or time passing. After every step the built-in invariants and
yours must hold, and no local rule may keep running over its time budget.

A failure is shrunk by the kit itself — the history replayed without each step in turn until no step can go,
within a time cap — and raised as :class:`~rehabcore.testing.world.InvariantBroken`: the history as a journal,
then Python that replays it. ``run_case_machine`` returns a :class:`~rehabcore.testing.reach.Reach`: what the
run reached, and ``require_reached=`` fails a run that never exercised what you name.

    reach = run_case_machine(MY_RULES, my_invariant, require_reached=["ORN-1"])
    print(reach)

or as a pytest class under your hypothesis profile:

    class TestMyRules(CaseMachine.for_ruleset(MY_RULES, my_invariant).TestCase): ...
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from hypothesis import Phase
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from rehabcore.domain import commands as cmd
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset
from rehabcore.testing import strategies as rs
from rehabcore.testing.invariants import BUILT_IN, stored_events_fold_to_the_live_state
from rehabcore.testing.reach import Reach
from rehabcore.testing.referring import About, Act, resolve
from rehabcore.testing.swarm import DEFAULT_STEERING, Action, Shown, Steering, Swarm, Wait, actions, swarms
from rehabcore.testing.world import Invariant, InvariantBroken, Step, World

__all__ = [
    "CaseMachine",
    "RuleTooSlow",
    "Shown",
    "Wait",
    "machine_settings",
    "replay_history",
    "run_case_machine",
]

#: A rule over its budget this many times in one run fails it: once can be the machine, not the rule.
SLOW_CHECKS_TO_FAIL = 3


class RuleTooSlow(InvariantBroken):
    """A local rule kept taking longer than its budget; the message names it, its anchor and its times."""


def _reported_run() -> bool:
    """Whether hypothesis runs the example it will report (after shrinking): where replay is worth it."""
    try:
        from hypothesis.control import current_build_context

        return bool(current_build_context().is_final)
    except Exception:  # outside a hypothesis run, or an internal that moved: keep hypothesis's history
        return False


def _event(name: str) -> None:
    """Into hypothesis's statistics (``pytest --hypothesis-show-statistics``), when inside a run."""
    try:
        from hypothesis import event

        event(name)
    except Exception:  # outside a test: nothing to report to
        pass


def _named(check: Invariant) -> tuple[str, Invariant]:
    doc = (check.__doc__ or "").strip().split("\n")[0]
    return (f"{check.__name__} — {doc}" if doc else check.__name__), check


def machine_settings(base: Settings | None = None, *, max_examples: int | None = None) -> Settings:
    """``base`` (the loaded profile) without hypothesis's shrinking: the kit shrinks histories itself,
    in a fraction of the time, so a failure is reported within the run's time cap."""
    base = base or Settings.default
    assert base is not None  # a profile is always loaded
    phases = tuple(p for p in base.phases if p is not Phase.shrink)
    extra: dict[str, Any] = {} if max_examples is None else {"max_examples": max_examples}
    return Settings(base, phases=phases, **extra)


def replay_history(
    ruleset: Ruleset,
    setup: Sequence[cmd.Command],
    steps: Iterable[tuple[dt.date, cmd.Command]],
    *invariants: Invariant,
    pools: rs.Pools | None = None,
) -> World:
    """Set up, then handle each ``(today, command)`` and check the built-in invariants and ``invariants``
    after each: raise the :class:`InvariantBroken` it meets (what a failure's reproduction calls)."""
    world = World(ruleset, pools or rs.Pools.fresh(2, others=8))
    world.set_up(list(setup))
    checks = tuple(_named(c) for c in (*BUILT_IN, *invariants))
    for today, command in steps:
        world.today = today
        world.handle(command)
        world.check(checks)
    return world


class CaseMachine(RuleBasedStateMachine):
    """Random commands against ``ruleset``; built-in invariants and ``extra_invariants`` after each step."""

    #: The ruleset under test: parameters and local rules.
    ruleset: ClassVar[Ruleset] = SWEDEN_DEFAULT
    #: Your invariants, ``(world) -> str | None`` (see ``rehabcore.testing.invariants.per_case``).
    extra_invariants: ClassVar[tuple[Invariant, ...]] = ()
    #: How many cases compete for the two units' places.
    case_count: ClassVar[int] = 2
    #: Weights, set-up and arms of your own (``rehabcore.testing.swarm.Steering``).
    steering: ClassVar[Steering] = DEFAULT_STEERING
    #: How long one local-rule check may take, in milliseconds.
    budget_ms: ClassVar[float] = 20.0
    #: What the runs of this class reached, summed (a fresh one per ``run_case_machine``).
    reach: ClassVar[Reach] = Reach(SWEDEN_DEFAULT.ref)
    #: ``time.monotonic()`` after which runs take no more steps (set by ``run_case_machine``'s time cap).
    stop_at: ClassVar[float | None] = None
    #: How long the kit may spend shrinking a failure, in seconds.
    shrink_seconds: ClassVar[float] = 20.0

    def __init__(self) -> None:
        super().__init__()
        self.world = World(self.ruleset, rs.Pools.fresh(self.case_count, others=8), budget_ms=self.budget_ms)
        self._checks = tuple(_named(c) for c in (*BUILT_IN, *self.extra_invariants))
        self.swarm: Swarm | None = None
        self._actions: st.SearchStrategy[Action] = st.nothing()

    @classmethod
    def for_ruleset(
        cls,
        ruleset: Ruleset,
        *invariants: Invariant,
        steering: Steering | None = None,
        budget_ms: float | None = None,
    ) -> type[CaseMachine]:
        """A machine class for ``ruleset`` with ``invariants`` added to the built-in ones.

        Its ``TestCase`` runs under the loaded profile without hypothesis's shrinking (the kit's is used).
        """
        attributes: dict[str, Any] = {
            "ruleset": ruleset,
            "extra_invariants": (*cls.extra_invariants, *invariants),
            "steering": steering or cls.steering,
            "budget_ms": cls.budget_ms if budget_ms is None else budget_ms,
            "reach": Reach(ruleset.ref),
        }
        made: type[CaseMachine] = type(f"{cls.__name__}_{ruleset.name}", (cls,), attributes)
        made.TestCase.settings = machine_settings()
        return made

    @classmethod
    def minimal(cls, broken: InvariantBroken, seconds: float | None = None) -> InvariantBroken:
        """The same invariant broken by the fewest of ``broken``'s steps (replayed, one removal at a time),
        or the shortest found within ``seconds`` (``shrink_seconds`` by default)."""
        if isinstance(broken, RuleTooSlow):  # the times are the finding, not the history
            return broken
        stop = time.monotonic() + (cls.shrink_seconds if seconds is None else seconds)
        best, removed = broken, True
        while removed and time.monotonic() < stop:  # again until a pass removes nothing: a removal can
            removed, i = False, 0  # free an earlier step
            while i < len(best.steps) and time.monotonic() < stop:
                shorter = replay_with(cls, best, best.steps[:i] + best.steps[i + 1 :])
                if shorter is None:
                    i += 1
                else:
                    best, removed = shorter, True
        return best

    @initialize(swarm=st.runner().flatmap(lambda m: swarms(m.steering, m.case_count)))
    def set_up(self, swarm: Swarm) -> None:
        """Register the units, open the cases as the swarm says, in the ruleset's jurisdiction."""
        self.swarm = swarm
        jurisdiction = self.ruleset.jurisdiction
        self.world.set_up(swarm.set_up(self.world.pools, jurisdiction))
        self._actions = actions(self.steering, swarm, self.world.pools, jurisdiction)

    @rule(action=st.runner().flatmap(lambda m: m._actions))
    def step(self, action: Action) -> None:
        """Handle a command (accepted or rejected, the promises must hold), or let time pass."""
        if self.stop_at is not None and time.monotonic() > self.stop_at:
            type(self).reach.capped = True
            return
        with self._shortest_history():
            before = len(self.world.steps)
            if isinstance(action, Wait):
                self.world.today += dt.timedelta(days=action.days)
            elif isinstance(action, About):
                case_id = self.world.pools.case_ids[action.case % len(self.world.pools.case_ids)]
                case = self.world.case(case_id)
                entries = self.world.entries(case_id) if action.act in (Act.CORRECT, Act.RETRACT) else None
                command = None if case is None else resolve(action, case_id, case, self.world.pools, entries)
                if command is not None:
                    self.world.handle(command)
            else:
                self.world.handle(action.command)
            for done in self.world.steps[before:]:
                _event(f"{type(done.command).__name__}: {done.outcome}")
            self._within_budget()

    @invariant()
    def the_rules_keep_their_promises(self) -> None:
        """Every built-in invariant and every added one holds."""
        with self._shortest_history():
            self.world.check(self._checks)

    def _within_budget(self) -> None:
        for rule_id, count in self.world.watch.counts.items():
            if count.over_budget >= SLOW_CHECKS_TO_FAIL:
                slow = [s for s in self.world.watch.slow if s.rule_id == rule_id]
                times = ", ".join(f"{1000 * s.seconds:.1f}" for s in slow[:5])
                too_slow = RuleTooSlow(
                    f"every local rule answers within {self.budget_ms:g} ms",
                    f"local rule {rule_id} ({count.anchor}) took {times} ms on {slow[0].command_type}",
                    self.world,
                )
                too_slow.add_note("timing of this run's local rules:\n" + self.world.watch.report())
                raise too_slow

    @contextlib.contextmanager
    def _shortest_history(self) -> Iterator[None]:
        """On the run hypothesis reports, replace a failure by its shortest history (see :meth:`minimal`)."""
        try:
            yield
        except InvariantBroken as broken:
            if _reported_run():  # the long history is in hypothesis's steps above
                shortest = self.minimal(broken)
                shortest.add_note("reproduce:\n" + shortest.reproduction())
                raise shortest from None
            raise

    def teardown(self) -> None:
        """The stored events fold to the live state at the end of every run; count what the run reached."""
        world = self.world
        done = world.steps[world.set_up_steps :]
        type(self).reach.add(((type(s.command).__name__, s.outcome) for s in done), world.watch)
        for rule_id, count in world.watch.counts.items():
            if count.fired:
                _event(f"local rule {rule_id} fired")
        if world.set_up_steps:
            world.check((_named(stored_events_fold_to_the_live_state),))


def replay_with(
    machine: type[CaseMachine], broken: InvariantBroken, steps: list[Step]
) -> InvariantBroken | None:
    """``steps`` replayed after ``broken``'s set-up with ``machine``'s invariants: the same invariant broken
    again (a shorter history of the failure), or None."""
    try:
        replay_history(
            machine.ruleset,
            broken.setup,
            ((s.today, s.command) for s in steps),
            *machine.extra_invariants,
            pools=rs.Pools.fresh(machine.case_count, others=8),
        )
    except InvariantBroken as again:
        return again if again.invariant == broken.invariant else None
    return None


def run_case_machine(
    ruleset: Ruleset = SWEDEN_DEFAULT,
    *invariants: Invariant,
    settings: Settings | None = None,
    steering: Steering | None = None,
    require_reached: Iterable[str] = (),
    min_fires: int | Mapping[str, int] = 1,
    time_cap: float | None = 45.0,
    shrink_seconds: float = 20.0,
    budget_ms: float = 20.0,
) -> Reach:
    """Run the machine on ``ruleset`` with ``invariants``; return what it reached, or raise the shortest
    :class:`InvariantBroken` found (its message ends with Python that replays it).

    ``settings`` default to the loaded profile, without hypothesis's shrinking (the kit's replay shrinks:
    see :meth:`CaseMachine.minimal`). After ``time_cap`` seconds runs take no more steps (the report says
    so); the kit shrinks for at most ``shrink_seconds``. ``require_reached`` names local rules that must
    have fired (``min_fires`` times, a number or per name) and command types that must have been accepted:
    a run that reached less raises :class:`~rehabcore.testing.reach.NotReached`. A local rule over
    ``budget_ms`` three times fails the run (:class:`RuleTooSlow`).
    """
    started = time.monotonic()
    machine = CaseMachine.for_ruleset(ruleset, *invariants, steering=steering, budget_ms=budget_ms)
    machine.stop_at = None if time_cap is None else started + time_cap
    machine.shrink_seconds = shrink_seconds
    reach = machine.reach
    try:
        run_state_machine_as_test(machine, settings=machine_settings(settings))
    except InvariantBroken as broken:
        shortest = machine.minimal(broken)
        if shortest is not broken:
            for note in list(getattr(broken, "__notes__", [])):
                if "reproduce_failure" in note:  # hypothesis's own way back to the run
                    shortest.add_note(note)
        if not any(n.startswith("reproduce:") for n in getattr(shortest, "__notes__", [])):
            shortest.add_note("reproduce:\n" + shortest.reproduction())
        raise shortest from None
    finally:
        reach.seconds = time.monotonic() - started
    reach.require(require_reached, min_fires)
    return reach
