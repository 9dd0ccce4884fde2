"""CloudEvents export and JSON Schemas: every event type, validated by the SDK and by jsonschema."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout
from typing import Any

import jsonschema
import orjson
import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from hypothesis import given, settings
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import codec
from rehabcore.cases import Recorded
from rehabcore.cli import main
from rehabcore.integration import cloudevent, to_cloudevent
from rehabcore.integration import schemas as sc
from rehabcore.testing.strategies import builds

from .helpers import ACTOR, cases_on, open_case

EVENT_NAMES = sorted(codec.EVENT_TYPES)
COMMAND_NAMES = sorted(codec.COMMAND_TYPES)
_VALIDATORS: dict[str, jsonschema.Draft202012Validator] = {}


def _validator(relative: str) -> jsonschema.Draft202012Validator:
    if relative not in _VALIDATORS:
        schema = sc.shipped(relative)  # the file as installed, not the generator's output
        jsonschema.Draft202012Validator.check_schema(schema)
        _VALIDATORS[relative] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    return _VALIDATORS[relative]


def _sdk(event: dict[str, Any]) -> CloudEvent:
    parsed = JSONFormat().read(CloudEvent, orjson.dumps(event))
    assert isinstance(parsed, CloudEvent)
    return parsed


@pytest.mark.parametrize("name", EVENT_NAMES)
@settings(max_examples=8)
@given(data=st.data())
def test_every_event_type_exports_as_a_valid_cloudevent_whose_data_fits_its_schema(
    name: str, data: st.DataObject
) -> None:
    cls, version = codec.EVENT_TYPES[name]
    event = data.draw(builds(cls))
    recorded = Recorded(
        position=7,
        stream_id="case-x",
        version=3,
        recorded_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        event=event,
        metadata={},
    )
    exported = cloudevent(recorded, source="/kommun/2284")
    parsed = _sdk(exported)
    assert (parsed.get_type(), parsed.get_id(), parsed.get_subject()) == (name, "case-x/3", "case-x")
    assert parsed.get_extension("rehabposition") == 7
    assert parsed.get_dataschema() == sc.event_schema_id(name, version)
    _validator(f"events/{name}.json").validate(parsed.get_data())
    # And the data decodes back to the same event.
    assert codec.decode_event(name, version, orjson.dumps(parsed.get_data())) == event


@pytest.mark.parametrize("name", COMMAND_NAMES)
@settings(max_examples=8)
@given(data=st.data())
def test_every_command_as_the_codec_writes_it_fits_its_schema(name: str, data: st.DataObject) -> None:
    command = data.draw(builds(codec.COMMAND_TYPES[name]))
    written = orjson.loads(orjson.dumps(codec.unstructure_command(command)))
    assert written["type"] == name  # the codec's envelope names the type; the schema is of its data
    _validator(f"commands/{name}.json").validate(written["data"])


def test_a_schema_refuses_what_the_codec_would_refuse() -> None:
    validator = _validator("events/rehab.CaseOpened.json")
    good = orjson.loads(codec.encode_event(open_case_event())[2])
    validator.validate(good)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**good, "personnummer": "19121212-1212"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({k: v for k, v in good.items() if k != "subject_id"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**good, "jurisdiction": "NO"})


def open_case_event() -> Any:
    command = open_case()
    return cases_on(rc.open_store("memory://")).handle(command, actor=ACTOR).events[0]


def test_personal_data_fields_are_marked() -> None:
    opened = sc.event_schemas()["rehab.CaseOpened"]["properties"]
    assert opened["subject_id"]["x-personal-data"] == "pseudonym"
    assert "x-personal-data" not in opened["municipality_code"]
    assert "x-personal-data" not in opened["case_id"]
    goal = sc.event_schemas()["rehab.GoalSet"]["properties"]
    assert goal["citizen_words"]["x-personal-data"] == "free-text"


def test_the_shipped_schemas_are_current() -> None:
    """If this fails, the classes changed: run `python -m rehabcore.integration.schemas` and commit."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "schemas"
    for relative, schema in sc.all_schemas().items():
        assert sc.shipped(relative) == schema, relative
        assert (docs / relative).read_bytes() == sc.render(schema), relative
    shipped = {f"{p.parent.name}/{p.name}" for p in docs.glob("*/*.json")}
    assert shipped == set(sc.all_schemas())


@pytest.mark.parametrize("backend", ["sqlite_url", "pg_url"])
def test_export_command_writes_one_cloudevent_per_line(backend: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue(backend))
    store = rc.open_store(url)
    for _ in range(2):
        cases_on(store).handle(open_case(), actor=ACTOR)
    via_api = [to_cloudevent(e) for e in store.read_all()]
    store.close()
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with redirect_stdout(out):
        assert main(["export", "--format", "cloudevents", "--store", url]) == 0
        out.flush()
    lines = out.buffer.getvalue().splitlines()  # type: ignore[attr-defined]
    assert [orjson.loads(line) for line in lines] == via_api
    assert [_sdk(orjson.loads(line)).get_extension("rehabposition") for line in lines] == [1, 2]
