"""The pure domain core: vocabulary, events, commands, state, and the deciders with their rules.

Imports only the standard library, attrs, itself and ``rehabcore.errors`` (``tests/domain/
test_import_boundary.py`` holds it to that): no clock, no ids, no I/O. Time, ids and the actor come in on the
command and the :class:`~rehabcore.domain.context.Context`.
"""

from rehabcore.domain.case import decide
from rehabcore.domain.context import Context
from rehabcore.domain.evolve import evolve_case, evolve_unit, fold_case, fold_unit
from rehabcore.domain.places import check_place, decide_places, place_moves
from rehabcore.domain.review import review
from rehabcore.domain.state import CaseState, CaseStatus, UnitState
from rehabcore.domain.unit import decide_unit

__all__ = [
    "CaseState",
    "CaseStatus",
    "Context",
    "UnitState",
    "check_place",
    "decide",
    "decide_places",
    "decide_unit",
    "evolve_case",
    "evolve_unit",
    "fold_case",
    "fold_unit",
    "place_moves",
    "review",
]
