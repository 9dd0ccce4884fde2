"""Decisions: B8 personkrets for LSS 9 § 10, B16 legal basis, B17 least intrusive, B18 communicated."""

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import MakeDecision, OpenCase
from rehabcore.domain.rules import DENMARK_DEFAULT, LegalBasisMismatch, LssDecisionNeedsPersonkrets
from rehabcore.domain.vocabulary import (
    DecisionOutcome,
    Jurisdiction,
    LegalBases,
    LegalBasis,
    Personkrets,
    ReferralSource,
    ServiceKind,
)

from .gwt import APPLICATION, CASE, DECIDED_ON, LSS_OFFICER, SUBJECT, an_id, applied, assessed, given, opened

DECISION = an_id("decision/new")


def decide(
    legal_basis: LegalBasis = LegalBases.LSS_DAILY_ACTIVITY,
    service: ServiceKind = ServiceKind.LSS_DAILY_ACTIVITY,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
    personkrets: Personkrets | None = Personkrets.GROUP_1,
    alternatives_considered: tuple[str, ...] = ("sysselsättning enligt SoL",),
    least_intrusive_rationale: str | None = "daglig verksamhet nära hemmet",
    communicated_on: dt.date | None = None,
) -> MakeDecision:
    return MakeDecision(
        case_id=CASE,
        decision_id=DECISION,
        decided_on=DECIDED_ON,
        outcome=outcome,
        legal_basis=legal_basis,
        service=service,
        valid_from=DECIDED_ON,
        personkrets=personkrets,
        alternatives_considered=alternatives_considered,
        least_intrusive_rationale=least_intrusive_rationale,
        communicated_on=communicated_on,
        reasons=None if outcome is DecisionOutcome.GRANT else "Behovet tillgodoses delvis på annat sätt",
        decided_by=LSS_OFFICER,
        appeal_info_given=True,
        application_id=APPLICATION if service is ServiceKind.LSS_DAILY_ACTIVITY else None,
    )


def made(c: MakeDecision) -> ev.DecisionMade:
    return ev.DecisionMade(
        occurred_on=c.decided_on,
        decision_id=c.decision_id,
        outcome=c.outcome,
        legal_basis=c.legal_basis,
        service=c.service,
        valid_from=c.valid_from,
        valid_to=c.valid_to,
        personkrets=c.personkrets,
        terminates_decision_id=c.terminates_decision_id,
        alternatives_considered=c.alternatives_considered,
        least_intrusive_rationale=c.least_intrusive_rationale,
        communicated_on=c.communicated_on,
        reasons=c.reasons,
        decided_by=c.decided_by,
        appeal_info_given=c.appeal_info_given,
        application_id=c.application_id,
    )


# --- B8 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [Personkrets.GROUP_1, Personkrets.GROUP_2])
def test_b8_daily_activity_is_granted_to_personkrets_group_1_or_2(group: Personkrets) -> None:
    command = decide(personkrets=group)
    given(opened(), applied(), assessed(personkrets=group)).when(command, today=DECIDED_ON).then(
        made(command)
    ).then_warns()


@pytest.mark.parametrize("group", [None, Personkrets.GROUP_3, Personkrets.NONE])
def test_b8_daily_activity_is_not_granted_without_personkrets_group_1_or_2(group: Personkrets | None) -> None:
    (
        given(opened(), applied(), assessed())
        .when(decide(personkrets=group), today=DECIDED_ON)
        .then_rejected("B8", LssDecisionNeedsPersonkrets, says="record the group found in the assessment")
    )


def test_b8_a_rejected_lss_application_needs_no_personkrets() -> None:
    command = decide(outcome=DecisionOutcome.REJECT, personkrets=None, communicated_on=DECIDED_ON)
    given(opened(), applied()).when(command, today=DECIDED_ON).then(made(command))


# --- B16 ------------------------------------------------------------------------------------------------


def test_b16_a_danish_case_decides_protected_employment_under_serviceloven_103() -> None:
    command = decide(
        LegalBases.DK_PROTECTED_EMPLOYMENT, ServiceKind.DK_PROTECTED_EMPLOYMENT, personkrets=None
    )
    (
        given(opened(jurisdiction=Jurisdiction.DK))
        .when(command, today=DECIDED_ON, ruleset=DENMARK_DEFAULT)
        .then(made(command))
    )


def test_b16_protected_employment_is_not_decided_under_the_section_for_activity_offers() -> None:
    (
        given(opened(jurisdiction=Jurisdiction.DK))
        .when(
            decide(LegalBases.DK_ACTIVITY, ServiceKind.DK_PROTECTED_EMPLOYMENT, personkrets=None),
            today=DECIDED_ON,
            ruleset=DENMARK_DEFAULT,
        )
        .then_rejected("B16", LegalBasisMismatch, says="is decided under Serviceloven § 103")
    )


