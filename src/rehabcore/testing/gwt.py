"""Given / when / then over events: tests that read like the rulebook.

    given(opened, lss_decision, daily_activity).when(EndPlacement(...)).then_rejected("B9")
    given(opened).when(StartPlacement(...), ruleset=MY_RULES).then(PlacementStarted(...))
    given(...).when(ReceiveReferral(...), today=later).then_warns("B10")

``given`` folds case events; ``when`` calls ``decide`` with a ``Context(today, ruleset)`` — the ruleset's
local rules included — and ``review`` for the warnings; ``then`` compares the events and, when they differ,
prints both lists one readable line per event with the differing fields spelled out. ``given_unit`` does the
same for units, with ``decide_unit`` for unit commands and ``decide_places`` (what ``Cases`` calls) for the
places case events take or give back. Every check is a plain ``assert``, so pytest shows the message.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.evolve import fold_case, fold_unit
from rehabcore.domain.places import decide_places
from rehabcore.domain.review import review
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.unit import decide_unit
from rehabcore.domain.vocabulary import PlacementKind, UnitKind
from rehabcore.errors import RuleViolation
from rehabcore.testing.readable import date_of, line, value

_NOTHING = "<nothing>"
_BUILT_IN = re.compile(r"[BCU]\d+")
_NO_CASE = uuid.UUID(int=0)


def diff(expected: Sequence[object], actual: Sequence[object]) -> str:
    """Expected vs actual events, one readable line each, with the fields that differ spelled out."""
    lines = []
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else _NOTHING
        a = actual[i] if i < len(actual) else _NOTHING
        if e == a:
            lines.append(f"  [{i}] {line(e)}")
            continue
        lines.append(f"- [{i}] expected {line(e)}")
        lines.append(f"+ [{i}] actual   {line(a)}")
        if type(e) is type(a) and attrs.has(type(e)):
            for f in attrs.fields(type(e)):  # type: ignore[arg-type]
                want, got = getattr(e, f.name), getattr(a, f.name)
                if want != got:
                    shown = (value(want), value(got))
                    if shown[0] == shown[1]:  # two ids that print alike: show them whole
                        shown = (repr(want), repr(got))
                    lines.append(f"      {type(e).__name__}.{f.name}: expected {shown[0]}, actual {shown[1]}")
    return "\n".join(lines)


@attrs.define
class Then:
    """The outcome of ``when``: the events decided, or the rule that rejected the command."""

    command: object
    events: list[Any] | None
    error: RuleViolation | None
    warnings: list[RuleWarning] = attrs.field(factory=list)
    after: Any = None
    #: The ruleset the command was decided under, and whether the test named it (``ruleset=``).
    ruleset: Ruleset = SWEDEN_DEFAULT
    ruleset_named: bool = True

    def then(self, *expected: object) -> Then:
        """Accepted, with exactly these events."""
        assert self.error is None, f"expected {len(expected)} event(s), but {line(self.error)}"
        assert self.events is not None
        assert list(expected) == self.events, "events differ:\n" + diff(expected, self.events)
        return self

    def then_accepted(self) -> Then:
        """Accepted, whatever the events."""
        assert self.error is None, f"expected acceptance, but {line(self.error)}"
        return self

    def then_rejected(
        self, rule_id: str, error: type[RuleViolation] | None = None, *, says: str | Sequence[str] = ()
    ) -> RuleViolation:
        """Rejected by rule ``rule_id`` (and by ``error``, if given); the message says each of ``says``.

        A failure names the ruleset, and says so when ``rule_id`` is neither built in nor one of its local
        rules.
        """
        under = f"{rule_id} under {self.ruleset.ref}"
        assert self.error is not None, (
            f"expected rejection by {under}, but accepted{self._not_in_play(rule_id)}:\n"
            + diff([], self.events or [])
        )
        if error is not None:
            assert isinstance(self.error, error), f"expected {error.__name__}, got {self.error!r}"
        assert self.error.rule_id == rule_id, (
            f"expected rule {under}, got {line(self.error)}{self._not_in_play(rule_id)}"
        )
        for phrase in [says] if isinstance(says, str) else says:
            assert phrase in str(self.error), f"message does not say {phrase!r}: {self.error}"
        return self.error

    def _not_in_play(self, rule_id: str) -> str:
        if _BUILT_IN.fullmatch(rule_id) or any(r.rule_id == rule_id for r in self.ruleset.local_rules):
            return ""
        local = ", ".join(r.rule_id for r in self.ruleset.local_rules) or "none"
        how = (
            "given() was called without ruleset=, so the default ruleset decided"
            if not self.ruleset_named
            else "pass the ruleset that has it"
        )
        return f" — {rule_id} is not a rule of {self.ruleset.ref} (its local rules: {local}); {how}"

    def then_warns(self, *rule_ids: str) -> Then:
        """Accepted with exactly these warnings (by rule id); none given means no warning at all."""
        self.then_accepted()
        found = sorted(w.rule_id for w in self.warnings)
        assert found == sorted(rule_ids), f"expected warnings {sorted(rule_ids)}, got:\n" + "\n".join(
            f"  {w.rule_id} {w.code}: {w.message}" for w in self.warnings
        )
        return self

    def warning(self, rule_id: str) -> RuleWarning:
        """The one warning of ``rule_id``."""
        matching = [w for w in self.warnings if w.rule_id == rule_id]
        assert len(matching) == 1, f"expected one {rule_id} warning, got {self.warnings}"
        return matching[0]


@attrs.define
class Given:
    """A case folded from events, and the day and ruleset commands are decided under."""

    events: tuple[ev.CaseEvent, ...]
    today: dt.date | None = None
    ruleset: Ruleset = SWEDEN_DEFAULT
    #: Whether the test named the ruleset; a failure says so when it did not and a local rule was expected.
    ruleset_named: bool = True

    @property
    def state(self) -> CaseState:
        """The case the given events fold to."""
        return fold_case(self.events)

    def when(
        self, command: cmd.CaseCommand, *, today: dt.date | None = None, ruleset: Ruleset | None = None
    ) -> Then:
        """Decide ``command`` on the given case, today, under ``ruleset``; review it when accepted.

        ``today`` defaults to the ``given``'s, else the date of the last given event, else the command's.
        """
        state = self.state
        day = today or self.today or state.last_occurred_on or date_of(command)
        ctx = Context(today=day, ruleset=ruleset or self.ruleset)
        named = ruleset is not None or self.ruleset_named
        try:
            events = decide(command, state, ctx)
        except RuleViolation as exc:
            return Then(command, None, exc, ruleset=ctx.ruleset, ruleset_named=named)
        after = fold_case(events, state)
        return Then(command, events, None, review(command, after, ctx), after, ctx.ruleset, named)


def given(*events: ev.CaseEvent, today: dt.date | None = None, ruleset: Ruleset | None = None) -> Given:
    """A case with these events recorded; ``when`` decides under ``ruleset`` on ``today``.

    Without ``ruleset`` the default (Swedish) ruleset decides, with no local rules: a ``then_rejected`` that
    expects a local rule then says that rule was never in play.
    """
    return Given(events, today, ruleset or SWEDEN_DEFAULT, ruleset_named=ruleset is not None)


@attrs.define
class GivenUnit:
    """A unit folded from events; ``case_id`` is the case whose events ``when_placed`` takes places for."""

    events: tuple[ev.UnitEvent, ...]
    case_id: uuid.UUID = _NO_CASE
    ruleset: Ruleset = SWEDEN_DEFAULT

    @property
    def state(self) -> UnitState:
        """The unit the given events fold to."""
        return fold_unit(self.events)

    def when(self, command: cmd.UnitCommand, *, today: dt.date | None = None) -> Then:
        """Decide a unit command (with the ruleset's local rules)."""
        state = self.state
        day = today or state.registered_on or date_of(command)
        try:
            return Then(
                command, list(decide_unit(command, state, Context(today=day, ruleset=self.ruleset))), None
            )
        except RuleViolation as exc:
            return Then(command, None, exc)

    def when_placed(
        self,
        *case_events: ev.CaseEvent,
        case: CaseState | None = None,
        over_capacity_reason: str | None = None,
    ) -> Then:
        """What the new ``case_events`` (on ``case``) do to this unit's places, as ``decide_places`` decides.

        ``over_capacity_reason`` is given to the placements started without one. Other units the events
        touch are taken to have room: this given is about one unit.
        """
        state = self.state
        before = attrs.evolve(case or CaseState(), case_id=self.case_id)
        events = [
            attrs.evolve(e, over_capacity_reason=over_capacity_reason)
            if isinstance(e, ev.PlacementStarted) and e.over_capacity_reason is None
            else e
            for e in case_events
        ]

        def unit(unit_id: uuid.UUID) -> UnitState:
            return state if unit_id == state.unit_id or not state.is_registered else _roomy(unit_id)

        try:
            by_unit = decide_places(before, fold_case(events, before), events, unit)
        except RuleViolation as exc:
            return Then(case_events, None, exc)
        mine = [e for unit_id, events in by_unit.items() for e in events if unit(unit_id) is state]
        return Then(case_events, list(mine), None, after=fold_unit(mine, state))


def _roomy(unit_id: uuid.UUID) -> UnitState:
    """A unit that takes every kind of placement and has room: another unit, out of the given's scope."""
    return UnitState(
        unit_id=unit_id,
        registered_on=dt.date.min,
        capacities=((dt.date.min, 1_000_000),),
        purposes=((dt.date.min, UnitKind.LSS_DAILY_ACTIVITY, tuple(PlacementKind)),),
    )


def given_unit(
    *events: ev.UnitEvent, case_id: uuid.UUID = _NO_CASE, ruleset: Ruleset = SWEDEN_DEFAULT
) -> GivenUnit:
    """A unit with these events recorded; places are taken for ``case_id``."""
    return GivenUnit(events, case_id, ruleset)
