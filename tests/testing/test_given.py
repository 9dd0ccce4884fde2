"""The given / when / then kit fails loudly and readably: a test written with it can fail."""

import datetime as dt

import pytest

from rehabcore.domain import events as ev
from rehabcore.domain.commands import EndPlacement, OpenCase
from rehabcore.domain.rules import CaseNotOpen, LssContinuityBroken
from rehabcore.domain.vocabulary import (
    Basis,
    CloseReason,
    DecisionOutcome,
    EndReason,
    Jurisdiction,
    LegalBases,
    Personkrets,
    PlacementKind,
    ReferralSource,
    ServiceKind,
)
from rehabcore.testing import an_id, given
from rehabcore.testing.gwt import diff

CASE, SUBJECT = an_id("case"), an_id("subject")
DAILY_ACTIVITY, LSS_DECISION = an_id("placement/daily-activity"), an_id("decision/lss")
TODAY = dt.date(2026, 3, 2)


def opened(on: dt.date = dt.date(2026, 1, 12)) -> ev.CaseOpened:
    return ev.CaseOpened(
        occurred_on=on,
        case_id=CASE,
        subject_id=SUBJECT,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.LSS_OFFICER,
    )


def lss_decision() -> ev.DecisionMade:
    on = dt.date(2026, 2, 2)
    return ev.DecisionMade(
        occurred_on=on,
        decision_id=LSS_DECISION,
        outcome=DecisionOutcome.GRANT,
        legal_basis=LegalBases.LSS_DAILY_ACTIVITY,
        service=ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=on,
        valid_to=None,
        personkrets=Personkrets.GROUP_1,
    )


def daily_activity_started() -> ev.PlacementStarted:
    unit = an_id("unit/daily-activity")
    basis = Basis.lss(LSS_DECISION)
    kind = PlacementKind.DAILY_ACTIVITY
    return ev.PlacementStarted(
        occurred_on=dt.date(2026, 2, 16),
        placement_id=DAILY_ACTIVITY,
        unit_id=unit,
        kind=kind,
        basis=basis,
        planned_end_on=None,
        hours_per_week=25,
    )


END_ON_DEATH = EndPlacement(
    case_id=CASE, placement_id=DAILY_ACTIVITY, end_on=TODAY, reason=EndReason.DECEASED
)
PARTICIPANT = (opened(), lss_decision(), daily_activity_started())


def test_then_prints_each_event_as_a_dated_line_and_the_fields_that_differ() -> None:
    with pytest.raises(AssertionError) as failed:
        given(*PARTICIPANT, today=TODAY).when(END_ON_DEATH).then(
            ev.PlacementEnded(occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=EndReason.COMPLETED)
        )
    message = str(failed.value)
    ended = "2026-03-02 PlacementEnded placement_id=placement/daily-activity"
    assert f"- [0] expected {ended} reason=completed" in message
    assert f"+ [0] actual   {ended} reason=deceased" in message
    assert "PlacementEnded.reason: expected completed, actual deceased" in message
    assert "UUID(" not in message and "<EndReason" not in message


def test_then_names_a_missing_event() -> None:
    with pytest.raises(AssertionError, match=r"\[1\] expected 2026-03-02 CaseClosed reason=other"):
        given(*PARTICIPANT, today=TODAY).when(END_ON_DEATH).then(
            ev.PlacementEnded(occurred_on=TODAY, placement_id=DAILY_ACTIVITY, reason=EndReason.DECEASED),
            ev.CaseClosed(occurred_on=TODAY, reason=CloseReason.OTHER),
        )


def test_ids_that_print_alike_are_shown_whole_in_the_field_diff() -> None:
    first, second = (
        ev.PlacementResumed(occurred_on=TODAY, placement_id=an_id("twin")),
        ev.PlacementResumed(occurred_on=TODAY, placement_id=an_id("twin ")),
    )
    assert "expected twin, actual twin " in diff([first], [second])
    unnamed = [
        ev.PlacementResumed(occurred_on=TODAY, placement_id=__import__("uuid").UUID(int=n)) for n in (1, 2)
    ]
    # Two unnamed ids never share a short form: the second one seen gets more of its digits.
    shown = diff(unnamed[:1], unnamed[1:])
    assert "expected 00000000, actual 00000000-0000" in shown, shown


def test_then_rejected_fails_on_an_accepted_command_and_on_the_wrong_rule_or_message() -> None:
    accepted = given(*PARTICIPANT, today=TODAY).when(END_ON_DEATH)
    with pytest.raises(AssertionError, match="expected rejection by B9 under se-default@1, but accepted"):
        accepted.then_rejected("B9")
    rejected = given(today=TODAY).when(END_ON_DEATH)
    with pytest.raises(AssertionError, match="expected LssContinuityBroken"):
        rejected.then_rejected("B9", LssContinuityBroken)
    with pytest.raises(
        AssertionError, match=r"expected rule B9 under se-default@1, got rejected B2: case .* is not open"
    ):
        rejected.then_rejected("B9")
    with pytest.raises(AssertionError, match="message does not say"):
        rejected.then_rejected("B2", CaseNotOpen, says="something it does not say")
    assert rejected.then_rejected("B2", says="record OpenCase first").rule_id == "B2"


def test_then_warns_compares_the_warnings_exactly() -> None:
    outcome = given(*PARTICIPANT).when(END_ON_DEATH, today=TODAY)
    outcome.then_warns()
    with pytest.raises(AssertionError, match=r"expected warnings \['B10'\]"):
        outcome.then_warns("B10")


def test_today_defaults_to_the_last_given_event_then_to_the_command_date() -> None:
    far_ahead = dt.date(2027, 1, 1)
    opening = OpenCase(
        case_id=CASE,
        subject_id=SUBJECT,
        opened_on=far_ahead,
        jurisdiction=Jurisdiction.SE,
        municipality_code="2284",
        source=ReferralSource.SELF,
    )
    given().when(opening).then_accepted()  # today is the opening date itself
    given(opened(on=dt.date(2026, 1, 1))).when(END_ON_DEATH).then_rejected("C1")
    with pytest.raises(AssertionError, match="rejected B4"):
        given(today=TODAY).when(opening).then_accepted()


def test_then_rejected_names_the_ruleset_and_a_local_rule_that_was_never_in_play() -> None:
    accepted = given(*PARTICIPANT, today=TODAY).when(END_ON_DEATH)
    with pytest.raises(AssertionError) as failed:
        accepted.then_rejected("ORN-1")
    message = str(failed.value)
    assert message.startswith(
        "expected rejection by ORN-1 under se-default@1, but accepted — ORN-1 is not a rule"
    )
    assert "(its local rules: none); given() was called without ruleset=" in message
    rejected = given(today=TODAY).when(END_ON_DEATH)
    with pytest.raises(AssertionError, match=r"expected rule B9 under se-default@1, got rejected B2"):
        rejected.then_rejected("B9")
