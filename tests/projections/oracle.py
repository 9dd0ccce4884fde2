"""The read models computed directly from folded case and unit states: the oracle for the projections.

Written against the domain's own states and their date queries (``is_active``, ``in_force``,
``is_interrupted_on``, ``occupied_on`` …), not against the projection's summaries, so a summary that drifts
from the domain's fold shows up as a difference. The states are what ``Cases.get`` and ``Cases.unit`` return:
cases folded from their effective history (retracted entries left out, corrected ones as last corrected),
units from their own streams (a withdrawn place gone).
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import Counter
from typing import Any

import attrs

import rehabcore as rc
from rehabcore import projections
from rehabcore.domain import events as ev
from rehabcore.domain.corrections import effective, fold_effective
from rehabcore.domain.execution import reporting_provision, standing
from rehabcore.domain.state import CaseState, CaseStatus, Placement, UnitState
from rehabcore.domain.vocabulary import PlacementKind
from rehabcore.projections import read_models as rm

PROGRAMME = {
    "work_training": "work_rehabilitation",
    "internship": "work_rehabilitation",
    "work_assessment": "work_rehabilitation",
    "daily_activity": "lss_daily_activity",
    "occupation": "sol_occupation",
    "dk_protected_employment": "dk_protected_employment",
    "dk_activity": "dk_activity",
}
SERVICE = {**{k: k for k in PROGRAMME.values()}, "required_activity": "work_rehabilitation"}
DAY = dt.timedelta(days=1)


@attrs.frozen
class Folded:
    """A case as the domain folds it, with what the oracle needs from its envelopes."""

    state: CaseState
    worker_unit: str | None
    transfers: tuple[ev.TransferredToLssDailyActivity, ...]
    #: The reason of the latest closing in the effective history (CaseState keeps the date, not the reason).
    close_reason: str | None
    #: Extensions in the effective history (CaseState counts them, without the authorising decisions).
    extensions: tuple[ev.PlacementExtended, ...] = ()


def fold_store(store: rc.EventStore) -> tuple[list[Folded], list[UnitState]]:
    """Every case and unit in ``store``, as ``Cases.get`` and ``Cases.unit`` read them."""
    streams = sorted({e.stream_id for e in store.read_all()})
    reader = rc.Cases(store)
    cases, units = [], []
    for stream in streams:
        if stream.startswith("unit-"):
            units.append(reader.unit(uuid.UUID(stream.removeprefix("unit-"))))
            continue
        stored = store.read_stream(stream)
        recorded = [projections.decode(s) for s in stored]
        entries = [(s.event_id, r.event) for s, r in zip(stored, recorded, strict=True)]
        state = reader.get(uuid.UUID(stream.removeprefix("case-")))
        assert state == fold_effective(entries)  # type: ignore[arg-type]
        worker = None
        for r in recorded:  # every entry as recorded: who last wrote in the case, corrections included
            actor = r.metadata.get("actor") or {}
            if actor.get("role") in ("case_worker", "lss_officer") and actor.get("unit"):
                worker = actor["unit"]
        now = [e for _, e in effective(entries)]  # type: ignore[arg-type]
        transfers = tuple(e for e in now if isinstance(e, ev.TransferredToLssDailyActivity))
        closings = [e.reason.value for e in now if isinstance(e, ev.CaseClosed)]
        extensions = tuple(e for e in now if isinstance(e, ev.PlacementExtended))
        cases.append(Folded(state, worker, transfers, closings[-1] if closings else None, extensions))
    return cases, units


def _programme(s: CaseState) -> str:
    placements = list(s.placements.values())
    if placements:
        latest = max(enumerate(placements), key=lambda ip: (ip[1].start_on, ip[0]))[1]
        return PROGRAMME[latest.kind.value]
    granted = [d for d in s.decisions.values() if d.is_granted]
    if granted:
        decision = max(enumerate(granted), key=lambda idp: (idp[1].made.valid_from, idp[0]))[1]
        return SERVICE[decision.made.service.value]
    return "-"


def _open_on(s: CaseState, on: dt.date) -> bool:
    if s.opened_on is None or s.opened_on > on:
        return False
    return not (s.status is CaseStatus.CLOSED and s.closed_on is not None and s.closed_on <= on)


def caseload(cases: list[Folded], names: dict[uuid.UUID, str]) -> list[rm.CaseloadRow]:
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for f in cases:
        s = f.state
        units = sorted({names.get(p.unit_id, str(p.unit_id)) for p in s.open_placements()}) or ["-"]
        for unit in units:
            counts[(s.status.value, _programme(s), f.worker_unit or "-", unit)] += 1
    return sorted(rm.CaseloadRow(*k, n) for k, n in counts.items())


def occupancy(units: list[UnitState], on: dt.date, cases: list[Folded]) -> list[rm.OccupancyRow]:
    rows = []
    for u in units:
        assert u.unit_id is not None and u.name is not None
        # The units' streams and the cases' effective histories agree on who holds a place (corrections
        # withdraw and take places at the units as they change the cases).
        running = [p for f in cases for p in f.state.active_placements(on) if p.unit_id == u.unit_id]
        assert u.occupied_on(on) == len(running), (u.name, on)
        kind = u.kind_on(on)
        rows.append(
            rm.OccupancyRow(
                u.name,
                u.unit_id,
                kind.value if kind else "-",
                u.capacity_on(on),
                u.occupied_on(on),
                u.free_on(on),
            )
        )
    return sorted(rows)


def placed(cases: list[Folded], names: dict[uuid.UUID, str], on: dt.date) -> list[rm.PlacedRow]:
    rows = [
        rm.PlacedRow(
            names.get(p.unit_id, str(p.unit_id)),
            f.state.case_id,  # type: ignore[arg-type]
            p.placement_id,
            p.kind.value,
            p.basis.kind.value,
            p.basis.decision_id,
            p.is_interrupted_on(on),
        )
        for f in cases
        for p in f.state.active_placements(on)
    ]
    return sorted(rows, key=lambda r: (r.unit, str(r.case_id), str(r.placement_id)))


def waiting(cases: list[Folded], on: dt.date) -> list[rm.WaitingRow]:
    """From the domain's own fold (``CaseState.execution``) and ``standing``, not the projection's record."""
    rows = []
    for f in cases:
        s = f.state
        if not _open_on(s, on):
            continue
        for d in s.decisions_in_force(on):
            found = standing(s.execution, d.decision_id, on)
            if found is not None and found.state is not None and not found.place_held:
                assert s.case_id is not None
                since = max(found.since, d.made.valid_from)
                rows.append(
                    rm.WaitingRow(d.made.service.value, since, s.case_id, d.decision_id, (on - since).days)
                )
    return sorted(rows)


def watch(cases: list[Folded], on: dt.date, threshold: int | None) -> list[rm.WatchRow]:
    """Reportable on ``on`` by the domain's fold of each case (closed cases included)."""
    rows = []
    for f in cases:
        s = f.state
        if s.case_id is None:
            continue
        for d in s.decisions.values():
            found = standing(s.execution, d.decision_id, on)
            if (
                found is None
                or found.state is None
                or reporting_provision(d.made.legal_basis, d.made.service) is None
            ):
                continue
            if (threshold is None and not found.reportable) or (
                threshold is not None and (on - found.since).days < threshold
            ):
                continue
            basis = d.made.legal_basis
            rows.append(
                rm.WatchRow(
                    basis.law,
                    basis.section,
                    found.since,
                    s.case_id,
                    d.decision_id,
                    d.made.service.value,
                    d.made.occurred_on,
                    d.made.valid_from,
                    found.state.value,
                    (on - found.since).days,
                    found.reached_on,
                )
            )
    return sorted(rows)


