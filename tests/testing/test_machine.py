"""The rule machine: nothing wrong on the default rulesets; a planted mistake is found and shrunk to a short,
readable history; the built-in invariants can fail."""

import collections
import datetime as dt
import uuid

import attrs
import orjson
import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.context import Context
from rehabcore.domain.local_rules import rejects
from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, DuplicateId, RuleParameters, Ruleset
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import (
    Basis,
    CloseReason,
    EndReason,
    Jurisdiction,
    LegalBases,
    Personkrets,
    PlacementKind,
    ReferralSource,
    ServiceKind,
    UnitKind,
)
from rehabcore.store import ANY_VERSION, NewEvent, StreamWrite
from rehabcore.testing import (
    CaseMachine,
    InvariantBroken,
    World,
    an_id,
    given_unit,
    per_case,
    run_case_machine,
)
from rehabcore.testing import invariants as inv
from rehabcore.testing import strategies as rs
from rehabcore.testing.readable import value
from rehabcore.testing.world import START, Invariant

FIRST_MONTH = dt.timedelta(days=30)
# Generation only: the machine's own replay does the shrinking, in a fraction of hypothesis's time.
FIND = settings(phases=[Phase.generate])


def _recording(seen: collections.Counter[str]) -> Invariant:
    def record(world: World) -> None:
        if world.steps:
            last = world.steps[-1]
            seen[type(last.command).__name__ if last.accepted else f"rejected {last.error.rule_id}"] += 1  # type: ignore[union-attr]

    return record  # type: ignore[return-value]


@pytest.mark.parametrize("ruleset", [SWEDEN_DEFAULT, DENMARK_DEFAULT], ids=lambda r: r.ref)
def test_the_default_rulesets_keep_every_built_in_invariant(ruleset: Ruleset) -> None:
    # The loaded profile: derandomized, 40 examples under CI. Not vacuous: the runs placed, extended, ended,
    # decided, closed, corrected, changed units, and were refused by the rules along the way.
    reach = run_case_machine(
        ruleset,
        require_reached=[
            "StartPlacement",
            "ExtendPlacement",
            "InterruptPlacement",
            "EndPlacement",
            "MakeDecision",
            "CloseCase",
            "CorrectEntry",
            "RetractEntry",
            "ChangeUnitCapacity",
            "ChangeUnitPurpose",
        ],
    )
    refused = sum(n for (_, outcome), n in reach.commands.items() if outcome.startswith("rejected by B"))
    assert refused > 20, reach.report()


def _placed_above_half_time(case: CaseState, start: dt.date, hours: int) -> bool:
    assert case.opened_on is not None
    return start < case.opened_on + FIRST_MONTH and hours > 20


