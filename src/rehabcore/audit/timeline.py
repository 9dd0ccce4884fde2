"""A case timeline for people to read: what happened and when; for staff, who recorded it and what was fixed.

Two views of the same record:

* ``staff`` (case worker, auditor): every entry as recorded with every field, the ids that tie entries
  together, who recorded it under which rules, and every correction and retraction with its reason, the
  original value kept beside the corrected one.
* ``citizen`` (what a person receives when asking for their file): the record as it reads now, with a note
  where an entry was corrected. It leaves out staff identities (ids, roles, units), the case workers' own
  notes (reasons for corrections; alternatives considered, why the least intrusive, why a goal was set by
  proxy), the ids and the envelope; retracted entries are left out, since an entry recorded on the wrong case
  may be about someone else.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator

import attrs

from rehabcore.audit.history import CaseRecord, Entry, Provenance, Situation, decode
from rehabcore.domain import events as ev
from rehabcore.store import EventStore
from rehabcore.streams import unit_stream


class View(enum.StrEnum):
    """Who the timeline is for."""

    CITIZEN = "citizen"
    STAFF = "staff"


@attrs.frozen
class Fact:
    """One detail of an entry: a label key and a value; ``word`` values are vocabulary to translate.

    ``staff`` facts are for the case-worker view only: the ids that tie entries together, and the case
    workers' own reasoning in free text (alternatives considered, why the least intrusive, why by proxy).
    """

    key: str
    value: str
    word: bool = False
    staff: bool = False

    @property
    def is_id(self) -> bool:
        """An id tying entries together: shown apart from the details people read."""
        return self.key.endswith(("_id", "_ids"))


@attrs.frozen
class Note:
    """A correction or retraction of an entry, as shown beside it."""

    kind: str  # "corrected" or "retracted"
    on: dt.date
    version: int
    reason: str
    provenance: Provenance


@attrs.frozen
class Item:
    """One entry of the timeline."""

    version: int
    event_id: uuid.UUID
    kind: str
    occurred_on: dt.date
    recorded_at: dt.datetime
    facts: tuple[Fact, ...]
    provenance: Provenance
    #: The facts as first recorded, when a correction changed them.
    original: tuple[Fact, ...] | None = None
    notes: tuple[Note, ...] = ()
    #: For a correction or retraction: the version of the entry it concerns.
    concerns: int | None = None
    retracted: bool = False


@attrs.frozen
class Timeline:
    """A case's entries for one view, and the situation on a date if asked for."""

    case_id: uuid.UUID
    view: View
    items: tuple[Item, ...]
    as_known_at: dt.datetime | None = None
    on: dt.date | None = None
    situation: Situation | None = None
    units: dict[uuid.UUID, str] = attrs.field(factory=dict)


def timeline(
    store: EventStore, record: CaseRecord, view: View = View.STAFF, *, on: dt.date | None = None
) -> Timeline:
    """The timeline of ``record``; with ``on``, only entries that occurred by then, and the situation then."""
    units = _unit_names(store, record)
    names = {**units, **_goal_words(record)}
    by_id = {e.event_id: e for e in record.entries}
    items = []
    for e in record.entries:
        shown = e.effective if view is View.CITIZEN else e.event
        if view is View.CITIZEN and (shown is None or e.is_correction):
            continue
        # By the date the entry is shown with (the corrected one), as the situation on ``on`` reads it.
        if on is not None and not e.is_correction and (e.effective or e.event).occurred_on > on:
            continue
        items.append(_item(e, view, names, by_id))
    situation = record.situation(on) if on is not None else None
    return Timeline(record.case_id, view, tuple(items), record.as_known_at, on, situation, units)


#: The provenance a citizen's view carries: none.
_NOBODY = Provenance(None, None, None, None, None, None, None, None, None)


