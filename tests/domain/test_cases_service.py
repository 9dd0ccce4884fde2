"""End to end through rehabcore.Cases on an InMemoryStore: B1 actor, B15/U1/U2 across the case and unit
streams, nothing appended on a rejection, idempotent commands, and retries after a concurrent writer."""

import datetime as dt
import uuid
from collections.abc import Callable

import orjson
import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.rules import (
    ActorRequired,
    LssContinuityBroken,
    PlacementKindNotOffered,
    UnitFull,
    UnitNotRegistered,
)
from rehabcore.domain.vocabulary import (
    Applicant,
    ApplicationForm,
    Basis,
    DecisionOutcome,
    EndReason,
    Jurisdiction,
    LegalBases,
    Personkrets,
    PlacementKind,
    ReferralSource,
    Role,
    ServiceKind,
    UnitKind,
)

from .gwt import ATERBRUKET, DV_UNIT, OPENED_ON, TODAY, an_id

ACTOR = rc.Actor(id="hand-042", role=Role.CASE_WORKER, unit="AME Örnsköldsvik")


def open_case(case_id: uuid.UUID) -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=case_id,
        subject_id=uuid.uuid5(case_id, "subject"),
        opened_on=OPENED_ON,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.INCOME_SUPPORT,
    )


def register(unit_id: uuid.UUID, capacity: int, offers: tuple[PlacementKind, ...]) -> cmd.RegisterUnit:
    return cmd.RegisterUnit(
        unit_id=unit_id,
        registered_on=OPENED_ON,
        name="Återbruket Bjästa",
        kind=UnitKind.WORK_REHABILITATION,
        jurisdiction=Jurisdiction.SE,
        capacity=capacity,
        offers=offers,
    )


def start_work_training(
    case_id: uuid.UUID, unit_id: uuid.UUID = ATERBRUKET, reason: str | None = None
) -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=case_id,
        placement_id=uuid.uuid5(case_id, "placement"),
        unit_id=unit_id,
        kind=PlacementKind.WORK_TRAINING,
        basis=Basis.required_activity(),
        start_on=TODAY,
        planned_end_on=TODAY + dt.timedelta(days=90),
        hours_per_week=20,
        over_capacity_reason=reason,
    )


def referral(case_id: uuid.UUID, name: str = "referral") -> cmd.ReceiveReferral:
    return cmd.ReceiveReferral(
        case_id=case_id,
        referral_id=uuid.uuid5(case_id, name),
        received_on=TODAY,
        source=ReferralSource.EMPLOYMENT_SERVICE,
        requested_service=ServiceKind.WORK_REHABILITATION,
    )


def cases_on(
    store: rc.InMemoryStore, today: Callable[[], dt.date] = lambda: TODAY, max_attempts: int = 5
) -> rc.Cases:
    return rc.Cases(store, today=today, max_attempts=max_attempts)


@pytest.fixture
def store() -> rc.InMemoryStore:
    return rc.InMemoryStore()


@pytest.fixture
def cases(store: rc.InMemoryStore) -> rc.Cases:
    """Återbruket with one place, and one open case."""
    c = cases_on(store)
    c.handle(register(ATERBRUKET, 1, (PlacementKind.WORK_TRAINING,)), actor=ACTOR)
    c.handle(open_case(an_id("case/anna")), actor=ACTOR)
    return c


def versions(store: rc.InMemoryStore, *streams: str) -> list[int]:
    return [len(store.read_stream(s)) for s in streams]


# --- B1 -------------------------------------------------------------------------------------------------


def test_b1_every_entry_records_who_made_it_when_and_on_which_business_date(cases: rc.Cases) -> None:
    case_id = an_id("case/anna")
    cases.handle(referral(case_id), actor=ACTOR)
    recorded = cases.history(case_id)[-1]
    assert recorded.metadata["actor"] == {"id": "hand-042", "role": "case_worker", "unit": "AME Örnsköldsvik"}
    assert recorded.metadata["ruleset"] == "se-default@1"
    assert recorded.recorded_at.tzinfo is not None
    assert isinstance(recorded.event, ev.ReferralReceived)
    assert recorded.event.occurred_on == TODAY


@pytest.mark.parametrize("actor", [None, "hand-042", {"id": "hand-042", "role": "case_worker"}])
def test_b1_a_command_without_an_actor_is_refused_and_nothing_is_written(
    cases: rc.Cases, store: rc.InMemoryStore, actor: object
) -> None:
    head = store.head_position()
    with pytest.raises(ActorRequired) as raised:
        cases.handle(referral(an_id("case/anna")), actor=actor)  # type: ignore[arg-type]
    assert raised.value.rule_id == "B1"
    assert "pass actor=Actor(id=…, role=…)" in str(raised.value)
    assert store.head_position() == head


