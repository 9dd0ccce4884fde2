"""The identity-number check finds personnummer, samordningsnummer and CPR in any spelling, in any field.

Numbers are generated valid (a real date, the Luhn digit for the Swedish forms, the CPR century digit that
fits the year), spelt in any of the variants a word processor, a phone or an attacker produces, embedded in
random text and given to every free-text field of every command; each is refused. Random text without a
number (letters, punctuation, short digit groups) is accepted by the same fields.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.validation import has_control_characters, looks_like_identity_number, neutralise
from rehabcore.domain.vocabulary import Role
from rehabcore.errors import InvalidInput


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


_birth = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def personnummer(draw: st.DrawFn, coordination: bool = False) -> tuple[str, str]:
    """(date part with century, last four) of a valid personnummer or samordningsnummer (day + 60)."""
    born = draw(_birth)
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(1, 999)):03d}"
    return f"{born.year // 100}{nine[:6]}", nine[6:] + _luhn_digit(nine)


@st.composite
def cpr(draw: st.DrawFn) -> tuple[str, str]:
    """(DDMMYY, SSSS) of a CPR number whose seventh digit fits the birth year's century (no modulus 11)."""
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2036, 12, 31)))
    seventh = draw(st.sampled_from("0123" if born.year < 2000 else "49"))
    return f"{born:%d%m%y}", seventh + f"{draw(st.integers(0, 999)):03d}"


SEPARATORS = ["-", "", " ", "/", ".", "\u2013", "\u2014", "\u2212", "\u2011", " - ", " \u2013 "]
SEPARATORS += ["\u00a0", "\u202f", "\u2009"]  # no-break, narrow no-break and thin space
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@st.composite
def spelt(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["pnr10", "pnr12", "sam10", "sam12", "cpr"]))
    if kind == "cpr":
        head, tail = draw(cpr())
    else:
        head, tail = draw(personnummer(coordination=kind.startswith("sam")))
        head = head if kind.endswith("12") else head[2:]
    sep = draw(st.sampled_from([*SEPARATORS, "+"] if kind == "pnr10" else SEPARATORS))
    text = head + sep + tail
    # Invisible characters anywhere inside, and full-width digits sometimes.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    if draw(st.booleans()):
        text = "".join(chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in text)
    return text


_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöæøÅÄÖ .,;:!?()'\"-–", max_size=30)
#: Text without an identity number: words, punctuation, dashes and digit groups of at most five digits.
_plain = st.lists(st.one_of(_letters, st.integers(0, 99_999).map(str)), min_size=1, max_size=8).map(
    lambda parts: " x ".join(parts) + " ord"
)


_CODES = {"municipality_code"}


def _text_fields() -> list[tuple[type, attrs.Attribute[Any]]]:
    """Every field of every command (and Actor) that holds free text: str, str | None, tuple[str, ...]."""
    found = []
    for cls in (*typing.get_args(cmd.Command), cmd.Actor):
        hints = typing.get_type_hints(cls)
        for f in attrs.fields(cls):
            tp = hints[f.name]
            # A code with its own format (a municipality code) is not free text.
            if (tp is str or str in typing.get_args(tp)) and f.name not in _CODES:
                found.append((cls, f))
    return found


TEXT_FIELDS = _text_fields()


def _give(cls: type, field: attrs.Attribute[Any], text: str) -> None:
    """Run the field's checks on ``text`` exactly as construction does."""
    tp = typing.get_type_hints(cls)[field.name]
    value: Any = (text,) if typing.get_origin(tp) is tuple else text
    assert field.validator is not None
    field.validator(None, field, value)


def test_there_are_free_text_fields_to_check() -> None:
    names = {f"{cls.__name__}.{f.name}" for cls, f in TEXT_FIELDS}
    assert {"SetGoal.citizen_words", "SetGoal.proxy_reason", "Actor.id"} <= names


@given(number=spelt(), before=_letters, after=_letters)
def test_every_identity_number_in_any_spelling_is_refused_in_every_text_field(
    number: str, before: str, after: str
) -> None:
    text = f"{before} {number} {after}"
    assert looks_like_identity_number(text)
    for cls, field in TEXT_FIELDS:
        with pytest.raises(rc.PersonalDataInIdentifier) as raised:
            _give(cls, field, text)
        assert number not in str(raised.value)


@given(text=_plain)
def test_text_without_an_identity_number_is_accepted_in_every_text_field(text: str) -> None:
    for cls, field in TEXT_FIELDS:
        _give(cls, field, text)


@pytest.mark.parametrize(
    "spelling",
    [
        "811218\u20139876",  # en dash
        "811218 - 9876",  # spaced dash
        "811218\u00a09876",  # no-break space
        "811218/9876",
        "81.12.18-9876",
        "8112\u00ad18-9876",  # soft hyphen
        "811218\u200b-9876",  # zero-width space
        "19811218\u22129876",  # minus sign
    ],
)
def test_the_spellings_the_issue_names(spelling: str) -> None:
    assert looks_like_identity_number(f"Anna {spelling} vill jobba")


def test_a_number_with_a_wrong_check_digit_or_date_is_not_an_identity_number() -> None:
    assert not looks_like_identity_number("811218-9875")  # Luhn fails
    assert not looks_like_identity_number("811318-9876")  # month 13
    assert not looks_like_identity_number("ring 0660-88 000 eller 12345")


@pytest.mark.parametrize("control", ["\n", "\r", "\t", "\x1b[31m", "\x85", "\u2028", "\u202e"])
def test_a_control_character_is_refused_in_a_one_line_field_and_neutralised_in_output(control: str) -> None:
    with pytest.raises(rc.InvalidInput, match="control character") as raised:
        rc.Actor(id="hand-042", role=Role.CASE_WORKER, unit=f"AME{control}x")
    assert control not in str(raised.value)
    shown = neutralise(f"a{control}b")
    assert not has_control_characters(shown) and shown.startswith("a\\u")


@pytest.mark.parametrize("code", ["22 84", "wÅ", "22840", "19", "２２８４"])
def test_a_municipality_code_is_three_or_four_ascii_digits(code: str) -> None:
    with pytest.raises(InvalidInput, match="municipality_code"):
        cmd.MarkIvoReportSubmitted(
            municipality_code=code, quarter=v.Quarter(2026, 1), submitted_on=dt.date(2026, 4, 2), decisions=()
        )
