"""Outcomes: exits by destination per period, shares to work or studies within 6 and 12 months of the
first start, and the median days from referral to exit, as of a date."""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable

import attrs

from rehabcore.domain.state import CaseStatus
from rehabcore.projections.case_rows import CaseSummary, ExitRow, PlacementRow
from rehabcore.projections.caseload import NONE, PROGRAMME_OF_KIND

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
    prog = PROGRAMME_OF_KIND.get(first.kind, first.kind)
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