def _follow_up(s: CaseState, on: dt.date) -> tuple[dt.date | None, dt.date | None]:
    done = [f for f in s.follow_ups if f.occurred_on <= on]
    last = max((f.occurred_on for f in done), default=None)
    dated = [(p.occurred_on, p.next_follow_up_on) for p in s.plans if p.occurred_on <= on]
    dated += [(f.occurred_on, f.next_follow_up_on) for f in done if f.next_follow_up_on]
    return last, (max(dated, key=lambda pair: pair[0])[1] if dated else None)


def overdue(cases: list[Folded], on: dt.date, interval: int) -> list[rm.OverdueRow]:
    rows = []
    for f in cases:
        s = f.state
        active = s.active_placements(on)
        if not _open_on(s, on) or not active:
            continue
        last, due = _follow_up(s, on)
        if due is None:
            first = min(p.start_on for p in active)
            due = max(first, last or first) + dt.timedelta(days=interval)
        if due < on and (last is None or last < due):
            assert s.case_id is not None
            rows.append(rm.OverdueRow(due, s.case_id, last, (on - due).days))
    return sorted(rows)


def ending(cases: list[Folded], on: dt.date, notice_days: int) -> list[rm.EndingRow]:
    notice = dt.timedelta(days=notice_days)
    rows = []
    for f in cases:
        s = f.state
        if not _open_on(s, on):
            continue
        assert s.case_id is not None
        last, _ = _follow_up(s, on)

        def followed(end: dt.date, last: dt.date | None = last) -> bool:
            return last is not None and last >= end - notice

        for p in s.active_placements(on):
            end = p.planned_end_on
            if end is not None and on <= end <= on + notice and not followed(end):
                rows.append(rm.EndingRow(end, s.case_id, "placement", p.placement_id, p.kind.value))
        for d in s.decisions_in_force(on):
            end = d.last_day
            if end is None or d.ended_on is not None or end - on > notice or followed(end):
                continue
            renewed = any(
                o.is_granted and o.made.service is d.made.service and o.made.valid_from > end
                for o in s.decisions.values()
            )
            if not renewed:
                rows.append(rm.EndingRow(end, s.case_id, "decision", d.decision_id, d.made.service.value))
    return sorted(rows, key=lambda r: (r.ends_on, str(r.case_id), r.what, str(r.ref_id)))


