"""The read models: caseload, occupancy, waiting, outcomes, execution watch and follow-up watch.

Each is a function of the projected summaries and, where it says so, a date ``on``: the situation on that
business date. The same functions serve the memory and the SQL back-ends (the SQL tables are also there to
be queried directly; ``docs/projections.md`` documents them). Results are frozen rows in a stable order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
import uuid
from collections import Counter
from collections.abc import Iterable

import attrs

from rehabcore.domain.state import CaseStatus
from rehabcore.projections.case_summary import DAY, CaseSummary, DecisionRow, ExitRow, PlacementRow
from rehabcore.projections.unit_summary import PlaceRow, UnitSummary

NONE = "-"
_PROGRAMME_OF_KIND = {
    "work_training": "work_rehabilitation",
    "internship": "work_rehabilitation",
    "work_assessment": "work_rehabilitation",
    "daily_activity": "lss_daily_activity",
    "occupation": "sol_occupation",
    "dk_protected_employment": "dk_protected_employment",
    "dk_activity": "dk_activity",
}
_PROGRAMME_OF_SERVICE = {
    "work_rehabilitation": "work_rehabilitation",
    "required_activity": "work_rehabilitation",
    "lss_daily_activity": "lss_daily_activity",
    "sol_occupation": "sol_occupation",
    "dk_protected_employment": "dk_protected_employment",
    "dk_activity": "dk_activity",
}
#: Laws whose unexecuted decisions are reported to IVO (LSS 28 f §, SoL): matched on LegalBasis.law.
WATCHED_LAWS = frozenset({"LSS", "SoL"})


def programme(s: CaseSummary) -> str:
    """The programme a case is in: its latest placement's, else its latest granted decision's, else none."""
    if s.placements:
        latest = max(s.placements, key=lambda p: (p.start_on, p.seq))
        return _PROGRAMME_OF_KIND.get(latest.kind, latest.kind)
    granted = [d for d in s.decisions if d.granted]
    if granted:
        decision = max(granted, key=lambda d: (d.valid_from, d.seq))
        return _PROGRAMME_OF_SERVICE.get(decision.service, decision.service)
    return NONE


def open_on(s: CaseSummary, on: dt.date) -> bool:
    """Opened by ``on`` and not closed by then."""
    c = s.case
    if c.opened_on is None or c.opened_on > on:
        return False
    return not (c.status == CaseStatus.CLOSED.value and c.closed_on is not None and c.closed_on <= on)


# --- caseload -----------------------------------------------------------------------------------------------


@attrs.frozen(order=True)
class CaseloadRow:
    """Cases by status, programme, case worker's unit and the unit of an open placement (now)."""

    status: str
    programme: str
    worker_unit: str
    unit: str
    cases: int


def caseload(cases: Iterable[CaseSummary], unit_names: dict[uuid.UUID, str]) -> list[CaseloadRow]:
    """Cases as recorded now; a case with open placements at two units counts at each."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for s in cases:
        if s.case.status == CaseStatus.NOT_OPENED.value:
            continue
        units = sorted({_unit_name(p.unit_id, unit_names) for p in s.placements if p.end_on is None}) or [
            NONE
        ]
        for unit in units:
            counts[(s.case.status, programme(s), s.case.worker_unit or NONE, unit)] += 1
    return sorted(CaseloadRow(*key, n) for key, n in counts.items())


def _unit_name(unit_id: uuid.UUID | None, names: dict[uuid.UUID, str]) -> str:
    if unit_id is None:
        return NONE
    return names.get(unit_id, str(unit_id))


# --- occupancy and waiting ----------------------------------------------------------------------------------


@attrs.frozen(order=True)
class OccupancyRow:
    """A unit's places on a date: how many, how many held, how many free."""

    unit: str
    unit_id: uuid.UUID
    kind: str
    places: int
    occupied: int
    free: int


