"""Warnings: rules that accept a command but flag what needs attention (B10, B11, B12, B14, B17, B18).

B14 for plans (#18): a placement's own plan past its follow-up day with nothing since, and an LSS 10 §
individual plan not reviewed within a year, are flagged per plan (``_plans_overdue``).

``review`` looks at the command and the case after its events, as of today. The warnings are returned with
the accepted events; they are never stored as events of their own.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rehabcore.domain import commands as cmd
from rehabcore.domain import deadlines  # #18
from rehabcore.domain.context import Context
from rehabcore.domain.decisions import other_legislation_unassessed  # #18
from rehabcore.domain.execution import reportable
from rehabcore.domain.plans import LSS_REVIEW_INTERVAL_YEARS, add_years, plan_dues
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import CaseState, Decision
from rehabcore.domain.vocabulary import (
    DecisionOutcome,
    FormulatedBy,
    PlacementKind,
    PlanKind,
    ReportedState,
    ServiceKind,
)
from rehabcore.errors import N_


def review(command: cmd.CaseCommand, after: CaseState, ctx: Context) -> list[RuleWarning]:
    """The warnings for an accepted command."""
    found = list(_about_command(command)) + ctx.ruleset.local_warnings(command, after, ctx)
    # The duty to execute outlives the case: a closed case's decisions are still reported (B10).
    found += _unexecuted(after, ctx)
    found += _ages(command, ctx)
    if after.is_open:
        found += _ending_without_follow_up(after, ctx)
        found += _follow_up_overdue(after, ctx)
        found += _plans_overdue(after, ctx)  # #18
        found += deadlines.overdue(after, ctx)  # #18: B26
    found += other_legislation_unassessed(command, after)  # #18: B25
    return found


# --- #13 privacy: ages from the identity vault (B22) -------------------------------------------------------

#: Folkepensionsalder (Denmark) and the end of working age for LSS daily activity (yrkesverksam ålder).
PENSION_AGE = 67
#: LSS daily activity is for adults of working age, after school.
WORKING_AGE_FROM = 18


def _age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _ages(c: cmd.CaseCommand, ctx: Context) -> list[RuleWarning]:
    """B22: § 103 only below folkepensionsalder; LSS daily activity in working age (warnings)."""
    if ctx.born_on is None:
        return []
    service: ServiceKind | None
    if isinstance(c, cmd.MakeDecision) and c.outcome is not DecisionOutcome.REJECT:
        on, service, ref = c.valid_from, c.service, c.decision_id
    elif isinstance(c, cmd.StartPlacement):
        on, ref = c.start_on, c.placement_id
        service = ServiceKind.LSS_DAILY_ACTIVITY if c.kind is PlacementKind.DAILY_ACTIVITY else None
    elif isinstance(c, cmd.TransferToLssDailyActivity):
        on, service, ref = c.start_on, ServiceKind.LSS_DAILY_ACTIVITY, c.placement_id
    else:
        return []
    age = _age_on(ctx.born_on, on)
    if service is ServiceKind.DK_PROTECTED_EMPLOYMENT and age >= PENSION_AGE:
        message = f"the person is {age} on {on}: § 103 is for people below folkepensionsalder ({PENSION_AGE})"
        return [RuleWarning(rule_id="B22", code="past_pension_age", message=message, refers_to=ref)]
    if service is ServiceKind.LSS_DAILY_ACTIVITY and not WORKING_AGE_FROM <= age < PENSION_AGE:
        message = (
            f"the person is {age} on {on}: LSS daily activity is for working age "
            f"({WORKING_AGE_FROM} to {PENSION_AGE - 1})"
        )
        return [RuleWarning(rule_id="B22", code="outside_working_age", message=message, refers_to=ref)]
    return []


def _about_command(c: cmd.CaseCommand) -> Iterator[RuleWarning]:
    if isinstance(c, cmd.SetGoal) and c.formulated_by in (FormulatedBy.PROXY, FormulatedBy.PROFESSIONAL):
        yield RuleWarning.of(
            rule_id="B12",
            code="goal_not_citizen_led",
            template=(
                "goal formulated by {formulated_by}: work it through with the citizen in their own words"
            ),
            refers_to=c.goal_id,
            formulated_by=c.formulated_by,
        )
    if isinstance(c, cmd.MakeDecision):
        if c.outcome is not DecisionOutcome.REJECT and (
            not c.alternatives_considered or c.least_intrusive_rationale is None
        ):
            yield RuleWarning.of(
                rule_id="B17",
                code="least_intrusive_not_recorded",
                template=(
                    "record the alternatives considered and why this is the least intrusive way to meet "
                    "the need"
                ),
                refers_to=c.decision_id,
            )
        unfavourable = c.outcome in (
            DecisionOutcome.REJECT,
            DecisionOutcome.PARTIAL,
            DecisionOutcome.TERMINATE,
        )
        if c.decided_by is None:
            yield RuleWarning.of(
                rule_id="D1",
                code="decider_not_recorded",
                template="a decision shows who made it (FL 31 §): record decided_by",
                refers_to=c.decision_id,
            )
        if unfavourable and not c.appeal_info_given:
            yield RuleWarning.of(
                rule_id="D1",
                code="appeal_info_not_given",
                template="a decision that goes against the person tells them how to appeal (FL 33 §)",
                refers_to=c.decision_id,
            )
        if unfavourable and (c.communicated_on is None or c.communicated_on > c.decided_on):
            yield RuleWarning.of(
                rule_id="B18",
                code="not_communicated",
                template=(
                    "an unfavourable decision is communicated to the person before it is made (kommunicering)"
                ),
                refers_to=c.decision_id,
            )


def _unexecuted(s: CaseState, ctx: Context) -> Iterator[RuleWarning]:
    """B10: a favourable decision the law counts, not executed (or interrupted, or only partly executed) for
    three calendar months: the same definition as the watch list and IVO's report (``execution.py``)."""
    for found in reportable(s.execution, ctx.today):
        d = found.decision
        yield RuleWarning.of(
            rule_id="B10",
            code="decision_not_executed",
            template="decision {decision_id} ({law} {section}) {what} since {since}, three months on "
            "{reached_on}: report to IVO",
            refers_to=d.decision_id,
            decision_id=d.decision_id,
            law=d.legal_basis.law,
            section=d.legal_basis.section,
            what=_STATE_WORDS.get(found.state, str(found.state).replace("_", " ")) if found.state else "",
            since=found.since,
            reached_on=found.reached_on,
        )


