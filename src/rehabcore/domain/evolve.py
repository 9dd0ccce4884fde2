"""Folding events into state: total and boring, it never validates and never raises on a recorded event.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from rehabcore.domain import events as ev
from rehabcore.domain.decisions import revised
from rehabcore.domain.execution import evolve_execution
from rehabcore.domain.replace import replace, stamp
from rehabcore.domain.state import (
    Appeal,
    CaseState,
    Consent,
    Decision,
    Goal,
    Offer,
    Place,
    Placement,
    UnitState,
)
from rehabcore.domain.status import MOVES_STATUS, status_after
from rehabcore.domain.vocabulary import Basis, ContinuityGround, DecisionOutcome, EndReason, PlacementKind


def evolve_case(state: CaseState, event: ev.CaseEvent) -> CaseState:
    """The case after ``event``."""
    s = _apply(state, event)
    last = s.last_occurred_on
    on = event.occurred_on
    version, last_on = state.version + 1, on if last is None else max(last, on)
    status = state.status
    if type(event) in MOVES_STATUS:
        status = status_after(status, event, s.open_placements)
    execution = evolve_execution(state.execution, event)
    if s is state:
        return replace(s, version=version, last_occurred_on=last_on, status=status, execution=execution)
    # ``_apply`` built a new state that nobody else holds yet, so it is stamped rather than copied again.
    stamp(s, "execution", execution)
    stamp(s, "version", version)
    stamp(s, "last_occurred_on", last_on)
    if status is not state.status:
        stamp(s, "status", status)
    return s


def fold_case(events: Iterable[ev.CaseEvent], state: CaseState | None = None) -> CaseState:
    """Fold events onto ``state`` (the initial state when None)."""
    s = CaseState() if state is None else state
    for event in events:
        s = evolve_case(s, event)
    return s


def _apply(s: CaseState, e: ev.CaseEvent) -> CaseState:
    match e:
        case ev.CaseOpened():
            return replace(
                s,
                case_id=e.case_id,
                subject_id=e.subject_id,
                jurisdiction=e.jurisdiction,
                municipality_code=e.municipality_code,
                source=e.source,
                board_id=e.board_id,
                opened_on=e.occurred_on,
            )
        case ev.ReferralReceived():
            return replace(s, referrals=(*s.referrals, e.referral_id))
        case ev.ConsentGiven():
            consent = Consent(
                scope=e.scope, given_on=e.occurred_on, valid_until=e.valid_until, valid_from=e.valid_from
            )
            return replace(s, consents={**s.consents, e.consent_id: consent})
        case ev.ConsentWithdrawn():
            withdrawn = replace(s.consents[e.consent_id], withdrawn_on=e.occurred_on)
            return replace(s, consents={**s.consents, e.consent_id: withdrawn})
        case ev.NeedsAssessed():
            return replace(s, assessments=(*s.assessments, e))
        case ev.DecisionMade():
            decisions = {**s.decisions, e.decision_id: Decision(made=e)}
            ended = decisions.get(e.terminates_decision_id) if e.terminates_decision_id else None
            if ended is not None:
                last = e.valid_from - dt.timedelta(days=1)
                decisions[ended.decision_id] = replace(ended, ended_on=last)
            return replace(s, decisions=decisions)
        case ev.GoalSet():
            return replace(s, goals={**s.goals, e.goal_id: Goal(set=e)})
        case ev.PlanEstablished():
            return replace(s, plans=(*s.plans, e))
        case ev.PlacementStarted():
            placement = Placement(
                placement_id=e.placement_id,
                unit_id=e.unit_id,
                kind=e.kind,
                basis=e.basis,
                start_on=e.occurred_on,
                planned_end_on=e.planned_end_on,
                hours_per_week=e.hours_per_week,
                over_capacity_reason=e.over_capacity_reason,
            )
            return _with_placement(s, placement)
        case ev.PlacementExtended():
            p = s.placements[e.placement_id]
            longer = replace(p, planned_end_on=e.new_planned_end_on, extensions=p.extensions + 1)
            return _with_placement(s, longer)
        case ev.PlacementInterrupted():
            p = s.placements[e.placement_id]
            return _with_placement(s, replace(p, interruptions=(*p.interruptions, (e.occurred_on, None))))
        case ev.PlacementResumed():
            p = s.placements[e.placement_id]
            *before, (start, _) = p.interruptions
            return _with_placement(s, replace(p, interruptions=(*before, (start, e.occurred_on))))
        case ev.PlacementEnded():
            return _ended(s, e.placement_id, e.occurred_on, e.reason, e.ground or e.reason.implied_ground)
        case ev.FollowUpRecorded():
            goals = dict(s.goals)
            for outcome in e.goal_results:
                g = goals[outcome.goal_id]
                goals[outcome.goal_id] = replace(g, results=(*g.results, (e.occurred_on, outcome.result)))
            return replace(s, follow_ups=(*s.follow_ups, e), goals=goals)
        case ev.TransferredToLssDailyActivity():
            s = _ended(s, e.from_placement_id, e.occurred_on - dt.timedelta(days=1), EndReason.TRANSFERRED)
            new = Placement(
                placement_id=e.placement_id,
                unit_id=e.to_unit_id,
                kind=PlacementKind.DAILY_ACTIVITY,
                basis=Basis.lss(e.lss_decision_id),
                start_on=e.occurred_on,
                planned_end_on=None,
                hours_per_week=e.hours_per_week,
            )
            return _with_placement(s, new)
        case ev.ExitedToWork() | ev.ExitedToStudies() | ev.ExitedElsewhere():
            return replace(s, exits=(*s.exits, e))
        # --- #18 outcomes and attendance
        case ev.OutcomeStatusRecorded():
            return replace(s, outcome_statuses=(*s.outcome_statuses, e))
        case ev.AttendanceRecorded():
            return replace(s, attendance=s.attendance | {(e.placement_id, e.occurred_on)})
        case ev.CaseClosed():
            return replace(s, closed_on=e.occurred_on)
        case ev.CaseReopened():
            return replace(s, closed_on=None)
        case ev.ExecutionDutyEnded() | ev.InterimSupportGiven():
            return s  # kept on ``execution`` (evolve_execution), where the duty is read
        case ev.OfferMade():
            return replace(s, offers={**s.offers, e.offer_id: Offer(made=e)})
        case ev.OfferDeclined() if e.offer_id in s.offers:  # total: a stray decline changes nothing
            # Declining keeps whatever the person attends now: no placement changes (B9).
            declined = replace(s.offers[e.offer_id], declined_on=e.occurred_on, citizen_words=e.citizen_words)
            return replace(s, offers={**s.offers, e.offer_id: declined})
        case ev.DialogueHeld():
            return replace(s, dialogues=(*s.dialogues, e))
        case ev.ApplicationReceived():
            return replace(s, applications={**s.applications, e.application_id: e})
        case ev.DecisionReconsidered() if e.decision_id in s.decisions:
            return _decision_changed(s, e.decision_id, e.outcome, e.effective_from, e.valid_to)
        case ev.AccessRestricted():
            return replace(s, restrictions={**s.restrictions, e.restriction_id: e})
        case ev.DisclosureRecorded():  # #16
            return replace(s, disclosures={**s.disclosures, e.disclosure_id: e})
        case ev.OtherLegislationAssessed():  # #18
            return replace(s, other_legislation=(*s.other_legislation, e))
        case ev.DecisionAppealed():
            appeal = Appeal(decision_id=e.decision_id, appealed_on=e.occurred_on)
            return replace(s, appeals={**s.appeals, e.appeal_id: appeal})
        case ev.AppealResolved() if e.appeal_id in s.appeals:
            a = replace(s.appeals[e.appeal_id], result=e.result, resolved_on=e.occurred_on)
            s = replace(s, appeals={**s.appeals, e.appeal_id: a})
            if e.outcome is not None and e.effective_from is not None and e.decision_id in s.decisions:
                return _decision_changed(s, e.decision_id, e.outcome, e.effective_from, e.valid_to)
            return s
        case ev.RetentionHoldPlaced():
            return replace(s, holds=(*s.holds, e.hold_id))
        case ev.RetentionHoldReleased():
            return replace(s, holds=tuple(h for h in s.holds if h != e.hold_id))
        case ev.ArchivedForResearch():
            return replace(s, archived_on=s.archived_on or e.occurred_on)
        case ev.SubjectErased():
            return replace(s, erased_on=s.erased_on or e.occurred_on)
        # --- #18 plans
        case ev.PlanOffered():
            return replace(s, plan_offers={**s.plan_offers, e.plan_id: e})
        case ev.PlanReviewed():
            return replace(s, plan_reviews=(*s.plan_reviews, e))
        # ---
        case ev.EntryCorrected() | ev.EntryRetracted():
            # A correction changes an earlier entry, which a one-step fold cannot undo: flag it, and let the
            # reader fold the effective history (rehabcore.domain.corrections.fold_effective).
            return replace(s, pending_corrections=s.pending_corrections + 1)
    return s  # pragma: no cover - every event type has an arm above


def _decision_changed(
    s: CaseState, decision_id: uuid.UUID, outcome: DecisionOutcome, on: dt.date, valid_to: dt.date | None
) -> CaseState:
    d = s.decisions[decision_id]
    m = d.made
    new, valid_from, to, ended = revised(
        d.is_granted, m.valid_from, m.valid_to, d.ended_on, outcome, on, valid_to
    )
    made = replace(m, outcome=new or m.outcome, valid_from=valid_from, valid_to=to)
    return replace(s, decisions={**s.decisions, decision_id: replace(d, made=made, ended_on=ended)})


def _with_placement(s: CaseState, p: Placement) -> CaseState:
    return replace(s, placements={**s.placements, p.placement_id: p})


def _ended(
    s: CaseState,
    placement_id: uuid.UUID,
    on: dt.date,
    reason: EndReason,
    ground: ContinuityGround | None = None,
) -> CaseState:
    p = s.placements[placement_id]
    interruptions = p.interruptions
    if p.is_interrupted:
        *before, (start, _) = interruptions
        interruptions = (*before, (start, on + dt.timedelta(days=1)))
    ended = replace(p, end_on=on, end_reason=reason, end_ground=ground, interruptions=interruptions)
    return _with_placement(s, ended)


def evolve_unit(state: UnitState, event: ev.UnitEvent) -> UnitState:
    """The unit after ``event``."""
    s = state
    match event:
        case ev.UnitRegistered():
            s = replace(
                s,
                unit_id=event.unit_id,
                name=event.name,
                jurisdiction=event.jurisdiction,
                registered_on=event.occurred_on,
                capacities=((event.occurred_on, event.capacity),),
                purposes=((event.occurred_on, event.kind, event.offers),),
            )
        case ev.UnitCapacityChanged():
            s = replace(s, capacities=(*s.capacities, (event.occurred_on, event.capacity)))
        case ev.UnitPurposeChanged():
            s = replace(s, purposes=(*s.purposes, (event.occurred_on, event.kind, event.offers)))
        case ev.PlaceTaken():
            place = Place(
                case_id=event.case_id,
                taken_on=event.occurred_on,
                released_on=None,
                over_capacity_reason=event.over_capacity_reason,
                kind=event.kind,
            )
            s = replace(s, places={**s.places, event.placement_id: place})
        case ev.PlaceReleased() if event.placement_id in s.places:  # total: a stray release changes nothing
            released = replace(s.places[event.placement_id], released_on=event.occurred_on)
            s = replace(s, places={**s.places, event.placement_id: released})
        case ev.PlaceWithdrawn():
            s = replace(s, places={k: p for k, p in s.places.items() if k != event.placement_id})
        # --- #18 open activities and unit changes (a visit count is the read models', not the decider's)
        case ev.UnitClosed():
            s = replace(s, closed_on=event.occurred_on)
        case ev.UnitMoved():
            s = replace(s, premises=(*s.premises, (event.occurred_on, event.premises)))
        case ev.UnitOwnerChanged():
            s = replace(s, owners=(*s.owners, (event.occurred_on, event.owner)))
    if s is state:
        return replace(s, version=state.version + 1)
    stamp(s, "version", state.version + 1)  # a fresh state: stamped, as for cases
    return s


def fold_unit(events: Iterable[ev.UnitEvent], state: UnitState | None = None) -> UnitState:
    """Fold unit events onto ``state`` (the initial state when None)."""
    s = UnitState() if state is None else state
    for event in events:
        s = evolve_unit(s, event)
    return s
