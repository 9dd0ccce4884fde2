"""The refocus worklist (S1, B9; #12): every daily-activity participant at a unit that stopped offering daily
activity, and where they stand — not yet contacted, informed, dialogue held, offered, declined, moved, left.

"Ingen kommer att behöva sluta ... förrän vi kan erbjuda den personen en ny daglig verksamhet": after a unit
refocuses (``UnitPurposeChanged`` without daily activity), each person whose daily activity there was running
the day before needs a dialogue and an offer, and keeps their place until a new daily activity starts. The
list is read from the store: the units whose purpose changed (by event type) and the cases holding their
places, as ``Cases`` folds them; the stage is the furthest each case has reached since the placement began.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import attrs

from rehabcore.audit.labels import MEMBERS
from rehabcore.cases import Cases
from rehabcore.domain.state import CaseState, Placement, UnitState
from rehabcore.domain.vocabulary import DialogueParty, PlacementKind
from rehabcore.store import EventStore

_DAY = dt.timedelta(days=1)


class Stage(enum.StrEnum):
    """Where a participant stands, from the first step to the last."""

    NOT_CONTACTED = "not_contacted"
    INFORMED = "informed"  # told of the change (a dialogue the person was informed of)
    DIALOGUE_HELD = "dialogue_held"  # the person took part in a dialogue about their daily activity
    OFFERED = "offered"  # a new daily activity offered, not yet answered
    DECLINED = "declined"  # the person said no: they stay where they are until another offer
    MOVED = "moved"  # at a new daily activity
    LEFT = "left"  # left daily activity on a recorded ground (own wish, moved away, work …)


# The stages in words, for the views that print the worklist (the demo, ``stats``), with the vocabulary's.
MEMBERS[Stage] = {
    Stage.NOT_CONTACTED: ("inte kontaktad", "not contacted", "ikke kontaktet"),
    Stage.INFORMED: ("informerad", "informed", "informeret"),
    Stage.DIALOGUE_HELD: ("samtal hållet", "dialogue held", "samtale holdt"),
    Stage.OFFERED: ("erbjuden ny daglig verksamhet", "offered a new daily activity", "tilbudt nyt dagtilbud"),
    Stage.DECLINED: ("tackade nej", "declined", "takkede nej"),
    Stage.MOVED: ("flyttad", "moved", "flyttet"),
    Stage.LEFT: ("lämnat daglig verksamhet", "left daily activity", "forladt dagtilbud"),
}


@attrs.frozen(order=True)
class RefocusRow:
    """One participant of a refocused unit and where they stand on the date asked."""

    unit: str
    refocused_on: dt.date
    case_id: uuid.UUID
    placement_id: uuid.UUID
    stage: Stage
    #: The day the stage was reached (None while not contacted).
    since: dt.date | None


def refocus_worklist(store: EventStore, on: dt.date) -> list[RefocusRow]:
    """Every daily-activity participant of every unit that stopped offering daily activity by ``on``."""
    cases = Cases(store, today=lambda: on)
    unit_ids = {s.stream_id.removeprefix("unit-") for s in store.read_all(types=["rehab.UnitPurposeChanged"])}
    rows = []
    for unit_id in sorted(uuid.UUID(u) for u in unit_ids):
        unit = cases.unit(unit_id)
        refocused_on = refocused(unit, on)
        if refocused_on is None:
            continue
        eve = refocused_on - _DAY
        held = sorted({p.case_id for p in unit.places.values() if p.held(eve)}, key=str)
        for case_id in held:
            case = cases.get(case_id)
            for p in case.placements.values():
                if p.unit_id == unit_id and p.is_lss_daily_activity and p.is_active(eve):
                    stage, since = stage_of(case, p, on)
                    name = unit.name or str(unit_id)
                    rows.append(RefocusRow(name, refocused_on, case_id, p.placement_id, stage, since))
    return sorted(rows, key=lambda r: (r.unit, r.stage, str(r.case_id)))


def refocused(unit: UnitState, on: dt.date) -> dt.date | None:
    """The last day by ``on`` the unit stopped offering daily activity, if it has stopped and not resumed."""
    dv = PlacementKind.DAILY_ACTIVITY
    last = None
    offered_before = False
    for start, _kind, offers in unit.purposes:
        if start > on:
            break
        if dv in offers:
            offered_before, last = True, None
        elif offered_before and last is None:
            last = start
    return last


def stage_of(case: CaseState, p: Placement, on: dt.date) -> tuple[Stage, dt.date | None]:
    """The furthest stage ``case`` reached for placement ``p`` by ``on``, and the day it was reached."""
    if p.end_on is not None and p.end_on <= on:
        nxt = p.end_on + _DAY
        if any(q.is_lss_daily_activity and q.is_active(nxt) for q in case.placements.values() if q is not p):
            return Stage.MOVED, nxt
        return Stage.LEFT, p.end_on
    offers = [
        o
        for o in case.offers.values()
        if o.made.kind is PlacementKind.DAILY_ACTIVITY and p.start_on <= o.made.occurred_on <= on
    ]
    if offers:
        latest = max(offers, key=lambda o: o.made.occurred_on)
        if latest.declined_on is not None and latest.declined_on <= on:
            return Stage.DECLINED, latest.declined_on
        return Stage.OFFERED, latest.made.occurred_on
    talks = [d for d in case.dialogues if p.start_on <= d.occurred_on <= on]
    held = [d for d in talks if DialogueParty.PERSON in d.took_part]
    if held:
        return Stage.DIALOGUE_HELD, max(d.occurred_on for d in held)
    if talks:
        return Stage.INFORMED, max(d.occurred_on for d in talks)
    return Stage.NOT_CONTACTED, None
