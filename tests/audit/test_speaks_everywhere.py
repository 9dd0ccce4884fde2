"""A Swedish case worker sees Swedish everywhere the library speaks (#19): the `stats` tables, replay's
divergences, the demo, `db` and `export` (which look up the store's jurisdiction like every command), and the
integrity lines of `timeline` and `replay`, whose times are in the case's zone with the zone named."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
import zoneinfo

import attrs
import orjson
import pytest

import rehabcore as rc
from rehabcore import codec, demo
from rehabcore.cli import main
from rehabcore.domain import commands as cmd
from rehabcore.domain.rules import DENMARK_DEFAULT
from rehabcore.domain.vocabulary import Jurisdiction, ReferralSource, Role
from rehabcore.store import NewEvent, StreamWrite

EVENTS = "rehabcore_events"
DANISH_CASE = uuid.UUID(int=45)
OPENED = dt.date(2026, 2, 2)


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locale that names none of sv, en and da: the jurisdiction decides."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _danish_store(url: str, *, rejected_now: bool = False) -> None:
    """One Danish case; with ``rejected_now``, a second opening of it recorded as if the rules had let it
    through (the rules now reject it: B2)."""
    store = rc.open_store(url)
    try:
        cases = rc.Cases(store, ruleset=DENMARK_DEFAULT, today=lambda: OPENED)
        opening = cmd.OpenCase(
            case_id=DANISH_CASE,
            subject_id=uuid.UUID(int=46),
            opened_on=OPENED,
            jurisdiction=Jurisdiction.DK,
            municipality_code="0101",
            source=ReferralSource.SELF,
        )
        cases.handle(opening, actor=rc.Actor(id="sb-1", role=Role.CASE_WORKER))
        if rejected_now:
            again = attrs.evolve(opening, command_id=uuid.UUID(int=47))
            stream = rc.case_stream(DANISH_CASE)
            first = store.read_stream(stream)[0]
            meta = {
                "actor": {"id": "sb-1", "role": "case_worker", "unit": None},
                "command_id": str(again.command_id),
                "ruleset": DENMARK_DEFAULT.ref,
                "command": orjson.loads(orjson.dumps(codec.unstructure_command(again))),
            }
            event_id = uuid.uuid5(again.command_id, f"{stream}/0")
            write = StreamWrite(
                stream,
                [NewEvent(event_id, first.type, first.schema_version, first.data, orjson.dumps(meta))],
                expected_version=1,
            )
            store.append(write)
    finally:
        store.close()


# --- stats --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "columns", "word"),
    [
        (
            "sv",
            "Beläggning 2025-12-31: platser, belagda, lediga",
            ("enhet", "platser", "belagda", "lediga"),
            "daglig verksamhet (LSS)",
        ),
        (
            "da",
            "Belægning 2025-12-31: pladser, optaget, ledige",
            ("tilbud", "pladser", "optaget", "ledige"),
            "dagtilbud (LSS)",
        ),
        (
            "en",
            "Occupancy on 2025-12-31: places, occupied, free",
            ("unit", "places", "occupied", "free"),
            "daily activity (LSS)",
        ),
    ],
)
def test_stats_prints_its_titles_headings_and_words_in_the_language_asked_for(
    demo_sqlite: str,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    title: str,
    columns: tuple[str, ...],
    word: str,
) -> None:
    assert (
        main(["stats", "--store", demo_sqlite, "--on", "2025-12-31", "--model", "occupancy", "--lang", lang])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    at = lines.index(title)
    assert lines[at + 1].split() == [c for heading in columns for c in heading.split()] or all(
        c in lines[at + 1] for c in columns
    )
    assert lines[at + 1].lstrip().startswith(columns[0])
    assert any(word in line for line in lines[at + 2 :])  # a stored value (unit kind) by its word


def test_stats_in_swedish_writes_shares_with_a_decimal_comma_and_swedish_headings(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["stats", "--store", demo_sqlite, "--on", "2025-12-31", "--model", "shares", "--lang", "sv"])
        == 0
    )
    out = capsys.readouterr().out
    assert "Gick till arbete eller studier inom 6 och 12 månader" in out
    assert "insatsområde" in out and "till arbete eller studier" in out and "andel" in out
    assert "median antal dagar från remiss till avslut" in out
    shares = [line for line in out.splitlines() if line.rstrip().endswith("%")]
    assert shares and all("," in line.split()[-1] for line in shares)  # 50,0 %, not 50.0%


def test_stats_without_lang_or_locale_speaks_the_store_s_language(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str], no_locale: None
) -> None:
    assert main(["stats", "--store", demo_sqlite, "--on", "2025-12-31", "--model", "waiting"]) == 0
    assert "Väntar 2025-12-31 på den plats ett beslut beviljar" in capsys.readouterr().out


# --- replay -------------------------------------------------------------------------------------------------


def test_replay_in_danish_prints_the_divergence_and_the_rule_in_danish(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/dk.sqlite"
    _danish_store(url, rejected_now=True)
    assert main(["replay", str(DANISH_CASE), "--store", url, "--lang", "da"]) == 1
    out = capsys.readouterr().out
    assert "AFVIGELSE v2 afvises nu: reglerne afviser den nu: [B2] sag" in out
    assert f"sag {DANISH_CASE} er allerede oprettet; en sag er én persons sag" in out
    assert "afgjort igen: afvist" in out and "1 afvigelse:" in out
    assert "the rules now reject it" not in out and "rejected_now" not in out
    # The same in Swedish, and the English detail (read by code, in JSON) unchanged.
    assert main(["replay", str(DANISH_CASE), "--store", url, "--lang", "sv"]) == 1
    assert "AVVIKELSE v2 avvisas nu: reglerna avvisar den nu: [B2] ärende" in capsys.readouterr().out
    assert main(["replay", str(DANISH_CASE), "--store", url, "--format", "json"]) == 1
    (divergence,) = orjson.loads(capsys.readouterr().out)["divergences"]
    assert divergence["kind"] == "rejected_now"
    assert divergence["detail"].startswith("the rules now reject it: [B2] case ")


def test_replay_names_events_and_outcomes_in_the_language(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/dk.sqlite"
    _danish_store(url)
    assert main(["replay", str(DANISH_CASE), "--store", url, "--lang", "da"]) == 0
    out = capsys.readouterr().out
    assert "hændelser: Sag oprettet" in out and "afgjort igen: det samme" in out and "CaseOpened" not in out


# --- db and export ------------------------------------------------------------------------------------------


def test_db_on_a_danish_store_speaks_danish_without_lang_or_locale(
    tmp_path: object, capsys: pytest.CaptureFixture[str], no_locale: None
) -> None:
    url = f"sqlite:///{tmp_path}/dk.sqlite"
    _danish_store(url)
    assert main(["db", "status", "--store", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("skemaversion: ") and "ventende opgraderinger: ingen" in out
    assert main(["db", "upgrade", "--store", url]) == 0
    assert "skemaversion" in capsys.readouterr().out
    assert main(["db", "status", "--store", url, "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("schema version: ")


def test_export_on_a_danish_store_speaks_danish_without_lang_or_locale(
    tmp_path: object, capsys: pytest.CaptureFixture[str], no_locale: None
) -> None:
    url = f"sqlite:///{tmp_path}/dk.sqlite"
    _danish_store(url)
    assert main(["export", "--store", url, "--after", "-1"]) == 2
    assert "--after skal være et heltal fra 0 til" in capsys.readouterr().err
    assert main(["export", "--store", url, "--after", "-1", "--lang", "sv"]) == 2
    assert "--after ska vara ett heltal från 0 till" in capsys.readouterr().err
    assert main(["export", "--store", url]) == 0
    assert [orjson.loads(line)["type"] for line in capsys.readouterr().out.splitlines()] == [
        "rehab.CaseOpened"
    ]


# --- the integrity lines ------------------------------------------------------------------------------------


def _a_case(url: str) -> tuple[str, str]:
    store = rc.open_store(url, read_only=True)
    try:
        streams = {e.stream_id: e.version for e in store.read_all() if e.stream_id.startswith("case-")}
    finally:
        store.close()
    stream = max(streams, key=lambda s: (streams[s], s))
    return stream, stream.removeprefix("case-")


def test_the_integrity_lines_of_timeline_and_replay_show_times_in_the_case_s_zone_named(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stream, case = _a_case(demo_sqlite)
    conn = sqlite3.connect(demo_sqlite.removeprefix("sqlite:///"))
    conn.execute(
        f"UPDATE {EVENTS} SET recorded_at = recorded_at - 86400000000 * 400 "
        "WHERE stream_id = ? AND version = 3",
        (stream,),
    )
    conn.commit()
    conn.close()
    store = rc.open_store(demo_sqlite, read_only=True)
    try:
        moved = store.read_stream(stream)[2].recorded_at
    finally:
        store.close()
    stockholm = moved.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
    shown = f"{stockholm:%Y-%m-%d %H:%M:%S} Europe/Stockholm"
    assert stockholm.utcoffset() != dt.timedelta(0)  # Stockholm time is not UTC time
    for command in ("timeline", "replay"):
        assert main([command, case, "--store", demo_sqlite, "--lang", "en"]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("INTEGRITY BROKEN")
        assert lines[1] == (
            f"  edited    {stream} v3: its recorded time (recorded_at, now {shown}) no longer matches its "
            "hash (or the event before it was rewritten with a recomputed hash)"
        )
        assert main([command, case, "--store", demo_sqlite, "--lang", "sv"]) == 1
        swedish = capsys.readouterr().out.splitlines()
        assert swedish[0].startswith("INTEGRITETEN BRUTEN")
        assert swedish[1].startswith(f"  ändrad    {stream} v3: registreringstiden (recorded_at, nu {shown})")
    assert main(["timeline", case, "--store", demo_sqlite, "--lang", "en", "--format", "html"]) == 1
    assert f"now {shown}" in capsys.readouterr().out


# --- the demo -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "argv", "said", "not_said"),
    [
        (
            {"LANG": "sv_SE.UTF-8"},
            [],
            ("Personer per status", "Beläggning 2026-08-31", "Ärende "),
            "People by status",
        ),
        ({"LANG": "C.UTF-8"}, [], ("Personer per status", "Reglerna i arbete"), "Rules in action"),
        (
            {"LANG": "sv_SE.UTF-8"},
            ["--lang", "da"],
            ("Borgere efter status", "Belægning 2026-08-31"),
            "Personer",
        ),
        ({"LANG": "da_DK.UTF-8"}, ["--lang", "en"], ("People by status", "History of case"), "Borgere"),
    ],
)
def test_the_demo_speaks_lang_else_the_locale_else_its_municipality_s_swedish(
    tmp_path: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    argv: list[str],
    said: tuple[str, ...],
    not_said: str,
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    assert demo.main(["--store", f"sqlite:///{tmp_path}/demo.sqlite", "--people", "12", *argv]) == 0
    out = capsys.readouterr().out
    assert all(words in out for words in said), out
    assert not_said not in out


def test_the_demo_s_occupancy_header_lines_up_in_swedish_too() -> None:
    from rehabcore.i18n import using

    m = demo.build(rc.InMemoryStore(), seed=7, people=12)
    with using("sv"):
        lines = list(demo.summary(m))
    start = next(i for i, line in enumerate(lines) if line.startswith("Beläggning"))
    header, rows = lines[start], lines[start + 1 : lines.index("", start)]
    for column in ("platser", "belagda", "lediga"):
        right = header.index(column) + len(column)
        assert all(row[right - 1].isdigit() and (right == len(row) or row[right] == " ") for row in rows)


def test_a_stats_column_without_a_heading_yet_is_shown_by_its_name_and_stored_values_by_their_words() -> None:
    from rehabcore.cli.stats_words import heading, word
    from rehabcore.domain.vocabulary import PlacementKind
    from rehabcore.i18n import using

    with using("sv"):
        assert heading("places") == "platser" and heading("kolada_measure") == "kolada measure"
        assert word("work_training") == word(PlacementKind.WORK_TRAINING) == "arbetsträning"
        assert word("Återbruket Bredbyn") == "Återbruket Bredbyn" and word(12345) == "12\u00a0345"
    with using("da"):
        assert heading("places") == "pladser" and word("work") == "arbejde"
