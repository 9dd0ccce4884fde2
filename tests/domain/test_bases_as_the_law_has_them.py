"""B6 and B19 as the law has them (issue #12): an extension is authorised only by a decision on the
placement's own service; a serviceloven placement stands on a Danish decision of its own section; a
basis belongs to the case's country, and so does the unit; SoL 4 kap. 4 § is Swedish only."""

from __future__ import annotations

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import ExtendPlacement, StartPlacement
from rehabcore.domain.rules import DENMARK_DEFAULT, ExtensionNeedsDecision, PlacementBasisInvalid
from rehabcore.domain.vocabulary import (
    Basis,
    DecisionOutcome,
    Jurisdiction,
    LegalBases,
    PlacementKind,
    ServiceKind,
    UnitKind,
)

from .gwt import (
    CASE,
    DECIDED_ON,
    LSS_DECISION,
    TODAY,
    WORK_TRAINING,
    an_id,
    given,
    given_unit,
    lss_decision,
    opened,
    sol_decision,
    unit_registered,
    work_training_started,
)

DK_DECISION = an_id("decision/dk")
DK_UNIT = an_id("unit/dk")


def extend(decision_id: object) -> ExtendPlacement:
    return ExtendPlacement(
        case_id=CASE,
        placement_id=WORK_TRAINING,
        extended_on=TODAY,
        new_planned_end_on=dt.date(2026, 8, 14),
        authorising_decision_id=decision_id,  # type: ignore[arg-type]
    )


def test_b6_an_lss_daily_activity_decision_does_not_authorise_extending_work_training() -> None:
    given(opened(), sol_decision(), work_training_started(), lss_decision(on=TODAY)).when(
        extend(LSS_DECISION)
    ).then_rejected("B6", ExtensionNeedsDecision, says=["lss_daily_activity", "work_rehabilitation"])


def test_b6_a_decision_for_work_rehabilitation_authorises_it() -> None:
    fresh = sol_decision(an_id("decision/extension"), on=TODAY)
    given(opened(), sol_decision(), work_training_started(), fresh).when(
        extend(an_id("decision/extension"))
    ).then_accepted()


def dk_decision(service: ServiceKind = ServiceKind.DK_PROTECTED_EMPLOYMENT) -> ev.DecisionMade:
    basis = (
        LegalBases.DK_PROTECTED_EMPLOYMENT
        if service is ServiceKind.DK_PROTECTED_EMPLOYMENT
        else LegalBases.DK_ACTIVITY
    )
    return ev.DecisionMade(
        occurred_on=DECIDED_ON,
        decision_id=DK_DECISION,
        outcome=DecisionOutcome.GRANT,
        legal_basis=basis,
        service=service,
        valid_from=DECIDED_ON,
    )


def dk_start(kind: PlacementKind, basis: Basis) -> StartPlacement:
    return StartPlacement(
        case_id=CASE,
        placement_id=an_id("placement/dk"),
        unit_id=DK_UNIT,
        kind=kind,
        basis=basis,
        start_on=TODAY,
        hours_per_week=20,
    )


DK_CASE = opened(jurisdiction=Jurisdiction.DK)


@pytest.mark.parametrize("kind", [PlacementKind.DK_PROTECTED_EMPLOYMENT, PlacementKind.DK_ACTIVITY], ids=str)
def test_b19_a_danish_placement_needs_a_danish_decision(kind: PlacementKind) -> None:
    for basis in (Basis.voluntary(), Basis.sol(DK_DECISION), Basis.required_activity()):
        given(DK_CASE, dk_decision(), ruleset=DENMARK_DEFAULT).when(dk_start(kind, basis)).then_rejected(
            "B19", PlacementBasisInvalid
        )


def test_b19_a_danish_placement_needs_the_decision_of_its_own_section() -> None:
    section_104 = dk_decision(ServiceKind.DK_ACTIVITY)
    given(DK_CASE, section_104, ruleset=DENMARK_DEFAULT).when(
        dk_start(PlacementKind.DK_PROTECTED_EMPLOYMENT, Basis.dk(DK_DECISION))
    ).then_rejected("B19", PlacementBasisInvalid, says="dk_activity")
    given(DK_CASE, dk_decision(), ruleset=DENMARK_DEFAULT).when(
        dk_start(PlacementKind.DK_PROTECTED_EMPLOYMENT, Basis.dk(DK_DECISION))
    ).then_accepted()


def test_b19_required_activity_under_sol_4_4_is_swedish_only() -> None:
    given(DK_CASE, ruleset=DENMARK_DEFAULT).when(
        dk_start(PlacementKind.OCCUPATION, Basis.required_activity())
    ).then_rejected("B19", PlacementBasisInvalid, says="SE law")


def test_b19_a_sol_decision_for_work_rehabilitation_is_no_basis_for_occupation() -> None:
    command = StartPlacement(
        case_id=CASE,
        placement_id=an_id("placement/occupation"),
        unit_id=an_id("unit/lotsen"),
        kind=PlacementKind.OCCUPATION,
        basis=Basis.sol(an_id("decision/sol")),
        start_on=TODAY,
        hours_per_week=10,
    )
    given(opened(), sol_decision()).when(command).then_rejected(
        "B19", PlacementBasisInvalid, says="work_rehabilitation"
    )


def test_b19_a_unit_runs_under_the_case_s_law() -> None:
    danish_unit = ev.UnitRegistered(
        occurred_on=DECIDED_ON,
        unit_id=DK_UNIT,
        name="Esbjerg beskyttet beskæftigelse",
        kind=UnitKind.WORK_REHABILITATION,
        jurisdiction=Jurisdiction.DK,
        capacity=5,
        offers=(PlacementKind.WORK_TRAINING,),
    )
    swedish_case = opened()  # placed at a Danish unit
    placed = work_training_started(unit_id=DK_UNIT)
    case = given(swedish_case).state
    given_unit(danish_unit).when_placed(placed, case=case).then_rejected("B19", PlacementBasisInvalid)
    given_unit(unit_registered()).when_placed(work_training_started(), case=case).then_accepted()
