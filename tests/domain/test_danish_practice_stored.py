"""#18 through a store, on every backend: a decision citing a law version not in force is refused with
nothing written; § 85, the jobcenter and the § 103 assessment are stored and read back; a deadline warns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import rules as r
from rehabcore.domain import vocabulary as v
from rehabcore.testing.readable import an_id

ACTOR = cmd.Actor(id="sagsbehandler-12", role=v.Role.CASE_WORKER)
ESBJERG = r.Ruleset(
    name="esbjerg",
    version="1",
    jurisdiction=v.Jurisdiction.DK,
    parameters=r.RuleParameters(
        processing_deadlines=(r.ProcessingDeadline(service=v.ServiceKind.DK_DAILY_LIFE_SUPPORT, days=42),)
    ),
)
OPENED = dt.date(2025, 6, 2)
AUGUST = dt.date(2025, 8, 1)


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


def _open(cases: rc.Cases, case_id: object, jurisdiction: v.Jurisdiction, source: v.ReferralSource) -> None:
    cases.handle(
        cmd.OpenCase(
            case_id=case_id,  # type: ignore[arg-type]
            subject_id=an_id(f"subject/{case_id}"),
            opened_on=OPENED,
            jurisdiction=jurisdiction,
            municipality_code="561" if jurisdiction is v.Jurisdiction.DK else "2284",
            source=source,
        ),
        actor=ACTOR,
    )


def test_a_decision_citing_the_repealed_sol_is_refused_and_nothing_is_written(store: rc.EventStore) -> None:
    case_id = an_id("case/sol")
    cases = rc.Cases(store, today=lambda: AUGUST)
    _open(cases, case_id, v.Jurisdiction.SE, v.ReferralSource.INCOME_SUPPORT)
    before = len(cases.history(case_id))

    def decision(basis: v.LegalBasis, name: str) -> cmd.MakeDecision:
        return cmd.MakeDecision(
            case_id=case_id,
            decision_id=an_id(name),
            decided_on=AUGUST,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=basis,
            service=v.ServiceKind.WORK_REHABILITATION,
            valid_from=AUGUST,
        )

    with pytest.raises(r.LawVersionNotInForce) as refused:
        cases.handle(decision(v.LegalBases.SOL_ASSISTANCE_2001, "decision/old"), actor=ACTOR)
    assert refused.value.rule_id == "B16" and "SFS 2025:400" in str(refused.value)
    assert len(cases.history(case_id)) == before

    cases.handle(decision(v.LegalBases.SOL_ASSISTANCE_2025, "decision/new"), actor=ACTOR)
    stored = cases.get(case_id).decisions[an_id("decision/new")].made
    assert stored.legal_basis == v.LegalBases.SOL_ASSISTANCE_2025


def test_danish_practice_is_stored_and_read_back(store: rc.EventStore) -> None:
    case_id = an_id("case/kraftcenter")
    today = OPENED
    cases = rc.Cases(store, ruleset=ESBJERG, today=lambda: today)
    _open(cases, case_id, v.Jurisdiction.DK, v.ReferralSource.JOBCENTER)
    cases.handle(
        cmd.ReceiveApplication(
            case_id=case_id,
            application_id=an_id("application/85"),
            received_on=OPENED,
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.DK_DAILY_LIFE_SUPPORT,
            form=v.ApplicationForm.WRITTEN,
        ),
        actor=ACTOR,
    )
    today = OPENED + dt.timedelta(days=43)  # one day past the area's 42
    late = cases.handle(
        cmd.AssessOtherLegislation(
            case_id=case_id,
            assessment_id=an_id("assessment/103"),
            assessed_on=today,
            considered=(v.OtherLegislationOffer.FLEXJOB, v.OtherLegislationOffer.RESOURCE_PROGRAMME),
            finding=v.OtherLegislationFinding.NONE_USABLE,
            reasons="Fleksjob og ressourceforløb er afprøvet",
        ),
        actor=ACTOR,
    )
    assert [w.code for w in late.warnings] == ["processing_deadline_passed"]
    decided = cases.handle(
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=an_id("decision/85"),
            decided_on=today,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.DK_DAILY_LIFE_SUPPORT,
            service=v.ServiceKind.DK_DAILY_LIFE_SUPPORT,
            valid_from=today,
        ),
        actor=ACTOR,
    )
    assert "processing_deadline_passed" not in [w.code for w in decided.warnings]

    again = rc.Cases(store, ruleset=ESBJERG, today=lambda: today).get(case_id)
    assert again.source is v.ReferralSource.JOBCENTER
    [assessment] = again.other_legislation
    assert assessment.finding is v.OtherLegislationFinding.NONE_USABLE
    assert again.decisions[an_id("decision/85")].made.service is v.ServiceKind.DK_DAILY_LIFE_SUPPORT