def test_b16_a_swedish_case_does_not_decide_under_danish_law() -> None:
    (
        given(opened(), applied())
        .when(
            decide(LegalBases.DK_PROTECTED_EMPLOYMENT, ServiceKind.DK_PROTECTED_EMPLOYMENT, personkrets=None)
        )
        .then_rejected("B16", LegalBasisMismatch, says="use a basis of SE")
    )


def test_b16_a_danish_service_is_not_decided_under_swedish_law() -> None:
    (
        given(opened(), applied())
        .when(decide(LegalBases.SOL_ASSISTANCE_2001, ServiceKind.DK_PROTECTED_EMPLOYMENT, personkrets=None))
        .then_rejected("B16", LegalBasisMismatch, says="cannot be decided under SoL")
    )


def test_b16_lss_9_10_decides_only_daily_activity() -> None:
    (
        given(opened(), applied())
        .when(decide(LegalBases.LSS_DAILY_ACTIVITY, ServiceKind.WORK_REHABILITATION))
        .then_rejected("B16", LegalBasisMismatch, says="decides only daily activity")
    )


def test_b16_daily_activity_under_lss_is_not_decided_under_sol() -> None:
    (
        given(opened(), applied())
        .when(decide(LegalBases.SOL_ASSISTANCE_2025, ServiceKind.LSS_DAILY_ACTIVITY, personkrets=None))
        .then_rejected("B16", LegalBasisMismatch, says="is decided under LSS 9 § 10")
    )


def test_b16_a_new_version_of_the_law_is_data_sol_2025_decides_work_rehabilitation() -> None:
    command = decide(LegalBases.SOL_ASSISTANCE_2025, ServiceKind.WORK_REHABILITATION, personkrets=None)
    given(opened(), applied()).when(command, today=DECIDED_ON).then(made(command))


def test_b16_a_danish_case_is_not_opened_under_the_swedish_ruleset() -> None:
    command = OpenCase(
        case_id=CASE,
        subject_id=SUBJECT,
        opened_on=DECIDED_ON,
        jurisdiction=Jurisdiction.DK,
        municipality_code="0101",
        source=ReferralSource.SELF,
    )
    given().when(command, today=DECIDED_ON).then_rejected(
        "B16", LegalBasisMismatch, says="se-default@1 is for SE"
    )
    given().when(command, today=DECIDED_ON, ruleset=DENMARK_DEFAULT).then_accepted()


# --- B17 ------------------------------------------------------------------------------------------------


def test_b17_a_grant_recording_alternatives_and_why_least_intrusive_raises_no_flag() -> None:
    given(opened(), applied()).when(decide(), today=DECIDED_ON).then_warns()


def test_b17_a_grant_without_alternatives_considered_is_flagged() -> None:
    outcome = (
        given(opened(), applied())
        .when(decide(alternatives_considered=()), today=DECIDED_ON)
        .then_warns("B17")
    )
    flag = outcome.warning("B17")
    assert flag.code == "least_intrusive_not_recorded"
    assert flag.refers_to == DECISION
    assert "least intrusive" in flag.message


def test_b17_a_grant_without_the_least_intrusive_rationale_is_flagged() -> None:
    given(opened(), applied()).when(decide(least_intrusive_rationale=None), today=DECIDED_ON).then_warns(
        "B17"
    )


def test_b17_a_rejection_weighs_no_alternatives() -> None:
    command = decide(
        outcome=DecisionOutcome.REJECT,
        alternatives_considered=(),
        least_intrusive_rationale=None,
        communicated_on=DECIDED_ON,
    )
    given(opened(), applied()).when(command, today=DECIDED_ON).then_warns()


# --- B18 ------------------------------------------------------------------------------------------------


def test_b18_an_unfavourable_decision_communicated_before_it_is_made_raises_no_flag() -> None:
    command = decide(outcome=DecisionOutcome.REJECT, communicated_on=DECIDED_ON - dt.timedelta(days=7))
    given(opened(), applied()).when(command, today=DECIDED_ON).then_warns()


@pytest.mark.parametrize("outcome", [DecisionOutcome.REJECT, DecisionOutcome.PARTIAL])
def test_b18_an_unfavourable_decision_never_communicated_is_flagged(outcome: DecisionOutcome) -> None:
    outcome_ = given(opened(), applied()).when(decide(outcome=outcome), today=DECIDED_ON).then_warns("B18")
    assert outcome_.warning("B18").code == "not_communicated"


def test_b18_communicating_after_the_decision_is_too_late() -> None:
    command = decide(outcome=DecisionOutcome.REJECT, communicated_on=DECIDED_ON + dt.timedelta(days=1))
    given(opened(), applied()).when(command, today=DECIDED_ON).then_warns("B18")


def test_b18_a_full_grant_needs_no_communication_first() -> None:
    given(opened(), applied()).when(decide(communicated_on=None), today=DECIDED_ON).then_warns()
