"""The given / when / then helper fails loudly and readably: a test written with it can fail."""

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import EndPlacement
from rehabcore.domain.rules import CaseNotOpen, LssContinuityBroken
from rehabcore.domain.vocabulary import CloseReason, EndReason

from .gwt import CASE, DAILY_ACTIVITY, TODAY, daily_activity_started, given, lss_decision, opened

END_FOR_OWN_CHOICE = EndPlacement(
    case_id=CASE, placement_id=DAILY_ACTIVITY, end_on=TODAY, reason=EndReason.OWN_CHOICE
)
PARTICIPANT = (opened(), lss_decision(), daily_activity_started())


def test_then_prints_the_fields_that_differ() -> None:
    with pytest.raises(AssertionError) as failed:
        given(*PARTICIPANT).when(END_FOR_OWN_CHOICE).then(
            ev.PlacementEnded(TODAY, DAILY_ACTIVITY, EndReason.COMPLETED)
        )
    message = str(failed.value)
    assert "- [0] expected PlacementEnded(" in message
    assert "+ [0] actual   PlacementEnded(" in message
    assert "PlacementEnded.reason: expected <EndReason.COMPLETED: 'completed'>" in message


def test_then_names_a_missing_event() -> None:
    with pytest.raises(AssertionError, match=r"\[1\] expected CaseClosed"):
        given(*PARTICIPANT).when(END_FOR_OWN_CHOICE).then(
            ev.PlacementEnded(TODAY, DAILY_ACTIVITY, EndReason.OWN_CHOICE),
            ev.CaseClosed(TODAY, CloseReason.OTHER),
        )


def test_then_rejected_fails_on_an_accepted_command_and_on_the_wrong_rule_or_message() -> None:
    accepted = given(*PARTICIPANT).when(END_FOR_OWN_CHOICE)
    with pytest.raises(AssertionError, match="expected rejection by B9, but accepted"):
        accepted.then_rejected("B9", LssContinuityBroken, says="")
    rejected = given().when(END_FOR_OWN_CHOICE)
    with pytest.raises(AssertionError, match="expected LssContinuityBroken"):
        rejected.then_rejected("B9", LssContinuityBroken, says="")
    with pytest.raises(AssertionError, match="message does not say"):
        rejected.then_rejected("B2", CaseNotOpen, says="something it does not say")


def test_then_warns_compares_the_warnings_exactly() -> None:
    outcome = given(*PARTICIPANT).when(END_FOR_OWN_CHOICE, today=TODAY)
    outcome.then_warns()
    with pytest.raises(AssertionError, match=r"expected warnings \['B10'\]"):
        outcome.then_warns("B10")
