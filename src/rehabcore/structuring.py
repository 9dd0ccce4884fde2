"""Generated read functions: one per event class, JSON dict in, typed event out, in one Python frame.

Replaying a store is mostly decoding, and cattrs' generated functions spend most of it calling a hook per
field (and, for each UUID, date and enum, a hook that checks the value's type first). These functions do
the same checks inline: a date is a ten-character string, a UUID comes from the codec's cache or its
strict parser, an enum from its value table, a string or an integer is of exactly that JSON type, unknown
keys are refused, and an event (slotted, keyword-only, no checks of its own) is built slot by slot, as its
``__init__`` would, without matching keyword arguments. Nested value types (a ``Basis``, a ``LegalBasis``)
get their own generated function and are built through ``__init__``, so their own checks run as before. Any
other field type is handed to the converter's hook.

The benchmark that justifies this module is ``python -m benchmarks.micro decode`` (and the ``load`` and
``replay`` rows of ``python -m benchmarks.run``); docs/performance.md has the figures.

They take JSON's own types only (``type(v) is str``, a plain ``dict``): what ``orjson.loads`` gives, and
what the codec makes of an upcaster's output by reading it back as JSON. They are only a fast path: they
accept exactly what the detailed converter accepts of such input, and on anything else they raise; the codec
then reruns the detailed converter, which names the field. The tests in ``tests/test_codec_fast_path.py``
hold the two paths to the same answers on mutated payloads.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

Hook = Callable[[Any, Any], Any]
T = TypeVar("T")

_MISSING = object()


class Refused(ValueError):
    """The fast path does not take this payload (the detailed converter will say why)."""


def compile_structure(
    cls: type[Any],
    *,
    fallback: Callable[[Any], Hook],
    uuid_hook: Hook,
    enum_hook: Hook,
    uuid_cache: dict[str, uuid.UUID],
) -> Hook:
    """A structure function for the attrs class ``cls``, with the signature of a cattrs hook."""
    return _Compiler(fallback, uuid_hook, enum_hook, uuid_cache).compile(cls)


class _Compiler:
    def __init__(
        self,
        fallback: Callable[[Any], Hook],
        uuid_hook: Hook,
        enum_hook: Hook,
        uuid_cache: dict[str, uuid.UUID],
    ) -> None:
        self.fallback = fallback
        self.scope: dict[str, Any] = {
            "Refused": Refused,
            "MISSING": _MISSING,
            "fromiso": dt.date.fromisoformat,
            "uuid_get": uuid_cache.get,
            "uuid_slow": uuid_hook,
            "enum_slow": enum_hook,
            "str_": str,
            "int_": int,
            "dict_": dict,
            "make": object.__new__,
        }
        self.names = itertools.count()
        self.compiled: dict[type[Any], Hook] = {}

    def compile(self, cls: type[Any]) -> Hook:
        if cls in self.compiled:
            return self.compiled[cls]
        hints = typing.get_type_hints(cls)
        fields = [f for f in attrs.fields(cls) if f.init]
        lines = [
            "def structure(d, _cls=None):",
            "    if type(d) is not dict_ or not allowed.issuperset(d):",
            "        raise Refused",
        ]
        positional: list[tuple[str, str]] = []
        keywords: list[tuple[str, str]] = []
        local: dict[str, Any] = {"cls": cls, "allowed": frozenset(f.name for f in fields)}
        for n, f in enumerate(fields):
            target = f"f{n}"
            value_lines = self._convert(hints[f.name], "v", target, local)
            if f.default is attrs.NOTHING:
                lines.append(f"    v = d[{f.name!r}]")
                lines += [f"    {line}" for line in value_lines]
            elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
                return self._give_up(cls)
            else:
                local[f"default{n}"] = f.default
                lines.append(f"    v = d.get({f.name!r}, MISSING)")
                lines.append("    if v is MISSING:")
                lines.append(f"        {target} = default{n}")
                lines.append("    else:")
                lines += [f"        {line}" for line in value_lines]
            (keywords if f.kw_only else positional).append((f.alias, target))
        if _plain_slotted(cls):
            # Built slot by slot: what the generated ``__init__`` does, minus its keyword matching.
            lines.append("    new = make(cls)")
            for n, f in enumerate(fields):
                local[f"put{n}"] = cls.__dict__[f.name].__set__
                lines.append(f"    put{n}(new, f{n})")
            lines.append("    return new")
        elif _shareable(cls, [hints[f.name] for f in fields]):
            # A frozen value of scalars, built through ``__init__`` (its checks run) once per distinct
            # content and then shared: stored events repeat the same few legal bases and bases, and their
            # checks (a pattern search per text field) cost more than the rest of the event's decoding.
            # Only values that passed construction are kept, so nothing is accepted that was not before.
            args = [t for _, t in positional] + [f"{alias}={t}" for alias, t in keywords]
            built: dict[tuple[Any, ...], Any] = {}
            local["built"] = built
            local["built_get"] = built.get
            key = ", ".join(f"f{n}" for n in range(len(fields)))
            lines += [
                f"    key = ({key},)",
                "    new = built_get(key)",
                "    if new is None:",
                f"        new = cls({', '.join(args)})",
                f"        if len(built) >= {_SHARED_MAX}:",
                "            built.clear()",
                "        built[key] = new",
                "    return new",
            ]
        else:
            args = [t for _, t in positional] + [f"{alias}={t}" for alias, t in keywords]
            lines.append(f"    return cls({', '.join(args)})")
        scope = {**self.scope, **local}
        exec(compile("\n".join(lines) + "\n", f"<rehabcore structure {cls.__qualname__}>", "exec"), scope)
        hook: Hook = scope["structure"]
        self.compiled[cls] = hook
        return hook

    def _give_up(self, cls: type[Any]) -> Hook:
        hook = self.fallback(cls)
        self.compiled[cls] = hook
        return hook

    def _convert(self, tp: Any, value: str, target: str, local: dict[str, Any]) -> list[str]:
        """Statements that set ``target`` from ``value`` of type ``tp``, raising on anything else."""
        if tp is str:
            return [f"if type({value}) is not str_:", "    raise Refused", f"{target} = {value}"]
        if tp is int:
            return [f"if type({value}) is not int_:", "    raise Refused", f"{target} = {value}"]
        if tp is dt.date:
            return [
                f"if type({value}) is not str_ or len({value}) != 10:",
                "    raise Refused",
                f"{target} = fromiso({value})",
            ]
        if tp is uuid.UUID:
            return [
                f"{target} = uuid_get({value})",
                f"if {target} is None:",
                f"    {target} = uuid_slow({value}, None)",
            ]
        if isinstance(tp, type) and issubclass(tp, enum.Enum) and all(m.value is not None for m in tp):
            table = self._name("members", tp._value2member_map_, local)
            kind = self._name("enum", tp, local)
            return [
                f"{target} = {table}.get({value})",
                f"if {target} is None:",
                f"    {target} = enum_slow({value}, {kind})",
            ]
        if _optional_of(tp) is not None:
            inner = self._convert(_optional_of(tp), value, target, local)
            return [
                f"if {value} is None:",
                f"    {target} = None",
                "else:",
                *(f"    {line}" for line in inner),
            ]
        if isinstance(tp, type) and attrs.has(tp):
            hook = self._name("nested", self.compile(tp), local)
            return [f"{target} = {hook}({value})"]
        item_type = _items_of(tp)
        if item_type is not None:
            # Iterated as cattrs iterates a tuple field (any iterable), each item converted inline.
            item = self._name("item", self._item_function(item_type), local)
            return [f"{target} = tuple([{item}(i) for i in {value}])"]
        hook = self._name("hook", self.fallback(tp), local)
        kind = self._name("type", tp, local)
        return [f"{target} = {hook}({value}, {kind})"]

    def _item_function(self, tp: Any) -> Callable[[Any], Any]:
        local: dict[str, Any] = {}
        body = self._convert(tp, "v", "r", local)
        source = "def item(v):\n" + "".join(f"    {line}\n" for line in body) + "    return r\n"
        scope = {**self.scope, **local}
        exec(compile(source, f"<rehabcore structure item {tp!r}>", "exec"), scope)
        return scope["item"]  # type: ignore[no-any-return]

    def _name(self, prefix: str, obj: Any, local: dict[str, Any]) -> str:
        name = f"{prefix}{next(self.names)}"
        local[name] = obj
        return name


def _plain_slotted(cls: type[Any]) -> bool:
    """Whether ``__init__`` of ``cls`` only stores its arguments: slotted, no checks, hooks or cached hash.

    Events are such classes; the value types they carry (a ``Basis``, a ``LegalBasis``) check their values
    and are built through ``__init__``.
    """
    fields = attrs.fields(cls)
    hash_code = getattr(cls.__hash__, "__code__", None)
    return (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(f.init and f.validator is None and f.converter is None for f in fields)
        and all(f.name in cls.__dict__ for f in fields)
        and not (hash_code is not None and "_attrs_cached_hash" in hash_code.co_names)
    )


#: Distinct values kept per shared class before its table starts again (a bound, not a tuning knob).
_SHARED_MAX = 4096
#: Field types whose decoded values are immutable and compare by content, so a key of them names one value.
_SCALARS = (str, int, bool, uuid.UUID, dt.date)


def _shareable(cls: type[Any], types_: list[Any]) -> bool:
    """Whether one instance of ``cls`` may stand for every equal one: frozen, no ``__dict__``, only scalars.

    A key of the decoded field values (exact JSON types: a ``str`` is never equal to an ``int`` here, and an
    ``int`` field refuses ``true``) identifies the value, and ``__init__``'s checks depend on nothing else.
    """
    frozen = getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs"
    return frozen and "__slots__" in cls.__dict__ and all(_scalar(tp) for tp in types_)


def _scalar(tp: Any) -> bool:
    inner = _optional_of(tp)
    if inner is not None:
        tp = inner
    return isinstance(tp, type) and (tp in _SCALARS or issubclass(tp, enum.Enum))


def _optional_of(tp: Any) -> Any:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return next(a for a in args if a is not type(None))
    return None


def _items_of(tp: Any) -> Any:
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] is not Any:
        return args[0]
    return None


def positional_builder(cls: type[T]) -> Callable[..., T]:
    """``cls(*values)`` for a plain slotted attrs class, built slot by slot (see :func:`_plain_slotted`).

    For the adapters' rows: a store builds a :class:`~rehabcore.store.StoredEvent` per row it reads, and a
    frozen class's ``__init__`` sets each field through ``object.__setattr__`` by name. Any other class is
    returned as it is (its ``__init__`` and whatever checks it runs).
    """
    if not _plain_slotted(cls):
        return cls
    fields = attrs.fields(typing.cast(Any, cls))
    if any(f.kw_only for f in fields):
        return cls
    names = [f"a{n}" for n in range(len(fields))]
    scope: dict[str, Any] = {"make": object.__new__, "cls": cls}
    lines = [f"def build({', '.join(names)}):", "    new = make(cls)"]
    for n, f in enumerate(fields):
        scope[f"put{n}"] = cls.__dict__[f.name].__set__
        lines.append(f"    put{n}(new, a{n})")
    lines.append("    return new")
    exec(compile("\n".join(lines) + "\n", f"<rehabcore build {cls.__qualname__}>", "exec"), scope)
    return scope["build"]  # type: ignore[no-any-return]
