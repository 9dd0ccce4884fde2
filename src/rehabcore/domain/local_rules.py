"""Local rules: a municipality's own rules, added to a :class:`~rehabcore.domain.rules.Ruleset` as data.

A local rule is a small function over the command, the state of the stream it goes to and the
:class:`~rehabcore.domain.case.Context`. It returns ``None`` when the command passes, or a message that says
what is wrong and what to do. A rejecting rule (``rejects``) runs in ``decide`` after the built-in rules have
accepted the command and sees the state *before* it, as the built-in hard rules do; its message becomes a
:class:`LocalRuleViolation`. A warning rule (``warns``) runs in ``review`` and sees the state *after* the
command, as the built-in warnings do. Because they run inside ``decide`` and ``review``, local rules take part
in every ``Cases.handle`` and in every audit replay under the same ruleset.

    @rejects("ORN-1", anchor="Arbetsmarknadsnämnden 2026-02-10 § 14", on=cmd.StartPlacement)
    def half_time_in_the_first_month(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
        "No placement above 50 % (20 h/week) in the case's first month."
        ...

Messages must not hold personal data: ids, dates, field names and rule ids only.

A check that raises instead of answering is a bug in the rule, and it is named: the exception becomes a
:class:`LocalRuleFailed` carrying the rule's id and anchor, the original chained as its ``__cause__`` — in
``Cases.handle``, in replay and in the rule machine alike, since they all decide through ``decide``. Every
check can be watched (counted and timed) by a :class:`~rehabcore.domain.watching.RuleWatch`.

Pure: imports only the standard library, attrs and the domain's commands and errors.
"""

import contextvars
import enum
import re
import time
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.errors import InvalidInput, RehabcoreError, RuleViolation

#: ``check(command, state, ctx) -> message | None``: a command, its CaseState or UnitState, the Context.
RuleCheck = Callable[[Any, Any, Any], str | None]

# Built-in ids (B*, C*, U*) belong to the rulebook; a local rule that reused one would be read as the law's.
_BUILT_IN_ID = re.compile(r"[BCU]\d+")
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")


class Severity(enum.StrEnum):
    """What a local rule does when its check returns a message."""

    REJECT = "reject"  # a hard rule: the command is refused and nothing is written
    WARN = "warn"  # the command is accepted and flagged with a RuleWarning


def _check_rule_id(_inst: object, _attr: object, value: Any) -> None:
    if not isinstance(value, str) or not _RULE_ID.fullmatch(value):
        raise InvalidInput(
            "LocalRule.rule_id", "must be 1–32 letters, digits, '-', '_' or '.', starting with a letter"
        )
    if _BUILT_IN_ID.fullmatch(value):
        raise InvalidInput(
            "LocalRule.rule_id",
            "B*, C* and U* ids belong to the built-in rulebook; use your own prefix (e.g. 'ORN-1')",
        )


def _check_text(_inst: object, attr: "attrs.Attribute[str]", value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"LocalRule.{attr.name}", "must be a non-empty text")


def _check_commands(_inst: object, _attr: object, value: Any) -> None:
    known = (*cmd.CASE_COMMAND_TYPES, *cmd.UNIT_COMMAND_TYPES)
    if not isinstance(value, tuple) or not value or any(t not in known for t in value):
        raise InvalidInput("LocalRule.applies_to", "must name one or more rehabcore command classes")


def _check_callable(_inst: object, _attr: object, value: Any) -> None:
    if not callable(value):
        raise InvalidInput("LocalRule.check", "must be a function (command, state, ctx) -> str | None")


def _as_tuple(value: Any) -> Any:
    return value if isinstance(value, tuple) else (value,)


