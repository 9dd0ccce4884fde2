"""Logs and spans an operator gets: structured DEBUG records under ``rehabcore.*`` with no personal datum, and
OpenTelemetry spans (SDK in-memory exporter) around handle, append, catch-up and verify."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import rehabcore as rc
from rehabcore import observability as obs
from rehabcore.audit import verify
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.projections import MemoryProjectionStore, Runner


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """rehabcore's spans, into memory; the global tracer provider is left as it was for other tests."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    obs.use_tracer_provider(provider)
    try:
        yield exporter
    finally:
        obs.use_tracer_provider(None)
        provider.shutdown()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    handler = _Records()
    root = logging.getLogger("rehabcore")
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(before)


ACTOR = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER, unit="AME")


def _open(cases: rc.Cases, case_id: uuid.UUID, subject_id: uuid.UUID) -> rc.Handled:
    return cases.handle(
        cmd.OpenCase(
            case_id=case_id,
            subject_id=subject_id,
            opened_on=dt.date(2026, 3, 2),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.SELF,
        ),
        actor=ACTOR,
    )


def _goal(case_id: uuid.UUID, words: str) -> cmd.SetGoal:
    return cmd.SetGoal(
        case_id=case_id,
        goal_id=uuid.uuid4(),
        set_on=dt.date(2026, 3, 9),
        life_area=v.LifeArea.WORK_AND_EDUCATION,
        citizen_words=words,
        formulated_by=v.FormulatedBy.CITIZEN,
        goal_type=v.GoalType.DEVELOP,
    )


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: getattr(record, k) for k in obs.FIELDS if hasattr(record, k)}


def test_a_command_logs_at_debug_with_the_structured_fields(records: list[logging.LogRecord]) -> None:
    cases = rc.Cases(rc.InMemoryStore())
    case_id = rc.new_case_id()
    _open(cases, case_id, uuid.uuid4())
    handled = [r for r in records if r.name == "rehabcore.cases" and r.getMessage() == "command handled"]
    assert len(handled) == 1 and handled[0].levelno == logging.DEBUG
    assert _fields(handled[0]) == {
        "command": "OpenCase",
        "stream_kind": "case",
        "version": 1,
        "position": 1,
        "events": 1,
        "attempt": 1,
        "outcome": "ok",
        "duration_ms": handled[0].duration_ms,  # type: ignore[attr-defined]
    }
    appended = [r for r in records if r.name == "rehabcore.store"]
    assert _fields(appended[0])["stream_kind"] == "case" and _fields(appended[0])["events"] == 1


def test_a_refusal_logs_its_rule_and_retries_count_as_attempts(records: list[logging.LogRecord]) -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store)
    case_id = rc.new_case_id()
    _open(cases, case_id, uuid.uuid4())
    with pytest.raises(rc.RuleViolation) as refused:
        cases.handle(
            cmd.SetGoal(
                case_id=case_id,
                goal_id=uuid.uuid4(),
                set_on=dt.date(2026, 3, 1),  # before the case was opened
                life_area=v.LifeArea.WORK_AND_EDUCATION,
                citizen_words="Komma iväg på morgonen",
                formulated_by=v.FormulatedBy.CITIZEN,
                goal_type=v.GoalType.DEVELOP,
            ),
            actor=ACTOR,
        )
    (rejected,) = [r for r in records if r.getMessage() == "command not recorded"]
    assert (
        _fields(rejected)["rule_id"] == refused.value.rule_id and _fields(rejected)["outcome"] == "rejected"
    )

    # A second writer slips an event in between the first one's read and append: decided again, attempt 2.
    other = rc.Cases(store)
    real_append = store.append
    slipped: list[bool] = []

    def append_after_a_rival(*writes: rc.StreamWrite) -> list[rc.AppendResult]:
        if not slipped:
            slipped.append(True)
            other.handle(_goal(case_id, "Rivalens mål"), actor=ACTOR)
        return real_append(*writes)

    store.append = append_after_a_rival  # type: ignore[method-assign]
    records.clear()
    cases.handle(_goal(case_id, "Laga mat"), actor=ACTOR)
    mine = [r for r in records if r.getMessage() == "command handled" and _fields(r)["attempt"] == 2]
    assert mine and _fields(mine[0])["version"] == 3
    conflicts = [r for r in records if r.getMessage() == "append met a concurrent write"]
    assert len(conflicts) == 1 and conflicts[0].levelno == logging.INFO


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöæø ", min_size=12, max_size=40).filter(
    lambda s: len(s.strip()) >= 12
)


@given(words=_WORDS, actor_id=st.from_regex(r"hand-[a-z]{6}", fullmatch=True))
def test_no_personal_datum_of_a_command_reaches_any_log_record(words: str, actor_id: str) -> None:
    handler = _Records()
    root = logging.getLogger("rehabcore")
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        store = rc.InMemoryStore()
        cases = rc.Cases(store)
        case_id, subject_id = rc.new_case_id(), uuid.uuid4()
        actor = rc.Actor(id=actor_id, role=v.Role.CASE_WORKER, unit="Återbruket Bjästa")
        cases.handle(
            cmd.OpenCase(
                case_id=case_id,
                subject_id=subject_id,
                opened_on=dt.date(2026, 3, 2),
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="2284",
                source=v.ReferralSource.SELF,
            ),
            actor=actor,
        )
        goal = _goal(case_id, words)
        cases.handle(goal, actor=actor)
        with pytest.raises(rc.RuleViolation):  # set before the case was opened
            cases.handle(attrs.evolve(_goal(case_id, words.upper()), set_on=dt.date(2026, 3, 1)), actor=actor)
        Runner(store, MemoryProjectionStore()).catch_up()
        verify(store)
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
    assert handler.records
    secrets = [words.strip(), words.upper().strip(), actor_id, "Återbruket", str(case_id), str(subject_id)]
    secrets += [str(goal.goal_id), case_id.hex, "2026-03-0"]
    for record in handler.records:
        text = " ".join([record.getMessage(), *(repr(v) for v in vars(record).values())])
        assert not [s for s in secrets if s in text], record.getMessage()


