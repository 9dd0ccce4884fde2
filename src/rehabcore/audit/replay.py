"""Replay a case step by step, and decide every recorded command again under the ruleset it names.

A step is what one command wrote to the case: the state before (on the step's business date), the command,
the events recorded, who recorded them and for whom, the legal basis, the warnings the rules raise, and the
state after. Each command is decided again on the state before it, with ``today`` the day it was recorded,
under the ruleset its metadata names (looked up by ``Ruleset.ref`` among the rulesets given). Anything that
does not add up is a :class:`Divergence`, never hidden: an entry with no command behind it, a command that
cannot be read, a ruleset not given, a command the rules now reject or decide differently.

The report is plain data (JSON-ready) and depends on nothing but the stored events: replaying twice gives
identical reports.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import orjson

from rehabcore import codec, sealing
from rehabcore.audit.history import CaseRecord, Entry, Provenance
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.case import Context, decide
from rehabcore.domain.corrections import decide_correction, fold_effective
from rehabcore.domain.evolve import fold_case
from rehabcore.domain.review import review
from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT, RuleParameters, Ruleset, RuleWarning
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import Jurisdiction, Role
from rehabcore.errors import DecodeError, InvalidInput, RuleViolation, english
from rehabcore.streams import case_stream

DEFAULT_RULESETS: tuple[Ruleset, ...] = (SWEDEN_DEFAULT, DENMARK_DEFAULT)
_ZONES = {Jurisdiction.SE: "Europe/Stockholm", Jurisdiction.DK: "Europe/Copenhagen"}


class DivergenceKind(enum.StrEnum):
    """Why a step does not add up."""

    NO_COMMAND = "no_command"  # an entry no recorded command explains
    UNREADABLE_COMMAND = "unreadable_command"  # the command in the metadata does not decode
    UNKNOWN_RULESET = "unknown_ruleset"  # the ruleset it names was not given to the replay
    REJECTED_NOW = "rejected_now"  # the rules now reject the command
    DECIDED_DIFFERENTLY = "decided_differently"  # the rules now produce other events
    WARNED_DIFFERENTLY = "warned_differently"  # the rules now warn otherwise than staff were warned


@attrs.frozen
class Divergence:
    """One thing that does not add up, at a version of the case stream.

    ``detail`` is English; a divergence made with :meth:`of` also keeps its ``template`` and typed ``values``
    so :func:`rehabcore.messages.render` can say it in Swedish or Danish (a rejection keeps the rule's own
    violation among its values, rendered in the same language).
    """

    version: int
    kind: DivergenceKind
    detail: str
    template: str | None = attrs.field(default=None, eq=False, kw_only=True)
    plural: str | None = attrs.field(default=None, eq=False, kw_only=True)
    values: Mapping[str, object] = attrs.field(factory=dict, eq=False, hash=False, kw_only=True)

    @classmethod
    def of(cls, version: int, kind: DivergenceKind, template: str, /, **values: object) -> Divergence:
        """A divergence from its English template and the values it names."""
        return cls(version, kind, english(template, None, values), template=template, values=values)

    def __str__(self) -> str:
        return f"v{self.version} {self.kind.value}: {self.detail}"


@attrs.frozen
class Step:
    """What one command did to the case. Every field is JSON-ready."""

    versions: tuple[int, ...]
    recorded_at: str
    on: str
    command_type: str | None
    command: dict[str, Any] | None
    actor: dict[str, Any]
    tenant: str | None
    correlation_id: str | None
    causation_id: str | None
    command_id: str | None
    ruleset: str | None
    legal_basis: tuple[str, ...]
    events: tuple[dict[str, Any], ...]
    warnings: tuple[dict[str, Any], ...]
    state_before: dict[str, Any]
    state_after: dict[str, Any]
    redecided: str
    divergences: tuple[Divergence, ...]
    #: The warnings staff were shown when the command was handled, when the recorder kept them
    #: (``[{"rule_id", "code"}]``); then ``warnings`` above are compared with them.
    recorded_warnings: tuple[dict[str, str], ...] | None = None
    #: The day the command was decided again as of: the recorded "today" when kept, else the recording day.
    decided_as_of: str | None = None
    #: Days between the business date the step describes and the day it was recorded, when more than the
    #: ruleset's ``late_entry_days`` (an entry recorded long after the fact); else None.
    recorded_late_by_days: int | None = None
    #: The warnings above as the rules raised them (template and typed values), for a renderer to say them
    #: in the reader's language; not part of the JSON.
    warned: tuple[RuleWarning, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class ReplayReport:
    """Every step of a case, and the divergences found."""

    case_id: str
    as_known_at: str | None
    rulesets: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def divergences(self) -> tuple[Divergence, ...]:
        """All divergences, in stream order."""
        return tuple(d for step in self.steps for d in step.divergences)

    @property
    def recorded_late(self) -> tuple[Step, ...]:
        """The steps recorded long after the business date they describe (``Step.recorded_late_by_days``)."""
        return tuple(s for s in self.steps if s.recorded_late_by_days is not None)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "case_id": self.case_id,
            "as_known_at": self.as_known_at,
            "rulesets": list(self.rulesets),
            "steps": [
                {
                    **attrs.asdict(s, recurse=False, filter=lambda a, _: a.name != "warned"),
                    "divergences": [_divergence(d) for d in s.divergences],
                }
                for s in self.steps
            ],
            "divergences": [_divergence(d) for d in self.divergences],
        }


def _divergence(d: Divergence) -> dict[str, Any]:
    return {"version": d.version, "kind": d.kind.value, "detail": d.detail}


def replay(
    record: CaseRecord, rulesets: Sequence[Ruleset] = DEFAULT_RULESETS, *, under: Ruleset | None = None
) -> ReplayReport:
    """Replay ``record`` (see :func:`rehabcore.audit.history.load_case`) step by step; with ``under``, decide
    every command under that ruleset instead of the one it names ("what if": see ``audit/impact.py``)."""
    by_ref = {r.ref: r for r in rulesets}
    if under is not None:  # every ref the record names stands for the ruleset asked about
        by_ref = {e.provenance.ruleset or "": under for e in record.entries}
    steps: list[Step] = []
    # Folded once, stepped forward: the state after a step is the state before it with the step's events
    # applied. Only a correction changes what came before, so only a correction refolds the history
    # (corrections are rare; a replay of n entries costs n steps, not n folds of up to n entries).
    prefix: list[tuple[uuid.UUID, ev.CaseEvent]] = []
    before = fold_effective(prefix)
    for group in _groups(record.entries):
        events = [(e.event_id, e.event) for e in group]
        if any(e.is_correction for e in group):
            after = fold_effective([*prefix, *events])
        else:
            after = fold_case((e for _, e in events), before)
        steps.append(_step(record.case_id, group, prefix, before, after, by_ref))
        prefix.extend(events)
        before = after
    return ReplayReport(
        str(record.case_id),
        record.as_known_at.isoformat() if record.as_known_at else None,
        (under.ref,) if under is not None else tuple(sorted(by_ref)),
        tuple(steps),
    )


def _groups(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Consecutive entries written by one command; an entry without a command id stands alone."""
    groups: list[list[Entry]] = []
    for e in entries:
        command_id = e.provenance.command_id
        if groups and command_id is not None and groups[-1][0].provenance.command_id == command_id:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _step(
    case_id: uuid.UUID,
    group: list[Entry],
    prefix: list[tuple[uuid.UUID, ev.CaseEvent]],
    before: CaseState,
    after: CaseState,
    by_ref: dict[str, Ruleset],
) -> Step:
    first = group[0]
    prov = first.provenance
    on = max(e.event.occurred_on for e in group)
    outcome, divergences, warnings, as_of = _redecide(case_id, group, prefix, before, after, by_ref)
    return Step(
        versions=tuple(e.version for e in group),
        recorded_at=first.recorded_at.isoformat(),
        on=on.isoformat(),
        command_type=prov.command.get("type") if prov.command else None,
        command=prov.command,
        actor={"id": prov.actor_id, "role": prov.role, "unit": prov.unit},
        tenant=prov.tenant,
        correlation_id=prov.correlation_id,
        causation_id=prov.causation_id,
        command_id=prov.command_id,
        ruleset=prov.ruleset,
        legal_basis=tuple(dict.fromkeys(b for e in group if (b := basis_of(e.event, after)) is not None)),
        events=tuple(_event(e) for e in group),
        warnings=tuple({"rule_id": w.rule_id, "code": w.code, "message": w.message} for w in warnings),
        warned=warnings,
        state_before=summary(before, on),
        state_after=summary(after, on),
        redecided=outcome,
        divergences=tuple(divergences),
        recorded_warnings=(
            None
            if prov.warnings is None
            else tuple({"rule_id": rule_id, "code": code} for rule_id, code in prov.warnings)
        ),
        decided_as_of=as_of.isoformat() if as_of is not None else None,
        recorded_late_by_days=_late(first, on, by_ref.get(prov.ruleset or "")),
    )


