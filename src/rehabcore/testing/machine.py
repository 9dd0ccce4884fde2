"""The rule machine: a hypothesis ``RuleBasedStateMachine`` that runs random commands against your ruleset.

Each step handles one generated command (on two cases and two units), lets time pass, or changes a unit;
after every step the built-in invariants and yours must hold. A failure is shrunk by hypothesis, then
replayed without each step in turn until no step can go, and raised as
:class:`~rehabcore.testing.world.InvariantBroken`, whose message is that history as a journal — dates,
commands, events and rule ids — rather than reprs.

    class TestMyRules(CaseMachine.for_ruleset(MY_RULES, my_invariant).TestCase): ...

or, to run it in a test body and look at the failure:

    run_case_machine(MY_RULES, my_invariant, settings=settings(max_examples=200))
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from rehabcore.domain import commands as cmd
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.testing import strategies as rs
from rehabcore.testing.invariants import BUILT_IN, stored_events_fold_to_the_live_state
from rehabcore.testing.readable import line
from rehabcore.testing.referring import About, Act, abouts, resolve
from rehabcore.testing.world import Invariant, InvariantBroken, Step, World


@attrs.frozen(repr=False)
class Shown:
    """A generated command that prints as one readable line in hypothesis's steps."""

    command: cmd.Command

    def __repr__(self) -> str:
        return f"<{line(self.command)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints steps with this
        printer.text(repr(self))


@attrs.frozen(repr=False)
class Wait:
    """Time passes: today moves on by ``days``."""

    days: int

    def __repr__(self) -> str:
        return f"<{self.days} days pass>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


_ACTIONS: dict[tuple[rs.Pools, Jurisdiction], st.SearchStrategy[Shown | About | Wait]] = {}


def _actions(machine: CaseMachine) -> st.SearchStrategy[Shown | About | Wait]:
    """Blind commands, commands about what a case holds, unit changes and waits; built once per setting.

    The draw never depends on the state (an :class:`About` is resolved when it runs), so hypothesis can drop
    any step of a failing history and keep the rest as it was: that is what makes shrinking work.
    """
    key = (machine.world.pools, machine.ruleset.jurisdiction)
    if key not in _ACTIONS:
        case = rs.case_commands(key[0], key[1]).map(Shown)
        unit = rs.unit_commands(key[0]).map(Shown)
        # Unit changes are rare: a unit that refocuses stops taking most placement kinds for the whole run.
        _ACTIONS[key] = rs.weighted((12, case), (12, abouts), (1, unit), (2, st.integers(1, 120).map(Wait)))
    return _ACTIONS[key]


_SETUPS: dict[tuple[rs.Pools, Jurisdiction], list[Any]] = {}


def _setup(pools: rs.Pools, jurisdiction: Jurisdiction) -> list[Any]:
    """The set-up commands, made once per setting: the same command ids, so the same entry ids, in every run
    and in the replays of :meth:`CaseMachine.minimal` (a history may correct a set-up entry by its id)."""
    key = (pools, jurisdiction)
    if key not in _SETUPS:
        _SETUPS[key] = rs.setup(pools, jurisdiction)
    return _SETUPS[key]


def _reported_run() -> bool:
    """Whether hypothesis runs the example it will report (after shrinking): where replay is worth it."""
    try:
        from hypothesis.control import current_build_context

        return bool(current_build_context().is_final)
    except Exception:  # outside a hypothesis run, or an internal that moved: keep hypothesis's history
        return False


def _named(check: Invariant) -> tuple[str, Invariant]:
    doc = (check.__doc__ or "").strip().split("\n")[0]
    return (f"{check.__name__} — {doc}" if doc else check.__name__), check


class CaseMachine(RuleBasedStateMachine):
    """Random commands against ``ruleset``; built-in invariants and ``extra_invariants`` after each step."""

    #: The ruleset under test: parameters and local rules.
    ruleset: ClassVar[Ruleset] = SWEDEN_DEFAULT
    #: Your invariants, ``(world) -> str | None`` (see ``rehabcore.testing.invariants.per_case``).
    extra_invariants: ClassVar[tuple[Invariant, ...]] = ()
    #: How many cases compete for the two units' places.
    case_count: ClassVar[int] = 2

    def __init__(self) -> None:
        super().__init__()
        self.world = World(self.ruleset, rs.Pools.fresh(self.case_count, others=8))
        self._checks = tuple(_named(c) for c in (*BUILT_IN, *self.extra_invariants))

    @classmethod
    def for_ruleset(cls, ruleset: Ruleset, *invariants: Invariant) -> type[CaseMachine]:
        """A machine class for ``ruleset`` with ``invariants`` added to the built-in ones."""
        attributes = {"ruleset": ruleset, "extra_invariants": (*cls.extra_invariants, *invariants)}
        return type(f"{cls.__name__}_{ruleset.name}", (cls,), attributes)

    @classmethod
    def minimal(cls, broken: InvariantBroken) -> InvariantBroken:
        """The same invariant broken by the fewest of ``broken``'s steps (replayed, one removal at a time)."""
        probe = cls()
        setup = _setup(probe.world.pools, cls.ruleset.jurisdiction)

        def replay(steps: list[Step]) -> InvariantBroken | None:
            world = World(cls.ruleset, probe.world.pools)
            world.set_up(setup)
            try:
                for step in steps:
                    world.today = step.today
                    world.handle(step.command)
                    world.check(probe._checks)
            except InvariantBroken as again:
                return again if again.invariant == broken.invariant else None
            return None

        best, removed = broken, True
        while removed:  # again until a whole pass removes nothing: a removal can free an earlier step
            removed, i = False, 0
            while i < len(best.steps):
                shorter = replay(best.steps[:i] + best.steps[i + 1 :])
                if shorter is None:
                    i += 1
                else:
                    best, removed = shorter, True
        return best

    @initialize()
    def set_up(self) -> None:
        """Register the units and open the cases, in the ruleset's jurisdiction."""
        self.world.set_up(_setup(self.world.pools, self.ruleset.jurisdiction))

    @rule(action=st.runner().flatmap(_actions))
    def step(self, action: Shown | About | Wait) -> None:
        """Handle a command (accepted or rejected, the promises must hold), or let time pass."""
        with self._shortest_history():
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

    @invariant()
    def the_rules_keep_their_promises(self) -> None:
        """Every built-in invariant and every added one holds."""
        with self._shortest_history():
            self.world.check(self._checks)

    @contextlib.contextmanager
    def _shortest_history(self) -> Iterator[None]:
        """On the run hypothesis reports, replace a failure by its shortest history (see :meth:`minimal`)."""
        try:
            yield
        except InvariantBroken as broken:
            if _reported_run():
                raise self.minimal(broken) from None  # the long history is in hypothesis's steps above
            raise

    def teardown(self) -> None:
        """The stored events fold to the live state at the end of every run."""
        if self.world.set_up_steps:
            self.world.check((_named(stored_events_fold_to_the_live_state),))


def run_case_machine(
    ruleset: Ruleset = SWEDEN_DEFAULT, *invariants: Invariant, settings: Settings | None = None
) -> None:
    """Run the machine on ``ruleset`` with ``invariants``; raise the shortest :class:`InvariantBroken` found.

    Hypothesis shrinks the failing run; the history it leaves is then replayed without each step in turn,
    keeping every removal after which the same invariant still breaks, so the history you read is minimal.
    """
    machine = CaseMachine.for_ruleset(ruleset, *invariants)
    try:
        run_state_machine_as_test(machine, settings=settings)
    except InvariantBroken as broken:
        raise machine.minimal(broken) from None
