"""IVO's quarterly report of decisions not executed: the lines of a quarter, and the municipality's stream.

:func:`quarter_lines` reads one case's :class:`~rehabcore.domain.execution.ExecutionRecord` for a quarter:
every reportable decision that was reportable on some day of the quarter (a decision that crossed three
months and was executed inside the quarter is on it, executed), and every decision the last submitted report
listed as not executed, with what became of it ("executed on …", "ended, reason …"). It reads the same
:func:`~rehabcore.domain.execution.stretches` as the B10 warning and the watch list.

The municipality's stream (``ivo-<municipality code>``) records each report as submitted
(``IvoReportSubmitted``): the decisions it listed and how, frozen, so the next quarter compares with what was
sent, not with what the record says now about the past.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import permissions
from rehabcore.domain import rules as r
from rehabcore.domain.checks import not_too_far_ahead
from rehabcore.domain.context import Context
from rehabcore.domain.execution import (
    DAY,
    DecisionFacts,
    ExecutionRecord,
    InterimSupport,
    Level,
    OfferFacts,
    duty_end,
    reporting_provision,
    standing,
    stretches,
    three_months_from,
)
from rehabcore.domain.vocabulary import DutyEndReason, Quarter, ReportedDecision, ReportedState
from rehabcore.errors import InvalidInput

_OPEN = (ReportedState.NOT_EXECUTED, ReportedState.INTERRUPTED, ReportedState.PARTLY_EXECUTED)


class DelayReason(enum.StrEnum):
    """Why a reportable decision is not executed, as far as the record shows it (IVO asks for a reason)."""

    NO_PLACE_OFFERED = "no_place_offered"  # ingen plats erbjuden (resursbrist)
    OFFER_MADE = "offer_made"  # erbjudande lämnat, inte påbörjat
    OFFER_DECLINED = "offer_declined"  # den enskilde tackade nej till erbjudandet
    INTERRUPTED = "interrupted"  # verkställigheten avbröts
    BELOW_EXTENT = "below_extent"  # verkställt i lägre omfattning än beslutet


class Change(enum.StrEnum):
    """What changed for a decision since the last report sent to IVO."""

    NEW = "new"  # not in the last report sent
    UNCHANGED = "unchanged"
    EXECUTED = "executed"  # reported before, executed since
    ENDED = "ended"  # reported before, ended since
    STATE_CHANGED = "state_changed"


@attrs.frozen(kw_only=True)
class QuarterLine:
    """One decision on a quarter's report, with what IVO asks about it."""

    case_id: uuid.UUID
    decision: DecisionFacts
    provision: str
    state: ReportedState
    since: dt.date
    reached_on: dt.date
    settled_on: dt.date | None
    end_reason: DutyEndReason | None
    offers: tuple[OfferFacts, ...]
    interim: tuple[InterimSupport, ...]
    delay_reason: DelayReason | None
    change: Change
    previously: ReportedDecision | None

    def as_reported(self) -> ReportedDecision:
        """The line as a submitted report freezes it."""
        return ReportedDecision(
            case_id=self.case_id,
            decision_id=self.decision.decision_id,
            state=self.state,
            since=self.since,
            reached_on=self.reached_on,
            settled_on=self.settled_on,
            end_reason=self.end_reason,
        )


@attrs.frozen
class _Gap:
    start: dt.date
    end: dt.date | None  # last day not fully executed; None: still so on the last day asked
    ever_executed: bool


def _gaps(runs: list[tuple[dt.date, dt.date | None, Level]]) -> list[_Gap]:
    gaps: list[_Gap] = []
    ever = False
    current: tuple[dt.date, bool] | None = None
    for start, _end, level in runs:
        if level is Level.FULL:
            if current is not None:
                gaps.append(_Gap(current[0], start - DAY, current[1]))
                current = None
            ever = True
            continue
        if current is None:
            current = (start, ever)
        ever = ever or level is Level.PARTLY
    if current is not None:
        gaps.append(_Gap(current[0], None, current[1]))
    return gaps


def quarter_lines(
    record: ExecutionRecord, quarter: Quarter, reported: Mapping[uuid.UUID, ReportedDecision]
) -> list[QuarterLine]:
    """The case's lines on ``quarter``'s report; ``reported`` is the last submitted report's decisions."""
    first, last = quarter.first_day, quarter.last_day
    lines = []
    for d in record.decisions:
        provision = reporting_provision(d.legal_basis, d.service)
        if provision is None or not d.favourable or d.decided_on > last:
            continue
        before = reported.get(d.decision_id)
        carried = before is not None and before.state in _OPEN
        line = _line(record, d, provision, first, last, before if carried else None)
        if line is not None:
            lines.append(line)
    return lines


