"""#18 Danish practice and legal versions: § 85, the jobcenter, § 103's "other legislation first" (B25),
processing deadlines per area (B26) and the law version in force on the decision day (B16)."""

import datetime as dt

import attrs
import pytest

from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.rules import (
    DENMARK_DEFAULT,
    SWEDEN_DEFAULT,
    ProcessingDeadline,
    RuleParameters,
    Ruleset,
)
from rehabcore.domain.vocabulary import (
    Applicant,
    ApplicationForm,
    DecisionOutcome,
    Jurisdiction,
    LegalBases,
    LegalBasis,
    Official,
    OtherLegislationFinding,
    OtherLegislationOffer,
    ReferralSource,
    Role,
    ServiceKind,
    law_version,
)

from .gwt import CASE, OPENED_ON, SUBJECT, an_id, given, opened

DECISION = an_id("decision/dk")
ASSESSMENT = an_id("assessment/other-legislation")
APPLICATION = an_id("application/dk")
DECIDED_ON = dt.date(2026, 2, 2)
CASE_WORKER = Official(id="sagsbehandler-12", role=Role.CASE_WORKER, delegation="4.1")


def decide(
    service: ServiceKind = ServiceKind.DK_PROTECTED_EMPLOYMENT,
    basis: LegalBasis = LegalBases.DK_PROTECTED_EMPLOYMENT,
    outcome: DecisionOutcome = DecisionOutcome.GRANT,
    on: dt.date = DECIDED_ON,
) -> cmd.MakeDecision:
    return cmd.MakeDecision(
        case_id=CASE,
        decision_id=DECISION,
        decided_on=on,
        outcome=outcome,
        legal_basis=basis,
        service=service,
        valid_from=on,
        alternatives_considered=("§ 104",),
        least_intrusive_rationale="beskæftigelse tæt på hjemmet",
        reasons=None if outcome is DecisionOutcome.GRANT else "Behovet dækkes efter anden lovgivning",
        communicated_on=on,
        appeal_info_given=True,
        decided_by=CASE_WORKER,
    )


def assessed_other(
    finding: OtherLegislationFinding = OtherLegislationFinding.NONE_USABLE, on: dt.date = OPENED_ON
) -> ev.OtherLegislationAssessed:
    return ev.OtherLegislationAssessed(
        occurred_on=on,
        assessment_id=ASSESSMENT,
        considered=(OtherLegislationOffer.FLEXJOB, OtherLegislationOffer.RESOURCE_PROGRAMME),
        finding=finding,
    )


def dk_opened() -> ev.CaseOpened:
    return opened(jurisdiction=Jurisdiction.DK)


def codes(then: object) -> list[str]:
    return sorted(w.code for w in then.warnings)  # type: ignore[attr-defined]


# --- § 85 as a service kind ------------------------------------------------------------------------------


def test_a_danish_case_decides_support_in_daily_life_under_serviceloven_85() -> None:
    command = decide(ServiceKind.DK_DAILY_LIFE_SUPPORT, LegalBases.DK_DAILY_LIFE_SUPPORT)
    then = given(dk_opened()).when(command, today=DECIDED_ON, ruleset=DENMARK_DEFAULT).then_accepted()
    [made] = then.events or []
    assert isinstance(made, ev.DecisionMade) and made.service is ServiceKind.DK_DAILY_LIFE_SUPPORT
    assert made.legal_basis.section == "§ 85"


@pytest.mark.parametrize(
    ("service", "basis", "says"),
    [
        (ServiceKind.DK_DAILY_LIFE_SUPPORT, LegalBases.DK_ACTIVITY, "is decided under Serviceloven § 85"),
        (ServiceKind.DK_ACTIVITY, LegalBases.DK_DAILY_LIFE_SUPPORT, "is decided under Serviceloven § 104"),
    ],
)
def test_85_is_not_confused_with_the_other_sections(
    service: ServiceKind, basis: LegalBasis, says: str
) -> None:
    (
        given(dk_opened())
        .when(decide(service, basis), today=DECIDED_ON, ruleset=DENMARK_DEFAULT)
        .then_rejected("B16", r.LegalBasisMismatch, says=says)
    )


def test_85_is_not_decided_in_a_swedish_case() -> None:
    (
        given(opened())
        .when(decide(ServiceKind.DK_DAILY_LIFE_SUPPORT, LegalBases.DK_DAILY_LIFE_SUPPORT), today=DECIDED_ON)
        .then_rejected("B16", r.LegalBasisMismatch, says="use a basis of SE")
    )


