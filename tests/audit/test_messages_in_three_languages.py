"""Rule violations, warnings and verify findings in Swedish, English and Danish (#19): a violation keeps its
``rule_id`` and typed values and renders in each language with its plural form; ``verify --lang sv`` on a
tampered store prints Swedish findings; every command takes ``--lang`` and settles its language by one rule;
times are shown in the jurisdiction's zone, named, and ``--as-known-at`` without an offset is read in it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import uuid
import zoneinfo

import attrs
import pytest

import rehabcore as rc
from rehabcore import i18n
from rehabcore.audit import FindingKind
from rehabcore.audit.classify import Finding
from rehabcore.cli import build_parser, main
from rehabcore.cli.common import parse_moment
from rehabcore.domain import commands as cmd
from rehabcore.domain import rules as r
from rehabcore.domain.vocabulary import Jurisdiction, PlacementKind, ReferralSource, Role
from rehabcore.messages import moment, render

EVENTS = "rehabcore_events"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _too_long(days: int) -> r.WorkTrainingTooLong:
    return r.WorkTrainingTooLong(
        "{kind} planned for {n} day; the ruleset {ruleset} allows {longest} without an extension decision",
        plural="{kind} planned for {n} days; the ruleset {ruleset} allows {longest} without an extension "
        "decision",
        kind=PlacementKind.WORK_TRAINING,
        n=days,
        ruleset="se-default@1",
        longest=183,
    )


def test_a_rule_violation_raised_by_the_rules_renders_in_each_language() -> None:
    case_id = uuid.uuid4()
    today = dt.date.today()
    cases = rc.Cases(rc.InMemoryStore(), ruleset=r.SWEDEN_DEFAULT, today=lambda: today)
    actor = rc.Actor(id="hl-1", role=Role.CASE_WORKER)
    opening = cmd.OpenCase(
        case_id=case_id,
        subject_id=uuid.uuid4(),
        opened_on=today,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.INCOME_SUPPORT,
    )
    cases.handle(opening, actor=actor)
    with pytest.raises(r.CaseAlreadyOpen) as caught:
        cases.handle(attrs.evolve(opening, command_id=uuid.uuid4()), actor=actor)
    error = caught.value
    assert error.rule_id == "B2" and error.values == {"case_id": case_id}  # typed, not text
    assert render(error, "en") == f"case {case_id} is already open; a case is one person's record"
    assert render(error, "sv") == f"ärende {case_id} är redan aktualiserat; ett ärende är en persons akt"
    assert render(error, "da") == f"sag {case_id} er allerede oprettet; en sag er én persons sag"


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("sv", "arbetsträning planerad för 1 dag;", "arbetsträning planerad för 200 dagar;"),
        ("en", "planned for 1 day;", "planned for 200 days;"),
        ("da", "planlagt til 1 dag;", "planlagt til 200 dage;"),
    ],
)
def test_a_counted_violation_takes_the_plural_form_of_its_language(lang: str, one: str, many: str) -> None:
    assert one in render(_too_long(1), lang)
    assert many in render(_too_long(200), lang)
    assert _too_long(200).message.startswith("work_training planned for 200 days;")  # English, typed values
    assert _too_long(200).values["n"] == 200 and _too_long(200).rule_id == "B5"


def test_the_current_language_is_the_default_and_enum_members_are_words_of_it() -> None:
    with i18n.using("sv"):
        assert render(_too_long(2)).startswith("arbetsträning ")
    with i18n.using("da"):
        assert "dage" in render(_too_long(2))


def test_a_warning_renders_in_each_language_and_keeps_its_code() -> None:
    warning = r.RuleWarning.of(
        rule_id="B14",
        code="follow_up_overdue",
        template="a follow-up was due on {due}; record RecordFollowUp",
        due=dt.date(2026, 3, 1),
    )
    assert warning.message == "a follow-up was due on 2026-03-01; record RecordFollowUp"
    assert render(warning, "sv").startswith("en uppföljning skulle ha gjorts senast 2026-03-01")
    assert render(warning, "da").startswith("en opfølgning skulle være sket senest 2026-03-01")
    assert warning.code == "follow_up_overdue" and warning.values["due"] == dt.date(2026, 3, 1)


def test_a_local_rules_own_words_are_shown_as_written_in_a_translated_frame() -> None:
    violation = r.RuleViolation("{problem} (local rule: {anchor})", problem="max 20 h", anchor="KF 2025 § 12")
    assert render(violation, "sv") == "max 20 h (lokal regel: KF 2025 § 12)"
    plain = r.RuleWarning(rule_id="ORN-1", code="orn-1", message="ring handläggaren")
    assert render(plain, "da") == "ring handläggaren"
    whole = r.RuleViolation("a message given whole, {braces} and all")
    assert whole.message == render(whole, "sv") == "a message given whole, {braces} and all"


def test_a_finding_with_a_moment_names_the_zone() -> None:
    at = dt.datetime(2025, 10, 1, 10, 0, tzinfo=dt.UTC)
    finding = Finding.of(
        FindingKind.INSERTED,
        "case-x",
        3,
        "recorded at {at}, at or before the digest's time {until}, but at position {position}, after "
        "the {digest_head} the digest covers: appended later with an earlier time",
        at=at,
        until=at,
        position=12345,
        digest_head=12000,
    )
    assert "2025-10-01T10:00:00+00:00" in finding.detail  # English keeps ISO 8601 as stored
    swedish = render(finding, "sv", zone="Europe/Stockholm")
    assert swedish.startswith("registrerad 2025-10-01 12:00:00 Europe/Stockholm,")
    assert "position 12\u00a0345" in swedish
    assert render(finding, "da", zone="Europe/Copenhagen").startswith(
        "registreret 2025-10-01 12:00:00 Europe/Copenhagen,"
    )


def _edit_version_2(conn: sqlite3.Connection) -> str:
    """Version 2 of a case stream, still valid JSON but not the bytes that were hashed."""
    sql = f"SELECT stream_id FROM {EVENTS} WHERE stream_id LIKE 'case-%' LIMIT 1"
    stream: str = conn.execute(sql).fetchone()[0]
    conn.execute(
        f"UPDATE {EVENTS} SET data = CAST(CAST(data AS TEXT) || ' ' AS BLOB) "
        "WHERE stream_id = ? AND version = 2",
        (stream,),
    )
    return stream


def _tamper(url: str) -> None:
    """One entry edited and one deleted: three findings (the edit, the version gap, the position gap)."""
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    stream = _edit_version_2(conn)
    conn.execute(f"DELETE FROM {EVENTS} WHERE stream_id = ? AND version = 4", (stream,))
    conn.commit()
    conn.close()


def test_verify_lang_sv_on_a_tampered_store_prints_swedish_findings(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(demo_sqlite)
    assert main(["verify", "--store", demo_sqlite, "--lang", "sv"]) == 1
    out = capsys.readouterr().out
    assert "MANIPULATION: 3 fynd" in out and "TAMPERING" not in out
    assert "ändrad" in out and "stämmer inte längre med sin hash" in out
    assert "borttagen" in out and "lucka i versionerna" in out and "ingen händelse på position" in out
    assert "händelser i" in out and "akter och register" in out
    assert " no longer matches" not in out and "version gap" not in out
    assert main(["verify", "--store", demo_sqlite, "--lang", "da"]) == 1
    danish = capsys.readouterr().out
    assert "MANIPULATION: 3 fund" in danish and "ændret" in danish and "hul i versionerne" in danish
    assert main(["verify", "--store", demo_sqlite, "--lang", "en"]) == 1
    english = capsys.readouterr().out
    assert "TAMPERING: 3 findings" in english and "no longer matches its hash" in english


def test_one_finding_is_singular(demo_sqlite: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(demo_sqlite.removeprefix("sqlite:///"))
    _edit_version_2(conn)
    conn.commit()
    conn.close()
    assert main(["verify", "--store", demo_sqlite, "--lang", "en"]) == 1
    assert "TAMPERING: 1 finding\n" in capsys.readouterr().out


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*prefix, name))
    return found or [prefix]


def test_every_command_takes_lang_stats_included() -> None:
    commands = [c for c in _commands(build_parser()) if c != ("demo",)]
    assert ("stats",) in commands and ("projections", "follow") in commands and ("verify",) in commands
    for command in commands:
        sub = build_parser()
        for name in command:
            sub = next(a.choices[name] for a in sub._actions if isinstance(a, argparse._SubParsersAction))
        lang = next(a for a in sub._actions if "--lang" in a.option_strings)
        assert lang.default is None and tuple(lang.choices or ()) == i18n.LANGUAGES, command


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rehabcore", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", **env},
        check=False,
    )


def test_the_language_rule_is_lang_then_locale_then_jurisdiction(demo_sqlite: str) -> None:
    _tamper(demo_sqlite)
    no_locale = _cli("verify", "--store", demo_sqlite, env={"LANG": "C.UTF-8"})
    assert "MANIPULATION: 3 fynd" in no_locale.stdout  # the demo municipality is Swedish: sv
    danish_locale = _cli("verify", "--store", demo_sqlite, env={"LANG": "da_DK.UTF-8"})
    assert "MANIPULATION: 3 fund" in danish_locale.stdout
    asked = _cli("verify", "--store", demo_sqlite, "--lang", "en", env={"LANG": "da_DK.UTF-8"})
    assert "TAMPERING: 3 findings" in asked.stdout
    stats = _cli("stats", "--store", demo_sqlite + ".missing", "--lang", "da", env={"LANG": "sv_SE.UTF-8"})
    assert stats.returncode == 2 and stats.stderr.startswith("rehabcore stats: fejl:")


def test_as_known_at_without_an_offset_is_read_in_the_jurisdictions_zone() -> None:
    end_of_day = parse_moment("2025-10-01", "--as-known-at", STOCKHOLM)
    assert end_of_day.utcoffset() == dt.timedelta(hours=2)
    assert end_of_day.astimezone(dt.UTC) == dt.datetime(2025, 10, 1, 21, 59, 59, 999999, tzinfo=dt.UTC)
    noon = parse_moment("2025-12-01T12:00:00", "--as-known-at", STOCKHOLM)
    assert noon.astimezone(dt.UTC).hour == 11  # winter: UTC+1
    assert parse_moment("2025-12-01T12:00:00+00:00", "--as-known-at", STOCKHOLM).hour == 12  # offset wins


def _swedish_case(url: str) -> str:
    store = rc.open_store(url, read_only=True)
    try:
        for e in store.read_all(types=["rehab.CaseOpened"]):
            if json.loads(e.data)["jurisdiction"] == "SE":
                return e.stream_id.removeprefix("case-")
    finally:
        store.close()
    raise AssertionError("the demo has a Swedish case")


def test_timelines_show_times_in_the_cases_zone_named(
    demo_sqlite: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _swedish_case(demo_sqlite)
    assert main(["timeline", case, "--store", demo_sqlite, "--lang", "sv"]) == 0
    text = capsys.readouterr().out
    assert "Europe/Stockholm" in text and "+00:00" not in text
    assert main(["timeline", case, "--store", demo_sqlite, "--format", "html"]) == 0
    assert "Europe/Stockholm" in capsys.readouterr().out
    assert main(["replay", case, "--store", demo_sqlite, "--lang", "sv"]) == 0
    assert "Europe/Stockholm" in capsys.readouterr().out
    argv = ["timeline", case, "--store", demo_sqlite, "--as-known-at", "2030-10-01", "--format", "json"]
    assert main(argv) == 0
    known = json.loads(capsys.readouterr().out)["as_known_at"]
    assert known == "2030-10-01T23:59:59.999999+02:00"  # the end of that day in Stockholm


def test_moment_names_its_zone() -> None:
    at = dt.datetime(2026, 1, 15, 8, 30, 5, tzinfo=dt.UTC)
    assert moment(at, "Europe/Copenhagen") == "2026-01-15 09:30:05 Europe/Copenhagen"
    assert moment(at, None) == "2026-01-15 08:30:05 UTC"
