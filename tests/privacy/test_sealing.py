"""Personal text sealed by Cases with the person's key: stored as ciphertext (events and the command in the
metadata), read back as text, erased by destroying the key while the hash chain stays intact."""

from __future__ import annotations

import datetime as dt
import uuid

import rehabcore as rc
from rehabcore import sealing
from rehabcore.audit import Audit
from rehabcore.audit.render import timeline_text
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import (
    FormulatedBy,
    GoalType,
    Jurisdiction,
    LifeArea,
    ReferralSource,
    Role,
)
from rehabcore.identity import Vault

TODAY = dt.date(2026, 3, 2)
STAFF = rc.Actor(id="hand-042", role=Role.CASE_WORKER)
WORDS = "Jag vill jobba med trädgård"
NEW_WORDS = "Jag vill jobba i ett växthus"
WHY = "skrevs fel vid mötet"


def _record(cases: rc.Cases, case: uuid.UUID, subject: uuid.UUID) -> uuid.UUID:
    cases.handle(
        cmd.OpenCase(
            case_id=case,
            subject_id=subject,
            opened_on=TODAY,
            jurisdiction=Jurisdiction.SE,
            municipality_code="2284",
            source=ReferralSource.SELF,
        ),
        actor=STAFF,
    )
    goal = uuid.uuid4()
    done = cases.handle(
        cmd.SetGoal(
            case_id=case,
            goal_id=goal,
            set_on=TODAY,
            life_area=LifeArea.WORK_AND_EDUCATION,
            citizen_words=WORDS,
            formulated_by=FormulatedBy.CITIZEN,
            goal_type=GoalType.DEVELOP,
        ),
        actor=STAFF,
    )
    assert isinstance(done.events[0], ev.GoalSet) and done.events[0].citizen_words == WORDS  # plain to caller
    entry = cases.history(case)[-1]
    cases.handle(
        cmd.CorrectEntry(
            case_id=case,
            event_id=_event_id(cases, case, entry.version),
            corrected_on=TODAY,
            replacement=attrs_evolve(entry.event, citizen_words=NEW_WORDS),
            reason=WHY,
        ),
        actor=STAFF,
    )
    return goal


def attrs_evolve(event: ev.Event, **changes: object) -> ev.CorrectableEvent:
    import attrs

    return attrs.evolve(event, **changes)  # type: ignore[return-value]


def _event_id(cases: rc.Cases, case: uuid.UUID, version: int) -> uuid.UUID:
    return cases.store.read_stream(rc.case_stream(case))[version - 1].event_id


def _raw(store: rc.EventStore) -> bytes:
    return b"".join(s.data + s.metadata for s in store.read_all())


def test_personal_text_is_stored_sealed_and_read_as_text(vault: Vault) -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY, sealer=vault)
    case, subject = uuid.uuid4(), uuid.uuid4()
    goal = _record(cases, case, subject)
    raw = _raw(store)
    for text in (WORDS, NEW_WORDS, WHY):
        assert text.encode() not in raw and text.encode("unicode_escape") not in raw
    assert sealing.sealed_in(raw)
    # Read back through a fresh service (no cached state): decoding opens the text.
    assert rc.Cases(store, today=lambda: TODAY).get(case).goals[goal].set.citizen_words == NEW_WORDS
    shown = timeline_text(Audit(store).timeline(case), "sv")
    assert NEW_WORDS in shown and WHY in shown


def test_destroying_the_key_erases_the_text_and_verify_stays_intact(vault: Vault) -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY, sealer=vault)
    case, subject = uuid.uuid4(), uuid.uuid4()
    goal = _record(cases, case, subject)
    before = [(s.data, s.hash) for s in store.read_all()]
    vault.destroy_keys(subject, [case], policy="test@1")
    assert [(s.data, s.hash) for s in store.read_all()] == before  # nothing in the stream changed
    assert Audit(store).verify().intact
    fresh = rc.Cases(store, today=lambda: TODAY)
    assert fresh.get(case).goals[goal].set.citizen_words == sealing.ERASED
    for lang, word in (("sv", "[gallrad]"), ("en", "[erased]"), ("da", "[slettet]")):
        shown = timeline_text(Audit(store).timeline(case), lang)
        assert NEW_WORDS not in shown and WORDS not in shown and WHY not in shown
        assert word in shown


def test_rows_stored_in_plain_text_still_decode_with_a_vault(vault: Vault) -> None:
    store = rc.InMemoryStore()
    case, subject = uuid.uuid4(), uuid.uuid4()
    goal = _record(rc.Cases(store, today=lambda: TODAY), case, subject)
    assert WORDS.encode() in _raw(store)
    cases = rc.Cases(store, today=lambda: TODAY, sealer=vault)
    assert cases.get(case).goals[goal].set.citizen_words == NEW_WORDS
    assert Audit(store).replay(case).divergences == ()


def test_without_a_sealer_installed_a_token_reads_as_sealed(vault: Vault) -> None:
    store = rc.InMemoryStore()
    case, subject = uuid.uuid4(), uuid.uuid4()
    goal = _record(rc.Cases(store, today=lambda: TODAY, sealer=vault), case, subject)
    sealing.use(None)
    assert rc.Cases(store, today=lambda: TODAY).get(case).goals[goal].set.citizen_words == sealing.SEALED


def test_replay_of_a_sealed_case_finds_no_divergence(vault: Vault) -> None:
    store = rc.InMemoryStore()
    case, subject = uuid.uuid4(), uuid.uuid4()
    _record(rc.Cases(store, today=lambda: TODAY, sealer=vault), case, subject)
    report = Audit(store).replay(case)
    assert report.divergences == ()
    assert WORDS in str(report.to_dict())


def test_replay_reports_an_erased_entry_as_erased_not_as_a_divergence(vault: Vault) -> None:
    store = rc.InMemoryStore()
    case, subject = uuid.uuid4(), uuid.uuid4()
    _record(rc.Cases(store, today=lambda: TODAY, sealer=vault), case, subject)
    vault.destroy_keys(subject, [case], policy="test@1")
    report = Audit(store).replay(case)
    assert report.divergences == ()
    outcomes = [s.redecided for s in report.steps]
    assert outcomes.count("erased") == 2 and "same" in outcomes  # the goal and its correction; the opening
    assert WORDS not in str(report.to_dict()) and "[gallrad]" in str(report.to_dict())


def test_a_sealed_command_handled_again_is_a_duplicate(vault: Vault) -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY, sealer=vault)
    case, subject = uuid.uuid4(), uuid.uuid4()
    _record(cases, case, subject)
    goal = cmd.SetGoal(
        case_id=case,
        goal_id=uuid.uuid4(),
        set_on=TODAY,
        life_area=LifeArea.WORK_AND_EDUCATION,
        citizen_words="Ett mål till",
        formulated_by=FormulatedBy.CITIZEN,
        goal_type=GoalType.DEVELOP,
    )
    first = cases.handle(goal, actor=STAFF)
    again = rc.Cases(store, today=lambda: TODAY, sealer=vault).handle(goal, actor=STAFF)
    assert again.duplicate and again.events == first.events
