"""Retention plans and runs: who is due for erasure (gallring) on a day, and doing it (B24).

:func:`plan` reads every case record (without opening any personal text: planning needs no keys) and the
identity vault (birth days for the research sample) and says, per person and regime, what is due on a day,
under which policy, who is held and why, and who is kept. :func:`run` carries the plan out:

1. destroy the keys of the person's due records in the vault, in one transaction that also writes their
   tombstones (when and under which policy), so the keys are gone together or not at all;
2. record :class:`~rehabcore.domain.events.SubjectErased` in each record with the moment from the
   tombstone, through :class:`~rehabcore.cases.Cases`, with a command id derived from the record, so a second
   recording is a duplicate that writes nothing.

A crash between the two leaves keys destroyed and the proof not yet written: the next plan sees the
tombstones and lists the records as due again, and the rerun writes the proof with the first moment. A
record due but in the research sample is archived (:class:`~rehabcore.domain.events.ArchivedForResearch`)
instead, once.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from rehabcore import codec
from rehabcore.cases import Cases
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.retention import BOOKKEEPING, DEFAULT_SCHEDULE, ClockStart, RetentionSchedule
from rehabcore.domain.vocabulary import HoldReason, Jurisdiction, RetentionRegime, Role
from rehabcore.errors import N_
from rehabcore.i18n import _, current_language, ngettext
from rehabcore.identity.vault import Vault
from rehabcore.store import EventStore

#: Command ids of the run's entries derive from this and the record, so a rerun writes nothing twice.
_NS = uuid.UUID("0b7c3c4e-6f0e-4a55-9d7e-7b1f2c9a1e13")


class Action(enum.StrEnum):
    """What the plan says for a person's records under one regime."""

    ERASE = "erase"  # due: destroy the keys and record SubjectErased
    ARCHIVE = "archive"  # due, but in the research sample: record ArchivedForResearch, keep
    HELD = "held"  # due, but a legal hold blocks it
    UNKNOWN_IDENTITY = "unknown_identity"  # due, but the vault does not know the person's birth day
    NOT_YET = "not_yet"  # not due on the day
    KEPT = "kept"  # the rules keep it (LSS nämnd, Denmark without a local period)
    DONE = "done"  # already erased or archived


@attrs.frozen
class Record:
    """One case as the planner reads it: no personal text, only dates, bases and bookkeeping."""

    case_id: uuid.UUID
    subject_id: uuid.UUID
    jurisdiction: Jurisdiction
    regimes: frozenset[RetentionRegime]
    last_entry_on: dt.date
    closed_on: dt.date | None
    holds: tuple[HoldReason, ...]
    archived: bool
    erased: bool


@attrs.frozen
class PlanItem:
    """A person's records under one action, with the policy and dates that decided it."""

    subject_id: uuid.UUID
    action: Action
    cases: tuple[uuid.UUID, ...]
    regime: RetentionRegime
    policy: str
    last_entry_on: dt.date
    due_on: dt.date | None
    deadline: dt.date | None
    holds: tuple[HoldReason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject_id": str(self.subject_id),
            "action": self.action.value,
            "cases": [str(c) for c in self.cases],
            "regime": self.regime.value,
            "policy": self.policy,
            "last_entry_on": self.last_entry_on.isoformat(),
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "holds": [h.value for h in self.holds],
        }


@attrs.frozen
class RetentionPlan:
    """What is due on a day, and everything that is not, with why."""

    on: dt.date
    items: tuple[PlanItem, ...]

    def of(self, *actions: Action) -> list[PlanItem]:
        """The items with one of these actions."""
        return [i for i in self.items if i.action in actions]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for i in self.items:
            counts[i.action.value] = counts.get(i.action.value, 0) + 1
        return {"on": self.on.isoformat(), "counts": counts, "items": [i.to_dict() for i in self.items]}

    def text(self) -> str:
        """The plan for people: the due, the held and the unknown one per line; the rest counted."""
        lines = [_("Retention plan on {on}", on=self.on)]
        shown = (Action.ERASE, Action.ARCHIVE, Action.HELD, Action.UNKNOWN_IDENTITY)
        for action in shown:
            items = self.of(action)
            lines.append(f"{_(ACTIONS[action])}: {len(items)}")
            for i in items:
                why = (
                    " " + _("held: {reasons}", reasons=", ".join(_word(h) for h in i.holds))
                    if i.holds
                    else ""
                )
                records = ngettext("{n} record", "{n} records", len(i.cases))
                lines.append(
                    "  "
                    + _(
                        "subject {subject} {regime} last entry {last} due {due} under {policy} ({records})",
                        subject=i.subject_id,
                        regime=_word(i.regime),
                        last=i.last_entry_on,
                        due=i.due_on,
                        policy=i.policy,
                        records=records,
                    )
                    + why
                )
        rest = [a for a in Action if a not in shown]
        lines.append("; ".join(f"{_(ACTIONS[a])}: {len(self.of(a))}" for a in rest))
        return "\n".join(lines) + "\n"


