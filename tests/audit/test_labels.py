"""Every word people read exists in Swedish, English and Danish, keyed by what it names (issue #21).

Derived from the classes, not listed here: every event type of the ``ev.Event`` union, every field of every
event, every member of every enum of the vocabulary (and the case status).
"""

from __future__ import annotations

import typing

import attrs
import pytest

from rehabcore.audit import labels
from rehabcore.audit.labels import LANGUAGES, MissingLabel, event_label, label, member_label
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v

EVENT_TYPES = typing.get_args(ev.Event)
FIELDS = sorted({f.name for cls in EVENT_TYPES for f in attrs.fields(cls)})
MEMBERS = [m for enum_cls in labels.vocabulary() for m in enum_cls]


def _words(found: str) -> None:
    assert found.strip() and found == found.strip()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_type_has_a_name(cls: type[ev.Event], lang: str) -> None:
    _words(event_label(cls, lang))
    assert label(cls.__name__, lang) == event_label(cls, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("field", FIELDS)
def test_every_event_field_has_a_label(field: str, lang: str) -> None:
    _words(label(field, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_every_enum_member_has_a_word(member: typing.Any, lang: str) -> None:
    _words(member_label(member, lang))


def test_the_vocabulary_is_every_enum_of_the_domain_that_people_read() -> None:
    assert v.PlacementKind in labels.vocabulary() and v.Role in labels.vocabulary()
    assert len(MEMBERS) > 100


def test_members_of_different_enums_with_the_same_value_have_their_own_words() -> None:
    # ``StrEnum`` members compare equal to their value, so one flat table could not tell these apart.
    assert v.EmploymentForm.OPEN == "open" and v.CloseReason.OTHER == v.AssessmentMethod.OTHER
    assert member_label(v.EmploymentForm.OPEN, "sv") == "osubventionerad anställning"
    assert label("none", "sv") == "inga"  # the heading, not a member's word


def test_a_missing_word_is_an_error_not_a_fallback() -> None:
    with pytest.raises(MissingLabel, match="no_such_key"):
        label("no_such_key", "sv")
