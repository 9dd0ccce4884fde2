"""Every error rehabcore raises, under one base.

    RehabcoreError
    ├── InvalidInput (ValueError)          a field of a command, event or setting is wrong
    │   └── PersonalDataInIdentifier       an identity number where a pseudonymous id belongs
    ├── DecodeError (ValueError)           stored or imported bytes do not decode to a known event
    ├── RuleViolation                      a hard rule rejected a command; carries ``rule_id``
    │   └── (one class per rule, in rehabcore.domain.rules)
    ├── LocalRuleFailed                    a local rule's check raised (rehabcore.domain.local_rules)
    ├── UnknownCase / UnknownUnit (LookupError)
    ├── StoreError                         the storage back-end failed or refused a write
    │   ├── ConcurrencyError               a stream moved since it was read (expected version)
    │   ├── PayloadRejected (ValueError)   the back-end cannot store this value exactly, or it is too large
    │   ├── StorageFailed                  the back-end failed; ``cause`` names why (disk full, read-only…)
    │   └── NotAStore                      the database or file holds no rehabcore store
    └── AdapterNotInstalled (LookupError)  no store registered for a URL scheme

Messages never contain personal identity numbers, names or free text: only ids, field names and rule ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


class RehabcoreError(Exception):
    """Base of every error rehabcore raises."""


class InvalidInput(RehabcoreError, ValueError):
    """A value given to rehabcore is not acceptable; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class PersonalDataInIdentifier(InvalidInput):
    """Something that looks like a personal identity number was given where a pseudonymous id belongs."""


class DecodeError(RehabcoreError, ValueError):
    """Bytes read from a store or an import do not decode to a known, valid event."""

    def __init__(self, type_name: str, problem: str) -> None:
        self.type_name = type_name
        self.problem = problem
        super().__init__(f"cannot decode {type_name}: {problem}")


class RuleViolation(RehabcoreError):
    """A hard rule rejected a command. Nothing was written.

    ``rule_id`` is the rule's id in the rulebook (``docs/rules.md``), e.g. ``"B7"``.

    The message is a template with ``{fields}`` (its English text, and the id of its translations in
    ``rehabcore/locale``); the values it names stay typed in :attr:`values` (dates, ids, enum members,
    numbers), so an app can show the violation in its user's language with
    :func:`rehabcore.messages.render`. A template with ``plural`` picks its form by ``values["n"]``.
    :attr:`message` is the English sentence with the values put in.
    """

    rule_id: str = "?"

    def __init__(self, message: str, /, *, plural: str | None = None, **values: object) -> None:
        self.template = message
        self.plural = plural
        self.values: dict[str, object] = values
        self.message = english(message, plural, values)
        super().__init__(f"[{self.rule_id}] {self.message}")


def english(template: str, plural: str | None, values: Mapping[str, object]) -> str:
    """A message template in English with its values put in (no values: the template as it stands).

    Moments are written in ISO 8601 as stored; :func:`rehabcore.messages.render` shows them in a zone.
    """
    if plural is not None and values.get("n") != 1:
        template = plural
    if not values:
        return template
    return template.format(
        **{k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in values.items()}
    )


def N_(text: str) -> str:
    """Mark a word for the message catalogs without translating it here (gettext's ``N_``): a value put
    into a message (``{what}``) that :func:`rehabcore.messages.render` translates when it shows it."""
    return text


class UnknownCase(RehabcoreError, LookupError):
    """No case stream exists with this id."""

    def __init__(self, case_id: object) -> None:
        self.case_id = case_id
        super().__init__(f"no case {case_id}; open it with OpenCase first")


class UnknownUnit(RehabcoreError, LookupError):
    """No unit stream exists with this id."""

    def __init__(self, unit_id: object) -> None:
        self.unit_id = unit_id
        super().__init__(f"no unit {unit_id}; register it with RegisterUnit first")


class StoreError(RehabcoreError):
    """The storage back-end failed or refused a write. Nothing of the failed call was written."""


class ConcurrencyError(StoreError):
    """The stream was not at the expected version: another writer got there first. Reload and retry."""

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        where = "is written twice in one append" if actual < 0 else f"is at version {actual}"
        super().__init__(f"stream {stream_id} {where}, expected {expected}; reload and retry")


class PayloadRejected(StoreError, ValueError):
    """The back-end cannot store this value exactly (too large, or a character it cannot hold)."""


class CommandIdReused(InvalidInput):
    """A command id already handled came with other content: not a retry of that command but a new one.

    Names the id, never the content. ``attrs.evolve(command, …)`` copies ``command_id``: give a new
    command its own id (``command_id=uuid.uuid4()``).
    """

    def __init__(self, command_id: object) -> None:
        self.command_id = command_id
        super().__init__(
            "command_id",
            f"{command_id} was already handled with other content; give the new command its own command_id",
        )


class StorageFailed(StoreError):
    """The storage back-end failed. ``cause`` names why in a word a script can test:

    ``disk_full``, ``read_only``, ``not_a_database``, ``locked``, ``cannot_open``, ``io_error``,
    ``connection_refused``, ``authentication_failed``, ``unknown_database``, ``other``.
    """

    def __init__(self, cause: str, message: str) -> None:
        self.cause = cause
        super().__init__(message)


class NotAStore(StoreError):
    """A store was opened for reading where there is none: another application's database, an empty file.

    Nothing was written to it.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(f"not a rehabcore store: {problem}; nothing was changed")


class AdapterNotInstalled(RehabcoreError, LookupError):
    """No store adapter is registered for a URL scheme."""

    def __init__(self, scheme: str, hint: str) -> None:
        self.scheme = scheme
        super().__init__(f"no store adapter for '{scheme}://': {hint}")
