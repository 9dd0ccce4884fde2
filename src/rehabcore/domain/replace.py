"""``replace(instance, **changes)``: ``attrs.evolve`` for the folded state classes, several times faster.

Folding builds a new state for every event, often two or three (the case, its placement, the placement's
interruptions), and ``attrs.evolve`` walks the class's fields in Python and calls ``__init__`` with keyword
arguments each time: it was a third of loading a case. The state classes are frozen and slotted, with no
validators, converters or ``__attrs_post_init__`` (state is folded from events already checked), so a copy
is the same object ``__init__`` would build: one function per class, generated once, copies every slot
and sets the changed ones. A class that does check its values on construction is refused, so the shortcut
can never skip a check.

Pure: imports only the standard library and attrs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_REPLACERS: dict[type[Any], Callable[..., Any]] = {}


def replace(instance: T, /, **changes: Any) -> T:
    """A copy of ``instance`` with ``changes``; unknown field names raise ``AttributeError``."""
    cls = type(instance)
    replacer = _REPLACERS.get(cls)
    if replacer is None:
        replacer = _REPLACERS[cls] = _replacer(cls)
    return replacer(instance, changes)  # type: ignore[no-any-return]


def _replacer(cls: type[Any]) -> Callable[[Any, dict[str, Any]], Any]:
    fields = attrs.fields(cls)
    plain = (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(f.init and f.validator is None and f.converter is None and f.alias == f.name for f in fields)
    )
    if not plain:
        raise TypeError(f"{cls.__name__} checks or converts values on construction; use attrs.evolve")
    names = {f.name for f in fields}
    copies = "".join(f"    set(new, {f.name!r}, old.{f.name})\n" for f in fields)
    source = (
        "def replace(old, changes):\n"
        "    new = make(cls)\n"
        f"{copies}"
        "    for name, value in changes.items():\n"
        "        if name not in names:\n"
        "            raise AttributeError(f'{cls.__name__} has no field {name!r}')\n"
        "        set(new, name, value)\n"
        "    return new\n"
    )
    scope: dict[str, Any] = {"make": object.__new__, "set": object.__setattr__, "cls": cls, "names": names}
    exec(compile(source, f"<rehabcore replace {cls.__qualname__}>", "exec"), scope)
    return scope["replace"]  # type: ignore[no-any-return]