def _event(e: Entry) -> dict[str, Any]:
    return {
        "version": e.version,
        "event_id": str(e.event_id),
        "type": type(e.event).__name__,
        "data": orjson.loads(codec.dumps(e.event)),
    }


def _redecide(
    case_id: uuid.UUID,
    group: list[Entry],
    prefix: list[tuple[uuid.UUID, ev.CaseEvent]],
    before: CaseState,
    after: CaseState,
    by_ref: dict[str, Ruleset],
) -> tuple[str, list[Divergence], tuple[RuleWarning, ...], dt.date | None]:
    first = group[0]
    prov = first.provenance
    if prov.command is None and prov.command_id is None and all(e.provenance.imported for e in group):
        return (
            "imported",
            [],
            (),
            None,
        )  # appended by an import batch, named in its provenance: nothing to decide
    if prov.command is None or prov.command_id is None:
        return "not_decided", [_none(e) for e in group], (), None
    try:
        command = codec.structure_command(prov.command)
    except (DecodeError, KeyError, TypeError):
        return (
            "not_decided",
            [Divergence.of(first.version, DivergenceKind.UNREADABLE_COMMAND, "no such command")],
            (),
            None,
        )
    if str(command.command_id) != prov.command_id or not isinstance(command, cmd.CASE_COMMAND_TYPES):
        return "not_decided", [_none(e) for e in group], (), None
    strays = [
        e
        for i, e in enumerate(group)
        if e.event_id != uuid.uuid5(command.command_id, f"{_stream(case_id)}/{i}")
    ]
    if strays:
        return "not_decided", [_none(e) for e in strays], (), None
    ruleset = by_ref.get(prov.ruleset or "")
    if ruleset is None:
        unknown = Divergence.of(
            first.version,
            DivergenceKind.UNKNOWN_RULESET,
            "ruleset {ruleset} was not given to the replay; pass it to decide the command again",
            ruleset=str(prov.ruleset),
        )
        return "not_decided", [unknown], (), None
    # As of the day it was handled: the "today" the recorder kept, else the day it was recorded (local).
    today = prov.today or _local_day(first.recorded_at, ruleset)
    # Who recorded it and for whom, so that the ruleset's access policy is checked again (#16).
    ctx = Context(today=today, ruleset=ruleset, actor=_actor(prov), tenant=prov.tenant)
    recorded = [e.event for e in group]
    if any(sealing.erased_in(e) for e in recorded):
        # The entry's text was erased (its key destroyed, #13): what it said cannot be decided again, and
        # that is the erasure working, not a divergence.
        return "erased", [], (), today
    try:
        if isinstance(command, cmd.CorrectEntry | cmd.RetractEntry):
            produced = decide_correction(command, prefix, ctx)
        else:
            produced = decide(command, before, ctx)
    except RuleViolation as err:
        rejected = Divergence(
            first.version,
            DivergenceKind.REJECTED_NOW,
            f"the rules now reject it: [{err.rule_id}] {err.message}",  # English, as impact.py reads it
            template="the rules now reject it: [{rule_id}] {violation}",
            values={"rule_id": err.rule_id, "violation": err},
        )
        return "rejected", [rejected], (), today
    warnings = tuple(review(command, after, ctx))
    found = _warned(first, prov.warnings, warnings)
    if list(produced) != recorded:
        different = (
            Divergence.of(
                first.version,
                DivergenceKind.DECIDED_DIFFERENTLY,
                "the rules now decide {produced} where {recorded} was recorded",
                produced=EventNames.of(produced),
                recorded=EventNames.of(recorded),
            )
            if [type(e) for e in produced] != [type(e) for e in recorded]
            else Divergence.of(
                first.version,
                DivergenceKind.DECIDED_DIFFERENTLY,
                "the rules now decide {produced} with other values than recorded",
                produced=EventNames.of(produced),
            )
        )
        return "different", [different, *found], warnings, today
    return "same", found, warnings, today


