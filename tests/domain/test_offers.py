"""Offers and dialogue (issue #12): recorded as events, a declined offer keeps the placement running."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.recording import command_for
from rehabcore.domain.rules import (
    DatesOutOfOrder,
    DuplicateId,
    InvalidState,
    LssDecisionNotInForce,
    PlacementKindNotOffered,
    UnknownReference,
)
from rehabcore.domain.vocabulary import DialogueParty, PlacementKind

from .gwt import (
    APPLICATION,
    CASE,
    DAILY_ACTIVITY,
    DV_UNIT,
    LSS_DECISION,
    SOL_DECISION,
    TODAY,
    an_id,
    applied,
    daily_activity_started,
    given,
    given_unit,
    lss_decision,
    opened,
    sol_decision,
    unit_registered,
)

OFFER = an_id("offer/solrosen")
NEW_UNIT = an_id("unit/solrosen")
NEXT_WEEK = TODAY + dt.timedelta(days=7)
WORDS = "Jag vill stanna med mina kompisar"
LSS_PARTICIPANT = (
    opened(),
    applied(),
    attrs.evolve(lss_decision(), application_id=APPLICATION),
    daily_activity_started(),
)


def offer(**changes: object) -> cmd.MakeOffer:
    fields: dict[str, object] = dict(
        case_id=CASE,
        offer_id=OFFER,
        offered_on=TODAY,
        unit_id=NEW_UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        offered_from=NEXT_WEEK,
        decision_id=LSS_DECISION,
    )
    fields.update(changes)
    return cmd.MakeOffer(**fields)  # type: ignore[arg-type]


def offered() -> ev.OfferMade:
    return ev.OfferMade(
        occurred_on=TODAY,
        offer_id=OFFER,
        unit_id=NEW_UNIT,
        kind=PlacementKind.DAILY_ACTIVITY,
        offered_from=NEXT_WEEK,
        decision_id=LSS_DECISION,
    )


def test_an_offer_is_recorded_with_unit_kind_and_first_day() -> None:
    then = given(*LSS_PARTICIPANT).when(offer()).then(offered())
    assert then.after is not None and OFFER in then.after.offers
    assert not then.after.offers[OFFER].is_declined


def test_an_offer_starting_before_it_was_made_is_refused() -> None:
    given(*LSS_PARTICIPANT).when(offer(offered_from=TODAY - dt.timedelta(days=1))).then_rejected(
        "B4", DatesOutOfOrder, says="offered_from"
    )


def test_an_offer_of_daily_activity_under_a_decision_that_is_not_lss_is_refused() -> None:
    given(*LSS_PARTICIPANT, sol_decision()).when(offer(decision_id=SOL_DECISION)).then_rejected(
        "B7", LssDecisionNotInForce, says="LSS 9 § 10"
    )


def test_an_offer_under_an_unknown_decision_or_with_a_used_id_is_refused() -> None:
    given(*LSS_PARTICIPANT).when(offer(decision_id=an_id("nope"))).then_rejected("C1", UnknownReference)
    given(*LSS_PARTICIPANT, offered()).when(offer()).then_rejected("C2", DuplicateId)


def test_a_declined_offer_keeps_the_current_placement_running() -> None:
    decline = cmd.DeclineOffer(case_id=CASE, offer_id=OFFER, declined_on=TODAY, citizen_words=WORDS)
    then = given(*LSS_PARTICIPANT, offered()).when(decline)
    then.then(ev.OfferDeclined(occurred_on=TODAY, offer_id=OFFER, citizen_words=WORDS))
    assert then.after is not None
    assert then.after.offers[OFFER].is_declined and then.after.offers[OFFER].citizen_words == WORDS
    placement = then.after.placements[DAILY_ACTIVITY]
    assert placement.is_open and placement.is_active(NEXT_WEEK)
    assert then.after.placements == given(*LSS_PARTICIPANT).state.placements


def test_an_offer_is_declined_once_and_only_if_it_was_made() -> None:
    decline = cmd.DeclineOffer(case_id=CASE, offer_id=OFFER, declined_on=TODAY, citizen_words=WORDS)
    given(*LSS_PARTICIPANT).when(decline).then_rejected("C1", UnknownReference, says="MakeOffer")
    declined = ev.OfferDeclined(occurred_on=TODAY, offer_id=OFFER, citizen_words=WORDS)
    given(*LSS_PARTICIPANT, offered(), declined).when(decline).then_rejected("C3", InvalidState)


def test_a_dialogue_records_who_took_part_who_was_informed_and_the_wishes() -> None:
    command = cmd.HoldDialogue(
        case_id=CASE,
        dialogue_id=an_id("dialogue/1"),
        held_on=TODAY,
        took_part=(DialogueParty.PERSON, DialogueParty.CASE_WORKER),
        informed=(DialogueParty.GOOD_MAN,),
        citizen_words=WORDS,
    )
    then = given(*LSS_PARTICIPANT).when(command)
    then.then(
        ev.DialogueHeld(
            occurred_on=TODAY,
            dialogue_id=an_id("dialogue/1"),
            took_part=(DialogueParty.PERSON, DialogueParty.CASE_WORKER),
            informed=(DialogueParty.GOOD_MAN,),
            citizen_words=WORDS,
        )
    )
    assert then.after is not None and len(then.after.dialogues) == 1
    given(*LSS_PARTICIPANT).when(
        cmd.HoldDialogue(case_id=CASE, dialogue_id=an_id("dialogue/2"), held_on=TODAY, took_part=())
    ).then_rejected("C3", InvalidState, says="took_part")


def test_an_offer_names_a_unit_that_takes_the_kind_on_the_first_day() -> None:
    rehab_only = unit_registered(unit_id=NEW_UNIT, offers=(PlacementKind.WORK_TRAINING,))
    given_unit(rehab_only).when_placed(offered()).then_rejected("U2", PlacementKindNotOffered)
    given_unit(unit_registered(unit_id=NEW_UNIT)).when_placed(offered()).then()


@pytest.mark.parametrize("backend", ["memory", "sqlite", "postgresql"])
def test_offers_and_dialogue_are_stored_and_read_back(backend: str, sqlite_url: str, pg_url: str) -> None:
    url = {"memory": "memory://", "sqlite": sqlite_url, "postgresql": pg_url}[backend]
    store = rc.open_store(url)
    cases = rc.Cases(store, today=lambda: TODAY)
    actor = rc.Actor(id="lss-001", role=rc.domain.vocabulary.Role.LSS_OFFICER)
    for unit_id in (DV_UNIT, NEW_UNIT):
        cases.handle(
            cmd.RegisterUnit(
                unit_id=unit_id,
                registered_on=dt.date(2026, 1, 1),
                name="Solrosen",
                kind=rc.domain.vocabulary.UnitKind.LSS_DAILY_ACTIVITY,
                jurisdiction=rc.domain.vocabulary.Jurisdiction.SE,
                capacity=5,
                offers=(PlacementKind.DAILY_ACTIVITY,),
            ),
            actor=actor,
        )
    for e in LSS_PARTICIPANT:
        cases.handle(command_for(e, CASE), actor=actor)
    cases.handle(offer(), actor=actor)
    cases.handle(
        cmd.DeclineOffer(case_id=CASE, offer_id=OFFER, declined_on=TODAY, citizen_words=WORDS), actor=actor
    )
    fresh = rc.Cases(rc.open_store(url) if backend != "memory" else store, today=lambda: TODAY)
    state = fresh.get(CASE)
    assert state.offers[OFFER].citizen_words == WORDS
    assert state.placements[DAILY_ACTIVITY].is_open
    kinds = [type(r.event).__name__ for r in fresh.history(CASE)]
    assert kinds[-2:] == ["OfferMade", "OfferDeclined"]
