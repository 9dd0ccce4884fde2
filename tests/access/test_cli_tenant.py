"""The CLI reads as a tenant with ``--tenant`` (#16): a provider's timeline and export hold only its part."""

from __future__ import annotations

import json

import pytest

import rehabcore as rc
from rehabcore.cli import main
from tests.access import world as w

PLACED, NOT_PLACED = w.an_id("case/placed"), w.an_id("case/not-placed")


@pytest.fixture
def url(sqlite_url: str) -> str:
    store = rc.open_store(sqlite_url)
    w.register_units(store)
    for case_id in (PLACED, NOT_PLACED):
        w.decided_case(store, case_id)
    w.cases(store, w.LEANLINK).handle(w.placement(PLACED), actor=w.STAFF)
    store.close()
    return sqlite_url


def test_export_as_a_provider_holds_only_the_entries_that_name_it(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--store", url, "--tenant", w.LEANLINK]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    cases = {line["subject"] for line in lines if line["subject"].startswith("case-")}
    assert cases == {rc.case_stream(PLACED)}
    assert main(["export", "--store", url]) == 0
    everything = capsys.readouterr().out.splitlines()
    assert len(everything) > len(lines)


def test_a_providers_timeline_starts_at_its_placement_and_another_case_is_unknown(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["timeline", str(PLACED), "--store", url, "--tenant", w.LEANLINK, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in shown["entries"]] == ["PlacementStarted"]
    assert main(["timeline", str(NOT_PLACED), "--store", url, "--tenant", w.LEANLINK]) == 2
    assert "no case" in capsys.readouterr().err