def occupancy(units: Iterable[UnitSummary], places: Iterable[PlaceRow], on: dt.date) -> list[OccupancyRow]:
    """Every registered unit on ``on`` (free is never negative; occupied may exceed places by override)."""
    held = Counter(p.unit_id for p in places if p.held(on))
    rows = []
    for u in units:
        if u.unit.unit_id is None or u.unit.registered_on is None:
            continue
        purpose = u.purpose_on(on)
        capacity = u.capacity_on(on)
        occupied = held[u.unit.unit_id]
        rows.append(
            OccupancyRow(
                u.unit.name or str(u.unit.unit_id),
                u.unit.unit_id,
                purpose.kind if purpose else NONE,
                capacity,
                occupied,
                max(capacity - occupied, 0),
            )
        )
    return sorted(rows)


@attrs.frozen(order=True)
class PlacedRow:
    """A person placed at a unit on a date (the case, not the person: no personal data)."""

    unit: str
    case_id: uuid.UUID
    placement_id: uuid.UUID
    kind: str
    basis_kind: str
    decision_id: uuid.UUID | None
    interrupted: bool


def placed(cases: Iterable[CaseSummary], unit_names: dict[uuid.UUID, str], on: dt.date) -> list[PlacedRow]:
    """Every placement running on ``on`` (interrupted ones included and marked)."""
    rows = []
    for s in cases:
        if s.case.case_id is None:
            continue
        for p in s.placements:
            if p.active(on):
                paused = any(i.covers(on) for i in s.interruptions_of(p.placement_id))
                rows.append(
                    PlacedRow(
                        _unit_name(p.unit_id, unit_names),
                        s.case.case_id,
                        p.placement_id,
                        p.kind,
                        p.basis_kind,
                        p.decision_id,
                        paused,
                    )
                )
    return sorted(rows, key=lambda r: (r.unit, str(r.case_id), str(r.placement_id)))


@attrs.frozen
class Gap:
    """A granted decision in force on a date and not executed then: since when, and whether it ever was."""

    since: dt.date
    ever_executed: bool
    interrupted: bool


def execution_gap(s: CaseSummary, d: DecisionRow, on: dt.date) -> Gap | None:
    """None when a placement on the decision runs (not paused) on ``on``; else the gap that reaches ``on``."""
    executing = [p for p in s.placements if p.decision_id == d.decision_id and p.start_on <= on]
    stopped: list[dt.date] = []
    interrupted = False
    for p in executing:
        pauses = s.interruptions_of(p.placement_id)
        if p.active(on):
            current = [i for i in pauses if i.covers(on)]
            if not current:
                return None
            interrupted = True
            stopped.append(current[0].start_on)
        else:
            assert p.end_on is not None  # started by ``on`` and not active: it ended before
            stopped.append(p.end_on + DAY)
    return Gap(max([d.valid_from, *stopped]), bool(executing), interrupted)


@attrs.frozen(order=True)
class WaitingRow:
    """A granted decision in force with no placement running on it: the person waits for a place."""

    service: str
    since: dt.date
    case_id: uuid.UUID
    decision_id: uuid.UUID
    days: int


def waiting(cases: Iterable[CaseSummary], on: dt.date) -> list[WaitingRow]:
    """Everyone waiting on ``on`` for a place their decision grants (never placed, or placed and stopped)."""
    rows = []
    for s in cases:
        if s.case.case_id is None or not open_on(s, on):
            continue
        for d in s.decisions:
            if d.in_force(on):
                gap = execution_gap(s, d, on)
                if gap is not None and not gap.interrupted:
                    rows.append(
                        WaitingRow(d.service, gap.since, s.case.case_id, d.decision_id, (on - gap.since).days)
                    )
    return sorted(rows)


# --- execution watch (IVO: ej verkställda beslut) -----------------------------------------------------------


@attrs.frozen(order=True)
class WatchRow:
    """An LSS or SoL decision granted but not executed, or interrupted, for ``days`` on the date asked."""

    law: str
    section: str
    since: dt.date
    case_id: uuid.UUID
    decision_id: uuid.UUID
    service: str
    decided_on: dt.date
    valid_from: dt.date
    state: str  # "not_executed" (never started), "interrupted" (paused or ended)
    days: int


