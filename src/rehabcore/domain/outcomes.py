"""The rules of exits, follow-ups after the exit and attendance (#18).

* **Exits.** Work names how long it lasts: permanent, or fixed-term with its last day on or after the exit
  (whether it is "work lasting at least a month", Kolada's measure, is read off these). An exit for neither
  work nor studies names where the person went (``ExitDestination``); it ends the running placements as
  the other exits do (``case.py``).
* **Status after the exit** (one, six and twelve months): only after an exit, dated on or after it, one per
  point and exit; recorded on a closed case too, since the follow-up comes after the avslut.
* **Attendance**, a week at a time per placement: the week's Monday; every day named once, as attended or
  away with a reason, and within the placement's days; one record per placement and week (a mistake is
  corrected with ``CorrectEntry``).

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import placement, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import EmploymentTerm, OutcomeActivity


def check_work_term(c: cmd.ExitToWork) -> None:
    """B20: a fixed-term job names its last day, on or after the exit; a permanent one has none."""
    if c.term is EmploymentTerm.FIXED_TERM and c.employment_ends_on is None:
        raise r.ExitCategoryInvalid("fixed-term work names its last day (employment_ends_on)")
    if c.term is not EmploymentTerm.FIXED_TERM and c.employment_ends_on is not None:
        raise r.ExitCategoryInvalid(
            "only fixed-term work has a last day; give term=fixed_term or leave employment_ends_on out"
        )
    if c.employment_ends_on is not None and c.employment_ends_on < c.exit_on:
        raise r.DatesOutOfOrder(
            "employment_ends_on ({ends_on}) is before the exit ({exit_on})",
            ends_on=c.employment_ends_on,
            exit_on=c.exit_on,
        )


def record_outcome_status(c: cmd.RecordOutcomeStatus, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """RecordOutcomeStatus: after an exit, on or after it, once per point; a job's form with work only."""
    when(s, c.followed_up_on, ctx, "followed_up_on")
    if not s.exits:
        raise r.InvalidState(
            "no exit is recorded in this case; record it first (ExitToWork, ExitToStudies or ExitElsewhere)"
        )
    exit_on = s.exits[-1].occurred_on
    if c.followed_up_on < exit_on:
        raise r.DatesOutOfOrder(
            "followed_up_on ({followed_up_on}) is before the exit ({exit_on})",
            followed_up_on=c.followed_up_on,
            exit_on=exit_on,
        )
    if any(o.point is c.point and o.occurred_on >= exit_on for o in s.outcome_statuses):
        raise r.DuplicateId(
            "the status at {point} after this exit is already recorded; correct it with CorrectEntry",
            point=c.point,
        )
    if c.employment_form is not None and c.activity is not OutcomeActivity.WORK:
        raise r.ExitCategoryInvalid("an employment form goes with activity=work only")
    return [record(c)]


def record_attendance(c: cmd.RecordAttendance, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """RecordAttendance: a Monday, each day once, within the placement, once per placement and week."""
    when(s, c.week_of, ctx, "week_of")
    if c.week_of.weekday() != 0:
        raise r.DatesOutOfOrder(
            "week_of ({week_of}) is not a Monday; give the Monday of the week", week_of=c.week_of
        )
    p = placement(s, c.placement_id)
    if (c.placement_id, c.week_of) in s.attendance:
        raise r.DuplicateId(
            "the week of {week_of} is already recorded for placement {placement_id}; correct it with "
            "CorrectEntry",
            week_of=c.week_of,
            placement_id=c.placement_id,
        )
    days = [*c.attended, *(a.day for a in c.absences)]
    for day in days:
        if days.count(day) > 1:
            raise r.DuplicateId("{day} is recorded twice in the week; name each day once", day=day)
        on = c.week_of + dt.timedelta(days=day.offset)
        if on < p.start_on or (p.end_on is not None and on > p.end_on):
            raise r.DatesOutOfOrder(
                "{on} is outside placement {placement_id} ({start_on} to {end_on})",
                on=on,
                placement_id=c.placement_id,
                start_on=p.start_on,
                end_on=p.end_on or "",
            )
    return [record(c)]
