"""B15 and corrections: a placement started over capacity, with a reason, keeps that reason when a correction
moves its start, so the correction is accepted and the unit still shows the override (issue #21)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.evolve import fold_case, fold_unit
from rehabcore.domain.places import decide_places
from rehabcore.streams import decode

from .story import (
    CASE,
    CASE_WORKER,
    DAILY,
    DV_UNIT,
    LSS_OFFICER,
    OPENED,
    TODAY,
    application,
    lss_decision,
    open_case,
)

REASON = "akut behov, beslut av enhetschef"
FIRST, LATER = dt.date(2026, 2, 16), dt.date(2026, 2, 23)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[rc.EventStore]:
    if request.param == "memory":
        opened: rc.EventStore = rc.InMemoryStore()
    else:
        fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
        opened = rc.open_store(request.getfixturevalue(fixture))
    try:
        yield opened
    finally:
        opened.close()


def _full_unit_and_an_override(cases: rc.Cases) -> None:
    cases.handle(
        cmd.RegisterUnit(
            unit_id=DV_UNIT,
            registered_on=OPENED,
            name="Solrosen daglig verksamhet",
            kind=v.UnitKind.LSS_DAILY_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=0,
            offers=(v.PlacementKind.DAILY_ACTIVITY,),
        ),
        actor=CASE_WORKER,
    )
    cases.handle(open_case(), actor=CASE_WORKER)
    cases.handle(application(), actor=LSS_OFFICER)
    cases.handle(lss_decision(), actor=LSS_OFFICER)
    cases.handle(
        cmd.StartPlacement(
            case_id=CASE,
            placement_id=DAILY,
            unit_id=DV_UNIT,
            kind=v.PlacementKind.DAILY_ACTIVITY,
            basis=v.Basis.lss(lss_decision().decision_id),
            start_on=dt.date(2026, 2, 16),
            hours_per_week=20,
            over_capacity_reason=REASON,
        ),
        actor=CASE_WORKER,
    )


def test_a_placement_started_over_capacity_has_its_start_date_corrected(store: rc.EventStore) -> None:
    cases = rc.Cases(store, today=lambda: TODAY)
    _full_unit_and_an_override(cases)
    stored = next(s for s in store.read_stream(rc.case_stream(CASE)) if s.type == "rehab.PlacementStarted")
    started = decode(stored)
    assert isinstance(started, ev.PlacementStarted) and started.over_capacity_reason == REASON

    handled = cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=stored.event_id,
            corrected_on=TODAY,
            replacement=attrs.evolve(started, occurred_on=dt.date(2026, 2, 23)),
            reason="startade en vecka senare",
        ),
        actor=CASE_WORKER,
    )

    assert [type(e) for e in handled.events] == [ev.EntryCorrected]
    for reader in (cases, rc.Cases(store, today=lambda: TODAY)):  # the cached service and a fresh one
        place = reader.unit(DV_UNIT).places[DAILY]
        assert (place.taken_on, place.over_capacity_reason) == (dt.date(2026, 2, 23), REASON)
        assert reader.get(CASE).placements[DAILY].over_capacity_reason == REASON


def test_a_reason_recorded_only_at_the_unit_is_kept_when_the_place_is_taken_again() -> None:
    """Placements started before the case kept the reason: the unit's own record of it carries over."""
    case_before = fold_case(
        [
            ev.CaseOpened(
                occurred_on=OPENED,
                case_id=CASE,
                subject_id=CASE,
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="2284",
                source=v.ReferralSource.SELF,
            ),
            ev.PlacementStarted(
                occurred_on=dt.date(2026, 2, 16),
                placement_id=DAILY,
                unit_id=DV_UNIT,
                kind=v.PlacementKind.OCCUPATION,
                basis=v.Basis.voluntary(),
                planned_end_on=None,
                hours_per_week=20,
            ),
        ]
    )
    moved = attrs.evolve(case_before.placements[DAILY], start_on=dt.date(2026, 2, 23))
    case_after = attrs.evolve(case_before, placements={DAILY: moved})
    unit = fold_unit(
        [
            ev.UnitRegistered(
                occurred_on=OPENED,
                unit_id=DV_UNIT,
                name="Verkstan",
                kind=v.UnitKind.SOL_OCCUPATION,
                jurisdiction=v.Jurisdiction.SE,
                capacity=0,
                offers=(v.PlacementKind.OCCUPATION,),
            ),
            ev.PlaceTaken(
                occurred_on=dt.date(2026, 2, 16),
                placement_id=DAILY,
                case_id=CASE,
                over_capacity_reason=REASON,
            ),
        ]
    )
    correction = ev.EntryRetracted(occurred_on=TODAY, retracted_event_id=DAILY, reason="x")  # any correction
    places = decide_places(case_before, case_after, [correction], lambda _unit_id: unit)
    assert places == {
        DV_UNIT: [
            ev.PlaceWithdrawn(occurred_on=dt.date(2026, 2, 16), placement_id=DAILY),
            ev.PlaceTaken(
                occurred_on=dt.date(2026, 2, 23),
                placement_id=DAILY,
                case_id=CASE,
                over_capacity_reason=REASON,
                kind=v.PlacementKind.OCCUPATION,  # the place records its kind (#12)
            ),
        ]
    }
