"""Corrections without editing: a correction or retraction is a new entry with a reason and the actor; the
case reads with it from then on, the original stays visible, and a correction that would break a hard rule
is refused with that rule, writing nothing."""

from __future__ import annotations

import datetime as dt

import attrs
import orjson
import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.audit import Audit
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.corrections import fold_effective
from rehabcore.domain.vocabulary import GoalOutcome, GoalResult

from .story import (
    CASE,
    CASE_WORKER,
    DAILY,
    DV_UNIT,
    DV_UNIT_2,
    GOAL,
    LSS,
    TODAY,
    event_id,
    told,
)


def _stored(cases: rc.Cases, type_name: str) -> ev.CaseEvent:
    for s in cases.store.read_stream(rc.case_stream(CASE)):
        if s.type == f"rehab.{type_name}":
            return codec.decode_event(s.type, s.schema_version, s.data)  # type: ignore[return-value]
    raise LookupError(type_name)


def _correct(
    cases: rc.Cases, type_name: str, reason: str = "fel datum i registreringen", **changes: object
) -> rc.Handled:
    original = _stored(cases, type_name)
    return cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=event_id(cases, CASE, type_name),
            corrected_on=TODAY,
            replacement=attrs.evolve(original, **changes),
            reason=reason,
        ),
        actor=CASE_WORKER,
    )


def test_a_wrong_start_date_is_corrected_and_the_case_reads_with_it_from_then_on() -> None:
    cases, _ = told()
    before = cases.get(CASE)
    handled = _correct(cases, "PlacementStarted", occurred_on=dt.date(2026, 2, 23))
    assert [type(e) for e in handled.events] == [ev.EntryCorrected]
    state = cases.get(CASE)
    assert state.placements[DAILY].start_on == dt.date(2026, 2, 23)
    assert state.version == before.version + 1
    # A fresh service on the same store (no cache) reads the same.
    assert rc.Cases(cases.store, today=lambda: TODAY).get(CASE) == state
    # The unit's place moved with it.
    assert cases.unit(DV_UNIT).places[DAILY].taken_on == dt.date(2026, 2, 23)


def test_the_original_stays_visible_with_who_corrected_it_and_why() -> None:
    cases, _ = told()
    _correct(cases, "PlacementStarted", reason="startade en vecka senare", occurred_on=dt.date(2026, 2, 23))
    record = Audit(cases.store).record(CASE)
    started = next(e for e in record.entries if isinstance(e.event, ev.PlacementStarted))
    assert started.event.occurred_on == dt.date(2026, 2, 16)  # as recorded
    assert started.effective is not None and started.effective.occurred_on == dt.date(2026, 2, 23)
    correction = next(e for e in record.entries if e.event_id in started.corrected_by)
    assert isinstance(correction.event, ev.EntryCorrected)
    assert correction.event.reason == "startade en vecka senare"
    assert (correction.provenance.actor_id, correction.provenance.role) == ("hand-042", "case_worker")
    assert correction.provenance.command is not None
    assert correction.provenance.command["type"] == "rehab.cmd.CorrectEntry"


def test_as_known_before_the_correction_the_case_reads_as_first_recorded() -> None:
    cases, clock = told()
    moment = clock.now
    _correct(cases, "PlacementStarted", occurred_on=dt.date(2026, 2, 23))
    assert cases.get(CASE, as_known_at=moment).placements[DAILY].start_on == dt.date(2026, 2, 16)
    assert Audit(cases.store).state(CASE, as_known_at=moment) == cases.get(CASE, as_known_at=moment)


def test_the_wrong_unit_is_corrected_and_the_place_moves_between_units() -> None:
    cases, _ = told()
    _correct(cases, "PlacementStarted", unit_id=DV_UNIT_2)
    assert DAILY not in cases.unit(DV_UNIT).places
    assert cases.unit(DV_UNIT_2).places[DAILY].taken_on == dt.date(2026, 2, 16)
    assert cases.get(CASE).placements[DAILY].unit_id == DV_UNIT_2


def test_moving_a_placement_to_a_full_unit_is_refused_with_b15_and_nothing_is_written() -> None:
    cases, _ = told()
    cases.handle(
        cmd.ChangeUnitCapacity(unit_id=DV_UNIT_2, effective_on=dt.date(2026, 1, 12), capacity=0),
        actor=CASE_WORKER,
    )
    head = cases.store.head_position()
    with pytest.raises(r.UnitFull, match="B15"):
        _correct(cases, "PlacementStarted", unit_id=DV_UNIT_2)
    assert cases.store.head_position() == head
    assert cases.unit(DV_UNIT).places[DAILY].taken_on == dt.date(2026, 2, 16)


