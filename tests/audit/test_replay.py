"""Replay: every step with its provenance, state before and after, legal basis and warnings; every recorded
command decided again under the ruleset it names; divergences named, never hidden."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs
import orjson
import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.audit import Audit, DivergenceKind, replay_json, replay_text
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.store import NewEvent, StreamWrite

from .story import (
    CASE,
    CASE_WORKER,
    GOAL,
    LSS_OFFICER,
    TODAY,
    WORK_UNIT,
    Clock,
    application,
    goal,
    lss_decision,
    open_case,
    told,
    world,
)


def test_each_step_shows_who_for_whom_under_which_rules_and_the_state_before_and_after() -> None:
    cases, _ = world()
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(application(), actor=LSS_OFFICER)
    correlation, cause = uuid.uuid4(), uuid.uuid4()
    decision = lss_decision()
    cases.handle(decision, actor=LSS_OFFICER, correlation_id=correlation, causation_id=cause)
    report = Audit(cases.store).replay(CASE)
    opened, _applied, decided = report.steps
    assert decided.actor == {"id": "lss-007", "role": "lss_officer", "unit": "LSS-handläggning"}
    assert decided.tenant == "kommun-2284" and decided.ruleset == "se-default@1"
    assert (decided.correlation_id, decided.causation_id) == (str(correlation), str(cause))
    assert decided.command_id == str(decision.command_id) and decided.command_type == "rehab.cmd.MakeDecision"
    assert codec.structure_command(decided.command or {}) == decision
    assert decided.legal_basis == ("LSS 9 § 10 (SFS 1993:387)",)
    assert decided.state_before["decisions_in_force"] == [] and decided.state_after["decisions_in_force"] == [
        str(decision.decision_id)
    ]
    assert (decided.state_before["version"], decided.state_after["version"]) == (2, 3)
    assert [e["type"] for e in decided.events] == ["DecisionMade"]
    assert decided.redecided == "same" and report.divergences == ()
    assert opened.correlation_id == opened.command_id  # no correlation given: the command starts its own


def test_warnings_raised_by_the_rules_are_in_the_step() -> None:
    cases, _ = world()
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(
        cmd.MakeDecision(
            case_id=CASE,
            decision_id=uuid.uuid4(),
            decided_on=dt.date(2026, 2, 2),
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.SOL_ASSISTANCE_2025,
            service=v.ServiceKind.WORK_REHABILITATION,
            valid_from=dt.date(2026, 2, 2),
            decided_by=v.Official(id="hand-042", role=v.Role.CASE_WORKER),
        ),
        actor=CASE_WORKER,
    )
    step = Audit(cases.store).replay(CASE).steps[-1]
    assert [w["rule_id"] for w in step.warnings] == ["B17"]


def test_an_entry_no_command_produced_is_a_divergence() -> None:
    cases, _ = told()
    stream = rc.case_stream(CASE)
    name, version, data = codec.encode_event(ev.CaseReopened(occurred_on=TODAY))
    cases.store.append(StreamWrite(stream, [NewEvent(uuid.uuid4(), name, version, data, b"{}")]))
    report = Audit(cases.store).replay(CASE)
    last = len(cases.store.read_stream(stream))
    assert [(d.version, d.kind) for d in report.divergences] == [(last, DivergenceKind.NO_COMMAND)]
    assert "DIVERGENCE v" in replay_text(report)


def test_a_command_whose_recorded_event_differs_from_what_it_decides_is_a_divergence() -> None:
    cases, _ = told()
    stream = rc.case_stream(CASE)
    referral = cmd.ReceiveReferral(
        case_id=CASE,
        referral_id=uuid.uuid4(),
        received_on=dt.date(2026, 3, 1),
        source=v.ReferralSource.SELF,
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
    )
    recorded = ev.ReferralReceived(
        occurred_on=dt.date(2026, 3, 1),
        referral_id=referral.referral_id,
        source=v.ReferralSource.PSYCHIATRY,
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
    )
    name, version, data = codec.encode_event(recorded)
    meta = {
        "actor": {"id": "hand-042", "role": "case_worker", "unit": None},
        "command_id": str(referral.command_id),
        "ruleset": "se-default@1",
        "command": orjson.loads(orjson.dumps(codec.unstructure_command(referral))),
    }
    event_id = uuid.uuid5(referral.command_id, f"{stream}/0")
    cases.store.append(StreamWrite(stream, [NewEvent(event_id, name, version, data, orjson.dumps(meta))]))
    (divergence,) = Audit(cases.store).replay(CASE).divergences
    assert divergence.kind is DivergenceKind.DECIDED_DIFFERENTLY
    assert "other values" in divergence.detail


def test_a_ruleset_not_given_to_the_replay_is_reported_and_decided_when_given() -> None:
    local = rc.Ruleset(name="kommun-2284", version="3", jurisdiction=v.Jurisdiction.SE)
    cases = rc.Cases(rc.InMemoryStore(clock=Clock()), ruleset=local, today=lambda: TODAY)
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(goal(), actor=CASE_WORKER)
    report = Audit(cases.store).replay(CASE)
    assert {d.kind for d in report.divergences} == {DivergenceKind.UNKNOWN_RULESET}
    assert "kommun-2284@3" in report.divergences[0].detail
    assert Audit(cases.store, rulesets=[local]).replay(CASE).divergences == ()


def test_a_command_the_rules_now_reject_is_reported_with_the_rule() -> None:
    """A municipality changed its parameters but not the ruleset's version: the replay shows it."""
    lenient = rc.Ruleset(
        name="se-default",
        version="1",
        jurisdiction=v.Jurisdiction.SE,
        parameters=rc.RuleParameters(max_work_training_days=365),
    )
    cases = rc.Cases(rc.InMemoryStore(clock=Clock()), ruleset=lenient, today=lambda: TODAY)
    cases.handle(
        cmd.RegisterUnit(
            unit_id=WORK_UNIT,
            registered_on=dt.date(2026, 1, 1),
            name="Återbruket Bjästa",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=3,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        actor=CASE_WORKER,
    )
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(
        cmd.StartPlacement(
            case_id=CASE,
            placement_id=uuid.uuid4(),
            unit_id=WORK_UNIT,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis.required_activity(),
            start_on=dt.date(2026, 3, 2),
            planned_end_on=dt.date(2026, 12, 18),
            hours_per_week=20,
        ),
        actor=CASE_WORKER,
    )
    report = Audit(cases.store).replay(CASE)  # the shipped se-default@1 allows 183 days
    (divergence,) = report.divergences
    assert divergence.kind is DivergenceKind.REJECTED_NOW and "[B5]" in divergence.detail
    assert report.steps[-1].redecided == "rejected"


def test_a_correction_is_a_step_and_decides_the_same_again() -> None:
    cases, _ = told()
    started = next(
        s for s in cases.store.read_stream(rc.case_stream(CASE)) if s.type == "rehab.PlacementStarted"
    )
    event = codec.decode_event(started.type, started.schema_version, started.data)
    assert isinstance(event, ev.PlacementStarted)
    cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=started.event_id,
            corrected_on=TODAY,
            replacement=attrs.evolve(event, occurred_on=dt.date(2026, 2, 23)),
            reason="startade en vecka senare",
        ),
        actor=CASE_WORKER,
    )
    report = Audit(cases.store).replay(CASE)
    last = report.steps[-1]
    assert last.command_type == "rehab.cmd.CorrectEntry" and last.redecided == "same"
    assert last.legal_basis == ("LSS 9 § 10 (SFS 1993:387)",)
    assert report.divergences == ()


