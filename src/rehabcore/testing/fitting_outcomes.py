"""Attendance and the status after an exit (#18) in shapes the rules accept, for the rule machine's arms.

Blind, a week of attendance starts on a Monday one time in seven and names a placement of the case only by
chance, and a status after the exit is drawn before any exit: the rules would be reached only by their
refusals. These draw a week's Monday early in the history (when placements run), the pools' ids for the
placement, and a follow-up a month or more into the history, so it often meets an exit recorded earlier
(the exits crowd the first weeks, as every date of the strategies does).

Like :mod:`rehabcore.testing.fitting_plans` they are arms to steer with (:func:`outcome_arms`), not built-in
shapes, so the derandomized runs other tests rely on do not move.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.testing import strategies as rs
from rehabcore.testing.swarm import Arm, arms_of

_DAYS = list(v.Weekday)[:5]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def attendance(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.RecordAttendance]:
    """A week of a placement: some weekdays attended, at most one away with a reason."""

    def build(
        case_id: uuid.UUID, placement_id: uuid.UUID, on: dt.date, days: list[v.Weekday], away: Any
    ) -> Any:
        absences = () if away is None or away[0] in days else (v.Absence(day=away[0], reason=away[1]),)
        return cmd.RecordAttendance(
            case_id=case_id,
            placement_id=placement_id,
            week_of=_monday(on),
            attended=tuple(days),
            absences=absences,
        )

    return st.builds(
        build,
        st.sampled_from(pools.case_ids),
        st.sampled_from(pools.others),
        rs.dates(120).map(lambda d: d + dt.timedelta(days=7)),
        st.lists(st.sampled_from(_DAYS), min_size=1, max_size=3, unique=True),
        st.none() | st.tuples(st.sampled_from(_DAYS), st.sampled_from(list(v.AbsenceReason))),
    )


def outcome_statuses(
    pools: rs.Pools, jurisdiction: v.Jurisdiction
) -> st.SearchStrategy[cmd.RecordOutcomeStatus]:
    """How it went after the exit, at one of the points, late enough to follow an exit of the history."""

    def build(case_id: uuid.UUID, on: dt.date, point: v.OutcomePoint, activity: v.OutcomeActivity) -> Any:
        form = v.EmploymentForm.OPEN if activity is v.OutcomeActivity.WORK else None
        return cmd.RecordOutcomeStatus(
            case_id=case_id, followed_up_on=on, point=point, activity=activity, employment_form=form
        )

    return st.builds(
        build,
        st.sampled_from(pools.case_ids),
        rs.dates(120).map(lambda d: d + dt.timedelta(days=30)),
        st.sampled_from(list(v.OutcomePoint)),
        st.sampled_from(list(v.OutcomeActivity)),
    )


#: Command class → ``(pools, jurisdiction) -> strategy``.
FITTING: Mapping[type[Any], Callable[[rs.Pools, v.Jurisdiction], st.SearchStrategy[Any]]] = {
    cmd.RecordAttendance: attendance,
    cmd.RecordOutcomeStatus: outcome_statuses,
}


def outcome_arms(weight: int = 8) -> tuple[Arm, ...]:
    """Arms drawing attendance and statuses after the exit in these shapes, replacing their blind arms."""
    return arms_of(FITTING, weight)