# --- the jobcenter, apart from Arbetsförmedlingen -------------------------------------------------------


def test_the_jobcenter_is_a_referral_source_of_its_own() -> None:
    assert ReferralSource.JOBCENTER is not ReferralSource.EMPLOYMENT_SERVICE
    command = cmd.OpenCase(
        case_id=CASE,
        subject_id=SUBJECT,
        opened_on=OPENED_ON,
        jurisdiction=Jurisdiction.DK,
        municipality_code="561",
        source=ReferralSource.JOBCENTER,
    )
    then = given().when(command, today=OPENED_ON, ruleset=DENMARK_DEFAULT).then_accepted()
    [case_opened] = then.events or []
    assert isinstance(case_opened, ev.CaseOpened) and case_opened.source is ReferralSource.JOBCENTER
    assert codec.decode_event(*codec.encode_event(case_opened)) == case_opened


def test_a_case_stored_with_the_old_employment_service_value_still_decodes() -> None:
    """Danish cases recorded before #18 stored the jobcenter as ``employment_service``: those rows read."""
    stored = attrs.evolve(opened(jurisdiction=Jurisdiction.DK), source=ReferralSource.EMPLOYMENT_SERVICE)
    name, version, data = codec.encode_event(stored)
    assert b'"employment_service"' in data
    decoded = codec.decode_event(name, version, data)
    assert isinstance(decoded, ev.CaseOpened) and decoded.source is ReferralSource.EMPLOYMENT_SERVICE


# --- § 103: other legislation first (B25) ---------------------------------------------------------------


def test_b25_the_assessment_is_recorded_on_a_danish_case() -> None:
    command = cmd.AssessOtherLegislation(
        case_id=CASE,
        assessment_id=ASSESSMENT,
        assessed_on=OPENED_ON,
        considered=(OtherLegislationOffer.FLEXJOB, OtherLegislationOffer.RESOURCE_PROGRAMME),
        finding=OtherLegislationFinding.NONE_USABLE,
    )
    given(dk_opened()).when(command, today=OPENED_ON, ruleset=DENMARK_DEFAULT).then(
        assessed_other()
    ).then_warns()


@pytest.mark.parametrize(
    ("considered", "jurisdiction", "rule_id", "says"),
    [
        ((), Jurisdiction.DK, "C3", "name at least one offer"),
        ((OtherLegislationOffer.FLEXJOB,) * 2, Jurisdiction.DK, "C2", "named twice"),
        ((OtherLegislationOffer.FLEXJOB,), Jurisdiction.SE, "B16", "the case is in SE"),
    ],
)
def test_b25_an_assessment_names_what_was_weighed_on_a_danish_case(
    considered: tuple[OtherLegislationOffer, ...], jurisdiction: Jurisdiction, rule_id: str, says: str
) -> None:
    command = cmd.AssessOtherLegislation(
        case_id=CASE,
        assessment_id=ASSESSMENT,
        assessed_on=OPENED_ON,
        considered=considered,
        finding=OtherLegislationFinding.NONE_USABLE,
    )
    ruleset = DENMARK_DEFAULT if jurisdiction is Jurisdiction.DK else SWEDEN_DEFAULT
    (
        given(opened(jurisdiction=jurisdiction), ruleset=ruleset)
        .when(command, today=OPENED_ON, ruleset=ruleset)
        .then_rejected(rule_id, says=says)
    )


def test_b25_a_103_grant_resting_on_the_assessment_is_accepted_without_warning() -> None:
    given(dk_opened(), assessed_other()).when(
        decide(), today=DECIDED_ON, ruleset=DENMARK_DEFAULT
    ).then_warns()


def test_b25_a_103_grant_without_the_assessment_is_accepted_with_a_warning() -> None:
    then = given(dk_opened()).when(decide(), today=DECIDED_ON, ruleset=DENMARK_DEFAULT).then_warns("B25")
    assert then.warning("B25").code == "other_legislation_not_assessed"
    assert then.warning("B25").refers_to == DECISION


def test_b25_an_assessment_after_the_decision_day_does_not_count() -> None:
    later = assessed_other(on=DECIDED_ON + dt.timedelta(days=1))
    given(dk_opened(), later).when(
        decide(), today=DECIDED_ON + dt.timedelta(days=1), ruleset=DENMARK_DEFAULT
    ).then_warns("B25")


