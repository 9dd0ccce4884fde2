"""Case histories that obey the rules: generated commands run through ``decide``, the rejected ones dropped.

    @given(case_histories(MY_RULES))
    def test_my_projection_counts_every_placement(history: CaseHistory) -> None:
        ...

Each history is what a municipality under ``ruleset`` could have recorded: every step in it was accepted by
the built-in rules and the ruleset's local rules, on the day it was handled.
"""

from __future__ import annotations

import uuid

import attrs
from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.rules import SWEDEN_DEFAULT, Ruleset
from rehabcore.domain.state import CaseState, UnitState
from rehabcore.testing import strategies as rs
from rehabcore.testing.world import Step, World, journal


@attrs.frozen
class CaseHistory:
    """Accepted steps on a few cases and two units, and where they left the cases and units."""

    ruleset: Ruleset
    steps: tuple[Step, ...]
    cases: dict[uuid.UUID, CaseState]
    units: dict[uuid.UUID, UnitState]

    def events(self, case_id: uuid.UUID) -> list[ev.Event]:
        """The events recorded on one case, in order."""
        return [e for s in self.steps if getattr(s.command, "case_id", None) == case_id for e in s.events]

    def __repr__(self) -> str:
        return f"CaseHistory under {self.ruleset.ref}:\n{journal(list(self.steps))}"


def case_histories(
    ruleset: Ruleset = SWEDEN_DEFAULT, *, cases: int = 1, min_steps: int = 10, max_steps: int = 30
) -> st.SearchStrategy[CaseHistory]:
    """Histories of ``min_steps`` to ``max_steps`` generated commands, the ones ``ruleset``'s rules accepted.

    About half the generated commands are refused and left out, so a history holds fewer steps than drawn.
    """
    pools = rs.Pools.fresh(cases)
    drawn = rs.case_commands(pools, ruleset.jurisdiction)
    return st.lists(drawn, min_size=min(min_steps, max_steps), max_size=max_steps).map(
        lambda commands: _run(ruleset, pools, commands)
    )


def _run(ruleset: Ruleset, pools: rs.Pools, commands: list[cmd.CaseCommand]) -> CaseHistory:
    world = World(ruleset, pools)
    world.set_up(rs.setup(pools, ruleset.jurisdiction))
    for command in commands:
        world.handle(command)
    accepted = tuple(s for s in world.steps if s.accepted)
    return CaseHistory(ruleset, accepted, world.case_states(), world.unit_states())
