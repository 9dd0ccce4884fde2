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
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from rehabcore.audit.history import CaseRecord, Entry, Provenance, Situation, decode
from rehabcore.audit.labels import YesNo
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import (
    AreaLevel,
    Basis,
    BasisKind,
    DialogueParty,
    GoalOutcome,
    GoalResult,
    Jurisdiction,
    LegalBasis,
    LifeArea,
    Official,
    PlanActivity,
    Role,
    ThemeLevel,
    VumTheme,
)
from rehabcore.store import EventStore
from rehabcore.streams import ZONES, unit_stream


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
    #: For ``word`` values: the enum they are members of (their labels are keyed by it).
    of: type[enum.Enum] | None = None

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
    #: The case's jurisdiction: its zone is the one recorded times are shown in (None: UTC).
    jurisdiction: Jurisdiction | None = None
    #: The municipality the file is from, by code and (where known) name; when it was extracted, local time.
    municipality_code: str | None = None
    municipality_name: str | None = None
    extracted_at: dt.datetime | None = None


#: Municipalities of the seed stories by code (SCB kommunkod; Danish kommunenummer). Others: pass
#: ``municipality_names`` to :func:`timeline` (or ``Audit.timeline``).
MUNICIPALITIES: dict[str, str] = {
    "2284": "Örnsköldsviks kommun",
    "1262": "Lomma kommun",
    "0580": "Linköpings kommun",
    "1880": "Örebro kommun",
    "561": "Esbjerg Kommune",
}


