"""Commands that refer to what a case already holds: its open placements, granted decisions and open goals.

Blind generation rarely names a placement that exists, so ending, extending, interrupting or transferring —
where the hard rules B6, B7, B9 and the capacity of the next unit live — would be reached only by luck. An
:class:`About` is drawn without looking at the state (numbers only, so hypothesis shrinks histories well) and
is turned into a command when it runs: the ``pick``-th open placement of the ``case``-th case, a date
``days`` after the date it refers to, and so on. When the case holds nothing of the kind it is a no-op.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.state import CaseState, CaseStatus, Decision, Placement
from rehabcore.testing.strategies import Pools

T = TypeVar("T")


class Act(enum.Enum):
    """What an :class:`About` does to the thing it refers to."""

    END = "end a placement"
    EXTEND = "extend a placement"
    INTERRUPT = "interrupt or resume a placement"
    TRANSFER = "transfer to LSS daily activity (or start it, when no placement is open)"
    EXECUTE = "start a placement on a granted decision"
    TERMINATE = "terminate a granted decision"
    FOLLOW_UP = "follow up open goals"
    CORRECT = "correct an earlier entry"
    RETRACT = "retract an earlier entry"
    RETAIN = "place or release a legal hold; erase a closed record (#13)"


@attrs.frozen
class About:
    """A command about something the case holds, in numbers; :func:`resolve` makes it concrete."""

    act: Act
    case: int
    pick: int
    days: int
    hours: int
    choice: int
    fresh: int

    def __repr__(self) -> str:
        return f"<{self.act.value} (case {self.case}, #{self.pick}, +{self.days} days, choice {self.choice})>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis prints steps with this
        printer.text(repr(self))


abouts = st.builds(
    About,
    act=st.sampled_from(list(Act)),
    case=st.integers(0, 3),
    pick=st.integers(0, 3),
    days=st.integers(0, 60),
    hours=st.integers(1, 40),
    choice=st.integers(0, 15),
    fresh=st.integers(0, 15),
)


def about(act: Act) -> st.SearchStrategy[About]:
    """Abouts of one act (the machine gives each act its own arm)."""
    return st.builds(
        About,
        act=st.just(act),
        case=st.integers(0, 3),
        pick=st.integers(0, 3),
        days=st.integers(0, 60),
        hours=st.integers(1, 40),
        choice=st.integers(0, 15),
        fresh=st.integers(0, 15),
    )


def _unused(a: About, case: CaseState, pools: Pools) -> uuid.UUID:
    """The first id of the pool, from the ``fresh``-th on, that the case uses for nothing yet (else any)."""
    taken = {*case.placements, *case.decisions, *case.goals, *(f.follow_up_id for f in case.follow_ups)}
    n = len(pools.others)
    for i in range(n):
        candidate = pools.others[(a.fresh + i) % n]
        if candidate not in taken:
            return candidate
    return pools.others[a.fresh % n]


def _nth(items: list[T], n: int) -> T | None:
    return items[n % len(items)] if items else None


#: A stored entry of a case: its event id and the event (what corrections and retractions refer to).
Entry = tuple[uuid.UUID, ev.CaseEvent]


def resolve(
    about: About, case_id: uuid.UUID, case: CaseState, pools: Pools, entries: list[Entry] | None = None
) -> cmd.CaseCommand | None:
    """The command ``about`` means on ``case`` (with its stored ``entries``), or None when there is nothing
    it could be about."""
    if about.act in (Act.CORRECT, Act.RETRACT):
        return _on_entry(about, case_id, entries or [])
    return _MAKERS[about.act](about, case_id, case, pools)


def _on_entry(a: About, case_id: uuid.UUID, entries: list[Entry]) -> cmd.CaseCommand | None:
    """Retract an entry, or correct it: its date moved by up to a month either way, its hours changed."""
    correctable = [(i, e) for i, e in entries if isinstance(e, _CORRECTABLE)]
    picked = _nth(correctable, a.pick)
    if picked is None:
        return None
    event_id, event = picked
    if a.act is Act.RETRACT:
        return cmd.RetractEntry(
            case_id=case_id, event_id=event_id, retracted_on=event.occurred_on, reason="fel ärende"
        )
    changes: dict[str, Any] = {"occurred_on": event.occurred_on + dt.timedelta(days=a.days - 30)}
    if hasattr(event, "hours_per_week"):
        changes["hours_per_week"] = a.hours
    return cmd.CorrectEntry(
        case_id=case_id,
        event_id=event_id,
        corrected_on=max(event.occurred_on, changes["occurred_on"]),
        replacement=attrs.evolve(event, **changes),  # type: ignore[arg-type]
        reason="fel datum",
    )


def _choose(options: list[T] | tuple[T, ...], about: About) -> T:
    return options[about.choice % len(options)]


def _later(day: dt.date, about: About) -> dt.date:
    return day + dt.timedelta(days=about.days)


def _open_placement(about: About, case: CaseState) -> Placement | None:
    return _nth(sorted(case.open_placements(), key=lambda p: p.start_on), about.pick)


def _granted(case: CaseState, lss_only: bool = False) -> list[Decision]:
    found = [d for d in case.decisions.values() if d.is_granted and (d.is_lss_daily_activity or not lss_only)]
    return sorted(found, key=lambda d: d.made.occurred_on)


def _end(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    p = _open_placement(a, case)
    if p is None:
        return None
    reason = _choose(list(v.EndReason), a)
    return cmd.EndPlacement(
        case_id=case_id, placement_id=p.placement_id, end_on=_later(p.start_on, a), reason=reason
    )


def _extend(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    """Extend work rehabilitation, walking the story there one step at a time: without a granted decision
    for it, decide one (SoL, work rehabilitation); without an open placement, start work training on it;
    then extend — on a decision in force that day (what B6 asks), sometimes on none or another.

    The new end is either some weeks past the planned one, or a few days either side of 3, 6, 9 or 12
    months from the start: where limits counted in months from a start are, and off-by-ones show.
    """
    if case.opened_on is None:
        return None
    rehab = [d for d in _granted(case) if d.made.service in _REHAB]
    p = _open_placement(a, case)
    if p is None and not case.goals:  # a placement follows a goal: in any of the four voices
        return _goal(a, case_id, case, pools)
    if not rehab and (p is None or a.choice % 3 == 0):
        return _rehab_decision(a, case_id, case, pools)
    if p is None:
        d = rehab[a.fresh % len(rehab)]
        start = _later(d.made.valid_from, a)
        make_basis, kinds = _BASES[d.made.service]
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=_unused(a, case, pools),
            unit_id=pools.units[a.choice % len(pools.units)],
            kind=kinds[0] if a.choice % 4 else kinds[-1],  # mostly work training where there is one
            basis=make_basis(d.decision_id),
            start_on=start,
            hours_per_week=a.hours,
            planned_end_on=start + dt.timedelta(weeks=1 + a.hours % 12),
        )
    if p.extensions and a.choice % 3 == 0:  # extended already: end it, so that the story can start again
        return cmd.EndPlacement(
            case_id=case_id,
            placement_id=p.placement_id,
            end_on=max(p.start_on, p.planned_end_on or p.start_on),
            reason=v.EndReason.COMPLETED,
        )
    on = _later(p.start_on, a)
    granted = _granted(case)
    in_force = [d for d in granted if d.in_force(on)]
    options = in_force if in_force and a.choice % 4 else granted
    decision = None if not options or a.choice % 8 == 7 else options[a.fresh % len(options)].decision_id
    if a.choice % 2:
        end = (p.planned_end_on or p.start_on) + dt.timedelta(weeks=1 + a.hours % 40)
    else:
        months = (3, 6, 9, 12)[a.hours % 4]
        end = add_months(p.start_on, months) + dt.timedelta(days=a.fresh - 7)
    return cmd.ExtendPlacement(
        case_id=case_id,
        placement_id=p.placement_id,
        extended_on=on,
        new_planned_end_on=end,
        authorising_decision_id=decision,
    )


def _goal(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.SetGoal:
    """A goal in one of the four voices, with the reason B12 asks for when it is not the citizen's."""
    by = _choose(list(v.FormulatedBy), a)
    return cmd.SetGoal(
        case_id=case_id,
        goal_id=_unused(a, case, pools),
        set_on=_later(case.opened_on or dt.date.min, a),
        life_area=v.LifeArea.WORK_AND_EDUCATION,
        citizen_words="arbeta",
        formulated_by=by,
        goal_type=v.GoalType.DEVELOP,
        proxy_reason=None if by in (v.FormulatedBy.CITIZEN, v.FormulatedBy.JOINTLY) else "ombud",
    )


