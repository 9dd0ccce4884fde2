"""Who may record what: roles, the delegation table (delegationsordning) and tenancy, as data on the ruleset.

An :class:`AccessPolicy` on the ruleset (``Ruleset.access``) says

* which roles may record which commands (:class:`RoleGrant`, by command name; A1);
* which roles may decide which insats under which law and section (:class:`Delegation`, a line of the
  municipality's delegationsordning; A2);
* which boards and providers there are (:class:`~rehabcore.domain.organisation.Organisation`): a board
  records in the cases it is responsible for, a provider only execution — placements at its own units while
  its contract is in force, and plans, goals and follow-ups in cases it executes a placement in (A3, A4).

:func:`check` is run by the deciders before any other rule, on the actor and tenant of the
:class:`~rehabcore.domain.context.Context`, so a replay checks a recorded command again under the ruleset it
was recorded under. A ruleset without a policy checks nothing here (the built-in defaults have none: a
municipality's own ruleset brings its organisation and delegationsordning).

:func:`tenants` says which tenants an entry belongs to: the board responsible for the case, and the providers
executing a placement in it before or after the entry. That list goes into the entry's metadata, and a
tenant-scoped read shows a tenant only the entries that name it.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

import typing
import uuid
from typing import Any

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain.organisation import Organisation, Provider
from rehabcore.domain.validation import validated
from rehabcore.domain.vocabulary import LegalBasis, Role, ServiceKind
from rehabcore.errors import N_, InvalidInput, RuleViolation

if typing.TYPE_CHECKING:  # the context imports the rules, which import this module
    from rehabcore.domain.context import Context
    from rehabcore.domain.state import CaseState

# --- the rules --------------------------------------------------------------------------------------------


class NotPermitted(RuleViolation):
    """A1: a role records only the commands the ruleset grants it."""

    rule_id = "A1"


class NotDelegated(RuleViolation):
    """A2: a decision is made only by a role the delegationsordning gives that insats, law and section."""

    rule_id = "A2"


class OutsideTenancy(RuleViolation):
    """A3: a board records in its own cases, a provider at its own units and in cases it executes."""

    rule_id = "A3"


class ExecutionOnly(RuleViolation):
    """A4: a provider's staff record execution only (placements, plans, goals, follow-ups), no decisions."""

    rule_id = "A4"


# --- the tables -------------------------------------------------------------------------------------------

_ALL_COMMANDS = {c.__name__ for c in typing.get_args(cmd.Command)}

#: What a provider records: execution of a decision, never the decision (the board's).
EXECUTION: tuple[str, ...] = (
    "StartPlacement",
    "InterruptPlacement",
    "ResumePlacement",
    "EndPlacement",
    "RecordFollowUp",
    "EstablishPlan",
    "SetGoal",
    "HoldDialogue",
    "RecordAttendance",  # #18: the unit reports the days attended
    # --- #18 plans: the unit reviews the plan it carries out with the person
    "ReviewPlan",
)
_UNIT_COMMANDS = tuple(c.__name__ for c in cmd.UNIT_COMMAND_TYPES)  # #18: read off the union
_CORRECTIONS = ("CorrectEntry", "RetractEntry")
_CASE_WORK = tuple(sorted(n for n in _ALL_COMMANDS if n not in (*_UNIT_COMMANDS, "MarkIvoReportSubmitted")))


def _known(_inst: object, attr: "attrs.Attribute[Any]", names: tuple[str, ...]) -> None:
    unknown = sorted(set(names) - _ALL_COMMANDS)
    if unknown:
        raise InvalidInput(f"{attr.name}", f"names no command: {', '.join(unknown)}")


@attrs.frozen(kw_only=True, field_transformer=validated)
class RoleGrant:
    """The commands one role may record, by command class name."""

    role: Role
    commands: tuple[str, ...] = attrs.field(validator=_known)


@attrs.frozen(kw_only=True, field_transformer=validated)
class Delegation:
    """One line of a delegationsordning: ``role`` may decide ``service`` under ``basis`` (law and section)."""

    role: Role
    service: ServiceKind
    #: The provision, whatever the version of the law (``LegalBasis.cites``).
    basis: LegalBasis