def test_a_correction_that_would_break_b7_is_refused_with_b7_and_nothing_is_written() -> None:
    cases, _ = told()
    head = cases.store.head_position()
    # The daily activity moved to before the decision was valid: it would stand on nothing. (Correcting the
    # decision's validity instead is refused before that, by D3: a correction never changes what was decided.)
    with pytest.raises(r.LssDecisionNotInForce, match="B7"):
        _correct(cases, "PlacementStarted", occurred_on=dt.date(2026, 1, 30))
    assert cases.store.head_position() == head
    with pytest.raises(r.DecisionCannotBeRewritten, match="D3"):
        _correct(cases, "DecisionMade", valid_from=dt.date(2026, 3, 1))
    assert cases.store.head_position() == head
    assert cases.get(CASE).decisions[LSS].made.valid_from == dt.date(2026, 2, 2)


def test_retracting_an_entry_recorded_on_the_wrong_case_leaves_it_out() -> None:
    cases, _ = told()
    cases.handle(
        cmd.RetractEntry(
            case_id=CASE,
            event_id=event_id(cases, CASE, "GoalSet"),
            retracted_on=TODAY,
            reason="registrerat på fel ärende",
        ),
        actor=CASE_WORKER,
    )
    assert GOAL not in cases.get(CASE).goals
    entries = Audit(cases.store).record(CASE).entries
    goal = next(e for e in entries if isinstance(e.event, ev.GoalSet))
    assert goal.effective is None and goal.retracted_by is not None


def test_retracting_an_entry_later_entries_stand_on_is_refused_with_c1() -> None:
    cases, _ = told()
    cases.handle(
        cmd.RecordFollowUp(
            case_id=CASE,
            follow_up_id=rc.new_case_id(),
            follow_up_on=dt.date(2026, 3, 20),
            goal_results=(GoalOutcome(GOAL, GoalResult.PARTLY_ACHIEVED),),
            participation=rc.domain.vocabulary.Participation.FULL,
            status=rc.domain.vocabulary.FollowUpStatus.CONTINUE,
        ),
        actor=CASE_WORKER,
    )
    head = cases.store.head_position()
    with pytest.raises(r.GoalNotOpen, match="B13"):
        cases.handle(
            cmd.RetractEntry(
                case_id=CASE,
                event_id=event_id(cases, CASE, "GoalSet"),
                retracted_on=TODAY,
                reason="fel ärende",
            ),
            actor=CASE_WORKER,
        )
    assert cases.store.head_position() == head


@pytest.mark.parametrize(
    ("build", "rule"),
    [
        (
            lambda c: cmd.RetractEntry(
                case_id=CASE, event_id=rc.new_case_id(), retracted_on=TODAY, reason="x"
            ),
            "C1",
        ),
        (
            lambda c: cmd.RetractEntry(
                case_id=CASE,
                event_id=event_id(c, CASE, "CaseOpened"),
                retracted_on=TODAY,
                reason="fel person",
            ),
            "C3",
        ),
        (
            lambda c: cmd.CorrectEntry(
                case_id=CASE,
                event_id=event_id(c, CASE, "GoalSet"),
                corrected_on=TODAY,
                replacement=ev.CaseReopened(occurred_on=TODAY),
                reason="fel slag",
            ),
            "C3",
        ),
        (
            lambda c: cmd.CorrectEntry(
                case_id=CASE,
                event_id=event_id(c, CASE, "GoalSet"),
                corrected_on=TODAY,
                replacement=_stored(c, "GoalSet"),
                reason="ingen ändring",
            ),
            "C3",
        ),
        (
            lambda c: cmd.CorrectEntry(
                case_id=CASE,
                event_id=event_id(c, CASE, "CaseOpened"),
                corrected_on=TODAY,
                replacement=attrs.evolve(_stored(c, "CaseOpened"), subject_id=rc.new_case_id()),
                reason="fel person",
            ),
            "B2",
        ),
        (
            lambda c: cmd.CorrectEntry(
                case_id=CASE,
                event_id=event_id(c, CASE, "GoalSet"),
                corrected_on=TODAY + dt.timedelta(days=400),
                replacement=attrs.evolve(_stored(c, "GoalSet"), citizen_words="Laga mat"),
                reason="stavfel",
            ),
            "B4",
        ),
    ],
    ids=["unknown-entry", "retract-opening", "other-kind", "nothing-changes", "other-person", "dated-ahead"],
)
def test_corrections_that_make_no_sense_are_refused_by_rule_and_write_nothing(build, rule: str) -> None:  # type: ignore[no-untyped-def]
    cases, _ = told()
    head = cases.store.head_position()
    with pytest.raises(rc.RuleViolation) as caught:
        cases.handle(build(cases), actor=CASE_WORKER)
    assert caught.value.rule_id == rule
    assert cases.store.head_position() == head


