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
import uuid
from collections.abc import Callable
from typing import Any

import attrs

from rehabcore.errors import InvalidInput, PersonalDataInIdentifier

MAX_TEXT = 2000

# Swedish personnummer / samordningsnummer (YYMMDD-NNNN, YYYYMMDDNNNN, with - or +) and Danish CPR
# (DDMMYY-SSSS): ten or twelve digits with an optional separator before the last four.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")

Check = Callable[[str, Any], None]


def looks_like_identity_number(text: str) -> bool:
    """Whether ``text`` holds something shaped like a personnummer, samordningsnummer or CPR number."""
    return _IDENTITY_NUMBER.search(text) is not None


def check_text(field: str, value: Any) -> None:
    """A non-blank string of bounded length that holds no identity number."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"expected text, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInput(field, "must not be empty")
    if len(value) > MAX_TEXT:
        raise InvalidInput(field, f"must be at most {MAX_TEXT} characters")
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