# --- B15, U1, U2 through both streams --------------------------------------------------------------------


def test_b15_a_placement_takes_its_place_in_the_same_append_as_the_case_event(
    cases: rc.Cases, store: rc.InMemoryStore
) -> None:
    case_id = an_id("case/anna")
    handled = cases.handle(start_work_training(case_id), actor=ACTOR)
    assert [a.stream_id for a in handled.appended] == [rc.case_stream(case_id), rc.unit_stream(ATERBRUKET)]
    assert cases.unit(ATERBRUKET).occupied_on(TODAY) == 1
    assert cases.get(case_id).active_placements(TODAY)[0].unit_id == ATERBRUKET


def test_b15_a_full_unit_refuses_and_neither_stream_gets_anything(
    cases: rc.Cases, store: rc.InMemoryStore
) -> None:
    cases.handle(start_work_training(an_id("case/anna")), actor=ACTOR)
    bertil = an_id("case/bertil")
    cases.handle(open_case(bertil), actor=ACTOR)
    streams = (rc.case_stream(bertil), rc.unit_stream(ATERBRUKET))
    head, before = store.head_position(), versions(store, *streams)
    with pytest.raises(UnitFull) as raised:
        cases.handle(start_work_training(bertil), actor=ACTOR)
    assert raised.value.rule_id == "B15"
    assert "over_capacity_reason" in str(raised.value)
    assert store.head_position() == head
    assert versions(store, *streams) == before
    assert cases.get(bertil).placements == {}


def test_b15_a_full_unit_takes_a_placement_overridden_with_a_reason(cases: rc.Cases) -> None:
    cases.handle(start_work_training(an_id("case/anna")), actor=ACTOR)
    bertil = an_id("case/bertil")
    cases.handle(open_case(bertil), actor=ACTOR)
    cases.handle(start_work_training(bertil, reason="enhetschefens beslut"), actor=ACTOR)
    unit = cases.unit(ATERBRUKET)
    assert unit.occupied_on(TODAY) == 2
    assert unit.places[uuid.uuid5(bertil, "placement")].over_capacity_reason == "enhetschefens beslut"


def test_b15_of_two_case_workers_placing_at_once_only_one_gets_the_last_place(
    store: rc.InMemoryStore,
) -> None:
    setup = cases_on(store)
    setup.handle(register(ATERBRUKET, 1, (PlacementKind.WORK_TRAINING,)), actor=ACTOR)
    anna, bertil = an_id("case/anna"), an_id("case/bertil")
    setup.handle(open_case(anna), actor=ACTOR)
    setup.handle(open_case(bertil), actor=ACTOR)
    other_desk = cases_on(store)
    raced: list[bool] = []

    def today_while_the_other_desk_takes_the_place() -> dt.date:
        if not raced:  # between reading Bertil's case and appending, the other desk places Anna
            raced.append(True)
            other_desk.handle(start_work_training(anna), actor=ACTOR)
        return TODAY

    my_desk = cases_on(store, today=today_while_the_other_desk_takes_the_place)
    with pytest.raises(UnitFull):
        my_desk.handle(start_work_training(bertil), actor=ACTOR)
    assert my_desk.unit(ATERBRUKET).occupied_on(TODAY) == 1
    assert my_desk.get(bertil).placements == {}


def test_u1_a_placement_at_an_unregistered_unit_is_refused_and_nothing_is_written(
    cases: rc.Cases, store: rc.InMemoryStore
) -> None:
    head = store.head_position()
    with pytest.raises(UnitNotRegistered) as raised:
        cases.handle(start_work_training(an_id("case/anna"), unit_id=an_id("unit/nowhere")), actor=ACTOR)
    assert raised.value.rule_id == "U1"
    assert "record RegisterUnit first" in str(raised.value)
    assert store.head_position() == head
    with pytest.raises(rc.UnknownUnit):
        cases.unit(an_id("unit/nowhere"))


def test_u1_a_unit_is_registered_once_through_cases(cases: rc.Cases, store: rc.InMemoryStore) -> None:
    head = store.head_position()
    with pytest.raises(UnitNotRegistered, match="already registered"):
        cases.handle(register(ATERBRUKET, 3, (PlacementKind.WORK_TRAINING,)), actor=ACTOR)
    assert store.head_position() == head


