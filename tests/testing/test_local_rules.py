"""Local rules take part in decide, review, the unit decider and Cases, and in replay under the ruleset."""

import datetime as dt

import attrs
import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.evolve import evolve_case
from rehabcore.domain.local_rules import LocalRuleViolation, rejects, warns
from rehabcore.domain.rules import Ruleset
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.domain.vocabulary import (
    Basis,
    Jurisdiction,
    PlacementKind,
    ReferralSource,
    Role,
    UnitKind,
)
from rehabcore.testing import an_id, given, given_unit

CASE, SUBJECT, UNIT = an_id("case"), an_id("subject"), an_id("unit/aterbruket")
OPENED_ON = dt.date(2026, 3, 2)
TODAY = OPENED_ON + dt.timedelta(days=60)
ANCHOR = "Arbetsmarknadsnämnden 2026-02-10 § 14"


@rejects("ORN-1", anchor=ANCHOR, on=cmd.StartPlacement)
def half_time_first_month(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """No placement above 50 % (20 h/week) in the case's first month."""
    assert case.opened_on is not None
    if c.start_on < case.opened_on + dt.timedelta(days=30) and c.hours_per_week > 20:
        return f"at most 20 h/week until {case.opened_on + dt.timedelta(days=30)}; got {c.hours_per_week}"
    return None


@warns("ORN-2", anchor=ANCHOR, on=cmd.StartPlacement)
def long_days(c: cmd.StartPlacement, after: CaseState, ctx: Context) -> str | None:
    """Flag placements above 30 h/week for the team meeting."""
    return f"placement {c.placement_id} is {c.hours_per_week} h/week" if c.hours_per_week > 30 else None


@rejects("ORN-3", anchor="Arbetsmarknadsnämnden 2026-02-10 § 15", on=cmd.ChangeUnitCapacity)
def at_most_twelve_places(c: cmd.ChangeUnitCapacity, unit: UnitState, ctx: Context) -> str | None:
    """No unit above twelve places (the premises' fire permit)."""
    return f"{c.capacity} places is above the twelve the permit allows" if c.capacity > 12 else None


LOCAL = Ruleset(
    name="ornskoldsvik",
    version="2026-03",
    jurisdiction=Jurisdiction.SE,
    local_rules=(half_time_first_month, long_days, at_most_twelve_places),
)
OPENED = ev.CaseOpened(
    occurred_on=OPENED_ON,
    case_id=CASE,
    subject_id=SUBJECT,
    jurisdiction=Jurisdiction.SE,
    municipality_code="2284",
    source=ReferralSource.INCOME_SUPPORT,
)


def start(on: dt.date, hours: int, placement: str = "p1") -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=CASE,
        placement_id=an_id(f"placement/{placement}"),
        unit_id=UNIT,
        kind=PlacementKind.OCCUPATION,
        basis=Basis.voluntary(),
        start_on=on,
        hours_per_week=hours,
    )


def test_a_local_rule_rejects_with_its_id_anchor_and_message() -> None:
    error = (
        given(OPENED, ruleset=LOCAL, today=TODAY)
        .when(start(OPENED_ON, 21))
        .then_rejected("ORN-1", LocalRuleViolation)
    )
    assert isinstance(error, LocalRuleViolation) and error.anchor == ANCHOR
    assert str(error) == f"[ORN-1] at most 20 h/week until 2026-04-01; got 21 (local rule: {ANCHOR})"


def test_the_local_rule_lets_through_what_it_does_not_forbid() -> None:
    given(OPENED, ruleset=LOCAL, today=TODAY).when(start(OPENED_ON, 20)).then_warns()
    given(OPENED, ruleset=LOCAL, today=TODAY).when(start(OPENED_ON + dt.timedelta(days=30), 25)).then_warns()


def test_without_the_local_rule_the_rulebook_accepts_the_same_command() -> None:
    given(OPENED).when(start(OPENED_ON, 21)).then_accepted()