def _item(e: Entry, view: View, names: dict[uuid.UUID, str], by_id: dict[uuid.UUID, Entry]) -> Item:
    notes = tuple(_note(by_id[i]) for i in (*e.corrected_by, *([e.retracted_by] if e.retracted_by else [])))
    concerns = None
    if isinstance(e.event, ev.EntryCorrected | ev.EntryRetracted):
        target = (
            e.event.corrected_event_id
            if isinstance(e.event, ev.EntryCorrected)
            else e.event.retracted_event_id
        )
        concerns = by_id[target].version if target in by_id else None
    if view is View.CITIZEN:
        assert e.effective is not None
        return Item(
            e.version,
            e.event_id,
            type(e.effective).__name__,
            e.effective.occurred_on,
            e.recorded_at,
            tuple(f for f in facts(e.effective, names) if not f.staff),
            _NOBODY,
            notes=tuple(
                attrs.evolve(n, reason="", provenance=_NOBODY) for n in notes if n.kind == "corrected"
            ),
        )
    now = e.effective if e.effective is not None and e.effective != e.event else None
    original = None
    if now is not None and isinstance(e.event, ev.CorrectableEvent):  # the date may be what was corrected
        original = (Fact("occurred_on", e.event.occurred_on.isoformat()), *facts(e.event, names))
    return Item(
        e.version,
        e.event_id,
        type(e.event).__name__,
        (now or e.event).occurred_on,
        e.recorded_at,
        tuple(facts(now or e.event, names)),
        e.provenance,
        original=original,
        notes=notes,
        concerns=concerns,
        retracted=e.retracted_by is not None,
    )


def _note(c: Entry) -> Note:
    assert isinstance(c.event, ev.EntryCorrected | ev.EntryRetracted)
    kind = "corrected" if isinstance(c.event, ev.EntryCorrected) else "retracted"
    return Note(kind, c.event.occurred_on, c.version, c.event.reason, c.provenance)


def _goal_words(record: CaseRecord) -> dict[uuid.UUID, str]:
    """Each goal in the citizen's own words, as corrected: a follow-up's results name the goals by them.

    A retracted goal is left out (it may have been recorded on the wrong person's case); a follow-up that
    still names it shows its results without the words.
    """
    return {
        e.effective.goal_id: e.effective.citizen_words
        for e in record.entries
        if isinstance(e.effective, ev.GoalSet)
    }


def _unit_names(store: EventStore, record: CaseRecord) -> dict[uuid.UUID, str]:
    wanted: set[uuid.UUID] = set()
    for e in record.entries:
        for event in (e.event, e.effective):
            if isinstance(event, ev.PlacementStarted):
                wanted.add(event.unit_id)
            elif isinstance(event, ev.TransferredToLssDailyActivity):
                wanted.add(event.to_unit_id)
    names = {}
    for unit_id in sorted(wanted, key=str):
        first = store.read_stream(unit_stream(unit_id), limit=1)
        if first:
            registered = decode(first[0])
            if isinstance(registered, ev.UnitRegistered):
                names[unit_id] = registered.name
    return names