def test_replay_as_known_at_a_moment_stops_there_and_is_deterministic() -> None:
    cases, clock = told()
    moment = clock.now
    cases.handle(_follow_up(), actor=CASE_WORKER)
    audit = Audit(cases.store)
    then = audit.replay(CASE, as_known_at=moment)
    now = audit.replay(CASE)
    assert len(now.steps) == len(then.steps) + 1
    assert then.as_known_at == moment.isoformat()
    assert replay_json(then) == replay_json(audit.replay(CASE, as_known_at=moment))


def _follow_up() -> cmd.RecordFollowUp:
    return cmd.RecordFollowUp(
        case_id=CASE,
        follow_up_id=uuid.uuid4(),
        follow_up_on=dt.date(2026, 3, 20),
        goal_results=(v.GoalOutcome(GOAL, v.GoalResult.PARTLY_ACHIEVED),),
        participation=v.Participation.FULL,
        status=v.FollowUpStatus.CONTINUE,
    )


def test_bad_input_to_the_audit_api_names_the_field_and_never_echoes_the_value() -> None:
    cases, _ = told()
    audit = Audit(cases.store)
    with pytest.raises(rc.PersonalDataInIdentifier) as caught:
        audit.replay("19121212-1212")  # type: ignore[arg-type]
    assert "case_id" in str(caught.value) and "1212" not in str(caught.value)
    with pytest.raises(rc.InvalidInput, match="as_known_at: naive datetime"):
        audit.state(CASE, as_known_at=dt.datetime(2026, 4, 1, 12))
    with pytest.raises(rc.InvalidInput, match=r"on: expected a datetime\.date"):
        audit.situation(CASE, "2026-04-01")  # type: ignore[arg-type]
    with pytest.raises(rc.UnknownCase):
        audit.timeline(uuid.uuid4())
    with pytest.raises(rc.InvalidInput, match="is before case"):
        audit.record(CASE, as_known_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


def test_every_case_of_the_demo_municipality_replays_without_divergence(demo_sqlite: str) -> None:
    store = rc.open_store(demo_sqlite)
    try:
        streams = {e.stream_id for e in store.read_all()}
        case_ids = sorted(uuid.UUID(s.removeprefix("case-")) for s in streams if s.startswith("case-"))
        audit = Audit(store)
        reports = [audit.replay(case_id) for case_id in case_ids]
    finally:
        store.close()
    assert len(reports) >= 10
    assert [str(d) for r in reports for d in r.divergences] == []
    assert {s.redecided for r in reports for s in r.steps} == {"same"}


def test_every_event_of_the_demo_store_carries_its_whole_envelope(demo_sqlite: str) -> None:
    """Provenance on every event: actor (id, role, unit), tenant, correlation, causation, command, ruleset."""
    store = rc.open_store(demo_sqlite)
    try:
        rows = list(store.read_all())
    finally:
        store.close()
    commands: dict[str, cmd.Command] = {}
    for row in rows:
        meta = orjson.loads(row.metadata)
        assert set(meta["actor"]) == {"id", "role", "unit"} and meta["actor"]["id"] and meta["actor"]["role"]
        assert meta["tenant"] and meta["ruleset"] and meta["correlation_id"] and "causation_id" in meta
        if "command" in meta:
            commands[meta["command_id"]] = codec.structure_command(meta["command"])
        # the first event a command wrote carries it whole; the rest of that write name it
        assert meta["command_id"] in commands, (row.stream_id, row.version)
        assert str(commands[meta["command_id"]].command_id) == meta["command_id"]
    assert len(rows) > 100 and len(commands) > 50