def test_the_built_in_rules_are_checked_first() -> None:
    before_opening = start(OPENED_ON - dt.timedelta(days=1), 40)
    given(OPENED, ruleset=LOCAL, today=TODAY).when(before_opening).then_rejected(
        "B4", says="before the case was opened"
    )


def test_a_warning_local_rule_accepts_and_flags() -> None:
    outcome = given(OPENED, ruleset=LOCAL, today=TODAY).when(start(OPENED_ON + dt.timedelta(days=40), 35))
    warning = outcome.then_warns("ORN-2").warning("ORN-2")
    assert warning.code == "orn-2" and "35 h/week" in warning.message


def test_a_local_rule_on_unit_commands_runs_in_the_unit_decider() -> None:
    registered = ev.UnitRegistered(
        occurred_on=OPENED_ON,
        unit_id=UNIT,
        name="Återbruket",
        kind=UnitKind.WORK_REHABILITATION,
        jurisdiction=Jurisdiction.SE,
        capacity=8,
        offers=(PlacementKind.OCCUPATION,),
    )
    more = cmd.ChangeUnitCapacity(unit_id=UNIT, effective_on=OPENED_ON, capacity=13)
    given_unit(registered, ruleset=LOCAL).when(more).then_rejected("ORN-3", says="the permit allows")
    given_unit(registered).when(more).then_accepted()


def test_a_check_that_returns_something_other_than_a_message_is_a_clear_error() -> None:
    sloppy = rejects("X-1", anchor="a", on=cmd.StartPlacement, summary="s")(lambda c, s, ctx: False)
    rules = Ruleset(name="x", version="1", jurisdiction=Jurisdiction.SE, local_rules=(sloppy,))
    with pytest.raises(rc.InvalidInput, match="LocalRule X-1: its check returned bool; return None to pass"):
        given(OPENED, ruleset=rules).when(start(OPENED_ON, 10))


def test_cases_enforce_local_rules_write_nothing_when_rejected_and_replay_reproduces_the_decisions() -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, ruleset=LOCAL, today=lambda: OPENED_ON + dt.timedelta(days=60))
    actor = rc.Actor(id="hand-1", role=Role.CASE_WORKER)
    cases.handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=OPENED_ON,
            name="Återbruket",
            kind=UnitKind.WORK_REHABILITATION,
            jurisdiction=Jurisdiction.SE,
            capacity=10,
            offers=(PlacementKind.OCCUPATION,),
        ),
        actor=actor,
    )
    with pytest.raises(LocalRuleViolation):
        cases.handle(cmd.ChangeUnitCapacity(unit_id=UNIT, effective_on=OPENED_ON, capacity=20), actor=actor)
    cases.handle(
        cmd.OpenCase(
            case_id=CASE,
            subject_id=SUBJECT,
            opened_on=OPENED_ON,
            jurisdiction=Jurisdiction.SE,
            municipality_code="2284",
            source=ReferralSource.INCOME_SUPPORT,
        ),
        actor=actor,
    )
    head = store.head_position()
    with pytest.raises(LocalRuleViolation, match="ORN-1"):
        cases.handle(start(OPENED_ON + dt.timedelta(days=3), 30), actor=actor)
    assert store.head_position() == head, "a rejected command wrote something"
    handled = cases.handle(start(OPENED_ON + dt.timedelta(days=45), 35, "p2"), actor=actor)
    assert [w.rule_id for w in handled.warnings] == ["ORN-2"]

    # Replay: each recorded command, decided again under the ruleset its ref names, gives the recorded events.
    by_ref = {LOCAL.ref: LOCAL}
    state = CaseState()
    for recorded in cases.history(CASE):
        if "command" in recorded.metadata:
            command = codec.structure_command(recorded.metadata["command"])
            ctx = Context(
                today=OPENED_ON + dt.timedelta(days=60), ruleset=by_ref[recorded.metadata["ruleset"]]
            )
            assert decide(command, state, ctx)[0] == recorded.event  # type: ignore[arg-type]
        state = evolve_case(state, recorded.event)  # type: ignore[arg-type]
    assert len(state.placements) == 1