def _rehab_decision(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.MakeDecision:
    """A granted decision on work rehabilitation (SoL; protected employment in Denmark), for good or for a
    while (out of force later)."""
    valid_from = _later(case.opened_on or dt.date.min, a)
    dk = case.jurisdiction is v.Jurisdiction.DK
    return cmd.MakeDecision(
        case_id=case_id,
        decision_id=_unused(a, case, pools),
        decided_on=valid_from,
        outcome=v.DecisionOutcome.GRANT,
        legal_basis=v.LegalBases.DK_PROTECTED_EMPLOYMENT if dk else v.LegalBases.sol_assistance(valid_from),
        service=v.ServiceKind.DK_PROTECTED_EMPLOYMENT if dk else v.ServiceKind.WORK_REHABILITATION,
        valid_from=valid_from,
        valid_to=None if a.choice % 3 else valid_from + dt.timedelta(days=7 * a.hours),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the month's last day when it is shorter (31 Jan + 1 month = 28 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _interrupt(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    """Interrupt an open placement, or resume an interrupted one; with none open, walk the story towards
    one as :func:`_extend` does (a goal, a decision, a start), so interruptions are reached in every run
    that draws this act, not only in runs that happened to start a placement some other way."""
    p = _open_placement(a, case)
    if p is None:
        return _extend(a, case_id, case, pools)  # with nothing open, it takes the next step towards a start
    if p.is_interrupted:
        resumed = _later(p.interruptions[-1][0] + dt.timedelta(days=1), a)
        return cmd.ResumePlacement(case_id=case_id, placement_id=p.placement_id, resumed_on=resumed)
    return cmd.InterruptPlacement(
        case_id=case_id,
        placement_id=p.placement_id,
        interrupted_on=_later(p.start_on, a),
        reason=_choose(list(v.InterruptionReason), a),
    )


def _transfer(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    p, d = _open_placement(a, case), _nth(_granted(case, lss_only=True), a.choice)
    if d is None:
        return None
    if p is None:  # the first half of the story: daily activity on the decision, to transfer from later
        start = _later(d.made.valid_from, a)
        return cmd.StartPlacement(
            case_id=case_id,
            placement_id=pools.others[a.fresh % len(pools.others)],
            unit_id=pools.units[a.choice % len(pools.units)],
            kind=v.PlacementKind.DAILY_ACTIVITY,
            basis=v.Basis.lss(d.decision_id),
            start_on=start,
            hours_per_week=a.hours,
        )
    return cmd.TransferToLssDailyActivity(
        case_id=case_id,
        from_placement_id=p.placement_id,
        placement_id=pools.others[a.fresh % len(pools.others)],
        to_unit_id=pools.units[a.choice % len(pools.units)],
        lss_decision_id=d.decision_id,
        start_on=_later(max(p.start_on + dt.timedelta(days=1), d.made.valid_from), a),
        hours_per_week=a.hours,
    )


def _execute(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    # #18: serviceloven § 85 support has no placement kind; its decisions are not executed by a placement.
    d = _nth([g for g in _granted(case) if g.made.service in _BASES], a.pick)
    if d is None:
        return None
    basis, kinds = _BASES[d.made.service]
    start = _later(d.made.valid_from, a)
    return cmd.StartPlacement(
        case_id=case_id,
        placement_id=_unused(a, case, pools),
        unit_id=pools.units[a.choice % len(pools.units)],
        kind=_choose(kinds, a),
        basis=basis(d.decision_id),
        start_on=start,
        hours_per_week=a.hours,
        planned_end_on=start + dt.timedelta(weeks=1 + a.choice),
    )


def _terminate(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    d = _nth(_granted(case), a.pick)
    if d is None:
        return None
    on = _later(d.made.valid_from, a)
    return cmd.MakeDecision(
        case_id=case_id,
        decision_id=pools.others[a.fresh % len(pools.others)],
        decided_on=on,
        outcome=v.DecisionOutcome.TERMINATE,
        legal_basis=d.made.legal_basis,
        service=d.made.service,
        valid_from=on,
        personkrets=d.made.personkrets,
        terminates_decision_id=d.decision_id,
        reasons="Insatsen har nått sitt syfte",  # it goes against the person: D1 asks for reasons
    )


def _follow_up(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    goals = sorted(case.open_goals(), key=lambda g: g.set.occurred_on)
    if not goals:
        return None
    goal = goals[a.pick % len(goals)]
    return cmd.RecordFollowUp(
        case_id=case_id,
        follow_up_id=pools.others[a.fresh % len(pools.others)],
        follow_up_on=_later(goal.set.occurred_on, a),
        goal_results=(v.GoalOutcome(goal.set.goal_id, _choose(list(v.GoalResult), a)),),
        participation=_choose(list(v.Participation), a),
        status=_choose(list(v.FollowUpStatus), a),
    )


# --- #13 retention


def _retain(a: About, case_id: uuid.UUID, case: CaseState, pools: Pools) -> cmd.CaseCommand | None:
    """Retention as ``rehabcore retention run`` and staff record it: release a hold the case has, erase a
    closed record for the subject it was opened for (refused while a hold is on it, B24), else place a
    hold. Erasure waits for the close, as the retention clock does: erased, the case takes nothing more."""
    if case.opened_on is None:
        return None
    since = case.last_occurred_on or case.opened_on
    if case.holds and a.choice % 2:
        return cmd.ReleaseRetentionHold(
            case_id=case_id, hold_id=case.holds[a.pick % len(case.holds)], released_on=_later(since, a)
        )
    if case.status is CaseStatus.CLOSED and case.subject_id is not None:
        regime = _choose(list(v.RetentionRegime), a)
        return cmd.EraseSubject(
            case_id=case_id,
            erased_on=_later(since, a),
            subject_id=case.subject_id,
            regime=regime,
            policy=f"{regime.value}@machine",
            key_destroyed_at=dt.datetime.combine(_later(since, a), dt.time(12), tzinfo=dt.UTC),
        )
    return cmd.PlaceRetentionHold(
        case_id=case_id,
        hold_id=_unused(a, case, pools),
        placed_on=_later(since, a),
        reason=_choose(list(v.HoldReason), a),
    )


_MAKERS: dict[Act, Callable[[About, uuid.UUID, CaseState, Pools], cmd.CaseCommand | None]] = {
    Act.END: _end,
    Act.EXTEND: _extend,
    Act.INTERRUPT: _interrupt,
    Act.TRANSFER: _transfer,
    Act.EXECUTE: _execute,
    Act.TERMINATE: _terminate,
    Act.FOLLOW_UP: _follow_up,
    Act.RETAIN: _retain,
}

_K = v.PlacementKind
_BASES: dict[v.ServiceKind, tuple[Any, list[v.PlacementKind]]] = {
    v.ServiceKind.LSS_DAILY_ACTIVITY: (v.Basis.lss, [_K.DAILY_ACTIVITY]),
    v.ServiceKind.WORK_REHABILITATION: (v.Basis.sol, [_K.WORK_TRAINING, _K.INTERNSHIP, _K.WORK_ASSESSMENT]),
    v.ServiceKind.REQUIRED_ACTIVITY: (v.Basis.sol, [_K.WORK_TRAINING, _K.INTERNSHIP]),
    v.ServiceKind.SOL_OCCUPATION: (v.Basis.sol, [_K.OCCUPATION]),
    v.ServiceKind.DK_PROTECTED_EMPLOYMENT: (v.Basis.dk, [_K.DK_PROTECTED_EMPLOYMENT]),
    v.ServiceKind.DK_ACTIVITY: (v.Basis.dk, [_K.DK_ACTIVITY]),
    v.ServiceKind.HOUSING_SUPPORT: (v.Basis.sol, [_K.HOUSING_SUPPORT]),
}

#: Decided services a placement can be extended on (the story ``about:extend`` walks).
_REHAB = (v.ServiceKind.WORK_REHABILITATION, v.ServiceKind.DK_PROTECTED_EMPLOYMENT)

_CORRECTABLE: tuple[type, ...] = typing.get_args(ev.CorrectableEvent)  # retention bookkeeping is not (#13)
