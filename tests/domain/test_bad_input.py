"""Bad input is refused where it enters: at construction (InvalidInput / PersonalDataInIdentifier), at
decode (DecodeError) and at the Cases service; no message repeats the offending value (it may be personal)."""

import datetime as dt
from typing import Any

import orjson
import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.rules import RuleParameters
from rehabcore.domain.vocabulary import (
    Basis,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalResult,
    GoalType,
    Jurisdiction,
    LifeArea,
    Participation,
    PlacementKind,
    ReferralSource,
    Role,
)

from .gwt import CASE, GOAL, OPENED_ON, SUBJECT, TODAY, an_id, daily_activity_started, goal_set, opened

IDENTITY_NUMBERS = [
    "19121212-1212",  # personnummer, 12 digits
    "121212-1212",  # personnummer, 10 digits
    "121212+1212",  # personnummer of someone over 100
    "191212121212",  # personnummer without separator
    "701063-2391",  # samordningsnummer (day + 60)
    "010203-1234",  # Danish CPR
]
STAFF = rc.Actor(id="hand-042", role=Role.CASE_WORKER)


def open_case(**changes: Any) -> cmd.OpenCase:
    fields: dict[str, Any] = {
        "case_id": CASE,
        "subject_id": SUBJECT,
        "opened_on": OPENED_ON,
        "jurisdiction": Jurisdiction.SE,
        "municipality_code": "2284",
        "source": ReferralSource.SELF,
    }
    return cmd.OpenCase(**{**fields, **changes})


def set_goal(**changes: Any) -> cmd.SetGoal:
    fields: dict[str, Any] = {
        "case_id": CASE,
        "goal_id": GOAL,
        "set_on": TODAY,
        "life_area": LifeArea.WORK_AND_EDUCATION,
        "citizen_words": "Jag vill laga cyklar",
        "formulated_by": FormulatedBy.CITIZEN,
        "goal_type": GoalType.DEVELOP,
    }
    return cmd.SetGoal(**{**fields, **changes})


def assert_silent_about(error: BaseException, value: object) -> None:
    if value is None:
        return
    assert str(value) not in str(error), f"the message repeats the offending value: {error}"
    assert repr(value) not in repr(error.args), f"the error args repeat the offending value: {error.args!r}"


def test_a_well_formed_command_is_built() -> None:
    assert open_case().municipality_code == "2284"
    assert set_goal().citizen_words == "Jag vill laga cyklar"