def test_u2_daily_activity_at_a_work_rehabilitation_unit_is_refused_and_nothing_is_written(
    cases: rc.Cases, store: rc.InMemoryStore
) -> None:
    case_id = an_id("case/anna")
    decision = cmd.MakeDecision(
        case_id=case_id,
        decision_id=an_id("decision/lss"),
        decided_on=TODAY,
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
        service=ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=TODAY,
        personkrets=Personkrets.GROUP_2,
        application_id=_applied(cases, case_id, TODAY),
    )
    cases.handle(decision, actor=ACTOR)
    daily_activity = cmd.StartPlacement(
        case_id=case_id,
        placement_id=an_id("placement/dv"),
        unit_id=ATERBRUKET,
        kind=PlacementKind.DAILY_ACTIVITY,
        basis=Basis.lss(an_id("decision/lss")),
        start_on=TODAY,
        hours_per_week=20,
    )
    head = store.head_position()
    with pytest.raises(PlacementKindNotOffered) as raised:
        cases.handle(daily_activity, actor=ACTOR)
    assert raised.value.rule_id == "U2"
    assert store.head_position() == head


def test_b9_through_cases_a_daily_activity_ended_for_unit_refocus_waits_for_the_next_one(
    store: rc.InMemoryStore,
) -> None:
    cases = cases_on(store)
    new_unit = an_id("unit/new-daily-activity")
    for unit_id in (DV_UNIT, new_unit):
        cases.handle(register(unit_id, 5, (PlacementKind.DAILY_ACTIVITY,)), actor=ACTOR)
    case_id = an_id("case/cecilia")
    cases.handle(open_case(case_id), actor=ACTOR)
    decision_id = an_id("decision/lss")
    cases.handle(
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=decision_id,
            decided_on=OPENED_ON,
            outcome=DecisionOutcome.GRANT,
            legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
            service=ServiceKind.LSS_DAILY_ACTIVITY,
            valid_from=OPENED_ON,
            personkrets=Personkrets.GROUP_1,
            application_id=_applied(cases, case_id, OPENED_ON),
        ),
        actor=ACTOR,
    )

    def daily_activity(name: str, unit_id: uuid.UUID, start_on: dt.date) -> cmd.StartPlacement:
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=an_id(name),
            unit_id=unit_id,
            kind=PlacementKind.DAILY_ACTIVITY,
            basis=Basis.lss(decision_id),
            start_on=start_on,
            hours_per_week=25,
        )

    cases.handle(daily_activity("placement/old", DV_UNIT, OPENED_ON), actor=ACTOR)
    end = cmd.EndPlacement(
        case_id=case_id, placement_id=an_id("placement/old"), end_on=TODAY, reason=EndReason.UNIT_REFOCUS
    )
    head = store.head_position()
    with pytest.raises(LssContinuityBroken):
        cases.handle(end, actor=ACTOR)
    assert store.head_position() == head
    cases.handle(daily_activity("placement/new", new_unit, TODAY + dt.timedelta(days=1)), actor=ACTOR)
    cases.handle(end, actor=ACTOR)
    assert cases.unit(DV_UNIT).occupied_on(TODAY + dt.timedelta(days=1)) == 0
    assert cases.unit(new_unit).occupied_on(TODAY + dt.timedelta(days=1)) == 1


# --- idempotency and concurrency --------------------------------------------------------------------------


def test_the_same_command_handled_twice_writes_nothing_new(cases: rc.Cases, store: rc.InMemoryStore) -> None:
    command = start_work_training(an_id("case/anna"))
    first = cases.handle(command, actor=ACTOR)
    head = store.head_position()
    again = cases.handle(command, actor=ACTOR)
    assert not first.duplicate
    assert again.duplicate
    assert again.events == first.events
    assert again.appended == ()
    assert store.head_position() == head


def test_the_same_command_through_another_cases_instance_is_still_a_duplicate(
    cases: rc.Cases, store: rc.InMemoryStore
) -> None:
    command = referral(an_id("case/anna"))
    cases.handle(command, actor=ACTOR)
    head = store.head_position()
    assert cases_on(store).handle(command, actor=ACTOR).duplicate
    assert store.head_position() == head


def test_an_equal_command_with_a_new_command_id_is_a_new_command(cases: rc.Cases) -> None:
    case_id = an_id("case/anna")
    cases.handle(referral(case_id, "first"), actor=ACTOR)
    handled = cases.handle(referral(case_id, "second"), actor=ACTOR)
    assert not handled.duplicate
    assert len(cases.get(case_id).referrals) == 2


