"""Events and commands to bytes and back: one converter, a stable name table, upcasters.

Stored rows name their event by a stable string (``"rehab.PlacementStarted"``) and a schema version, never by
the Python class, so renaming a class never breaks a stored row. When an event's shape changes, bump its
version in the table and register an upcaster that turns the old stored dict into the new one.

Decoding is strict: wrong types, unknown enum values, naive datetimes and malformed dates raise
:class:`~rehabcore.errors.DecodeError` naming the type and field, never the value.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import cattrs
import cattrs.gen
import orjson

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.errors import DecodeError, InvalidInput
from rehabcore.structuring import compile_structure

T = TypeVar("T")
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

EVENT_PREFIX = "rehab."
COMMAND_PREFIX = "rehab.cmd."

#: Stable name → (class, current schema version). Add new types at the end; never rename a key.
#: Both are read off the unions ``ev.Event`` and ``cmd.Command``: a class added to its union is in the table.
EVENT_TYPES: dict[str, tuple[type[ev.Event], int]] = {
    EVENT_PREFIX + cls.__name__: (cls, 1) for cls in typing.get_args(ev.Event)
}
COMMAND_TYPES: dict[str, type[cmd.Command]] = {
    COMMAND_PREFIX + cls.__name__: cls for cls in typing.get_args(cmd.Command)
}
_EVENT_NAMES = {cls: name for name, (cls, _) in EVENT_TYPES.items()}
_COMMAND_NAMES = {cls: name for name, cls in COMMAND_TYPES.items()}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class _Refused(ValueError):
    """A stored value that is not of the declared type."""


def _strict_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _Refused(f"expected a string, got {type(value).__name__}")
    return value


def _strict_int(value: Any, _: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Refused(f"expected an integer, got {type(value).__name__}")
    return value


def _strict_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _Refused(f"expected true or false, got {type(value).__name__}")
    return value


#: Parsed UUIDs by their text: a case's events repeat the same few ids (case, goals, placement, unit), and
#: parsing is the largest single cost of decoding. UUIDs are immutable, so sharing one object is safe.
_UUIDS: dict[str, uuid.UUID] = {}
_UUIDS_MAX = 1 << 16
_UUID, _UNKNOWN = uuid.UUID, uuid.SafeUUID.unknown
_new_uuid, _set = object.__new__, object.__setattr__


def _uuid(value: Any, _: Any) -> uuid.UUID:
    try:
        return _UUIDS[value]
    except (KeyError, TypeError):
        pass
    if not isinstance(value, str) or len(value) != 36:
        raise _Refused("expected a UUID in canonical form")
    if value[8] == value[13] == value[18] == value[23] == "-":
        # The canonical form: what uuid.UUID(value) computes (int of the 32 digits), without its generic
        # clean-up of braces and prefixes; int() refuses a non-hex digit exactly as uuid.UUID does.
        parsed = _new_uuid(_UUID)
        _set(parsed, "int", int(value.replace("-", ""), 16))
        _set(parsed, "is_safe", _UNKNOWN)
    else:
        parsed = uuid.UUID(value)
    if len(_UUIDS) >= _UUIDS_MAX:
        _UUIDS.clear()
    _UUIDS[value] = parsed
    return parsed


def _uuid_missed(value: Any, _: Any) -> uuid.UUID:
    """:func:`_uuid` after the generated code's own cache look-up missed: no second look-up, no KeyError.

    An event's own id (a decision's, a goal's) is new to the cache on every event, so this runs about once
    an event; raising and catching the KeyError was most of its cost.
    """
    if (
        type(value) is not str
        or len(value) != 36
        or not value[8] == value[13] == value[18] == value[23] == "-"
    ):
        return _uuid(value, None)  # not canonical: the full path decides, and says why
    parsed = _new_uuid(_UUID)
    _set(parsed, "int", int(value.replace("-", ""), 16))
    _set(parsed, "is_safe", _UNKNOWN)
    if len(_UUIDS) >= _UUIDS_MAX:
        _UUIDS.clear()
    _UUIDS[value] = parsed
    return parsed


def _date(value: Any, _: Any) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise _Refused("expected a date as YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def _datetime(value: Any, _: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise _Refused("expected an ISO 8601 datetime")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise _Refused("naive datetime; stored datetimes carry a UTC offset")
    return parsed


def _enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    # The hot path of every read: a direct look-up by value (what ``cls(value)`` does first, without the
    # metaclass call). Anything else (unknown, unhashable) takes the full path and its error below.
    try:
        return cls._value2member_map_[value]
    except (KeyError, TypeError):
        pass
    try:
        return cls(value)
    except ValueError:
        raise _Refused(
            f"not a {cls.__name__}; expected one of {', '.join(str(m.value) for m in cls)}"
        ) from None


def _make_converter(detailed: bool) -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(bool, _strict_bool)  # a yes/no field (#12), not an int
    conv.register_structure_hook(uuid.UUID, _uuid)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(dt.datetime, _datetime)
    # Registered by class, not by predicate: hooks dispatch on the MRO, and a StrEnum is a str first.
    conv.register_structure_hook(enum.StrEnum, _enum)
    conv.register_structure_hook(enum.Enum, _enum)
    # orjson writes UUIDs, dates, datetimes and enums natively (and fast): leave them as they are.
    for native in (uuid.UUID, dt.date, dt.datetime):
        conv.register_unstructure_hook(native, lambda v: v)
    return conv


def _is_optional(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args


def _optional_hook(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``X | None`` with X's hook looked up once (cattrs' generic version dispatches on every value)."""
    [inner] = [a for a in typing.get_args(tp) if a is not type(None)]
    hook = conv.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] is not Any