# --- wrong types ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("case_id", "6f1c2a52-5d0e-4f7c-9a47-0b8d3c6e2f10", "expected a uuid.UUID, got str"),
        ("case_id", 42, "expected a uuid.UUID, got int"),
        ("subject_id", None, "expected a uuid.UUID, got NoneType"),
        ("opened_on", "2026-01-12", "expected a datetime.date, got str"),
        ("opened_on", dt.datetime(2026, 1, 12, tzinfo=dt.UTC), "expected a datetime.date, got datetime"),
        ("jurisdiction", "SE ", "expected Jurisdiction"),
        ("source", "facebook", "one of income_support"),
        ("municipality_code", 2284, "expected text, got int"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_the_field(field: str, value: object, says: str) -> None:
    with pytest.raises(rc.InvalidInput) as raised:
        open_case(**{field: value})
    assert raised.value.field == f"OpenCase.{field}"
    assert says in str(raised.value)
    assert_silent_about(raised.value, value)


@pytest.mark.parametrize("hours", [0, 61, "20", 20.0, True])
def test_hours_per_week_is_a_whole_number_between_1_and_60(hours: object) -> None:
    with pytest.raises(rc.InvalidInput, match="hours_per_week"):
        cmd.StartPlacement(
            case_id=CASE,
            placement_id=an_id("p"),
            unit_id=an_id("u"),
            kind=PlacementKind.OCCUPATION,
            basis=Basis.voluntary(),
            start_on=TODAY,
            hours_per_week=hours,  # type: ignore[arg-type]
        )


def test_a_list_is_taken_as_a_tuple_but_its_items_are_checked() -> None:
    results = [GoalOutcome(GOAL, GoalResult.ACHIEVED)]
    follow_up = follow_up_with(results)
    assert follow_up.goal_results == (GoalOutcome(GOAL, GoalResult.ACHIEVED),)
    with pytest.raises(rc.InvalidInput) as raised:
        follow_up_with([GoalOutcome(GOAL, GoalResult.ACHIEVED), "achieved"])
    assert raised.value.field == "RecordFollowUp.goal_results[1]"


def follow_up_with(results: object) -> cmd.RecordFollowUp:
    return cmd.RecordFollowUp(
        case_id=CASE,
        follow_up_id=an_id("f"),
        follow_up_on=TODAY,
        goal_results=results,  # type: ignore[arg-type]
        participation=Participation.FULL,
        status=FollowUpStatus.CONTINUE,
    )


# --- unknown enum values --------------------------------------------------------------------------------


def test_a_goal_result_outside_the_controlled_vocabulary_is_refused() -> None:
    with pytest.raises(rc.InvalidInput) as raised:
        GoalOutcome(GOAL, "great")  # type: ignore[arg-type]
    assert "one of achieved, partly_achieved, not_achieved, dropped" in str(raised.value)
    assert_silent_about(raised.value, "great")


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(rc.InvalidInput, match=r"Actor\.role"):
        rc.Actor(id="hand-042", role="superuser")  # type: ignore[arg-type]


def test_an_enum_value_given_as_its_string_is_refused_not_guessed() -> None:
    with pytest.raises(rc.InvalidInput, match=r"OpenCase\.source"):
        open_case(source="self")


# --- empty and oversized text ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(rc.InvalidInput, match="must not be empty"):
        set_goal(citizen_words=text)
    with pytest.raises(rc.InvalidInput, match="must not be empty"):
        rc.Actor(id=text, role=Role.CASE_WORKER)
    with pytest.raises(rc.InvalidInput, match="must not be empty"):
        open_case(municipality_code=text)


def test_text_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(rc.InvalidInput, match="at most 2000 characters"):
        set_goal(citizen_words="x" * 2001)


# --- identity numbers where a pseudonym belongs ---------------------------------------------------------


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
def test_an_identity_number_is_never_a_staff_id(number: str) -> None:
    with pytest.raises(rc.PersonalDataInIdentifier) as raised:
        rc.Actor(id=number, role=Role.CASE_WORKER)
    assert raised.value.field == "Actor.id"
    assert "use the pseudonymous subject_id" in str(raised.value)
    assert_silent_about(raised.value, number)


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
@pytest.mark.parametrize("field", ["case_id", "subject_id"])
def test_an_identity_number_is_never_a_case_or_subject_id(field: str, number: str) -> None:
    with pytest.raises(rc.PersonalDataInIdentifier) as raised:
        open_case(**{field: number})
    assert "pseudonymous" in str(raised.value)
    assert_silent_about(raised.value, number)


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
def test_an_identity_number_is_not_written_into_free_text(number: str) -> None:
    with pytest.raises(rc.PersonalDataInIdentifier) as raised:
        set_goal(citizen_words=f"Anna {number} vill jobba")
    assert_silent_about(raised.value, number)
    with pytest.raises(rc.PersonalDataInIdentifier):
        rc.Actor(id="hand-042", role=Role.CASE_WORKER, unit=f"AME {number}")


def test_a_staff_id_a_municipality_code_and_a_phone_extension_are_not_identity_numbers() -> None:
    assert rc.Actor(id="hand-042", role=Role.CASE_WORKER, unit="AME 0660-88 000").id == "hand-042"
    assert open_case(municipality_code="2284").municipality_code == "2284"


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
def test_cases_refuses_an_identity_number_as_a_case_or_unit_id_without_repeating_it(number: str) -> None:
    cases = rc.Cases(rc.InMemoryStore())
    for read in (cases.get, cases.history, cases.unit):
        with pytest.raises(rc.PersonalDataInIdentifier) as raised:
            read(number)  # type: ignore[arg-type]
        assert_silent_about(raised.value, number)


# --- naive datetimes ------------------------------------------------------------------------------------


def test_the_record_as_known_at_a_naive_moment_is_refused() -> None:
    cases = rc.Cases(rc.InMemoryStore(), today=lambda: TODAY)
    cases.handle(open_case(), actor=STAFF)
    with pytest.raises(rc.InvalidInput, match="naive datetime; give a timezone"):
        cases.get(CASE, as_known_at=dt.datetime(2026, 3, 2, 12, 0))
    with pytest.raises(rc.InvalidInput, match=r"expected a datetime\.datetime, got str"):
        cases.get(CASE, as_known_at="2026-03-02T12:00:00+00:00")  # type: ignore[arg-type]
    assert cases.get(CASE, as_known_at=dt.datetime.now(dt.UTC)).case_id == CASE


def test_the_record_as_known_at_a_moment_shows_only_what_was_recorded_by_then() -> None:
    moments = iter(dt.datetime(2026, 3, 2, hour, tzinfo=dt.UTC) for hour in (9, 10, 11))
    cases = rc.Cases(rc.InMemoryStore(clock=lambda: next(moments)), today=lambda: TODAY)
    cases.handle(open_case(), actor=STAFF)
    cases.handle(set_goal(), actor=STAFF)
    assert cases.get(CASE, as_known_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)).goals == {}
    stockholm = dt.timezone(dt.timedelta(hours=1))
    assert GOAL in cases.get(CASE, as_known_at=dt.datetime(2026, 3, 2, 11, 30, tzinfo=stockholm)).goals
    with pytest.raises(rc.UnknownCase):
        cases.get(CASE, as_known_at=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC))


