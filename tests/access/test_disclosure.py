"""B21: information leaves the board only on consent in force and in scope, or on a cited provision (#16)."""

from __future__ import annotations

import datetime as dt

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.disclosure import DisclosureWithoutBasis
from rehabcore.errors import RuleViolation
from tests.access import world as w

CASE = w.an_id("case/disclosed")
CONSENT = w.an_id("consent/housing")
#: OSL 10 kap. 2 §: disclosure needed for the board to do its own work (the provision, cited).
NECESSARY = v.LegalBasis(v.Jurisdiction.SE, "OSL", "10 kap. 2 §", "SFS 2009:400")


def share(
    day: dt.date, *, consent: bool = False, provision: v.LegalBasis | None = None
) -> cmd.RecordDisclosure:
    return cmd.RecordDisclosure(
        case_id=CASE,
        disclosure_id=w.an_id(f"disclosure/{day}/{consent}/{provision}"),
        disclosed_on=day,
        recipient=v.ConsentScope.HOUSING_SUPPORT,
        categories=(v.DataCategory.PLAN, v.DataCategory.ATTENDANCE),
        consent_id=CONSENT if consent else None,
        provision=provision,
    )


@pytest.fixture
def office() -> rc.Cases:
    store = rc.InMemoryStore()
    w.register_units(store)
    w.decided_case(store, CASE)
    return w.cases(store, w.SOCIAL)


def _refused(office: rc.Cases, command: cmd.RecordDisclosure, says: str) -> None:
    before = len(office.history(CASE))
    with pytest.raises(DisclosureWithoutBasis, match=says) as raised:
        office.handle(command, actor=w.CASE_WORKER)
    assert raised.value.rule_id == "B21"
    assert len(office.history(CASE)) == before


def test_sharing_with_housing_support_needs_consent_in_scope_until_it_is_withdrawn(office: rc.Cases) -> None:
    _refused(office, share(dt.date(2026, 2, 10)), "needs the person's consent in force")
    office.handle(
        cmd.GiveConsent(
            case_id=CASE,
            consent_id=CONSENT,
            given_on=dt.date(2026, 2, 11),
            scope=v.ConsentScope.HOUSING_SUPPORT,
            valid_from=dt.date(2026, 2, 12),
            valid_until=dt.date(2026, 12, 31),
        ),
        actor=w.CASE_WORKER,
    )
    _refused(office, share(dt.date(2026, 2, 11), consent=True), "not in force on 2026-02-11")
    done = office.handle(share(dt.date(2026, 2, 12), consent=True), actor=w.CASE_WORKER)
    assert isinstance(done.events[0], ev.DisclosureRecorded) and done.events[0].consent_id == CONSENT
    office.handle(
        cmd.WithdrawConsent(case_id=CASE, consent_id=CONSENT, withdrawn_on=dt.date(2026, 3, 1)),
        actor=w.CASE_WORKER,
    )
    _refused(office, share(dt.date(2026, 3, 2), consent=True), "not in force on 2026-03-02")
    kept = office.handle(share(dt.date(2026, 3, 2), provision=NECESSARY), actor=w.CASE_WORKER)
    assert kept.events[0].provision == NECESSARY  # type: ignore[union-attr]
    assert set(office.get(CASE).disclosures) == {e.disclosure_id for e in (*done.events, *kept.events)}  # type: ignore[union-attr]


def test_a_consent_to_another_recipient_is_no_basis(office: rc.Cases) -> None:
    office.handle(
        cmd.GiveConsent(
            case_id=CASE,
            consent_id=CONSENT,
            given_on=dt.date(2026, 2, 11),
            scope=v.ConsentScope.EMPLOYMENT_SERVICE,
        ),
        actor=w.CASE_WORKER,
    )
    _refused(
        office, share(dt.date(2026, 2, 12), consent=True), "covers employment_service, not housing_support"
    )


def test_a_disclosure_names_what_it_shares_once_and_a_provision_of_the_cases_law(office: rc.Cases) -> None:
    for bad, rule in (
        (
            cmd.RecordDisclosure(
                case_id=CASE,
                disclosure_id=w.an_id("d"),
                disclosed_on=dt.date(2026, 2, 12),
                recipient=v.ConsentScope.REGION,
                categories=(),
                provision=NECESSARY,
            ),
            "C3",
        ),
        (share(dt.date(2026, 2, 12), provision=v.LegalBases.DK_ACTIVITY), "B16"),
        (share(dt.date(2026, 2, 12), consent=True), "C1"),
    ):
        with pytest.raises(RuleViolation) as raised:
            office.handle(bad, actor=w.CASE_WORKER)
        assert raised.value.rule_id == rule


def test_the_demo_has_a_contracted_provider_one_disclosure_refused_and_one_with_consent() -> None:
    from rehabcore import demo_access

    store = rc.InMemoryStore()
    lines = list(demo_access.record(store, w.TODAY))
    assert any("refused [A1]" in line for line in lines) and any("refused [B21]" in line for line in lines)
    state = rc.Cases(store, ruleset=demo_access.RULESET).get(demo_access.CASE)
    assert [d.consent_id for d in state.disclosures.values()] == [demo_access._id("consent/1")]
    assert demo_access.ORGANISATION.providers[0].kind.value == "contracted"


def test_the_register_and_the_person_s_file_list_each_disclosure_and_its_basis(office: rc.Cases) -> None:
    """GDPR art. 15 (the recipients, in the person's file) and art. 30 (the municipality's register)."""
    from rehabcore.audit import Audit, View, timeline_text
    from rehabcore.projections.disclosures import disclosures

    office.handle(share(dt.date(2026, 3, 2), provision=NECESSARY), actor=w.CASE_WORKER)
    wrong = office.handle(share(dt.date(2026, 3, 3), provision=NECESSARY), actor=w.CASE_WORKER)
    stored = [
        s for s in office.store.read_stream(rc.case_stream(CASE)) if s.type == "rehab.DisclosureRecorded"
    ]
    office.handle(
        cmd.RetractEntry(
            case_id=CASE, event_id=stored[-1].event_id, retracted_on=dt.date(2026, 3, 4), reason="fel"
        ),
        actor=w.CASE_WORKER,
    )
    rows = disclosures(office.store)
    assert [(r.disclosed_on, r.case_id, r.recipient, r.provision) for r in rows] == [
        (dt.date(2026, 3, 2), CASE, v.ConsentScope.HOUSING_SUPPORT, NECESSARY)
    ]
    assert rows[0].disclosure_id != wrong.events[0].disclosure_id  # type: ignore[union-attr]
    assert disclosures(office.store, start=dt.date(2026, 3, 3)) == []
    page = timeline_text(Audit(office.store).timeline(CASE, view=View.CITIZEN), "en")
    assert "housing" in page.lower() and "OSL 10 kap. 2 §" in page