def _tuple_hook(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``tuple[X, ...]`` with X's hook looked up once; accepts what cattrs' generic version accepts."""
    inner = typing.get_args(tp)[0]
    hook = conv.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        return tuple([hook(item, inner) for item in value])

    return structure


def _omit_if_none(conv: cattrs.Converter) -> None:
    """Fields marked ``OMIT_IF_NONE`` are left out of the JSON while they are None (see events.py)."""
    for cls in typing.get_args(ev.Event):
        marked = [f.name for f in attrs.fields(cls) if f.metadata.get(ev.OMIT_IF_NONE)]
        if marked:
            overrides: dict[str, Any] = {name: cattrs.gen.override(omit_if_default=True) for name in marked}
            conv.register_unstructure_hook(cls, cattrs.gen.make_dict_unstructure_fn(cls, conv, **overrides))


_fast = _make_converter(detailed=False)
# The fast converter only: it says nothing about where a payload is wrong (the detailed one does), so its
# hooks may be specialised, as long as they accept and build exactly what the detailed converter does.
_fast.register_structure_hook_factory(_is_optional, _optional_hook)
_fast.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
_detailed = _make_converter(detailed=True)
_omit_if_none(_fast)
_omit_if_none(_detailed)
#: Each class's structure function, generated once (:mod:`rehabcore.structuring`; see :func:`decode_event`).
_HOOKS: dict[type[Any], Callable[[Any, Any], Any]] = {}


def _is_replacement(tp: Any) -> bool:
    return bool(tp == ev.CorrectableEvent)


def _register_replacement_hooks(conv: cattrs.Converter) -> None:
    """A correction carries the corrected entry by its stable name and schema version, as a stored row."""

    def unstructure(event: ev.Event) -> dict[str, Any]:
        name, version = event_type(event)
        return {"type": name, "schema_version": version, "data": conv.unstructure(event)}

    def structure(raw: Any, _: Any) -> ev.Event:
        if not isinstance(raw, dict) or set(raw) != {"type", "schema_version", "data"}:
            raise _Refused("expected the corrected entry as {type, schema_version, data}")
        name, version = raw["type"], raw["schema_version"]
        entry = EVENT_TYPES.get(name) if isinstance(name, str) else None
        if entry is None or entry[0] not in _CORRECTABLE or not isinstance(version, int):
            raise _Refused("not a kind of entry a correction can replace")
        data = raw["data"] if version == entry[1] else _upcast(name, version, entry[1], raw["data"])
        return conv.structure(data, entry[0])

    conv.register_unstructure_hook_func(_is_replacement, unstructure)
    conv.register_structure_hook_func(_is_replacement, structure)


_CORRECTABLE = frozenset(typing.get_args(ev.CorrectableEvent))
_register_replacement_hooks(_fast)
_register_replacement_hooks(_detailed)


def _problem(exc: Exception) -> str:
    """Where and what, from the detailed converter's error tree, without the offending values."""
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc, format_exception=_format))
    return _format(exc, None)


