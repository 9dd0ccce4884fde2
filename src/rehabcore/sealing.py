"""Personal free text sealed with the person's key before it is stored, and opened again when it is read.

A field of an event marked :data:`~rehabcore.domain.events.PERSONAL` (the citizen's own words, the case
worker's reasons about the person) is stored as a *sealed token*: ``"\\x1erc1:" + case id + ":" + the
ciphertext`` (the record separator, a control character that PostgreSQL text and jsonb hold, NUL not).
The token names the case whose key sealed it, never the person. A :class:`Sealer` makes and opens tokens;
:mod:`rehabcore.identity` has the one that uses the identity vault's keys, one per case (AES-GCM). The hash
chain covers the token, so destroying the key erases the text and ``verify`` still passes: a token whose
key is gone opens as :data:`ERASED`, never as an error.

Sealing is opt-in: :class:`~rehabcore.cases.Cases` seals when it is given a sealer, and every decoding
(``rehabcore.streams.decode``: the service, projections, audit, the command line) opens tokens with the
sealer :func:`use` installed for the process. Rows stored in plain text, before sealing was switched on,
decode as they always did. A token read where no sealer is installed reads as :data:`SEALED`.

The control character that starts a token can never come from a command: one-line text refuses control
characters (``rehabcore.domain.validation``), so plain text is never mistaken for a token.

This module must not import a cryptography package: the core stays free of it.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.replace import replace
from rehabcore.domain.vocabulary import PlanActivity

__all__ = [
    "ERASED",
    "PREFIX",
    "SEALED",
    "Sealer",
    "erased_in",
    "installed",
    "is_sealed",
    "open_command",
    "open_event",
    "personal_fields",
    "seal_command",
    "seal_event",
    "sealed_in",
    "use",
]

#: The start of every sealed token (version 1 of the format).
PREFIX = "\x1erc1:"
#: The same start as it appears in stored JSON bytes: the quick test whether a row holds a token at all.
_MARK = b"\\u001erc1:"
#: What a sealed text reads as once its key is destroyed (gallrad); the views translate it.
ERASED = "[gallrad]"
#: What a sealed text reads as where no sealer is installed to open it.
SEALED = "[krypterad]"


class Sealer(Protocol):
    """Makes and opens sealed tokens with the key of a case (held per person in the identity vault)."""

    def seal(self, text: str, *, case_id: uuid.UUID, subject_id: uuid.UUID) -> str:
        """A token for ``text`` under the case's key (made on first use for the person)."""
        ...

    def open(self, token: str) -> str:
        """The text of a token, or :data:`ERASED` when its key was destroyed."""
        ...


_installed: Sealer | None = None


def use(sealer: Sealer | None) -> Sealer | None:
    """Install ``sealer`` to open tokens wherever this process decodes events; return the one it replaces."""
    global _installed
    previous, _installed = _installed, sealer
    return previous


def installed() -> Sealer | None:
    """The sealer this process decodes with, if any."""
    return _installed


def is_sealed(value: object) -> bool:
    """Whether ``value`` is a sealed token."""
    return isinstance(value, str) and value.startswith(PREFIX)


def sealed_in(data: bytes) -> bool:
    """Whether stored JSON bytes hold a sealed token (checked before any parsing)."""
    return _MARK in data


_PERSONAL: dict[type, tuple[str, ...]] = {}


def personal_fields(cls: type) -> tuple[str, ...]:
    """The fields of an event class marked PERSONAL (read once per class)."""
    found = _PERSONAL.get(cls)
    if found is None:
        found = _PERSONAL[cls] = tuple(f.name for f in attrs.fields(cls) if f.metadata.get(ev.PERSONAL))
    return found


_CORRECTABLE = frozenset(typing.get_args(ev.CorrectableEvent))


def _map_event(event: Any, text: Callable[[str], str]) -> Any:
    """``event`` with ``text`` applied to each personal text, the replacement of a correction included."""
    changes: dict[str, Any] = {}
    for name in personal_fields(type(event)):
        value = getattr(event, name)
        if isinstance(value, str):
            changes[name] = text(value)
        elif isinstance(value, tuple):
            changes[name] = tuple(text(v) if isinstance(v, str) else _map_value(v, text) for v in value)
    replacement = getattr(event, "replacement", None)
    if type(replacement) in _CORRECTABLE:
        changes["replacement"] = _map_event(replacement, text)
    # ``replace``: the generated evolve of the domain's folding (events check nothing on construction).
    return replace(event, **changes) if changes else event


