"""Corrections and retractions: the effective history of a case, and the decider that guards it.

Nothing recorded is ever edited (B1). A correction (``EntryCorrected``) says that an earlier entry reads
differently from now on; a retraction (``EntryRetracted``) that it no longer counts. The *effective* history
is derived when the case is read: every entry in stream order, retracted ones left out, corrected ones
replaced by their latest correction. Folding it gives the state; the stream itself, with the originals, is
the audit view.

A correction is accepted only if the effective history it leads to could have been recorded command by command
under the rules: each entry is turned back into the command that records it and decided again on the state
before it. The first rule that fails is raised, so the case worker learns which rule the correction would
break; nothing is written.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.evolve import evolve_case, fold_case
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import PlacementKind
from rehabcore.errors import RuleViolation

#: An entry of a case stream: its stored event id and the event.
Entry = tuple[uuid.UUID, ev.CaseEvent]


def effective(entries: Iterable[Entry]) -> list[tuple[uuid.UUID, ev.CorrectableEvent]]:
    """The entries as they count now: retracted ones left out, corrected ones as last corrected."""
    entries = list(entries)
    replaced: dict[uuid.UUID, ev.CorrectableEvent] = {}
    retracted: set[uuid.UUID] = set()
    for _, e in entries:
        if isinstance(e, ev.EntryCorrected):
            replaced[e.corrected_event_id] = e.replacement
        elif isinstance(e, ev.EntryRetracted):
            retracted.add(e.retracted_event_id)
    return [
        (event_id, replaced.get(event_id, e))
        for event_id, e in entries
        if not isinstance(e, ev.EntryCorrected | ev.EntryRetracted) and event_id not in retracted
    ]


def fold_effective(entries: Iterable[Entry]) -> CaseState:
    """The case folded from its effective history; ``version`` still counts every entry of the stream."""
    entries = list(entries)
    state = fold_case(e for _, e in effective(entries))
    return attrs.evolve(state, version=len(entries))


def decide_correction(
    command: cmd.CorrectEntry | cmd.RetractEntry, entries: Sequence[Entry], ctx: Context
) -> list[ev.CaseEvent]:
    """The correction or retraction event, or the rule error it would cause somewhere in the case."""
    now = dict(effective(entries))
    recorded = dict(entries)
    target = recorded.get(command.event_id)
    if target is None:
        raise r.UnknownReference(f"entry {command.event_id} is not in this case")
    if isinstance(target, ev.EntryCorrected | ev.EntryRetracted):
        raise r.InvalidState("that entry is itself a correction; correct the original entry instead")
    current = now.get(command.event_id)
    if current is None:
        raise r.InvalidState(f"entry {command.event_id} was retracted; record what happened anew instead")
    state = fold_effective(entries)
    event: ev.CaseEvent
    if isinstance(command, cmd.CorrectEntry):
        _check_replacement(current, command.replacement)
        _check_day(state, command.corrected_on, ctx)
        event = ev.EntryCorrected(
            occurred_on=command.corrected_on,
            corrected_event_id=command.event_id,
            replacement=command.replacement,
            reason=command.reason,
        )
    else:
        if isinstance(current, ev.CaseOpened):
            raise r.InvalidState(
                "the opening of a case cannot be retracted; retract the entries recorded on the wrong case"
            )
        _check_day(state, command.retracted_on, ctx)
        event = ev.EntryRetracted(
            occurred_on=command.retracted_on, retracted_event_id=command.event_id, reason=command.reason
        )
    recheck([*entries, (uuid.UUID(int=0), event)], ctx)
    return [event]


def _check_replacement(current: ev.CorrectableEvent, replacement: ev.CorrectableEvent) -> None:
    if type(replacement) is not type(current):
        raise r.InvalidState(
            f"a correction keeps the kind of entry ({type(current).__name__}); retract it and record a "
            f"{type(replacement).__name__} instead"
        )
    if replacement == current:
        raise r.InvalidState("the replacement is the entry as it already reads; nothing to correct")
    if (
        isinstance(current, ev.CaseOpened)
        and isinstance(replacement, ev.CaseOpened)
        and (replacement.case_id, replacement.subject_id) != (current.case_id, current.subject_id)
    ):
        raise r.CaseAlreadyOpen(
            "a case is one person's record: its case and person cannot be corrected; retract the entries "
            "recorded on the wrong case and record them on the right one"
        )


def _check_day(state: CaseState, on: dt.date, ctx: Context) -> None:
    latest = ctx.today + dt.timedelta(days=ctx.ruleset.parameters.future_tolerance_days)
    if on > latest:
        raise r.DatesOutOfOrder(f"the correction is dated {on}, after today ({ctx.today}) and its tolerance")
    if state.opened_on is not None and on < state.opened_on:
        raise r.DatesOutOfOrder(
            f"the correction is dated {on}, before the case was opened ({state.opened_on})"
        )


def recheck(entries: Sequence[Entry], ctx: Context) -> CaseState:
    """Decide every effective entry again, in order, on the state before it; raise the first rule broken."""
    state = CaseState()
    for event_id, e in effective(entries):
        try:
            produced = decide(command_for(e, state), state, ctx)
        except RuleViolation as err:
            raise type(err)(
                f"read with this correction, entry {event_id} breaks the rule: {err.message}"
            ) from None
        if produced != [e]:
            raise r.InvalidState(
                f"read with this correction, entry {event_id} no longer follows from the entries before it"
            )
        state = evolve_case(state, e)
    return state


def command_for(e: ev.CorrectableEvent, state: CaseState) -> cmd.CaseCommand:
    """The command that records exactly ``e`` on a case in ``state`` (the inverse of ``decide``)."""
    case_id = e.case_id if isinstance(e, ev.CaseOpened) else state.case_id
    assert case_id is not None, "only the opening comes before the case id is known"
    on = e.occurred_on
    match e:
        case ev.CaseOpened():
            return cmd.OpenCase(
                case_id=case_id,
                subject_id=e.subject_id,
                opened_on=on,
                jurisdiction=e.jurisdiction,
                municipality_code=e.municipality_code,
                source=e.source,
            )
        case ev.ReferralReceived():
            return cmd.ReceiveReferral(
                case_id=case_id,
                referral_id=e.referral_id,
                received_on=on,
                source=e.source,
                requested_service=e.requested_service,
            )
        case ev.ConsentGiven():
            return cmd.GiveConsent(
                case_id=case_id,
                consent_id=e.consent_id,
                given_on=on,
                scope=e.scope,
                valid_until=e.valid_until,
            )
        case ev.ConsentWithdrawn():
            return cmd.WithdrawConsent(case_id=case_id, consent_id=e.consent_id, withdrawn_on=on)
        case ev.NeedsAssessed():
            return cmd.AssessNeeds(
                case_id=case_id,
                assessment_id=e.assessment_id,
                assessed_on=on,
                method=e.method,
                life_areas=e.life_areas,
                participation=e.participation,
                personkrets=e.personkrets,
            )
        case ev.DecisionMade():
            return cmd.MakeDecision(
                case_id=case_id,
                decision_id=e.decision_id,
                decided_on=on,
                outcome=e.outcome,
                legal_basis=e.legal_basis,
                service=e.service,
                valid_from=e.valid_from,
                valid_to=e.valid_to,
                personkrets=e.personkrets,
                terminates_decision_id=e.terminates_decision_id,
                alternatives_considered=e.alternatives_considered,
                least_intrusive_rationale=e.least_intrusive_rationale,
                communicated_on=e.communicated_on,
            )
        case ev.GoalSet():
            return cmd.SetGoal(
                case_id=case_id,
                goal_id=e.goal_id,
                set_on=on,
                life_area=e.life_area,
                citizen_words=e.citizen_words,
                formulated_by=e.formulated_by,
                goal_type=e.goal_type,
                target_on=e.target_on,
                proxy_reason=e.proxy_reason,
            )
        case ev.PlanEstablished():
            return cmd.EstablishPlan(
                case_id=case_id,
                plan_id=e.plan_id,
                established_on=on,
                plan_kind=e.plan_kind,
                goal_ids=e.goal_ids,
                participation=e.participation,
                next_follow_up_on=e.next_follow_up_on,
            )
        case ev.PlacementStarted():
            return cmd.StartPlacement(
                case_id=case_id,
                placement_id=e.placement_id,
                unit_id=e.unit_id,
                kind=e.kind,
                basis=e.basis,
                start_on=on,
                hours_per_week=e.hours_per_week,
                planned_end_on=e.planned_end_on,
            )
        case ev.PlacementExtended():
            return cmd.ExtendPlacement(
                case_id=case_id,
                placement_id=e.placement_id,
                extended_on=on,
                new_planned_end_on=e.new_planned_end_on,
                authorising_decision_id=e.authorising_decision_id,
            )
        case ev.PlacementInterrupted():
            return cmd.InterruptPlacement(
                case_id=case_id, placement_id=e.placement_id, interrupted_on=on, reason=e.reason
            )
        case ev.PlacementResumed():
            return cmd.ResumePlacement(case_id=case_id, placement_id=e.placement_id, resumed_on=on)
        case ev.PlacementEnded():
            return cmd.EndPlacement(case_id=case_id, placement_id=e.placement_id, end_on=on, reason=e.reason)
        case ev.FollowUpRecorded():
            return cmd.RecordFollowUp(
                case_id=case_id,
                follow_up_id=e.follow_up_id,
                follow_up_on=on,
                goal_results=e.goal_results,
                participation=e.participation,
                status=e.status,
                next_follow_up_on=e.next_follow_up_on,
            )
        case ev.TransferredToLssDailyActivity():
            return cmd.TransferToLssDailyActivity(
                case_id=case_id,
                from_placement_id=e.from_placement_id,
                placement_id=e.placement_id,
                to_unit_id=e.to_unit_id,
                lss_decision_id=e.lss_decision_id,
                start_on=on,
                hours_per_week=e.hours_per_week,
            )
        case ev.ExitedToWork():
            return cmd.ExitToWork(
                case_id=case_id,
                exit_on=on,
                employment_form=e.employment_form,
                employer_sector=e.employer_sector,
                extent_pct=e.extent_pct,
                subsidy=e.subsidy,
            )
        case ev.ExitedToStudies():
            return cmd.ExitToStudies(
                case_id=case_id, exit_on=on, study_kind=e.study_kind, extent_pct=e.extent_pct
            )
        case ev.CaseClosed():
            return cmd.CloseCase(case_id=case_id, closed_on=on, reason=e.reason)
        case ev.CaseReopened():
            return cmd.ReopenCase(case_id=case_id, reopened_on=on)
    raise AssertionError(f"no command records {type(e).__name__}")  # pragma: no cover


@attrs.frozen
class PlaceChange:
    """What a correction does to a unit's places: withdraw a hold as recorded, take it as corrected."""

    unit_id: uuid.UUID
    event: ev.PlaceWithdrawn | ev.PlaceTaken | ev.PlaceReleased
    kind: PlacementKind | None = None


def place_changes(case_id: uuid.UUID, before: CaseState, after: CaseState) -> list[PlaceChange]:
    """The unit events that make the units' places agree with a corrected case."""
    changes: list[PlaceChange] = []
    for placement_id in sorted(set(before.placements) | set(after.placements), key=str):
        old, new = before.placements.get(placement_id), after.placements.get(placement_id)
        hold = (old.unit_id, old.start_on, old.end_on) if old else None
        if new is not None and hold == (new.unit_id, new.start_on, new.end_on):
            continue
        if old is not None:
            changes.append(
                PlaceChange(
                    old.unit_id, ev.PlaceWithdrawn(occurred_on=old.start_on, placement_id=placement_id)
                )
            )
        if new is not None:
            taken = ev.PlaceTaken(occurred_on=new.start_on, placement_id=placement_id, case_id=case_id)
            changes.append(PlaceChange(new.unit_id, taken, new.kind))
            if new.end_on is not None:
                changes.append(
                    PlaceChange(
                        new.unit_id, ev.PlaceReleased(occurred_on=new.end_on, placement_id=placement_id)
                    )
                )
    return changes
