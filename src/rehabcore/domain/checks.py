"""Checks the case rules share: dates in order, fresh ids, references to placements and decisions.

Each raises the rule error that says what is wrong and what to do; the handlers in ``case.py`` and
``placing.py`` call them.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from rehabcore.domain import rules as r
from rehabcore.domain.context import Context
from rehabcore.domain.state import CaseState, Decision, Placement
from rehabcore.errors import RuleViolation


def not_before_opening(state: CaseState, on: dt.date, what: str) -> None:
    """B4: ``on`` is not before the case was opened."""
    assert state.opened_on is not None
    if on < state.opened_on:
        raise r.DatesOutOfOrder(
            "{what} ({on}) is before the case was opened ({opened_on})",
            what=what,
            on=on,
            opened_on=state.opened_on,
        )


def not_too_far_ahead(on: dt.date, ctx: Context, what: str) -> None:
    """B4: ``on`` is not further ahead of today than the ruleset tolerates."""
    limit = ctx.today + dt.timedelta(days=ctx.ruleset.parameters.future_tolerance_days)
    if on > limit:
        raise r.DatesOutOfOrder(
            "{what} ({on}) is more than the allowed days ahead of today; latest {latest}",
            what=what,
            on=on,
            latest=limit,
        )


def when(state: CaseState, on: dt.date, ctx: Context, what: str) -> None:
    """B4: a command's date is neither before the opening nor too far ahead."""
    not_before_opening(state, on, what)
    not_too_far_ahead(on, ctx, what)


def fresh(ids: dict[uuid.UUID, Any] | Sequence[uuid.UUID], new_id: uuid.UUID, what: str) -> None:
    """C2: ``new_id`` is not yet used by this case for ``what``."""
    if new_id in ids:
        raise r.DuplicateId("{what} {id} already exists in this case; use a new id", what=what, id=new_id)


def placement(state: CaseState, placement_id: uuid.UUID) -> Placement:
    """C1: the placement of this case with ``placement_id``."""
    p = state.placements.get(placement_id)
    if p is None:
        raise r.UnknownReference("placement {placement_id} is not in this case", placement_id=placement_id)
    return p


def open_placement(state: CaseState, placement_id: uuid.UUID) -> Placement:
    """C1/C3: the placement, not yet ended."""
    p = placement(state, placement_id)
    if not p.is_open:
        raise r.InvalidState(
            "placement {placement_id} ended on {end_on}; start a new placement instead",
            placement_id=placement_id,
            end_on=p.end_on,
        )
    return p


def granted_decision(state: CaseState, decision_id: uuid.UUID, rule: type[RuleViolation]) -> Decision:
    """The decision of this case with ``decision_id``, granted; else ``rule`` says what is missing."""
    d = state.decisions.get(decision_id)
    if d is None:
        raise rule(
            "decision {decision_id} is not in this case; record it with MakeDecision first",
            decision_id=decision_id,
        )
    if not d.is_granted:
        raise rule(
            "decision {decision_id} was not granted ({outcome}); a granted decision is needed",
            decision_id=decision_id,
            outcome=d.made.outcome,
        )
    return d
