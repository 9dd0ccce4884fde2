"""The watch lists: decisions not executed (IVO's quarterly report), overdue follow-ups, endings near.

Each is a function of the case summaries and a date ``on``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import attrs

from rehabcore.domain.execution import ExecutionRecord, reportable, reporting_provision, standing
from rehabcore.projections.case_rows import CaseSummary, DecisionRow
from rehabcore.projections.caseload import open_on

# --- execution watch (IVO: ej verkställda beslut) -----------------------------------------------------------


@attrs.frozen(order=True)
class WatchRow:
    """A favourable LSS 9 § or SoL bistånd decision not executed, interrupted or only partly executed since
    ``since`` (``days`` before the date asked); ``reached_on`` is the day three calendar months from it."""

    law: str
    section: str
    since: dt.date
    case_id: uuid.UUID
    decision_id: uuid.UUID
    service: str
    decided_on: dt.date
    valid_from: dt.date
    state: str  # "not_executed" (never started), "interrupted" (paused or ended), "partly_executed"
    days: int
    reached_on: dt.date | None = None


def execution_watch(
    records: Iterable[ExecutionRecord], on: dt.date, threshold_days: int | None = None
) -> list[WatchRow]:
    """The decisions the law counts as reportable to IVO on ``on`` (``rehabcore.domain.execution.reportable``:
    three calendar months from the decision day or the interruption, closed cases and decisions not yet in
    force included). With ``threshold_days``, instead every such decision not executed for that many days or
    more: an earlier warning, from the same definition."""
    rows = []
    for r in records:
        if r.case_id is None:
            continue
        if threshold_days is None:
            found = reportable(r, on)
        else:
            found = [
                s
                for d in r.decisions
                if reporting_provision(d.legal_basis, d.service) is not None
                and (s := standing(r, d.decision_id, on)) is not None
                and s.state is not None
                and (on - s.since).days >= threshold_days
            ]
        for s in found:
            d = s.decision
            assert s.state is not None
            rows.append(
                WatchRow(
                    d.legal_basis.law,
                    d.legal_basis.section,
                    s.since,
                    r.case_id,
                    d.decision_id,
                    d.service.value,
                    d.decided_on,
                    d.valid_from,
                    s.state.value,
                    (on - s.since).days,
                    s.reached_on,
                )
            )
    return sorted(rows)


# --- follow-up watch ----------------------------------------------------------------------------------------


@attrs.frozen(order=True)
class OverdueRow:
    """A case with a running placement whose follow-up was due before the date asked (B14)."""

    due_on: dt.date
    case_id: uuid.UUID
    last_follow_up_on: dt.date | None
    days_overdue: int


@attrs.frozen(order=True)
class EndingRow:
    """A time-limited placement or decision that ends soon, with no follow-up in the notice period (B11)."""

    ends_on: dt.date
    case_id: uuid.UUID
    what: str  # "placement" or "decision"
    ref_id: uuid.UUID
    kind: str  # placement kind or decided service


def overdue_follow_ups(cases: Iterable[CaseSummary], on: dt.date, interval_days: int) -> list[OverdueRow]:
    """Cases whose follow-up is overdue on ``on``: the date the latest plan or follow-up set, else the
    first start (or last follow-up) plus the follow-up interval."""
    rows = []
    for s in cases:
        if s.case.case_id is None or not open_on(s, on):
            continue
        active = [p for p in s.placements if p.active(on)]
        if not active:
            continue
        last, due = _follow_up_dates(s, on)
        if due is None:
            first = min(p.start_on for p in active)
            due = max(first, last or first) + dt.timedelta(days=interval_days)
        if due < on and (last is None or last < due):
            rows.append(OverdueRow(due, s.case.case_id, last, (on - due).days))
    return sorted(rows)


def _follow_up_dates(s: CaseSummary, on: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The last follow-up by ``on``, and the due date the latest plan or follow-up by ``on`` set."""
    known = [f for f in s.follow_ups if f.occurred_on <= on]
    last = max((f.occurred_on for f in known if f.kind == "follow_up"), default=None)
    # Plans first, then follow-ups, each in recorded order; the first with the latest date wins, as in
    # CaseState.next_follow_up_on.
    dated = [f for f in known if f.kind == "plan"] + [
        f for f in known if f.kind == "follow_up" and f.next_due_on
    ]
    latest = max(dated, key=lambda f: f.occurred_on) if dated else None
    return last, latest.next_due_on if latest else None


def ending_without_follow_up(cases: Iterable[CaseSummary], on: dt.date, notice_days: int) -> list[EndingRow]:
    """Placements planned to end, and time-limited decisions ending, within ``notice_days`` of ``on``,
    with no follow-up since the notice period began (and, for decisions, no new decision after)."""
    notice = dt.timedelta(days=notice_days)
    rows = []
    for s in cases:
        if s.case.case_id is None or not open_on(s, on):
            continue
        last, _ = _follow_up_dates(s, on)
        for p in s.placements:
            end = p.planned_end_on
            if (
                p.active(on)
                and end is not None
                and on <= end <= on + notice
                and not _followed(last, end, notice)
            ):
                rows.append(EndingRow(end, s.case.case_id, "placement", p.placement_id, p.kind))
        for d in s.decisions:
            end = d.last_day
            if not d.in_force(on) or end is None or d.ended_on is not None or end - on > notice:
                continue
            if not _followed(last, end, notice) and not _renewed(s, d, end):
                rows.append(EndingRow(end, s.case.case_id, "decision", d.decision_id, d.service))
    return sorted(rows, key=lambda r: (r.ends_on, str(r.case_id), r.what, str(r.ref_id)))


def _followed(last: dt.date | None, end: dt.date, notice: dt.timedelta) -> bool:
    return last is not None and last >= end - notice


def _renewed(s: CaseSummary, d: DecisionRow, end: dt.date) -> bool:
    return any(o.granted and o.service == d.service and o.valid_from > end for o in s.decisions)