def _map_value(value: Any, text: Callable[[str], str]) -> Any:
    """A value held in a personal tuple (a plan's activities, #18) with ``text`` applied to its own personal
    texts; anything else as it is."""
    names = personal_fields(type(value)) if attrs.has(type(value)) else ()
    changes = {n: text(getattr(value, n)) for n in names if isinstance(getattr(value, n), str)}
    return attrs.evolve(value, **changes) if changes else value


def seal_event(event: ev.Event, sealer: Sealer, *, case_id: uuid.UUID, subject_id: uuid.UUID) -> ev.Event:
    """``event`` with every personal text sealed under the case's key."""
    if not personal_fields(type(event)) and not isinstance(event, ev.EntryCorrected):
        return event
    return _map_event(  # type: ignore[no-any-return]
        event, lambda t: t if is_sealed(t) else sealer.seal(t, case_id=case_id, subject_id=subject_id)
    )


def _opener() -> Callable[[str], str]:
    sealer = _installed
    if sealer is None:
        return lambda t: SEALED if is_sealed(t) else t
    return lambda t: sealer.open(t) if is_sealed(t) else t


def open_event(event: ev.Event) -> ev.Event:
    """``event`` with every sealed text opened (or read as erased / sealed, see the module docstring)."""
    return _map_event(event, _opener())  # type: ignore[no-any-return]


def _command_personal(command_cls: type) -> tuple[str, ...]:
    """A command's personal fields: those that become a personal field of the event it records."""
    found = _PERSONAL.get(command_cls)
    if found is None:
        from rehabcore.domain.recording import BY_COMMAND  # the recording table names the pairs

        recording = BY_COMMAND[command_cls]
        sources = recording.sources()
        found = _PERSONAL[command_cls] = tuple(sources[name] for name in personal_fields(recording.event))
    return found


def has_personal_text(command: Any, events: Any) -> bool:
    """Whether a command or the events it decided carry a field that is sealed (checked per class, once)."""
    return (
        type(command) is cmd.CorrectEntry  # the entry as corrected may hold personal text
        or bool(_command_personal(type(command)))
        or any(personal_fields(type(e)) or type(e) is ev.EntryCorrected for e in events)
    )


def seal_command(
    command_cls: type, data: dict[str, Any], sealer: Sealer, *, case_id: uuid.UUID, subject_id: uuid.UUID
) -> dict[str, Any]:
    """A command's unstructured fields (``unstructure_command(...)["data"]``) with personal text sealed."""

    def seal(t: str) -> str:
        return t if is_sealed(t) else sealer.seal(t, case_id=case_id, subject_id=subject_id)

    personal = _command_personal(command_cls)
    if not personal and "replacement" not in data:
        return data  # most commands carry no personal text: nothing to copy
    out = dict(data)
    for name in personal:
        value = out.get(name)
        if isinstance(value, str):
            out[name] = seal(value)
        elif isinstance(value, list | tuple):
            out[name] = [seal(v) if isinstance(v, str) else _seal_dict(v, seal) for v in value]
    replacement = out.get("replacement")
    if isinstance(replacement, dict) and isinstance(replacement.get("data"), dict):
        from rehabcore import codec  # the codec imports the domain; the name table is read at call time

        entry = codec.EVENT_TYPES.get(str(replacement.get("type")))
        if entry is not None:
            nested = dict(replacement["data"])
            for name in personal_fields(entry[0]):
                value = nested.get(name)
                if isinstance(value, str):
                    nested[name] = seal(value)
                elif isinstance(value, list | tuple):
                    nested[name] = [seal(v) if isinstance(v, str) else _seal_dict(v, seal) for v in value]
            out["replacement"] = {**replacement, "data": nested}
    return out


def open_command(raw: Any) -> Any:
    """A stored command (``{"type": …, "data": …}`` from metadata) with every sealed text opened."""
    text = _opener()

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(raw)


def erased_in(event: ev.Event) -> bool:
    """Whether a decoded event has personal text whose key was destroyed."""
    found = False

    def see(t: str) -> str:
        nonlocal found
        found = found or t == ERASED
        return t

    _map_event(event, see)
    return found


def _seal_dict(value: Any, seal: Callable[[str], str]) -> Any:
    """An unstructured value in a personal list (a plan activity, #18): its personal texts sealed. Which keys
    are personal is read off the value classes of the vocabulary that hold personal text."""
    if not isinstance(value, dict):
        return value
    return {k: seal(v) if isinstance(v, str) and k in _NESTED_PERSONAL else v for k, v in value.items()}


#: The personal fields of the value classes held in personal tuples (#18: a plan's activities).
_NESTED_PERSONAL = frozenset(personal_fields(PlanActivity))
