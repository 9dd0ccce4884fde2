"""The rulebook: rule errors, warnings and the parameters a municipality can set.

Hard rules reject a command with an error named after the rule; its ``rule_id`` points into the rulebook
(``docs/rules.md``, anchored in ``domain.md`` § 5.1). Warnings accept the command and are returned as data.
Parameters are data with defaults, checked when a :class:`Ruleset` is built, not when a command fails later.

Rule ids: B* are the domain rules of the design; C* keep a case consistent with itself (references, ids,
states); U* belong to units; D* keep decisions as decided (förvaltningslagen, LSS 8 §; #12).

Local rules (a municipality's own) are data on the :class:`Ruleset`; see ``local_rules.py``.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from rehabcore.domain.local_rules import LocalRule, LocalRuleViolation, Severity  # noqa: F401 (re-export)
from rehabcore.domain.permissions import AccessPolicy
from rehabcore.domain.validation import validated
from rehabcore.domain.vocabulary import Jurisdiction, ServiceKind
from rehabcore.errors import InvalidInput, RuleViolation, english

if TYPE_CHECKING:  # the context and the states import this module: named for the checker only
    from rehabcore.domain.commands import Command
    from rehabcore.domain.context import Context
    from rehabcore.domain.state import CaseState, UnitState

# --- hard rules -------------------------------------------------------------------------------------------


class ActorRequired(RuleViolation):
    """B1: every entry says who made it (FL 27 §, SOSFS journal)."""

    rule_id = "B1"


class CaseAlreadyOpen(RuleViolation):
    """B2: one case stream is one person's record; a case is opened once."""

    rule_id = "B2"


class CaseNotOpen(RuleViolation):
    """B2: a case must be opened (for one person) before anything is recorded in it."""

    rule_id = "B2"


class CaseIsClosed(RuleViolation):
    """B3: after a case is closed only reopening it is accepted."""

    rule_id = "B3"


class DatesOutOfOrder(RuleViolation):
    """B4: dates follow each other (opened ≤ assessed ≤ decided, start ≤ end, nothing far in the future)."""

    rule_id = "B4"


class WorkTrainingNeedsPlannedEnd(RuleViolation):
    """B5: work rehabilitation is time-limited; a planned end is required at start (S1)."""

    rule_id = "B5"


class WorkTrainingTooLong(RuleViolation):
    """B5: a work-rehabilitation placement may not be planned longer than the ruleset allows."""

    rule_id = "B5"


class ExtensionNeedsDecision(RuleViolation):
    """B6: extending work rehabilitation needs an authorising decision of the case."""

    rule_id = "B6"


class LssDecisionNotInForce(RuleViolation):
    """B7: daily activity needs an LSS 9 § 10 decision in force on its start date."""

    rule_id = "B7"


class LssDecisionNeedsPersonkrets(RuleViolation):
    """B8: granting LSS 9 § 10 needs personkrets group 1 or 2 recorded."""

    rule_id = "B8"


class LssContinuityBroken(RuleViolation):
    """B9: nobody leaves a daily activity for the unit's reasons before a new one is in place (S1)."""

    rule_id = "B9"


class GoalNeedsReason(RuleViolation):
    """B12: a goal not formulated by the citizen (proxy or professional) must say why."""

    rule_id = "B12"


class GoalNotOpen(RuleViolation):
    """B13: goal results only for open goals of the same case."""

    rule_id = "B13"


class UnitFull(RuleViolation):
    """B15: a unit takes no more placements than its places, unless overridden with a reason."""

    rule_id = "B15"


class LegalBasisMismatch(RuleViolation):
    """B16: a decision's legal basis belongs to the case's jurisdiction and fits the service."""

    rule_id = "B16"


class PlacementBasisInvalid(RuleViolation):
    """B19: a placement stands on exactly one basis, and a decided basis on a granted decision."""

    rule_id = "B19"


class ExitCategoryInvalid(RuleViolation):
    """B20: exits use the controlled taxonomy; subsidised and sheltered work name the subsidy."""

    rule_id = "B20"


class DecisionNeedsReasons(RuleViolation):
    """D1: a decision that goes against the person in whole or part says why (FL 32 §; DK: FVL § 22)."""

    rule_id = "D1"


class LssDecisionNeedsApplication(RuleViolation):
    """D2: an LSS insats is decided on the person's request: the decision names the application (LSS 8 §)."""

    rule_id = "D2"


class DecisionCannotBeRewritten(RuleViolation):
    """D3: a correction fixes an obvious slip (FL 36 §), never what was decided: record a new decision."""

    rule_id = "D3"


class ReconsiderationNeedsGround(RuleViolation):
    """D4: a decision is changed to the person's disadvantage only on a ground the law gives (FL 39 §)."""

    rule_id = "D4"


class UnknownReference(RuleViolation):
    """C1: the command names a placement, decision, goal or consent the case does not have."""

    rule_id = "C1"


class DuplicateId(RuleViolation):
    """C2: an id is used once within a case."""

    rule_id = "C2"


