"""The execution duty as the law counts it: which decisions are reportable to IVO, since when, and how.

One definition, used everywhere: the B10 warning (``review.py``), the read models (``projections/watch.py``,
``caseload.execution_gap``, ``waiting``) and IVO's quarterly report all ask :func:`standing` and
:func:`reportable` here, on an :class:`ExecutionRecord` folded by :func:`evolve_execution` from the case's
events (the case's own fold keeps one on ``CaseState.execution``; the read model keeps the same record).

The law (LSS 28 f–h §; SoL 2001:453 16 kap. 6 f §, and its counterpart in SoL 2025:400):

* a *favourable* decision (granted, or granted in part) on an LSS 9 § insats or on SoL bistånd that is not
  executed within **three calendar months from the day of the decision** is reported — whatever its
  ``valid_from``, also before it is in force, and also after the case was closed;
* so is one whose execution was **interrupted** and not taken up again within three months of the day it
  stopped; partial execution (placed below the decided extent) counts as an interruption;
* the duty lasts until the decision is executed, ends (a terminating decision, or its time runs out), or
  ends for a recorded reason (:class:`~rehabcore.domain.vocabulary.DutyEndReason`). A declined offer does
  not end it.

Days: a decision decided on D, never executed, is unexecuted from D. It is reportable on any day on which it
is still not (fully) executed and that is on or after the day three calendar months from D
(:func:`add_months`: 31 Jan → 30 Apr). An interruption from day X (the first day without execution) is
counted the same way from X, so an interruption of three months and a day is reported, one of three months
less a day is not.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import uuid
from collections.abc import Iterable

import attrs

from rehabcore.domain import events as ev
from rehabcore.domain.replace import replace
from rehabcore.domain.vocabulary import (
    ContinuityGround,
    DecisionOutcome,
    DutyEndReason,
    Extent,
    ExtentUnit,
    InterimSupportKind,
    Jurisdiction,
    LegalBasis,
    ReportedState,
    ServiceKind,
)

DAY = dt.timedelta(days=1)
#: The law's figure (LSS 28 f §, SoL 16 kap. 6 f §): a municipality cannot choose another.
MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or that month's last day (31 Jan + 3 → 30 Apr)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def three_months_from(day: dt.date) -> dt.date:
    """The day three calendar months from ``day`` are reached (IVO: "tre månader från dagen för beslutet")."""
    return add_months(day, MONTHS)


# --- which decisions count ------------------------------------------------------------------------------

#: Spellings of the two laws, lower case, as case systems write them: all read as the short name.
_LAWS = {
    "lss": "LSS",
    "1993:387": "LSS",
    "sfs 1993:387": "LSS",
    "lag (1993:387) om stöd och service till vissa funktionshindrade": "LSS",
    "sol": "SoL",
    "socialtjänstlagen": "SoL",
    "socialtjänstlag": "SoL",
    "2001:453": "SoL",
    "2025:400": "SoL",
}


def _law(basis: LegalBasis) -> str:
    return _LAWS.get(basis.law.strip().lower(), basis.law.strip())


def _version(basis: LegalBasis) -> str:
    found = re.search(r"\d{4}:\d+", basis.version)
    return found.group(0) if found else basis.version.strip()


def _section(text: str) -> str:
    """``"4 kap. 1 §"``, ``"4 kap 1§"`` → ``"4 kap 1 §"``; ``"9 § 10 p."`` → ``"9 § 10"``."""
    t = text.lower().replace(".", " ").replace("§", " § ")
    t = re.sub(r"\b(punkt|p)\b", " ", t)
    return " ".join(t.split())


#: (law, version, section) → the provision that makes an unexecuted favourable decision reportable. The
#: version is "*" where the law has one version. Every LSS 9 § insats; SoL bistånd under both SoL versions.
#: Not SoL 4 kap. 4 § (a requirement attached to income support, not bistånd), not Danish decisions.
#: The SoL 2025:400 entry is as the project's design notes have it: see docs/ivo.md for what is verified.
REPORTABLE: dict[tuple[str, str, str], str] = {
    **{("LSS", "*", f"9 § {n}"): "LSS 28 f §" for n in range(1, 11)},
    ("SoL", "2001:453", "4 kap 1 §"): "SoL (2001:453) 16 kap. 6 f §",
    ("SoL", "2025:400", "11 kap 1 §"): "SoL (2025:400), its counterpart of 16 kap. 6 f § (unverified)",
}


def reporting_provision(basis: LegalBasis, service: ServiceKind | None = None) -> str | None:
    """The provision under which a favourable decision on ``basis`` is reported, or None if it is not."""
    if basis.jurisdiction is not Jurisdiction.SE or service is ServiceKind.REQUIRED_ACTIVITY:
        return None
    law, section = _law(basis), _section(basis.section)
    return REPORTABLE.get((law, "*", section)) or REPORTABLE.get((law, _version(basis), section))


# --- the record the duty is read from --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DecisionFacts:
    """What the duty needs of one decision."""

    decision_id: uuid.UUID
    decided_on: dt.date
    outcome: DecisionOutcome
    legal_basis: LegalBasis
    service: ServiceKind
    valid_from: dt.date
    valid_to: dt.date | None = None
    extent: Extent | None = None
    #: The last day in force, set when a later decision terminated it.
    terminated_after: dt.date | None = None
    duty_ended_on: dt.date | None = None
    duty_end_reason: DutyEndReason | None = None

    @property
    def favourable(self) -> bool:
        """Granted in whole or in part."""
        return self.outcome in (DecisionOutcome.GRANT, DecisionOutcome.PARTIAL)

    @property
    def last_day(self) -> dt.date | None:
        """The last day in force (None: until further notice)."""
        ends = [d for d in (self.valid_to, self.terminated_after) if d is not None]
        return min(ends) if ends else None


@attrs.frozen(kw_only=True)
class PlacementFacts:
    """A placement as far as it executes decisions: when it ran and paused, its extent, which decisions."""

    placement_id: uuid.UUID
    start_on: dt.date
    hours_per_week: int
    days_per_week: int | None = None
    end_on: dt.date | None = None
    #: (first day paused, day resumed or None)
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()
    #: (decision id, first day executed): the decision it started on, and each that authorised an extension.
    executes: tuple[tuple[uuid.UUID, dt.date], ...] = ()

    def runs(self, day: dt.date) -> bool:
        """Started, not ended and not paused on ``day``."""
        if day < self.start_on or (self.end_on is not None and day > self.end_on):
            return False
        return not any(a <= day and (b is None or day < b) for a, b in self.pauses)

    def executes_on(self, decision_id: uuid.UUID, day: dt.date) -> bool:
        """Executing ``decision_id`` on ``day``."""
        return any(d == decision_id and f <= day for d, f in self.executes) and self.runs(day)

    def held(self, decision_id: uuid.UUID, day: dt.date) -> bool:
        """A place for ``decision_id`` held on ``day`` (running or paused)."""
        started = any(d == decision_id and f <= day for d, f in self.executes) and self.start_on <= day
        return started and (self.end_on is None or day <= self.end_on)

    def changes(self) -> list[dt.date]:
        """The days on which what it does may change."""
        days = [self.start_on, *(f for _, f in self.executes)]
        if self.end_on is not None:
            days.append(self.end_on + DAY)
        for a, b in self.pauses:
            days += [a] if b is None else [a, b]
        return days


@attrs.frozen(kw_only=True)
class InterimSupport:
    """Support given while a decision waited."""

    decision_id: uuid.UUID
    given_on: dt.date
    kind: InterimSupportKind


@attrs.frozen(kw_only=True)
class OfferFacts:
    """An offer of a place for a decision (unit, date), and whether the person declined it."""

    offer_id: uuid.UUID
    decision_id: uuid.UUID | None
    unit_id: uuid.UUID
    offered_on: dt.date
    offered_from: dt.date
    declined_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class ExecutionRecord:
    """What the execution duty is read from, for one case, folded by :func:`evolve_execution`."""

    case_id: uuid.UUID | None = None
    municipality_code: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    decisions: tuple[DecisionFacts, ...] = ()
    placements: tuple[PlacementFacts, ...] = ()
    interim: tuple[InterimSupport, ...] = ()
    offers: tuple[OfferFacts, ...] = ()

    def decision(self, decision_id: uuid.UUID) -> DecisionFacts | None:
        """The decision with that id, if recorded."""
        return next((d for d in self.decisions if d.decision_id == decision_id), None)


def _put(rows: tuple[object, ...], new: object, key: str) -> tuple[object, ...]:
    value = getattr(new, key)
    for n, row in enumerate(rows):
        if getattr(row, key) == value:
            return (*rows[:n], new, *rows[n + 1 :])
    return (*rows, new)


def _placement(r: ExecutionRecord, placement_id: uuid.UUID) -> PlacementFacts | None:
    return next((p for p in r.placements if p.placement_id == placement_id), None)


def _with_placement(r: ExecutionRecord, p: PlacementFacts) -> ExecutionRecord:
    return replace(r, placements=_put(r.placements, p, "placement_id"))


def _with_decision(r: ExecutionRecord, d: DecisionFacts) -> ExecutionRecord:
    return replace(r, decisions=_put(r.decisions, d, "decision_id"))


def _ended(r: ExecutionRecord, placement_id: uuid.UUID, last: dt.date) -> ExecutionRecord:
    p = _placement(r, placement_id)
    if p is None:
        return r
    pauses = p.pauses
    if pauses and pauses[-1][1] is None:
        pauses = (*pauses[:-1], (pauses[-1][0], last + DAY))
    return _with_placement(r, replace(p, end_on=last, pauses=pauses))


#: B9's grounds that are also IVO's reasons the duty to execute ended: the person died or moved out of the
#: municipality. Recorded once as a ground, they end the duty for every decision of the case, so a case
#: closed for a death is not reported as an interrupted execution (#11 and #12 name the same facts).
_GROUND_ENDS_DUTY = {
    ContinuityGround.DECEASED: DutyEndReason.DIED,
    ContinuityGround.MOVED_AWAY: DutyEndReason.MOVED_OUT,
}


def _duty_ended_by(r: ExecutionRecord, ground: ContinuityGround | None, on: dt.date) -> ExecutionRecord:
    reason = _GROUND_ENDS_DUTY.get(ground) if ground is not None else None
    if reason is None:
        return r
    for d in r.decisions:
        if d.duty_ended_on is None or d.duty_ended_on > on:
            r = _with_decision(r, replace(d, duty_ended_on=on, duty_end_reason=reason))
    return r


def _revised(
    r: ExecutionRecord,
    decision_id: uuid.UUID,
    outcome: DecisionOutcome,
    effective_from: dt.date,
    valid_to: dt.date | None,
) -> ExecutionRecord:
    """A decision reconsidered or changed on appeal (#12): still favourable, it reads the new outcome and end;
    no longer favourable, the duty to execute it ends the day before the change takes effect."""
    d = r.decision(decision_id)
    if d is None:
        return r
    if outcome in (DecisionOutcome.GRANT, DecisionOutcome.PARTIAL):
        return _with_decision(r, replace(d, outcome=outcome, valid_to=valid_to, terminated_after=None))
    return _with_decision(r, replace(d, terminated_after=effective_from - DAY))


def evolve_execution(r: ExecutionRecord, e: ev.Event) -> ExecutionRecord:
    """The record after one case event. Total: never raises on a recorded event."""
    match e:
        case ev.CaseOpened():
            return replace(
                r, case_id=e.case_id, municipality_code=e.municipality_code, opened_on=e.occurred_on
            )
        case ev.CaseClosed():
            r = _duty_ended_by(r, e.reason.implied_ground, e.occurred_on)
            return replace(r, closed_on=e.occurred_on)
        case ev.CaseReopened():
            return replace(r, closed_on=None)
        case ev.DecisionMade():
            old = r.decision(e.decision_id)
            facts = DecisionFacts(
                decision_id=e.decision_id,
                decided_on=e.occurred_on,
                outcome=e.outcome,
                legal_basis=e.legal_basis,
                service=e.service,
                valid_from=e.valid_from,
                valid_to=e.valid_to,
                extent=e.extent,
                terminated_after=old.terminated_after if old else None,
                duty_ended_on=old.duty_ended_on if old else None,
                duty_end_reason=old.duty_end_reason if old else None,
            )
            r = _with_decision(r, facts)
            ended = r.decision(e.terminates_decision_id) if e.terminates_decision_id else None
            if ended is not None:
                r = _with_decision(r, replace(ended, terminated_after=e.valid_from - DAY))
            return r
        case ev.DecisionReconsidered():
            return _revised(r, e.decision_id, e.outcome, e.effective_from, e.valid_to)
        case ev.AppealResolved() if e.outcome is not None and e.effective_from is not None:
            return _revised(r, e.decision_id, e.outcome, e.effective_from, e.valid_to)
        case ev.PlacementStarted():
            executes = ((e.basis.decision_id, e.occurred_on),) if e.basis.decision_id else ()
            return _with_placement(
                r,
                PlacementFacts(
                    placement_id=e.placement_id,
                    start_on=e.occurred_on,
                    hours_per_week=e.hours_per_week,
                    days_per_week=e.days_per_week,
                    executes=executes,
                ),
            )
        case ev.TransferredToLssDailyActivity():
            r = _ended(r, e.from_placement_id, e.occurred_on - DAY)
            return _with_placement(
                r,
                PlacementFacts(
                    placement_id=e.placement_id,
                    start_on=e.occurred_on,
                    hours_per_week=e.hours_per_week,
                    days_per_week=e.days_per_week,
                    executes=((e.lss_decision_id, e.occurred_on),),
                ),
            )
        case ev.PlacementExtended() if e.authorising_decision_id is not None:
            p = _placement(r, e.placement_id)
            if p is None:
                return r
            authorised = (*p.executes, (e.authorising_decision_id, e.occurred_on))
            return _with_placement(r, replace(p, executes=authorised))
        case ev.PlacementInterrupted():
            p = _placement(r, e.placement_id)
            if p is None:
                return r
            return _with_placement(r, replace(p, pauses=(*p.pauses, (e.occurred_on, None))))
        case ev.PlacementResumed():
            p = _placement(r, e.placement_id)
            if p is None or not p.pauses:
                return r
            start = p.pauses[-1][0]
            return _with_placement(r, replace(p, pauses=(*p.pauses[:-1], (start, e.occurred_on))))
        case ev.PlacementEnded():
            r = _duty_ended_by(r, e.ground or e.reason.implied_ground, e.occurred_on + DAY)
            return _ended(r, e.placement_id, e.occurred_on)
        case ev.ExecutionDutyEnded():
            d = r.decision(e.decision_id)
            if d is None:
                return r
            return _with_decision(r, replace(d, duty_ended_on=e.occurred_on, duty_end_reason=e.reason))
        case ev.OfferMade():
            offer = OfferFacts(
                offer_id=e.offer_id,
                decision_id=e.decision_id,
                unit_id=e.unit_id,
                offered_on=e.occurred_on,
                offered_from=e.offered_from,
            )
            return replace(r, offers=_put(r.offers, offer, "offer_id"))
        case ev.OfferDeclined():
            found = next((o for o in r.offers if o.offer_id == e.offer_id), None)
            if found is None:
                return r
            declined = replace(found, declined_on=e.occurred_on)
            return replace(r, offers=_put(r.offers, declined, "offer_id"))
        case ev.InterimSupportGiven():
            support = InterimSupport(decision_id=e.decision_id, given_on=e.occurred_on, kind=e.kind)
            return replace(r, interim=(*r.interim, support))
    return r


def fold_execution(events: Iterable[ev.Event], record: ExecutionRecord | None = None) -> ExecutionRecord:
    """Fold events onto ``record`` (the empty record when None)."""
    r = ExecutionRecord() if record is None else record
    for e in events:
        r = evolve_execution(r, e)
    return r


# --- where a decision stands ------------------------------------------------------------------------------


class Level(enum.IntEnum):
    """How far a decision is executed on a day."""

    NONE = 0
    PARTLY = 1
    FULL = 2


def level_on(r: ExecutionRecord, d: DecisionFacts, day: dt.date) -> Level:
    """How far ``d`` is executed on ``day``: by the placements running for it, against its extent.

    Without a decided extent any running placement executes it in full. An extent in days is compared with
    the days a week placed; a placement that records no days is taken to meet it (it cannot be measured).
    """
    running = [p for p in r.placements if p.executes_on(d.decision_id, day)]
    if not running:
        return Level.NONE
    if d.extent is None:
        return Level.FULL
    if d.extent.unit is ExtentUnit.HOURS_PER_WEEK:
        placed = sum(p.hours_per_week for p in running)
    elif any(p.days_per_week is None for p in running):
        return Level.FULL
    else:
        placed = sum(p.days_per_week or 0 for p in running)
    return Level.FULL if placed >= d.extent.amount else Level.PARTLY


def duty_end(d: DecisionFacts) -> tuple[dt.date, DutyEndReason] | None:
    """The first day without a duty to execute ``d`` (not counting execution), and why."""
    ends: list[tuple[dt.date, DutyEndReason]] = []
    if d.last_day is not None:
        ends.append((d.last_day + DAY, DutyEndReason.DECISION_ENDED))
    if d.duty_ended_on is not None and d.duty_end_reason is not None:
        ends.append((d.duty_ended_on, d.duty_end_reason))
    return min(ends, key=lambda pair: pair[0]) if ends else None


@attrs.frozen(kw_only=True)
class Stretch:
    """Days ``start`` to ``end`` (inclusive; None: open) on which a decision stood at one level."""

    start: dt.date
    end: dt.date | None
    level: Level


def stretches(r: ExecutionRecord, d: DecisionFacts, until: dt.date) -> list[Stretch]:
    """The levels of execution of ``d`` from its decision day to ``until``, merged into stretches."""
    if until < d.decided_on:
        return []
    days = {d.decided_on}
    for p in r.placements:
        if any(x == d.decision_id for x, _ in p.executes):
            days.update(day for day in p.changes() if d.decided_on < day <= until)
    out: list[Stretch] = []
    for day in sorted(days):
        level = level_on(r, d, day)
        if out and out[-1].level is level:
            continue
        if out:
            out[-1] = replace(out[-1], end=day - DAY)
        out.append(Stretch(start=day, end=None, level=level))
    return out


@attrs.frozen(kw_only=True)
class Standing:
    """Where a favourable decision stands on a day, as the duty counts it.

    ``state`` is None when it is executed in full that day. Otherwise ``since`` is the first day of the run of
    days not fully executed (the decision day if it never was), ``reached_on`` the day three calendar months
    from it, and ``reportable`` whether that day has come. ``place_held`` says a place is held for it (a
    placement paused), as opposed to waiting for one.
    """

    decision: DecisionFacts
    on: dt.date
    state: ReportedState | None
    since: dt.date
    reached_on: dt.date
    reportable: bool
    place_held: bool
    executed_since: dt.date | None = None


def standing(r: ExecutionRecord, decision_id: uuid.UUID, on: dt.date) -> Standing | None:
    """Where decision ``decision_id`` of ``r`` stands on ``on``, for the duty to execute it.

    None when there is no such duty on ``on``: not a favourable decision, decided later, or its duty ended
    (the decision ended, or a recorded reason). Any favourable decision, reportable kind or not (the waiting
    list asks for all); :func:`reportable` keeps those the law counts.
    """
    d = r.decision(decision_id)
    if d is None or not d.favourable or on < d.decided_on:
        return None
    end = duty_end(d)
    if end is not None and on >= end[0]:
        return None
    runs = stretches(r, d, on)
    now = runs[-1]
    if now.level is Level.FULL:
        return Standing(
            decision=d,
            on=on,
            state=None,
            since=now.start,
            reached_on=three_months_from(now.start),
            reportable=False,
            place_held=True,
            executed_since=now.start,
        )
    full = [s for s in runs if s.level is Level.FULL]
    since = full[-1].end + DAY if full and full[-1].end is not None else d.decided_on
    ever = any(s.level is not Level.NONE for s in runs)
    if now.level is Level.PARTLY:
        state = ReportedState.PARTLY_EXECUTED
    else:
        state = ReportedState.INTERRUPTED if ever else ReportedState.NOT_EXECUTED
    reached = three_months_from(since)
    held = any(p.held(d.decision_id, on) for p in r.placements)
    return Standing(
        decision=d,
        on=on,
        state=state,
        since=since,
        reached_on=reached,
        reportable=on >= reached,
        place_held=held,
    )


def reportable(r: ExecutionRecord, on: dt.date) -> list[Standing]:
    """The decisions of ``r`` reportable to IVO on ``on`` (the B10 warning, the watch and the report)."""
    out = []
    for d in r.decisions:
        if reporting_provision(d.legal_basis, d.service) is None:
            continue
        s = standing(r, d.decision_id, on)
        if s is not None and s.reportable:
            out.append(s)
    return out