def execution_watch(cases: Iterable[CaseSummary], on: dt.date, threshold_days: int) -> list[WatchRow]:
    """Decisions in force on ``on`` without execution for ``threshold_days`` or more (B10, IVO 3 months)."""
    rows = []
    for s in cases:
        if s.case.case_id is None or not open_on(s, on):
            continue
        for d in s.decisions:
            if d.law not in WATCHED_LAWS or not d.in_force(on):
                continue
            gap = execution_gap(s, d, on)
            if gap is None or (on - gap.since).days < threshold_days:
                continue
            state = "interrupted" if gap.ever_executed else "not_executed"
            rows.append(
                WatchRow(
                    d.law,
                    d.section,
                    gap.since,
                    s.case.case_id,
                    d.decision_id,
                    d.service,
                    d.decided_on,
                    d.valid_from,
                    state,
                    (on - gap.since).days,
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


# --- outcomes -----------------------------------------------------------------------------------------------


@attrs.frozen(order=True)
class ExitCount:
    """Exits in a period by destination (work by employment form, studies by kind, LSS, other by reason)."""

    period: str
    destination: str
    detail: str
    exits: int


@attrs.frozen(order=True)
class ShareRow:
    """Of the people who started in a programme at least N months before the date asked, how many left
    for work or studies within N months of starting."""

    programme: str
    months: int
    started: int
    exited_to_work_or_studies: int

    @property
    def share(self) -> float | None:
        """The share, or None with nobody started."""
        return self.exited_to_work_or_studies / self.started if self.started else None


@attrs.frozen
class Outcomes:
    """Exits per period, shares within 6 and 12 months, and the median days from referral to exit."""

    exits: tuple[ExitCount, ...]
    shares: tuple[ShareRow, ...]
    median_days_to_exit: float | None
    exits_counted: int


def exits_of(s: CaseSummary) -> list[ExitRow]:
    """A case's exits; a case closed with none recorded counts as one exit to ``other`` on its closing day."""
    if s.exits:
        return list(s.exits)
    c = s.case
    if c.status == CaseStatus.CLOSED.value and c.closed_on is not None:
        return [ExitRow(c.case_stream, 0, c.closed_on, "other")]
    return []


def _detail(e: ExitRow, s: CaseSummary) -> str:
    if e.destination == "work":
        return e.employment_form or NONE
    if e.destination == "studies":
        return e.study_kind or NONE
    if e.destination == "other":
        return s.case.close_reason or NONE
    return NONE


def period_of(day: dt.date, period: str) -> str:
    """``2025-10`` (month), ``2025-Q4`` (quarter) or ``2025`` (year)."""
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def outcomes(cases: Iterable[CaseSummary], on: dt.date, period: str = "quarter") -> Outcomes:
    """Exits up to ``on``; shares for people whose 6 or 12 months after their first start have passed."""
    counts: Counter[tuple[str, str, str]] = Counter()
    started: Counter[tuple[str, int]] = Counter()
    succeeded: Counter[tuple[str, int]] = Counter()
    durations: list[int] = []
    for s in cases:
        for e in exits_of(s):
            if e.exit_on <= on:
                counts[(period_of(e.exit_on, period), e.destination, _detail(e, s))] += 1
                if s.case.opened_on is not None:
                    durations.append((e.exit_on - s.case.opened_on).days)
        _shares(s, on, started, succeeded)
    shares = tuple(
        ShareRow(prog, months, n, succeeded[(prog, months)]) for (prog, months), n in sorted(started.items())
    )
    return Outcomes(
        tuple(sorted(ExitCount(*key, n) for key, n in counts.items())),
        shares,
        statistics.median(durations) if durations else None,
        len(durations),
    )


def _shares(
    s: CaseSummary, on: dt.date, started: Counter[tuple[str, int]], succeeded: Counter[tuple[str, int]]
) -> None:
    first = _first_placement(s)
    if first is None:
        return
    prog = _PROGRAMME_OF_KIND.get(first.kind, first.kind)
    for months in (6, 12):
        window_end = add_months(first.start_on, months)
        if window_end > on:
            continue
        started[(prog, months)] += 1
        if any(
            e.destination in ("work", "studies") and first.start_on <= e.exit_on <= window_end
            for e in s.exits
        ):
            succeeded[(prog, months)] += 1


def _first_placement(s: CaseSummary) -> PlacementRow | None:
    return min(s.placements, key=lambda p: (p.start_on, p.seq), default=None)
