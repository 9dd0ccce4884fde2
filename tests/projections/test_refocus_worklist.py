"""The refocus worklist (issue #12, S1): a refocus that stops daily activity warns with the number of
participants; the worklist lists each of them with where they stand; ``rehabcore stats`` shows it; the demo
records dialogues, offers, a declined offer and a reconsideration."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.cli import main as cli
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.i18n import using
from rehabcore.projections.refocus import Stage, refocus_worklist

DAY = dt.timedelta(days=1)
OPENED = dt.date(2025, 1, 6)
REFOCUS = dt.date(2025, 6, 2)
OLD, NEW = uuid.UUID(int=10), uuid.UUID(int=11)
ACTOR = rc.Actor(id="hand-1", role=v.Role.CASE_WORKER)
DV = v.PlacementKind.DAILY_ACTIVITY


def _people(cases: rc.Cases, n: int) -> list[uuid.UUID]:
    for unit_id, name in ((OLD, "Bredbyn"), (NEW, "Solrosen")):
        cases.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=OPENED,
                name=name,
                kind=v.UnitKind.WORK_REHABILITATION,
                jurisdiction=v.Jurisdiction.SE,
                capacity=20,
                offers=(DV, v.PlacementKind.WORK_TRAINING),
            ),
            actor=ACTOR,
        )
    ids = []
    for k in range(n):
        case_id, decision, application = (uuid.UUID(int=100 + 10 * k + i) for i in range(3))
        ids.append(case_id)
        for command in (
            cmd.OpenCase(
                case_id=case_id,
                subject_id=uuid.uuid4(),
                opened_on=OPENED,
                jurisdiction=v.Jurisdiction.SE,
                municipality_code="2284",
                source=v.ReferralSource.LSS_OFFICER,
            ),
            cmd.ReceiveApplication(
                case_id=case_id,
                application_id=application,
                received_on=OPENED,
                applicant=v.Applicant.PERSON,
                requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                form=v.ApplicationForm.ORAL,
            ),
            cmd.MakeDecision(
                case_id=case_id,
                decision_id=decision,
                decided_on=OPENED,
                outcome=v.DecisionOutcome.GRANT,
                legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
                service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                valid_from=OPENED,
                personkrets=v.Personkrets.GROUP_1,
                application_id=application,
            ),
            cmd.StartPlacement(
                case_id=case_id,
                placement_id=uuid.UUID(int=1000 + k),
                unit_id=OLD,
                kind=DV,
                basis=v.Basis.lss(decision),
                start_on=OPENED + 7 * DAY,
                hours_per_week=20,
            ),
        ):
            cases.handle(command, actor=ACTOR)
    return ids


def _offer(case_id: uuid.UUID, n: int, on: dt.date) -> cmd.MakeOffer:
    return cmd.MakeOffer(
        case_id=case_id,
        offer_id=uuid.UUID(int=5000 + n),
        offered_on=on,
        unit_id=NEW,
        kind=DV,
        offered_from=REFOCUS,
    )


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> rc.EventStore:
    if request.param == "memory":
        return rc.InMemoryStore()
    return rc.open_store(request.getfixturevalue("sqlite_url"))


def test_a_refocus_stopping_daily_activity_warns_and_the_worklist_says_where_each_stands(
    store: rc.EventStore,
) -> None:
    cases = rc.Cases(store, today=lambda: REFOCUS)
    a, b, c, d, e, f = _people(cases, 6)
    talk = REFOCUS - 20 * DAY
    cases.handle(
        cmd.HoldDialogue(
            case_id=b,
            dialogue_id=uuid.uuid4(),
            held_on=talk,
            took_part=(v.DialogueParty.CASE_WORKER,),
            informed=(v.DialogueParty.PERSON, v.DialogueParty.GOOD_MAN),
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.HoldDialogue(
            case_id=c, dialogue_id=uuid.uuid4(), held_on=talk, took_part=(v.DialogueParty.PERSON,)
        ),
        actor=ACTOR,
    )
    cases.handle(_offer(d, 1, talk), actor=ACTOR)
    cases.handle(_offer(e, 2, talk), actor=ACTOR)
    cases.handle(
        cmd.DeclineOffer(
            case_id=e, offer_id=uuid.UUID(int=5002), declined_on=talk + DAY, citizen_words="Nej"
        ),
        actor=ACTOR,
    )
    cases.handle(
        cmd.TransferToLssDailyActivity(
            case_id=f,
            from_placement_id=uuid.UUID(int=1005),
            placement_id=uuid.uuid4(),
            to_unit_id=NEW,
            lss_decision_id=uuid.UUID(int=100 + 50 + 1),
            start_on=REFOCUS,
            hours_per_week=20,
            reason=v.EndReason.UNIT_REFOCUS,
        ),
        actor=ACTOR,
    )
    handled = cases.handle(
        cmd.ChangeUnitPurpose(
            unit_id=OLD,
            effective_on=REFOCUS,
            kind=v.UnitKind.WORK_REHABILITATION,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        actor=ACTOR,
    )
    (warning,) = handled.warnings
    assert (warning.rule_id, warning.code) == ("B9", "refocus_leaves_participants")
    assert warning.message.startswith("5 daily-activity participants")  # the one moved is not counted
    rows = {r.case_id: r for r in refocus_worklist(store, REFOCUS)}
    assert {k: (r.stage, r.since) for k, r in rows.items()} == {
        a: (Stage.NOT_CONTACTED, None),
        b: (Stage.INFORMED, talk),
        c: (Stage.DIALOGUE_HELD, talk),
        d: (Stage.OFFERED, talk),
        e: (Stage.DECLINED, talk + DAY),
        f: (Stage.MOVED, REFOCUS),
    }
    assert {r.unit for r in rows.values()} == {"Bredbyn"} and {r.refocused_on for r in rows.values()} == {
        REFOCUS
    }
    # The people still at Bredbyn keep their place: nobody leaves before a new daily activity starts (B9).
    assert all(cases.get(k).placements[rows[k].placement_id].is_open for k in (a, b, c, d, e))
    store.close()


def test_a_refocus_that_keeps_daily_activity_or_has_nobody_there_warns_of_nothing() -> None:
    cases = rc.Cases(rc.InMemoryStore(), today=lambda: REFOCUS)
    _people(cases, 1)
    keeps = cmd.ChangeUnitPurpose(
        unit_id=OLD, effective_on=REFOCUS, kind=v.UnitKind.LSS_DAILY_ACTIVITY, offers=(DV,)
    )
    assert cases.handle(keeps, actor=ACTOR).warnings == ()
    nobody = cmd.ChangeUnitPurpose(
        unit_id=NEW,
        effective_on=REFOCUS,
        kind=v.UnitKind.WORK_REHABILITATION,
        offers=(v.PlacementKind.WORK_TRAINING,),
    )
    assert cases.handle(nobody, actor=ACTOR).warnings == ()


def test_stats_shows_the_worklist(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    store = rc.open_store(url)
    demo.build(store, seed=2284, people=120)
    store.close()
    assert cli(["stats", "--store", url, "--on", "2025-12-31", "--model", "refocus", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("integrity: ")
        and "\nRefocus worklist on 2025-12-31" in out
        and "Återbruket Bredbyn" in out
        and "moved" in out
    )
    # A Swedish case worker reads the stages in Swedish, in the table and in the demo's summary (#19).
    assert cli(["stats", "--store", url, "--on", "2025-12-31", "--model", "refocus", "--lang", "sv"]) == 0
    assert "flyttad" in capsys.readouterr().out
    with using("sv"):
        line = list(demo.summary(demo.build(rc.InMemoryStore(), seed=2284, people=120)))[-1]
    assert "flyttad×" in line and "moved" not in line


def test_the_demo_records_offers_a_declined_offer_and_a_reconsideration() -> None:
    m = demo.build(rc.InMemoryStore(), seed=2284, people=200)
    line = list(demo.summary(m))[-1]
    assert line.startswith("Refocus worklist: moved×")
    states = [m.cases.get(c) for c in m.people]
    offers = [o for s in states for o in s.offers.values()]
    assert len(offers) >= 2 and sum(o.is_declined for o in offers) >= 1
    assert any(s.dialogues for s in states)
    reconsidered = list(m.cases.store.read_all(types=["rehab.DecisionReconsidered"]))
    assert len(reconsidered) >= 1