def test_b25_a_103_grant_against_the_cases_own_finding_is_refused() -> None:
    (
        given(dk_opened(), assessed_other(OtherLegislationFinding.USABLE))
        .when(decide(), today=DECIDED_ON, ruleset=DENMARK_DEFAULT)
        .then_rejected("B25", r.OtherLegislationNotExhausted, says="record a new assessment")
    )


def test_b25_a_new_assessment_replaces_the_earlier_finding() -> None:
    usable = assessed_other(OtherLegislationFinding.USABLE)
    newer = ev.OtherLegislationAssessed(
        occurred_on=OPENED_ON + dt.timedelta(days=7),
        assessment_id=an_id("assessment/2"),
        considered=(OtherLegislationOffer.FLEXJOB,),
        finding=OtherLegislationFinding.NONE_USABLE,
    )
    given(dk_opened(), usable, newer).when(decide(), today=DECIDED_ON, ruleset=DENMARK_DEFAULT).then_warns()


def test_b25_a_rejection_needs_no_assessment() -> None:
    command = decide(outcome=DecisionOutcome.REJECT)
    given(dk_opened()).when(command, today=DECIDED_ON, ruleset=DENMARK_DEFAULT).then_warns()


# --- processing deadlines per area (B26) ----------------------------------------------------------------

KRAFTCENTER_RULES = Ruleset(
    name="esbjerg",
    version="1",
    jurisdiction=Jurisdiction.DK,
    parameters=RuleParameters(
        processing_deadlines=(ProcessingDeadline(service=ServiceKind.DK_DAILY_LIFE_SUPPORT, days=42),)
    ),
)


def applied_dk(on: dt.date = OPENED_ON) -> ev.ApplicationReceived:
    return ev.ApplicationReceived(
        occurred_on=on,
        application_id=APPLICATION,
        applicant=Applicant.PERSON,
        requested_service=ServiceKind.DK_DAILY_LIFE_SUPPORT,
        form=ApplicationForm.WRITTEN,
    )


def referral(on: dt.date) -> cmd.ReceiveReferral:
    return cmd.ReceiveReferral(
        case_id=CASE,
        referral_id=an_id(f"referral/{on}"),
        received_on=on,
        source=ReferralSource.JOBCENTER,
        requested_service=ServiceKind.DK_DAILY_LIFE_SUPPORT,
    )


def test_b26_an_application_past_the_areas_deadline_without_a_decision_warns() -> None:
    due = OPENED_ON + dt.timedelta(days=42)
    then = (
        given(dk_opened(), applied_dk(), ruleset=KRAFTCENTER_RULES)
        .when(
            referral(due + dt.timedelta(days=1)), today=due + dt.timedelta(days=1), ruleset=KRAFTCENTER_RULES
        )
        .then_warns("B26")
    )
    warning = then.warning("B26")
    assert warning.code == "processing_deadline_passed" and warning.refers_to == APPLICATION
    assert str(due) in warning.message and "in writing" in warning.message


def test_b26_on_the_deadline_day_itself_nothing_is_late() -> None:
    due = OPENED_ON + dt.timedelta(days=42)
    (
        given(dk_opened(), applied_dk(), ruleset=KRAFTCENTER_RULES)
        .when(referral(due), today=due, ruleset=KRAFTCENTER_RULES)
        .then_warns()
    )


def test_b26_a_decision_on_the_service_answers_the_application() -> None:
    decided = OPENED_ON + dt.timedelta(days=30)
    grant = decide(ServiceKind.DK_DAILY_LIFE_SUPPORT, LegalBases.DK_DAILY_LIFE_SUPPORT, on=decided)
    made = given(dk_opened(), applied_dk()).when(grant, today=decided, ruleset=KRAFTCENTER_RULES).events
    later = OPENED_ON + dt.timedelta(days=90)
    (
        given(dk_opened(), applied_dk(), *(made or []), ruleset=KRAFTCENTER_RULES)
        .when(referral(later), today=later, ruleset=KRAFTCENTER_RULES)
        .then_warns()
    )


def test_b26_no_deadline_set_for_the_area_no_warning() -> None:
    later = OPENED_ON + dt.timedelta(days=365)
    given(dk_opened(), applied_dk(), ruleset=DENMARK_DEFAULT).when(
        referral(later), today=later, ruleset=DENMARK_DEFAULT
    ).then_warns()


