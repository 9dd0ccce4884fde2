"""The demo's outcomes and attendance (#18): how it went after the exits, and four weeks of attendance.

Recorded after the synthetic municipality (``rehabcore.demo``), in the same store: for every person who left
the programme, their situation one, six and twelve months after, as far as the demo's last day reaches; for
everyone at a placement in its last four weeks, the days attended and away. Then Kolada's result at the end
of the programme for each year, the required-activity weeks with days away for the income-support case
workers, and the days of daily activity the allowance is paid on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import rehabcore as rc
from rehabcore.cli.stats_words import decimal
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.i18n import _
from rehabcore.projections import MemoryProjectionStore, ReadModels, Runner
from rehabcore.projections.outcomes import add_months

FOLLOWER = rc.Actor(id="hand-uppf", role=v.Role.CASE_WORKER, unit="AME")
UNIT_STAFF = rc.Actor(id="pers-001", role=v.Role.UNIT_STAFF, unit="enheterna")
#: What people who left were doing at a follow-up, weighted as the demo's municipality finds them.
ACTIVITIES = (
    (v.OutcomeActivity.WORK, 5),
    (v.OutcomeActivity.STUDIES, 2),
    (v.OutcomeActivity.JOB_SEEKER_AF, 2),
    (v.OutcomeActivity.SICK_LEAVE, 1),
    (v.OutcomeActivity.NOT_REACHED, 1),
)
WEEK = (v.Weekday.MONDAY, v.Weekday.TUESDAY, v.Weekday.WEDNESDAY, v.Weekday.THURSDAY, v.Weekday.FRIDAY)


def record(m: Any, end: dt.date, seed: int = 2284) -> Iterator[str]:
    """Record the follow-ups and the attendance into ``m``'s store, then print what the read models say."""
    rng = random.Random(seed)
    cases: rc.Cases = m.cases
    m.today = end
    followed = 0
    for case_id in m.people:
        state = cases.get(case_id)
        if not state.exits:
            continue
        left = state.exits[-1].occurred_on
        for point in v.OutcomePoint:
            on = add_months(left, point.months)
            if on > end:
                break
            activity = rng.choices([a for a, _w in ACTIVITIES], [w for _a, w in ACTIVITIES])[0]
            work = activity is v.OutcomeActivity.WORK
            cases.handle(
                cmd.RecordOutcomeStatus(
                    case_id=case_id,
                    followed_up_on=on,
                    point=point,
                    activity=activity,
                    employment_form=v.EmploymentForm.OPEN if work else None,
                    income=(v.IncomeSource.SALARY,) if work else (),
                ),
                actor=FOLLOWER,
            )
            followed += 1
    weeks = _attendance(cases, m.people, end, rng)
    runner = Runner(cases.store, MemoryProjectionStore())
    runner.catch_up()
    models = ReadModels(runner.target)
    yield ""
    yield _("Outcomes after the exit: {n} follow-ups recorded at one, six and twelve months", n=followed)
    for year in (end.year - 1, end.year):
        result = models.kolada_result(year)
        share = "-" if result.share is None else decimal(f"{result.share:.1%}")  # 58,6% in sv and da
        yield _(
            "  Kolada, result at the end of the programme {year}: {share} ({work} to work lasting a month, "
            "{studies} to studies with student aid, of {ended} ended)",
            year=year,
            share=share,
            work=result.to_work,
            studies=result.to_studies,
            ended=result.ended,
        )
    first = end - dt.timedelta(days=27)
    absences = models.required_activity_absences(first, end)
    unexcused = sum(r.unexcused for r in absences)
    days = models.daily_activity_days(first, end)
    yield _(
        "Attendance: {weeks} weeks recorded; {away} required-activity weeks with days away ({unexcused} days "
        "without a valid reason) for income support; {days} days of daily activity for the allowance",
        weeks=weeks,
        away=len(absences),
        unexcused=unexcused,
        days=sum(r.days_attended for r in days),
    )


def _attendance(cases: rc.Cases, people: list[Any], end: dt.date, rng: random.Random) -> int:
    """The last four whole weeks before ``end`` at every placement running through them."""
    last_monday = end - dt.timedelta(days=end.weekday() + 7)
    mondays = [last_monday - dt.timedelta(weeks=n) for n in range(3, -1, -1)]
    recorded = 0
    for case_id in people:
        state = cases.get(case_id)
        for p in state.placements.values():
            for monday in mondays:
                if not (
                    p.start_on <= monday and (p.end_on is None or monday + dt.timedelta(days=4) <= p.end_on)
                ):
                    continue
                attended, absences = _week(rng)
                cases.handle(
                    cmd.RecordAttendance(
                        case_id=case_id,
                        placement_id=p.placement_id,
                        week_of=monday,
                        attended=attended,
                        absences=absences,
                    ),
                    actor=UNIT_STAFF,
                )
                recorded += 1
    return recorded


def _week(rng: random.Random) -> tuple[tuple[v.Weekday, ...], tuple[v.Absence, ...]]:
    """Mostly every weekday attended; now and then a day ill, away by agreement or without a reason."""
    reasons = (v.AbsenceReason.ILLNESS, v.AbsenceReason.AGREED_LEAVE, v.AbsenceReason.UNEXCUSED)
    away = {day: rng.choice(reasons) for day in WEEK if rng.random() < 0.08}
    attended = tuple(day for day in WEEK if day not in away)
    return attended, tuple(v.Absence(day, reason) for day, reason in away.items())
