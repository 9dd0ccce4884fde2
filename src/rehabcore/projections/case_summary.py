"""The case projection: per case stream, only what the read models need, as rows.

A :class:`CaseSummary` is a handful of rows (the case, its placements, interruptions, decisions, exits,
follow-up dates and placement extensions), not a whole :class:`~rehabcore.domain.state.CaseState`: no
goals' words, no consents, no assessments. Its evolve mirrors :func:`rehabcore.domain.evolve.evolve_case`
for the fields it keeps; a property test checks the read models against the domain's own fold.

The summary is of the case's *effective* history, as ``Cases.get`` reads it
(:func:`rehabcore.domain.corrections.fold_effective`): retracted entries left out, corrected ones as last
corrected. An ordinary event folds on top of the summary; a correction or retraction makes the runner read
the case's stream up to it and derive the summary anew (:meth:`CaseProjection.rederive`).

Enum values are kept as their stored strings, so the rows are plain SQL values for other software.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
import uuid
from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.corrections import effective
from rehabcore.domain.decisions import revised
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.status import status_after
from rehabcore.domain.vocabulary import DecisionOutcome, EndReason, PlacementKind, Role
from rehabcore.projections.base import Table
from rehabcore.projections.case_rows import (
    DAY,
    AttendanceRow,
    CaseRow,
    CaseSummary,
    DecisionRow,
    ExitRow,
    ExtensionRow,
    FollowUpRow,
    InterruptionRow,
    OutcomeStatusRow,
    PlacementRow,
)
from rehabcore.streams import Recorded

_CASE_EVENTS = typing.get_args(ev.CaseEvent)
_STATUSES = {m.value: m for m in CaseStatus}

#: The roles whose unit is "the case worker's unit" of a case.
CASE_WORKER_ROLES = frozenset({Role.CASE_WORKER.value, Role.LSS_OFFICER.value})


def _with(rows: tuple[Any, ...], new: Any, key: str) -> tuple[Any, ...]:
    """Replace the row with the same ``key`` value in place, or append."""
    value = getattr(new, key)
    for n, row in enumerate(rows):
        if getattr(row, key) == value:
            return (*rows[:n], new, *rows[n + 1 :])
    return (*rows, new)


def _placement(s: CaseSummary, placement_id: uuid.UUID) -> PlacementRow | None:
    return next((p for p in s.placements if p.placement_id == placement_id), None)


def _start(s: CaseSummary, row: PlacementRow) -> CaseSummary:
    old = _placement(s, row.placement_id)
    row = attrs.evolve(row, seq=old.seq if old else len(s.placements))
    return attrs.evolve(s, placements=_with(s.placements, row, "placement_id"))


def _end(s: CaseSummary, placement_id: uuid.UUID, on: dt.date, reason: EndReason) -> CaseSummary:
    p = _placement(s, placement_id)
    if p is None:  # evolve is total: an event for a placement we never saw changes nothing
        return s
    pauses = s.interruptions_of(placement_id)
    interruptions = s.interruptions
    if pauses and pauses[-1].end_on is None:
        closed = attrs.evolve(pauses[-1], end_on=on + DAY)
        interruptions = tuple(closed if i is pauses[-1] else i for i in interruptions)
    ended = attrs.evolve(p, end_on=on, end_reason=reason.value)
    return attrs.evolve(s, placements=_with(s.placements, ended, "placement_id"), interruptions=interruptions)


def evolve_summary(s: CaseSummary, event: ev.Event, key: str) -> CaseSummary:
    """The summary after one case event; its status as the case's own fold has it (``status_after``)."""
    after = _evolve(s, event, key)
    if isinstance(event, _CASE_EVENTS):
        before = _STATUSES[s.case.status]
        status = status_after(before, event, lambda: any(p.end_on is None for p in after.placements))
        if status is not before:
            after = attrs.evolve(after, case=attrs.evolve(after.case, status=status.value))
    return after


