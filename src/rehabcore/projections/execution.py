"""The execution projections (#11): per case the domain's own ``ExecutionRecord``, per municipality the
reports sent to IVO.

The case's record is folded by :func:`rehabcore.domain.execution.evolve_execution`, the very function the
case's own fold runs (``CaseState.execution``), so the watch list and IVO's report read what the B10 warning
reads. A correction or retraction derives the record again from the case's effective history, as
``Cases.get`` does. The rows below are the SQL tables (``rehabcore_rm_exec_*``, ``rehabcore_rm_ivo_*``);
they are made on first use, beside the case, unit and place tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import attrs

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.corrections import effective
from rehabcore.domain.execution import (
    DecisionFacts,
    ExecutionRecord,
    InterimSupport,
    OfferFacts,
    PlacementFacts,
    evolve_execution,
)
from rehabcore.domain.ivo import IvoState, evolve_ivo
from rehabcore.domain.vocabulary import (
    DecisionOutcome,
    DutyEndReason,
    Extent,
    ExtentUnit,
    InterimSupportKind,
    Jurisdiction,
    LegalBasis,
    Quarter,
    ReportedDecision,
    ReportedState,
    ServiceKind,
)
from rehabcore.projections.base import Table
from rehabcore.streams import Recorded


@attrs.frozen
class ExecCaseRow:
    """One row per case (``rehabcore_rm_exec_case``)."""

    case_stream: str
    case_id: uuid.UUID | None = None
    municipality_code: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None


@attrs.frozen
class ExecDecisionRow:
    """A decision as the duty reads it (``rehabcore_rm_exec_decision``)."""

    case_stream: str
    decision_id: uuid.UUID
    seq: int
    decided_on: dt.date
    outcome: str
    jurisdiction: str
    law: str
    section: str
    version: str
    service: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    extent_unit: str | None = None
    extent_amount: int | None = None
    terminated_after: dt.date | None = None
    duty_ended_on: dt.date | None = None
    duty_end_reason: str | None = None


@attrs.frozen
class ExecPlacementRow:
    """A placement's days and extent (``rehabcore_rm_exec_placement``)."""

    case_stream: str
    placement_id: uuid.UUID
    seq: int
    start_on: dt.date
    hours_per_week: int
    days_per_week: int | None = None
    end_on: dt.date | None = None


@attrs.frozen
class ExecPauseRow:
    """A pause of a placement, ``start_on`` until ``end_on`` excl. (``rehabcore_rm_exec_pause``)."""

    case_stream: str
    placement_id: uuid.UUID
    seq: int
    start_on: dt.date
    end_on: dt.date | None = None


@attrs.frozen
class ExecLinkRow:
    """A placement executes a decision from ``from_on`` (``rehabcore_rm_exec_link``)."""

    case_stream: str
    placement_id: uuid.UUID
    seq: int
    decision_id: uuid.UUID
    from_on: dt.date


@attrs.frozen
class ExecInterimRow:
    """Interim support given for a decision (``rehabcore_rm_exec_interim``)."""

    case_stream: str
    seq: int
    decision_id: uuid.UUID
    given_on: dt.date
    kind: str


@attrs.frozen
class ExecOfferRow:
    """An offer of a place for a decision (``rehabcore_rm_exec_offer``)."""

    case_stream: str
    offer_id: uuid.UUID
    seq: int
    unit_id: uuid.UUID
    offered_on: dt.date
    offered_from: dt.date
    decision_id: uuid.UUID | None = None
    declined_on: dt.date | None = None


EXECUTION_TABLES = (
    Table("rehabcore_rm_exec_case", ExecCaseRow, "case_stream", ("case_stream",)),
    Table("rehabcore_rm_exec_decision", ExecDecisionRow, "case_stream", ("case_stream", "decision_id")),
    Table("rehabcore_rm_exec_placement", ExecPlacementRow, "case_stream", ("case_stream", "placement_id")),
    Table("rehabcore_rm_exec_pause", ExecPauseRow, "case_stream", ("case_stream", "placement_id", "seq")),
    Table("rehabcore_rm_exec_link", ExecLinkRow, "case_stream", ("case_stream", "placement_id", "seq")),
    Table("rehabcore_rm_exec_interim", ExecInterimRow, "case_stream", ("case_stream", "seq")),
    Table("rehabcore_rm_exec_offer", ExecOfferRow, "case_stream", ("case_stream", "offer_id")),
)
_CASE_TYPES = frozenset(name for name, (cls, _) in codec.EVENT_TYPES.items() if cls in ev.CASE_EVENT_TYPES)


