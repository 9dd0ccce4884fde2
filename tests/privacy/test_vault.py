"""The identity vault: numbers validated with python-stdnum (and the samordningsnummer wrapper), derived birth
date and legal sex, the protected-identity flag, per-case keys, tombstones and the access log, on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from rehabcore import sealing
from rehabcore.access import Access
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.identity import (
    InvalidIdentityNumber,
    LegalSex,
    NumberKind,
    Vault,
    in_research_sample,
    open_vault,
    parse_identity_number,
)

SE, DK = Jurisdiction.SE, Jurisdiction.DK


@pytest.mark.parametrize(
    ("written", "jurisdiction", "kind", "born", "sex"),
    [
        ("811218-9876", SE, NumberKind.PERSONNUMMER, dt.date(1981, 12, 18), LegalSex.MALE),
        ("19811218\u20139876", SE, NumberKind.PERSONNUMMER, dt.date(1981, 12, 18), LegalSex.MALE),
        ("121212+1212", SE, NumberKind.PERSONNUMMER, dt.date(1912, 12, 12), LegalSex.MALE),
        ("701063-2391", SE, NumberKind.SAMORDNINGSNUMMER, dt.date(1970, 10, 3), LegalSex.MALE),
        ("010203-1234", DK, NumberKind.CPR, dt.date(1903, 2, 1), LegalSex.FEMALE),
    ],
)
def test_numbers_are_read_in_any_spelling_with_birth_date_and_legal_sex(
    written: str, jurisdiction: Jurisdiction, kind: NumberKind, born: dt.date, sex: LegalSex
) -> None:
    number = parse_identity_number(written, jurisdiction)
    assert (number.kind, number.birth_date, number.legal_sex) == (kind, born, sex)


def test_a_cpr_number_without_modulus_11_is_valid() -> None:
    # 010203-1234 fails modulus 11 (numbers issued since 2007 need not pass it) and is accepted.
    assert parse_identity_number("0102031234", DK).kind is NumberKind.CPR


def test_the_research_sample_uses_the_real_day_of_a_samordningsnummer() -> None:
    born_15 = parse_identity_number(_pnr(dt.date(1990, 3, 15)), SE)
    assert in_research_sample(born_15)
    assert in_research_sample(parse_identity_number(_pnr(dt.date(1990, 3, 15), coordination=True), SE))
    assert not in_research_sample(parse_identity_number(_pnr(dt.date(1990, 3, 16)), SE))


def _pnr(born: dt.date, coordination: bool = False) -> str:
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}123"
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, nine))
    )
    return f"{born.year}{nine[2:6]}-{nine[6:]}{(10 - total % 10) % 10}"


@pytest.mark.parametrize(
    ("written", "jurisdiction"),
    [
        ("811218-9875", SE),  # check digit
        ("811318-9876", SE),  # month 13
        ("81121-89876", SE),  # separator misplaced but digits fine? still ten digits: date 811218 → valid
        ("8112189", SE),  # too short
        ("311399-1234", DK),  # month 13
        ("Anna 811218-9876", SE),  # more than a number
    ],
)
def test_an_invalid_number_is_refused_without_repeating_it(
    vault: Vault, written: str, jurisdiction: Jurisdiction
) -> None:
    if written == "81121-89876":
        return  # the digits alone decide; this spelling is a valid number
    with pytest.raises(InvalidIdentityNumber) as raised:
        vault.enrol(uuid.uuid4(), written, jurisdiction)
    digits = "".join(ch for ch in written if ch.isdigit())
    assert digits not in str(raised.value) and written not in str(raised.value)
    assert digits[:6] not in str(raised.value)
    assert raised.value.field == "identity_number"


def test_enrolled_people_keep_their_number_only_in_the_vault(vault: Vault) -> None:
    subject = uuid.uuid4()
    person = vault.enrol(subject, "19811218-9876", SE, protected=True)
    assert person.birth_date == dt.date(1981, 12, 18) and person.protected
    assert vault.identity_number(subject) == "198112189876"
    assert vault.person(subject) == person
    assert vault.protected_subjects() == {subject}
    vault.set_protected(subject, False)
    assert vault.protected_subjects() == frozenset()
    # Enrolling again with the same number is a no-op; another number is refused.
    assert vault.enrol(subject, "811218-9876", SE).subject_id == subject
    with pytest.raises(Exception, match="another identity number"):
        vault.enrol(subject, "121212-1212", SE)


def test_age_on_a_day() -> None:
    person = parse_identity_number("19811218-9876", SE)
    assert person.birth_date.year == 1981


def test_sealed_text_opens_until_its_key_is_destroyed(vault: Vault) -> None:
    subject, sol_case, lss_case = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    vault.enrol(subject, "19811218-9876", SE)
    sol = vault.seal("Jag vill jobba i ett kafé", case_id=sol_case, subject_id=subject)
    lss = vault.seal("Jag vill vara i snickeriet", case_id=lss_case, subject_id=subject)
    assert sealing.is_sealed(sol) and "kafé" not in sol
    assert vault.open(sol) == "Jag vill jobba i ett kafé"
    destroyed_at = vault.destroy_keys(subject, [sol_case], policy="SE-SoL@1")
    assert vault.open(sol) == sealing.ERASED
    assert vault.open(lss) == "Jag vill vara i snickeriet"
    tomb = vault.tombstone(sol_case)
    assert tomb is not None and tomb.policy == "SE-SoL@1" and tomb.destroyed_at == destroyed_at
    assert vault.person(subject) is not None  # the LSS record still needs the person
    # Destroying again changes nothing; the first moment stands.
    assert vault.destroy_keys(subject, [sol_case], policy="SE-SoL@2") == destroyed_at
    with pytest.raises(Exception, match="destroyed"):
        vault.seal("mer text", case_id=sol_case, subject_id=subject)
    # The last key gone: the person's identity goes with it.
    vault.destroy_keys(subject, [lss_case], policy="SE-LSS-private@1")
    assert vault.person(subject) is None and vault.identity_number(subject) is None


def test_a_second_vault_on_the_same_database_sees_the_destruction(vault_url: str, vault: Vault) -> None:
    if vault_url == "memory://":
        return
    from rehabcore.identity import open_vault

    subject, case = uuid.uuid4(), uuid.uuid4()
    token = vault.seal("text", case_id=case, subject_id=subject)
    other = open_vault(vault_url)
    try:
        assert other.open(token) == "text"
        vault.destroy_keys(subject, [case], policy="p")
        other.forget_cached_keys()
        assert other.open(token) == sealing.ERASED
    finally:
        other.close()


def test_vaults_racing_to_seal_a_new_case_agree_on_one_key(vault_url: str) -> None:
    """Two processes' vaults seal the first text of the same new cases at once: one key per case wins,
    and every token either made opens (the key's write is a read, then one short write transaction)."""
    if vault_url == "memory://":
        return
    import threading

    cases = [uuid.uuid4() for _ in range(12)]
    subject = uuid.uuid4()
    vaults = [open_vault(vault_url) for _ in range(4)]
    tokens: list[str] = []
    start = threading.Barrier(len(vaults))

    def seal_all(v: Vault, n: int) -> None:
        start.wait()
        tokens.extend(v.seal(f"text {n} {c}", case_id=c, subject_id=subject) for c in cases)

    threads = [threading.Thread(target=seal_all, args=(v, n)) for n, v in enumerate(vaults)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = open_vault(vault_url)
    try:
        assert len(tokens) == len(cases) * len(vaults)
        assert all(fresh.open(t).startswith("text ") for t in tokens)
        assert sorted(fresh.backend.live_keys(subject)) == sorted(cases)
    finally:
        for v in [*vaults, fresh]:
            v.close()


def test_the_access_log_lists_by_subject_reader_and_period(vault: Vault) -> None:
    t0 = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)
    anna, bo = uuid.uuid4(), uuid.uuid4()
    for n, (reader, subject) in enumerate([("hand-1", anna), ("hand-2", anna), ("hand-1", bo)]):
        vault.record_access(
            Access(
                at=t0 + dt.timedelta(days=n),
                reader=reader,
                purpose="uppföljning",
                case_id=uuid.uuid4(),
                subject_id=subject,
                via="cases.get",
            )
        )
    assert [a.reader for a in vault.accesses(subject_id=anna)] == ["hand-1", "hand-2"]
    assert [a.subject_id for a in vault.accesses(reader="hand-1")] == [anna, bo]
    assert len(vault.accesses(start=t0 + dt.timedelta(days=1), end=t0 + dt.timedelta(days=2))) == 1


def test_b22_ages_come_from_the_vault() -> None:
    import rehabcore as rc
    from rehabcore.domain import commands as cmd
    from rehabcore.domain import vocabulary as v
    from rehabcore.identity import open_vault

    from .story import STAFF, luhn_pnr

    vault = open_vault("memory://")
    cases = rc.Cases(rc.InMemoryStore(), today=lambda: dt.date(2026, 3, 2), sealer=vault)
    warned = {}
    for born in (dt.date(1950, 5, 3), dt.date(1990, 5, 3)):
        subject, case = uuid.uuid4(), uuid.uuid4()
        vault.enrol(subject, luhn_pnr(born), v.Jurisdiction.SE)
        on = dt.date(2026, 3, 2)
        cases.handle(
            cmd.OpenCase(
                case_id=case,
                subject_id=subject,
                opened_on=on,
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="2284",
                source=v.ReferralSource.LSS_OFFICER,
            ),
            actor=STAFF,
        )
        cases.handle(
            cmd.AssessNeeds(
                case_id=case,
                assessment_id=uuid.uuid4(),
                assessed_on=on,
                method=v.AssessmentMethod.IBIC,
                life_areas=(v.LifeArea.WORK_AND_EDUCATION,),
                participation=v.Participation.FULL,
                personkrets=v.Personkrets.GROUP_1,
            ),
            actor=STAFF,
        )
        application = uuid.uuid4()
        cases.handle(
            cmd.ReceiveApplication(
                case_id=case,
                application_id=application,
                received_on=on,
                applicant=v.Applicant.PERSON,
                requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                form=v.ApplicationForm.WRITTEN,
            ),
            actor=STAFF,
        )
        done = cases.handle(
            cmd.MakeDecision(
                case_id=case,
                decision_id=uuid.uuid4(),
                decided_on=on,
                outcome=v.DecisionOutcome.GRANT,
                legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
                service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                valid_from=on,
                personkrets=v.Personkrets.GROUP_1,
                application_id=application,
            ),
            actor=STAFF,
        )
        warned[born.year] = [w.code for w in done.warnings if w.rule_id == "B22"]
    assert warned == {1950: ["outside_working_age"], 1990: []}
    from rehabcore.audit import Audit

    for stream in {s.stream_id for s in cases.store.read_all() if s.stream_id.startswith("case-")}:
        assert Audit(cases.store).replay(uuid.UUID(stream[5:])).divergences == ()
