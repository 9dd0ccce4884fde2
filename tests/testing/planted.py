"""Three local rules a municipal developer writes from the docs, each with its invariant, and a planted bug in
each: an off-by-one in a count, months counted from the wrong date, a check of the wrong field."""

from __future__ import annotations

from rehabcore.domain import commands as cmd
from rehabcore.domain.context import Context
from rehabcore.domain.local_rules import LocalRule, rejects
from rehabcore.domain.rules import Ruleset
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import FormulatedBy, Jurisdiction, PlacementKind, ReferralSource
from rehabcore.testing import per_case, short_id
from rehabcore.testing.referring import add_months

ANCHOR = "Arbetsmarknadsnämnden 2026-02-10 § 21"
OWN_WORDS = (FormulatedBy.CITIZEN, FormulatedBy.JOINTLY)


def _work_training(c: cmd.ExtendPlacement, case: CaseState):  # type: ignore[no-untyped-def]
    p = case.placements.get(c.placement_id)
    return p if p is not None and p.kind is PlacementKind.WORK_TRAINING else None


def once(limit: int) -> LocalRule:
    @rejects("EXT-1", anchor=ANCHOR, on=cmd.ExtendPlacement)
    def extended_at_most_once(c: cmd.ExtendPlacement, case: CaseState, ctx: Context) -> str | None:
        """Work training is extended at most once."""
        p = _work_training(c, case)
        if p is not None and p.extensions >= limit:  # the right limit is 1
            return f"placement {short_id(p.placement_id)} was extended already; end it or start a new one"
        return None

    return extended_at_most_once


def nine_months(from_extension_day: bool) -> LocalRule:
    @rejects("EXT-2", anchor=ANCHOR, on=cmd.ExtendPlacement)
    def never_beyond_nine_months(c: cmd.ExtendPlacement, case: CaseState, ctx: Context) -> str | None:
        """Work training is never extended beyond nine months from its start."""
        p = _work_training(c, case)
        if p is None:
            return None
        counted_from = c.extended_on if from_extension_day else p.start_on  # the right date is the start
        limit = add_months(counted_from, 9)
        if c.new_planned_end_on > limit:
            return f"nine months from the start end on {limit}; extend to that day at most"
        return None

    return never_beyond_nine_months


def own_goal(field: str) -> LocalRule:
    @rejects("GOAL-1", anchor=ANCHOR, on=(cmd.StartPlacement, cmd.TransferToLssDailyActivity))
    def goal_in_own_words_first(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
        """Someone referred from income support has a goal in their own words before a placement starts."""
        if case.source is not ReferralSource.INCOME_SUPPORT:
            return None
        if field == "formulated_by":
            own = [g for g in case.goals.values() if g.set.formulated_by in OWN_WORDS]
        else:  # the planted bug: any goal with words in it counts, whoever formulated them
            own = [g for g in case.goals.values() if g.set.citizen_words]
        if not any(g.set.occurred_on <= c.start_on for g in own):
            return "set a goal in the citizen's own words (SetGoal formulated_by citizen or jointly) first"
        return None

    return goal_in_own_words_first


@per_case
def work_training_extended_at_most_once(case: CaseState) -> str | None:
    """EXT-1: no work training is extended twice."""
    for p in case.placements.values():
        if p.kind is PlacementKind.WORK_TRAINING and p.extensions > 1:
            return f"placement {short_id(p.placement_id)} was extended {p.extensions} times"
    return None


@per_case
def work_training_within_nine_months_when_extended(case: CaseState) -> str | None:
    """EXT-2: extended work training ends within nine months of its start."""
    for p in case.placements.values():
        extended = p.kind is PlacementKind.WORK_TRAINING and p.extensions and p.planned_end_on is not None
        if extended and p.planned_end_on > add_months(p.start_on, 9):  # type: ignore[operator]
            return f"placement {short_id(p.placement_id)} from {p.start_on} is planned to {p.planned_end_on}"
    return None


@per_case
def placed_only_after_a_goal_in_own_words(case: CaseState) -> str | None:
    """GOAL-1: in an income-support case every placement starts on or after a goal in the citizen's words."""
    if case.source is not ReferralSource.INCOME_SUPPORT:
        return None
    firsts = [g.set.occurred_on for g in case.goals.values() if g.set.formulated_by in OWN_WORDS]
    for p in case.placements.values():
        if not any(day <= p.start_on for day in firsts):
            return f"placement {short_id(p.placement_id)} starts {p.start_on} with no goal in own words"
    return None


INVARIANTS = (
    work_training_extended_at_most_once,
    work_training_within_nine_months_when_extended,
    placed_only_after_a_goal_in_own_words,
)


def ruleset(*rules: LocalRule, name: str = "kommun") -> Ruleset:
    return Ruleset(name=name, version="1", jurisdiction=Jurisdiction.SE, local_rules=rules)


RIGHT = ruleset(once(1), nine_months(False), own_goal("formulated_by"), name="right")