def test_fields_outside_the_list_are_refused() -> None:
    with pytest.raises(KeyError, match="stream_id"):
        obs.fields(stream_id="case-1")
    assert obs.fields(projection="cases", batch=None) == {"projection": "cases"}


def _by_name(spans: InMemorySpanExporter) -> dict[str, list[ReadableSpan]]:
    found: dict[str, list[ReadableSpan]] = {}
    for s in spans.get_finished_spans():
        found.setdefault(s.name, []).append(s)
    return found


def test_spans_around_handle_append_catch_up_and_verify(sqlite_url: str, spans: InMemorySpanExporter) -> None:
    store = rc.open_store(sqlite_url)
    try:
        cases = rc.Cases(store)
        case_id = rc.new_case_id()
        _open(cases, case_id, uuid.uuid4())
        with pytest.raises(rc.RuleViolation):
            _open(cases, case_id, uuid.uuid4())  # B-rule: the case is already open
        Runner(store, MemoryProjectionStore(), batch_size=1).catch_up()
        report = verify(store)
    finally:
        store.close()
    found = _by_name(spans)
    assert {"rehabcore.handle", "rehabcore.append", "rehabcore.catch_up", "rehabcore.verify"} <= set(found)
    ok, rejected = found["rehabcore.handle"]
    assert ok.attributes is not None and rejected.attributes is not None
    assert ok.attributes["rehabcore.command"] == "OpenCase" and ok.attributes["rehabcore.attempt"] == 1
    assert ok.attributes["rehabcore.stream_kind"] == "case" and ok.attributes["rehabcore.events"] == 1
    assert (
        rejected.attributes["rehabcore.outcome"] == "rejected" and "rehabcore.rule_id" in rejected.attributes
    )
    assert rejected.status.status_code is trace.StatusCode.UNSET  # a refusal is not a failure of the system
    (append,) = found["rehabcore.append"]
    assert append.parent is not None and append.parent.span_id == ok.context.span_id
    assert append.attributes is not None and append.attributes["rehabcore.position"] == 1
    (catch_up,) = [
        s for s in found["rehabcore.catch_up"] if s.attributes and s.attributes["rehabcore.events"]
    ]
    assert catch_up.attributes is not None and catch_up.attributes["rehabcore.batch"] >= 1
    (verified,) = found["rehabcore.verify"]
    assert verified.attributes is not None and verified.attributes["rehabcore.outcome"] == "intact"
    assert verified.attributes["rehabcore.events"] == report.events
    for s in spans.get_finished_spans():  # no id, name or date of the case on any span
        for value in (s.attributes or {}).values():
            assert str(case_id) not in str(value)


def test_bad_input_is_refused_not_an_error(
    spans: InMemorySpanExporter, records: list[logging.LogRecord]
) -> None:
    cases = rc.Cases(rc.InMemoryStore())
    with pytest.raises(rc.InvalidInput):
        cases.handle("OpenCase", actor=ACTOR)  # type: ignore[arg-type]  # not a command
    (handled,) = spans.get_finished_spans()
    assert handled.attributes is not None and handled.attributes["rehabcore.outcome"] == "refused"
    assert handled.status.status_code is trace.StatusCode.UNSET
    (record,) = [r for r in records if r.getMessage() == "command not recorded"]
    assert record.levelno == logging.DEBUG and _fields(record)["outcome"] == "refused"


def test_an_error_span_names_the_type_only(spans: InMemorySpanExporter) -> None:
    with pytest.raises(ValueError), obs.span("append"):
        raise ValueError("DETAIL: Key (event_id)=(a stored value) already exists")
    (failed,) = spans.get_finished_spans()
    assert failed.status.status_code is trace.StatusCode.ERROR and failed.status.description == "ValueError"
    assert not failed.events  # no exception event carrying the message


def test_without_opentelemetry_rehabcore_handles_commands_and_logs() -> None:
    code = """
import sys, logging, datetime as dt, uuid
sys.modules["opentelemetry"] = None
import rehabcore as rc
from rehabcore import observability as obs
from rehabcore.domain import commands as cmd, vocabulary as v
assert not obs.tracing_available()
logging.basicConfig(level=logging.DEBUG, format="%(name)s %(message)s %(command)s")
cases = rc.Cases(rc.InMemoryStore())
cases.handle(cmd.OpenCase(case_id=rc.new_case_id(), subject_id=uuid.uuid4(), opened_on=dt.date(2026, 3, 2),
    jurisdiction=v.Jurisdiction.SE, municipality_code="2284", source=v.ReferralSource.SELF),
    actor=rc.Actor(id="hand-1", role=v.Role.CASE_WORKER))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "rehabcore.cases command handled OpenCase" in done.stderr