def _evolve(s: CaseSummary, event: ev.Event, key: str) -> CaseSummary:
    c = s.case
    match event:
        case ev.CaseOpened():
            return attrs.evolve(
                s,
                case=attrs.evolve(
                    c,
                    case_id=event.case_id,
                    jurisdiction=event.jurisdiction.value,
                    municipality_code=event.municipality_code,
                    source=event.source.value,
                    opened_on=event.occurred_on,
                ),
            )
        case ev.DecisionMade():
            return _decided(s, event, key)
        case ev.DecisionReconsidered():
            return _revised(s, event.decision_id, event.outcome, event.effective_from, event.valid_to)
        case ev.AppealResolved() if event.outcome is not None and event.effective_from is not None:
            return _revised(s, event.decision_id, event.outcome, event.effective_from, event.valid_to)
        case ev.PlanEstablished():
            plan = FollowUpRow(key, len(s.follow_ups), "plan", event.occurred_on, event.next_follow_up_on)
            return attrs.evolve(s, follow_ups=(*s.follow_ups, plan))
        case ev.FollowUpRecorded():
            done = FollowUpRow(
                key, len(s.follow_ups), "follow_up", event.occurred_on, event.next_follow_up_on
            )
            return attrs.evolve(s, follow_ups=(*s.follow_ups, done))
        case ev.PlacementStarted():
            started = PlacementRow(
                key,
                event.placement_id,
                0,
                event.unit_id,
                event.kind.value,
                event.basis.kind.value,
                event.basis.decision_id,
                event.occurred_on,
                event.planned_end_on,
                event.hours_per_week,
            )
            return _start(s, started)
        case ev.PlacementExtended():
            p = _placement(s, event.placement_id)
            if p is None:
                return s
            longer = attrs.evolve(p, planned_end_on=event.new_planned_end_on)
            extension = ExtensionRow(
                key,
                len(s.extensions),
                event.placement_id,
                event.occurred_on,
                event.new_planned_end_on,
                event.authorising_decision_id,
            )
            return attrs.evolve(
                s,
                placements=_with(s.placements, longer, "placement_id"),
                extensions=(*s.extensions, extension),
            )
        case ev.PlacementInterrupted():
            pause = InterruptionRow(key, event.placement_id, len(s.interruptions), event.occurred_on)
            return attrs.evolve(s, interruptions=(*s.interruptions, pause))
        case ev.PlacementResumed():
            pauses = s.interruptions_of(event.placement_id)
            if not pauses:
                return s
            last = pauses[-1]
            back = attrs.evolve(last, end_on=event.occurred_on)
            return attrs.evolve(s, interruptions=tuple(back if i is last else i for i in s.interruptions))
        case ev.PlacementEnded():
            return _end(s, event.placement_id, event.occurred_on, event.reason)
        case ev.TransferredToLssDailyActivity():
            return _transferred(s, event, key)
        case ev.ExitedToWork():
            row = ExitRow(
                key,
                len(s.exits),
                event.occurred_on,
                "work",
                employment_form=event.employment_form.value,
                subsidy=event.subsidy.value if event.subsidy else None,
                extent_pct=event.extent_pct,
                employment_term=event.term.value if event.term else None,
                employment_ends_on=event.employment_ends_on,
                income_before=_joined(event.income_before),
                income_after=_joined(event.income_after),
            )
            return _exited(s, row)
        case ev.ExitedToStudies():
            aid = event.student_aid
            row = ExitRow(
                key,
                len(s.exits),
                event.occurred_on,
                "studies",
                study_kind=event.study_kind.value,
                extent_pct=event.extent_pct,
                student_aid=event.study_kind.student_aid_by_default if aid is None else aid,
                income_before=_joined(event.income_before),
                income_after=_joined(event.income_after),
            )
            return _exited(s, row)
        # --- #18 outcomes and attendance
        case ev.ExitedElsewhere():
            row = ExitRow(
                key,
                len(s.exits),
                event.occurred_on,
                event.destination.value,
                income_before=_joined(event.income_before),
                income_after=_joined(event.income_after),
            )
            return _exited(s, row)
        case ev.OutcomeStatusRecorded():
            status = OutcomeStatusRow(
                key,
                len(s.outcome_statuses),
                event.occurred_on,
                event.point.value,
                event.activity.value,
                event.employment_form.value if event.employment_form else None,
                _joined(event.income),
            )
            return attrs.evolve(s, outcome_statuses=(*s.outcome_statuses, status))
        case ev.AttendanceRecorded():
            return attrs.evolve(s, attendance=(*s.attendance, *_days(event, key, len(s.attendance))))
        case ev.CaseClosed():
            closed = attrs.evolve(c, closed_on=event.occurred_on, close_reason=event.reason.value)
            return attrs.evolve(s, case=closed)
        case ev.CaseReopened():
            reopened = attrs.evolve(c, closed_on=None, close_reason=None)
            return attrs.evolve(s, case=reopened)
    return s


