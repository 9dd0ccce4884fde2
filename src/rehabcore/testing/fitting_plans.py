"""Plans and assessments (#18) in shapes the rules accept, for the rule machine's arms.

Blind, an assessment names the other country's list (V1), an offer the wrong plan kind (P1) and a review a
plan that is not there (C1) almost every time: the rules would be reached only by their refusals. These draw
them in the case's jurisdiction, with plan ids from the pools' small set, so a review often meets a plan
established earlier in the history.

They are arms to steer with (:func:`plan_arms`: ``Steering(arms=plan_arms())``), not built-in shapes: the
built-in arms' draws stay as they were, so the derandomized runs other tests rely on do not move.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.testing import strategies as rs
from rehabcore.testing.swarm import Arm, arms_of

_ICF = list(v.LifeArea)
_THEMES = list(v.VumTheme)
_OFFERED = {v.Jurisdiction.SE: v.PlanKind.LSS_INDIVIDUAL_PLAN, v.Jurisdiction.DK: v.PlanKind.DK_ACTION_PLAN}


def assessments(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.AssessNeeds]:
    """IBIC with ICF levels in Sweden, VUM 2.0 themes with levels in Denmark, each area once."""
    case_ids, ids, on = st.sampled_from(pools.case_ids), st.sampled_from(pools.others), rs.dates(60)
    levels = st.integers(0, 4)
    if jurisdiction is v.Jurisdiction.DK:
        themes = st.lists(
            st.builds(v.ThemeLevel, theme=st.sampled_from(_THEMES), level=levels),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t.theme,
        )
        return st.builds(
            cmd.AssessNeeds,
            case_id=case_ids,
            assessment_id=ids,
            assessed_on=on,
            method=st.just(v.AssessmentMethod.VUM2),
            life_areas=st.just(()),
            participation=st.sampled_from(list(v.Participation)),
            vum_themes=themes.map(tuple),
        )
    findings = st.lists(
        st.builds(v.AreaLevel, area=st.sampled_from(_ICF), level=levels),
        min_size=1,
        max_size=3,
        unique_by=lambda f: f.area,
    )
    return st.builds(
        cmd.AssessNeeds,
        case_id=case_ids,
        assessment_id=ids,
        assessed_on=on,
        method=st.just(v.AssessmentMethod.IBIC),
        life_areas=st.just((v.LifeArea.WORK_AND_EDUCATION,)),
        participation=st.sampled_from(list(v.Participation)),
        findings=findings.map(tuple),
    )


def _plan_ids(pools: rs.Pools) -> st.SearchStrategy[uuid.UUID]:
    """Two plan ids, so that a review (or an offer) often names a plan established in the same case."""
    return st.sampled_from(pools.others[:2])


def offers(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.OfferPlan]:
    """The plan the jurisdiction's law says is offered, with any answer."""
    return st.builds(
        cmd.OfferPlan,
        case_id=st.sampled_from(pools.case_ids),
        plan_id=st.sampled_from(pools.others[2:] or pools.others),
        offered_on=rs.dates(400),
        plan_kind=st.just(_OFFERED[jurisdiction]),
        answer=st.sampled_from(list(v.PlanAnswer)),
    )


def plans(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.EstablishPlan]:
    """A genomförandeplan without goals or placement, early in the case, due some months on."""

    def build(case_id: uuid.UUID, plan_id: uuid.UUID, on: dt.date, days: int, who: v.DialogueParty) -> Any:
        activity = v.PlanActivity(what="arbete i köket", who=who, when="tisdagar", follow_up="varje månad")
        return cmd.EstablishPlan(
            case_id=case_id,
            plan_id=plan_id,
            established_on=on,
            plan_kind=v.PlanKind.IMPLEMENTATION_PLAN,
            goal_ids=(),
            participation=v.Participation.FULL,
            next_follow_up_on=on + dt.timedelta(days=days),
            activities=(activity,),
            own_view="jag vill prova",
        )

    return st.builds(
        build,
        st.sampled_from(pools.case_ids),
        _plan_ids(pools),
        rs.dates(60),
        st.integers(1, 200),
        st.sampled_from(list(v.DialogueParty)),
    )


def reviews(pools: rs.Pools, jurisdiction: v.Jurisdiction) -> st.SearchStrategy[cmd.ReviewPlan]:
    """A review later in the case (so often after its plan), with the next date after it."""

    def build(case_id: uuid.UUID, plan_id: uuid.UUID, review_id: uuid.UUID, on: dt.date, days: int) -> Any:
        return cmd.ReviewPlan(
            case_id=case_id,
            review_id=review_id,
            plan_id=plan_id,
            reviewed_on=on,
            participation=v.Participation.PARTLY,
            next_follow_up_on=on + dt.timedelta(days=days),
            own_view="det går bra",
            disagreement="jag vill ha fler dagar",
        )

    return st.builds(
        build,
        st.sampled_from(pools.case_ids),
        _plan_ids(pools),
        st.sampled_from(pools.others),
        rs.dates(400).map(lambda d: d + dt.timedelta(days=60)),
        st.integers(1, 365),
    )


#: Command class → ``(pools, jurisdiction) -> strategy``.
FITTING: Mapping[type[Any], Callable[[rs.Pools, v.Jurisdiction], st.SearchStrategy[Any]]] = {
    cmd.AssessNeeds: assessments,
    cmd.OfferPlan: offers,
    cmd.EstablishPlan: plans,
    cmd.ReviewPlan: reviews,
}


def plan_arms(weight: int = 8) -> tuple[Arm, ...]:
    """Arms drawing the plan and assessment commands in these shapes, replacing their blind arms."""
    return arms_of(FITTING, weight)