def test_a_correction_of_a_correction_is_refused_and_the_entry_can_be_corrected_again() -> None:
    cases, _ = told()
    _correct(cases, "PlacementStarted", occurred_on=dt.date(2026, 2, 23))
    with pytest.raises(r.InvalidState, match="C3"):
        cases.handle(
            cmd.RetractEntry(
                case_id=CASE,
                event_id=event_id(cases, CASE, "EntryCorrected"),
                retracted_on=TODAY,
                reason="ångra",
            ),
            actor=CASE_WORKER,
        )
    started = event_id(cases, CASE, "PlacementStarted")
    cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=started,
            corrected_on=TODAY,
            replacement=attrs.evolve(_stored(cases, "PlacementStarted"), occurred_on=dt.date(2026, 2, 20)),
            reason="rätt datum enligt närvarolistan",
        ),
        actor=CASE_WORKER,
    )
    assert cases.get(CASE).placements[DAILY].start_on == dt.date(2026, 2, 20)


def test_handling_the_same_correction_twice_writes_it_once() -> None:
    cases, _ = told()
    correction = cmd.CorrectEntry(
        case_id=CASE,
        event_id=event_id(cases, CASE, "GoalSet"),
        corrected_on=TODAY,
        replacement=attrs.evolve(_stored(cases, "GoalSet"), citizen_words="Jobba med trä igen, på heltid"),
        reason="citatet blev avkortat",
    )
    cases.handle(correction, actor=CASE_WORKER)
    head = cases.store.head_position()
    assert cases.handle(correction, actor=CASE_WORKER).duplicate
    assert cases.store.head_position() == head
    assert cases.get(CASE).goals[GOAL].set.citizen_words == "Jobba med trä igen, på heltid"


def test_a_correction_records_the_actor_and_the_whole_command_in_its_envelope() -> None:
    cases, _ = told()
    _correct(cases, "GoalSet", citizen_words="Jobba med trä")
    last = cases.store.read_stream(rc.case_stream(CASE))[-1]
    meta = orjson.loads(last.metadata)
    assert meta["actor"] == {"id": "hand-042", "role": "case_worker", "unit": "AME Örnsköldsvik"}
    assert meta["ruleset"] == "se-default@1" and meta["tenant"] == "kommun-2284"
    command = codec.structure_command(meta["command"])
    assert isinstance(command, cmd.CorrectEntry) and str(command.command_id) == meta["command_id"]


def test_a_replacement_that_is_not_an_entry_is_refused_when_the_command_is_built() -> None:
    with pytest.raises(rc.InvalidInput, match=r"CorrectEntry\.replacement"):
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=LSS,
            corrected_on=TODAY,
            replacement="2026-02-23",  # type: ignore[arg-type]
            reason="fel datum",
        )
    with pytest.raises(rc.InvalidInput, match=r"CorrectEntry\.reason"):
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=LSS,
            corrected_on=TODAY,
            replacement=ev.CaseReopened(occurred_on=TODAY),
            reason=" ",
        )


def test_decide_called_directly_with_a_correction_says_where_to_go() -> None:
    cases, _ = told()
    from rehabcore.domain import Context, decide

    with pytest.raises(r.InvalidState, match="through Cases"):
        decide(
            cmd.RetractEntry(case_id=CASE, event_id=LSS, retracted_on=TODAY, reason="x"),
            cases.get(CASE),
            Context(today=TODAY),
        )


def test_fold_effective_without_corrections_is_the_plain_fold() -> None:
    cases, _ = told()
    stored = cases.store.read_stream(rc.case_stream(CASE))
    entries = [(s.event_id, codec.decode_event(s.type, s.schema_version, s.data)) for s in stored]
    assert fold_effective(entries) == rc.domain.fold_case(e for _, e in entries)  # type: ignore[misc]
