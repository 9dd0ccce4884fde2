"""What each command records: one table, from which events are built and commands derived back.

Every command records an event with the same fields by the same names, except that one of its dates becomes
the event's ``occurred_on`` and the id of its stream (``case_id``, ``unit_id``) and its ``command_id`` stay
on the command when the event has no field of that name. A line of :data:`RECORDINGS` says which event a
command records and which of its dates is the day it happened; ``renamed`` lists the rare field whose name
differs. From that line :func:`record` builds the event from the command, and :func:`command_for` the
command that records exactly a given event (what a correction decides again). ``tests/domain/
test_recording.py`` walks ``attrs.fields`` of every pair and fails on a field mapped only one way.

A value cannot land in the wrong field: each event field is taken from the command field of the same name,
and the table is checked when this module is imported — every pair of fields it maps has the same
annotation, so the command's own checks on construction (``validation.validated``) are the event's.
:func:`check_event` checks an event built any other way against its annotations.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.validation import check_for

#: Fields that name the command's stream or the command itself: kept off the event unless it has them.
STREAM_FIELDS = ("case_id", "unit_id", "command_id")


@attrs.frozen(kw_only=True)
class Recording:
    """One line of the table: a command, the event it records, and how their fields differ."""

    command: type[cmd.Command]
    event: type[ev.Event]
    #: The command's date that becomes the event's ``occurred_on``.
    date: str
    #: Event field → command field, for a field whose name differs.
    renamed: Mapping[str, str] = attrs.field(factory=dict)

    def sources(self) -> dict[str, str]:
        """Event field → the command field it is taken from."""
        command_fields = {f.name for f in attrs.fields(self.command)}
        out = {}
        for f in attrs.fields(self.event):
            if f.name == "occurred_on":
                out[f.name] = self.date
            elif f.name in self.renamed:
                out[f.name] = self.renamed[f.name]
            elif f.name in command_fields:
                out[f.name] = f.name
        return out


def _r(command: type[cmd.Command], event: type[ev.Event], date: str, **renamed: str) -> Recording:
    return Recording(command=command, event=event, date=date, renamed=renamed)


#: Every command and the event it records. A new pair needs one line here (and its labels).
RECORDINGS: tuple[Recording, ...] = (
    _r(cmd.OpenCase, ev.CaseOpened, "opened_on"),
    _r(cmd.ReceiveReferral, ev.ReferralReceived, "received_on"),
    _r(cmd.GiveConsent, ev.ConsentGiven, "given_on"),
    _r(cmd.WithdrawConsent, ev.ConsentWithdrawn, "withdrawn_on"),
    _r(cmd.AssessNeeds, ev.NeedsAssessed, "assessed_on"),
    _r(cmd.MakeDecision, ev.DecisionMade, "decided_on"),
    _r(cmd.SetGoal, ev.GoalSet, "set_on"),
    _r(cmd.EstablishPlan, ev.PlanEstablished, "established_on"),
    _r(cmd.StartPlacement, ev.PlacementStarted, "start_on"),
    _r(cmd.ExtendPlacement, ev.PlacementExtended, "extended_on"),
    _r(cmd.InterruptPlacement, ev.PlacementInterrupted, "interrupted_on"),
    _r(cmd.ResumePlacement, ev.PlacementResumed, "resumed_on"),
    _r(cmd.EndPlacement, ev.PlacementEnded, "end_on"),
    _r(cmd.RecordFollowUp, ev.FollowUpRecorded, "follow_up_on"),
    _r(cmd.TransferToLssDailyActivity, ev.TransferredToLssDailyActivity, "start_on"),
    _r(cmd.ExitToWork, ev.ExitedToWork, "exit_on"),
    _r(cmd.ExitToStudies, ev.ExitedToStudies, "exit_on"),
    _r(cmd.CloseCase, ev.CaseClosed, "closed_on"),
    _r(cmd.ReopenCase, ev.CaseReopened, "reopened_on"),
    _r(cmd.CorrectEntry, ev.EntryCorrected, "corrected_on", corrected_event_id="event_id"),
    _r(cmd.RetractEntry, ev.EntryRetracted, "retracted_on", retracted_event_id="event_id"),
    # --- #13 privacy: retention and erasure
    _r(cmd.PlaceRetentionHold, ev.RetentionHoldPlaced, "placed_on"),
    _r(cmd.ReleaseRetentionHold, ev.RetentionHoldReleased, "released_on"),
    _r(cmd.ArchiveForResearch, ev.ArchivedForResearch, "archived_on"),
    _r(cmd.EraseSubject, ev.SubjectErased, "erased_on"),
    # ---
    _r(cmd.RegisterUnit, ev.UnitRegistered, "registered_on"),
    _r(cmd.ChangeUnitCapacity, ev.UnitCapacityChanged, "effective_on"),
    _r(cmd.ChangeUnitPurpose, ev.UnitPurposeChanged, "effective_on"),
    # the execution duty and IVO's report (#11)
    _r(cmd.EndExecutionDuty, ev.ExecutionDutyEnded, "ended_on"),
    _r(cmd.GiveInterimSupport, ev.InterimSupportGiven, "given_on"),
    _r(cmd.MarkIvoReportSubmitted, ev.IvoReportSubmitted, "submitted_on"),
    # --- issue #12: offers and dialogue
    _r(cmd.MakeOffer, ev.OfferMade, "offered_on"),
    _r(cmd.DeclineOffer, ev.OfferDeclined, "declined_on"),
    _r(cmd.HoldDialogue, ev.DialogueHeld, "held_on"),
    # --- issue #12: applications, reconsideration, appeal
    _r(cmd.ReceiveApplication, ev.ApplicationReceived, "received_on"),
    _r(cmd.ReconsiderDecision, ev.DecisionReconsidered, "reconsidered_on"),
    _r(cmd.AppealDecision, ev.DecisionAppealed, "appealed_on"),
    _r(cmd.ResolveAppeal, ev.AppealResolved, "resolved_on"),
    _r(cmd.RestrictAccess, ev.AccessRestricted, "assessed_on", restricted_event_id="event_id"),
    # --- issue #16: disclosure (B21)
    _r(cmd.RecordDisclosure, ev.DisclosureRecorded, "disclosed_on"),
    # --- #18 outcomes and attendance
    _r(cmd.ExitElsewhere, ev.ExitedElsewhere, "exit_on"),
    _r(cmd.RecordOutcomeStatus, ev.OutcomeStatusRecorded, "followed_up_on"),
    _r(cmd.RecordAttendance, ev.AttendanceRecorded, "week_of"),
    # --- #18 open activities and unit changes
    _r(cmd.CountVisits, ev.VisitsCounted, "counted_on"),
    _r(cmd.CloseUnit, ev.UnitClosed, "closed_on"),
    _r(cmd.MoveUnit, ev.UnitMoved, "moved_on"),
    _r(cmd.ChangeUnitOwner, ev.UnitOwnerChanged, "changed_on"),
    # --- #18 plans
    _r(cmd.OfferPlan, ev.PlanOffered, "offered_on"),
    _r(cmd.ReviewPlan, ev.PlanReviewed, "reviewed_on"),
    # --- #18 Danish practice
    _r(cmd.AssessOtherLegislation, ev.OtherLegislationAssessed, "assessed_on"),
)

BY_COMMAND: dict[type[Any], Recording] = {r.command: r for r in RECORDINGS}
BY_EVENT: dict[type[Any], Recording] = {r.event: r for r in RECORDINGS}
# Resolved once: (event field, command field) pairs per command, and command field ← event field per event.


def _builder(line: Recording) -> Callable[[Any], Any]:
    """``command -> event`` for one line, compiled once from the line's field names.

    A plain keyword call, as written by hand, rather than a dict of values built per command and unpacked:
    every command handled goes through here, and the difference shows in the ``cycle`` row of ``python -m
    benchmarks.run``. The names are attrs field names (identifiers), the only thing put in the source.
    """
    arguments = ", ".join(f"{e}=command.{c}" for e, c in line.sources().items())
    built: Callable[[Any], Any] = eval(f"lambda command: event({arguments})", {"event": line.event})
    return built


_FORWARD = {r.command: _builder(r) for r in RECORDINGS}
_BACKWARD = {r.event: (r.command, tuple((c, e) for e, c in r.sources().items())) for r in RECORDINGS}
_CHECKS: dict[type[Any], tuple[tuple[str, str, Callable[[str, Any], None]], ...]] = {}


def _same_types(line: Recording) -> None:
    """Refuse a line that maps a command field to an event field of another type (checked at import)."""
    command_types, event_types = typing.get_type_hints(line.command), typing.get_type_hints(line.event)
    for event_field, command_field in line.sources().items():
        if command_types[command_field] != event_types[event_field]:
            raise TypeError(
                f"{line.command.__name__}.{command_field} and {line.event.__name__}.{event_field} differ in "
                "type: the recording table maps fields of one type only"
            )


for _line in RECORDINGS:
    _same_types(_line)


def record(command: cmd.Command) -> Any:
    """The event ``command`` records, its fields taken by name (see :data:`RECORDINGS`)."""
    return _FORWARD[type(command)](command)


def command_for(event: ev.Event, stream_id: Any) -> Any:
    """The command that records exactly ``event`` on the stream of ``stream_id`` (a case or unit id)."""
    command_cls, pairs = _BACKWARD[type(event)]
    values = {c: getattr(event, e) for c, e in pairs}
    for name in ("case_id", "unit_id"):
        if name not in values and any(f.name == name for f in attrs.fields(command_cls)):
            values[name] = stream_id
    return command_cls(**values)


def check_event(event: ev.Event) -> None:
    """Check every field of an event against its annotation; raise InvalidInput naming the field."""
    cls = type(event)
    checks = _CHECKS.get(cls)
    if checks is None:
        hints = typing.get_type_hints(cls)
        checks = _CHECKS[cls] = tuple(
            (f.name, f"{cls.__name__}.{f.name}", check_for(hints[f.name])) for f in attrs.fields(cls)
        )
    for name, label, check in checks:
        check(label, getattr(event, name))
