"""The case decider: ``decide(command, state, context)`` reads like the rulebook.

A table from command class to one small function per command hands each command to its rules; each
rejection raises the error named after its rule (``rules.py``), and the event an accepted command records is
built from it by the recording table (``recording.py``). ``decide`` never reads a clock or makes ids: today
and the ruleset come in on the :class:`~rehabcore.domain.context.Context`, ids on the command. Warnings are
computed by ``review`` after the events are folded.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from rehabcore.domain import (
    assessing,
    continuity,
    decisions,
    disclosure,
    duty,
    offers,
    outcomes,
    permissions,
    placing,
    plans,
)
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, granted_decision, not_too_far_ahead, when
from rehabcore.domain.context import Context as Context  # re-exported: it was defined here
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState, CaseStatus
from rehabcore.domain.vocabulary import (
    DecisionOutcome,
    EndReason,
    FormulatedBy,
    Jurisdiction,
    LegalBases,
    Personkrets,
    ServiceKind,
)
from rehabcore.errors import N_

#: B3: what a closed case still accepts besides corrections and retention: reopening it, the end of the duty
#: to execute (which outlives the case), and how it went after the exit (#18: followed up after the avslut).
ON_CLOSED_CASE = (cmd.ReopenCase, cmd.EndExecutionDuty, cmd.RecordOutcomeStatus)


def decide(command: cmd.CaseCommand, state: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """The events a command produces on this case, or the rule error that rejects it."""
    # Who may record it, in whose case, first: a refusal names the missing permission, not a later rule (#16).
    permissions.check(command, state, ctx)
    events = _built_in(command, state, ctx)
    # The ruleset's local rules run on what the rulebook accepts, so they take part in replay too.
    ctx.ruleset.enforce(command, state, ctx)
    return events


def _built_in(command: cmd.CaseCommand, state: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if isinstance(command, cmd.OpenCase):
        return _open_case(command, state, ctx)
    if state.status is CaseStatus.NOT_OPENED:
        raise r.CaseNotOpen("case {case_id} is not open; record OpenCase first", case_id=command.case_id)
    if state.erased_on is not None:
        raise r.RecordErased(
            "case {case_id} was erased on {erased_on}; nothing more is recorded in it",
            case_id=command.case_id,
            erased_on=state.erased_on,
        )
    if isinstance(command, _RETENTION_COMMANDS):  # B3: retention is recorded on closed cases too
        return _RETENTION[type(command)](command, state, ctx)
    if state.status is CaseStatus.CLOSED and not isinstance(command, ON_CLOSED_CASE):
        raise r.CaseIsClosed(
            "the case is closed; only ReopenCase is accepted (or CorrectEntry / RetractEntry for an "
            "earlier entry, EndExecutionDuty, or RecordOutcomeStatus after the exit)"
        )
    handler: Callable[[Any, CaseState, Context], list[ev.CaseEvent]] = _HANDLERS[type(command)]
    return handler(command, state, ctx)


# --- one function per command ------------------------------------------------------------------------------


def _open_case(c: cmd.OpenCase, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if s.status is not CaseStatus.NOT_OPENED:
        raise r.CaseAlreadyOpen(
            "case {case_id} is already open; a case is one person's record", case_id=c.case_id
        )
    not_too_far_ahead(c.opened_on, ctx, "opened_on")
    if c.jurisdiction is not ctx.ruleset.jurisdiction:
        raise r.LegalBasisMismatch(
            "the ruleset {ruleset} is for {ruleset_jurisdiction}, the case for {jurisdiction}",
            ruleset=ctx.ruleset.ref,
            ruleset_jurisdiction=ctx.ruleset.jurisdiction,
            jurisdiction=c.jurisdiction,
        )
    return [record(c)]


def _receive_referral(c: cmd.ReceiveReferral, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.received_on, ctx, "received_on")
    fresh(s.referrals, c.referral_id, "referral")
    return [record(c)]


def _give_consent(c: cmd.GiveConsent, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.given_on, ctx, "given_on")
    fresh(s.consents, c.consent_id, "consent")
    if c.valid_until is not None and c.valid_until < c.given_on:
        raise r.DatesOutOfOrder(
            "valid_until ({valid_until}) is before given_on ({given_on})",
            valid_until=c.valid_until,
            given_on=c.given_on,
        )
    if c.valid_from is not None and c.valid_until is not None and c.valid_until < c.valid_from:
        raise r.DatesOutOfOrder(
            "valid_until ({valid_until}) is before valid_from ({valid_from})",
            valid_until=c.valid_until,
            valid_from=c.valid_from,
        )
    return [record(c)]


def _withdraw_consent(c: cmd.WithdrawConsent, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    consent = s.consents.get(c.consent_id)
    if consent is None:
        raise r.UnknownReference("consent {consent_id} is not in this case", consent_id=c.consent_id)
    if consent.withdrawn_on is not None:
        raise r.InvalidState(
            "consent {consent_id} was already withdrawn on {withdrawn_on}",
            consent_id=c.consent_id,
            withdrawn_on=consent.withdrawn_on,
        )
    when(s, c.withdrawn_on, ctx, "withdrawn_on")
    if c.withdrawn_on < consent.given_on:
        raise r.DatesOutOfOrder(
            "withdrawn_on ({withdrawn_on}) is before the consent ({given_on})",
            withdrawn_on=c.withdrawn_on,
            given_on=consent.given_on,
        )
    return [record(c)]


def _assess_needs(c: cmd.AssessNeeds, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.assessed_on, ctx, "assessed_on")
    fresh([a.assessment_id for a in s.assessments], c.assessment_id, "assessment")
    assessing.check_lists(c, s)  # #18: the jurisdiction's list (A1), at least one area
    return [record(c)]


def _make_decision(c: cmd.MakeDecision, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.decided_on, ctx, "decided_on")
    fresh(s.decisions, c.decision_id, "decision")
    last_assessed = max((a.occurred_on for a in s.assessments), default=None)
    if last_assessed is not None and c.decided_on < last_assessed:
        raise r.DatesOutOfOrder(
            "decided_on ({decided_on}) is before the assessment ({assessed_on})",
            decided_on=c.decided_on,
            assessed_on=last_assessed,
        )
    if c.valid_to is not None and c.valid_to < c.valid_from:
        raise r.DatesOutOfOrder(
            "valid_to ({valid_to}) is before valid_from ({valid_from})",
            valid_to=c.valid_to,
            valid_from=c.valid_from,
        )
    _check_legal_basis(c, s)
    decisions.check_law_version(c)  # #18: B16, the version in force on the decision day
    decisions.check_other_legislation(c, s)  # #18: B25
    decisions.check_decision_content(c, s)
    granted = c.outcome in (DecisionOutcome.GRANT, DecisionOutcome.PARTIAL)
    if granted and c.legal_basis.cites(LegalBases.LSS_DAILY_ACTIVITY) and c.personkrets not in _LSS_GROUPS:
        raise r.LssDecisionNeedsPersonkrets(
            "LSS 9 § 10 is only for personkrets group 1 or 2; record the group found in the assessment"
        )
    if c.outcome is DecisionOutcome.TERMINATE:
        if c.terminates_decision_id is None:
            raise r.InvalidState("a terminating decision names the decision it ends (terminates_decision_id)")
        ended = granted_decision(s, c.terminates_decision_id, r.UnknownReference)
        if ended.last_day is not None and ended.last_day < c.valid_from:
            raise r.InvalidState(
                "decision {decision_id} is no longer in force on {on}",
                decision_id=ended.decision_id,
                on=c.valid_from,
            )
    elif c.terminates_decision_id is not None:
        raise r.InvalidState("only a decision with outcome 'terminate' names terminates_decision_id")
    return [record(c)]


_LSS_GROUPS = (Personkrets.GROUP_1, Personkrets.GROUP_2)
_DK_SERVICES = (
    ServiceKind.DK_PROTECTED_EMPLOYMENT,
    ServiceKind.DK_ACTIVITY,
    ServiceKind.DK_DAILY_LIFE_SUPPORT,  # #18: § 85
)
_DK_SECTIONS = {
    ServiceKind.DK_PROTECTED_EMPLOYMENT: LegalBases.DK_PROTECTED_EMPLOYMENT,
    ServiceKind.DK_ACTIVITY: LegalBases.DK_ACTIVITY,
    ServiceKind.DK_DAILY_LIFE_SUPPORT: LegalBases.DK_DAILY_LIFE_SUPPORT,  # #18: § 85
}


def _check_legal_basis(c: cmd.MakeDecision, s: CaseState) -> None:
    basis = c.legal_basis
    if basis.jurisdiction is not s.jurisdiction:
        raise r.LegalBasisMismatch(
            "{basis} is {basis_jurisdiction} law but the case is in {jurisdiction}; use a basis of "
            "{jurisdiction}",
            basis=basis,
            basis_jurisdiction=basis.jurisdiction,
            jurisdiction=s.jurisdiction,
        )
    if (c.service in _DK_SERVICES) != (basis.jurisdiction is Jurisdiction.DK):
        raise r.LegalBasisMismatch(
            "service {service} cannot be decided under {basis}", service=c.service, basis=basis
        )
    # Serviceloven: protected employment is § 103, activity and contact offers § 104, whatever the version.
    dk_section = _DK_SECTIONS.get(c.service)
    if dk_section is not None and not basis.cites(dk_section):
        raise r.LegalBasisMismatch(
            "service {service} is decided under {law} {section}",
            service=c.service,
            law=dk_section.law,
            section=dk_section.section,
        )
    lss = basis.cites(LegalBases.LSS_DAILY_ACTIVITY)
    if (c.service is ServiceKind.LSS_DAILY_ACTIVITY) != lss:
        raise r.LegalBasisMismatch(
            "daily activity under LSS is decided under {lss}, and that section decides only daily activity "
            "(got service {service} under {basis})",
            lss=LegalBases.LSS_DAILY_ACTIVITY,
            service=c.service,
            basis=basis,
        )


def _set_goal(c: cmd.SetGoal, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.set_on, ctx, "set_on")
    fresh(s.goals, c.goal_id, "goal")
    if c.formulated_by in (FormulatedBy.PROXY, FormulatedBy.PROFESSIONAL) and c.proxy_reason is None:
        raise r.GoalNeedsReason(
            "a goal formulated by {formulated_by} must say why the citizen did not (proxy_reason)",
            formulated_by=c.formulated_by,
        )
    if c.target_on is not None and c.target_on < c.set_on:
        raise r.DatesOutOfOrder(
            "target_on ({target_on}) is before set_on ({set_on})", target_on=c.target_on, set_on=c.set_on
        )
    return [record(c)]


def _record_follow_up(c: cmd.RecordFollowUp, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.follow_up_on, ctx, "follow_up_on")
    fresh([f.follow_up_id for f in s.follow_ups], c.follow_up_id, "follow-up")
    seen: set[uuid.UUID] = set()
    for outcome in c.goal_results:
        goal = s.goals.get(outcome.goal_id)
        if goal is None or not goal.is_open:
            raise r.GoalNotOpen("goal {goal_id} is not an open goal of this case", goal_id=outcome.goal_id)
        if outcome.goal_id in seen:
            raise r.DuplicateId("goal {goal_id} has two results in one follow-up", goal_id=outcome.goal_id)
        seen.add(outcome.goal_id)
        if c.follow_up_on < goal.set.occurred_on:
            raise r.DatesOutOfOrder("follow_up_on is before goal {goal_id} was set", goal_id=outcome.goal_id)
    if c.next_follow_up_on is not None and c.next_follow_up_on <= c.follow_up_on:
        raise r.DatesOutOfOrder("next_follow_up_on must be after follow_up_on")
    plans.check_follow_up(c, s)  # #18
    return [record(c)]


def _exit_events(s: CaseState, on: dt.date, reason: EndReason) -> list[ev.CaseEvent]:
    if s.status is CaseStatus.EXITED:
        raise r.InvalidState("an exit is already recorded; start a new placement or close the case")
    ended: list[ev.CaseEvent] = []
    for p in s.open_placements():
        if p.start_on > on:
            raise r.DatesOutOfOrder(
                "placement {placement_id} starts after the exit ({on}); end it first",
                placement_id=p.placement_id,
                on=on,
            )
        # B9: work is a ground; studies are not one: end the daily activity first, with its ground.
        continuity.check_leaving(s, p, on, reason.implied_ground, None, what=N_("the exit ending"))
        ended.append(ev.PlacementEnded(occurred_on=on, placement_id=p.placement_id, reason=reason))
    return ended


def _exit_to_work(c: cmd.ExitToWork, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.exit_on, ctx, "exit_on")
    if c.employment_form.needs_subsidy and c.subsidy is None:
        raise r.ExitCategoryInvalid(
            "{employment_form} work names the subsidy or sheltered form (subsidy)",
            employment_form=c.employment_form,
        )
    if not c.employment_form.needs_subsidy and c.subsidy is not None:
        raise r.ExitCategoryInvalid(
            "{employment_form} work has no subsidy; use employment_form=subsidised or sheltered",
            employment_form=c.employment_form,
        )
    outcomes.check_work_term(c)  # #18
    exit_event = record(c)
    return [*_exit_events(s, c.exit_on, EndReason.EXIT_WORK), exit_event]


def _exit_to_studies(c: cmd.ExitToStudies, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.exit_on, ctx, "exit_on")
    exit_event = record(c)
    return [*_exit_events(s, c.exit_on, EndReason.EXIT_STUDIES), exit_event]


def _exit_elsewhere(c: cmd.ExitElsewhere, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """#18: an exit for neither work nor studies ends the running placements, for its destination's reason."""
    when(s, c.exit_on, ctx, "exit_on")
    exit_event = record(c)
    return [*_exit_events(s, c.exit_on, c.destination.end_reason), exit_event]


