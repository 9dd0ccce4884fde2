"""The rules of placements: start, extend, interrupt, resume, end and transfer (B4–B9, B19).

One small function per command, as in ``case.py``, whose table hands these commands here; the places they
take and give back at units are decided in ``places.py``.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt

from rehabcore.domain import commands as cmd
from rehabcore.domain import continuity
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, granted_decision, open_placement, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import (
    BASES_OF,
    DANISH_KINDS,
    Basis,
    BasisKind,
    Jurisdiction,
    PlacementKind,
    services_for,
)
from rehabcore.errors import N_


def start_placement(c: cmd.StartPlacement, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """StartPlacement: dated, fresh, time-limited where the law says so (B5), on a valid basis (B7, B19)."""
    when(s, c.start_on, ctx, "start_on")
    fresh(s.placements, c.placement_id, "placement")
    if c.planned_end_on is not None and c.planned_end_on < c.start_on:
        raise r.DatesOutOfOrder(
            "planned_end_on ({planned_end_on}) is before start_on ({start_on})",
            planned_end_on=c.planned_end_on,
            start_on=c.start_on,
        )
    _check_time_limit(c.kind, c.start_on, c.planned_end_on, ctx)
    _check_basis(c.kind, c.basis, c.start_on, s)
    if c.kind is PlacementKind.DAILY_ACTIVITY and c.basis.kind is BasisKind.LSS_DECISION:
        continuity.check_starting(s, c.placement_id, c.start_on)
    return [record(c)]


def _check_time_limit(kind: PlacementKind, start: dt.date, planned_end: dt.date | None, ctx: Context) -> None:
    if not kind.is_work_rehabilitation:
        return
    if planned_end is None:
        raise r.WorkTrainingNeedsPlannedEnd(
            "{kind} is time-limited; give planned_end_on (at most {n} day after start_on)",
            plural="{kind} is time-limited; give planned_end_on (at most {n} days after start_on)",
            kind=kind,
            n=ctx.ruleset.parameters.max_work_training_days,
        )
    longest = ctx.ruleset.parameters.max_work_training_days
    if (planned_end - start).days > longest:
        raise r.WorkTrainingTooLong(
            "{kind} planned for {n} day; the ruleset {ruleset} allows {longest} without an extension "
            "decision",
            plural="{kind} planned for {n} days; the ruleset {ruleset} allows {longest} without an extension "
            "decision",
            kind=kind,
            n=(planned_end - start).days,
            ruleset=ctx.ruleset.ref,
            longest=longest,
        )


def _check_basis(kind: PlacementKind, basis: Basis, start: dt.date, s: CaseState) -> None:
    if basis.kind.needs_decision != (basis.decision_id is not None):
        if basis.kind.needs_decision:
            raise r.PlacementBasisInvalid(
                "a placement on basis {basis} names the decision it executes", basis=basis.kind
            )
        raise r.PlacementBasisInvalid("a placement on basis {basis} names no decision", basis=basis.kind)
    foreign = [j for j, own in BASES_OF.items() if j is not s.jurisdiction and basis.kind in own]
    if foreign:
        raise r.PlacementBasisInvalid(
            "basis {basis} is {basis_jurisdiction} law and the case is in {jurisdiction}; use a basis of "
            "{jurisdiction}",
            basis=basis.kind,
            basis_jurisdiction=foreign[0],
            jurisdiction=s.jurisdiction,
        )
    if kind in DANISH_KINDS and basis.kind is not BasisKind.DK_DECISION:
        raise r.PlacementBasisInvalid(
            "{kind} stands on a decision under serviceloven of its own section (Basis.dk(decision_id))",
            kind=kind,
        )
    if kind is PlacementKind.DAILY_ACTIVITY and basis.kind is not BasisKind.LSS_DECISION:
        raise r.LssDecisionNotInForce("daily activity stands on an LSS 9 § 10 decision (Basis.lss)")
    if basis.decision_id is None:
        return
    # B7: an LSS basis stands on an LSS 9 § 10 decision of the case, granted and in force; other bases: B19.
    rule = r.LssDecisionNotInForce if basis.kind is BasisKind.LSS_DECISION else r.PlacementBasisInvalid
    decision = granted_decision(s, basis.decision_id, rule)
    expected = {
        BasisKind.LSS_DECISION: decision.is_lss_daily_activity,
        BasisKind.SOL_DECISION: decision.made.legal_basis.law == "SoL",
        BasisKind.DK_DECISION: decision.made.legal_basis.jurisdiction is Jurisdiction.DK,
    }[basis.kind]
    if not expected:
        raise rule(
            "decision {decision_id} ({legal_basis}) is no {basis}",
            decision_id=basis.decision_id,
            legal_basis=decision.made.legal_basis,
            basis=basis.kind,
        )
    if decision.made.service not in services_for(kind):
        raise rule(
            "decision {decision_id} is for {service}, which a {kind} placement does not execute; place on a "
            "decision for its service",
            decision_id=basis.decision_id,
            service=decision.made.service,
            kind=kind,
        )
    if not decision.in_force(start):
        raise rule(
            "decision {decision_id} is not in force on {on}; decide again or change the date",
            decision_id=basis.decision_id,
            on=start,
        )


def extend_placement(c: cmd.ExtendPlacement, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ExtendPlacement: later than the planned end; work rehabilitation needs a decision in force (B6)."""
    p = open_placement(s, c.placement_id)
    when(s, c.extended_on, ctx, "extended_on")
    if p.planned_end_on is not None and c.new_planned_end_on <= p.planned_end_on:
        raise r.DatesOutOfOrder(
            "new_planned_end_on must be after the current planned end ({planned_end_on})",
            planned_end_on=p.planned_end_on,
        )
    if c.new_planned_end_on < c.extended_on:
        raise r.DatesOutOfOrder("new_planned_end_on is before extended_on")
    if p.kind.is_work_rehabilitation and c.authorising_decision_id is None:
        raise r.ExtensionNeedsDecision(
            "extending {kind} needs a decision: record MakeDecision and pass authorising_decision_id",
            kind=p.kind,
        )
    if c.authorising_decision_id is not None:
        decision = granted_decision(s, c.authorising_decision_id, r.ExtensionNeedsDecision)
        if not decision.in_force(c.extended_on):
            raise r.ExtensionNeedsDecision(
                "decision {decision_id} is not in force on {on}",
                decision_id=decision.decision_id,
                on=c.extended_on,
            )
        # B6 as the law has it: only a decision on this placement's service authorises its extension.
        if decision.made.service not in services_for(p.kind):
            raise r.ExtensionNeedsDecision(
                "decision {decision_id} is for {service}: an extension of {kind} is authorised by a decision "
                "for {services}",
                decision_id=decision.decision_id,
                service=decision.made.service,
                kind=p.kind,
                services=", ".join(sorted(services_for(p.kind))),
            )
    return [record(c)]


