"""Replay decides each command as of the day it was handled, and compares the warnings staff were shown (#14).

``Cases`` records its "today" (``"today"``, an ISO date) and the warnings it returned (``"warnings"``,
``[{"rule_id", "code"}]``) with each command; replay decides as of that day and compares the warnings
instead of inventing its own. The case is handled on 2026-04-01 but recorded in June 2027, as a backlog
typed in late would be; records without the two keys (written before) show what replay did then: decided as
of the recording day, the rules raise warnings nobody was shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

import rehabcore as rc
from rehabcore.audit import Audit, DivergenceKind
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.store import NewEvent, StreamWrite

from .story import (
    CASE,
    CASE_WORKER,
    DV_UNIT,
    LSS_OFFICER,
    OPENED,
    TODAY,
    Clock,
    application,
    daily_activity,
    goal,
    lss_decision,
    open_case,
    told,
)


def _handled_late() -> tuple[rc.InMemoryStore, dict[str, list[dict[str, str]]]]:
    """The story handled with today = 2026-04-01, recorded from 2027-06-01; the warnings staff saw."""
    store = rc.InMemoryStore(clock=Clock(now=dt.datetime(2027, 6, 1, 8, tzinfo=dt.UTC)))
    cases = rc.Cases(store, today=lambda: TODAY, tenant="kommun-2284")
    cases.handle(
        cmd.RegisterUnit(
            unit_id=DV_UNIT,
            registered_on=OPENED,
            name="Solrosen daglig verksamhet",
            kind=v.UnitKind.LSS_DAILY_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=2,
            offers=(v.PlacementKind.DAILY_ACTIVITY,),
        ),
        actor=CASE_WORKER,
    )
    shown: dict[str, list[dict[str, str]]] = {}
    for command, actor in (
        (open_case(), CASE_WORKER),
        (application(), LSS_OFFICER),
        (lss_decision(), LSS_OFFICER),
        (goal(), CASE_WORKER),
        (daily_activity(), CASE_WORKER),
    ):
        handled = cases.handle(command, actor=actor)
        shown[str(command.command_id)] = [{"rule_id": w.rule_id, "code": w.code} for w in handled.warnings]
    return store, shown


def _recorded_with(store: rc.InMemoryStore, **extra: Any) -> rc.InMemoryStore:
    """The same events in a new store, each command's metadata carrying ``extra`` (values per command id;
    None leaves the key out, as records written before #14 do)."""
    copy = rc.InMemoryStore(clock=Clock(now=dt.datetime(2027, 6, 1, 8, tzinfo=dt.UTC)))
    for e in store.read_all():
        meta = orjson.loads(e.metadata)
        for key, per_command in extra.items():
            if per_command is None:
                meta.pop(key, None)
            else:
                meta[key] = per_command(meta["command_id"])
        new = NewEvent(e.event_id, e.type, e.schema_version, e.data, orjson.dumps(meta))
        copy.append(StreamWrite(e.stream_id, [new]))
    return copy


def test_cases_records_its_today_and_warnings_so_replay_invents_none() -> None:
    store, shown = _handled_late()
    assert all(w == [] for w in shown.values())
    report = Audit(store).replay(CASE)
    assert not report.divergences
    assert all(s.decided_as_of == TODAY.isoformat() and s.recorded_warnings == () for s in report.steps)
    assert all(s.warnings == () for s in report.steps)


def test_replayed_as_of_the_recording_day_the_rules_invent_warnings() -> None:
    store, _ = _handled_late()
    steps = Audit(_recorded_with(store, today=None, warnings=None)).replay(CASE).steps
    assert {w["code"] for s in steps for w in s.warnings} >= {"decision_not_executed"}
    assert steps[-1].decided_as_of == "2027-06-01"


def test_replayed_as_of_the_recorded_today_the_warnings_are_those_staff_saw() -> None:
    store, shown = _handled_late()
    recorded = _recorded_with(store, today=lambda _: TODAY.isoformat(), warnings=lambda c: shown.get(c, []))
    report = Audit(recorded).replay(CASE)
    assert not report.divergences
    assert all(s.decided_as_of == TODAY.isoformat() for s in report.steps)
    assert all(s.warnings == () and s.recorded_warnings == () for s in report.steps)


def test_warnings_other_than_those_shown_are_a_divergence() -> None:
    store, shown = _handled_late()
    # The warnings were kept, but not the day: decided as of the recording day, the rules warn otherwise.
    recorded = _recorded_with(store, today=None, warnings=lambda c: shown.get(c, []))
    kinds = [d.kind for d in Audit(recorded).replay(CASE).divergences]
    assert kinds and set(kinds) == {DivergenceKind.WARNED_DIFFERENTLY}


def test_entries_recorded_long_after_their_date_are_flagged() -> None:
    store, _ = _handled_late()  # business dates in early 2026, recorded in June 2027
    report = Audit(store).replay(CASE)
    assert report.recorded_late == report.steps
    assert all(s.recorded_late_by_days is not None and s.recorded_late_by_days > 365 for s in report.steps)
    assert "recorded_late_by_days" in report.to_dict()["steps"][0]
    # The story as told records on 2026-04-01 what happened from January: late by weeks, not years.
    cases, _ = told()
    weeks = Audit(cases.store).replay(CASE)
    assert {s.recorded_late_by_days for s in weeks.steps} <= {None, *range(31, 100)}


def test_a_municipality_sets_its_own_late_entry_threshold() -> None:
    """The told story records January's entries on 2026-04-01: flagged at 30 days, not at 120."""
    cases, _ = told()
    patient = rc.Ruleset(
        name="se-default",
        version="1",
        jurisdiction=v.Jurisdiction.SE,
        parameters=rc.RuleParameters(late_entry_days=120),
    )
    assert Audit(cases.store).replay(CASE).recorded_late
    assert not Audit(cases.store, rulesets=(patient,)).replay(CASE).recorded_late