def facts(e: ev.CaseEvent, names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    """Every detail of an entry, in a sensible order; ids and staff reasoning marked ``staff``.

    Only the case and the entry a correction concerns are left out: the timeline's heading and its ``→ vN``
    say them. ``names`` gives units their names and goals the citizen's words, where the record has them.
    """
    match e:
        case ev.CaseOpened():
            yield Fact("source", e.source.value, True)
            yield Fact("municipality_code", e.municipality_code)
            yield Fact("jurisdiction", e.jurisdiction.value)
            yield _id("subject_id", e.subject_id)
        case ev.ReferralReceived():
            yield Fact("source", e.source.value, True)
            yield Fact("requested_service", e.requested_service.value, True)
            yield _id("referral_id", e.referral_id)
        case ev.ConsentGiven():
            yield Fact("scope", e.scope.value, True)
            if e.valid_until:
                yield Fact("valid_until", e.valid_until.isoformat())
            yield _id("consent_id", e.consent_id)
        case ev.ConsentWithdrawn():
            yield _id("consent_id", e.consent_id)
        case ev.NeedsAssessed():
            yield Fact("method", e.method.value, True)
            yield Fact("life_areas", ", ".join(a.value for a in e.life_areas), True)
            yield Fact("participation", e.participation.value, True)
            if e.personkrets:
                yield Fact("personkrets", e.personkrets.value, True)
            yield _id("assessment_id", e.assessment_id)
        case ev.DecisionMade():
            yield Fact("outcome", e.outcome.value, True)
            yield Fact("service", e.service.value, True)
            yield Fact("legal_basis", str(e.legal_basis))
            yield Fact("valid_from", e.valid_from.isoformat())
            if e.valid_to:
                yield Fact("valid_to", e.valid_to.isoformat())
            if e.personkrets:
                yield Fact("personkrets", e.personkrets.value, True)
            if e.communicated_on:
                yield Fact("communicated_on", e.communicated_on.isoformat())
            if e.alternatives_considered:
                yield Fact("alternatives_considered", "; ".join(e.alternatives_considered), staff=True)
            if e.least_intrusive_rationale:
                yield Fact("least_intrusive_rationale", e.least_intrusive_rationale, staff=True)
            yield _id("decision_id", e.decision_id)
            if e.terminates_decision_id:
                yield _id("terminates_decision_id", e.terminates_decision_id)
        case ev.GoalSet():
            yield Fact("life_area", e.life_area.value, True)
            yield Fact("citizen_words", e.citizen_words)
            yield Fact("formulated_by", e.formulated_by.value, True)
            yield Fact("goal_type", e.goal_type.value, True)
            if e.target_on:
                yield Fact("target_on", e.target_on.isoformat())
            if e.proxy_reason:
                yield Fact("proxy_reason", e.proxy_reason, staff=True)
            yield _id("goal_id", e.goal_id)
        case ev.PlanEstablished():
            yield Fact("plan_kind", e.plan_kind.value, True)
            yield Fact("participation", e.participation.value, True)
            yield Fact("next_follow_up_on", e.next_follow_up_on.isoformat())
            yield _id("plan_id", e.plan_id)
            if e.goal_ids:
                yield _id("goal_ids", *e.goal_ids)
        case ev.PlacementStarted():
            yield Fact("kind", e.kind.value, True)
            yield Fact("unit", names.get(e.unit_id, str(e.unit_id)))
            yield Fact("basis", e.basis.kind.value, True)
            if e.planned_end_on:
                yield Fact("planned_end_on", e.planned_end_on.isoformat())
            yield Fact("hours_per_week", str(e.hours_per_week))
            yield _id("placement_id", e.placement_id)
            yield _id("unit_id", e.unit_id)
            if e.basis.decision_id:
                yield _id("basis_decision_id", e.basis.decision_id)
        case ev.PlacementExtended():
            yield Fact("new_planned_end_on", e.new_planned_end_on.isoformat())
            yield _id("placement_id", e.placement_id)
            if e.authorising_decision_id:
                yield _id("authorising_decision_id", e.authorising_decision_id)
        case ev.PlacementInterrupted() | ev.PlacementEnded():
            yield Fact("reason", e.reason.value, True)
            yield _id("placement_id", e.placement_id)
        case ev.PlacementResumed():
            yield _id("placement_id", e.placement_id)
        case ev.FollowUpRecorded():
            if e.goal_results:
                goals = [names.get(g.goal_id) for g in e.goal_results]
                if all(goals):  # the goals in the citizen's words, numbered as their results are ordered
                    words = [w for w in goals if w]
                    yield Fact("goals", words[0] if len(words) == 1 else _numbered(words))
                yield Fact("goal_results", ", ".join(g.result.value for g in e.goal_results), True)
            yield Fact("participation", e.participation.value, True)
            yield Fact("status", e.status.value, True)
            if e.next_follow_up_on:
                yield Fact("next_follow_up_on", e.next_follow_up_on.isoformat())
            yield _id("follow_up_id", e.follow_up_id)
            if e.goal_results:  # in the order of the results above
                yield _id("goal_ids", *(g.goal_id for g in e.goal_results))
        case ev.TransferredToLssDailyActivity():
            yield Fact("unit", names.get(e.to_unit_id, str(e.to_unit_id)))
            yield Fact("hours_per_week", str(e.hours_per_week))
            yield _id("from_placement_id", e.from_placement_id)
            yield _id("placement_id", e.placement_id)
            yield _id("to_unit_id", e.to_unit_id)
            yield _id("lss_decision_id", e.lss_decision_id)
        case ev.ExitedToWork():
            yield Fact("employment_form", e.employment_form.value, True)
            yield Fact("extent_pct", str(e.extent_pct))
            yield Fact("employer_sector", e.employer_sector.value, True)
            if e.subsidy:
                yield Fact("subsidy", e.subsidy.value, True)
        case ev.ExitedToStudies():
            yield Fact("study_kind", e.study_kind.value, True)
            yield Fact("extent_pct", str(e.extent_pct))
        case ev.CaseClosed():
            yield Fact("reason", e.reason.value, True)
        case ev.EntryCorrected():
            yield Fact("occurred_on", e.replacement.occurred_on.isoformat())
            yield from facts(e.replacement, names)
            yield Fact("reason", e.reason)
        case ev.EntryRetracted():
            yield Fact("reason", e.reason)


def _numbered(words: list[str]) -> str:
    return " ".join(f"({n}) {w}" for n, w in enumerate(words, 1))


def _id(key: str, *ids: uuid.UUID) -> Fact:
    return Fact(key, ", ".join(str(i) for i in ids), staff=True)
