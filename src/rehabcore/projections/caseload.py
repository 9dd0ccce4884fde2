"""Caseload, occupancy, who is placed and who waits: the read models of who is where.

Each is a function of the projected summaries and, where it says so, a date ``on``: the situation on that
business date. The same functions serve the memory and the SQL back-ends (the SQL tables are also there to
be queried directly; ``docs/projections.md`` documents them). Results are frozen rows in a stable order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable

import attrs

from rehabcore.domain.execution import ExecutionRecord, standing
from rehabcore.domain.state import CaseStatus
from rehabcore.domain.vocabulary import ReportedState
from rehabcore.projections.case_rows import CaseSummary
from rehabcore.projections.unit_summary import CLOSED, PlaceRow, UnitSummary

NONE = "-"
PROGRAMME_OF_KIND = {
    "work_training": "work_rehabilitation",
    "internship": "work_rehabilitation",
    "work_assessment": "work_rehabilitation",
    "daily_activity": "lss_daily_activity",
    "occupation": "sol_occupation",
    "dk_protected_employment": "dk_protected_employment",
    "dk_activity": "dk_activity",
}
PROGRAMME_OF_SERVICE = {
    "work_rehabilitation": "work_rehabilitation",
    "required_activity": "work_rehabilitation",
    "lss_daily_activity": "lss_daily_activity",
    "sol_occupation": "sol_occupation",
    "dk_protected_employment": "dk_protected_employment",
    "dk_activity": "dk_activity",
}


def programme(s: CaseSummary) -> str:
    """The programme a case is in: its latest placement's, else its latest granted decision's, else none."""
    if s.placements:
        latest = max(s.placements, key=lambda p: (p.start_on, p.seq))
        return PROGRAMME_OF_KIND.get(latest.kind, latest.kind)
    granted = [d for d in s.decisions if d.granted]
    if granted:
        decision = max(granted, key=lambda d: (d.valid_from, d.seq))
        return PROGRAMME_OF_SERVICE.get(decision.service, decision.service)
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


def _closed(u: UnitSummary, on: dt.date) -> bool:
    return u.closed_on is not None and u.closed_on <= on


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
                CLOSED if _closed(u, on) else purpose.kind if purpose else NONE,  # #18: a closed unit says so
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
    """A favourable decision not (fully) executed on a date: since when, whether it ever was executed, and
    whether a place is held for it (a placement paused)."""

    since: dt.date
    ever_executed: bool
    interrupted: bool


def execution_gap(r: ExecutionRecord, decision_id: uuid.UUID, on: dt.date) -> Gap | None:
    """None when the decision is executed in full on ``on`` (or there is no duty to execute it); else the gap
    that reaches ``on``, as :func:`rehabcore.domain.execution.standing` counts it (the B10 warning and IVO's
    report count the same way). A placement executes the decision it was started on and any decision that
    authorised an extension of it."""
    s = standing(r, decision_id, on)
    if s is None or s.state is None:
        return None
    return Gap(s.since, s.state is not ReportedState.NOT_EXECUTED, s.place_held)


@attrs.frozen(order=True)
class WaitingRow:
    """A granted decision in force with no placement running on it: the person waits for a place."""

    service: str
    since: dt.date
    case_id: uuid.UUID
    decision_id: uuid.UUID
    days: int


def record_open_on(r: ExecutionRecord, on: dt.date) -> bool:
    """The case was opened by ``on`` and not closed by then."""
    if r.opened_on is None or r.opened_on > on:
        return False
    return r.closed_on is None or r.closed_on > on


def waiting(records: Iterable[ExecutionRecord], on: dt.date) -> list[WaitingRow]:
    """Everyone waiting on ``on`` for a place their decision grants (never placed, or placed and stopped): a
    decision in force, not executed then, no place held; waiting since the later of the day it took effect
    and the day its execution stopped."""
    rows = []
    for r in records:
        if r.case_id is None or not record_open_on(r, on):
            continue
        for d in r.decisions:
            last = d.last_day
            if not d.favourable or d.valid_from > on or (last is not None and on > last):
                continue
            gap = execution_gap(r, d.decision_id, on)
            if gap is not None and not gap.interrupted:
                since = max(gap.since, d.valid_from)
                rows.append(WaitingRow(d.service.value, since, r.case_id, d.decision_id, (on - since).days))
    return sorted(rows)
