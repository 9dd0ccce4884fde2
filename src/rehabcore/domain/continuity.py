"""B9, daily activity without a gap: nobody under an LSS decision in force is left without daily activity.

"Ingen kommer att behöva sluta på Återbruket förrän vi kan erbjuda den personen en ny daglig verksamhet" (S1;
LSS 6 §, 7 §). While an LSS 9 § 10 decision is in force on the day after a daily activity's last day, that
daily activity ends — by ``EndPlacement`` with any reason, by ``CloseCase``, or for a while by an
interruption awaiting a new unit — only if

* a new daily activity under LSS starts no later than the next day, or
* a recorded ground applies (:class:`~rehabcore.domain.vocabulary.ContinuityGround`): the person's own wish
  in their own words, death, a move out of the municipality, employment, or the decision ended by a new
  decision. A reason that is itself a ground (``EndReason.DECEASED``, ``MOVED``, ``EXIT_WORK``,
  ``OWN_CHOICE``, ``DECISION_CEASED``; ``CloseReason.DECEASED``, ``MOVED``, ``OWN_CHOICE``) records it, and
  is checked as if given: an own wish needs the person's words, a decision ended needs the new decision.

A declined offer changes nothing: the person stays where they are.

**One day, one daily activity (the move rule).** A move to another daily activity on day D is the first day
at the new one, D, and the last day at the old one, D − 1. ``TransferToLssDailyActivity`` records both at
once. Recorded in two steps, the new daily activity is started first (on D, while the old one is open: a
planned move) and the old one is then ended on D − 1; ending it on D or later, or starting a daily activity
on a day another *ended* one still covers, is refused. So the case state, the units' places and the
execution watch count the person at exactly one daily activity on every day once the move is recorded.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from rehabcore.domain import rules as r
from rehabcore.domain.state import CaseState, Placement
from rehabcore.domain.vocabulary import ContinuityGround
from rehabcore.errors import N_

_DAY = dt.timedelta(days=1)


def check_leaving(
    s: CaseState,
    leaving: Placement,
    last_day: dt.date,
    ground: ContinuityGround | None,
    citizen_words: str | None,
    *,
    what: str = N_("ending"),
) -> None:
    """B9: ``leaving`` (an LSS daily activity) may stop after ``last_day``; else the rule that says no.

    ``what`` is "ending" or "interrupting": an interruption keeps the place, so one a day is not at stake.
    """
    if not leaving.is_lss_daily_activity:
        return
    if what != "interrupting":
        check_one_a_day(s, leaving, last_day)
    check_ground(s, leaving, ground, citizen_words)
    if ground is not None:
        return
    next_day = last_day + _DAY
    if s.lss_decision_in_force(next_day) is None:
        return  # the decision has run out: nothing left to execute
    successors = [
        q
        for q in s.placements.values()
        if q.placement_id != leaving.placement_id and q.is_lss_daily_activity and q.is_active(next_day)
    ]
    if not successors:
        raise r.LssContinuityBroken(
            "{what} this daily activity leaves a person with an LSS decision in force without one: "
            "start a new daily activity no later than {next_day} (or move them with "
            "TransferToLssDailyActivity), or record the ground that applies (ground=own_wish with the"
            " person's words, deceased, moved_away, employment, decision_ended)",
            what=what,
            next_day=next_day,
        )


def check_one_a_day(s: CaseState, leaving: Placement, last_day: dt.date) -> None:
    """Ending ``leaving`` on ``last_day`` must not leave it beside another daily activity on any day."""
    for q in s.placements.values():
        if q.placement_id == leaving.placement_id or not q.is_lss_daily_activity:
            continue
        if q.start_on > last_day or (q.end_on is not None and q.end_on < leaving.start_on):
            continue
        if q.start_on > leaving.start_on:
            raise r.LssContinuityBroken(
                "the new daily activity starts on {start_on}: a person is at one daily activity a "
                "day, so a move ends the old one the day before; end it on {value}",
                start_on=q.start_on,
                value=q.start_on - _DAY,
            )
        raise r.LssContinuityBroken(
            "daily activity {placement_id}, begun before this one, still runs: a person is at one "
            "daily activity a day; end that one on {value}, or retract this one's start",
            placement_id=q.placement_id,
            value=leaving.start_on - _DAY,
        )


def check_ground(
    s: CaseState, leaving: Placement, ground: ContinuityGround | None, citizen_words: str | None
) -> None:
    """A recorded ground is one the record bears out: the person's words for their wish, a new decision."""
    if ground is ContinuityGround.OWN_WISH and citizen_words is None:
        raise r.LssContinuityBroken(
            "the ground own_wish is recorded with the person's wish in their own words (citizen_words)"
        )
    if ground is ContinuityGround.DECISION_ENDED:
        decision = s.decisions.get(leaving.basis.decision_id) if leaving.basis.decision_id else None
        if decision is None or decision.ended_on is None:
            raise r.LssContinuityBroken(
                "the ground decision_ended needs the new decision that ends this one: record MakeDecision "
                "(outcome=terminate, terminates_decision_id=…) first"
            )