def _decision_rows(key: str, r: ExecutionRecord) -> tuple[ExecDecisionRow, ...]:
    return tuple(
        ExecDecisionRow(
            key,
            d.decision_id,
            n,
            d.decided_on,
            d.outcome.value,
            d.legal_basis.jurisdiction.value,
            d.legal_basis.law,
            d.legal_basis.section,
            d.legal_basis.version,
            d.service.value,
            d.valid_from,
            d.valid_to,
            d.extent.unit.value if d.extent else None,
            d.extent.amount if d.extent else None,
            d.terminated_after,
            d.duty_ended_on,
            d.duty_end_reason.value if d.duty_end_reason else None,
        )
        for n, d in enumerate(r.decisions)
    )


def _decision(row: ExecDecisionRow) -> DecisionFacts:
    extent = None
    if row.extent_unit is not None and row.extent_amount is not None:
        extent = Extent(ExtentUnit(row.extent_unit), row.extent_amount)
    return DecisionFacts(
        decision_id=row.decision_id,
        decided_on=row.decided_on,
        outcome=DecisionOutcome(row.outcome),
        legal_basis=LegalBasis(Jurisdiction(row.jurisdiction), row.law, row.section, row.version),
        service=ServiceKind(row.service),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        extent=extent,
        terminated_after=row.terminated_after,
        duty_ended_on=row.duty_ended_on,
        duty_end_reason=DutyEndReason(row.duty_end_reason) if row.duty_end_reason else None,
    )


class ExecutionProjection:
    """Per case stream, the :class:`~rehabcore.domain.execution.ExecutionRecord` the duty is read from."""

    name: str = "execution"
    version: int = 1
    types: frozenset[str] | None = _CASE_TYPES
    tables: tuple[Table, ...] = EXECUTION_TABLES

    def key(self, recorded: Recorded) -> str | None:
        """The case stream."""
        return recorded.stream_id if recorded.stream_id.startswith("case-") else None

    def initial(self, key: str) -> ExecutionRecord:
        """A case with nothing recorded."""
        return ExecutionRecord()

    def evolve(self, value: ExecutionRecord, recorded: Recorded) -> ExecutionRecord:
        """The record after one more event: the domain's own fold."""
        return evolve_execution(value, recorded.event)

    def rederives(self, recorded: Recorded) -> bool:
        """A correction or retraction changes an earlier entry: derive the record again."""
        return isinstance(recorded.event, ev.EntryCorrected | ev.EntryRetracted)

    def rederive(self, key: str, history: Sequence[tuple[uuid.UUID, Recorded]]) -> ExecutionRecord:
        """The record of the case's effective history, as ``fold_effective`` reads it."""
        entries = [(event_id, r.event) for event_id, r in history if isinstance(r.event, ev.CASE_EVENT_TYPES)]
        record = ExecutionRecord()
        for _, event in effective(entries):
            record = evolve_execution(record, event)
        return record

    def to_rows(self, value: ExecutionRecord) -> tuple[tuple[Any, ...], ...]:
        """The record as rows of the seven tables (none for a stream that is not a case yet)."""
        if value.case_id is None:
            return ((), (), (), (), (), (), ())
        key = f"case-{value.case_id}"
        placements = tuple(
            ExecPlacementRow(key, p.placement_id, n, p.start_on, p.hours_per_week, p.days_per_week, p.end_on)
            for n, p in enumerate(value.placements)
        )
        pauses = tuple(
            ExecPauseRow(key, p.placement_id, n, a, b)
            for p in value.placements
            for n, (a, b) in enumerate(p.pauses)
        )
        links = tuple(
            ExecLinkRow(key, p.placement_id, n, d, f)
            for p in value.placements
            for n, (d, f) in enumerate(p.executes)
        )
        return (
            (ExecCaseRow(key, value.case_id, value.municipality_code, value.opened_on, value.closed_on),),
            _decision_rows(key, value),
            placements,
            pauses,
            links,
            tuple(
                ExecInterimRow(key, n, i.decision_id, i.given_on, i.kind.value)
                for n, i in enumerate(value.interim)
            ),
            tuple(
                ExecOfferRow(
                    key, o.offer_id, n, o.unit_id, o.offered_on, o.offered_from, o.decision_id, o.declined_on
                )
                for n, o in enumerate(value.offers)
            ),
        )

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> ExecutionRecord:
        """The record back from its rows."""
        case, decisions, placements, pauses, links, interim, offers = (
            sorted(t, key=lambda r: getattr(r, "seq", 0)) for t in rows
        )
        if not case:
            return ExecutionRecord()
        c = case[0]
        return ExecutionRecord(
            case_id=c.case_id,
            municipality_code=c.municipality_code,
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            decisions=tuple(_decision(d) for d in decisions),
            placements=tuple(
                PlacementFacts(
                    placement_id=p.placement_id,
                    start_on=p.start_on,
                    hours_per_week=p.hours_per_week,
                    days_per_week=p.days_per_week,
                    end_on=p.end_on,
                    pauses=tuple((x.start_on, x.end_on) for x in pauses if x.placement_id == p.placement_id),
                    executes=tuple(
                        (x.decision_id, x.from_on) for x in links if x.placement_id == p.placement_id
                    ),
                )
                for p in placements
            ),
            interim=tuple(
                InterimSupport(
                    decision_id=i.decision_id, given_on=i.given_on, kind=InterimSupportKind(i.kind)
                )
                for i in interim
            ),
            offers=tuple(
                OfferFacts(
                    offer_id=o.offer_id,
                    decision_id=o.decision_id,
                    unit_id=o.unit_id,
                    offered_on=o.offered_on,
                    offered_from=o.offered_from,
                    declined_on=o.declined_on,
                )
                for o in offers
            ),
        )


