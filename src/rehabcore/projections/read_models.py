"""The read models: caseload, occupancy, waiting, outcomes, execution watch and follow-up watch.

Each is a function of the projected summaries and, where it says so, a date ``on``: the situation on that
business date. The same functions serve the memory and the SQL back-ends (the SQL tables are also there to
be queried directly; ``docs/projections.md`` documents them). Results are frozen rows in a stable order.
This module gathers them from :mod:`.caseload`, :mod:`.watch` and :mod:`.outcomes`.
"""

# --- #18 outcomes as municipalities report them, and attendance
from rehabcore.projections.attendance import (
    AbsenceWeek,
    AllowanceMonth,
    daily_activity_days,
    required_activity_absences,
)
from rehabcore.projections.caseload import (
    NONE,
    CaseloadRow,
    Gap,
    OccupancyRow,
    PlacedRow,
    WaitingRow,
    caseload,
    execution_gap,
    occupancy,
    open_on,
    placed,
    programme,
    record_open_on,
    waiting,
)
from rehabcore.projections.outcome_reports import (
    EndedRow,
    KoladaResult,
    StatusRow,
    ended,
    kolada_result,
    status_after_exit,
    work_lasting_a_month,
)
from rehabcore.projections.outcomes import (
    ExitCount,
    Outcomes,
    ShareRow,
    add_months,
    exits_of,
    outcomes,
    period_of,
)
from rehabcore.projections.watch import (
    EndingRow,
    OverdueRow,
    WatchRow,
    ending_without_follow_up,
    execution_watch,
    overdue_follow_ups,
)

__all__ = [
    "NONE",
    "AbsenceWeek",
    "AllowanceMonth",
    "CaseloadRow",
    "EndedRow",
    "EndingRow",
    "ExitCount",
    "Gap",
    "KoladaResult",
    "OccupancyRow",
    "Outcomes",
    "OverdueRow",
    "PlacedRow",
    "ShareRow",
    "StatusRow",
    "WaitingRow",
    "WatchRow",
    "add_months",
    "caseload",
    "daily_activity_days",
    "ended",
    "ending_without_follow_up",
    "execution_gap",
    "execution_watch",
    "exits_of",
    "kolada_result",
    "occupancy",
    "open_on",
    "outcomes",
    "overdue_follow_ups",
    "period_of",
    "placed",
    "programme",
    "record_open_on",
    "required_activity_absences",
    "status_after_exit",
    "waiting",
    "work_lasting_a_month",
]