# --- rule parameters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, 1000, "90"])
def test_rule_parameters_out_of_range_are_refused_when_the_ruleset_is_built(days: object) -> None:
    with pytest.raises(rc.InvalidInput, match="follow_up_interval_days"):
        RuleParameters(follow_up_interval_days=days)  # type: ignore[arg-type]


# --- the Cases service ----------------------------------------------------------------------------------


def test_something_that_is_not_a_command_is_refused_by_cases_and_nothing_is_written() -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY)
    with pytest.raises(rc.InvalidInput, match="expected a rehabcore command, got dict"):
        cases.handle({"type": "OpenCase", "case_id": str(CASE)}, actor=STAFF)  # type: ignore[arg-type]
    with pytest.raises(rc.InvalidInput, match="got CaseOpened"):
        cases.handle(opened(), actor=STAFF)  # type: ignore[arg-type]
    assert store.head_position() == 0


def test_a_command_rejected_by_a_rule_appends_nothing() -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY)
    cases.handle(open_case(), actor=STAFF)
    head = store.head_position()
    for rejected in (
        open_case(),
        set_goal(formulated_by=FormulatedBy.PROXY),
        set_goal(set_on=OPENED_ON - ONE_DAY),
    ):
        with pytest.raises(rc.RuleViolation):
            cases.handle(rejected, actor=STAFF)
    assert store.head_position() == head


ONE_DAY = dt.timedelta(days=1)

# --- decoding tampered rows -----------------------------------------------------------------------------


def stored(event: ev.Event) -> tuple[str, int, dict[str, Any]]:
    name, version, data = codec.encode_event(event)
    return name, version, orjson.loads(data)


def test_an_encoded_event_decodes_to_itself() -> None:
    for event in (opened(), goal_set(), daily_activity_started()):
        assert codec.decode_event(*codec.encode_event(event)) == event


@pytest.mark.parametrize(
    ("event", "field", "value", "says"),
    [
        (opened(), "source", "facebook", "not a ReferralSource; expected one of"),
        (opened(), "jurisdiction", "NO", "not a Jurisdiction"),
        (opened(), "municipality_code", 2284, "expected a string, got int"),
        (opened(), "occurred_on", "2026-13-45", "invalid value"),
        (opened(), "occurred_on", "12/01/2026", "invalid value"),
        (opened(), "occurred_on", 20260112, "expected a date as YYYY-MM-DD"),
        (opened(), "subject_id", "19121212-1212", "expected a UUID in canonical form"),
        (opened(), "case_id", "010203-1234", "expected a UUID in canonical form"),
        (daily_activity_started(), "hours_per_week", "25", "expected an integer, got str"),
        (daily_activity_started(), "hours_per_week", True, "expected an integer, got bool"),
        (daily_activity_started(), "kind", "sheltered_work", "not a PlacementKind"),
        (goal_set(), "formulated_by", "robot", "not a FormulatedBy"),
    ],
)
def test_a_tampered_field_does_not_decode_and_the_value_is_not_repeated(
    event: ev.Event, field: str, value: object, says: str
) -> None:
    name, version, raw = stored(event)
    raw[field] = value
    with pytest.raises(rc.DecodeError) as raised:
        codec.decode_event(name, version, orjson.dumps(raw))
    assert raised.value.type_name == name
    assert says in str(raised.value)
    assert f"@ $.{field}" in str(raised.value) or field in str(raised.value)
    assert_silent_about(raised.value, value)


def test_an_extra_field_does_not_decode() -> None:
    name, version, raw = stored(opened())
    raw["personnummer"] = "19121212-1212"
    raw["19121212-1212"] = "Anna Andersson"  # a forged key: the message counts keys, never repeats them
    with pytest.raises(rc.DecodeError, match=r"2 unknown field\(s\)") as raised:
        codec.decode_event(name, version, orjson.dumps(raw))
    assert_silent_about(raised.value, "19121212-1212")
    assert_silent_about(raised.value, "Anna Andersson")


def test_a_missing_field_does_not_decode() -> None:
    name, version, raw = stored(opened())
    del raw["subject_id"]
    with pytest.raises(rc.DecodeError, match="required field missing"):
        codec.decode_event(name, version, orjson.dumps(raw))


@pytest.mark.parametrize(
    ("name", "version", "data", "says"),
    [
        ("rehab.CaseOpened", 1, b"{not json", "not valid UTF-8 JSON"),
        ("rehab.CaseOpened", 1, b"[]", "cannot decode rehab.CaseOpened"),
        ("rehab.CaseOpened", 1, b"\xff\xfe", "not valid UTF-8 JSON"),
        ("rehab.PersonRegistered", 1, b"{}", "unknown event type"),
        ("rehab.CaseOpened", 2, b"{}", "schema version 2 is newer"),
    ],
)
def test_a_row_that_is_not_a_known_event_does_not_decode(
    name: str, version: int, data: bytes, says: str
) -> None:
    with pytest.raises(rc.DecodeError, match=says):
        codec.decode_event(name, version, data)
