"""The commands of the execution duty (#11): ending it for a recorded reason, and interim support.

``EndExecutionDuty`` is accepted on a closed case too: the duty to execute a favourable decision, and to
report it to IVO, outlives the case (LSS 28 f §).

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import granted_decision, when
from rehabcore.domain.context import Context
from rehabcore.domain.execution import duty_end
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import DutyEndReason


def end_execution_duty(c: cmd.EndExecutionDuty, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """The duty ends for a reason IVO accepts, on a favourable decision whose duty still runs."""
    when(s, c.ended_on, ctx, "ended_on")
    if c.reason is DutyEndReason.DECISION_ENDED:
        raise r.InvalidState(
            "a decision ends by a new decision: record MakeDecision with outcome 'terminate' instead"
        )
    d = granted_decision(s, c.decision_id, r.UnknownReference)
    if c.ended_on < d.made.occurred_on:
        raise r.DatesOutOfOrder(
            "ended_on ({ended_on}) is before the decision ({occurred_on})",
            ended_on=c.ended_on,
            occurred_on=d.made.occurred_on,
        )
    facts = s.execution.decision(c.decision_id)
    end = duty_end(facts) if facts is not None else None
    if end is not None and end[0] <= c.ended_on:
        raise r.InvalidState(
            "the duty to execute decision {decision_id} already ended on {value}",
            decision_id=c.decision_id,
            value=end[0],
        )
    return [record(c)]


def give_interim_support(c: cmd.GiveInterimSupport, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """Interim support is given for a favourable decision of the case, not before it was made."""
    when(s, c.given_on, ctx, "given_on")
    d = granted_decision(s, c.decision_id, r.UnknownReference)
    if c.given_on < d.made.occurred_on:
        raise r.DatesOutOfOrder(
            "given_on ({given_on}) is before the decision ({occurred_on})",
            given_on=c.given_on,
            occurred_on=d.made.occurred_on,
        )
    return [record(c)]
