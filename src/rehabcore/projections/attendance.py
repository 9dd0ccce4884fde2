"""Attendance (#18): for the income-support case worker, the weeks of a required activity (SoL 4 kap. 4 §)
with days away; for the daily-activity allowance, the days attended per person and month.

Both read the days recorded a week at a time per placement (``RecordAttendance``); a day not named in a
recorded week was not expected (a part-time placement) and counts neither way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable

import attrs

from rehabcore.domain.vocabulary import AbsenceReason, BasisKind, PlacementKind
from rehabcore.projections.case_rows import AttendanceRow, CaseSummary


@attrs.frozen(order=True)
class AbsenceWeek:
    """A week of a required activity with at least one day away: how many days attended and away, how many of
    those without a valid reason, and the reasons given (comma-separated, in the week's order)."""

    case_id: uuid.UUID | None
    placement_id: uuid.UUID
    week_of: dt.date
    attended: int
    absent: int
    unexcused: int
    reasons: str


@attrs.frozen(order=True)
class AllowanceMonth:
    """Days a person attended daily activity in a month (``2026-03``): what a daily-activity allowance
    (habiliteringsersättning) is paid on."""

    month: str
    case_id: uuid.UUID | None
    days_attended: int


def required_activity_absences(
    cases: Iterable[CaseSummary], start: dt.date, end: dt.date
) -> list[AbsenceWeek]:
    """Weeks from ``start`` to ``end`` (by their Monday) at a placement on a SoL 4 kap. 4 § requirement, with
    days away: what the income-support case worker weighs (absence without a valid reason may reduce or
    refuse income support, 4 kap. 5 §)."""
    out = []
    for s in cases:
        required = {p.placement_id for p in s.placements if p.basis_kind == BasisKind.REQUIRED_ACTIVITY.value}
        weeks: dict[tuple[uuid.UUID, dt.date], list[AttendanceRow]] = {}
        for a in s.attendance:
            if a.placement_id in required and start <= a.week_of <= end:
                weeks.setdefault((a.placement_id, a.week_of), []).append(a)
        for (placement_id, week_of), days in weeks.items():
            away = [d for d in days if not d.attended]
            if not away:
                continue
            unexcused = sum(d.absence_reason == AbsenceReason.UNEXCUSED.value for d in away)
            reasons = ",".join(d.absence_reason or "" for d in sorted(away, key=lambda d: d.day_on))
            out.append(
                AbsenceWeek(
                    s.case.case_id,
                    placement_id,
                    week_of,
                    len(days) - len(away),
                    len(away),
                    unexcused,
                    reasons,
                )
            )
    return sorted(out, key=lambda r: (r.week_of, str(r.case_id), str(r.placement_id)))


def daily_activity_days(cases: Iterable[CaseSummary], start: dt.date, end: dt.date) -> list[AllowanceMonth]:
    """Days attended at daily activity (LSS 9 § 10 or SoL sysselsättning) from ``start`` to ``end``, per month
    and person: a week that spans two months counts each day in its own month."""
    kinds = {PlacementKind.DAILY_ACTIVITY.value, PlacementKind.OCCUPATION.value}
    counts: Counter[tuple[str, uuid.UUID | None]] = Counter()
    for s in cases:
        daily = {p.placement_id for p in s.placements if p.kind in kinds}
        for a in s.attendance:
            if a.attended and a.placement_id in daily and start <= a.day_on <= end:
                counts[(f"{a.day_on.year}-{a.day_on.month:02d}", s.case.case_id)] += 1
    rows = [AllowanceMonth(month, case_id, n) for (month, case_id), n in counts.items()]
    return sorted(rows, key=lambda r: (r.month, str(r.case_id)))
