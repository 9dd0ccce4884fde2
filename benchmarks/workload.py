"""The workload: realistic rehabilitation cases as real rehabcore commands, and their events.

A case of 20 events is 19 commands: open, referral, consent, assessment, decision, two goals, plan, placement
start, follow-up, interruption, resumption, follow-up, extension decision, extension, goal, follow-up,
consent, and an exit to work (which ends the placement: two events). A placement start takes a place at a
unit and the exit gives it back, so each case also writes two unit events. Longer cases repeat a
follow-up / interruption / resumption / goal cycle before the exit.

Everything is derived from the case number, so every side and every repetition gets the same bytes.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from typing import Any

import attrs

from rehabcore import Actor, Cases, InMemoryStore
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import (
    AssessmentMethod,
    Basis,
    ConsentScope,
    DecisionOutcome,
    EmployerSector,
    EmploymentForm,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalResult,
    GoalType,
    InterruptionReason,
    Jurisdiction,
    LegalBases,
    LifeArea,
    Participation,
    PlacementKind,
    PlanKind,
    ReferralSource,
    Role,
    ServiceKind,
    UnitKind,
)

TODAY = dt.date(2026, 1, 15)
ACTOR = Actor(id="staff-4711", role=Role.CASE_WORKER, unit="amc-nord")
N_UNITS = 50
_NS = uuid.UUID("6f1d2c3e-6a55-4d0e-9a4b-2b7e3f0c9d11")


def today() -> dt.date:
    """The fixed 'today' every side decides against."""
    return TODAY


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NS, "/".join(map(str, parts)))


def unit_id(n: int) -> uuid.UUID:
    """The id of unit ``n``."""
    return _id("unit", n)


def unit_commands() -> list[cmd.RegisterUnit]:
    """The units the placements go to (registered before any timing starts)."""
    return [
        cmd.RegisterUnit(
            unit_id=unit_id(n),
            registered_on=dt.date(2020, 1, 1),
            name=f"Arbetsmarknadsenheten {n}",
            kind=UnitKind.WORK_REHABILITATION,
            jurisdiction=Jurisdiction.SE,
            capacity=10_000,
            offers=(PlacementKind.WORK_TRAINING, PlacementKind.INTERNSHIP),
            command_id=_id("register", n),
        )
        for n in range(N_UNITS)
    ]


def case_commands(case_no: int, n_events: int = 20) -> list[cmd.CaseCommand]:
    """The commands of one case, producing exactly ``n_events`` case events (20 or more)."""
    if n_events < 20 or (n_events - 20) % 4:
        raise ValueError("n_events is 20 plus a multiple of 4")
    case_id = _id("case", case_no)
    i = iter(range(10_000))

    def nid() -> uuid.UUID:
        return _id("case", case_no, next(i))

    d0 = dt.date(2024, 1, 8) + dt.timedelta(days=case_no % 90)

    def d(days: int) -> dt.date:
        return d0 + dt.timedelta(days=days)

    decision, goal1, goal2, placement = nid(), nid(), nid(), nid()
    decision2 = nid()
    c = {"case_id": case_id}
    out: list[cmd.CaseCommand] = [
        cmd.OpenCase(
            **c,
            subject_id=nid(),
            opened_on=d(0),
            jurisdiction=Jurisdiction.SE,
            municipality_code="0180",
            source=ReferralSource.EMPLOYMENT_SERVICE,
        ),
        cmd.ReceiveReferral(
            **c,
            referral_id=nid(),
            received_on=d(2),
            source=ReferralSource.EMPLOYMENT_SERVICE,
            requested_service=ServiceKind.WORK_REHABILITATION,
        ),
        cmd.GiveConsent(
            **c, consent_id=nid(), given_on=d(3), scope=ConsentScope.EMPLOYMENT_SERVICE, valid_until=d(365)
        ),
        cmd.AssessNeeds(
            **c,
            assessment_id=nid(),
            assessed_on=d(10),
            method=AssessmentMethod.IBIC,
            life_areas=(LifeArea.WORK_AND_EDUCATION, LifeArea.COMMUNITY_LIFE, LifeArea.SELF_CARE),
            participation=Participation.FULL,
        ),
        cmd.MakeDecision(
            **c,
            decision_id=decision,
            decided_on=d(14),
            outcome=DecisionOutcome.GRANT,
            legal_basis=LegalBases.sol_assistance(d(14)),
            service=ServiceKind.WORK_REHABILITATION,
            valid_from=d(14),
            valid_to=d(379),
            alternatives_considered=("praktik via Arbetsförmedlingen",),
            least_intrusive_rationale="arbetsträning nära hemmet räcker",
            communicated_on=d(15),
        ),
        cmd.SetGoal(
            **c,
            goal_id=goal1,
            set_on=d(20),
            life_area=LifeArea.WORK_AND_EDUCATION,
            citizen_words="Jag vill kunna arbeta fyra timmar om dagen på ett lager",
            formulated_by=FormulatedBy.CITIZEN,
            goal_type=GoalType.DEVELOP,
            target_on=d(200),
        ),
        cmd.SetGoal(
            **c,
            goal_id=goal2,
            set_on=d(20),
            life_area=LifeArea.COMMUNITY_LIFE,
            citizen_words="Jag vill åka buss själv till jobbet",
            formulated_by=FormulatedBy.JOINTLY,
            goal_type=GoalType.DEVELOP,
            target_on=d(120),
        ),
        cmd.EstablishPlan(
            **c,
            plan_id=nid(),
            established_on=d(21),
            plan_kind=PlanKind.IMPLEMENTATION_PLAN,
            goal_ids=(goal1, goal2),
            participation=Participation.FULL,
            next_follow_up_on=d(60),
        ),
        cmd.StartPlacement(
            **c,
            placement_id=placement,
            unit_id=unit_id(case_no % N_UNITS),
            kind=PlacementKind.WORK_TRAINING,
            basis=Basis.sol(decision),
            start_on=d(28),
            hours_per_week=20,
            planned_end_on=d(28 + 180),
        ),
    ]

    def follow_up(on: int) -> cmd.RecordFollowUp:
        return cmd.RecordFollowUp(
            **c,
            follow_up_id=nid(),
            follow_up_on=d(on),
            goal_results=(
                GoalOutcome(goal1, GoalResult.PARTLY_ACHIEVED),
                GoalOutcome(goal2, GoalResult.NOT_ACHIEVED),
            ),
            participation=Participation.FULL,
            status=FollowUpStatus.CONTINUE,
            next_follow_up_on=d(on + 60),
        )

    def interrupt(on: int) -> cmd.InterruptPlacement:
        return cmd.InterruptPlacement(
            **c, placement_id=placement, interrupted_on=d(on), reason=InterruptionReason.ILLNESS
        )

    def resume(on: int) -> cmd.ResumePlacement:
        return cmd.ResumePlacement(**c, placement_id=placement, resumed_on=d(on))

    def goal(on: int) -> cmd.SetGoal:
        return cmd.SetGoal(
            **c,
            goal_id=nid(),
            set_on=d(on),
            life_area=LifeArea.SELF_CARE,
            citizen_words="Jag vill laga min egen lunch",
            formulated_by=FormulatedBy.CITIZEN,
            goal_type=GoalType.MAINTAIN,
        )

    out += [
        follow_up(60),
        interrupt(70),
        resume(84),
        follow_up(120),
        cmd.MakeDecision(
            **c,
            decision_id=decision2,
            decided_on=d(190),
            outcome=DecisionOutcome.GRANT,
            legal_basis=LegalBases.sol_assistance(d(190)),
            service=ServiceKind.WORK_REHABILITATION,
            valid_from=d(190),
            valid_to=d(420),
            least_intrusive_rationale="förlängning enligt plan",
            communicated_on=d(191),
        ),
        cmd.ExtendPlacement(
            **c,
            placement_id=placement,
            extended_on=d(195),
            new_planned_end_on=d(300),
            authorising_decision_id=decision2,
        ),
        goal(196),
        follow_up(240),
        cmd.GiveConsent(**c, consent_id=nid(), given_on=d(250), scope=ConsentScope.SOCIAL_INSURANCE),
    ]
    day = 250
    for _ in range((n_events - 20) // 4):
        out += [follow_up(day + 1), interrupt(day + 2), resume(day + 3), goal(day + 4)]
        day += 4
    out.append(
        cmd.ExitToWork(
            **c,
            exit_on=d(day + 10),
            employment_form=EmploymentForm.OPEN,
            employer_sector=EmployerSector.PRIVATE,
            extent_pct=75,
        )
    )
    return out


@attrs.frozen
class Step:
    """One command and the events it records: on its case, and on the unit it takes a place at (if any)."""

    command: cmd.CaseCommand
    case_events: tuple[ev.CaseEvent, ...]
    unit_id: uuid.UUID | None
    unit_events: tuple[ev.UnitEvent, ...]


@attrs.frozen
class Case:
    """A case's id and its steps in order."""

    case_id: uuid.UUID
    steps: tuple[Step, ...]

    @property
    def events(self) -> list[ev.CaseEvent]:
        """All of the case's events, in order."""
        return [e for s in self.steps for e in s.case_events]