def _decided(s: CaseSummary, e: ev.DecisionMade, key: str) -> CaseSummary:
    old = next((d for d in s.decisions if d.decision_id == e.decision_id), None)
    row = DecisionRow(
        key,
        e.decision_id,
        old.seq if old else len(s.decisions),
        e.occurred_on,
        e.outcome.value,
        e.legal_basis.jurisdiction.value,
        e.legal_basis.law,
        e.legal_basis.section,
        e.service.value,
        e.valid_from,
        e.valid_to,
    )
    decisions = _with(s.decisions, row, "decision_id")
    ended = next((d for d in decisions if d.decision_id == e.terminates_decision_id), None)
    if e.terminates_decision_id is not None and ended is not None:
        decisions = _with(decisions, attrs.evolve(ended, ended_on=e.valid_from - DAY), "decision_id")
    return attrs.evolve(s, decisions=decisions)


def _revised(
    s: CaseSummary, decision_id: uuid.UUID, outcome: DecisionOutcome, on: dt.date, valid_to: dt.date | None
) -> CaseSummary:
    """A decision reconsidered or changed on appeal, read as the case state reads it (``revised``, #12)."""
    d = next((d for d in s.decisions if d.decision_id == decision_id), None)
    if d is None:
        return s
    new, valid_from, to, ended = revised(
        d.granted, d.valid_from, d.valid_to, d.ended_on, outcome, on, valid_to
    )
    outcome_now = new.value if new else d.outcome
    row = attrs.evolve(d, outcome=outcome_now, valid_from=valid_from, valid_to=to, ended_on=ended)
    return attrs.evolve(s, decisions=_with(s.decisions, row, "decision_id"))


def _transferred(s: CaseSummary, e: ev.TransferredToLssDailyActivity, key: str) -> CaseSummary:
    before = _placement(s, e.from_placement_id)
    s = _end(s, e.from_placement_id, e.occurred_on - DAY, EndReason.TRANSFERRED)
    new = PlacementRow(
        key,
        e.placement_id,
        0,
        e.to_unit_id,
        PlacementKind.DAILY_ACTIVITY.value,
        "lss_decision",
        e.lss_decision_id,
        e.occurred_on,
        None,
        e.hours_per_week,
    )
    s = _start(s, new)
    # Moving from one daily activity to another (a unit refocusing) is not leaving; from rehabilitation it is.
    if before is not None and before.kind != PlacementKind.DAILY_ACTIVITY.value:
        s = attrs.evolve(s, exits=(*s.exits, ExitRow(key, len(s.exits), e.occurred_on, "lss_daily_activity")))
    return s


def _exited(s: CaseSummary, row: ExitRow) -> CaseSummary:
    return attrs.evolve(s, exits=(*s.exits, row))


def _joined(values: Sequence[enum.Enum] | None) -> str | None:
    """Enum values as one comma-separated column (None when not recorded, "" when recorded as none)."""
    return None if values is None else ",".join(str(v.value) for v in values)


def _days(e: ev.AttendanceRecorded, key: str, seq: int) -> list[AttendanceRow]:
    """A recorded week as one row per day named, in the order of the week."""
    named = [(d, True, None) for d in e.attended] + [(a.day, False, a.reason.value) for a in e.absences]
    named.sort(key=lambda n: n[0].offset)
    return [
        AttendanceRow(
            key, seq + i, e.placement_id, e.occurred_on, e.occurred_on + DAY * day.offset, attended, reason
        )
        for i, (day, attended, reason) in enumerate(named)
    ]


def _worker_unit(metadata: Any) -> str | None:
    # Metadata is whatever the writer stored: read it defensively, evolve never raises on a recorded event.
    actor = metadata.get("actor") if isinstance(metadata, dict) else None
    if (
        isinstance(actor, dict)
        and actor.get("role") in CASE_WORKER_ROLES
        and isinstance(actor.get("unit"), str)
    ):
        return str(actor["unit"])
    return None


