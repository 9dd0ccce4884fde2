"""Timelines people can read: text, JSON and a self-contained HTML page in Swedish, English and Danish; the
citizen view without staff identities or internal notes; the HTML opened in a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import codec
from rehabcore.audit import Audit, View, timeline_html, timeline_json, timeline_text
from rehabcore.audit.labels import has_label
from rehabcore.audit.timeline import facts
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.testing import strategies as rs

from .story import CASE, CASE_WORKER, GOAL, TODAY, event_id, told

#: Everything that identifies the staff in the story: ids, roles, units.
STAFF = ("hand-042", "lss-007", "case_worker", "lss_officer", "AME Örnsköldsvik", "LSS-handläggning")
WORDS = "Jobba med <trä> & metall igen"
REASON = "startdatum felregistrerat av handläggaren"


def _correct(cases: rc.Cases, type_name: str, reason: str, **changes: object) -> None:
    """Correct the case's first entry of ``type_name`` with ``changes``, as a case worker would."""
    stored = next(s for s in cases.store.read_stream(rc.case_stream(CASE)) if s.type == f"rehab.{type_name}")
    entry = codec.decode_event(stored.type, stored.schema_version, stored.data)
    cases.handle(
        cmd.CorrectEntry(
            case_id=CASE,
            event_id=stored.event_id,
            corrected_on=TODAY,
            replacement=attrs.evolve(entry, **changes),  # type: ignore[arg-type]
            reason=reason,
        ),
        actor=CASE_WORKER,
    )


def _corrected_story() -> Audit:
    """The story: a goal in words that need escaping, a start date corrected and a referral retracted."""
    cases, _ = told(words=WORDS)
    _correct(cases, "PlacementStarted", REASON, occurred_on=dt.date(2026, 2, 23))
    cases.handle(
        cmd.ReceiveReferral(
            case_id=CASE,
            referral_id=rc.new_case_id(),
            received_on=dt.date(2026, 3, 3),
            source=rc.domain.vocabulary.ReferralSource.PSYCHIATRY,
            requested_service=rc.domain.vocabulary.ServiceKind.SOL_OCCUPATION,
        ),
        actor=CASE_WORKER,
    )
    cases.handle(
        cmd.RetractEntry(
            case_id=CASE,
            event_id=event_id(cases, CASE, "ReferralReceived"),
            retracted_on=TODAY,
            reason="remissen gällde en annan person",
        ),
        actor=CASE_WORKER,
    )
    return Audit(cases.store)


def test_the_staff_view_shows_who_recorded_what_and_every_correction_with_its_reason() -> None:
    t = _corrected_story().timeline(CASE, view=View.STAFF)
    text = timeline_text(t, "sv")
    assert all(who in text for who in ("hand-042", "lss-007", "LSS-handläggning"))
    assert "Rättelse" in text and REASON in text and "Ursprungligen" in text
    assert "Strykning" in text and "[Struken]" in text
    assert "2026-02-16" in text and "2026-02-23" in text  # the original and the corrected start
    body = json.loads(timeline_json(t, "en"))
    started = next(e for e in body["entries"] if e["type"] == "PlacementStarted")
    assert started["notes"][0]["reason"] == REASON and started["original"] is not None
    assert started["actor"]["id"] == "hand-042" and started["ruleset"] == "se-default@1"


def test_the_citizen_view_has_no_staff_identity_no_internal_note_and_no_retracted_entry() -> None:
    t = _corrected_story().timeline(CASE, view=View.CITIZEN)
    for lang in ("sv", "en", "da"):
        for rendered in (timeline_text(t, lang), timeline_json(t, lang), timeline_html(t, lang)):
            assert not [who for who in STAFF if who in rendered]
            assert REASON not in rendered and "annan person" not in rendered
    text = timeline_text(t, "sv")
    assert "Remiss mottagen" not in text  # retracted: it may be about someone else
    assert "2026-02-23" in text and "2026-02-16" not in text  # reads as corrected, with a note
    assert "Rättad 2026-04-01" in text
    assert WORDS in text  # the goal in the citizen's own words


