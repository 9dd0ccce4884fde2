"""IVO's quarterly report of favourable decisions not executed, from the execution projections (#11).

For one municipality and quarter: every decision reportable on some day of the quarter, and every decision
the last report sent listed as not executed, each with what IVO asks (decision date, law and section,
insats, the day three months was reached, the state at the quarter's end, executed on / ended with reason,
offers made, interim support, the reason for the delay) and what changed since the last report sent. The
lines are :func:`rehabcore.domain.ivo.quarter_lines`, which counts as the B10 warning and the watch list do.

The person is shown by the pseudonymous case reference only. Birth year and sex, which IVO's form asks for,
need the identity vault: they are left empty, and the report says so (:data:`IDENTITY_NOTE`).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable, Iterable
from typing import Protocol

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain.execution import ExecutionRecord
from rehabcore.domain.ivo import IvoState, QuarterLine, quarter_lines
from rehabcore.domain.vocabulary import DutyEndReason, Quarter, ReportedDecision, ReportedState
from rehabcore.errors import InvalidInput

IDENTITY_NOTE = (
    "birth year and sex are left empty: they come from the identity vault, which this record does not read; "
    "fill them in from the case system before sending"
)
#: The note once :func:`with_identities` filled the rows from the vault.
IDENTITY_FILLED = (
    "birth date and sex are the identity vault's; a person with protected identity is reported too, "
    "marked protected (IVO wants them in its e-service, flagged)"
)


@attrs.frozen
class IvoReportRow:
    """One decision on the report, as plain values (text, JSON and CSV print these fields)."""

    case_ref: str
    decision_id: uuid.UUID
    decided_on: dt.date
    law: str
    section: str
    version: str
    reported_under: str
    insats: str
    extent: str | None
    reached_on: dt.date
    state: str
    since: dt.date
    executed_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str | None
    offers: str
    interim_support: str
    delay_reason: str | None
    change: str
    previously_reported: str | None
    birth_year: int | None = None
    sex: str | None = None
    #: IVO identifies the person by birth date and sex (filled from the identity vault, never the number).
    birth_date: dt.date | None = None
    protected: bool = False


@attrs.frozen
class IvoReport:
    """A quarter's report for one municipality."""

    quarter: Quarter
    municipality_code: str
    rows: tuple[IvoReportRow, ...]
    #: The quarter of the last report sent before this one, and the day it was marked sent.
    previous: tuple[Quarter, dt.date] | None = None
    #: The day this quarter's report was marked sent, if it was.
    submitted_on: dt.date | None = None
    note: str = IDENTITY_NOTE

    def submission(self, submitted_on: dt.date) -> cmd.MarkIvoReportSubmitted:
        """The command that marks this report as sent on ``submitted_on``, freezing its lines."""
        return cmd.MarkIvoReportSubmitted(
            municipality_code=self.municipality_code,
            quarter=self.quarter,
            submitted_on=submitted_on,
            decisions=tuple(_reported(r) for r in self.rows),
        )


class _Person(Protocol):
    birth_date: dt.date
    protected: bool

    @property
    def legal_sex(self) -> enum.Enum: ...


def with_identities(report: IvoReport, person_of: Callable[[uuid.UUID], _Person | None]) -> IvoReport:
    """``report`` with each row's birth date, sex and protection from ``person_of(case_id)`` (the identity
    vault, through the case's subject); rows whose person is unknown stay empty, and the note says which."""
    rows = []
    for row in report.rows:
        person = person_of(uuid.UUID(row.case_ref))
        if person is None:
            rows.append(row)
            continue
        rows.append(
            attrs.evolve(
                row,
                birth_year=person.birth_date.year,
                birth_date=person.birth_date,
                sex=str(person.legal_sex.value),
                protected=person.protected,
            )
        )
    missing = sum(r.birth_date is None for r in rows)
    note = IDENTITY_FILLED + (f"; {missing} not in the vault: fill those in by hand" if missing else "")
    return attrs.evolve(report, rows=tuple(rows), note=note)


def _reported(row: IvoReportRow) -> ReportedDecision:
    return ReportedDecision(
        case_id=uuid.UUID(row.case_ref),
        decision_id=row.decision_id,
        state=ReportedState(row.state),
        since=row.since,
        reached_on=row.reached_on,
        settled_on=row.executed_on or row.ended_on,
        end_reason=DutyEndReason(row.end_reason) if row.end_reason else None,
    )


def _offers(line: QuarterLine, unit_names: dict[uuid.UUID, str]) -> str:
    parts = []
    for o in line.offers:
        text = f"{o.offered_on} {unit_names.get(o.unit_id, str(o.unit_id))} from {o.offered_from}"
        parts.append(text + (f", declined {o.declined_on}" if o.declined_on else ""))
    return "; ".join(parts)


def _row(line: QuarterLine, unit_names: dict[uuid.UUID, str]) -> IvoReportRow:
    d = line.decision
    state = line.state.value
    return IvoReportRow(
        case_ref=str(line.case_id),
        decision_id=d.decision_id,
        decided_on=d.decided_on,
        law=d.legal_basis.law,
        section=d.legal_basis.section,
        version=d.legal_basis.version,
        reported_under=line.provision,
        insats=d.service.value,
        extent=str(d.extent) if d.extent else None,
        reached_on=line.reached_on,
        state=state,
        since=line.since,
        executed_on=line.settled_on if state == "executed" else None,
        ended_on=line.settled_on if state == "ended" else None,
        end_reason=line.end_reason.value if line.end_reason else None,
        offers=_offers(line, unit_names),
        interim_support="; ".join(f"{i.given_on} {i.kind.value}" for i in line.interim),
        delay_reason=line.delay_reason.value if line.delay_reason else None,
        change=line.change.value,
        previously_reported=line.previously.state.value if line.previously else None,
    )


def municipality_of(records: Iterable[ExecutionRecord], given: str | None) -> str:
    """The municipality to report for: ``given``, or the only one the store has cases of."""
    if given is not None:
        return given
    found = sorted({r.municipality_code for r in records if r.municipality_code})
    if len(found) != 1:
        raise InvalidInput(
            "municipality_code",
            f"the store has cases of {len(found)} municipalities; name the one to report for",
        )
    return found[0]


def ivo_report(
    records: Iterable[ExecutionRecord],
    reports: Iterable[IvoState],
    quarter: Quarter,
    municipality_code: str,
    unit_names: dict[uuid.UUID, str],
) -> IvoReport:
    """The report of ``quarter`` for ``municipality_code``, compared with the last report sent before it."""
    sent = next((s for s in reports if s.municipality_code == municipality_code), IvoState())
    last = sent.last_before(quarter)
    before = {d.decision_id: d for d in last.decisions} if last else {}
    rows = [
        _row(line, unit_names)
        for r in records
        if r.municipality_code == municipality_code
        for line in quarter_lines(r, quarter, before)
    ]
    rows.sort(key=lambda row: (row.reached_on, row.case_ref, str(row.decision_id)))
    this = sent.of(quarter)
    return IvoReport(
        quarter=quarter,
        municipality_code=municipality_code,
        rows=tuple(rows),
        previous=(last.quarter, last.occurred_on) if last else None,
        submitted_on=this.occurred_on if this else None,
    )
