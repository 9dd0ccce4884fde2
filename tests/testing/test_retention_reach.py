"""#13's retention commands in #15's rule machine: holds, archiving and erasure are drawn like every other
command (an arm each), and ``about:retain`` draws them on what a case holds (a placed hold released, a closed
record erased for its own subject), so B24 (nothing after erasure, a hold blocks it) is exercised — the
machine's invariant that nothing is recorded after erasure then has something to check."""

import datetime as dt

import attrs
import pytest

from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, Ruleset
from rehabcore.testing import an_id, reproduce, run_case_machine
from rehabcore.testing import strategies as rs
from rehabcore.testing.machine import replay_history
from rehabcore.testing.readable import source
from rehabcore.testing.swarm import Steering, built_in_arms

RETENTION = ["PlaceRetentionHold", "ReleaseRetentionHold", "ArchiveForResearch", "EraseSubject"]


def test_every_retention_command_has_an_arm_and_about_retain_draws_them_on_the_case() -> None:
    names = {a.name for a in built_in_arms()}
    assert {*RETENTION, "about:retain"} <= names


@pytest.mark.parametrize("ruleset", [SWEDEN_DEFAULT, DENMARK_DEFAULT], ids=lambda r: r.ref)
def test_the_machine_reaches_holds_archiving_and_erasure_and_b24(ruleset: Ruleset) -> None:
    # about:retain holds, releases and erases what the case holds; erasure waits for the close.
    steering = Steering(weights={"about:retain": 8, "CloseCase": 4, "ArchiveForResearch": 2})
    reach = run_case_machine(ruleset, steering=steering, require_reached=RETENTION)
    refused_by_b24 = {t for (t, outcome), n in reach.commands.items() if outcome == "rejected by B24" and n}
    # B24 refuses both what comes after an erasure and an erasure under a hold.
    assert "EraseSubject" in refused_by_b24 and refused_by_b24 - {"EraseSubject"}, reach.report()


def test_a_correction_after_erasure_is_refused_by_b24() -> None:
    # What the machine found once erasure was drawn for the case's own subject: decide_correction let a
    # retraction through after SubjectErased.
    pools = rs.Pools.fresh(2, others=8)
    setup = rs.setup(pools)
    case = pools.case_ids[0]
    erase = cmd.EraseSubject(
        case_id=case,
        erased_on=dt.date(2025, 1, 31),
        subject_id=an_id("subject-1"),  # rs.setup opens case n for subject n
        regime=v.RetentionRegime.SOL,
        policy="SE-sol@2025.1",
        key_destroyed_at=dt.datetime(2026, 2, 5, 12, 0, tzinfo=dt.UTC),
    )
    goal = cmd.SetGoal(
        case_id=case,
        goal_id=an_id("goal-1"),
        set_on=dt.date(2025, 1, 2),
        life_area=v.LifeArea.WORK_AND_EDUCATION,
        citizen_words="arbeta",
        formulated_by=v.FormulatedBy.CITIZEN,
        goal_type=v.GoalType.DEVELOP,
    )
    steps = [(dt.date(2025, 1, 2), goal), (dt.date(2026, 2, 5), erase)]
    world = replay_history(SWEDEN_DEFAULT, setup, steps, pools=pools)
    goal_set = world.entries(case)[1][0]
    for late in (
        cmd.RetractEntry(
            case_id=case, event_id=goal_set, retracted_on=dt.date(2026, 2, 5), reason="fel ärende"
        ),
        cmd.ReopenCase(case_id=case, reopened_on=dt.date(2026, 2, 5)),
    ):
        step = world.handle(late)
        assert step.error is not None and step.error.rule_id == "B24", step.lines()


def test_a_reproduction_keeps_an_erasures_moment() -> None:
    erase = cmd.EraseSubject(
        case_id=an_id("case-1"),
        erased_on=dt.date(2025, 1, 31),
        subject_id=an_id("subject-1"),
        regime=v.RetentionRegime.DK,
        policy="DK@2025.1",
        key_destroyed_at=dt.datetime(2026, 2, 5, 12, 30, 1, 5, tzinfo=dt.UTC),
    )
    again = eval(source(erase), vars(reproduce))  # the printed Python, read back as a reproduction would
    # The same command but for its command id, which a reproduction leaves to the factory.
    assert attrs.evolve(again, command_id=erase.command_id) == erase
    assert again.key_destroyed_at.tzinfo is not None
