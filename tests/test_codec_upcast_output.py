"""An upcaster's output is read as JSON, as a stored payload is: Python types that JSON would have written
as plain values (a dict subclass, an enum member) decode, and what is not JSON at all is a clear DecodeError.

Found in review: the generated fast path (structuring.py) takes JSON's own types only, so before the output
was read as JSON an OrderedDict or an enum member from an upcaster failed with "invalid payload".
"""

from __future__ import annotations

import collections
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest

from rehabcore import DecodeError, codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import Jurisdiction

NAME = "rehab.CaseOpened"
RAW = {
    "occurred_on": "2026-01-01",
    "case_id": str(uuid.uuid4()),
    "subject_id": str(uuid.uuid4()),
    "jurisdiction": "SE",
    "municipality_code": "0180",
    "source": "self",
}


@pytest.fixture
def upcast() -> Iterator[Callable[[Callable[[dict[str, Any]], Any]], None]]:
    def register(fn: Callable[[dict[str, Any]], Any]) -> None:
        codec.register_upcaster(NAME, 1, fn)
        codec.set_schema_version(NAME, 2)

    yield register
    codec.set_schema_version(NAME, 1)
    codec._UPCASTERS.pop((NAME, 1), None)


@pytest.mark.parametrize(
    "upcaster",
    [
        pytest.param(lambda raw: collections.OrderedDict(raw), id="dict-subclass"),
        pytest.param(lambda raw: {**raw, "municipality_code": Jurisdiction.SE}, id="enum-in-str-field"),
    ],
)
def test_an_upcast_payload_the_detailed_converter_accepts_decodes(upcast: Any, upcaster: Any) -> None:
    upcast(upcaster)
    expected = codec._detailed.structure(upcaster(dict(RAW)), ev.CaseOpened)  # accepted
    assert codec.decode_event(NAME, 1, orjson.dumps(RAW)) == expected  # DecodeError: invalid payload


def test_an_upcaster_that_returns_something_not_json_is_a_decode_error(upcast: Any) -> None:
    upcast(lambda raw: {**raw, "municipality_code": object()})
    with pytest.raises(DecodeError, match="not JSON"):
        codec.decode_event(NAME, 1, orjson.dumps(RAW))
