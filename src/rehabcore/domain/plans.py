"""The rules of plans (#18): the genomförandeplan, the LSS 10 § individual plan and the SEL § 141 handleplan.

A plan is drawn up with the person: what is done, who does it, when and how it is followed up (SOSFS 2014:5
6 kap.), whether and how the person took part and their own view. A genomförandeplan is the executing unit's:
tied to the placement and the unit it is carried out at. The LSS individual plan is offered once an LSS
insats is granted and drawn up on the person's request (LSS 10 §); it is reviewed at least once a year. The
Danish handleplan is offered (SEL § 141). Follow-ups and reviews keep the person's own view and any
disagreement in their words (seed 003: the citizen an equal party) — recorded, never overruled.

When each plan is next due is read here (:func:`plan_dues`); the warnings for plans overdue (B14) are in
``review.py``.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, placement, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.domain.validation import check_text
from rehabcore.domain.vocabulary import Jurisdiction, PlanActivity, PlanKind

#: The plan kinds of each jurisdiction; a genomförandeplan (indsatsplan) is made in both.
PLAN_KINDS = {
    Jurisdiction.SE: frozenset({PlanKind.IMPLEMENTATION_PLAN, PlanKind.LSS_INDIVIDUAL_PLAN}),
    Jurisdiction.DK: frozenset({PlanKind.IMPLEMENTATION_PLAN, PlanKind.DK_ACTION_PLAN}),
}
#: The plans the law says are offered (LSS 10 §, SEL § 141); the others are simply drawn up.
OFFERED_KINDS = frozenset({PlanKind.LSS_INDIVIDUAL_PLAN, PlanKind.DK_ACTION_PLAN})
#: LSS 10 §: an individual plan is reviewed at least once a year.
LSS_REVIEW_INTERVAL_YEARS = 1


def _check_activities(activities: tuple[PlanActivity, ...] | None) -> None:
    """Each activity's texts: non-blank, one line, bounded, no identity number (InvalidInput naming it)."""
    for i, a in enumerate(activities or ()):
        for name in ("what", "when", "follow_up"):
            check_text(f"activities[{i}].{name}", getattr(a, name))


def _kind_of_jurisdiction(s: CaseState, kind: PlanKind) -> None:
    if s.jurisdiction is not None and kind not in PLAN_KINDS[s.jurisdiction]:
        raise r.PlanInvalid(
            "a {plan_kind} is not a plan of a {jurisdiction} case: use the jurisdiction's own plan",
            plan_kind=kind,
            jurisdiction=s.jurisdiction,
        )


def _lss_insats_granted(s: CaseState, kind: PlanKind, on: dt.date) -> None:
    """LSS 10 §: the individual plan follows a granted LSS insats."""
    if kind is not PlanKind.LSS_INDIVIDUAL_PLAN:
        return
    granted = (d for d in s.decisions.values() if d.is_granted and d.made.occurred_on <= on)
    if not any(d.made.legal_basis.law == "LSS" for d in granted):
        raise r.PlanInvalid(
            "an individual plan (LSS 10 §) follows a granted LSS insats: record the decision first"
        )