#: The actions of a plan as words (marked for the catalogs; said in the current language).
ACTIONS = {
    Action.ERASE: N_("erase"),
    Action.ARCHIVE: N_("archive"),
    Action.HELD: N_("held"),
    Action.UNKNOWN_IDENTITY: N_("unknown identity"),
    Action.KEPT: N_("kept"),
    Action.NOT_YET: N_("not yet due"),
    Action.DONE: N_("done"),
}


def _word(member: enum.Enum) -> str:
    """An enum member by its word in the current language (its stored value if it has none)."""
    from rehabcore.audit.labels import MissingLabel, member_label

    try:
        return member_label(member, current_language())
    except MissingLabel:
        return str(member.value)


def read_records(store: EventStore, schedule: RetentionSchedule = DEFAULT_SCHEDULE) -> list[Record]:
    """Every case record of the store, read for retention (sealed text stays sealed)."""
    streams: dict[str, list[ev.Event]] = {}
    for stored in store.read_all():
        if stored.stream_id.startswith("case-"):
            event = codec.decode_event(stored.type, stored.schema_version, stored.data)
            streams.setdefault(stored.stream_id, []).append(event)
    records = []
    for events in streams.values():
        opened = events[0]
        if not isinstance(opened, ev.CaseOpened):
            continue
        holds: dict[uuid.UUID, HoldReason] = {}
        entries = [e for e in events if not isinstance(e, BOOKKEEPING)]
        closed_on = None
        for e in events:
            if isinstance(e, ev.RetentionHoldPlaced):
                holds[e.hold_id] = e.reason
            elif isinstance(e, ev.RetentionHoldReleased):
                holds.pop(e.hold_id, None)
            elif isinstance(e, ev.CaseClosed):
                closed_on = e.occurred_on
            elif isinstance(e, ev.CaseReopened):
                closed_on = None
        records.append(
            Record(
                case_id=opened.case_id,
                subject_id=opened.subject_id,
                jurisdiction=opened.jurisdiction,
                regimes=schedule.regimes(opened.jurisdiction, entries),  # type: ignore[arg-type]
                last_entry_on=max(e.occurred_on for e in entries),
                closed_on=closed_on,
                holds=tuple(holds.values()),
                archived=any(isinstance(e, ev.ArchivedForResearch) for e in events),
                erased=any(isinstance(e, ev.SubjectErased) for e in events),
            )
        )
    return records


def plan(
    store: EventStore, vault: Vault, on: dt.date, schedule: RetentionSchedule = DEFAULT_SCHEDULE
) -> RetentionPlan:
    """What is due on ``on``: per person, per regime, the records, the policy, the dates, the holds."""
    by_subject: dict[uuid.UUID, list[Record]] = {}
    for r in read_records(store, schedule):
        by_subject.setdefault(r.subject_id, []).append(r)
    items: list[PlanItem] = []
    for subject_id in sorted(by_subject, key=str):
        items += _plan_person(subject_id, by_subject[subject_id], vault, on, schedule)
    return RetentionPlan(on, tuple(items))


def _clock(records: list[Record], regime: RetentionRegime, start: ClockStart) -> dt.date | None:
    """The clock of a regime for one person: their last entry under it (or the last closing)."""
    under = [r for r in records if regime in r.regimes]
    if start is ClockStart.CASE_CLOSED:
        closed = [r.closed_on for r in under]
        return None if any(c is None for c in closed) else max(c for c in closed if c is not None)
    return max(r.last_entry_on for r in under)


