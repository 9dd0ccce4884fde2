"""The built-in invariants: what the rulebook promises about every history it accepts.

Each looks at a :class:`~rehabcore.testing.world.World` after a step and returns ``None`` or a message saying
what is broken. Two more promises belong to single steps and are checked by ``World.handle``: a rejected
command writes nothing, and a closed case accepts nothing but reopening or corrections (B3).

Add your own with :func:`per_case` (a function over one case) or as a plain ``(world) -> str | None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rehabcore.cases import Cases
from rehabcore.domain import continuity
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.testing.readable import value
from rehabcore.testing.world import Invariant, World

_DAY = dt.timedelta(days=1)


def per_case(check: Callable[[CaseState], str | None]) -> Invariant:
    """Lift a check of one case to the world: it runs on every case that is open or was."""

    def over_cases(world: World) -> str | None:
        for case_id, case in world.case_states().items():
            problem = check(case)
            if problem is not None:
                return f"case {value(case_id)}: {problem}"
        return None

    over_cases.__name__ = check.__name__
    over_cases.__doc__ = check.__doc__
    return over_cases


@per_case
def dates_in_order(case: CaseState) -> str | None:
    """B4: nothing before the opening, no end before its start, no validity that ends before it begins."""
    assert case.opened_on is not None
    for p in case.placements.values():
        if p.start_on < case.opened_on:
            return (
                f"placement {value(p.placement_id)} starts {p.start_on}, before the opening {case.opened_on}"
            )
        # A transfer ends the old placement the day before the new one starts: at most one day before.
        if p.end_on is not None and p.end_on < p.start_on - _DAY:
            return f"placement {value(p.placement_id)} ends {p.end_on}, before it starts {p.start_on}"
    for d in case.decisions.values():
        if d.made.valid_to is not None and d.made.valid_to < d.made.valid_from:
            return (
                f"decision {value(d.decision_id)} is valid to {d.made.valid_to}, before {d.made.valid_from}"
            )
    for f in case.follow_ups:
        if f.occurred_on < case.opened_on:
            return f"follow-up {value(f.follow_up_id)} on {f.occurred_on} is before the opening"
    return None


@per_case
def lss_continuity(case: CaseState) -> str | None:
    """B9: an LSS participant has a daily activity every day from the first on, unless a ground was recorded;
    and at one daily activity a day once a move is recorded."""
    until = case.closed_on or case.last_occurred_on
    gaps = continuity.days_left_without(case, until) if until is not None else []
    if gaps:
        return f"no daily activity the next day ({gaps[0]}) with an LSS decision in force and no ground"
    twice = continuity.days_at_two(case)
    if twice:
        return f"at two daily activities on {twice[0]}"
    return None


def capacity_every_day(world: World) -> str | None:
    """B15: on no day does a unit hold more placements (without an override) than it had places for them."""
    for unit_id, unit in world.unit_states().items():
        schedules = world.capacity_schedules.get(unit_id) or [unit.capacities]
        for day in _change_days(unit):
            held = sum(1 for p in unit.places.values() if p.held(day) and p.over_capacity_reason is None)
            # Capacity may be lowered under people already placed; a place is legitimate under any schedule
            # the unit has had, so compare with the most the unit ever had for that day.
            most = max(UnitState(capacities=s).capacity_on(day) for s in schedules)
            if held > most:
                return f"unit {value(unit_id)} holds {held} placements on {day} but has {most} places"
    return None


def cases_and_units_agree(world: World) -> str | None:
    """B15, C2: each placement holds a place at its unit for its case, and each place is such a placement."""
    cases, units = world.case_states(), world.unit_states()
    for case_id, case in cases.items():
        for p in case.placements.values():
            unit = units.get(p.unit_id)
            place = None if unit is None else unit.places.get(p.placement_id)
            if place is None or place.case_id != case_id:
                held = "no place" if place is None else f"a place for case {value(place.case_id)}"
                return f"case {value(case_id)}: placement {value(p.placement_id)} has {held} at its unit"
    for unit_id, unit in units.items():
        for placement_id, place in unit.places.items():
            holder = cases.get(place.case_id)
            placement = None if holder is None else holder.placements.get(placement_id)
            if placement is None or placement.unit_id != unit_id:
                return (
                    f"unit {value(unit_id)} holds a place for {value(placement_id)}, "
                    f"which case {value(place.case_id)} has not placed there"
                )
    return None


def _change_days(unit: UnitState) -> list[dt.date]:
    """The days occupancy can rise or capacity change: enough to check every day."""
    return sorted({p.taken_on for p in unit.places.values()} | {start for start, _ in unit.capacities})


def stored_events_fold_to_the_live_state(world: World) -> str | None:
    """A fresh reader of the store sees every case and unit as the service holds them (no hidden state)."""
    fresh = Cases(world.store, ruleset=world.cases.ruleset, today=lambda: world.today)
    for case_id, live in world.case_states().items():
        if fresh.get(case_id) != live:
            return f"case {value(case_id)}: read afresh from the store it is another state"
    for unit_id, unit in world.unit_states().items():
        if fresh.unit(unit_id) != unit:
            return f"unit {value(unit_id)}: read afresh from the store it is another state"
    return None


#: What every ruleset promises, checked after every step.
BUILT_IN: tuple[Invariant, ...] = (dates_in_order, lss_continuity, capacity_every_day, cases_and_units_agree)
