"""Warnings: rules that accept a command but flag what needs attention (B10, B11, B12, B14, B17, B18).

``review`` looks at the command and the case after its events, as of today. The warnings are returned with
the accepted events; they are never stored as events of their own.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rehabcore.domain import commands as cmd
from rehabcore.domain.context import Context
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import CaseState, Decision, Placement
from rehabcore.domain.vocabulary import DecisionOutcome, FormulatedBy


def review(command: cmd.CaseCommand, after: CaseState, ctx: Context) -> list[RuleWarning]:
    """The warnings for an accepted command."""
    found = list(_about_command(command)) + ctx.ruleset.local_warnings(command, after, ctx)
    if after.is_open:
        found += _unexecuted(after, ctx)
        found += _ending_without_follow_up(after, ctx)
        found += _follow_up_overdue(after, ctx)
    return found


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
    """B10: an LSS decision in force, not executed (or interrupted) for the threshold or longer."""
    threshold = ctx.ruleset.parameters.unexecuted_decision_days
    for d in s.decisions_in_force(ctx.today):
        if not d.is_lss_daily_activity:
            continue
        executing = [p for p in s.placements.values() if p.basis.decision_id == d.decision_id]
        running = [p for p in executing if p.is_active(ctx.today) and not p.is_interrupted_on(ctx.today)]
        if running:
            continue
        since = max([d.made.valid_from, *(_last_executed(p, ctx.today) for p in executing)])
        if (ctx.today - since).days >= threshold:
            yield RuleWarning.of(
                rule_id="B10",
                code="decision_not_executed",
                template="LSS decision {decision_id} granted but not executed since {since}: report to IVO",
                refers_to=d.decision_id,
                decision_id=d.decision_id,
                since=since,
            )


def _last_executed(p: Placement, today: dt.date) -> dt.date:
    """The day from which a placement stopped executing its decision (or its start, if it never did)."""
    if p.end_on is not None and p.end_on < today:
        return p.end_on
    paused = [start for start, end in p.interruptions if start <= today and (end is None or end > today)]
    return paused[0] if paused else p.start_on


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
