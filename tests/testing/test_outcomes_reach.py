"""The rule machine reaches attendance and the status after the exit (#18) and accepts both, on both
jurisdictions' default rulesets, with every built-in invariant kept. Blind, they are refused nearly always
(a week not starting on a Monday, a status before any exit); their refusals come from the default runs."""

import pytest

from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, Ruleset
from rehabcore.testing import Steering
from rehabcore.testing.fitting_outcomes import outcome_arms
from rehabcore.testing.machine import run_case_machine

#: Placements and exits often enough that a week has a placement to fall in and a status an exit to follow.
TOWARDS_OUTCOMES = Steering(
    arms=outcome_arms(),
    weights={"StartPlacement": 6, "ExitToWork": 3, "ExitToStudies": 3, "ExitElsewhere": 3},
)


@pytest.mark.parametrize("ruleset", [SWEDEN_DEFAULT, DENMARK_DEFAULT], ids=lambda r: r.ref)
def test_the_machine_accepts_attendance_and_the_status_after_the_exit(ruleset: Ruleset) -> None:
    names = ["RecordAttendance", "RecordOutcomeStatus"]
    reach = run_case_machine(ruleset, steering=TOWARDS_OUTCOMES, require_reached=names)
    assert all(reach.accepted(name) > 0 for name in names), {n: reach.accepted(n) for n in names}


def test_the_machine_accepts_the_section_103_assessment_and_exits_elsewhere_in_denmark() -> None:
    """Their own arms reach them once weighted: the § 103 "other legislation first" assessment (refused
    outside Denmark, so drawn rarely by default) and an exit to neither work nor studies."""
    names = ["AssessOtherLegislation", "ExitElsewhere"]
    steering = Steering(weights={"AssessOtherLegislation": 8, "ExitElsewhere": 4})
    reach = run_case_machine(DENMARK_DEFAULT, steering=steering, require_reached=names)
    assert all(reach.accepted(name) > 0 for name in names)