def test_b26_deadlines_are_one_per_area_and_within_bounds() -> None:
    from rehabcore.errors import InvalidInput

    with pytest.raises(InvalidInput, match="one deadline"):
        RuleParameters(
            processing_deadlines=(
                ProcessingDeadline(service=ServiceKind.DK_ACTIVITY, days=10),
                ProcessingDeadline(service=ServiceKind.DK_ACTIVITY, days=20),
            )
        )
    with pytest.raises(InvalidInput, match="between 1 and 730"):
        ProcessingDeadline(service=ServiceKind.DK_ACTIVITY, days=0)


# --- B16: the law version in force on the decision day --------------------------------------------------


def sol_decision(basis: LegalBasis, on: dt.date) -> cmd.MakeDecision:
    return cmd.MakeDecision(
        case_id=CASE,
        decision_id=an_id(f"decision/sol/{on}"),
        decided_on=on,
        outcome=DecisionOutcome.GRANT,
        legal_basis=basis,
        service=ServiceKind.WORK_REHABILITATION,
        valid_from=on,
    )


AUGUST = dt.date(2025, 8, 1)


def test_b16_a_decision_of_2025_08_01_citing_sfs_2001_453_is_refused() -> None:
    error = (
        given(opened(on=dt.date(2025, 6, 2)))
        .when(sol_decision(LegalBases.SOL_ASSISTANCE_2001, AUGUST), today=AUGUST)
        .then_rejected(
            "B16", r.LawVersionNotInForce, says=["SFS 2001:453", "2025-06-30", "cite SFS 2025:400"]
        )
    )
    assert isinstance(error, r.LegalBasisMismatch)  # the same rule, caught as before


def test_b16_a_decision_of_2025_08_01_citing_sfs_2025_400_is_accepted() -> None:
    command = sol_decision(LegalBases.SOL_ASSISTANCE_2025, AUGUST)
    then = given(opened(on=dt.date(2025, 6, 2))).when(command, today=AUGUST).then_accepted()
    [made] = then.events or []
    assert isinstance(made, ev.DecisionMade) and made.legal_basis.version == "SFS 2025:400"


@pytest.mark.parametrize(
    ("basis", "on", "accepted"),
    [
        (LegalBases.SOL_ASSISTANCE_2001, dt.date(2025, 6, 30), True),
        (LegalBases.SOL_ASSISTANCE_2001, dt.date(2025, 7, 1), False),
        (LegalBases.SOL_ASSISTANCE_2025, dt.date(2025, 6, 30), False),
        (LegalBases.SOL_ASSISTANCE_2025, dt.date(2025, 7, 1), True),
        # Another spelling of the law is the same act: the SFS number decides.
        (
            LegalBasis(Jurisdiction.SE, "Socialtjänstlagen", "4 kap 1§", "SFS 2001:453"),
            dt.date(2025, 7, 1),
            False,
        ),
        # A version the vocabulary does not date is not checked (versions are data).
        (LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 1 §", "kommunens egen"), dt.date(2025, 7, 1), True),
    ],
)
def test_b16_the_day_the_new_sol_came_into_force_divides_the_versions(
    basis: LegalBasis, on: dt.date, accepted: bool
) -> None:
    then = given(opened(on=dt.date(2025, 6, 2))).when(sol_decision(basis, on), today=on)
    if accepted:
        then.then_accepted()
    else:
        then.then_rejected("B16", r.LawVersionNotInForce, says="in force")


def test_b16_sfs_2025_400_is_not_cited_before_it_came_into_force() -> None:
    on = dt.date(2025, 6, 30)
    (
        given(opened(on=dt.date(2025, 6, 2)))
        .when(sol_decision(LegalBases.SOL_ASSISTANCE_2025, on), today=on)
        .then_rejected("B16", r.LawVersionNotInForce, says=["not yet in force", "2025-07-01"])
    )


def test_the_version_in_force_is_picked_by_date() -> None:
    assert LegalBases.sol_assistance(dt.date(2025, 6, 30)) == LegalBases.SOL_ASSISTANCE_2001
    assert LegalBases.sol_assistance(dt.date(2025, 7, 1)) == LegalBases.SOL_ASSISTANCE_2025
    known = law_version(LegalBases.SOL_ASSISTANCE_2001)
    assert known is not None and known.replaced_by == "SFS 2025:400"
    assert law_version(LegalBases.DK_PROTECTED_EMPLOYMENT) is None  # not dated: unverified
