"""Schema versions: a row stored under an older shape is upcast on read; a newer one is refused."""

import datetime as dt

import orjson
import pytest

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import CloseReason

NAME = "rehab.CaseClosed"


@pytest.fixture
def closed_at_version_2():  # type: ignore[no-untyped-def]
    """Pretend CaseClosed v1 stored ``why`` and v2 renamed it to ``reason``."""
    codec.register_upcaster(NAME, 1, lambda raw: {"occurred_on": raw["occurred_on"], "reason": raw["why"]})
    codec.set_schema_version(NAME, 2)
    yield
    codec.set_schema_version(NAME, 1)
    codec._UPCASTERS.pop((NAME, 1))


@pytest.mark.usefixtures("closed_at_version_2")
def test_an_old_row_is_upcast_to_the_current_shape() -> None:
    old = orjson.dumps({"occurred_on": "2026-01-02", "why": "moved"})
    assert codec.decode_event(NAME, 1, old) == ev.CaseClosed(
        occurred_on=dt.date(2026, 1, 2), reason=CloseReason.MOVED
    )


@pytest.mark.usefixtures("closed_at_version_2")
def test_new_events_are_written_at_the_current_version() -> None:
    name, version, _ = codec.encode_event(
        ev.CaseClosed(occurred_on=dt.date(2026, 1, 2), reason=CloseReason.MOVED)
    )
    assert (name, version) == (NAME, 2)


def test_a_row_newer_than_this_library_is_refused() -> None:
    data = codec.dumps(ev.CaseClosed(occurred_on=dt.date(2026, 1, 2), reason=CloseReason.MOVED))
    with pytest.raises(rc.DecodeError, match="newer"):
        codec.decode_event(NAME, 2, data)


def test_an_old_row_without_an_upcaster_is_refused() -> None:
    data = codec.dumps(ev.CaseReopened(occurred_on=dt.date(2026, 1, 2)))
    codec.set_schema_version("rehab.CaseReopened", 3)
    try:
        with pytest.raises(rc.DecodeError, match="no upcaster from schema version 1"):
            codec.decode_event("rehab.CaseReopened", 1, data)
    finally:
        codec.set_schema_version("rehab.CaseReopened", 1)


def test_unknown_type_names_are_refused() -> None:
    with pytest.raises(rc.DecodeError, match="unknown event type"):
        codec.decode_event("rehab.Nope", 1, b"{}")