def offer_plan(c: cmd.OfferPlan, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """OfferPlan: a plan the law says is offered, of the case's jurisdiction, with the person's answer."""
    when(s, c.offered_on, ctx, "offered_on")
    fresh(s.plan_offers, c.plan_id, "plan offer")
    fresh([p.plan_id for p in s.plans], c.plan_id, "plan")
    if c.plan_kind not in OFFERED_KINDS:
        raise r.PlanInvalid(
            "a {plan_kind} is drawn up, not offered: offer an individual plan (LSS 10 §) or a handleplan "
            "(§ 141)",
            plan_kind=c.plan_kind,
        )
    _kind_of_jurisdiction(s, c.plan_kind)
    _lss_insats_granted(s, c.plan_kind, c.offered_on)
    return [record(c)]


def establish_plan(c: cmd.EstablishPlan, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """EstablishPlan: fresh, its goals this case's, its follow-up dated, of the case's jurisdiction, tied to a
    placement of this case and that placement's unit; an offered plan the person accepted or asked for."""
    when(s, c.established_on, ctx, "established_on")
    fresh([p.plan_id for p in s.plans], c.plan_id, "plan")
    for goal_id in c.goal_ids:
        if goal_id not in s.goals:
            raise r.UnknownReference(
                "goal {goal_id} is not in this case; set it with SetGoal first", goal_id=goal_id
            )
    if c.next_follow_up_on < c.established_on:
        raise r.DatesOutOfOrder(
            "next_follow_up_on ({next_follow_up_on}) is before the plan",
            next_follow_up_on=c.next_follow_up_on,
        )
    _check_activities(c.activities)
    _kind_of_jurisdiction(s, c.plan_kind)
    _lss_insats_granted(s, c.plan_kind, c.established_on)
    offer = s.plan_offers.get(c.plan_id)
    if offer is not None and (offer.plan_kind is not c.plan_kind or c.established_on < offer.occurred_on):
        raise r.PlanInvalid(
            "plan {plan_id} was offered as a {offered_kind} on {offered_on}: establish it as that kind, "
            "on or after that day",
            plan_id=c.plan_id,
            offered_kind=offer.plan_kind,
            offered_on=offer.occurred_on,
        )
    if c.placement_id is not None:
        p = placement(s, c.placement_id)
        if c.unit_id != p.unit_id:
            raise r.PlanInvalid(
                "plan {plan_id} is tied to placement {placement_id}: name its unit (unit_id {unit_id})",
                plan_id=c.plan_id,
                placement_id=c.placement_id,
                unit_id=p.unit_id,
            )
    return [record(c)]


def review_plan(c: cmd.ReviewPlan, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ReviewPlan: of an established plan, on or after it, with the next review after this one."""
    when(s, c.reviewed_on, ctx, "reviewed_on")
    fresh([rv.review_id for rv in s.plan_reviews], c.review_id, "plan review")
    _check_activities(c.activities)
    plan = established(s, c.plan_id)
    if c.reviewed_on < plan.occurred_on:
        raise r.DatesOutOfOrder(
            "reviewed_on ({reviewed_on}) is before plan {plan_id} was established",
            reviewed_on=c.reviewed_on,
            plan_id=c.plan_id,
        )
    if c.next_follow_up_on <= c.reviewed_on:
        raise r.DatesOutOfOrder("next_follow_up_on must be after reviewed_on")
    return [record(c)]


def check_follow_up(c: cmd.RecordFollowUp, s: CaseState) -> None:
    """RecordFollowUp of a plan: the plan is this case's, established by the follow-up's day."""
    if c.plan_id is None:
        return
    plan = established(s, c.plan_id)
    if c.follow_up_on < plan.occurred_on:
        raise r.DatesOutOfOrder("follow_up_on is before plan {plan_id} was established", plan_id=c.plan_id)


def established(s: CaseState, plan_id: uuid.UUID) -> ev.PlanEstablished:
    """C1: the plan of this case with ``plan_id``."""
    found = next((p for p in s.plans if p.plan_id == plan_id), None)
    if found is None:
        raise r.UnknownReference("plan {plan_id} is not in this case; establish it first", plan_id=plan_id)
    return found


# --- when each plan is due (B14) ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlanDue:
    """A plan, the day it was last established or reviewed or followed up, and the day it is next due."""

    plan: ev.PlanEstablished
    last_on: dt.date
    due_on: dt.date


def plan_dues(s: CaseState) -> Iterator[PlanDue]:
    """Every plan with its next due day: the latest of its establishment, reviews and follow-ups naming it
    says when (a follow-up without a next date leaves the due day where it was)."""
    for plan in s.plans:
        last_on, due_on = plan.occurred_on, plan.next_follow_up_on
        for review in s.plan_reviews:
            if review.plan_id == plan.plan_id and review.occurred_on >= last_on:
                last_on, due_on = review.occurred_on, review.next_follow_up_on
        for f in s.follow_ups:
            # A follow-up of the whole case (no plan named) follows up each of its plans too.
            if f.plan_id in (plan.plan_id, None) and f.occurred_on >= last_on:
                last_on = f.occurred_on
                if f.next_follow_up_on is not None:
                    due_on = f.next_follow_up_on
        yield PlanDue(plan=plan, last_on=last_on, due_on=due_on)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