@rejects("ORN-1", anchor="Arbetsmarknadsnämnden 2026-02-10 § 14", on=cmd.StartPlacement)
def half_time_mistyped(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """No placement above 50 % (20 h/week) in the case's first month — with "50 %" typed as 50 hours."""
    if c.start_on < case.opened_on + FIRST_MONTH and c.hours_per_week > 50:  # type: ignore[operator]
        return "at most 20 h/week in the first month"
    return None


@per_case
def nobody_above_half_time_in_the_first_month(case: CaseState) -> str | None:
    """ORN-1: nobody is placed above 20 h/week in their case's first month."""
    for p in case.placements.values():
        if _placed_above_half_time(case, p.start_on, p.hours_per_week):
            return f"placement {value(p.placement_id)} starts {p.start_on} at {p.hours_per_week} h/week"
    return None


PLANTED = Ruleset(
    name="planted",
    version="1",
    jurisdiction=Jurisdiction.SE,
    parameters=RuleParameters(max_work_training_days=90),
    local_rules=(half_time_mistyped,),
)


def test_a_planted_mistake_is_found_and_shrunk_to_a_short_readable_history() -> None:
    with pytest.raises(InvariantBroken) as found:
        run_case_machine(PLANTED, nobody_above_half_time_in_the_first_month, settings=FIND)
    broken = found.value
    assert broken.invariant.startswith("nobody_above_half_time_in_the_first_month")
    assert 1 <= len(broken.steps) <= 3, str(broken)
    last = broken.steps[-1]
    assert last.accepted and isinstance(last.command, cmd.StartPlacement)
    # In the case's first month: from the set-up's opening, or the day a step of the history corrected it to.
    opened = next(
        (
            s.command.replacement.occurred_on
            for s in broken.steps
            if isinstance(s.command, cmd.CorrectEntry) and isinstance(s.command.replacement, ev.CaseOpened)
        ),
        rs.BASE_DATE,
    )
    assert 20 < last.command.hours_per_week <= 50 and last.command.start_on < opened + FIRST_MONTH
    message = str(broken)
    assert "under ruleset planted@1" in message and "StartPlacement case_id=case-" in message
    assert "UUID(" not in message and f"hours_per_week={last.command.hours_per_week}" in message
    # A journal: the day handled, the command and the event it wrote as dated lines.
    started = last.command.start_on
    assert f"(handled {last.today})" in message
    assert f". on {started} StartPlacement case_id=" in message
    assert f"→ on {started} PlacementStarted placement_id=" in message


def test_the_same_rule_written_right_passes() -> None:
    @rejects("ORN-1", anchor="Arbetsmarknadsnämnden 2026-02-10 § 14", on=cmd.StartPlacement)
    def half_time(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
        """No placement above 50 % (20 h/week) in the case's first month."""
        return "at most 20 h/week" if _placed_above_half_time(case, c.start_on, c.hours_per_week) else None

    # Transfers into daily activity also set hours; the right rule covers them too.
    @rejects("ORN-1b", anchor="Arbetsmarknadsnämnden 2026-02-10 § 14", on=cmd.TransferToLssDailyActivity)
    def half_time_on_transfer(c: cmd.TransferToLssDailyActivity, case: CaseState, ctx: Context) -> str | None:
        """The same, for transfers."""
        return "at most 20 h/week" if _placed_above_half_time(case, c.start_on, c.hours_per_week) else None

    right = Ruleset(
        name="right",
        version="1",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(max_work_training_days=90),
        local_rules=(half_time, half_time_on_transfer),
    )
    run_case_machine(right, nobody_above_half_time_in_the_first_month, settings=FIND)


# --- the built-in invariants can fail: histories written past the rules ------------------------------------

CASE, UNIT = an_id("case-1"), an_id("unit-A")
OPENED = ev.CaseOpened(
    occurred_on=rs.BASE_DATE,
    case_id=CASE,
    subject_id=an_id("subject-1"),
    jurisdiction=Jurisdiction.SE,
    municipality_code="2284",
    source=ReferralSource.SELF,
)
DECIDED = ev.DecisionMade(
    occurred_on=rs.BASE_DATE,
    decision_id=an_id("id-1"),
    outcome=__import__("rehabcore").domain.vocabulary.DecisionOutcome.GRANT,
    legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
    service=ServiceKind.LSS_DAILY_ACTIVITY,
    valid_from=rs.BASE_DATE,
    valid_to=None,
    personkrets=Personkrets.GROUP_1,
)


def _world_with(case_events: list[ev.Event], unit_events: list[ev.Event] = ()) -> World:  # type: ignore[assignment]
    """A world whose store holds events no decider accepted: the invariants must see through them."""
    world = World(SWEDEN_DEFAULT, rs.Pools.fresh(1))
    for stream, events in ((f"case-{CASE}", case_events), (f"unit-{UNIT}", list(unit_events))):
        if events:
            new = [NewEvent(uuid.uuid4(), *codec.encode_event(e), orjson.dumps({})) for e in events]
            world.store.append(StreamWrite(stream, new, ANY_VERSION))
    return world


def _daily_activity(on: dt.date) -> ev.PlacementStarted:
    return ev.PlacementStarted(
        occurred_on=on,
        placement_id=an_id("id-2"),
        unit_id=UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        basis=Basis.lss(an_id("id-1")),
        planned_end_on=None,
        hours_per_week=20,
    )


def test_b9_continuity_breaks_when_a_participant_is_left_without_daily_activity() -> None:
    day = rs.BASE_DATE + dt.timedelta(days=10)
    left = [
        OPENED,
        DECIDED,
        _daily_activity(rs.BASE_DATE),
        ev.PlacementEnded(occurred_on=day, placement_id=an_id("id-2"), reason=EndReason.UNIT_REFOCUS),
    ]
    assert "no daily activity the next day" in (inv.lss_continuity(_world_with(left)) or "")
    chose = [
        *left[:3],
        ev.PlacementEnded(occurred_on=day, placement_id=an_id("id-2"), reason=EndReason.OWN_CHOICE),
    ]
    assert inv.lss_continuity(_world_with(chose)) is None


def test_dates_in_order_breaks_on_a_placement_before_the_opening() -> None:
    early = [OPENED, DECIDED, _daily_activity(rs.BASE_DATE - dt.timedelta(days=1))]
    assert "before the opening" in (inv.dates_in_order(_world_with(early)) or "")
    assert inv.dates_in_order(_world_with([OPENED, DECIDED, _daily_activity(rs.BASE_DATE)])) is None


def _daily_activity_unit(places: int) -> ev.UnitRegistered:
    return ev.UnitRegistered(
        occurred_on=rs.BASE_DATE,
        unit_id=UNIT,
        name="Enhet",
        kind=UnitKind.LSS_DAILY_ACTIVITY,
        jurisdiction=Jurisdiction.SE,
        capacity=places,
        offers=(PlacementKind.DAILY_ACTIVITY,),
    )


def test_capacity_breaks_when_a_unit_holds_more_than_its_places() -> None:
    registered = _daily_activity_unit(places=1)
    day = rs.BASE_DATE + dt.timedelta(days=3)
    two = [
        registered,
        ev.PlaceTaken(occurred_on=day, placement_id=an_id("id-2"), case_id=CASE),
        ev.PlaceTaken(occurred_on=day, placement_id=an_id("id-3"), case_id=CASE),
    ]
    assert "holds 2 placements on 2025-01-04 but has 1 places" in (
        inv.capacity_every_day(_world_with([OPENED], two)) or ""
    )
    overridden = [
        *two[:2],
        ev.PlaceTaken(
            occurred_on=day,
            placement_id=an_id("id-3"),
            case_id=CASE,
            over_capacity_reason="crisis placement, decided by the unit head",
        ),
    ]
    assert inv.capacity_every_day(_world_with([OPENED], overridden)) is None


def test_cases_and_units_agree_breaks_on_a_placement_without_its_place_and_a_place_of_another_case() -> None:
    registered = _daily_activity_unit(places=2)
    placed = [OPENED, DECIDED, _daily_activity(rs.BASE_DATE)]
    taken = ev.PlaceTaken(occurred_on=rs.BASE_DATE, placement_id=an_id("id-2"), case_id=CASE)
    assert inv.cases_and_units_agree(_world_with(placed, [registered, taken])) is None
    assert (
        inv.cases_and_units_agree(_world_with(placed, [registered]))
        == "case case-1: placement id-2 has no place at its unit"
    )
    other = ev.PlaceTaken(occurred_on=rs.BASE_DATE, placement_id=an_id("id-2"), case_id=an_id("case-2"))
    assert "placement id-2 has a place for case case-2 at its unit" in (
        inv.cases_and_units_agree(_world_with(placed, [registered, other])) or ""
    )
    stray = ev.PlaceTaken(occurred_on=rs.BASE_DATE, placement_id=an_id("id-3"), case_id=CASE)
    assert (
        inv.cases_and_units_agree(_world_with(placed, [registered, taken, stray]))
    ) == "unit unit-A holds a place for id-3, which case case-1 has not placed there"


def test_b15_a_placement_that_starts_earlier_counts_a_later_one_that_has_already_ended() -> None:
    """An ended placement starting later still holds its place on its start day (the machine found it)."""
    one_place = ev.UnitRegistered(
        occurred_on=rs.BASE_DATE,
        unit_id=UNIT,
        name="Enhet",
        kind=UnitKind.WORK_REHABILITATION,
        jurisdiction=Jurisdiction.SE,
        capacity=1,
        offers=(PlacementKind.WORK_TRAINING,),
    )
    later = rs.BASE_DATE + dt.timedelta(days=1)
    unit = given_unit(
        one_place,
        ev.PlaceTaken(occurred_on=later, placement_id=an_id("id-1"), case_id=CASE),
        ev.PlaceReleased(occurred_on=later, placement_id=an_id("id-1")),
        case_id=CASE,
    )
    earlier = ev.PlacementStarted(
        occurred_on=rs.BASE_DATE,
        placement_id=an_id("id-2"),
        unit_id=UNIT,
        kind=PlacementKind.WORK_TRAINING,
        basis=Basis.voluntary(),
        planned_end_on=rs.BASE_DATE + dt.timedelta(days=7),
        hours_per_week=10,
    )
    unit.when_placed(earlier).then_rejected("B15", says="all taken on 2025-01-02")


def test_as_a_test_class_the_reported_failure_is_the_shortest_history_too() -> None:
    """The ``TestCase`` route (hypothesis runs the machine) reports the replay-shrunk history as well."""
    machine = CaseMachine.for_ruleset(PLANTED, nobody_above_half_time_in_the_first_month)
    with pytest.raises(InvariantBroken) as found:
        run_state_machine_as_test(machine, settings=FIND)
    assert 1 <= len(found.value.steps) <= 3, str(found.value)
    assert found.value.__cause__ is None
    # What hypothesis adds to the report (its own run of the steps) reads as lines too, not as reprs.
    notes = getattr(found.value, "__notes__", [])
    report = "\n".join(n for n in notes if not n.startswith("reproduce:"))
    assert any(n.startswith("reproduce:\nfrom rehabcore.testing.reproduce import *") for n in notes), notes
    assert "state.step(action=<20" in report, report
    assert not any(r in report for r in ("UUID(", "Shown(", "About(", "Wait(", "StartPlacement(")), report


def test_a_broken_invariant_prints_the_history_as_a_journal_not_as_reprs() -> None:
    """Dates, commands, the events they wrote (→), the warnings (!) and the rules that refused them (✗)."""
    world = World(SWEDEN_DEFAULT, rs.Pools.fresh(1))
    world.set_up(rs.setup(world.pools))
    case_id, unit = world.pools.case_id, world.pools.units[0]
    start = rs.BASE_DATE + dt.timedelta(days=3)

    def work_training(on: dt.date) -> cmd.StartPlacement:
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=an_id("id-1"),
            unit_id=unit,
            kind=PlacementKind.WORK_TRAINING,
            basis=Basis.voluntary(),
            start_on=on,
            hours_per_week=20,
            planned_end_on=on + dt.timedelta(weeks=8),
        )

    assert world.handle(work_training(start)).accepted
    world.today += dt.timedelta(days=30)
    assert world.handle(work_training(rs.BASE_DATE - dt.timedelta(days=1))).error is not None

    def never(world: World) -> str | None:
        return "broken on purpose"

    with pytest.raises(InvariantBroken) as found:
        world.check((("never", never),))
    broken = found.value
    assert (broken.invariant, broken.problem, broken.ruleset_ref) == (
        "never",
        "broken on purpose",
        "se-default@1",
    )
    assert [(type(s.command), s.accepted) for s in broken.steps] == [
        (cmd.StartPlacement, True),
        (cmd.StartPlacement, False),
    ]
    lines = str(broken).splitlines()
    assert lines[0] == "never: broken on purpose"
    assert lines[1].startswith("under ruleset se-default@1, after 2 step(s) (set-up: unit-A with 2 places, ")
    assert lines[2] == f"  (handled {START})"
    assert lines[3].startswith(
        "   1. on 2025-01-04 StartPlacement case_id=case-1 placement_id=id-1 unit_id=unit-A "
        "kind=work_training basis=voluntary hours_per_week=20"
    )
    assert lines[4].startswith("         → on 2025-01-04 PlacementStarted placement_id=id-1 unit_id=unit-A")
    assert any(line.startswith("         ! B14: a follow-up was due on ") for line in lines), lines
    assert f"  (handled {START + dt.timedelta(days=30)})" in lines
    assert lines[-2].startswith("   2. on 2024-12-31 StartPlacement case_id=case-1")
    assert lines[-1].startswith("         ✗ rejected B4: ")
    assert "UUID(" not in str(broken) and "Step(" not in str(broken)


def test_an_event_written_without_the_ruleset_it_was_decided_under_breaks_the_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Audit replay decides a command again under the ref its events record: a wrong ref is caught at once."""
    world = World(PLANTED, rs.Pools.fresh(1))
    world.set_up(rs.setup(world.pools))
    append = world.store.append

    def stale(*writes: StreamWrite) -> object:
        def restamped(e: NewEvent) -> NewEvent:
            metadata = {**orjson.loads(e.metadata), "ruleset": "planted@0"}
            return attrs.evolve(e, metadata=orjson.dumps(metadata))

        return append(*(attrs.evolve(w, events=[restamped(e) for e in w.events]) for w in writes))

    monkeypatch.setattr(world.store, "append", stale)
    closing = cmd.CloseCase(case_id=world.pools.case_id, closed_on=rs.BASE_DATE, reason=CloseReason.OTHER)
    with pytest.raises(InvariantBroken) as found:
        world.handle(closing)
    assert found.value.invariant == "every event written records the ruleset it was decided under"
    assert found.value.problem == "planted@1 decided it; the events record planted@0"


def test_a_second_case_reusing_a_placement_id_at_one_unit_is_refused_with_c2() -> None:
    """Found by the rule machine (1,200 random examples): a unit keys its places by placement id, so a second
    case reusing one overwrote the first's place (undercounting the unit) and, after a retraction, the other
    case's exit released a place the unit no longer held (KeyError in ``evolve_unit``). Now refused (C2)."""
    world = World(SWEDEN_DEFAULT, rs.Pools.fresh(2, others=8))
    world.set_up(rs.setup(world.pools))
    first, second = world.pools.case_ids
    unit, same = world.pools.units[0], world.pools.others[7]

    def internship(case_id: uuid.UUID, on: dt.date) -> cmd.StartPlacement:
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=same,
            unit_id=unit,
            kind=PlacementKind.INTERNSHIP,
            basis=Basis.voluntary(),
            start_on=on,
            hours_per_week=20,
            planned_end_on=on + dt.timedelta(weeks=12),
        )

    world.handle(internship(first, dt.date(2025, 1, 31)))
    refused = world.handle(internship(second, dt.date(2025, 1, 19)))
    assert isinstance(refused.error, DuplicateId) and refused.error.rule_id == "C2"
    assert str(same) in str(refused.error)
    place = world.cases.unit(unit).places[same]
    assert place.case_id == first, "the first case keeps its place"
    (started,) = [i for i, e in world.entries(first) if isinstance(e, ev.PlacementStarted)]
    world.handle(
        cmd.RetractEntry(case_id=first, event_id=started, retracted_on=dt.date(2025, 1, 31), reason="fel")
    )
    assert same not in world.cases.unit(unit).places
    # With the first place withdrawn the id is free at the unit again, and the second case may use it.
    assert world.handle(internship(second, dt.date(2025, 1, 19))).accepted
    assert world.cases.unit(unit).places[same].case_id == second
