"""The rule machine draws #18's unit commands — visits counted, units moved, passed on and closed — and keeps
every built-in invariant, plus one of its own: a closed unit holds no place from the day it closed."""

from hypothesis import strategies as st

from rehabcore.domain import vocabulary as v
from rehabcore.domain.rules import SWEDEN_DEFAULT
from rehabcore.testing import Steering, run_case_machine
from rehabcore.testing.readable import value
from rehabcore.testing.world import World

NEW = ("CountVisits", "MoveUnit", "ChangeUnitOwner", "CloseUnit")


def nobody_at_a_closed_unit(world: World) -> str | None:
    """U3: from the day a unit closed, no place is held there."""
    for unit_id, unit in world.unit_states().items():
        if unit.closed_on is None:
            continue
        for placement_id, place in unit.places.items():
            if place.held(unit.closed_on) or place.taken_on >= unit.closed_on:
                return f"unit {value(unit_id)} closed {unit.closed_on} holds placement {value(placement_id)}"
    return None


def test_the_machine_reaches_the_new_unit_commands_and_keeps_every_invariant() -> None:
    # Refocus to an open activity now and then, so visits are counted as well as refused (U4).
    steering = Steering(
        weights={
            "CountVisits": 6,
            "MoveUnit": 2,
            "ChangeUnitOwner": 2,
            "CloseUnit": 2,
            "ChangeUnitPurpose": 4,
        },
        fields={v.UnitKind: st.just(v.UnitKind.OPEN_ACTIVITY)},
    )
    reach = run_case_machine(SWEDEN_DEFAULT, nobody_at_a_closed_unit, steering=steering, require_reached=NEW)
    outcomes = {outcome for (name, outcome) in reach.commands if name in NEW}
    assert any("U4" in o for o in outcomes) or any("U3" in o for o in outcomes), reach.report()
