"""ReadModels: the read models of one projection store, asked from Python.

The runner keeps the projections current; this class answers questions from what they hold, with the
municipality's rule parameters (follow-up interval, notice period, the IVO threshold) as defaults.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import attrs

from rehabcore.domain.rules import RuleParameters
from rehabcore.domain.validation import check_for
from rehabcore.domain.vocabulary import Quarter
from rehabcore.errors import InvalidInput
from rehabcore.projections import read_models as rm
from rehabcore.projections.base import ProjectionStore
from rehabcore.projections.case_rows import CaseSummary
from rehabcore.projections.ivo_report import IvoReport, ivo_report, municipality_of
from rehabcore.projections.runner import CASES, EXECUTION, IVO_REPORTS, PLACES, UNITS, VISITS
from rehabcore.projections.unit_summary import PlaceRow, UnitSummary
from rehabcore.projections.visits import VisitDayRow, VisitMonthRow, visit_months

_check_date = check_for(dt.date)
PERIODS = ("month", "quarter", "year")


@attrs.frozen
class Stats:
    """Every read model on one date, as ``rehabcore stats`` prints it."""

    on: dt.date
    caseload: tuple[rm.CaseloadRow, ...]
    occupancy: tuple[rm.OccupancyRow, ...]
    waiting: tuple[rm.WaitingRow, ...]
    outcomes: rm.Outcomes
    execution_watch: tuple[rm.WatchRow, ...]
    overdue_follow_ups: tuple[rm.OverdueRow, ...]
    ending_without_follow_up: tuple[rm.EndingRow, ...]


class ReadModels:
    """Questions to the read models kept in ``target`` (fill it with a :class:`~.runner.Runner`)."""

    def __init__(self, target: ProjectionStore, parameters: RuleParameters | None = None) -> None:
        self.target = target
        self.parameters = parameters or RuleParameters()

    def cases(self) -> list[CaseSummary]:
        """Every case summary."""
        return list(self.target.values(CASES))

    def units(self) -> list[UnitSummary]:
        """Every unit summary."""
        return list(self.target.values(UNITS))

    def places(self) -> list[PlaceRow]:
        """Every place taken at any unit."""
        return list(self.target.values(PLACES))

    def unit_names(self) -> dict[uuid.UUID, str]:
        """Unit id → name."""
        return {u.unit.unit_id: u.unit.name or str(u.unit.unit_id) for u in self.units() if u.unit.unit_id}

    def caseload(self) -> list[rm.CaseloadRow]:
        """Cases by status, programme, case worker's unit and unit, as recorded now."""
        return rm.caseload(self.target.values(CASES), self.unit_names())

    def occupancy(self, on: dt.date) -> list[rm.OccupancyRow]:
        """Places, occupied and free per unit on ``on``."""
        _check_date("on", on)
        return rm.occupancy(self.units(), self.target.values(PLACES), on)

    def placed(self, on: dt.date) -> list[rm.PlacedRow]:
        """Every placement running on ``on``, by unit."""
        _check_date("on", on)
        return rm.placed(self.target.values(CASES), self.unit_names(), on)

    def waiting(self, on: dt.date) -> list[rm.WaitingRow]:
        """Who waits on ``on`` for the place a decision grants them."""
        _check_date("on", on)
        return rm.waiting(self.target.values(EXECUTION), on)

    def outcomes(self, on: dt.date, period: str = "quarter") -> rm.Outcomes:
        """Exits by destination per ``period`` (month, quarter, year) up to ``on``, shares and median."""
        _check_date("on", on)
        if period not in PERIODS:
            raise InvalidInput("period", f"must be one of {', '.join(PERIODS)}")
        return rm.outcomes(self.target.values(CASES), on, period)

    def execution_watch(self, on: dt.date, threshold_days: int | None = None) -> list[rm.WatchRow]:
        """Decisions reportable to IVO on ``on`` (three calendar months, the law's count: the same definition
        as the B10 warning and the quarterly report); with ``threshold_days``, every such decision not
        executed for that many days or more."""
        _check_date("on", on)
        if threshold_days is not None:
            _check_days("threshold_days", threshold_days)
        return rm.execution_watch(self.target.values(EXECUTION), on, threshold_days)

    def ivo_report(self, quarter: Quarter | str, municipality_code: str | None = None) -> IvoReport:
        """IVO's report of ``quarter`` (``"2026Q2"`` or a :class:`Quarter`): every favourable decision not
        executed within three calendar months that was reportable in the quarter, and what became of those
        the last report sent listed (``MarkIvoReportSubmitted``). ``municipality_code`` may be left out when
        the store has cases of one municipality only."""
        q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
        records = list(self.target.values(EXECUTION))
        code = municipality_of(records, municipality_code)
        return ivo_report(records, self.target.values(IVO_REPORTS), q, code, self.unit_names())

    def overdue_follow_ups(self, on: dt.date) -> list[rm.OverdueRow]:
        """Cases with a running placement and a follow-up overdue on ``on``."""
        _check_date("on", on)
        return rm.overdue_follow_ups(self.target.values(CASES), on, self.parameters.follow_up_interval_days)

    def ending_without_follow_up(self, on: dt.date, notice_days: int | None = None) -> list[rm.EndingRow]:
        """Time-limited placements and decisions ending soon after ``on`` with no follow-up."""
        _check_date("on", on)
        days = self.parameters.decision_expiry_notice_days if notice_days is None else notice_days
        _check_days("notice_days", days)
        return rm.ending_without_follow_up(self.target.values(CASES), on, days)

    # --- #18 outcomes as municipalities report them, and attendance

    def kolada_result(self, year: int) -> rm.KoladaResult:
        """Kolada's "Resultat vid avslut i kommunens arbetsmarknadsverksamhet" for ``year``: of the people
        ended in it, the share gone to work lasting a month (not municipal employment) or to studies with
        student aid."""
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
            raise InvalidInput("year", "must be a year such as 2026")
        return rm.kolada_result(self.target.values(CASES), year)

    def ended(self, start: dt.date, end: dt.date) -> list[rm.EndedRow]:
        """Exits from ``start`` to ``end`` (inclusive) by destination, with their mean extent."""
        _period(start, end)
        return rm.ended(self.target.values(CASES), start, end)

    def status_after_exit(self, start: dt.date, end: dt.date, on: dt.date) -> list[rm.StatusRow]:
        """For the people ended from ``start`` to ``end``: their status one, six and twelve months after, as
        recorded by ``on``."""
        _period(start, end)
        _check_date("on", on)
        return rm.status_after_exit(self.target.values(CASES), start, end, on)

    def required_activity_absences(self, start: dt.date, end: dt.date) -> list[rm.AbsenceWeek]:
        """Weeks (by their Monday) from ``start`` to ``end`` at a SoL 4 kap. 4 § required activity with days
        away, for the income-support case worker."""
        _period(start, end)
        return rm.required_activity_absences(self.target.values(CASES), start, end)

    def daily_activity_days(self, start: dt.date, end: dt.date) -> list[rm.AllowanceMonth]:
        """Days attended at daily activity per month and person, from ``start`` to ``end`` (the allowance)."""
        _period(start, end)
        return rm.daily_activity_days(self.target.values(CASES), start, end)

    # --- #18 open activities

    def visit_days(self, unit_id: uuid.UUID | None = None) -> list[VisitDayRow]:
        """Visits counted per unit, day and form (of ``unit_id`` where given): counts, never people."""
        rows = (r for m in self.target.values(VISITS) for r in m.days)
        return sorted(
            (r for r in rows if unit_id is None or r.unit_id == unit_id),
            key=lambda r: (r.unit_month, r.day, r.form),
        )

    def visits(self, unit_id: uuid.UUID | None = None, year: int | None = None) -> list[VisitMonthRow]:
        """Visit statistics per unit and month: visits in all and per form, and the days it met anyone."""
        if year is not None and (
            not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999
        ):
            raise InvalidInput("year", "must be a year such as 2026")
        return visit_months(self.target.values(VISITS), self.unit_names(), unit_id=unit_id, year=year)

    # ---

    def stats(self, on: dt.date, *, period: str = "quarter", threshold_days: int | None = None) -> Stats:
        """Every read model on ``on``."""
        return Stats(
            on,
            tuple(self.caseload()),
            tuple(self.occupancy(on)),
            tuple(self.waiting(on)),
            self.outcomes(on, period),
            tuple(self.execution_watch(on, threshold_days)),
            tuple(self.overdue_follow_ups(on)),
            tuple(self.ending_without_follow_up(on)),
        )


def _period(start: Any, end: Any) -> None:
    _check_date("start", start)
    _check_date("end", end)
    if end < start:
        raise InvalidInput("end", "is before start; give the period's first day, then its last")


def _check_days(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
        raise InvalidInput(name, "must be a number of days between 1 and 3650")