class InvalidState(RuleViolation):
    """C3: the command does not fit the state of what it names (ending an ended placement …)."""

    rule_id = "C3"


class UnitNotRegistered(RuleViolation):
    """U1: a placement, or a change to a unit, needs a registered unit."""

    rule_id = "U1"


class UnitAlreadyRegistered(UnitNotRegistered):
    """U1: a unit is registered once.

    A subclass of :class:`UnitNotRegistered` only because that error was raised for this case before this one
    existed: ``except UnitNotRegistered`` still catches it. Catch ``UnitAlreadyRegistered`` for this case.
    """


class PlacementKindNotOffered(RuleViolation):
    """U2: a unit takes only the placement kinds it offers on the start date."""

    rule_id = "U2"


# --- #18 open activities and unit changes ---


class UnitClosed(RuleViolation):
    """U3: a closed unit takes no placement, offer, visit or change from the day it closed."""

    rule_id = "U3"


class UnitStillHoldsPlaces(UnitClosed):
    """U3: a unit closes only once nobody holds a place there from the closing day on (B9: move them)."""


class VisitsOnlyAtOpenActivity(RuleViolation):
    """U4: anonymous visit counts belong to an open activity; a decided service records each person's case."""

    rule_id = "U4"


# --- #18 Danish practice and legal versions ---------------------------------------------------------------


class LawVersionNotInForce(LegalBasisMismatch):
    """B16: a decision cites the version of the law in force on its decision day (SFS 2001:453 to 2025-06-30,
    SFS 2025:400 from 2025-07-01). A subclass of :class:`LegalBasisMismatch`: it is that rule's refusal."""


class OtherLegislationNotExhausted(RuleViolation):
    """B25: § 103 is for those who cannot use offers under other legislation; a grant contradicting the
    case's own assessment of that condition is refused (serviceloven § 103, stk. 1)."""

    rule_id = "B25"


# --- warnings ---------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RuleWarning:
    """A flag raised on an accepted command: the rule, a stable code, a message, what it concerns.

    ``message`` is English. A built-in warning also keeps its ``template`` (the id of its translations) and
    the typed ``values`` it names, so :func:`rehabcore.messages.render` can say it in the user's language;
    a local rule's warning has no template and is shown in the municipality's own words.
    """

    rule_id: str
    code: str
    message: str
    refers_to: uuid.UUID | None = None
    template: str | None = attrs.field(default=None, eq=False)
    plural: str | None = attrs.field(default=None, eq=False)
    values: Mapping[str, object] = attrs.field(factory=dict, eq=False, hash=False)

    @classmethod
    def of(
        cls,
        *,
        rule_id: str,
        code: str,
        template: str,
        refers_to: uuid.UUID | None = None,
        plural: str | None = None,
        **values: object,
    ) -> "RuleWarning":
        """A built-in warning from its English template and the typed values it names."""
        return cls(
            rule_id=rule_id,
            code=code,
            message=english(template, plural, values),
            refers_to=refers_to,
            template=template,
            plural=plural,
            values=values,
        )


# --- parameters -------------------------------------------------------------------------------------------


def _deadline_days(_inst: object, _attr: object, value: int) -> None:
    if isinstance(value, int) and not 1 <= value <= 730:
        raise InvalidInput("ProcessingDeadline.days", "must be between 1 and 730 days")


@attrs.frozen(kw_only=True, field_transformer=validated)
class ProcessingDeadline:
    """#18: the municipality's deadline from an application for ``service`` to its decision, in days.

    Retssikkerhedsloven § 3, stk. 2: the municipality sets (and publishes) a deadline per area itself, so the
    deadlines are the ruleset's data, none by default (``rehabcore.domain.deadlines`` warns, B26).
    """

    service: ServiceKind
    days: int = attrs.field(validator=_deadline_days)


def _one_per_service(_inst: object, _attr: object, deadlines: "tuple[ProcessingDeadline, ...]") -> None:
    services = [d.service for d in deadlines]
    if len(set(services)) != len(services):
        raise InvalidInput("RuleParameters.processing_deadlines", "give each service (area) one deadline")


def _days(limit: int, why: str = "") -> "Callable[[object, attrs.Attribute[int], int], None]":
    def check(_inst: object, attr: "attrs.Attribute[int]", value: int) -> None:
        if not 1 <= value <= limit:
            raise InvalidInput(f"RuleParameters.{attr.name}", f"must be between 1 and {limit} days{why}")

    return check