def check_starting(s: CaseState, placement_id: uuid.UUID, start_on: dt.date) -> None:
    """One day, one daily activity: a new one may start while an old one is open (a planned move), never on
    a day an ended one covers, nor before an open one starts."""
    for q in s.placements.values():
        if q.placement_id == placement_id or not q.is_lss_daily_activity:
            continue
        if q.end_on is not None and q.start_on <= start_on <= q.end_on:
            raise r.LssContinuityBroken(
                "daily activity {placement_id} runs until {end_on}: a person is at one daily activity"
                " a day; start the new one on {value}",
                placement_id=q.placement_id,
                end_on=q.end_on,
                value=q.end_on + _DAY,
            )
        if q.end_on is None and q.start_on >= start_on:
            raise r.LssContinuityBroken(
                "daily activity {placement_id} starts on {start_on}: a person is at one daily "
                "activity a day; end or correct that one first",
                placement_id=q.placement_id,
                start_on=q.start_on,
            )


def pending_moves(s: CaseState) -> list[tuple[Placement, Placement]]:
    """(old, new) pairs of open daily activities where the new one starts after the old: a move to finish."""
    open_dv = sorted((p for p in s.open_placements() if p.is_lss_daily_activity), key=lambda p: p.start_on)
    return [(old, new) for old, new in itertools.pairwise(open_dv)]


def days_left_without(s: CaseState, until: dt.date) -> list[dt.date]:
    """Days up to ``until`` with an LSS decision in force and no daily activity, after a daily activity ended
    with no ground while a decision was in force the next day. Empty for every history the rules accept (B9).

    Only an end leaves a person without daily activity, so the days are walked from each groundless end.
    """
    dv = [p for p in s.placements.values() if p.is_lss_daily_activity]
    found: set[dt.date] = set()
    for p in dv:
        if p.end_on is None or p.end_ground is not None:
            continue
        day = p.end_on + _DAY
        limit = max(until, day)  # the day after an end is always asked
        while (
            day <= limit
            and s.lss_decision_in_force(day) is not None
            and not any(q.is_active(day) for q in dv)
        ):
            found.add(day)
            day += _DAY
    return sorted(found)


def days_at_two(s: CaseState) -> list[dt.date]:
    """Days on which an ended LSS daily activity runs beside another one (one a day: empty when accepted).

    Two open ones (a move started, the old one not yet ended) are a move in progress, not counted here."""
    dv = [p for p in s.placements.values() if p.is_lss_daily_activity]
    days: set[dt.date] = set()
    for p in dv:
        if p.end_on is None:
            continue
        for q in dv:
            if q is p:
                continue
            first = max(p.start_on, q.start_on)
            last = p.end_on if q.end_on is None else min(p.end_on, q.end_on)
            while first <= last:
                days.add(first)
                first += _DAY
    return sorted(days)