# --- reports sent to IVO ------------------------------------------------------------------------------------


@attrs.frozen
class IvoSubmissionRow:
    """A quarter's report marked as sent (``rehabcore_rm_ivo_submission``)."""

    ivo_stream: str
    quarter: str
    seq: int
    municipality_code: str
    submitted_on: dt.date


@attrs.frozen
class IvoSentRow:
    """A decision as a sent report listed it (``rehabcore_rm_ivo_sent``)."""

    ivo_stream: str
    quarter: str
    seq: int
    case_id: uuid.UUID
    decision_id: uuid.UUID
    state: str
    since: dt.date
    reached_on: dt.date
    settled_on: dt.date | None = None
    end_reason: str | None = None


IVO_TABLES = (
    Table("rehabcore_rm_ivo_submission", IvoSubmissionRow, "ivo_stream", ("ivo_stream", "quarter")),
    Table("rehabcore_rm_ivo_sent", IvoSentRow, "ivo_stream", ("ivo_stream", "quarter", "seq")),
)


class IvoReportsProjection:
    """Per municipality IVO stream, the reports marked as sent (an ``IvoState``)."""

    name: str = "ivo_reports"
    version: int = 1
    types: frozenset[str] | None = frozenset(
        name for name, (cls, _) in codec.EVENT_TYPES.items() if cls is ev.IvoReportSubmitted
    )
    tables: tuple[Table, ...] = IVO_TABLES

    def key(self, recorded: Recorded) -> str | None:
        """The IVO stream."""
        return recorded.stream_id if recorded.stream_id.startswith("ivo-") else None

    def initial(self, key: str) -> IvoState:
        """No report sent."""
        return IvoState()

    def evolve(self, value: IvoState, recorded: Recorded) -> IvoState:
        """One more report sent."""
        event = recorded.event
        return evolve_ivo(value, event) if isinstance(event, ev.IvoReportSubmitted) else value

    def to_rows(self, value: IvoState) -> tuple[tuple[Any, ...], ...]:
        """The reports as rows."""
        if value.municipality_code is None:
            return ((), ())
        key = f"ivo-{value.municipality_code}"
        return (
            tuple(
                IvoSubmissionRow(key, str(s.quarter), n, s.municipality_code, s.occurred_on)
                for n, s in enumerate(value.submitted)
            ),
            tuple(
                IvoSentRow(
                    key,
                    str(s.quarter),
                    n,
                    d.case_id,
                    d.decision_id,
                    d.state.value,
                    d.since,
                    d.reached_on,
                    d.settled_on,
                    d.end_reason.value if d.end_reason else None,
                )
                for s in value.submitted
                for n, d in enumerate(s.decisions)
            ),
        )

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> IvoState:
        """The reports back from their rows."""
        submissions, sent = (sorted(t, key=lambda r: (r.quarter, r.seq)) for t in rows)
        state = IvoState()
        for s in sorted(submissions, key=lambda r: r.seq):
            decisions = tuple(
                ReportedDecision(
                    case_id=d.case_id,
                    decision_id=d.decision_id,
                    state=ReportedState(d.state),
                    since=d.since,
                    reached_on=d.reached_on,
                    settled_on=d.settled_on,
                    end_reason=DutyEndReason(d.end_reason) if d.end_reason else None,
                )
                for d in sent
                if d.quarter == s.quarter
            )
            event = ev.IvoReportSubmitted(
                occurred_on=s.submitted_on,
                municipality_code=s.municipality_code,
                quarter=Quarter.parse(s.quarter),
                decisions=decisions,
            )
            state = evolve_ivo(state, event)
        return state