#: How B10 words each state in English; marked, so its message shows them in the user's language.
_STATE_WORDS = {
    ReportedState.NOT_EXECUTED: N_("not executed"),
    ReportedState.INTERRUPTED: N_("interrupted"),
    ReportedState.PARTLY_EXECUTED: N_("partly executed"),
}


def _ending_without_follow_up(s: CaseState, ctx: Context) -> Iterator[RuleWarning]:
    """B11: a time-limited decision ends soon with no follow-up and no new decision."""
    notice = dt.timedelta(days=ctx.ruleset.parameters.decision_expiry_notice_days)
    for d in s.decisions_in_force(ctx.today):
        last = d.last_day
        if last is None or d.ended_on is not None or last - ctx.today > notice:
            continue
        followed_up = s.last_follow_up_on is not None and s.last_follow_up_on >= last - notice
        if not followed_up and not _renewed(s, d):
            yield RuleWarning.of(
                rule_id="B11",
                code="decision_ending",
                template=(
                    "decision {decision_id} ends on {on}: follow up and take a new application in good time"
                ),
                refers_to=d.decision_id,
                decision_id=d.decision_id,
                on=last,
            )


def _renewed(s: CaseState, d: Decision) -> bool:
    last = d.last_day
    return any(
        other.made.service is d.made.service and last is not None and other.made.valid_from > last
        for other in s.decisions.values()
        if other.is_granted
    )


def _follow_up_overdue(s: CaseState, ctx: Context) -> Iterator[RuleWarning]:
    """B14: a placement runs past its follow-up date with no follow-up."""
    active = s.active_placements(ctx.today)
    if not active:
        return
    tied = {p.placement_id for p in s.plans if p.placement_id is not None}
    if all(p.placement_id in tied for p in active):
        return  # each placement has its own plan, watched one by one (_plans_overdue, #18)
    last = s.last_follow_up_on
    due = s.next_follow_up_on
    if due is None:
        first_start = min(p.start_on for p in active)
        due = max(first_start, last or first_start) + dt.timedelta(
            days=ctx.ruleset.parameters.follow_up_interval_days
        )
    if due < ctx.today and (last is None or last < due):
        yield RuleWarning.of(
            rule_id="B14",
            code="follow_up_overdue",
            template="a follow-up was due on {due}; record RecordFollowUp",
            due=due,
        )


# --- #18 plans (B14) ---------------------------------------------------------------------------------------


def _plans_overdue(s: CaseState, ctx: Context) -> Iterator[RuleWarning]:
    """B14 per plan: a placement's plan past its follow-up day while the placement runs, with no follow-up
    or review since; an LSS 10 § individual plan not reviewed within a year while an LSS insats is in
    force."""
    dues = list(plan_dues(s))
    if not dues:  # most cases on most commands: no decision in force is looked up for nothing
        return
    today = ctx.today
    lss_in_force = any(d.made.legal_basis.law == "LSS" for d in s.decisions_in_force(today))
    for due in dues:
        plan = due.plan
        placement = s.placements.get(plan.placement_id) if plan.placement_id is not None else None
        overdue = due.due_on < today and due.last_on < due.due_on
        if placement is not None and placement.is_active(today) and overdue:
            yield RuleWarning.of(
                rule_id="B14",
                code="plan_follow_up_overdue",
                template="plan {plan_id} was to be followed up on {due}; follow it up or review it",
                refers_to=plan.plan_id,
                plan_id=plan.plan_id,
                due=due.due_on,
            )
        if plan.plan_kind is PlanKind.LSS_INDIVIDUAL_PLAN and lss_in_force:
            reviewed = max(
                (rv.occurred_on for rv in s.plan_reviews if rv.plan_id == plan.plan_id),
                default=plan.occurred_on,
            )
            by = add_years(reviewed, LSS_REVIEW_INTERVAL_YEARS)
            if by < today:
                yield RuleWarning.of(
                    rule_id="B14",
                    code="individual_plan_not_reviewed",
                    template=(
                        "individual plan {plan_id} (LSS 10 §) was last reviewed on {reviewed}: it is "
                        "reviewed at least once a year, by {by}"
                    ),
                    refers_to=plan.plan_id,
                    plan_id=plan.plan_id,
                    reviewed=reviewed,
                    by=by,
                )