#: The roles as most municipalities split the work: case workers and LSS officers handle cases (the
#: delegation table says which decisions each may make), unit staff record execution, managers execution,
#: units, corrections and the IVO report, auditors nothing, the system (imports) everything.
STANDARD_GRANTS: tuple[RoleGrant, ...] = (
    RoleGrant(role=Role.CASE_WORKER, commands=_CASE_WORK),
    RoleGrant(role=Role.LSS_OFFICER, commands=_CASE_WORK),
    RoleGrant(role=Role.UNIT_STAFF, commands=(*EXECUTION, "CountVisits")),  # #18: staff count the visits
    RoleGrant(
        role=Role.MANAGER, commands=(*EXECUTION, *_UNIT_COMMANDS, *_CORRECTIONS, "MarkIvoReportSubmitted")
    ),
    RoleGrant(role=Role.AUDITOR, commands=()),
    RoleGrant(role=Role.SYSTEM, commands=tuple(sorted(_ALL_COMMANDS))),
)


@attrs.frozen(kw_only=True, field_transformer=validated)
class AccessPolicy:
    """Roles, delegation and organisation: who may record what, in which cases, for whom."""

    grants: tuple[RoleGrant, ...] = STANDARD_GRANTS
    #: The delegationsordning; None when any role that may record ``MakeDecision`` may decide any insats.
    delegations: tuple[Delegation, ...] | None = None
    #: Boards and providers; None when commands are not checked for tenancy.
    organisation: Organisation | None = None
    #: What a provider's staff may record (execution).
    execution: tuple[str, ...] = attrs.field(default=EXECUTION, validator=_known)

    def commands_of(self, role: Role) -> frozenset[str]:
        """The commands ``role`` may record."""
        return frozenset(n for g in self.grants if g.role is role for n in g.commands)

    def may_decide(self, role: Role, service: ServiceKind, basis: LegalBasis) -> bool:
        """The delegation table lets ``role`` decide ``service`` under ``basis``."""
        if self.delegations is None:
            return True
        return any(d.role is role and d.service is service and d.basis.cites(basis) for d in self.delegations)


# --- the check --------------------------------------------------------------------------------------------


def check(command: Any, state: Any, ctx: "Context") -> None:
    """Raise the access rule ``command`` breaks for the context's actor and tenant (none without a policy)."""
    policy = ctx.ruleset.access
    if policy is None:
        return
    name = type(command).__name__
    actor = ctx.actor
    if actor is None:
        raise NotPermitted(
            "ruleset {ref} checks who records what: {name} names no actor", ref=ctx.ruleset.ref, name=name
        )
    if name not in policy.commands_of(actor.role):
        allowed = ", ".join(sorted(g.role.value for g in policy.grants if name in g.commands)) or "no role"
        raise NotPermitted(
            "role {role} may not record {name} under ruleset {ref}; missing permission: {name} for "
            "{role} (granted to: {allowed})",
            role=actor.role,
            name=name,
            ref=ctx.ruleset.ref,
            allowed=allowed,
        )
    if isinstance(command, cmd.MakeDecision) and not policy.may_decide(
        actor.role, command.service, command.legal_basis
    ):
        raise NotDelegated(
            "role {role} has no delegation to decide {service} under {law} {section} in ruleset "
            "{ref}; missing permission: a line of the delegationsordning for this role, insats and "
            "section",
            role=actor.role,
            service=command.service,
            law=command.legal_basis.law,
            section=command.legal_basis.section,
            ref=ctx.ruleset.ref,
        )
    if isinstance(command, cmd.ReconsiderDecision):
        decided = state.decisions.get(command.decision_id)
        if decided is not None and not policy.may_decide(
            actor.role, decided.made.service, decided.made.legal_basis
        ):
            raise NotDelegated(
                "role {role} has no delegation to decide {service}; missing permission: a line of the"
                " delegationsordning to reconsider it",
                role=actor.role,
                service=decided.made.service,
            )
    if policy.organisation is not None:
        _check_tenancy(command, name, state, ctx, policy, policy.organisation)


