"""Events, commands and rule errors as one readable line each: the date first, then what happened.

    2026-02-16 PlacementStarted placement/work-training at unit/aterbruket work_training sol(decision/sol) …

Ids made with :func:`an_id` print as their names; other ids as their first eight hex digits — longer when
two ids seen in one process share those (:func:`short_id`; never two things under one short id). Used by the
given/when/then diff and by the rule machine's histories, so a failing test reads like a case journal; use
:func:`short_id` (exported by ``rehabcore.testing``) in your own invariants' messages, and :func:`shorten` for
a message that holds whole ids.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from typing import Any

import attrs

from rehabcore.domain.vocabulary import Basis, LegalBasis
from rehabcore.errors import RuleViolation

_NS = uuid.UUID("6f1c2a52-5d0e-4f7c-9a47-0b8d3c6e2f10")
_NAMES: dict[uuid.UUID, str] = {}
# Dates that say until when or what comes next, never when the thing itself happens.
_NOT_WHEN = frozenset(
    {
        "planned_end_on",
        "new_planned_end_on",
        "target_on",
        "next_follow_up_on",
        "valid_until",
        "communicated_on",
    }
)
_HIDDEN = frozenset({"command_id"})


def an_id(name: str) -> uuid.UUID:
    """A stable pseudonymous id for a name in a test story; it prints as the name in diffs and histories."""
    made = uuid.uuid5(_NS, name)
    _NAMES[made] = name
    return made


_SHORT: dict[str, uuid.UUID] = {}  # every short form given out, and the id it stands for
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def short_id(id_: uuid.UUID) -> str:
    """An id as a journal shows it: its :func:`an_id` name, else its first eight hex digits — more when
    another id seen before begins with the same ones, so one short form never stands for two ids."""
    named = _NAMES.get(id_)
    if named is not None:
        return named
    whole = str(id_)
    for length in (8, 13, 18, 23):
        short = whole[:length]
        if _SHORT.setdefault(short, id_) == id_:
            return short
    return whole


def shorten(message: str) -> str:
    """A message (a rule's, a warning's) with every whole id in it replaced by its :func:`short_id`."""
    return _UUID.sub(lambda m: short_id(uuid.UUID(m.group(0))), message)


def value(v: Any) -> str:
    """One field value, short and readable."""
    if isinstance(v, uuid.UUID):
        return short_id(v)
    if isinstance(v, enum.Enum):
        return str(v.value)
    if isinstance(v, Basis):
        return str(v.kind.value) if v.decision_id is None else f"{v.kind.value}({value(v.decision_id)})"
    if isinstance(v, LegalBasis):
        return str(v)
    if isinstance(v, tuple):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if attrs.has(type(v)):
        inner = " ".join(value(getattr(v, f.name)) for f in attrs.fields(type(v)))
        return f"{type(v).__name__}({inner})"
    return str(v)


def _date_of(obj: Any) -> tuple[str, dt.date] | None:
    """The field that says when: ``occurred_on`` on events, the first business date on commands."""
    for f in attrs.fields(type(obj)):
        v = getattr(obj, f.name)
        if isinstance(v, dt.date) and f.name.endswith("_on") and f.name not in _NOT_WHEN:
            return f.name, v
    return None


def date_of(obj: Any) -> dt.date:
    """The business date of an event or command (``occurred_on``, ``start_on`` …)."""
    found = _date_of(obj)
    if found is None:
        raise ValueError(f"{type(obj).__name__} has no business date")
    return found[1]


def line(obj: Any, dated: str = "") -> str:
    """An event or command as ``date Type field=value …`` (empty optional fields left out); ``dated`` is put
    before the date (the journal writes ``on 2026-03-02``: the date the entry concerns)."""
    if isinstance(obj, RuleViolation):
        return f"rejected {obj.rule_id}: {shorten(obj.message)}"
    if not attrs.has(type(obj)):
        return str(obj)
    when = _date_of(obj)
    parts = [f"{dated}{when[1]}" if when else "", type(obj).__name__]
    for f in attrs.fields(type(obj)):
        v = getattr(obj, f.name)
        if f.name in _HIDDEN or v is None or v == () or (when and f.name == when[0]):
            continue
        parts.append(f"{f.name}={value(v)}")
    return " ".join(p for p in parts if p)


def source(obj: Any) -> str:
    """Python that builds ``obj`` again (commands, events, values, ids as ``an_id(...)``): for reproductions.

    Written against ``from rehabcore.testing.reproduce import *`` (``cmd``, ``ev``, ``v``, ``dt``, ``uuid``,
    ``an_id``).
    """
    if isinstance(obj, uuid.UUID):
        return f"an_id({_NAMES[obj]!r})" if obj in _NAMES else f"uuid.UUID({str(obj)!r})"
    if isinstance(obj, enum.Enum):
        return f"v.{type(obj).__name__}.{obj.name}"
    if isinstance(obj, dt.datetime):  # before date, which it is a kind of (an erasure's key_destroyed_at)
        return f"dt.datetime.fromisoformat({obj.isoformat()!r})"
    if isinstance(obj, dt.date):
        return f"dt.date({obj.year}, {obj.month}, {obj.day})"
    if isinstance(obj, tuple):
        return "(" + ", ".join(source(x) for x in obj) + ("," if len(obj) == 1 else "") + ")"
    if attrs.has(type(obj)):
        module = type(obj).__module__.rsplit(".", 1)[-1]
        prefix = {"commands": "cmd", "events": "ev", "vocabulary": "v"}.get(module, module)
        fields = [
            f"{f.name}={source(getattr(obj, f.name))}"
            for f in attrs.fields(type(obj))
            if f.init and f.name not in _HIDDEN and getattr(obj, f.name) != f.default
        ]
        return f"{prefix}.{type(obj).__name__}({', '.join(fields)})"
    return repr(obj)