def _plan_person(
    subject_id: uuid.UUID, records: list[Record], vault: Vault, on: dt.date, schedule: RetentionSchedule
) -> list[PlanItem]:
    holds = tuple(h for r in records for h in r.holds)
    person = vault.person(subject_id)
    groups: dict[tuple[Action, RetentionRegime, str, dt.date | None, dt.date | None], list[Record]] = {}
    for r in records:
        # The regime whose rule lets the record go last decides it (a kept regime keeps it).
        dues = []
        for regime in sorted(r.regimes):
            policy = schedule.policy(regime)
            clock = _clock(records, regime, policy.counted_from)
            due = None if clock is None else policy.due_on(clock)
            dues.append((due, regime, policy, clock))
        kept = [d for d in dues if d[0] is None]
        due, regime, policy, clock = kept[0] if kept else max(dues, key=lambda d: d[0] or dt.date.min)
        deadline = None if clock is None else policy.deadline(clock)
        sample_days = {day for _, g, p, _ in dues for day in p.research_sample_days}
        if r.erased or r.archived:
            action = Action.DONE
        elif vault.tombstone(r.case_id) is not None:
            action = Action.ERASE  # the key is gone already (a run stopped half way): write the proof
        elif due is None:
            action = Action.KEPT if policy.keep_years is None else Action.NOT_YET
        elif due > on:
            action = Action.NOT_YET
        elif holds:
            action = Action.HELD
        elif sample_days and person is None:
            action = Action.UNKNOWN_IDENTITY
        elif person is not None and person.birth_date.day in sample_days:
            action = Action.ARCHIVE
        else:
            action = Action.ERASE
        key = (action, regime, policy.ref, due, deadline)
        groups.setdefault(key, []).append(r)
    return [
        PlanItem(
            subject_id=subject_id,
            action=action,
            cases=tuple(r.case_id for r in rs),
            regime=regime,
            policy=ref,
            last_entry_on=max(r.last_entry_on for r in rs),
            due_on=due,
            deadline=deadline,
            holds=holds if action is Action.HELD else (),
        )
        for (action, regime, ref, due, deadline), rs in groups.items()
    ]


@attrs.frozen
class RunReport:
    """What a run did: records erased and archived (new this run), and the plan it followed."""

    plan: RetentionPlan
    erased: tuple[uuid.UUID, ...]
    archived: tuple[uuid.UUID, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.plan.on.isoformat(),
            "erased": [str(c) for c in self.erased],
            "archived": [str(c) for c in self.archived],
            "plan": self.plan.to_dict(),
        }


def run(
    store: EventStore,
    vault: Vault,
    on: dt.date,
    *,
    by: str,
    schedule: RetentionSchedule = DEFAULT_SCHEDULE,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    """Carry out the plan for ``on``: destroy keys and record the proof; archive the research sample.

    ``by`` is the staff id the entries are recorded by. Idempotent: a second run on the same day does nothing.
    """
    actor = cmd.Actor(id=by, role=Role.SYSTEM)
    todo = plan(store, vault, on, schedule)
    cases = Cases(store, today=lambda: on, sealer=vault)
    erased: list[uuid.UUID] = []
    archived: list[uuid.UUID] = []
    for item in todo.of(Action.ERASE):
        destroyed_at = vault.destroy_keys(item.subject_id, item.cases, policy=item.policy)
        for case_id in item.cases:
            done = cases.handle(
                cmd.EraseSubject(
                    case_id=case_id,
                    erased_on=on,
                    subject_id=item.subject_id,
                    regime=item.regime,
                    policy=item.policy,
                    key_destroyed_at=destroyed_at,
                    command_id=uuid.uuid5(_NS, f"erase/{case_id}"),
                ),
                actor=actor,
            )
            if not done.duplicate:
                erased.append(case_id)
        if progress:
            progress(1)
    for item in todo.of(Action.ARCHIVE):
        for case_id in item.cases:
            done = cases.handle(
                cmd.ArchiveForResearch(
                    case_id=case_id,
                    archived_on=on,
                    regime=item.regime,
                    policy=item.policy,
                    command_id=uuid.uuid5(_NS, f"archive/{case_id}"),
                ),
                actor=actor,
            )
            if not done.duplicate:
                archived.append(case_id)
        if progress:
            progress(1)
    return RunReport(todo, tuple(erased), tuple(archived))


def erased_subjects(records: Iterable[Record]) -> frozenset[uuid.UUID]:
    """People with at least one erased record."""
    return frozenset(r.subject_id for r in records if r.erased)