def interrupt_placement(c: cmd.InterruptPlacement, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """InterruptPlacement: an open placement not already interrupted, dated after it started."""
    p = open_placement(s, c.placement_id)
    if p.is_interrupted:
        raise r.InvalidState(
            "placement {placement_id} is already interrupted; resume it first", placement_id=c.placement_id
        )
    when(s, c.interrupted_on, ctx, "interrupted_on")
    last_resumed = p.interruptions[-1][1] if p.interruptions else None
    if c.interrupted_on < p.start_on or (last_resumed is not None and c.interrupted_on < last_resumed):
        raise r.DatesOutOfOrder("interrupted_on is before the placement started or last resumed")
    if c.reason.needs_continuity:  # B9: waiting for a new unit is a day without daily activity
        last_day = c.interrupted_on - dt.timedelta(days=1)
        continuity.check_leaving(s, p, last_day, c.ground, c.citizen_words, what=N_("interrupting"))
    return [record(c)]


def resume_placement(c: cmd.ResumePlacement, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ResumePlacement: an interrupted placement, resumed after the interruption began."""
    p = open_placement(s, c.placement_id)
    if not p.is_interrupted:
        raise r.InvalidState("placement {placement_id} is not interrupted", placement_id=c.placement_id)
    when(s, c.resumed_on, ctx, "resumed_on")
    if c.resumed_on <= p.interruptions[-1][0]:
        raise r.DatesOutOfOrder(
            "resumed_on must be after the interruption ({interrupted_on})",
            interrupted_on=p.interruptions[-1][0],
        )
    return [record(c)]


def end_placement(c: cmd.EndPlacement, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """EndPlacement: dated after its start; LSS daily activity ends with a successor or a ground (B9)."""
    p = open_placement(s, c.placement_id)
    when(s, c.end_on, ctx, "end_on")
    if c.end_on < p.start_on:
        raise r.DatesOutOfOrder(
            "end_on ({end_on}) is before start_on ({start_on})", end_on=c.end_on, start_on=p.start_on
        )
    ground = c.ground or c.reason.implied_ground
    continuity.check_leaving(s, p, c.end_on, ground, c.citizen_words)
    return [record(c)]


def transfer(c: cmd.TransferToLssDailyActivity, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """TransferToLssDailyActivity: from an open placement to daily activity on an LSS decision in force."""
    old = open_placement(s, c.from_placement_id)
    fresh(s.placements, c.placement_id, "placement")
    when(s, c.start_on, ctx, "start_on")
    if c.start_on <= old.start_on:
        raise r.DatesOutOfOrder(
            "the transfer ({start_on}) must be after the old placement started", start_on=c.start_on
        )
    _check_basis(PlacementKind.DAILY_ACTIVITY, Basis.lss(c.lss_decision_id), c.start_on, s)
    continuity.check_starting(s, old.placement_id, c.start_on)
    # The transfer ends the old placement the day before: that must not leave it beside another daily
    # activity begun meanwhile (B9, one a day; found by the rule machine).
    continuity.check_one_a_day(s, old, c.start_on - dt.timedelta(days=1))
    return [record(c)]