@attrs.frozen(kw_only=True)
class LocalRule:
    """A municipality's own rule: an id, the anchor it rests on, what it says, and its check."""

    #: The id it is reported under, e.g. ``"ORN-1"``; never a built-in id (``B7``, ``C1``, ``U2`` …).
    rule_id: str = attrs.field(validator=_check_rule_id)
    #: The legal or local-policy source: a section of law, or a board decision with date and paragraph.
    anchor: str = attrs.field(validator=_check_text)
    #: What the rule says, in one line (shown in docs and rejected commands).
    summary: str = attrs.field(validator=_check_text)
    #: The command classes it looks at; other commands pass it untouched.
    applies_to: tuple[type, ...] = attrs.field(converter=_as_tuple, validator=_check_commands)
    check: RuleCheck = attrs.field(validator=_check_callable, eq=False)
    severity: Severity = attrs.field(
        default=Severity.REJECT, validator=attrs.validators.instance_of(Severity)
    )

    #: The error this rule raises: a :class:`LocalRuleViolation` subclass carrying its id and anchor.
    violation: "type[LocalRuleViolation]" = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        name = "LocalRuleViolation_" + re.sub(r"\W", "_", self.rule_id)
        made = type(
            name, (LocalRuleViolation,), {"rule_id": self.rule_id, "anchor": self.anchor, "rule": self}
        )
        object.__setattr__(self, "violation", made)

    def problem(self, command: object, state: object, ctx: object) -> str | None:
        """Run the check on a command it applies to; ``None`` when the command passes.

        A check that raises is reported as :class:`LocalRuleFailed`, naming this rule, the cause chained.
        """
        if not isinstance(command, self.applies_to):
            return None
        watches = _WATCHES.get()
        started = time.perf_counter() if watches else 0.0
        try:
            found = self.check(command, state, ctx)
        except Exception as exc:  # the rule's own bug: name it, keep the original as the cause
            for watch in watches:
                watch.ran(self, command, time.perf_counter() - started, Outcome.RAISED)
            raise LocalRuleFailed(self, command, exc) from exc
        for watch in watches:
            watch.ran(self, command, time.perf_counter() - started, _outcome(found))
        if found is not None and not (isinstance(found, str) and found.strip()):
            raise InvalidInput(
                f"LocalRule {self.rule_id}",
                f"its check returned {type(found).__name__}; return None to pass or a message saying what "
                "is wrong and what to do",
            )
        return found


class Outcome(enum.StrEnum):
    """What one run of a check came to."""

    PASSED = "passed"
    FIRED = "fired"  # returned a message: a rejection, or a warning
    RAISED = "raised"  # a bug in the rule (LocalRuleFailed)


def _outcome(found: object) -> Outcome:
    return Outcome.PASSED if found is None else Outcome.FIRED


class Watch(Protocol):
    """Told of every check that runs while it is watching (see ``rehabcore.domain.watching``)."""

    def ran(self, rule: "LocalRule", command: object, seconds: float, outcome: Outcome) -> None: ...


# The watches listening now; empty outside ``watching(...)``, so an unwatched check is not even timed.
_WATCHES: contextvars.ContextVar[tuple[Watch, ...]] = contextvars.ContextVar("local_rule_watches", default=())


class LocalRuleFailed(RehabcoreError):
    """A local rule's check raised instead of answering: a bug in that rule. Nothing was written.

    ``rule_id`` and ``anchor`` name the rule, ``command_type`` what it was checking; the exception it raised
    is chained as ``__cause__``. The message holds no values of the command (they may be personal data).
    """

    def __init__(self, rule: "LocalRule", command: object, cause: BaseException) -> None:
        self.rule_id = rule.rule_id
        self.anchor = rule.anchor
        self.rule = rule
        self.command_type = type(command).__name__
        self.cause_type = type(cause).__name__
        super().__init__(
            f"local rule {rule.rule_id} ({rule.anchor}) raised {self.cause_type} on {self.command_type}: "
            "a check answers None or a message and never raises; fix the rule (its exception is chained)"
        )


class LocalRuleViolation(RuleViolation):
    """A local rule rejected a command; nothing was written.

    Each local rule raises its own subclass (``rule.violation``), whose ``rule_id``, ``anchor`` and ``rule``
    are the local rule's — so the error can be rebuilt from a message alone, as the built-in ones can.
    """

    anchor: str = ""
    rule: "LocalRule | None" = None


def _decorator(
    severity: Severity, rule_id: str, anchor: str, on: type | tuple[type, ...], summary: str | None
) -> Callable[[RuleCheck], LocalRule]:
    def make(check: RuleCheck) -> LocalRule:
        said = summary or (check.__doc__ or "").strip().split("\n")[0]
        return LocalRule(
            rule_id=rule_id, anchor=anchor, summary=said, applies_to=on, check=check, severity=severity
        )

    return make


def rejects(
    rule_id: str, *, anchor: str, on: type | tuple[type, ...], summary: str | None = None
) -> Callable[[RuleCheck], LocalRule]:
    """Make a function a rejecting local rule (the summary defaults to its docstring's first line)."""
    return _decorator(Severity.REJECT, rule_id, anchor, on, summary)


def warns(
    rule_id: str, *, anchor: str, on: type | tuple[type, ...], summary: str | None = None
) -> Callable[[RuleCheck], LocalRule]:
    """Make a function a warning local rule: the command is accepted and a RuleWarning raised."""
    return _decorator(Severity.WARN, rule_id, anchor, on, summary)