def _actor(prov: Provenance) -> cmd.Actor | None:
    """The actor as recorded, or None when the record does not say (then a policy refuses it: A1)."""
    try:
        return cmd.Actor(id=prov.actor_id or "", role=Role(prov.role or ""), unit=prov.unit)
    except (ValueError, TypeError, InvalidInput):
        return None


_FROM_THE_VAULT = frozenset({"B22"})


def _warned(
    first: Entry, shown: tuple[tuple[str, str], ...] | None, now: tuple[RuleWarning, ...]
) -> list[Divergence]:
    """A divergence when staff were shown other warnings than the rules give now (if they were recorded)."""
    if shown is None:
        return []
    # B22 reads the person's age from the identity vault, which a replay does not open (#13).
    shown = tuple(w for w in shown if w[0] not in _FROM_THE_VAULT)
    again = tuple(sorted((w.rule_id, w.code) for w in now))
    if again == shown:
        return []
    return [
        Divergence.of(
            first.version,
            DivergenceKind.WARNED_DIFFERENTLY,
            "staff were warned {shown} when it was handled; the rules now warn {now}",
            shown=_codes(shown),
            now=_codes(again),
        )
    ]


def _codes(warnings: tuple[tuple[str, str], ...]) -> str:
    return "[" + ", ".join(f"{rule_id} {code}" for rule_id, code in warnings) + "]"


