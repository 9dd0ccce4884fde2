"""The speed tricks of folding, in one place: ``replace`` (a generated ``attrs.evolve``) and ``stamp``.

The benchmarks that justify them are ``python -m benchmarks.micro copy`` (a ``CaseState`` copy with
``attrs.evolve`` and with ``replace``) and the ``load`` and ``replay`` rows of ``python -m benchmarks.run``;
docs/performance.md has the figures. Everything else in the domain is plain ``attrs`` code.

Folding builds a new state for every event, often two or three (the case, its placement, the placement's
interruptions), and ``attrs.evolve`` walks the class's fields in Python and calls ``__init__`` with keyword
arguments each time: it was the largest single part of loading a case. The state classes are frozen, with no
validators, converters or ``__attrs_post_init__`` (state is folded from events already checked), so a copy
is the same object ``__init__`` would build: one function per class, generated once, copies the fields
and sets the changed ones. A class that does check its values on construction is refused, so the shortcut
can never skip a check.

Pure: imports only the standard library and attrs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_REPLACERS: dict[type[Any], Callable[..., Any]] = {}
_UNCHANGED = object()


def replace(instance: T, /, **changes: Any) -> T:
    """A copy of ``instance`` with ``changes``; an unknown field name raises ``TypeError``."""
    return replacer(type(instance))(instance, **changes)


#: ``stamp(fresh, name, value)``: set a field of a frozen state built a moment ago that nobody else holds yet,
#: rather than copying it a second time. Only for such a state: a frozen value never changes once another name
#: can see it.
stamp = object.__setattr__


def replacer(cls: type[T]) -> Callable[..., T]:
    """The generated ``replace`` of ``cls``: ``replacer(CaseState)(state, status=…)``, looked up once."""
    made = _REPLACERS.get(cls)
    if made is None:
        made = _REPLACERS[cls] = _generate(cls)
    return made


def _generate(cls: type[Any]) -> Callable[..., Any]:
    fields = attrs.fields(cls)
    plain = (
        not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(f.init and f.validator is None and f.converter is None and f.alias == f.name for f in fields)
    )
    if not plain:
        raise TypeError(f"{cls.__name__} checks or converts values on construction; use attrs.evolve")
    # A copied cached hash or cached property would describe the old values, not the new ones.
    cached = any(isinstance(v, functools.cached_property) for k in cls.__mro__ for v in vars(k).values())
    hash_code = getattr(cls.__hash__, "__code__", None)
    if cached or (hash_code is not None and "_attrs_cached_hash" in hash_code.co_names):
        raise TypeError(f"{cls.__name__} caches values derived from its fields; use attrs.evolve")
    scope: dict[str, Any] = {
        "make": object.__new__,
        "put": object.__setattr__,
        "cls": cls,
        "UNCHANGED": _UNCHANGED,
    }
    if "__slots__" not in cls.__dict__:
        # The folded states keep their fields in a __dict__ (``slots=False``) for this: a copy is one C-level
        # dict copy and update, cheaper than setting twenty slots one by one.
        names = frozenset(f.name for f in fields)
        scope["names"] = names
        source = (
            "def replace(old, /, **changes):\n"
            "    if not names.issuperset(changes):\n"
            "        raise TypeError(f'{cls.__name__} has no field {sorted(set(changes) - names)}')\n"
            "    values = old.__dict__.copy()\n"
            "    values.update(changes)\n"
            "    new = make(cls)\n"
            "    put(new, '__dict__', values)\n"
            "    return new\n"
        )
    else:
        # Keyword-only parameters defaulting to a marker: Python itself refuses an unknown field name.
        params = ", ".join(f"{f.name}=UNCHANGED" for f in fields)
        copies = "".join(
            f"    put(new, {f.name!r}, old.{f.name} if {f.name} is UNCHANGED else {f.name})\n" for f in fields
        )
        source = f"def replace(old, /, *, {params}):\n    new = make(cls)\n{copies}    return new\n"
    exec(compile(source, f"<rehabcore replace {cls.__qualname__}>", "exec"), scope)
    return scope["replace"]  # type: ignore[no-any-return]
