"""Given / when / then over events, for the domain tests.

    given(opened(), lss_decision()).when(StartPlacement(...), today=TODAY).then(PlacementStarted(...))
    given(...).when(EndPlacement(...)).then_rejected("B9", LssContinuityBroken, says="start a new daily")
    given(...).when(ReceiveReferral(...), today=later).then_warns("B10")

``given`` folds case events with ``fold_case``; ``when`` calls ``decide`` with a ``Context``; ``then``
compares the events and prints a readable diff; ``then_warns`` compares the rule ids of ``review`` exactly (no
rule id means: no warning at all). ``given_unit`` does the same for units, with ``decide_unit`` for unit
commands and ``place_moves`` + ``check_place`` for the places case events take or give back.

Also here: the ids, dates and event builders of the small story the tests tell.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import Context, decide
from rehabcore.domain.evolve import evolve_unit, fold_case, fold_unit
from rehabcore.domain.review import review
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.unit import check_place, decide_unit, place_moves
from rehabcore.domain.vocabulary import (
    AssessmentMethod,
    Basis,
    DecisionOutcome,
    FormulatedBy,
    GoalType,
    Jurisdiction,
    LegalBases,
    LegalBasis,
    LifeArea,
    Participation,
    Personkrets,
    PlacementKind,
    ReferralSource,
    ServiceKind,
    UnitKind,
)
from rehabcore.errors import RuleViolation

# --- the story: ids and dates ------------------------------------------------------------------------------

_NS = uuid.UUID("6f1c2a52-5d0e-4f7c-9a47-0b8d3c6e2f10")


def an_id(name: str) -> uuid.UUID:
    """A stable pseudonymous id for a name in the story."""
    return uuid.uuid5(_NS, name)


CASE = an_id("case")
SUBJECT = an_id("subject")
ATERBRUKET = an_id("unit/aterbruket")  # work rehabilitation
DV_UNIT = an_id("unit/daily-activity")  # LSS daily activity
LSS_DECISION = an_id("decision/lss")
SOL_DECISION = an_id("decision/sol")
WORK_TRAINING = an_id("placement/work-training")
DAILY_ACTIVITY = an_id("placement/daily-activity")
NEXT_DAILY_ACTIVITY = an_id("placement/daily-activity-2")
GOAL = an_id("goal/work")

OPENED_ON = dt.date(2026, 1, 12)
DECIDED_ON = dt.date(2026, 2, 2)
STARTED_ON = dt.date(2026, 2, 16)
TODAY = dt.date(2026, 3, 2)

# --- the story: events -------------------------------------------------------------------------------------


def opened(on: dt.date = OPENED_ON, jurisdiction: Jurisdiction = Jurisdiction.SE) -> ev.CaseOpened:
    """The case of SUBJECT was opened."""
    return ev.CaseOpened(on, CASE, SUBJECT, jurisdiction, "2284", ReferralSource.LSS_OFFICER)


def assessed(
    on: dt.date = OPENED_ON, personkrets: Personkrets | None = Personkrets.GROUP_1
) -> ev.NeedsAssessed:
    """Needs were assessed with IBIC."""
    return ev.NeedsAssessed(
        on,
        an_id(f"assessment/{on}"),
        AssessmentMethod.IBIC,
        (LifeArea.WORK_AND_EDUCATION,),
        Participation.FULL,
        personkrets,
    )


def lss_decision(
    decision_id: uuid.UUID = LSS_DECISION,
    on: dt.date = DECIDED_ON,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
) -> ev.DecisionMade:
    """An LSS 9 § 10 daily-activity decision for personkrets group 1."""
    return ev.DecisionMade(
        on,
        decision_id,
        outcome,
        LegalBases.LSS_DAILY_ACTIVITY,
        ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from or on,
        valid_to,
        Personkrets.GROUP_1,
    )


def sol_decision(
    decision_id: uuid.UUID = SOL_DECISION,
    on: dt.date = DECIDED_ON,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
    legal_basis: LegalBasis = LegalBases.SOL_ASSISTANCE_2001,
) -> ev.DecisionMade:
    """A SoL bistånd decision for work rehabilitation."""
    return ev.DecisionMade(
        on, decision_id, outcome, legal_basis, ServiceKind.WORK_REHABILITATION, valid_from or on, valid_to
    )


def work_training_started(
    placement_id: uuid.UUID = WORK_TRAINING,
    on: dt.date = STARTED_ON,
    planned_end_on: dt.date | None = dt.date(2026, 5, 15),
    unit_id: uuid.UUID = ATERBRUKET,
    basis: Basis | None = None,
) -> ev.PlacementStarted:
    """Work training at Återbruket on the SoL decision."""
    return ev.PlacementStarted(
        on,
        placement_id,
        unit_id,
        PlacementKind.WORK_TRAINING,
        basis or Basis.sol(SOL_DECISION),
        planned_end_on,
        20,
    )


def daily_activity_started(
    placement_id: uuid.UUID = DAILY_ACTIVITY,
    on: dt.date = STARTED_ON,
    unit_id: uuid.UUID = DV_UNIT,
    decision_id: uuid.UUID = LSS_DECISION,
) -> ev.PlacementStarted:
    """Daily activity under the LSS decision."""
    return ev.PlacementStarted(
        on, placement_id, unit_id, PlacementKind.DAILY_ACTIVITY, Basis.lss(decision_id), None, 25
    )


def goal_set(
    goal_id: uuid.UUID = GOAL,
    on: dt.date = OPENED_ON,
    formulated_by: FormulatedBy = FormulatedBy.CITIZEN,
) -> ev.GoalSet:
    """A goal in the citizen's own words."""
    return ev.GoalSet(
        on, goal_id, LifeArea.WORK_AND_EDUCATION, "Jag vill jobba med cyklar", formulated_by, GoalType.DEVELOP
    )


