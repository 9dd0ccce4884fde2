"""Decoded frozen value types of scalars are shared by content, built once through ``__init__`` (#20), and
``positional_builder`` builds a plain slotted class exactly as its ``__init__`` would."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given

from rehabcore import DecodeError, codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import Basis, Jurisdiction, LegalBasis
from rehabcore.store import StoredEvent
from rehabcore.structuring import positional_builder
from rehabcore.testing import strategies


def _decision(basis: LegalBasis) -> ev.DecisionMade:
    return ev.DecisionMade(
        occurred_on=dt.date(2026, 1, 5),
        decision_id=uuid.uuid4(),
        outcome=ev.DecisionOutcome.GRANT,
        legal_basis=basis,
        service=ev.ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=dt.date(2026, 1, 5),
    )


LSS = LegalBasis(Jurisdiction.SE, "LSS", "9 § 10", "SFS 1993:387")


def test_equal_values_decode_to_one_shared_instance() -> None:
    first = codec.decode_event(*codec.encode_event(_decision(LSS)))
    second = codec.decode_event(*codec.encode_event(_decision(LSS)))
    assert isinstance(first, ev.DecisionMade) and isinstance(second, ev.DecisionMade)
    assert first.legal_basis == LSS and first.legal_basis is second.legal_basis


@pytest.mark.parametrize(
    ("field", "value"), [("law", ""), ("law", "   "), ("section", "19121212-1212"), ("version", 7)]
)
def test_a_value_its_own_checks_refuse_is_refused_after_good_ones_were_shared(field: str, value: Any) -> None:
    name, version, data = codec.encode_event(_decision(LSS))
    codec.decode_event(name, version, data)  # the good value is in the shared table now
    raw = orjson.loads(data)
    raw["legal_basis"][field] = value
    with pytest.raises(DecodeError) as raised:
        codec.decode_event(name, version, orjson.dumps(raw))
    assert "legal_basis" in str(raised.value)


def test_a_json_true_is_not_the_shared_integer_one() -> None:
    # 1 == True in Python: the shared table must never hand out a value built from the other.
    name, version, data = codec.encode_event(_decision(LSS))
    raw = orjson.loads(data)
    raw["legal_basis"]["jurisdiction"] = True
    with pytest.raises(DecodeError):
        codec.decode_event(name, version, orjson.dumps(raw))


@given(event=strategies.events())
def test_decoding_with_shared_values_gives_equal_events(event: ev.Event) -> None:
    assert codec.decode_event(*codec.encode_event(event)) == event


def test_positional_builder_builds_what_init_builds() -> None:
    build = positional_builder(StoredEvent)
    args = (3, "case-x", 2, uuid.uuid4(), "rehab.X", 1, b"{}", b"{}", dt.datetime.now(dt.UTC), b"h" * 32)
    built = build(*args)
    assert type(built) is StoredEvent and built == StoredEvent(*args)
    assert attrs.astuple(built, recurse=False) == args
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.position = 4  # type: ignore[misc]


def test_positional_builder_leaves_classes_with_checks_to_their_init() -> None:
    assert positional_builder(Basis) is Basis
