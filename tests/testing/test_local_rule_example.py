"""examples/local_rule.py: the kit finds the mistake planted in the mistyped rule; the history is short."""

import importlib.util
import types
from pathlib import Path

from rehabcore.domain import commands as cmd
from rehabcore.testing import World
from rehabcore.testing import strategies as rs

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "local_rule.py"


def _example() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("local_rule", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_planted_mistake_is_found_and_shrunk_to_a_short_history() -> None:
    example = _example()
    broken = example.find_the_planted_mistake()
    assert broken.invariant.startswith("nobody_above_half_time_in_the_first_month")
    assert broken.ruleset_ref == "ornskoldsvik@2026-03"
    assert 1 <= len(broken.steps) <= 3, str(broken)
    placed = broken.steps[-1]
    assert placed.accepted and isinstance(placed.command, cmd.StartPlacement)
    # Exactly the hours the mistyped rule lets through: above half time, not above "50".
    assert example.HALF_TIME < placed.command.hours_per_week <= 50
    journal = str(broken)
    assert f"hours_per_week={placed.command.hours_per_week}" in journal and "UUID(" not in journal


def test_the_rule_as_written_refuses_the_step_the_mistyped_one_let_through() -> None:
    example = _example()
    broken = example.find_the_planted_mistake()
    world = World(example.ruleset(), rs.Pools.fresh(2, others=8))
    world.set_up(rs.setup(world.pools))
    for step in broken.steps:
        world.today = step.today
        world.handle(step.command)
    refused = world.steps[-1]
    assert refused.error is not None and refused.error.rule_id == "ORN-1"
    assert "at most 20 h/week until 2025-01-31" in str(refused.error)


def test_the_rule_as_written_passes_and_the_reach_report_shows_it_fired() -> None:
    reach = _example().reach_of_the_rule_as_written()
    assert reach.fired("ORN-1") > 0 and reach.accepted("StartPlacement") > 0
    report = reach.report()
    assert report.startswith("reach of ") and "under ornskoldsvik@2026-03" in report
    (row,) = [r for r in report.splitlines() if r.startswith("  ORN-1 ")]
    assert "never fired" not in row
