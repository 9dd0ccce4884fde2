"""Strict field checks for values that come in from outside: commands, actors, value types.

``validated`` is an attrs ``field_transformer``: it reads each field's annotation and adds a check, so a class
is declared once, with its types, and every wrong value is refused at construction with an
:class:`~rehabcore.errors.InvalidInput` naming the field. Messages never repeat the value itself, which may be
personal data.

Pure: imports only the standard library, attrs and rehabcore.errors.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

import attrs

from rehabcore.errors import InvalidInput, PersonalDataInIdentifier

MAX_TEXT = 2000

Check = Callable[[str, Any], None]

# --- identity numbers -------------------------------------------------------------------------------------
#
# What a word processor, a phone or an attacker does to ``811218-9876``: an en dash or a minus sign for the
# hyphen, a no-break or thin space, a spaced dash, a slash or a dot, a soft hyphen or a zero-width character
# inside, full-width digits. The text is normalised (NFKC folds full-width digits and most spaces; the tables
# below the rest) and then read as clusters of digits joined by at most one separator each; every ten- and
# twelve-digit window of a cluster is checked as a personnummer, samordningsnummer or CPR number with its
# date (and the Luhn digit for the Swedish forms). python-stdnum is not used here: the domain stays free of
# third-party packages, and stdnum neither knows samordningsnummer nor finds numbers inside text.

#: Every dash and minus sign Unicode has that a word processor or a phone may put in a number.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d\u058a\u05be\u1806"
#: Invisible characters dropped before matching: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\u180e\ufeff"
_FOLD = str.maketrans({**{c: "-" for c in _DASHES}, **{c: None for c in _INVISIBLE}})
#: Digit groups joined by whitespace, or by one of ``- + / .`` with optional whitespace around it.
_CLUSTER = re.compile(r"\d+(?:(?:\s*[-+/.]\s*|\s+)\d+)*")


def normalise_for_matching(text: str) -> str:
    """``text`` as the identity-number check reads it: NFKC, dashes folded to ``-``, invisibles dropped."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _swedish(digits: str) -> bool:
    """A personnummer or samordningsnummer (day + 60): YYMMDDNNNC or YYYYMMDDNNNC, Luhn over the last ten."""
    ten = digits[-10:]
    if not _luhn_ok(ten):
        return False
    month, day = int(ten[2:4]), int(ten[4:6])
    if day > 60:
        day -= 60
    if len(digits) == 12:
        return _is_date(int(digits[:4]), month, day) and int(digits[:4]) >= 1800
    yy = int(ten[:2])
    return any(_is_date(century + yy, month, day) for century in (1800, 1900, 2000))


def cpr_birth_year(digits: str) -> int:
    """The birth year of a ten-digit CPR number: the century follows from the seventh digit."""
    yy, seventh = int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    return (2000 if yy <= 57 else 1800) + yy


def _danish(digits: str) -> bool:
    """A CPR number DDMMYYSSSS with a real birth date; no modulus-11 check (not used since 2007)."""
    year = cpr_birth_year(digits)
    return _is_date(year, int(digits[2:4]), int(digits[:2]))


def _holds_identity_number(digits: str) -> bool:
    for size in (10, 12):
        for start in range(len(digits) - size + 1):
            window = digits[start : start + size]
            if _swedish(window) or (size == 10 and _danish(window)):
                return True
    return False


def looks_like_identity_number(text: str) -> bool:
    """Whether ``text`` holds a personnummer, samordningsnummer or CPR number, in any common spelling."""
    if sum(ch.isdigit() for ch in text) < 10:  # the common case, decided without normalising
        return False
    for cluster in _CLUSTER.finditer(normalise_for_matching(text)):
        digits = "".join(ch for ch in cluster.group() if ch.isdigit())
        if len(digits) >= 10 and _holds_identity_number(digits):
            return True
    return False


# --- control characters -----------------------------------------------------------------------------------

