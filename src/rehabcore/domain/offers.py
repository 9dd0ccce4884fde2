"""The rules of offers and dialogue: what the municipality offered, what the person said (B9, S1).

"Ingen kommer att behöva sluta ... förrän vi kan erbjuda den personen en ny daglig verksamhet" (S1): an offer
is recorded with the unit, the kind of placement and the day it would start; a declined offer with the
person's own words, and it changes no placement, so whatever they attend now goes on. A dialogue records who
took part, which relatives or legal representatives (god man, förvaltare) were informed, and the person's
wishes in their own words (LSS 6 §: influence and co-determination).

Whether the unit offers the kind on the day is checked with the units, in ``places.py``.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, granted_decision, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import PlacementKind


def make_offer(c: cmd.MakeOffer, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """MakeOffer: dated, fresh, from the day offered on; daily activity offered under an LSS decision."""
    when(s, c.offered_on, ctx, "offered_on")
    fresh(s.offers, c.offer_id, "offer")
    if c.offered_from < c.offered_on:
        raise r.DatesOutOfOrder(
            "offered_from ({offered_from}) is before the offer ({offered_on})",
            offered_from=c.offered_from,
            offered_on=c.offered_on,
        )
    if c.decision_id is not None:
        decision = granted_decision(s, c.decision_id, r.UnknownReference)
        if c.kind is PlacementKind.DAILY_ACTIVITY and not decision.is_lss_daily_activity:
            raise r.LssDecisionNotInForce(
                "daily activity is offered under an LSS 9 § 10 decision; {decision_id} is {legal_basis}",
                decision_id=c.decision_id,
                legal_basis=decision.made.legal_basis,
            )
    return [record(c)]


def decline_offer(c: cmd.DeclineOffer, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """DeclineOffer: an offer of this case, not yet declined, declined on or after it was made."""
    offer = s.offers.get(c.offer_id)
    if offer is None:
        raise r.UnknownReference(
            "offer {offer_id} is not in this case; record MakeOffer first", offer_id=c.offer_id
        )
    if offer.is_declined:
        raise r.InvalidState(
            "offer {offer_id} was already declined on {declined_on}",
            offer_id=c.offer_id,
            declined_on=offer.declined_on,
        )
    when(s, c.declined_on, ctx, "declined_on")
    if c.declined_on < offer.made.occurred_on:
        raise r.DatesOutOfOrder(
            "declined_on is before the offer was made ({occurred_on})", occurred_on=offer.made.occurred_on
        )
    return [record(c)]


def hold_dialogue(c: cmd.HoldDialogue, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """HoldDialogue: dated, fresh, naming at least one who took part."""
    when(s, c.held_on, ctx, "held_on")
    fresh([d.dialogue_id for d in s.dialogues], c.dialogue_id, "dialogue")
    if not c.took_part:
        raise r.InvalidState("a dialogue names who took part (took_part), the person first of all")
    return [record(c)]