def timeline(
    store: EventStore,
    record: CaseRecord,
    view: View = View.STAFF,
    *,
    on: dt.date | None = None,
    municipality_names: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Timeline:
    """The timeline of ``record``; with ``on``, only entries that occurred by then, and the situation then.

    The citizen's view leaves out what a recorded secrecy assessment withholds (``AccessRestricted``), and
    says in its place that something was withheld, and when. ``now`` is the moment of extraction (the clock
    if not given), shown in the case's local time; ``municipality_names`` adds to :data:`MUNICIPALITIES`.
    """
    units = _unit_names(store, record)
    names = {**units, **_placement_units(record, units), **_goal_words(record)}
    by_id = {e.event_id: e for e in record.entries}
    withheld = _withheld(record) if view is View.CITIZEN else {}
    items = []
    for e in record.entries:
        shown = e.effective if view is View.CITIZEN else e.event
        if view is View.CITIZEN and (shown is None or e.is_correction):
            continue
        # By the date the entry is shown with (the corrected one), as the situation on ``on`` reads it.
        if on is not None and not e.is_correction and (e.effective or e.event).occurred_on > on:
            continue
        items.append(_item(e, view, names, by_id, withheld.get(e.event_id)))
    situation = record.situation(on) if on is not None else None
    opened = next((e.event for e in record.entries if isinstance(e.event, ev.CaseOpened)), None)
    code = opened.municipality_code if opened else None
    zone = ZONES[opened.jurisdiction] if opened else dt.UTC
    known = {**MUNICIPALITIES, **(municipality_names or {})}
    return Timeline(
        record.case_id,
        view,
        tuple(items),
        record.as_known_at,
        on,
        situation,
        units,
        jurisdiction=opened.jurisdiction if opened is not None else None,
        municipality_code=code,
        municipality_name=known.get(code) if code else None,
        extracted_at=(now or dt.datetime.now(dt.UTC)).astimezone(zone),
    )


def _withheld(record: CaseRecord) -> dict[uuid.UUID, ev.AccessRestricted]:
    """Entry id → the (latest) secrecy assessment that withholds some or all of it from the person."""
    found: dict[uuid.UUID, ev.AccessRestricted] = {}
    for e in record.entries:
        if isinstance(e.effective, ev.AccessRestricted):
            found[e.effective.restricted_event_id] = e.effective
    return found


def _placement_units(record: CaseRecord, units: dict[uuid.UUID, str]) -> dict[uuid.UUID, str]:
    """Each placement by the name of its unit, so an end, a pause or a move says where."""
    found: dict[uuid.UUID, str] = {}
    for e in record.entries:
        event = e.effective
        if isinstance(event, ev.PlacementStarted) and event.unit_id in units:
            found[event.placement_id] = units[event.unit_id]
        elif isinstance(event, ev.TransferredToLssDailyActivity) and event.to_unit_id in units:
            found[event.placement_id] = units[event.to_unit_id]
    return found


#: The provenance a citizen's view carries: none.
_NOBODY = Provenance(None, None, None, None, None, None, None, None, None)


def _item(
    e: Entry,
    view: View,
    names: dict[uuid.UUID, str],
    by_id: dict[uuid.UUID, Entry],
    withheld: ev.AccessRestricted | None = None,
) -> Item:
    notes = tuple(_note(by_id[i]) for i in (*e.corrected_by, *([e.retracted_by] if e.retracted_by else [])))
    concerns = None
    if isinstance(e.event, ev.EntryCorrected | ev.EntryRetracted):
        target = (
            e.event.corrected_event_id
            if isinstance(e.event, ev.EntryCorrected)
            else e.event.retracted_event_id
        )
        concerns = by_id[target].version if target in by_id else None
    elif isinstance(e.event, ev.AccessRestricted):  # the staff view says which entry it withholds
        held = by_id.get(e.event.restricted_event_id)
        concerns = held.version if held else None
    if view is View.CITIZEN:
        assert e.effective is not None
        shown: ev.CorrectableEvent = e.effective
        kind = type(shown).__name__
        extra: tuple[Fact, ...] = ()
        if withheld is not None:
            # OSL 26 kap. 5 §: left out after a recorded assessment, and the file says so and when.
            extra = (Fact("withheld_on", withheld.occurred_on.isoformat()),)
            if withheld.fields:
                shown = attrs.evolve(shown, **dict.fromkeys(withheld.fields))  # type: ignore[arg-type]
            else:
                kind = "withheld"
        details = () if kind == "withheld" else tuple(f for f in facts(shown, names) if not f.staff)
        return Item(
            e.version,
            e.event_id,
            kind,
            e.effective.occurred_on,
            e.recorded_at,
            details + extra,
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
    """Every detail of an entry, derived from its fields' types; ids and staff reasoning marked ``staff``.

    Dates, numbers and texts are shown as they are, enum members as words (``Fact.of`` names their enum),
    ids as ids; a ``Basis``, a ``LegalBasis`` and a follow-up's goal results have their own reading below.
    Field metadata (``ev.STAFF``, ``ev.NOT_SHOWN``, ``ev.NAMED``) says what the type cannot. Only the case
    and the entry a correction concerns are left out: the timeline's heading and its ``→ vN`` say them.
    ``names`` gives units their names and goals the citizen's words, where the record has them. Empty
    values are left out; ids come after the other details.
    """
    details: list[Fact] = []
    ids: list[Fact] = []
    for name, tp, meta in _fields(type(e)):
        value = getattr(e, name)
        if value is None or value == ():
            continue
        for fact in _read(name, tp, value, meta, names):
            (ids if fact.is_id else details).append(fact)
    yield from details
    yield from ids


#: Fields no entry repeats: the day is the entry's own column, the case the page's.
_NOT_REPEATED = frozenset({"occurred_on", "case_id"})


_FIELDS: dict[type[Any], tuple[tuple[str, Any, Mapping[Any, Any]], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, Any, Mapping[Any, Any]], ...]:
    """The shown fields of an event class, with their types resolved, in the order they are declared."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELDS[cls] = tuple(
            (f.name, _unwrap_optional(hints[f.name]), f.metadata)
            for f in attrs.fields(cls)
            if f.name not in _NOT_REPEATED and not f.metadata.get(ev.NOT_SHOWN)
        )
    return found


def _unwrap_optional(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return tp


def _read(
    name: str, tp: Any, value: Any, meta: Mapping[Any, Any], names: dict[uuid.UUID, str]
) -> Iterator[Fact]:
    """The facts one field of an entry shows."""
    staff = bool(meta.get(ev.STAFF))
    item = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else None
    if tp is uuid.UUID:
        if ev.NAMED in meta:
            yield Fact(meta[ev.NAMED], names.get(value, str(value)))
        yield _id(name, value)
    elif item is uuid.UUID:
        yield _id(name, *value)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        yield Fact(name, value.value, True, staff, of=tp)
    elif isinstance(item, type) and issubclass(item, enum.Enum):
        yield Fact(name, ", ".join(m.value for m in value), True, staff, of=item)
    elif item is str:
        yield Fact(name, "; ".join(value), staff=staff)
    elif tp in _READINGS:
        yield from _READINGS[tp](name, value, names)
    elif item in _READINGS:
        yield from _READINGS[item](name, value, names)
    elif tp == ev.CorrectableEvent:
        yield Fact("occurred_on", value.occurred_on.isoformat())
        yield from facts(value, names)
    elif tp is dt.date:
        yield Fact(name, value.isoformat(), staff=staff)
    else:  # text and numbers
        yield Fact(name, str(value), staff=staff)


def _basis(_name: str, basis: Basis, _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    yield Fact("basis", basis.kind.value, True, of=BasisKind)
    if basis.decision_id:
        yield _id("basis_decision_id", basis.decision_id)


def _legal_basis(name: str, basis: LegalBasis, _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    yield Fact(name, str(basis))


def _goal_results(name: str, results: tuple[GoalOutcome, ...], names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    goals = [names.get(g.goal_id) for g in results]
    if all(goals):  # the goals in the citizen's words, numbered as their results are ordered
        words = [w for w in goals if w]
        yield Fact("goals", words[0] if len(words) == 1 else _numbered(words))
    yield Fact(name, ", ".join(g.result.value for g in results), True, of=GoalResult)
    yield _id("goal_ids", *(g.goal_id for g in results))  # in the order of the results above


def _official(name: str, who: Official, _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    # Who decided is part of the decision (FL 31 §): shown to the person too, with the role decided in.
    yield Fact(name, who.id)
    yield Fact("decided_by_role", who.role.value, True, of=Role)
    if who.delegation:
        yield Fact("delegation", who.delegation)


def _yes_no(name: str, value: bool, _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    yield Fact(name, "yes" if value else "no", True, of=YesNo)


# --- #18 plans and assessment: an activity as what, who, when and how followed up; levels beside their areas


def _activities(_name: str, items: tuple[PlanActivity, ...], _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    for a in items:
        yield Fact("what", a.what)
        yield Fact("who", a.who.value, True, of=DialogueParty)
        yield Fact("when", a.when)
        yield Fact("follow_up", a.follow_up)


def _area_levels(name: str, items: tuple[AreaLevel, ...], _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    yield Fact(name, ", ".join(f.area.value for f in items), True, of=LifeArea)
    yield Fact("levels", ", ".join(str(f.level) for f in items))


def _theme_levels(name: str, items: tuple[ThemeLevel, ...], _names: dict[uuid.UUID, str]) -> Iterator[Fact]:
    yield Fact(name, ", ".join(t.theme.value for t in items), True, of=VumTheme)
    yield Fact("levels", ", ".join(str(t.level) for t in items))


#: Value types with a reading of their own: field name, value, names → facts.
_READINGS: dict[Any, Callable[[str, Any, dict[uuid.UUID, str]], Iterator[Fact]]] = {
    Official: _official,
    bool: _yes_no,
    Basis: _basis,
    LegalBasis: _legal_basis,
    GoalOutcome: _goal_results,
    # --- #18
    PlanActivity: _activities,
    AreaLevel: _area_levels,
    ThemeLevel: _theme_levels,
}


def _numbered(words: list[str]) -> str:
    return " ".join(f"({n}) {w}" for n, w in enumerate(words, 1))


def _id(key: str, *ids: uuid.UUID) -> Fact:
    return Fact(key, ", ".join(str(i) for i in ids), staff=True)
