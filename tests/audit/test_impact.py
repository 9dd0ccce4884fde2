"""What if: a stricter ruleset over the demo's cases lists the recorded commands it would now reject, from
the API (``impact``, ``Audit.replay(under=)``) and from the command line (``impact``, ``replay --under``)."""

from __future__ import annotations

import json
import textwrap
import uuid
from pathlib import Path

import pytest

import rehabcore as rc
from rehabcore import demo
from rehabcore.audit import Audit
from rehabcore.audit.impact import case_ids, impact, impact_text
from rehabcore.cli import main
from rehabcore.domain import commands as cmd
from rehabcore.domain.context import Context
from rehabcore.domain.local_rules import rejects
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import Jurisdiction

ANCHOR = "Arbetsmarknadsnämnden 2026-04-14 § 9"


@rejects("ORN-4", anchor=ANCHOR, on=cmd.StartPlacement)
def at_most_twenty_hours(c: cmd.StartPlacement, case: CaseState, ctx: Context) -> str | None:
    """No placement above 20 hours a week (a proposed rule)."""
    return f"{c.hours_per_week} h/week is above 20" if c.hours_per_week > 20 else None


STRICTER = rc.Ruleset(
    name="se-default",
    version="2",
    jurisdiction=Jurisdiction.SE,
    parameters=rc.RuleParameters(max_work_training_days=90),
    local_rules=(at_most_twenty_hours,),
)


@pytest.fixture(scope="module")
def demo_store() -> rc.InMemoryStore:
    store = rc.InMemoryStore()
    demo.build(store, people=120)
    return store


def test_the_impact_report_lists_the_commands_a_stricter_ruleset_would_now_reject(
    demo_store: rc.InMemoryStore,
) -> None:
    report = impact(demo_store, STRICTER)
    assert report.ruleset == "se-default@2" and report.cases == len(case_ids(demo_store)) == 120
    by_rule = report.by_rule()
    assert by_rule.get("B5", 0) > 0 and by_rule.get("ORN-4", 0) > 0, by_rule
    for f in report.findings:
        assert f.kind == "rejected_now" and f.recorded_under == "se-default@1"
        assert f.command_type is not None and f.command_type.endswith("StartPlacement")
    orn = next(f for f in report.findings if f.rule_id == "ORN-4")
    assert "h/week is above 20" in orn.detail and ANCHOR in orn.detail
    # The same command, in its case's own replay under the new ruleset.
    replayed = Audit(demo_store).replay(uuid.UUID(orn.case_id), under=STRICTER)
    assert replayed.rulesets == ("se-default@2",)
    assert any(d.version == orn.version and "ORN-4" in d.detail for d in replayed.divergences)
    # Under the rules it was recorded with, nothing diverges: the findings are the new ruleset's doing.
    assert Audit(demo_store).replay(uuid.UUID(orn.case_id)).divergences == ()
    text = impact_text(report, limit=3)
    assert text.startswith(
        f"under se-default@2: {len(report.findings)} of {report.commands} recorded command"
    )
    assert "  rejected by ORN-4: " in text and "StartPlacement (recorded under se-default@1)" in text
    assert json.loads(json.dumps(report.to_dict()))["by_rule"] == by_rule


def test_the_same_ruleset_finds_nothing(demo_store: rc.InMemoryStore) -> None:
    assert impact(demo_store, rc.rulesets.SWEDEN_DEFAULT).findings == ()


def test_the_command_line_loads_the_ruleset_by_module_and_name(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = rc.open_store(sqlite_url)
    demo.build(store, people=30)
    store.close()
    (tmp_path / "kommun_rules.py").write_text(
        textwrap.dedent(
            """
            import rehabcore as rc
            from rehabcore.domain.vocabulary import Jurisdiction

            STRICT = rc.Ruleset(
                name="se-default", version="2", jurisdiction=Jurisdiction.SE,
                parameters=rc.RuleParameters(max_work_training_days=30),
            )
            NOT_A_RULESET = 3
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["impact", "--store", sqlite_url, "--ruleset", "kommun_rules:STRICT", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("under se-default@2: ") and "rejected by B5: " in out
    assert (
        main(["impact", "--store", sqlite_url, "--ruleset", "kommun_rules:STRICT", "--format", "json"]) == 1
    )
    found = json.loads(capsys.readouterr().out)["findings"][0]
    case = found["case_id"]
    assert main(["replay", case, "--store", sqlite_url, "--under", "kommun_rules:STRICT"]) == 1
    assert "[B5]" in capsys.readouterr().out
    assert main(["replay", case, "--store", sqlite_url]) == 0
    capsys.readouterr()
    assert main(["impact", "--store", sqlite_url, "--ruleset", "kommun_rules:NOT_A_RULESET"]) == 2
    assert "is not a rehabcore Ruleset" in capsys.readouterr().err
    assert main(["impact", "--store", sqlite_url, "--ruleset", "nowhere"]) == 2
    assert "expects module:NAME" in capsys.readouterr().err
