"""The demo's contracted provider (#16): seed 002's Leanlink, its units and staff, and two disclosures.

Recorded after the synthetic municipality (``rehabcore.demo``), in the same store, under a ruleset of its own
with an organisation and a delegationsordning (:data:`RULESET`): the social welfare board decides LSS daily
activity; Leanlink, a contracted provider, runs two daily-activity units and records the placements and
follow-ups there. Its staff trying to decide is refused (A4); so is sharing the plan with housing support
before the person consents (B21), which is recorded once the consent is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import attrs

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.organisation import Board, Contract, Organisation, Provider, ProviderKind
from rehabcore.domain.permissions import AccessPolicy, Delegation
from rehabcore.domain.rules import Ruleset
from rehabcore.i18n import _, ngettext

NS = uuid.UUID("0b5e9f3a-2c1d-4e6f-8a7b-9c0d1e2f0580")
BOARD, LEANLINK = "socialnamnden", "leanlink"
UNITS = (uuid.uuid5(NS, "unit/leanlink-1"), uuid.uuid5(NS, "unit/leanlink-2"))
CASE = uuid.uuid5(NS, "case/1")

ORGANISATION = Organisation(
    boards=(Board(board_id=BOARD, name="Socialnämnden"),),
    providers=(
        Provider(
            provider_id=LEANLINK,
            name="Leanlink",
            kind=ProviderKind.CONTRACTED,
            units=UNITS,
            contract=Contract(start=dt.date(2024, 1, 1), notice_months=6),
        ),
    ),
)
RULESET = Ruleset(
    name="linkoping-demo",
    version="1",
    jurisdiction=v.Jurisdiction.SE,
    access=AccessPolicy(
        delegations=(
            Delegation(
                role=v.Role.LSS_OFFICER,
                service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                basis=v.LegalBases.LSS_DAILY_ACTIVITY,
            ),
        ),
        organisation=ORGANISATION,
    ),
)
OFFICER = rc.Actor(id="lss-2284", role=v.Role.LSS_OFFICER, unit="LSS-handläggning")
STAFF = rc.Actor(id="leanlink-01", role=v.Role.UNIT_STAFF, unit="Leanlink")
MANAGER = rc.Actor(id="leanlink-chef", role=v.Role.MANAGER, unit="Leanlink")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(NS, name)


def record(store: rc.EventStore, today: dt.date) -> Iterator[str]:
    """Record the vignette into ``store``; yield what happened, a line each."""
    board = rc.Cases(store, ruleset=RULESET, tenant=BOARD, today=lambda: today)
    leanlink = rc.Cases(store, ruleset=RULESET, tenant=LEANLINK, today=lambda: today)
    for n, unit_id in enumerate(UNITS, 1):
        leanlink.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=dt.date(2026, 1, 2),
                name=f"Leanlink daglig verksamhet {n}",
                kind=v.UnitKind.LSS_DAILY_ACTIVITY,
                jurisdiction=v.Jurisdiction.SE,
                capacity=12,
                offers=(v.PlacementKind.DAILY_ACTIVITY,),
            ),
            actor=MANAGER,
        )
    board.handle(
        cmd.OpenCase(
            case_id=CASE,
            subject_id=_id("subject/1"),
            opened_on=dt.date(2026, 1, 12),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.LSS_OFFICER,
            board_id=BOARD,
        ),
        actor=OFFICER,
    )
    board.handle(
        cmd.ReceiveApplication(
            case_id=CASE,
            application_id=_id("application/1"),
            received_on=dt.date(2026, 1, 20),
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.WRITTEN,
        ),
        actor=OFFICER,
    )
    decision = cmd.MakeDecision(
        case_id=CASE,
        decision_id=_id("decision/1"),
        decided_on=dt.date(2026, 2, 2),
        outcome=v.DecisionOutcome.GRANT,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
        service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=dt.date(2026, 2, 2),
        personkrets=v.Personkrets.GROUP_1,
        reasons="Du tillhör personkrets 1 och har ansökt om daglig verksamhet",
        decided_by=v.Official(id="lss-2284", role=v.Role.LSS_OFFICER, delegation="LSS 3.2"),
        appeal_info_given=True,
        application_id=_id("application/1"),
    )
    try:
        leanlink.handle(decision, actor=STAFF)
    except rc.RuleViolation as refused:
        yield _("Leanlink staff deciding LSS 9 § 10: refused [{rule}]", rule=refused.rule_id)
    board.handle(decision, actor=OFFICER)
    leanlink.handle(
        cmd.StartPlacement(
            case_id=CASE,
            placement_id=_id("placement/1"),
            unit_id=UNITS[0],
            kind=v.PlacementKind.DAILY_ACTIVITY,
            basis=v.Basis.lss(_id("decision/1")),
            start_on=dt.date(2026, 2, 16),
            hours_per_week=20,
        ),
        actor=STAFF,
    )
    leanlink.handle(
        cmd.RecordFollowUp(
            case_id=CASE,
            follow_up_id=_id("follow-up/1"),
            follow_up_on=dt.date(2026, 3, 16),
            goal_results=(),
            participation=v.Participation.FULL,
            status=v.FollowUpStatus.CONTINUE,
        ),
        actor=STAFF,
    )
    yield ngettext(
        "Leanlink (contracted, {n} unit) started a placement and followed it up",
        "Leanlink (contracted, {n} units) started a placement and followed it up",
        len(UNITS),
    )
    share = cmd.RecordDisclosure(
        case_id=CASE,
        disclosure_id=_id("disclosure/1"),
        disclosed_on=dt.date(2026, 3, 17),
        recipient=v.ConsentScope.HOUSING_SUPPORT,
        categories=(v.DataCategory.PLAN, v.DataCategory.ATTENDANCE),
        consent_id=_id("consent/1"),
    )
    try:  # neither a consent nor a provision to stand on
        board.handle(attrs.evolve(share, consent_id=None), actor=OFFICER)
    except rc.RuleViolation as refused:
        yield _("Plan shared with housing support before consent: refused [{rule}]", rule=refused.rule_id)
    board.handle(
        cmd.GiveConsent(
            case_id=CASE,
            consent_id=_id("consent/1"),
            given_on=dt.date(2026, 3, 17),
            scope=v.ConsentScope.HOUSING_SUPPORT,
            valid_until=dt.date(2026, 12, 31),
        ),
        actor=OFFICER,
    )
    board.handle(share, actor=OFFICER)
    seen = len(leanlink.history(CASE))
    yield _(
        "After consent: shared with housing support; Leanlink sees {seen} of the case's entries", seen=seen
    )
