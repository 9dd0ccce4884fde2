"""Rulesets are data: impossible parameters and malformed rulesets are refused when they are built."""

import datetime as dt

import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain.local_rules import LocalRule, rejects
from rehabcore.domain.rules import RuleParameters, Ruleset
from rehabcore.domain.vocabulary import Jurisdiction, ReferralSource, Role
from rehabcore.testing import an_id


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("max_work_training_days", 0),
        ("max_work_training_days", -30),
        ("follow_up_interval_days", -1),
        ("decision_expiry_notice_days", 0),
        ("future_tolerance_days", -7),
        ("max_work_training_days", 731),
    ],
)
def test_durations_of_zero_or_less_or_past_their_bound_are_refused(field: str, days: int) -> None:
    with pytest.raises(rc.InvalidInput, match=rf"RuleParameters\.{field}: must be between 1 and"):
        RuleParameters(**{field: days})  # type: ignore[arg-type]


def test_the_ivo_threshold_is_the_laws_three_calendar_months_not_a_parameter() -> None:
    # 90 days is not three calendar months (#11): B10 counts as rehabcore.domain.execution does.
    with pytest.raises(TypeError):
        RuleParameters(unexecuted_decision_days=92)  # type: ignore[call-arg]


def test_a_notice_longer_than_what_it_gives_notice_of_is_refused() -> None:
    with pytest.raises(rc.InvalidInput, match="decision_expiry_notice_days: is longer than twice"):
        RuleParameters(max_work_training_days=30, decision_expiry_notice_days=61)
    assert RuleParameters(max_work_training_days=30, decision_expiry_notice_days=60)


@pytest.mark.parametrize("name", ["", " ", "se@2", " padded"])
def test_a_ruleset_name_that_would_make_an_ambiguous_ref_is_refused(name: str) -> None:
    with pytest.raises(rc.InvalidInput, match=r"Ruleset\.name"):
        Ruleset(name=name, version="1", jurisdiction=Jurisdiction.SE)


def test_a_ruleset_needs_parameters_and_local_rules_of_the_right_type() -> None:
    with pytest.raises(rc.InvalidInput, match=r"Ruleset\.parameters"):
        Ruleset(name="x", version="1", jurisdiction=Jurisdiction.SE, parameters={"max": 1})  # type: ignore[arg-type]
    with pytest.raises(rc.InvalidInput, match=r"Ruleset.local_rules\[0\]"):
        Ruleset(name="x", version="1", jurisdiction=Jurisdiction.SE, local_rules=[print])  # type: ignore[list-item]


def _never(rule_id: str) -> LocalRule:
    return rejects(rule_id, anchor="test", on=cmd.CloseCase, summary="never")(lambda c, s, ctx: None)


def test_local_rule_ids_are_unique_and_never_a_built_in_id() -> None:
    with pytest.raises(rc.InvalidInput, match="rule id X-1 is used twice"):
        Ruleset(
            name="x", version="1", jurisdiction=Jurisdiction.SE, local_rules=(_never("X-1"), _never("X-1"))
        )
    for built_in in ("B9", "C1", "U2"):
        with pytest.raises(rc.InvalidInput, match="belong to the built-in rulebook"):
            _never(built_in)
    with pytest.raises(rc.InvalidInput, match=r"LocalRule\.rule_id"):
        _never("no spaces please")


def test_a_local_rule_names_its_anchor_and_the_commands_it_looks_at() -> None:
    with pytest.raises(rc.InvalidInput, match=r"LocalRule\.anchor"):
        rejects("X-1", anchor=" ", on=cmd.CloseCase, summary="s")(lambda c, s, ctx: None)
    with pytest.raises(rc.InvalidInput, match=r"LocalRule\.applies_to"):
        rejects("X-1", anchor="a", on=dict, summary="s")(lambda c, s, ctx: None)
    with pytest.raises(rc.InvalidInput, match=r"LocalRule\.summary"):
        rejects("X-1", anchor="a", on=cmd.CloseCase)(lambda c, s, ctx: None)  # no docstring, no summary


def test_each_tenant_gets_its_own_ruleset_and_its_ref_is_recorded_on_every_event() -> None:
    strict = Ruleset(
        name="ornskoldsvik",
        version="2026-03",
        jurisdiction=Jurisdiction.SE,
        parameters=RuleParameters(max_work_training_days=90),
    )
    store = rc.InMemoryStore()
    by_tenant = {
        "2284": rc.Cases(store, ruleset=strict, tenant="2284", today=lambda: dt.date(2026, 3, 2)),
        "1280": rc.Cases(store, tenant="1280", today=lambda: dt.date(2026, 3, 2)),
    }
    actor = rc.Actor(id="hand-1", role=Role.CASE_WORKER)
    for tenant, cases in by_tenant.items():
        case_id = an_id(f"case/{tenant}")
        cases.handle(
            cmd.OpenCase(
                case_id=case_id,
                subject_id=an_id(f"subject/{tenant}"),
                opened_on=dt.date(2026, 3, 2),
                jurisdiction=Jurisdiction.SE,
                municipality_code=tenant,
                source=ReferralSource.SELF,
            ),
            actor=actor,
        )
        (recorded,) = cases.history(case_id)
        assert recorded.metadata["ruleset"] == cases.ruleset.ref
        assert recorded.metadata["tenant"] == tenant
    assert by_tenant["2284"].history(an_id("case/2284"))[0].metadata["ruleset"] == "ornskoldsvik@2026-03"
    assert by_tenant["1280"].history(an_id("case/1280"))[0].metadata["ruleset"] == "se-default@1"


def test_rulesets_and_local_rules_need_no_test_kit() -> None:
    """``import rehabcore`` and the local-rule API never import hypothesis or pytest (the testing extra)."""
    import subprocess
    import sys

    probe = (
        "import sys, rehabcore, rehabcore.domain.local_rules; "
        "print(sorted(m for m in ('hypothesis', 'pytest') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