@attrs.frozen(kw_only=True, field_transformer=validated)
class RuleParameters:
    """What a municipality may set. Defaults follow the anchors in the rulebook.

    Impossible values are refused here, when the ruleset is built: a duration of zero or less, a threshold
    past the legal maximum it stands for, or a notice that would fire at once.
    """

    #: Longest work-rehabilitation placement without an extension decision (S1 "begränsad tid").
    max_work_training_days: int = attrs.field(default=183, validator=_days(730))
    #: Follow-up at least this often while a placement is active (genomförandeplan, VUM).
    follow_up_interval_days: int = attrs.field(default=183, validator=_days(730))
    # No parameter for B10: the law counts three calendar months from the decision day, for every municipality
    # (rehabcore.domain.execution).
    #: Warn this many days before a time-limited decision ends without follow-up or new decision (JO).
    decision_expiry_notice_days: int = attrs.field(default=60, validator=_days(365))
    #: How far ahead of today a start or other business date may be recorded.
    future_tolerance_days: int = attrs.field(default=31, validator=_days(366))
    #: An entry recorded more than this many days after the date it describes is flagged in audit replay
    #: (late documentation, a finding of its own in a supervisory review; #14).
    late_entry_days: int = attrs.field(default=30, validator=_days(366))
    # --- #18 Danish practice
    #: Deadlines from application to decision per service (area), as the municipality sets them (B26).
    processing_deadlines: tuple[ProcessingDeadline, ...] = attrs.field(default=(), validator=_one_per_service)

    def __attrs_post_init__(self) -> None:
        if self.decision_expiry_notice_days > self.max_work_training_days * 2:
            raise InvalidInput(
                "RuleParameters.decision_expiry_notice_days",
                "is longer than twice the longest work training; the notice would fire at once",
            )


def _check_name(_inst: object, attr: "attrs.Attribute[str]", value: str) -> None:
    if "@" in value or value != value.strip():
        raise InvalidInput(
            f"Ruleset.{attr.name}", "must not contain '@' or surrounding spaces: the ref is 'name@version'"
        )


def _unique_rules(_inst: object, _attr: object, rules: tuple[LocalRule, ...]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.rule_id in seen:
            raise InvalidInput("Ruleset.local_rules", f"rule id {rule.rule_id} is used twice; ids are unique")
        seen.add(rule.rule_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class Ruleset:
    """A named, versioned set of rule parameters and local rules for one jurisdiction, chosen per tenant.

    The ref ``name@version`` is recorded with every command handled under it, so a replay can re-run it:
    give a new version whenever the parameters or the local rules change.
    """

    name: str = attrs.field(validator=_check_name)
    version: str = attrs.field(validator=_check_name)
    jurisdiction: Jurisdiction
    parameters: RuleParameters = attrs.field(factory=RuleParameters)
    #: The municipality's own rules, run after the built-in ones (see ``rehabcore.domain.local_rules``).
    local_rules: tuple[LocalRule, ...] = attrs.field(default=(), validator=_unique_rules)
    #: Roles, delegation and organisation (#16); None: every role may record every command, for anyone.
    access: AccessPolicy | None = None

    @property
    def ref(self) -> str:
        """``name@version``, as recorded in event metadata."""
        return f"{self.name}@{self.version}"

    def enforce(self, command: "Command", state: "CaseState | UnitState", ctx: "Context") -> None:
        """Run the rejecting local rules on an accepted command; raise the first that says no."""
        for rule in self.local_rules:
            if rule.severity is Severity.REJECT:
                problem = rule.problem(command, state, ctx)
                if problem is not None:
                    raise rule.violation(
                        "{problem} (local rule: {anchor})", problem=problem, anchor=rule.anchor
                    )

    def local_warnings(
        self, command: "Command", after: "CaseState | UnitState", ctx: "Context"
    ) -> list[RuleWarning]:
        """The warnings of the warning local rules, on the state after an accepted command."""
        found = []
        for rule in self.local_rules:
            if rule.severity is Severity.WARN:
                problem = rule.problem(command, after, ctx)
                if problem is not None:
                    found.append(
                        RuleWarning(rule_id=rule.rule_id, code=rule.rule_id.lower(), message=problem)
                    )
        return found


SWEDEN_DEFAULT = Ruleset(name="se-default", version="1", jurisdiction=Jurisdiction.SE)
DENMARK_DEFAULT = Ruleset(name="dk-default", version="1", jurisdiction=Jurisdiction.DK)


# --- #13 privacy: retention and erasure -------------------------------------------------------------------


class RecordErased(RuleViolation):
    """B24: after SubjectErased nothing more is recorded in the case: its key is gone."""

    rule_id = "B24"


class ErasureOnHold(RuleViolation):
    """B24: a legal hold (appeal, inquiry, pending request) blocks erasure until it is released."""

    rule_id = "B24"


# --- #18 plans and assessment ------------------------------------------------------------------------------


class AssessmentListMismatch(RuleViolation):
    """V1: an assessment uses its jurisdiction's list: ICF/IBIC life areas in Sweden, VUM 2.0 themes in
    Denmark (SEL § 141, voksenudredningsmetoden), never the other country's."""

    rule_id = "V1"


class PlanInvalid(RuleViolation):
    """P1: a plan is of its jurisdiction's kind (LSS 10 § in Sweden, SEL § 141 in Denmark), an LSS individual
    plan follows a granted LSS insats, and a plan tied to a placement names that placement's unit."""

    rule_id = "P1"