def test_labels_come_in_swedish_english_and_danish() -> None:
    t = _corrected_story().timeline(CASE, view=View.CITIZEN, on=dt.date(2026, 3, 15))
    assert "Beslut fattat" in timeline_text(t, "sv") and "Läget den 2026-03-15" in timeline_text(t, "sv")
    assert "Decision made" in timeline_text(t, "en") and "Situation on 2026-03-15" in timeline_text(t, "en")
    assert "Afgørelse truffet" in timeline_text(t, "da") and "Situationen den" in timeline_text(t, "da")
    assert '<html lang="da">' in timeline_html(t, "da")


def test_the_html_page_is_self_contained_and_escaped() -> None:
    page = timeline_html(_corrected_story().timeline(CASE), "sv")
    assert "Jobba med &lt;trä&gt; &amp; metall igen" in page and WORDS not in page
    for outside in ("http://", "https://", "<script", "<link", "@import", "src="):
        assert outside not in page


class _Dom(HTMLParser):
    """The rows, cells and elements of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.cells: list[list[str]] = []
        self.tags: set[str] = set()
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append(dict(attrs))
            self.cells.append([])
        elif tag == "td":
            self._in_cell = True
            self.cells[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1][-1] += data


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("headless Chromium not installed: apt-get install chromium (CI installs it)")
    return found


def _dump_dom(browser: str, page: Path) -> _Dom:
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def test_headless_chromium_renders_every_entry_and_the_citizen_page_without_staff(tmp_path: Path) -> None:
    browser = _chromium()
    audit = _corrected_story()
    record = audit.record(CASE)
    staff_page, citizen_page = tmp_path / "staff.html", tmp_path / "citizen.html"
    staff_page.write_text(timeline_html(audit.timeline(CASE, view=View.STAFF), "en"), encoding="utf-8")
    citizen_page.write_text(timeline_html(audit.timeline(CASE, view=View.CITIZEN), "en"), encoding="utf-8")

    staff = _dump_dom(browser, staff_page)
    ids = [row.get("data-event-id") for row in staff.rows if row.get("data-event-id")]
    assert ids == [str(e.event_id) for e in record.entries]  # every stored entry, in order
    kinds = [cells[1] for cells in staff.cells if cells]
    assert kinds[:5] == [
        "Case opened",
        "Application received",
        "Decision made",
        "Goal set",
        "Placement started",
    ]
    assert "script" not in staff.tags
    assert any(WORDS in cell for cells in staff.cells for cell in cells)  # escaped text reads back as typed
    assert any("hand-042" in cell for cells in staff.cells for cell in cells)

    citizen = _dump_dom(browser, citizen_page)
    shown = [cells[1] for cells in citizen.cells if cells]
    assert shown == ["Case opened", "Application received", "Decision made", "Goal set", "Placement started"]
    assert not [row for row in citizen.rows if row.get("data-event-id")]  # no internal id in the file
    text = " ".join(cell for cells in citizen.cells for cell in cells)
    assert not [who for who in STAFF if who in text]
    assert "2026-02-23" in text and REASON not in text


def test_on_a_date_the_timeline_keeps_entries_by_their_corrected_date() -> None:
    """The start was recorded as 16 February and corrected to 23 February: on the 20th it had not started."""
    audit = _corrected_story()
    for view in View:
        t = audit.timeline(CASE, view=view, on=dt.date(2026, 2, 20))
        kinds = [i.kind for i in t.items if i.concerns is None]
        assert "PlacementStarted" not in kinds, view
        assert t.situation is not None and t.situation.active_placements == ()
        t = audit.timeline(CASE, view=view, on=dt.date(2026, 2, 23))
        assert "PlacementStarted" in [i.kind for i in t.items]
        assert t.situation is not None and len(t.situation.active_placements) == 1


#: What a timeline entry does not repeat: its date is its own column, the case is the page's, and the entry a
#: correction concerns is its ``→ vN``.
NOT_REPEATED = {
    "occurred_on",
    "case_id",
    "corrected_event_id",
    "retracted_event_id",
    "restricted_event_id",
    "replacement",
    "reason",
}
#: Staff-only text: the secrecy assessment behind withholding. The case workers' reasoning about the person
#: (alternatives, why the least intrusive, why by proxy) is the person's to read (#12).
STAFF_REASONING = {"assessment"}
REASONING = {"alternatives_considered", "least_intrusive_rationale", "proxy_reason"}


@given(
    st.one_of(
        *(rs.builds(cls) for cls in ev.CASE_EVENT_TYPES if cls not in (ev.EntryCorrected, ev.EntryRetracted))
    )
)
def test_the_staff_view_shows_every_field_and_the_citizen_view_no_id_or_staff_reasoning(
    event: ev.CaseEvent,
) -> None:
    shown = list(facts(event, {}))
    keys = {f.key for f in shown}
    recorded = {
        f.name
        for f in attrs.fields(type(event))
        if getattr(event, f.name) not in (None, ()) and f.name not in NOT_REPEATED
    }
    assert recorded <= keys, f"{type(event).__name__} leaves out {sorted(recorded - keys)}"
    if isinstance(event, ev.PlacementStarted) and event.basis.decision_id is not None:
        assert "basis_decision_id" in keys
    citizen = {f.key for f in shown if not f.staff}
    assert not [k for k in citizen if k.endswith(("_id", "_ids")) or k in STAFF_REASONING]
    assert recorded & REASONING <= citizen
    for f in shown:  # every label and every word in Swedish, English and Danish, never the raw key
        assert has_label(f.key), f.key
        if f.word and f.key != "personkrets":  # LSS groups are numbers
            assert all(has_label(word) for word in f.value.split(", ")), (f.key, f.value)


def test_a_follow_up_names_its_goals_in_the_citizen_s_words_as_corrected() -> None:
    cases, _ = told(words="Jobba med trä igen")
    _correct(
        cases, "GoalSet", "citatet blev avkortat", citizen_words="Jobba med trä igen, tre dagar i veckan"
    )
    cases.handle(
        cmd.RecordFollowUp(
            case_id=CASE,
            follow_up_id=rc.new_case_id(),
            follow_up_on=dt.date(2026, 3, 2),
            goal_results=(v.GoalOutcome(GOAL, v.GoalResult.PARTLY_ACHIEVED),),
            participation=v.Participation.FULL,
            status=v.FollowUpStatus.CONTINUE,
        ),
        actor=CASE_WORKER,
    )
    for view in View:
        [follow_up] = [
            i for i in Audit(cases.store).timeline(CASE, view=view).items if i.kind == "FollowUpRecorded"
        ]
        shown = {f.key: f.value for f in follow_up.facts}
        assert shown["goals"] == "Jobba med trä igen, tre dagar i veckan", view
        assert shown["goal_results"] == "partly_achieved", view


def test_several_goals_are_numbered_in_the_order_of_their_results_and_an_unknown_goal_names_none() -> None:
    first, second = rc.new_case_id(), rc.new_case_id()
    follow_up = ev.FollowUpRecorded(
        occurred_on=dt.date(2026, 3, 2),
        follow_up_id=rc.new_case_id(),
        goal_results=(
            v.GoalOutcome(second, v.GoalResult.ACHIEVED),
            v.GoalOutcome(first, v.GoalResult.NOT_ACHIEVED),
        ),
        participation=v.Participation.FULL,
        status=v.FollowUpStatus.CONTINUE,
    )
    shown = {f.key: f.value for f in facts(follow_up, {first: "Ta bussen själv", second: "Laga mat"})}
    assert shown["goals"] == "(1) Laga mat (2) Ta bussen själv"
    assert shown["goal_results"] == "achieved, not_achieved"
    assert "goals" not in {f.key for f in facts(follow_up, {first: "Ta bussen själv"})}
