"""The rows the case projection keeps: per case, its placements, pauses, decisions, exits, follow-ups and
placement extensions.

These are both the projection's state and, one class per table, the SQL read-model tables (the fields are
the columns). Enum values are kept as their stored strings, so the rows are plain SQL values.
"""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from rehabcore.domain.state import CaseStatus

DAY = dt.timedelta(days=1)


@attrs.frozen
class CaseRow:
    """One row per case (table ``rehabcore_rm_case``)."""

    case_stream: str
    case_id: uuid.UUID | None = None
    status: str = CaseStatus.NOT_OPENED.value
    jurisdiction: str | None = None
    municipality_code: str | None = None
    source: str | None = None
    #: The unit of the case worker (or LSS officer) who last recorded something in the case.
    worker_unit: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    close_reason: str | None = None


@attrs.frozen
class PlacementRow:
    """A placement of a case (``rehabcore_rm_placement``); ``end_on`` is its last day."""

    case_stream: str
    placement_id: uuid.UUID
    seq: int
    unit_id: uuid.UUID
    kind: str
    basis_kind: str
    decision_id: uuid.UUID | None
    start_on: dt.date
    planned_end_on: dt.date | None
    hours_per_week: int
    end_on: dt.date | None = None
    end_reason: str | None = None

    def active(self, on: dt.date) -> bool:
        """Running on ``on`` (an interrupted placement still holds its place)."""
        return self.start_on <= on and (self.end_on is None or on <= self.end_on)


@attrs.frozen
class ExtensionRow:
    """A placement's planned end moved later (``rehabcore_rm_extension``), by the decision that authorised it.

    The authorising decision is executed by the placement it extends, as the decision the placement was
    started on is: a work-rehabilitation placement continued under a new SoL decision is not "waiting".
    """

    case_stream: str
    seq: int
    placement_id: uuid.UUID
    extended_on: dt.date
    new_planned_end_on: dt.date
    decision_id: uuid.UUID | None = None


@attrs.frozen
class InterruptionRow:
    """A pause of a placement (``rehabcore_rm_interruption``): from ``start_on`` until ``end_on`` (excl.)."""

    case_stream: str
    placement_id: uuid.UUID
    seq: int
    start_on: dt.date
    end_on: dt.date | None = None

    def covers(self, on: dt.date) -> bool:
        """Paused on ``on``."""
        return self.start_on <= on and (self.end_on is None or on < self.end_on)


@attrs.frozen
class DecisionRow:
    """A decision of a case (``rehabcore_rm_decision``), its legal basis as data."""

    case_stream: str
    decision_id: uuid.UUID
    seq: int
    decided_on: dt.date
    outcome: str
    jurisdiction: str
    law: str
    section: str
    service: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    #: The day before a later decision that terminated it took effect.
    ended_on: dt.date | None = None

    @property
    def granted(self) -> bool:
        """Granted in whole or in part."""
        return self.outcome in ("grant", "partial")

    @property
    def last_day(self) -> dt.date | None:
        """The last day in force; None while in force until further notice."""
        ends = [d for d in (self.valid_to, self.ended_on) if d is not None]
        return min(ends) if ends else None

    def in_force(self, on: dt.date) -> bool:
        """Granted and valid on ``on``."""
        last = self.last_day
        return self.granted and self.valid_from <= on and (last is None or on <= last)


@attrs.frozen
class ExitRow:
    """The person left (``rehabcore_rm_exit``): for ``work``, ``studies``, ``lss_daily_activity`` or, from
    #18, where an ``ExitElsewhere`` says (``job_seeker_af``, ``sick_leave``, ``moved`` …)."""

    case_stream: str
    seq: int
    exit_on: dt.date
    destination: str
    employment_form: str | None = None
    subsidy: str | None = None
    study_kind: str | None = None
    # --- #18 (cases v5, projection schema 3)
    extent_pct: int | None = None
    #: ``permanent`` or ``fixed_term`` (with its last day); None when the exit did not say.
    employment_term: str | None = None
    employment_ends_on: dt.date | None = None
    #: Studies that give the right to student aid, as recorded or as the kind has it.
    student_aid: bool | None = None
    #: Income sources (``IncomeSource`` values) before the programme and after it, comma-separated.
    income_before: str | None = None
    income_after: str | None = None


@attrs.frozen
class FollowUpRow:
    """A plan or a follow-up (``rehabcore_rm_follow_up``): when, and when the next follow-up is due."""

    case_stream: str
    seq: int
    kind: str  # "plan" or "follow_up"
    occurred_on: dt.date
    next_due_on: dt.date | None = None


@attrs.frozen
class OutcomeStatusRow:
    """How it went after the exit (``rehabcore_rm_outcome_status``, #18): at ``point`` (``one_month``,
    ``six_months``, ``twelve_months``), what the person did and lived on (comma-separated)."""

    case_stream: str
    seq: int
    followed_up_on: dt.date
    point: str
    activity: str
    employment_form: str | None = None
    income: str | None = None


@attrs.frozen
class AttendanceRow:
    """One day of a recorded week at a placement (``rehabcore_rm_attendance``, #18): attended, or away with a
    reason (an ``AbsenceReason`` value)."""

    case_stream: str
    seq: int
    placement_id: uuid.UUID
    week_of: dt.date
    day_on: dt.date
    attended: bool
    absence_reason: str | None = None


@attrs.frozen
class CaseSummary:
    """What the read models keep of one case."""

    case: CaseRow
    placements: tuple[PlacementRow, ...] = ()
    interruptions: tuple[InterruptionRow, ...] = ()
    decisions: tuple[DecisionRow, ...] = ()
    exits: tuple[ExitRow, ...] = ()
    follow_ups: tuple[FollowUpRow, ...] = ()
    extensions: tuple[ExtensionRow, ...] = ()
    # --- #18
    outcome_statuses: tuple[OutcomeStatusRow, ...] = ()
    attendance: tuple[AttendanceRow, ...] = ()

    def interruptions_of(self, placement_id: uuid.UUID) -> list[InterruptionRow]:
        """A placement's pauses, oldest first."""
        return [i for i in self.interruptions if i.placement_id == placement_id]

    def executing(self, d: DecisionRow, on: dt.date) -> list[PlacementRow]:
        """The placements started by ``on`` that execute decision ``d``: those started on it, and those
        whose extension it authorised by ``on``."""
        extended = {
            x.placement_id for x in self.extensions if x.decision_id == d.decision_id and x.extended_on <= on
        }
        return [
            p
            for p in self.placements
            if p.start_on <= on and (p.decision_id == d.decision_id or p.placement_id in extended)
        ]