@attrs.frozen
class Workload:
    """``cases`` cases of ``events_per_case`` events, with the events each command produces."""

    cases: tuple[Case, ...]
    units: tuple[cmd.RegisterUnit, ...]
    unit_events: tuple[ev.UnitRegistered, ...]

    @property
    def case_events(self) -> int:
        """Events written to case streams."""
        return sum(len(s.case_events) for c in self.cases for s in c.steps)

    @property
    def all_events(self) -> int:
        """Events written to case and unit streams (the unit registrations excluded)."""
        return sum(len(s.case_events) + len(s.unit_events) for c in self.cases for s in c.steps)

    def interleaved_steps(self) -> Iterator[tuple[Case, Step]]:
        """Every case's steps, case by case (a case worker records one case's history at a time)."""
        for case in self.cases:
            for step in case.steps:
                yield case, step


def build(n_cases: int, events_per_case: int = 20, first: int = 0) -> Workload:
    """Decide every command once on an in-memory store, to learn the events each side records.

    Cases are numbered from ``first``: workloads with disjoint ranges can share one store.
    """
    cases = Cases(InMemoryStore(), today=today)
    units = unit_commands()
    registered: list[ev.UnitRegistered] = []
    for u in units:
        registered += cases.handle(u, actor=ACTOR).events  # type: ignore[arg-type]
    built = []
    for n in range(first, first + n_cases):
        steps = []
        for command in case_commands(n, events_per_case):
            handled = cases.handle(command, actor=ACTOR)
            case_events = tuple(e for e in handled.events)
            unit_events: tuple[ev.UnitEvent, ...] = ()
            touched = None
            if len(handled.appended) > 1:
                touched = uuid.UUID(handled.appended[1].stream_id.removeprefix("unit-"))
                stored = cases.store.read_stream(handled.appended[1].stream_id)
                unit_events = (_decode_last(stored),)
            steps.append(Step(command, case_events, touched, unit_events))  # type: ignore[arg-type]
        built.append(Case(_id("case", n), tuple(steps)))
    return Workload(tuple(built), tuple(units), tuple(registered))


def _decode_last(stored: list[Any]) -> Any:
    from rehabcore import codec

    last = stored[-1]
    return codec.decode_event(last.type, last.schema_version, last.data)


def plain(value: Any) -> Any:
    """An event's fields as the peer stores them: enums by value, tuples as lists, nested values as dicts.

    UUIDs and dates stay typed (the peer transcodes them), so both sides decode to typed values.
    """
    if isinstance(value, enum.Enum):
        return value.value
    if attrs.has(type(value)):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value