def _format(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        # Counted, not named: a key is text from the stored payload, and a forged row could carry personal
        # data in one, which must not reach a log through the error message.
        return f"{len(exc.extra_fields)} unknown field(s)"
    return f"invalid value ({type(exc).__name__})"


def _hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    hook = _HOOKS.get(cls)
    if hook is None:
        hook = _HOOKS[cls] = compile_structure(
            cls, fallback=_fast.get_structure_hook, uuid_hook=_uuid_missed, enum_hook=_enum, uuid_cache=_UUIDS
        )
    return hook


def _structure(data: Any, cls: type[T], type_name: str) -> T:
    hook = _hook(cls)
    try:
        return hook(data, cls)  # type: ignore[no-any-return]
    except Exception:
        # The fast path says only that something is wrong; the detailed converter says where.
        try:
            _detailed.structure(data, cls)
        except Exception as exc:
            raise DecodeError(type_name, _problem(exc)) from None
        raise DecodeError(type_name, "invalid payload") from None


_orjson_loads = orjson.loads


def dumps(obj: Any) -> bytes:
    """Canonical JSON bytes: field order as declared, UTF-8, no whitespace."""
    try:
        return orjson.dumps(_fast.unstructure(obj))
    except TypeError:  # orjson's JSONEncodeError: a lone surrogate in a text field (#14)
        raise InvalidInput(type(obj).__name__, "text must be valid Unicode (no lone surrogates)") from None


def loads(data: bytes, type_name: str = "payload") -> Any:
    """Parse JSON bytes, refusing what is not JSON with a DecodeError."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        raise DecodeError(type_name, "not valid UTF-8 JSON") from None


def event_type(event: ev.Event) -> tuple[str, int]:
    """The stable name and current schema version of an event."""
    name = _EVENT_NAMES[type(event)]
    return name, EVENT_TYPES[name][1]


def encode_event(event: ev.Event) -> tuple[str, int, bytes]:
    """``(type name, schema version, bytes)`` for storing."""
    name, version = event_type(event)
    return name, version, dumps(event)


def decode_event(type_name: str, schema_version: int, data: bytes) -> ev.Event:
    """The typed event for a stored row, upcast to the current schema version."""
    entry = EVENT_TYPES.get(type_name)
    if entry is None:
        raise DecodeError(type_name, "unknown event type; is a newer rehabcore needed?")
    cls, current = entry
    try:
        raw = _orjson_loads(data)
    except orjson.JSONDecodeError:
        raise DecodeError(type_name, "not valid UTF-8 JSON") from None
    if schema_version != current:
        raw = _upcast(type_name, schema_version, current, raw)
    hook = _HOOKS.get(cls)
    if hook is not None:
        try:
            return hook(raw, cls)  # type: ignore[no-any-return]
        except Exception:  # the slow path below raises the DecodeError that says where
            pass
    return _structure(raw, cls, type_name)


def _upcast(type_name: str, version: int, current: int, raw: Any) -> Any:
    if version > current:
        raise DecodeError(type_name, f"schema version {version} is newer than this rehabcore ({current})")
    while version < current:
        upcaster = _UPCASTERS.get((type_name, version))
        if upcaster is None:
            raise DecodeError(type_name, f"no upcaster from schema version {version}")
        raw = upcaster(raw)
        version += 1
    # Read the result as a stored payload is read: as JSON. An upcaster may hand back an OrderedDict, an
    # enum member or a date; the strict decoders (and the generated fast path) take JSON's own types only.
    try:
        return orjson.loads(orjson.dumps(raw))
    except (orjson.JSONEncodeError, orjson.JSONDecodeError):
        raise DecodeError(type_name, "an upcaster returned something that is not JSON") from None


def register_upcaster(type_name: str, from_version: int, upcaster: Upcaster) -> None:
    """Teach the codec to read ``type_name`` stored at ``from_version`` (as ``from_version + 1``)."""
    _UPCASTERS[(type_name, from_version)] = upcaster


def set_schema_version(type_name: str, version: int) -> None:
    """Declare the current schema version of an event type (with the upcasters that reach it)."""
    cls, _ = EVENT_TYPES[type_name]
    EVENT_TYPES[type_name] = (cls, version)


def command_name(command: cmd.Command) -> str:
    """The stable name of a command."""
    return _COMMAND_NAMES[type(command)]


def unstructure_command(command: cmd.Command) -> dict[str, Any]:
    """A command as a JSON-ready dict with its name, for event metadata."""
    return {"type": command_name(command), "data": _fast.unstructure(command)}


def structure_command(raw: dict[str, Any]) -> cmd.Command:
    """The typed command from :func:`unstructure_command` output (after a JSON round trip)."""
    type_name = raw.get("type", "?")
    cls = COMMAND_TYPES.get(type_name)
    if cls is None:
        raise DecodeError(str(type_name), "unknown command type")
    return _structure(raw["data"], cls, type_name)
