"""The execution duty as the law counts it (rehabcore.domain.execution): calendar months, which decisions
count, interruptions, partial execution, closed cases, recorded endings. Pure: events folded, no store."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.execution import (
    ExecutionRecord,
    add_months,
    fold_execution,
    reportable,
    reporting_provision,
    standing,
    three_months_from,
)
from rehabcore.domain.vocabulary import (
    Basis,
    CloseReason,
    DecisionOutcome,
    DutyEndReason,
    Extent,
    InterruptionReason,
    Jurisdiction,
    LegalBases,
    LegalBasis,
    PlacementKind,
    ReferralSource,
    ReportedState,
    ServiceKind,
)
from rehabcore.testing import an_id

CASE, DECISION, PLACEMENT, UNIT = an_id("case"), an_id("decision"), an_id("placement"), an_id("unit")
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "reached"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 4, 30)),  # 31 Jan → 30 Apr
        (dt.date(2026, 1, 15), dt.date(2026, 4, 15)),
        (dt.date(2024, 2, 29), dt.date(2024, 5, 29)),  # a leap day
        (dt.date(2023, 11, 30), dt.date(2024, 2, 29)),  # 30 Nov → 29 Feb in a leap year
        (dt.date(2025, 11, 30), dt.date(2026, 2, 28)),  # 30 Nov → 28 Feb
        (dt.date(2025, 12, 31), dt.date(2026, 3, 31)),  # across the year
        (dt.date(2025, 10, 31), dt.date(2026, 1, 31)),
    ],
)
def test_three_calendar_months_end_on_the_same_day_or_the_months_last(day: dt.date, reached: dt.date) -> None:
    assert three_months_from(day) == reached


def test_add_months_goes_back_too() -> None:
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def opened() -> ev.CaseOpened:
    return ev.CaseOpened(
        occurred_on=dt.date(2025, 9, 1),
        case_id=CASE,
        subject_id=an_id("subject"),
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.LSS_OFFICER,
    )


def decided(
    on: dt.date,
    basis: LegalBasis = LegalBases.LSS_DAILY_ACTIVITY,
    service: ServiceKind = ServiceKind.LSS_DAILY_ACTIVITY,
    valid_from: dt.date | None = None,
    extent: Extent | None = None,
    decision_id: uuid.UUID = DECISION,
) -> ev.DecisionMade:
    return ev.DecisionMade(
        occurred_on=on,
        decision_id=decision_id,
        outcome=DecisionOutcome.GRANT,
        legal_basis=basis,
        service=service,
        valid_from=valid_from or on,
        extent=extent,
    )


def started(on: dt.date, hours: int = 30) -> ev.PlacementStarted:
    return ev.PlacementStarted(
        occurred_on=on,
        placement_id=PLACEMENT,
        unit_id=UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        basis=Basis.lss(DECISION),
        planned_end_on=None,
        hours_per_week=hours,
    )


def record(*events: ev.Event) -> ExecutionRecord:
    return fold_execution([opened(), *events])


def reported(r: ExecutionRecord, on: dt.date) -> list[tuple[uuid.UUID, ReportedState | None, dt.date]]:
    return [(s.decision.decision_id, s.state, s.since) for s in reportable(r, on)]


# --- counted from the day of the decision, also before it is in force -------------------------------------


def test_counted_from_the_decision_day_not_valid_from() -> None:
    r = record(decided(dt.date(2026, 1, 15), valid_from=dt.date(2026, 5, 1)))
    assert reported(r, dt.date(2026, 4, 14)) == []
    assert reported(r, dt.date(2026, 4, 15)) == [(DECISION, ReportedState.NOT_EXECUTED, dt.date(2026, 1, 15))]


def test_the_issues_example_decided_in_june_valid_from_november_is_reportable_in_october() -> None:
    r = record(decided(dt.date(2025, 6, 2), valid_from=dt.date(2025, 11, 1)))
    assert reported(r, dt.date(2025, 10, 31)) == [(DECISION, ReportedState.NOT_EXECUTED, dt.date(2025, 6, 2))]


def test_executed_on_the_day_three_months_are_reached_is_within_three_months() -> None:
    r = record(decided(dt.date(2026, 1, 15)), started(dt.date(2026, 4, 15)))
    assert all(reported(r, dt.date(2026, 1, 15) + n * DAY) == [] for n in range(200))


def test_executed_the_day_after_is_reported_on_the_day_reached() -> None:
    r = record(decided(dt.date(2026, 1, 15)), started(dt.date(2026, 4, 16)))
    assert reported(r, dt.date(2026, 4, 15)) == [(DECISION, ReportedState.NOT_EXECUTED, dt.date(2026, 1, 15))]
    assert reported(r, dt.date(2026, 4, 16)) == []


def test_a_closed_case_keeps_its_decision_reported_until_the_duty_ends_for_a_recorded_reason() -> None:
    closed = ev.CaseClosed(occurred_on=dt.date(2026, 5, 10), reason=CloseReason.OTHER)
    r = record(decided(dt.date(2026, 1, 15), valid_from=dt.date(2026, 5, 1)), closed)
    assert reported(r, dt.date(2026, 9, 30)) == [(DECISION, ReportedState.NOT_EXECUTED, dt.date(2026, 1, 15))]
    died = ev.ExecutionDutyEnded(
        occurred_on=dt.date(2026, 10, 3), decision_id=DECISION, reason=DutyEndReason.DIED
    )
    r = fold_execution([died], r)
    assert reported(r, dt.date(2026, 10, 2)) != []
    assert reported(r, dt.date(2026, 10, 3)) == []
    assert standing(r, DECISION, dt.date(2026, 10, 3)) is None


@pytest.mark.parametrize(
    "reason", [DutyEndReason.APPLICATION_WITHDRAWN, DutyEndReason.NEED_NO_LONGER_REMAINS], ids=str
)
def test_ivo_s_other_reasons_end_the_duty_a_withdrawn_application_or_a_need_that_no_longer_remains(
    reason: DutyEndReason,
) -> None:
    """IVO's FAQ: a case ends "av annan anledning" when the person withdraws the application or the need no
    longer remains; a declined offer alone does not end it."""
    r = record(decided(dt.date(2026, 1, 15)))
    ended = ev.ExecutionDutyEnded(occurred_on=dt.date(2026, 6, 3), decision_id=DECISION, reason=reason)
    r = fold_execution([ended], r)
    assert reported(r, dt.date(2026, 6, 2)) == [(DECISION, ReportedState.NOT_EXECUTED, dt.date(2026, 1, 15))]
    assert reported(r, dt.date(2026, 6, 3)) == []
    d = r.decision(DECISION)
    assert d is not None and d.duty_end_reason is reason


@pytest.mark.parametrize(
    ("reason", "ended"),
    [(CloseReason.DECEASED, DutyEndReason.DIED), (CloseReason.MOVED, DutyEndReason.MOVED_OUT)],
    ids=str,
)
def test_a_case_closed_for_a_death_or_a_move_away_ends_the_duty_as_ivo_counts_it(
    reason: CloseReason, ended: DutyEndReason
) -> None:
    """B9's grounds and IVO's end reasons name the same facts: recorded once, as the close reason, they end
    the duty, so the decision is not reported as an interrupted execution from then on."""
    closed = ev.CaseClosed(occurred_on=dt.date(2026, 5, 10), reason=reason)
    r = record(decided(dt.date(2026, 1, 15)), closed)
    assert reported(r, dt.date(2026, 5, 9)) != []
    assert reported(r, dt.date(2026, 9, 30)) == []
    d = r.decision(DECISION)
    assert d is not None and (d.duty_ended_on, d.duty_end_reason) == (dt.date(2026, 5, 10), ended)


def test_a_terminating_decision_ends_the_duty_from_the_day_it_takes_effect() -> None:
    ends = ev.DecisionMade(
        occurred_on=dt.date(2026, 6, 1),
        decision_id=an_id("termination"),
        outcome=DecisionOutcome.TERMINATE,
        legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
        service=ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=dt.date(2026, 6, 15),
        terminates_decision_id=DECISION,
    )
    r = record(decided(dt.date(2026, 1, 15)), ends)
    assert reported(r, dt.date(2026, 6, 14)) != []
    assert reported(r, dt.date(2026, 6, 15)) == []


# --- interruptions and partial execution -------------------------------------------------------------------

PAUSED_ON = dt.date(2026, 2, 10)
PAUSE_REACHED = dt.date(2026, 5, 10)


def paused(resumed_on: dt.date | None) -> ExecutionRecord:
    events: list[ev.Event] = [
        decided(dt.date(2026, 1, 5)),
        started(dt.date(2026, 1, 12)),
        ev.PlacementInterrupted(
            occurred_on=PAUSED_ON, placement_id=PLACEMENT, reason=InterruptionReason.ILLNESS
        ),
    ]
    if resumed_on is not None:
        events.append(ev.PlacementResumed(occurred_on=resumed_on, placement_id=PLACEMENT))
    return record(*events)


def _ever_reported(r: ExecutionRecord) -> set[ReportedState | None]:
    return {s for n in range(300) for _, s, _ in reported(r, PAUSED_ON + n * DAY)}


def test_an_interruption_of_three_months_and_a_day_is_reported() -> None:
    # Not executed 10 Feb – 10 May inclusive: three months and a day; back on 11 May.
    assert _ever_reported(paused(PAUSE_REACHED + DAY)) == {ReportedState.INTERRUPTED}


def test_an_interruption_of_three_months_less_a_day_is_not() -> None:
    assert _ever_reported(paused(PAUSE_REACHED - DAY)) == set()


def test_an_interruption_counts_from_its_first_day() -> None:
    s = standing(paused(None), DECISION, PAUSE_REACHED)
    assert s is not None and s.reportable and s.since == PAUSED_ON and s.place_held


def test_a_placement_at_half_the_decided_extent_for_three_months_is_partial() -> None:
    r = record(
        decided(dt.date(2026, 1, 15), extent=Extent.hours(30)), started(dt.date(2026, 1, 20), hours=15)
    )
    assert reported(r, dt.date(2026, 4, 14)) == []
    assert reported(r, dt.date(2026, 4, 15)) == [
        (DECISION, ReportedState.PARTLY_EXECUTED, dt.date(2026, 1, 15))
    ]


def test_a_placement_at_the_decided_extent_executes_it() -> None:
    r = record(
        decided(dt.date(2026, 1, 15), extent=Extent.hours(30)), started(dt.date(2026, 1, 20), hours=30)
    )
    assert reported(r, dt.date(2026, 9, 1)) == []


def test_an_extent_in_days_is_measured_by_the_days_placed() -> None:
    half = attrs_evolve(started(dt.date(2026, 1, 20), hours=30), days_per_week=2)
    r = record(decided(dt.date(2026, 1, 15), extent=Extent.days(5)), half)
    assert reported(r, dt.date(2026, 4, 15)) == [
        (DECISION, ReportedState.PARTLY_EXECUTED, dt.date(2026, 1, 15))
    ]


def attrs_evolve(e: ev.PlacementStarted, **changes: object) -> ev.PlacementStarted:
    import attrs

    return attrs.evolve(e, **changes)


# --- which decisions count ---------------------------------------------------------------------------------


def test_a_sol_4_4_required_activity_and_a_danish_104_are_never_reportable() -> None:
    dk = decided(
        dt.date(2025, 1, 2),
        basis=LegalBases.DK_ACTIVITY,
        service=ServiceKind.DK_ACTIVITY,
        decision_id=an_id("dk"),
    )
    required = decided(
        dt.date(2025, 1, 2),
        basis=LegalBases.SOL_REQUIRED_ACTIVITY_2001,
        service=ServiceKind.REQUIRED_ACTIVITY,
        decision_id=an_id("4:4"),
    )
    r = record(dk, required)
    assert all(reported(r, dt.date(2025, 1, 2) + n * DAY) == [] for n in range(0, 800, 7))
    assert standing(r, an_id("dk"), dt.date(2026, 1, 1)) is not None  # the waiting list still sees them


@pytest.mark.parametrize(
    ("basis", "provision"),
    [
        (LegalBases.LSS_DAILY_ACTIVITY, "LSS 28 f §"),
        (LegalBasis(Jurisdiction.SE, "LSS", "9 § 9", "SFS 1993:387"), "LSS 28 f §"),
        (LegalBasis(Jurisdiction.SE, "LSS", "9 § 1", "SFS 1993:387"), "LSS 28 f §"),
        (
            LegalBasis(
                Jurisdiction.SE,
                "Lag (1993:387) om stöd och service till vissa funktionshindrade",
                "9 § 10 p.",
                "1993:387",
            ),
            "LSS 28 f §",
        ),
        (LegalBases.SOL_ASSISTANCE_2001, "SoL (2001:453) 16 kap. 6 f §"),
        (
            LegalBasis(Jurisdiction.SE, "Socialtjänstlagen", "4 kap 1§", "SFS 2001:453"),
            "SoL (2001:453) 16 kap. 6 f §",
        ),
        (LegalBases.SOL_ASSISTANCE_2025, "SoL (2025:400), its counterpart of 16 kap. 6 f § (unverified)"),
        (LegalBases.SOL_REQUIRED_ACTIVITY_2001, None),
        (LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 1 §", "SFS 2025:400"), None),  # another paragraph there
        (LegalBases.DK_PROTECTED_EMPLOYMENT, None),
        (LegalBases.DK_ACTIVITY, None),
    ],
)
def test_the_table_by_law_and_section(basis: LegalBasis, provision: str | None) -> None:
    assert reporting_provision(basis) == provision