CASE_TABLES = (
    Table("rehabcore_rm_case", CaseRow, "case_stream", ("case_stream",)),
    Table("rehabcore_rm_placement", PlacementRow, "case_stream", ("case_stream", "placement_id")),
    Table("rehabcore_rm_interruption", InterruptionRow, "case_stream", ("case_stream", "seq")),
    Table("rehabcore_rm_decision", DecisionRow, "case_stream", ("case_stream", "decision_id")),
    Table("rehabcore_rm_exit", ExitRow, "case_stream", ("case_stream", "seq")),
    Table("rehabcore_rm_follow_up", FollowUpRow, "case_stream", ("case_stream", "seq")),
    Table("rehabcore_rm_extension", ExtensionRow, "case_stream", ("case_stream", "seq")),
    # --- #18
    Table("rehabcore_rm_outcome_status", OutcomeStatusRow, "case_stream", ("case_stream", "seq")),
    Table("rehabcore_rm_attendance", AttendanceRow, "case_stream", ("case_stream", "seq")),
)
_CASE_TYPES = frozenset(name for name, (cls, _) in codec.EVENT_TYPES.items() if cls in ev.CASE_EVENT_TYPES)


class CaseProjection:
    """Per case stream, a :class:`CaseSummary`."""

    name: str = "cases"
    #: 5: exits keep extent, employment length, student aid and income sources; statuses after the exit and
    #: attendance kept (#18).
    #: 4: decisions reconsidered or changed on appeal read as the case state reads them (#12).
    #: 3: placement extensions kept, with their authorising decisions (``rehabcore_rm_extension``).
    #: 2: corrections and retractions applied (version 1 folded the stream as recorded).
    version: int = 5
    types: frozenset[str] | None = _CASE_TYPES
    tables: tuple[Table, ...] = CASE_TABLES

    def key(self, recorded: Recorded) -> str | None:
        """The case stream."""
        return recorded.stream_id

    def initial(self, key: str) -> CaseSummary:
        """A case not yet opened."""
        return CaseSummary(CaseRow(key))

    def evolve(self, value: CaseSummary, recorded: Recorded) -> CaseSummary:
        """The summary after one more event, with the case worker's unit from the event's metadata."""
        s = evolve_summary(value, recorded.event, recorded.stream_id)
        unit = _worker_unit(recorded.metadata)
        if unit is not None and unit != s.case.worker_unit:
            s = attrs.evolve(s, case=attrs.evolve(s.case, worker_unit=unit))
        return s

    def rederives(self, recorded: Recorded) -> bool:
        """A correction or retraction changes an earlier entry: derive the case again from its stream."""
        return isinstance(recorded.event, ev.EntryCorrected | ev.EntryRetracted)

    def rederive(self, key: str, history: Sequence[tuple[uuid.UUID, Recorded]]) -> CaseSummary:
        """The summary of the case's effective history, as ``fold_effective`` folds it.

        The case worker's unit stays that of whoever last recorded something, corrections included: it says
        who works the case, which a correction does not change.
        """
        entries = [(event_id, r.event) for event_id, r in history if isinstance(r.event, ev.CASE_EVENT_TYPES)]
        s = self.initial(key)
        for _, event in effective(entries):
            s = evolve_summary(s, event, key)
        units = (_worker_unit(r.metadata) for _, r in reversed(history))
        unit = next((u for u in units if u is not None), None)
        if unit is not None:
            s = attrs.evolve(s, case=attrs.evolve(s.case, worker_unit=unit))
        return s

    def to_rows(self, value: CaseSummary) -> tuple[tuple[Any, ...], ...]:
        """The summary as rows of the case tables."""
        return (
            (value.case,),
            value.placements,
            value.interruptions,
            value.decisions,
            value.exits,
            value.follow_ups,
            value.extensions,
            value.outcome_statuses,
            value.attendance,
        )

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> CaseSummary:
        """The summary back from its rows."""
        case, placements, interruptions, decisions, exits, follow_ups, extensions, statuses, attendance = rows
        by_seq = _by_seq
        return CaseSummary(
            case[0] if case else CaseRow(key),
            by_seq(placements),
            by_seq(interruptions),
            by_seq(decisions),
            by_seq(exits),
            by_seq(follow_ups),
            by_seq(extensions),
            by_seq(statuses),
            by_seq(attendance),
        )


def _by_seq(rows: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(sorted(rows, key=lambda r: r.seq))