def _line(
    record: ExecutionRecord,
    d: DecisionFacts,
    provision: str,
    first: dt.date,
    last: dt.date,
    before: ReportedDecision | None,
) -> QuarterLine | None:
    end = duty_end(d)
    stop = last if end is None else min(last, end[0] - DAY)
    runs = [] if stop < d.decided_on else [(s.start, s.end, s.level) for s in stretches(record, d, stop)]
    gaps = _gaps(runs)
    chosen = None
    for g in gaps:
        reached = three_months_from(g.start)
        bound = stop if g.end is None else min(g.end, stop)
        if reached <= bound and bound >= first and reached <= last:
            chosen = g
    if chosen is None and before is not None:
        chosen = next(
            (g for g in gaps if g.start <= before.since and (g.end is None or before.since <= g.end)), None
        )
        if (
            chosen is None
        ):  # the record no longer shows that gap (a correction): executed from its first full day
            full = [a for a, _, level in runs if level is Level.FULL and a >= before.since]
            chosen = _Gap(before.since, (full[0] if full else last + DAY) - DAY, False)
    if chosen is None:
        return None
    ended = end is not None and end[0] <= last and (chosen.end is None or chosen.end >= end[0] - DAY)
    settled_on: dt.date | None = None
    reason: DutyEndReason | None = None
    if ended and end is not None:
        state, settled_on, reason = ReportedState.ENDED, end[0], end[1]
    elif chosen.end is not None and chosen.end < last:
        state, settled_on = ReportedState.EXECUTED, chosen.end + DAY
    else:
        now = standing(record, d.decision_id, last)
        state = now.state if now is not None and now.state is not None else ReportedState.EXECUTED
    offers = tuple(o for o in record.offers if o.decision_id == d.decision_id and o.offered_on <= last)
    interim = tuple(i for i in record.interim if i.decision_id == d.decision_id and i.given_on <= last)
    since = chosen.start
    return QuarterLine(
        case_id=record.case_id or uuid.UUID(int=0),
        decision=d,
        provision=provision,
        state=state,
        since=since,
        reached_on=three_months_from(since),
        settled_on=settled_on,
        end_reason=reason,
        offers=offers,
        interim=interim,
        delay_reason=_delay(state, offers),
        change=_change(state, since, before),
        previously=before,
    )


def _delay(state: ReportedState, offers: tuple[OfferFacts, ...]) -> DelayReason | None:
    if state is ReportedState.INTERRUPTED:
        return DelayReason.INTERRUPTED
    if state is ReportedState.PARTLY_EXECUTED:
        return DelayReason.BELOW_EXTENT
    if state is not ReportedState.NOT_EXECUTED:
        return None
    if offers and all(o.declined_on is not None for o in offers):
        return DelayReason.OFFER_DECLINED
    return DelayReason.OFFER_MADE if offers else DelayReason.NO_PLACE_OFFERED


def _change(state: ReportedState, since: dt.date, before: ReportedDecision | None) -> Change:
    if before is None:
        return Change.NEW
    if state is ReportedState.EXECUTED:
        return Change.EXECUTED
    if state is ReportedState.ENDED:
        return Change.ENDED
    if state is before.state and since == before.since:
        return Change.UNCHANGED
    return Change.STATE_CHANGED


# --- the municipality's IVO stream -----------------------------------------------------------------------


def ivo_stream(municipality_code: str) -> str:
    """The stream of a municipality's IVO reports: a prefix and the municipality code (never personal)."""
    if not isinstance(municipality_code, str) or not (
        municipality_code.isascii() and municipality_code.isdigit() and 3 <= len(municipality_code) <= 4
    ):
        raise InvalidInput("municipality_code", "must be a municipality code of 3 or 4 digits, as in 2284")
    return f"ivo-{municipality_code}"


@attrs.frozen(kw_only=True)
class IvoState:
    """The reports a municipality has sent to IVO, oldest first."""

    version: int = 0
    municipality_code: str | None = None
    submitted: tuple[ev.IvoReportSubmitted, ...] = ()

    def last_before(self, quarter: Quarter) -> ev.IvoReportSubmitted | None:
        """The report of the latest quarter before ``quarter`` that was sent."""
        earlier = [s for s in self.submitted if s.quarter < quarter]
        return max(earlier, key=lambda s: s.quarter) if earlier else None

    def of(self, quarter: Quarter) -> ev.IvoReportSubmitted | None:
        """The report sent for ``quarter``, if any."""
        return next((s for s in self.submitted if s.quarter == quarter), None)


def decide_ivo(c: cmd.MarkIvoReportSubmitted, s: IvoState, ctx: Context) -> list[ev.IvoEvent]:
    """Record a report as sent: after its quarter, once per quarter, each decision once."""
    permissions.check(c, s, ctx)  # #16
    if c.submitted_on <= c.quarter.last_day:
        raise r.DatesOutOfOrder(
            "a report for {quarter} is sent after the quarter ends ({last_day}); submitted_on was "
            "{submitted_on}",
            quarter=c.quarter,
            last_day=c.quarter.last_day,
            submitted_on=c.submitted_on,
        )
    not_too_far_ahead(c.submitted_on, ctx, "submitted_on")
    sent = s.of(c.quarter)
    if sent is not None:
        raise r.InvalidState(
            "the report for {quarter} was already marked submitted on {occurred_on}",
            quarter=c.quarter,
            occurred_on=sent.occurred_on,
        )
    seen: set[uuid.UUID] = set()
    for line in c.decisions:
        if line.decision_id in seen:
            raise r.DuplicateId(
                "decision {decision_id} is listed twice; a report lists a decision once",
                decision_id=line.decision_id,
            )
        seen.add(line.decision_id)
    return [
        ev.IvoReportSubmitted(
            occurred_on=c.submitted_on,
            municipality_code=c.municipality_code,
            quarter=c.quarter,
            decisions=c.decisions,
        )
    ]


def evolve_ivo(s: IvoState, e: ev.IvoEvent) -> IvoState:
    """The reports after one more. Total."""
    return attrs.evolve(
        s, version=s.version + 1, municipality_code=e.municipality_code, submitted=(*s.submitted, e)
    )