def unit_registered(
    unit_id: uuid.UUID = ATERBRUKET,
    capacity: int = 2,
    offers: tuple[PlacementKind, ...] = (PlacementKind.WORK_TRAINING, PlacementKind.DAILY_ACTIVITY),
    on: dt.date = OPENED_ON,
    kind: UnitKind = UnitKind.WORK_REHABILITATION,
) -> ev.UnitRegistered:
    """A unit with ``capacity`` places."""
    return ev.UnitRegistered(on, unit_id, "Återbruket Bjästa", kind, Jurisdiction.SE, capacity, offers)


def place_taken(placement: str, on: dt.date = STARTED_ON, case_id: uuid.UUID = CASE) -> ev.PlaceTaken:
    """Another placement holds one of the unit's places from ``on``."""
    return ev.PlaceTaken(on, an_id(f"placement/{placement}"), case_id)


# --- the readable diff -------------------------------------------------------------------------------------


def diff(expected: Sequence[object], actual: Sequence[object]) -> str:
    """Expected vs actual events, one per line, with the fields that differ spelled out."""
    lines = []
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else "<nothing>"
        a = actual[i] if i < len(actual) else "<nothing>"
        if e == a:
            lines.append(f"  [{i}] {e!r}")
            continue
        lines.append(f"- [{i}] expected {e!r}")
        lines.append(f"+ [{i}] actual   {a!r}")
        if type(e) is type(a) and attrs.has(type(e)):
            for f in attrs.fields(type(e)):  # type: ignore[arg-type]
                ev_, av = getattr(e, f.name), getattr(a, f.name)
                if ev_ != av:
                    lines.append(f"      {type(e).__name__}.{f.name}: expected {ev_!r}, actual {av!r}")
    return "\n".join(lines)


# --- given / when / then -----------------------------------------------------------------------------------


@attrs.define
class Then:
    """The outcome of ``when``: the events decided, or the rule that rejected the command."""

    command: object
    events: list[Any] | None
    error: RuleViolation | None
    warnings: list[RuleWarning] = attrs.field(factory=list)
    after: Any = None

    def then(self, *expected: object) -> Then:
        """Accepted, with exactly these events."""
        assert self.error is None, f"expected {len(expected)} event(s), but rejected: {self.error!r}"
        assert self.events is not None
        assert list(expected) == self.events, "events differ:\n" + diff(expected, self.events)
        return self

    def then_accepted(self) -> Then:
        """Accepted, whatever the events."""
        assert self.error is None, f"expected acceptance, but rejected: {self.error!r}"
        return self

    def then_rejected(
        self, rule_id: str, error: type[RuleViolation], *, says: str | Sequence[str]
    ) -> RuleViolation:
        """Rejected by ``error`` of rule ``rule_id``; the message says each of ``says`` (what to do)."""
        assert self.error is not None, f"expected rejection by {rule_id}, but accepted:\n" + diff(
            [], self.events or []
        )
        assert isinstance(self.error, error), f"expected {error.__name__}, got {self.error!r}"
        assert self.error.rule_id == rule_id, (
            f"expected rule {rule_id}, got {self.error.rule_id}: {self.error}"
        )
        for phrase in [says] if isinstance(says, str) else says:
            assert phrase in str(self.error), f"message does not say {phrase!r}: {self.error}"
        return self.error

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
    """A case folded from events."""

    events: tuple[ev.CaseEvent, ...]

    @property
    def state(self) -> CaseState:
        """The case the given events fold to."""
        return fold_case(self.events)

    def when(
        self, command: cmd.CaseCommand, *, today: dt.date = TODAY, ruleset: Ruleset = SWEDEN_DEFAULT
    ) -> Then:
        """Decide ``command`` on the given case, today, under ``ruleset``; review it when accepted."""
        state = self.state
        ctx = Context(today=today, ruleset=ruleset)
        try:
            events = decide(command, state, ctx)
        except RuleViolation as exc:
            return Then(command, None, exc)
        after = fold_case(events, state)
        return Then(command, events, None, review(command, after, ctx), after)


def given(*events: ev.CaseEvent) -> Given:
    """A case with these events recorded."""
    return Given(events)


@attrs.define
class GivenUnit:
    """A unit folded from events."""

    events: tuple[ev.UnitEvent, ...]

    @property
    def state(self) -> UnitState:
        """The unit the given events fold to."""
        return fold_unit(self.events)

    def when(self, command: cmd.UnitCommand) -> Then:
        """Decide a unit command."""
        try:
            return Then(command, list(decide_unit(command, self.state)), None)
        except RuleViolation as exc:
            return Then(command, None, exc)

    def when_placed(
        self,
        *case_events: ev.CaseEvent,
        case: CaseState | None = None,
        over_capacity_reason: str | None = None,
    ) -> Then:
        """What the new ``case_events`` (on ``case``) do to this unit's places, checked move by move."""
        state = self.state
        moves = place_moves(CASE, case or CaseState(), list(case_events), over_capacity_reason)
        taken: list[ev.UnitEvent] = []
        try:
            for move in moves:
                if move.unit_id != state.unit_id and state.is_registered:
                    continue
                check_place(state, move)
                state = evolve_unit(state, move.event)
                taken.append(move.event)
        except RuleViolation as exc:
            return Then(case_events, None, exc)
        return Then(case_events, taken, None, after=state)


def given_unit(*events: ev.UnitEvent) -> GivenUnit:
    """A unit with these events recorded."""
    return GivenUnit(events)