def test_audit_replay_re_runs_the_local_rules_under_the_recorded_ruleset() -> None:
    """Recorded under LOCAL; replayed under a ruleset with the same ref but a stricter ORN-1, it diverges."""
    from rehabcore.audit import Audit

    store = rc.InMemoryStore()
    cases = rc.Cases(store, ruleset=LOCAL, today=lambda: TODAY)
    actor = rc.Actor(id="hand-1", role=Role.CASE_WORKER)
    cases.handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=OPENED_ON,
            name="Återbruket",
            kind=UnitKind.WORK_REHABILITATION,
            jurisdiction=Jurisdiction.SE,
            capacity=10,
            offers=(PlacementKind.OCCUPATION,),
        ),
        actor=actor,
    )
    opening = cmd.OpenCase(
        case_id=CASE,
        subject_id=SUBJECT,
        opened_on=OPENED_ON,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.INCOME_SUPPORT,
    )
    cases.handle(opening, actor=actor)
    cases.handle(start(OPENED_ON + dt.timedelta(days=40), 20), actor=actor)
    assert Audit(store, rulesets=[LOCAL]).replay(CASE).divergences == ()

    @rejects("ORN-1", anchor=ANCHOR, on=cmd.StartPlacement)
    def quarter_time(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
        """At most 10 h/week, ever (a later version of the policy)."""
        return "at most 10 h/week" if c.hours_per_week > 10 else None

    same_ref = Ruleset(
        name=LOCAL.name, version=LOCAL.version, jurisdiction=Jurisdiction.SE, local_rules=(quarter_time,)
    )
    (divergence,) = Audit(store, rulesets=[same_ref]).replay(CASE).divergences
    assert divergence.kind.value == "rejected_now" and "[ORN-1] at most 10 h/week" in divergence.detail


def test_a_correction_that_would_break_a_local_rule_is_refused_with_that_rule() -> None:
    """Corrections re-decide the history under the ruleset: ORN-1 guards corrected hours as well."""
    store = rc.InMemoryStore()
    cases = rc.Cases(store, ruleset=LOCAL, today=lambda: TODAY)
    actor = rc.Actor(id="hand-1", role=Role.CASE_WORKER)
    cases.handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=OPENED_ON,
            name="Återbruket",
            kind=UnitKind.WORK_REHABILITATION,
            jurisdiction=Jurisdiction.SE,
            capacity=10,
            offers=(PlacementKind.OCCUPATION,),
        ),
        actor=actor,
    )
    cases.handle(
        cmd.OpenCase(
            case_id=CASE,
            subject_id=SUBJECT,
            opened_on=OPENED_ON,
            jurisdiction=Jurisdiction.SE,
            municipality_code="2284",
            source=ReferralSource.INCOME_SUPPORT,
        ),
        actor=actor,
    )
    cases.handle(start(OPENED_ON + dt.timedelta(days=3), 20), actor=actor)
    (stored,) = [s for s in store.read_stream(rc.case_stream(CASE)) if "PlacementStarted" in s.type]
    started = codec.decode_event(stored.type, stored.schema_version, stored.data)
    head = store.head_position()
    with pytest.raises(LocalRuleViolation) as refused:
        cases.handle(
            cmd.CorrectEntry(
                case_id=CASE,
                event_id=stored.event_id,
                corrected_on=TODAY,
                replacement=attrs.evolve(started, hours_per_week=30),  # type: ignore[arg-type]
                reason="fel timantal",
            ),
            actor=actor,
        )
    assert refused.value.rule_id == "ORN-1" and refused.value.anchor == ANCHOR
    assert "read with this correction" in str(refused.value) and store.head_position() == head