def _close_case(c: cmd.CloseCase, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    when(s, c.closed_on, ctx, "closed_on")
    assert s.last_occurred_on is not None
    ended: list[ev.CaseEvent] = []
    for p in s.open_placements():
        if p.start_on > c.closed_on:
            raise r.DatesOutOfOrder(
                "placement {placement_id} starts after closed_on; end it first", placement_id=p.placement_id
            )
        ground = c.ground or c.reason.implied_ground
        continuity.check_leaving(
            s, p, c.closed_on, ground, c.citizen_words, what=N_("closing the case and so ending")
        )
        ended.append(
            ev.PlacementEnded(
                occurred_on=c.closed_on,
                placement_id=p.placement_id,
                reason=EndReason.CASE_CLOSED,
                ground=ground,
                citizen_words=c.citizen_words if ground is not None else None,
            )
        )
    return [*ended, record(c)]


def _reopen_case(c: cmd.ReopenCase, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if s.status is not CaseStatus.CLOSED:
        raise r.InvalidState("only a closed case can be reopened")
    when(s, c.reopened_on, ctx, "reopened_on")
    assert s.closed_on is not None
    if c.reopened_on < s.closed_on:
        raise r.DatesOutOfOrder(
            "reopened_on is before the case was closed ({closed_on})", closed_on=s.closed_on
        )
    return [record(c)]


def _on_history(c: cmd.CorrectEntry | cmd.RetractEntry, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    # A correction names an entry by its stored id, which the folded state does not keep.
    raise r.InvalidState(
        "a correction is decided on the case's history: handle it through Cases "
        "(or rehabcore.domain.corrections.decide_correction)"
    )


# --- #13 privacy: retention and erasure (B24) -----------------------------------------------------------


def _place_hold(c: cmd.PlaceRetentionHold, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if c.hold_id in s.holds:
        raise r.DuplicateId("hold {hold_id} is already placed", hold_id=c.hold_id)
    not_too_far_ahead(c.placed_on, ctx, "placed_on")
    return [record(c)]


def _release_hold(c: cmd.ReleaseRetentionHold, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if c.hold_id not in s.holds:
        raise r.UnknownReference("hold {hold_id} is not placed on this case", hold_id=c.hold_id)
    not_too_far_ahead(c.released_on, ctx, "released_on")
    return [record(c)]


def _archive(c: cmd.ArchiveForResearch, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if s.archived_on is not None:
        raise r.InvalidState(
            "the record was archived for research on {archived_on}", archived_on=s.archived_on
        )
    return [record(c)]


def _erase(c: cmd.EraseSubject, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    if s.holds:
        raise r.ErasureOnHold(
            "{n} legal hold on case {case_id}; release it before erasing the record",
            plural="{n} legal holds on case {case_id}; release them before erasing the record",
            n=len(s.holds),
            case_id=c.case_id,
        )
    if c.subject_id != s.subject_id:
        raise r.InvalidState(
            "case {case_id} is not the record of subject {subject_id}",
            case_id=c.case_id,
            subject_id=c.subject_id,
        )
    return [record(c)]


_RETENTION: dict[type, Callable[[Any, CaseState, Context], list[ev.CaseEvent]]] = {
    cmd.PlaceRetentionHold: _place_hold,
    cmd.ReleaseRetentionHold: _release_hold,
    cmd.ArchiveForResearch: _archive,
    cmd.EraseSubject: _erase,
}
_RETENTION_COMMANDS = tuple(_RETENTION)

_HANDLERS: dict[type, Callable[[Any, CaseState, Context], list[ev.CaseEvent]]] = {
    cmd.ReceiveReferral: _receive_referral,
    cmd.GiveConsent: _give_consent,
    cmd.WithdrawConsent: _withdraw_consent,
    cmd.AssessNeeds: _assess_needs,
    cmd.MakeDecision: _make_decision,
    cmd.SetGoal: _set_goal,
    cmd.EstablishPlan: plans.establish_plan,  # #18
    cmd.StartPlacement: placing.start_placement,
    cmd.ExtendPlacement: placing.extend_placement,
    cmd.InterruptPlacement: placing.interrupt_placement,
    cmd.ResumePlacement: placing.resume_placement,
    cmd.EndPlacement: placing.end_placement,
    cmd.RecordFollowUp: _record_follow_up,
    cmd.TransferToLssDailyActivity: placing.transfer,
    cmd.ExitToWork: _exit_to_work,
    cmd.ExitToStudies: _exit_to_studies,
    cmd.CloseCase: _close_case,
    cmd.ReopenCase: _reopen_case,
    cmd.CorrectEntry: _on_history,
    cmd.RetractEntry: _on_history,
    cmd.EndExecutionDuty: duty.end_execution_duty,
    cmd.GiveInterimSupport: duty.give_interim_support,
    cmd.MakeOffer: offers.make_offer,
    cmd.DeclineOffer: offers.decline_offer,
    cmd.HoldDialogue: offers.hold_dialogue,
    cmd.ReceiveApplication: decisions.receive_application,
    cmd.ReconsiderDecision: decisions.reconsider,
    cmd.AppealDecision: decisions.appeal,
    cmd.ResolveAppeal: decisions.resolve_appeal,
    cmd.RestrictAccess: decisions.restrict_access,
    **_RETENTION,
    cmd.RecordDisclosure: disclosure.record_disclosure,  # #16
    # --- #18 outcomes and attendance
    cmd.ExitElsewhere: _exit_elsewhere,
    cmd.RecordOutcomeStatus: outcomes.record_outcome_status,
    cmd.RecordAttendance: outcomes.record_attendance,
    # --- #18 plans
    cmd.OfferPlan: plans.offer_plan,
    cmd.ReviewPlan: plans.review_plan,
    cmd.AssessOtherLegislation: decisions.assess_other_legislation,  # #18
}