def _exits(f: Folded) -> list[tuple[dt.date, str, str]]:
    s = f.state
    out: list[tuple[dt.date, str, str]] = []
    for e in s.exits:
        if isinstance(e, ev.ExitedToWork):
            out.append((e.occurred_on, "work", e.employment_form.value))
        elif isinstance(e, ev.ExitedElsewhere):  # #18
            out.append((e.occurred_on, e.destination.value, "-"))
        else:
            out.append((e.occurred_on, "studies", e.study_kind.value))
    for t in f.transfers:
        if s.placements[t.from_placement_id].kind is not PlacementKind.DAILY_ACTIVITY:
            out.append((t.occurred_on, "lss_daily_activity", "-"))
    if not out and s.status is CaseStatus.CLOSED and s.closed_on is not None:
        out.append((s.closed_on, "other", ""))  # the reason is filled in from the CaseClosed event
    return out


def outcomes(cases: list[Folded], on: dt.date, period: str) -> rm.Outcomes:
    counts: Counter[tuple[str, str, str]] = Counter()
    started: Counter[tuple[str, int]] = Counter()
    succeeded: Counter[tuple[str, int]] = Counter()
    days: list[int] = []
    for f in cases:
        s = f.state
        for when, where, detail in _exits(f):
            if where == "other":
                detail = f.close_reason or "?"
            if when <= on:
                counts[(rm.period_of(when, period), where, detail)] += 1
                if s.opened_on is not None:
                    days.append((when - s.opened_on).days)
        placements: list[Placement] = list(s.placements.values())
        if not placements:
            continue
        first = min(enumerate(placements), key=lambda ip: (ip[1].start_on, ip[0]))[1]
        for months in (6, 12):
            end = rm.add_months(first.start_on, months)
            if end > on:
                continue
            started[(PROGRAMME[first.kind.value], months)] += 1
            to_work_or_studies = [e for e in s.exits if not isinstance(e, ev.ExitedElsewhere)]
            if any(first.start_on <= e.occurred_on <= end for e in to_work_or_studies):
                succeeded[(PROGRAMME[first.kind.value], months)] += 1
    shares = tuple(rm.ShareRow(p, m, n, succeeded[(p, m)]) for (p, m), n in sorted(started.items()))
    return rm.Outcomes(
        tuple(sorted(rm.ExitCount(*k, n) for k, n in counts.items())),
        shares,
        statistics.median(days) if days else None,
        len(days),
    )


def snapshot(store: rc.EventStore, dates: list[dt.date], parameters: rc.RuleParameters) -> dict[str, Any]:
    """Every read model on every date, computed directly from the folded states."""
    cases, units = fold_store(store)
    names = {u.unit_id: u.name for u in units if u.unit_id and u.name}
    out: dict[str, Any] = {"caseload": caseload(cases, names)}
    for on in dates:
        out[f"occupancy {on}"] = occupancy(units, on, cases)
        out[f"placed {on}"] = placed(cases, names, on)
        out[f"waiting {on}"] = waiting(cases, on)
        out[f"watch {on}"] = watch(cases, on, None)
        out[f"watch30 {on}"] = watch(cases, on, 30)
        out[f"overdue {on}"] = overdue(cases, on, parameters.follow_up_interval_days)
        out[f"ending {on}"] = ending(cases, on, parameters.decision_expiry_notice_days)
        out[f"outcomes {on}"] = outcomes(cases, on, "quarter")
    return out


def from_models(models: projections.ReadModels, dates: list[dt.date]) -> dict[str, Any]:
    """The same snapshot, from the projections."""
    out: dict[str, Any] = {"caseload": models.caseload()}
    for on in dates:
        out[f"occupancy {on}"] = models.occupancy(on)
        out[f"placed {on}"] = models.placed(on)
        out[f"waiting {on}"] = models.waiting(on)
        out[f"watch {on}"] = models.execution_watch(on)
        out[f"watch30 {on}"] = models.execution_watch(on, threshold_days=30)
        out[f"overdue {on}"] = models.overdue_follow_ups(on)
        out[f"ending {on}"] = models.ending_without_follow_up(on)
        out[f"outcomes {on}"] = models.outcomes(on)
    return out