def _check_tenancy(
    command: Any, name: str, state: Any, ctx: "Context", policy: AccessPolicy, org: Organisation
) -> None:
    tenant = ctx.tenant
    board, provider = org.board(tenant), org.provider(tenant)
    if board is None and provider is None:
        raise OutsideTenancy(
            "ruleset {ref} records every command for one of its boards or providers; {tenant} is "
            "neither: open Cases with tenant=<board or provider id>",
            ref=ctx.ruleset.ref,
            tenant=tenant or N_("no tenant"),
        )
    if isinstance(command, cmd.MarkIvoReportSubmitted):
        if board is None:
            raise ExecutionOnly("a provider does not report to IVO for the municipality; its board does")
        return
    if isinstance(command, cmd.UNIT_COMMAND_TYPES):  # #18: every unit command
        if provider is not None and command.unit_id not in provider.units:
            raise OutsideTenancy(
                "unit {unit_id} is not one of provider {provider_id}'s units",
                unit_id=command.unit_id,
                provider_id=provider.provider_id,
            )
        return
    if board is not None:
        responsible = command.board_id if isinstance(command, cmd.OpenCase) else state.board_id
        if responsible != board.board_id:
            _not_its_case(board.board_id, responsible, isinstance(command, cmd.OpenCase))
        return
    assert provider is not None
    if name not in policy.execution:
        raise ExecutionOnly(
            "provider {provider_id} records execution only ({commands}); {name} is for the board "
            "responsible for the case",
            provider_id=provider.provider_id,
            commands=", ".join(policy.execution),
            name=name,
        )
    unit = _unit_of(command, state)
    if unit is not None:
        if unit not in provider.units:
            raise OutsideTenancy(
                "unit {unit} is not one of provider {provider_id}'s units",
                unit=unit,
                provider_id=provider.provider_id,
            )
        day = getattr(command, "start_on", None)
        if day is not None and not provider.in_force(day):
            raise OutsideTenancy(
                "provider {provider_id}'s contract does not cover {day}",
                provider_id=provider.provider_id,
                day=day,
            )
        return
    if not any(p.unit_id in provider.units for p in state.placements.values()):
        raise OutsideTenancy(
            "provider {provider_id} executes no placement in this case; {name} is recorded by the "
            "board or by the provider that executes one",
            provider_id=provider.provider_id,
            name=name,
        )


def _unit_of(command: Any, state: Any) -> uuid.UUID | None:
    """The unit a placement command acts at (None for a command that names no placement)."""
    if isinstance(command, cmd.StartPlacement):
        return command.unit_id
    placement_id = getattr(command, "placement_id", None)
    if placement_id is None:
        return None
    placement = state.placements.get(placement_id)
    # An unknown placement is the case rules' to refuse (C1), not tenancy's: name no unit.
    return None if placement is None else placement.unit_id


# --- whom an entry belongs to ------------------------------------------------------------------------------


def case_tenants(
    ctx: "Context", before: "CaseState", after: "CaseState", command: Any
) -> tuple[str, ...] | None:
    """The tenants an entry on a case belongs to: its board and the providers executing placements in it.

    A provider belongs to the entries from the one that starts its first placement in the case up to the
    one that ends its last, so a tenant-scoped read shows it the case only from the time it executes it.
    None without an organisation (no tenancy).
    """
    policy = ctx.ruleset.access
    if policy is None or policy.organisation is None:
        return None
    org = policy.organisation
    found: list[str] = [after.board_id] if after.board_id is not None else []
    units = {p.unit_id for s in (before, after) for p in s.placements.values() if p.is_open}
    if isinstance(command, cmd.EndPlacement | cmd.InterruptPlacement | cmd.ResumePlacement):
        placement = after.placements.get(command.placement_id)
        if placement is not None:
            units.add(placement.unit_id)
    providers: set[str] = set()
    for unit in units:
        owner: Provider | None = org.provider_of(unit)
        if owner is not None:
            providers.add(owner.provider_id)
    return (*found, *sorted(providers - set(found)))


def unit_tenants(ctx: "Context", unit_id: uuid.UUID) -> tuple[str, ...] | None:
    """A unit's entries belong to every board of the municipality and to the provider that runs it."""
    policy = ctx.ruleset.access
    if policy is None or policy.organisation is None:
        return None
    org = policy.organisation
    owner = org.provider_of(unit_id)
    return (*(b.board_id for b in org.boards), *((owner.provider_id,) if owner else ()))


def board_tenants(ctx: "Context") -> tuple[str, ...] | None:
    """Entries of the municipality's own streams (IVO's report) belong to its boards."""
    policy = ctx.ruleset.access
    if policy is None or policy.organisation is None:
        return None
    return tuple(b.board_id for b in policy.organisation.boards)


def _not_its_case(board_id: str, responsible: str | None, opening: bool) -> typing.NoReturn:
    """A board records only in its own cases: say whose the case is, and on opening where to name it."""
    if responsible is None and opening:
        raise OutsideTenancy(
            "board {board_id} records only in cases it is responsible for; this case is without a "
            "responsible board; OpenCase names it in board_id",
            board_id=board_id,
        )
    if responsible is None:
        raise OutsideTenancy(
            "board {board_id} records only in cases it is responsible for; this case is without a "
            "responsible board",
            board_id=board_id,
        )
    if opening:
        raise OutsideTenancy(
            "board {board_id} records only in cases it is responsible for; this case is another board's; "
            "OpenCase names it in board_id",
            board_id=board_id,
        )
    raise OutsideTenancy(
        "board {board_id} records only in cases it is responsible for; this case is another board's",
        board_id=board_id,
    )
