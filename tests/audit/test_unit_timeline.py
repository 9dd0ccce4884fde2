"""A unit's own timeline (#18): ``rehabcore timeline --unit UNIT`` shows its events in sv, en and da."""

from __future__ import annotations

import datetime as dt
import json
import typing
import uuid

import pytest

import rehabcore as rc
from rehabcore.audit.labels import EVENTS, member_label
from rehabcore.audit.unit_timeline import unit_timeline, unit_timeline_json, unit_timeline_text
from rehabcore.cli import main
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.errors import UnknownUnit
from tests.projections.test_open_activities import ACTOR, AME, NAMND, OWNER, TRIVSEL, _record

PLACEMENT = uuid.UUID(int=0x28F)

EXIT_OK, EXIT_USAGE = 0, 2


def test_every_unit_event_type_appears_in_the_unit_timeline_in_three_languages() -> None:
    store = rc.InMemoryStore()
    _record(store)
    t = unit_timeline(store, TRIVSEL)
    assert t.name == "Trivselhuset"
    kinds = [i.kind for i in t.items]
    assert kinds[0] == "UnitRegistered" and kinds[-3:] == ["UnitOwnerChanged", "UnitMoved", "UnitClosed"]
    assert kinds.count("VisitsCounted") == 9
    for lang, words in (
        (
            "sv",
            [
                "Tidslinje för enhet Trivselhuset",
                "Besök räknade",
                "promenad",
                "Enheten stängd",
                "lokalen lämnad",
            ],
        ),
        (
            "en",
            ["Timeline of unit Trivselhuset", "Visits counted", "walk", "Unit closed", "premises given up"],
        ),
        (
            "da",
            ["Tidslinje for enhed Trivselhuset", "Besøg talt", "gåtur", "Enheden lukket", "lokalet opgivet"],
        ),
    ):
        text = unit_timeline_text(t, lang)
        for word in words:
            assert word in text, (lang, word)
        assert NAMND in text and OWNER in text
        # Who recorded each entry: the role in the reader's words, as on a case's timeline (#19).
        role = member_label(ACTOR.role, lang)
        assert f" {role} (" in text
        assert role == ACTOR.role.value or f" {ACTOR.role.value} " not in text
    # Every unit event class has its words, so none can show as a stored code.
    assert set(typing.get_args(ev.UnitEvent)) <= set(EVENTS)


def _placed(store: rc.EventStore) -> uuid.UUID:
    """A unit with one placement started and ended: its stream holds the place taken and given back."""
    cases = rc.Cases(store, today=lambda: dt.date(2026, 12, 1))
    worker = rc.Actor(id="hand-18", role=v.Role.CASE_WORKER, unit="AME")
    case_id, decision = uuid.UUID(int=0x28C), uuid.UUID(int=0x28D)
    for command in (
        cmd.RegisterUnit(
            unit_id=AME,
            registered_on=dt.date(2026, 1, 1),
            name="Arbetsmarknadsenheten",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=5,
            offers=(v.PlacementKind.WORK_TRAINING,),
        ),
        cmd.OpenCase(
            case_id=case_id,
            subject_id=uuid.UUID(int=0x28E),
            opened_on=dt.date(2026, 2, 2),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="1262",
            source=v.ReferralSource.INCOME_SUPPORT,
        ),
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=decision,
            decided_on=dt.date(2026, 2, 9),
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.SOL_ASSISTANCE_2025,
            service=v.ServiceKind.WORK_REHABILITATION,
            valid_from=dt.date(2026, 2, 9),
            valid_to=dt.date(2026, 12, 31),
        ),
        cmd.StartPlacement(
            case_id=case_id,
            placement_id=PLACEMENT,
            unit_id=AME,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis.sol(decision),
            start_on=dt.date(2026, 2, 16),
            planned_end_on=dt.date(2026, 5, 15),
            hours_per_week=20,
        ),
        cmd.EndPlacement(
            case_id=case_id, placement_id=PLACEMENT, end_on=dt.date(2026, 4, 30), reason=v.EndReason.COMPLETED
        ),
        cmd.ChangeUnitCapacity(unit_id=AME, effective_on=dt.date(2026, 5, 1), capacity=8, decision_ref=NAMND),
    ):
        cases.handle(command, actor=worker if not isinstance(command, cmd.UnitCommand) else ACTOR)
    return case_id


def test_places_show_the_case_and_placement_ids_never_a_person() -> None:
    store = rc.InMemoryStore()
    case_id = _placed(store)
    body = json.loads(unit_timeline_json(unit_timeline(store, AME), "en"))
    assert [e["entry"] for e in body["entries"]] == [
        "Unit registered",
        "Place taken",
        "Place released",
        "Capacity changed",
    ]
    taken = body["entries"][1]
    assert taken["ids"] == {"placement_id": str(PLACEMENT), "case_id": str(case_id)}
    assert body["entries"][-1]["details"] == {"Places": "8", "Committee decision": NAMND}
    assert "subject" not in json.dumps(body)


def test_the_cli_shows_a_units_timeline_and_refuses_what_only_a_case_has(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = rc.open_store(sqlite_url)
    _record(store)
    store.close()
    assert main(["timeline", "--unit", str(TRIVSEL), "--store", sqlite_url, "--lang", "da"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Tidslinje for enhed Trivselhuset") and "Enheden har fået ny ejer" in out
    assert main(["timeline", "--unit", str(TRIVSEL), "--store", sqlite_url, "--format", "json"]) == EXIT_OK
    body = json.loads(capsys.readouterr().out)
    assert body["lang"] == "sv" and body["entries"][-1]["entry"] == "Enheten stängd"  # the unit's country
    assert body["entries"][-1]["details"] == {"Nämndbeslut": NAMND}
    for wrong in (
        ["timeline", "--store", sqlite_url],
        ["timeline", str(uuid.uuid4()), "--unit", str(TRIVSEL), "--store", sqlite_url],
        ["timeline", "--unit", "Trivselhuset", "--store", sqlite_url],
        ["timeline", "--unit", str(TRIVSEL), "--store", sqlite_url, "--view", "citizen"],
        ["timeline", "--unit", str(TRIVSEL), "--store", sqlite_url, "--on", "2026-03-02"],
    ):
        assert main(wrong) == EXIT_USAGE, wrong
    capsys.readouterr()


def test_a_unit_never_registered_has_no_timeline() -> None:
    with pytest.raises(UnknownUnit):
        unit_timeline(rc.InMemoryStore(), uuid.UUID(int=0x999))