def test_a_concurrent_writer_makes_the_command_decide_again_on_the_fresh_case(
    store: rc.InMemoryStore,
) -> None:
    setup = cases_on(store)
    case_id = an_id("case/anna")
    setup.handle(open_case(case_id), actor=ACTOR)
    colleague = cases_on(store)
    interleaved: list[bool] = []

    def today_while_a_colleague_writes() -> dt.date:
        if not interleaved:
            interleaved.append(True)
            colleague.handle(referral(case_id, "colleague"), actor=ACTOR)
        return TODAY

    mine = cases_on(store, today=today_while_a_colleague_writes)
    mine.get(case_id)  # cached at version 1
    handled = mine.handle(referral(case_id, "mine"), actor=ACTOR)
    assert handled.appended[0].version == 3
    assert [type(r.event).__name__ for r in mine.history(case_id)] == [
        "CaseOpened",
        "ReferralReceived",
        "ReferralReceived",
    ]
    assert mine.get(case_id).referrals == (uuid.uuid5(case_id, "colleague"), uuid.uuid5(case_id, "mine"))


def test_a_caller_retrying_after_a_concurrency_error_writes_the_command_once(store: rc.InMemoryStore) -> None:
    setup = cases_on(store)
    case_id = an_id("case/anna")
    setup.handle(open_case(case_id), actor=ACTOR)
    colleague = cases_on(store)
    interleaved: list[bool] = []

    def today_while_a_colleague_writes() -> dt.date:
        if not interleaved:
            interleaved.append(True)
            colleague.handle(referral(case_id, "colleague"), actor=ACTOR)
        return TODAY

    mine = cases_on(store, today=today_while_a_colleague_writes, max_attempts=1)
    command = referral(case_id, "mine")
    head = store.head_position()
    with pytest.raises(rc.ConcurrencyError):
        mine.handle(command, actor=ACTOR)
    assert store.head_position() == head + 1  # only the colleague's referral
    assert not mine.handle(command, actor=ACTOR).duplicate
    assert mine.handle(command, actor=ACTOR).duplicate
    mine_recorded = [r for r in mine.history(case_id) if r.metadata["command_id"] == str(command.command_id)]
    assert len(mine_recorded) == 1
    assert orjson.loads(store.read_stream(rc.case_stream(case_id))[-1].metadata)["actor"]["id"] == "hand-042"


def test_a_rejected_command_appends_nothing(cases: rc.Cases, store: rc.InMemoryStore) -> None:
    head = store.head_position()
    no_end = cmd.StartPlacement(
        case_id=an_id("case/anna"),
        placement_id=an_id("placement"),
        unit_id=ATERBRUKET,
        kind=PlacementKind.WORK_TRAINING,
        basis=Basis.required_activity(),
        start_on=TODAY,
        hours_per_week=20,
    )
    with pytest.raises(rc.RuleViolation) as raised:
        cases.handle(no_end, actor=ACTOR)
    assert raised.value.rule_id == "B5"
    assert store.head_position() == head
    assert list(store.read_all(after=head)) == []


def test_a_command_is_known_by_the_ids_it_gave_its_events_not_by_metadata(store: rc.InMemoryStore) -> None:
    # Cases gives a command's events the ids uuid5(command_id, "stream/i"): an event appended by other
    # software that merely names the command in its metadata is not the command's; one with its id is.
    case_id = an_id("case/anna")
    cases_on(store).handle(open_case(case_id), actor=ACTOR)
    command = referral(case_id)
    stream = rc.case_stream(case_id)
    name, version, data = rc.codec.encode_event(
        ev.ReferralReceived(
            occurred_on=TODAY,
            referral_id=command.referral_id,
            source=command.source,
            requested_service=command.requested_service,
        )
    )
    mine = rc.cases.event_id(command.command_id, stream, 0)
    store.append(rc.StreamWrite(stream, [rc.NewEvent(mine, name, version, data, b"{}")], 1))
    head = store.head_position()
    again = cases_on(store).handle(command, actor=ACTOR)
    assert again.duplicate
    assert [type(e) for e in again.events] == [ev.ReferralReceived]
    assert store.head_position() == head

    other = referral(case_id, "second")
    meta = orjson.dumps({"command_id": str(other.command_id)})
    foreign = rc.NewEvent(rc.new_event_id(), name, version, data, meta)
    store.append(rc.StreamWrite(stream, [foreign], 2))
    assert not cases_on(store).handle(other, actor=ACTOR).duplicate


def _applied(cases: rc.Cases, case_id: uuid.UUID, on: dt.date) -> uuid.UUID:
    """The person applies for daily activity under LSS (LSS 8 §, #12): its id, for the decision."""
    application_id = uuid.uuid4()
    cases.handle(
        cmd.ReceiveApplication(
            case_id=case_id,
            application_id=application_id,
            received_on=on,
            applicant=Applicant.PERSON,
            requested_service=ServiceKind.LSS_DAILY_ACTIVITY,
            form=ApplicationForm.ORAL,
        ),
        actor=ACTOR,
    )
    return application_id