#: Used for a step whose ruleset is not known (the default parameters' threshold).
LATE_ENTRY_DAYS = RuleParameters().late_entry_days


def _late(first: Entry, on: dt.date, ruleset: Ruleset | None) -> int | None:
    """How many days after the business date the step was recorded, when that is later than the threshold."""
    threshold = ruleset.parameters.late_entry_days if ruleset is not None else LATE_ENTRY_DAYS
    zone = _ZONES[ruleset.jurisdiction] if ruleset is not None else "UTC"
    recorded = first.recorded_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
    late = (recorded - on).days
    return late if late > threshold else None


def _stream(case_id: uuid.UUID) -> str:
    return case_stream(case_id)


def _none(e: Entry) -> Divergence:
    return Divergence.of(e.version, DivergenceKind.NO_COMMAND, "no recorded command produced this entry")


@attrs.frozen
class EventNames:
    """Event class names in a divergence: ``[DecisionMade, PlacementStarted]`` in English (``str``), each
    shown by its word in the reader's language by the replay's renderer."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, events: Sequence[ev.Event]) -> EventNames:
        return cls(tuple(type(e).__name__ for e in events))

    def __str__(self) -> str:
        return "[" + ", ".join(self.names) + "]"


def _local_day(moment: dt.datetime, ruleset: Ruleset) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(_ZONES[ruleset.jurisdiction])).date()


def summary(s: CaseState, on: dt.date) -> dict[str, Any]:
    """The state in a few ids, on business date ``on``."""
    return {
        "status": s.status.value,
        "version": s.version,
        "decisions_in_force": sorted(str(d.decision_id) for d in s.decisions_in_force(on)),
        "active_placements": sorted(str(p.placement_id) for p in s.active_placements(on)),
        "open_goals": sorted(str(g.set.goal_id) for g in s.open_goals()),
    }


def basis_of(e: ev.CaseEvent, s: CaseState) -> str | None:
    """The legal basis an entry stands on, as text, if it has one."""
    match e:
        case ev.DecisionMade():
            return str(e.legal_basis)
        case ev.EntryCorrected():
            return basis_of(e.replacement, s)
        case ev.TransferredToLssDailyActivity():
            return _decision_basis(s, e.lss_decision_id)
        case ev.PlacementExtended() if e.authorising_decision_id is not None:
            return _decision_basis(s, e.authorising_decision_id)
        case ev.PlacementStarted():
            return _decision_basis(s, e.basis.decision_id) or e.basis.kind.value
        case ev.PlacementExtended() | ev.PlacementInterrupted() | ev.PlacementResumed() | ev.PlacementEnded():
            p = s.placements.get(e.placement_id)
            if p is None:
                return None
            return _decision_basis(s, p.basis.decision_id) or p.basis.kind.value
    return None


def _decision_basis(s: CaseState, decision_id: uuid.UUID | None) -> str | None:
    d = s.decisions.get(decision_id) if decision_id is not None else None
    return str(d.made.legal_basis) if d is not None else None