#: Bidirectional overrides and isolates: they make text read differently from how it is stored.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI or ch in "\u2028\u2029"


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (C0, C1, line/paragraph separators, bidi overrides)."""
    return any(_is_control(ch) for ch in text)


def neutralise(text: str) -> str:
    """``text`` safe to print on one line: each control character shown as ``\\uXXXX`` instead of acted on."""
    if not has_control_characters(text):
        return text
    return "".join(f"\\u{ord(ch):04x}" if _is_control(ch) else ch for ch in text)


def check_text(field: str, value: Any) -> None:
    """A non-blank one-line string of bounded length that holds no identity number or control character."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"expected text, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    if len(value) > MAX_TEXT:
        raise InvalidInput(field, f"must be at most {MAX_TEXT} characters")
    if has_control_characters(value):
        raise InvalidInput(
            field, "holds a control character (line break, tab, bidi override …); write it on one line"
        )
    if looks_like_identity_number(value):
        raise PersonalDataInIdentifier(
            field, "looks like a personal identity number; use the pseudonymous subject_id instead"
        )


def _check_uuid(field: str, value: Any) -> None:
    if not isinstance(value, uuid.UUID):
        hint = " (a personal identity number is never an id)" if isinstance(value, str) else ""
        if isinstance(value, str) and looks_like_identity_number(value):
            raise PersonalDataInIdentifier(field, "expected a pseudonymous uuid.UUID" + hint)
        raise InvalidInput(field, f"expected a uuid.UUID, got {type(value).__name__}{hint}")


def _check_date(field: str, value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(field, f"expected a datetime.date, got {type(value).__name__}")


def _check_datetime(field: str, value: Any) -> None:
    if not isinstance(value, dt.datetime):
        raise InvalidInput(field, f"expected a datetime.datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "naive datetime; give a timezone, e.g. tzinfo=datetime.UTC")


def _check_int(field: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(field, f"expected an int, got {type(value).__name__}")


def _check_bool(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidInput(field, f"expected a bool, got {type(value).__name__}")


def _instance_of(tp: type) -> Check:
    def check(field: str, value: Any) -> None:
        if not isinstance(value, tp):
            choices = f" (one of {', '.join(m.value for m in tp)})" if issubclass(tp, enum.Enum) else ""
            raise InvalidInput(field, f"expected {tp.__name__}{choices}, got {type(value).__name__}")

    return check


_SIMPLE: dict[Any, Check] = {
    uuid.UUID: _check_uuid,
    dt.date: _check_date,
    dt.datetime: _check_datetime,
    int: _check_int,
    bool: _check_bool,
    str: check_text,
}


def check_for(tp: Any) -> Check:
    """The check for an annotation: simple types, enums, attrs classes, ``X | None``, ``tuple[X, ...]``."""
    if tp in _SIMPLE:
        return _SIMPLE[tp]
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = check_for(args[0]) if len(args) == 1 else _instance_of(tuple(args))  # type: ignore[arg-type]

        def optional(field: str, value: Any) -> None:
            if value is not None:
                inner(field, value)

        return optional
    if origin is tuple:
        item = check_for(typing.get_args(tp)[0])

        def each(field: str, value: Any) -> None:
            if not isinstance(value, tuple):
                raise InvalidInput(field, f"expected a tuple, got {type(value).__name__}")
            for i, element in enumerate(value):
                item(f"{field}[{i}]", element)

        return each
    if isinstance(tp, type):
        return _instance_of(tp)
    raise TypeError(f"no check for annotation {tp!r}")


def _to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def validated(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs field_transformer: add the annotation's check to every field (after any own validator).

    Modules using it must not use ``from __future__ import annotations``: the checks are built from the real
    annotation objects when the class is defined.
    """
    out = []
    for f in fields:
        check = check_for(f.type)
        name = f"{cls.__name__}.{f.name}"

        def run(_inst: Any, _attr: Any, value: Any, check: Check = check, name: str = name) -> None:
            check(name, value)

        validator = run if f.validator is None else attrs.validators.and_(run, f.validator)
        is_tuple = typing.get_origin(f.type) is tuple
        out.append(f.evolve(validator=validator, converter=_to_tuple if is_tuple else f.converter))
    return out


def between(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], int], None]:
    """A range check for an int field, run after the type check."""

    def check(_inst: Any, attr: attrs.Attribute[Any], value: int) -> None:
        if not low <= value <= high:
            raise InvalidInput(attr.name, f"must be between {low} and {high}")

    return check


def municipality_code(_inst: Any, attr: attrs.Attribute[Any], value: str) -> None:
    """A municipality code (kommunkod, kommunenummer): three or four ASCII digits (after the type check)."""
    if not (value.isascii() and value.isdigit() and 3 <= len(value) <= 4):
        raise InvalidInput(attr.name, "must be a municipality code of 3 or 4 digits, as in 2284")
