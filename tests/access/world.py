"""Seed 002 as data: two boards, a contracted provider (Leanlink) with two units, a municipal one, another.

The social welfare board decides LSS daily activity (its LSS officers, by delegation); the labour-market board
decides work rehabilitation (its case workers). Leanlink runs two daily-activity units under a contract until
further notice; the municipality runs the work-rehabilitation unit; a third provider's contract has ended.
"""

from __future__ import annotations

import datetime as dt
import uuid

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.organisation import Board, Contract, Organisation, Provider, ProviderKind
from rehabcore.domain.permissions import AccessPolicy, Delegation
from rehabcore.domain.rules import Ruleset
from rehabcore.store import EventStore

NS = uuid.UUID("6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d")


def an_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NS, name)


SOCIAL = "socialnamnden"
LABOUR = "arbetsmarknadsnamnden"
LEANLINK = "leanlink"
OWN = "egen-regi"
ENDED = "annan-utforare"

DV_1, DV_2, WORK, ENDED_UNIT = an_id("unit/dv-1"), an_id("unit/dv-2"), an_id("unit/work"), an_id("unit/x")
OPENED = dt.date(2026, 1, 12)
TODAY = dt.date(2026, 4, 1)

ORGANISATION = Organisation(
    boards=(
        Board(board_id=SOCIAL, name="Socialnämnden"),
        Board(board_id=LABOUR, name="Arbetsmarknadsnämnden"),
    ),
    providers=(
        Provider(
            provider_id=LEANLINK,
            name="Leanlink",
            kind=ProviderKind.CONTRACTED,
            units=(DV_1, DV_2),
            contract=Contract(start=dt.date(2025, 1, 1), notice_months=6),
        ),
        Provider(provider_id=OWN, name="Arbetsmarknadsenheten", kind=ProviderKind.MUNICIPAL, units=(WORK,)),
        Provider(
            provider_id=ENDED,
            name="Annan utförare",
            kind=ProviderKind.CONTRACTED,
            units=(ENDED_UNIT,),
            contract=Contract(start=dt.date(2024, 1, 1), ends_on=dt.date(2025, 12, 31)),
        ),
    ),
)

POLICY = AccessPolicy(
    delegations=(
        Delegation(
            role=v.Role.LSS_OFFICER,
            service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            basis=v.LegalBases.LSS_DAILY_ACTIVITY,
        ),
        Delegation(
            role=v.Role.CASE_WORKER,
            service=v.ServiceKind.WORK_REHABILITATION,
            basis=v.LegalBases.SOL_ASSISTANCE_2025,
        ),
    ),
    organisation=ORGANISATION,
)
RULESET = Ruleset(name="linkoping", version="2026-01", jurisdiction=v.Jurisdiction.SE, access=POLICY)

CASE_WORKER = rc.Actor(id="hand-1", role=v.Role.CASE_WORKER)
LSS_OFFICER = rc.Actor(id="lss-1", role=v.Role.LSS_OFFICER)
STAFF = rc.Actor(id="leanlink-7", role=v.Role.UNIT_STAFF, unit="Leanlink DV 1")
MANAGER = rc.Actor(id="leanlink-chef", role=v.Role.MANAGER)


def cases(store: EventStore, tenant: str | None) -> rc.Cases:
    return rc.Cases(store, ruleset=RULESET, tenant=tenant, today=lambda: TODAY)


def register_units(store: EventStore) -> None:
    """Each provider's manager registers its own units."""
    for tenant, unit_id, name in (
        (LEANLINK, DV_1, "DV 1"),
        (LEANLINK, DV_2, "DV 2"),
        (ENDED, ENDED_UNIT, "X"),
    ):
        cases(store, tenant).handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=OPENED,
                name=name,
                kind=v.UnitKind.LSS_DAILY_ACTIVITY,
                jurisdiction=v.Jurisdiction.SE,
                capacity=5,
                offers=(v.PlacementKind.DAILY_ACTIVITY,),
            ),
            actor=MANAGER,
        )


def open_case(case_id: uuid.UUID, board: str | None = SOCIAL) -> cmd.OpenCase:
    return cmd.OpenCase(
        case_id=case_id,
        subject_id=uuid.uuid5(case_id, "subject"),
        opened_on=OPENED,
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="0580",
        source=v.ReferralSource.LSS_OFFICER,
        board_id=board,
    )


def application(case_id: uuid.UUID) -> cmd.ReceiveApplication:
    return cmd.ReceiveApplication(
        case_id=case_id,
        application_id=uuid.uuid5(case_id, "application"),
        received_on=dt.date(2026, 1, 20),
        applicant=v.Applicant.PERSON,
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        form=v.ApplicationForm.WRITTEN,
    )


def lss_decision(case_id: uuid.UUID) -> cmd.MakeDecision:
    return cmd.MakeDecision(
        case_id=case_id,
        decision_id=uuid.uuid5(case_id, "decision"),
        decided_on=dt.date(2026, 2, 2),
        outcome=v.DecisionOutcome.GRANT,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
        service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=dt.date(2026, 2, 2),
        personkrets=v.Personkrets.GROUP_1,
        alternatives_considered=("sysselsättning enligt SoL",),
        least_intrusive_rationale="önskemål i dialog",
        communicated_on=dt.date(2026, 1, 28),
        reasons="Du tillhör personkrets 1 och behöver daglig verksamhet",
        decided_by=v.Official(id="lss-1", role=v.Role.LSS_OFFICER, delegation="LSS 3.2"),
        appeal_info_given=True,
        application_id=uuid.uuid5(case_id, "application"),
    )


def placement(
    case_id: uuid.UUID, unit_id: uuid.UUID = DV_1, start_on: dt.date = dt.date(2026, 2, 16)
) -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=case_id,
        placement_id=uuid.uuid5(case_id, f"placement/{unit_id}"),
        unit_id=unit_id,
        kind=v.PlacementKind.DAILY_ACTIVITY,
        basis=v.Basis.lss(uuid.uuid5(case_id, "decision")),
        start_on=start_on,
        hours_per_week=20,
    )


def follow_up(case_id: uuid.UUID, on: dt.date = dt.date(2026, 3, 16)) -> cmd.RecordFollowUp:
    return cmd.RecordFollowUp(
        case_id=case_id,
        follow_up_id=uuid.uuid5(case_id, f"follow-up/{on}"),
        follow_up_on=on,
        goal_results=(),
        participation=v.Participation.FULL,
        status=v.FollowUpStatus.CONTINUE,
    )


def decided_case(store: EventStore, case_id: uuid.UUID, board: str = SOCIAL) -> None:
    """A case of ``board``, opened, applied for and granted LSS daily activity (by the board's staff)."""
    office = cases(store, board)
    office.handle(open_case(case_id, board), actor=CASE_WORKER)
    office.handle(application(case_id), actor=LSS_OFFICER)
    office.handle(lss_decision(case_id), actor=LSS_OFFICER)
