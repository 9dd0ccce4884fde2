"""A synthetic municipality, recorded, projected and one case replayed: ``python -m rehabcore.demo``.

Deterministic from a seed. Two work-rehabilitation units like Återbruket take people referred from income
support for time-limited work training, and some people with LSS decisions for daily activity; in autumn 2025
Bredbyn refocuses on rehabilitation only and its LSS participants move to a daily-activity unit without a gap
(S1). Lotsen is a day activity for social psychiatry (S3). About 200 people over two years.

Each person is a small script (a generator) that yields ``(date, command)`` and is sent back what happened, so
it can react to a rule the way a case worker would: a full unit means waiting and asking again.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import enum
import heapq
import random
import sys
import uuid
import zoneinfo
from collections.abc import Callable, Generator, Iterator
from typing import Any

import rehabcore as rc
from rehabcore import demo_outcomes  # #18
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.state import CaseState
from rehabcore.i18n import _, default_language, ngettext, number, using

Script = Generator[tuple[dt.date, cmd.Command], "rc.Handled | rc.RuleViolation", None]

START = dt.date(2024, 9, 2)
END = dt.date(2026, 8, 31)
REFOCUS = dt.date(2025, 10, 1)
NEW_SOL = dt.date(2025, 7, 1)  # SoL 2025:400 replaces SoL 2001:453
NS = uuid.UUID("5d1e6c1a-4f7e-4c4e-9d55-0b6f1c2a2284")
GOALS = (
    "Jag vill ha ett riktigt jobb med lön",
    "Komma iväg på morgonen fyra dagar i veckan",
    "Lära mig laga mat till fler än mig själv",
    "Jeg vil gerne arbejde med træ igen",
    "Ha någonstans att gå och några att prata med",
    "Klara en hel arbetsdag i butiken",
)


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NS, "/".join(map(str, parts)))


class Municipality:
    """The units, the staff, the clock, and the queue of scripts."""

    def __init__(self, store: rc.EventStore, seed: int, sealer: Any = None) -> None:
        self.rng = random.Random(seed)
        self.today = START
        self.cases = rc.Cases(store, today=lambda: self.today, tenant="kommun-2284", sealer=sealer)
        self.staff = [rc.Actor(id=f"hand-{n:03d}", role=v.Role.CASE_WORKER, unit="AME") for n in range(1, 7)]
        self.lss_officer = rc.Actor(id="lss-001", role=v.Role.LSS_OFFICER, unit="LSS-handläggning")
        self.units = {name: _id("unit", name) for name in ("bjasta", "bredbyn", "solrosen", "lotsen")}
        self.queue: list[tuple[dt.date, int, Script, cmd.Command]] = []
        self.seq = 0
        self.rejected: collections.Counter[str] = collections.Counter()
        self.warned: collections.Counter[str] = collections.Counter()
        self.people: list[uuid.UUID] = []
        self.transferred: list[uuid.UUID] = []
        #: When entries are recorded (#11); None: as fast as the store's own clock runs.
        self.recording: RecordingTimes | None = None

    def add(self, script: Script) -> None:
        self._next(script, None)

    def _next(self, script: Script, reply: rc.Handled | rc.RuleViolation | None) -> None:
        try:
            when, command = script.send(reply) if reply is not None else next(script)
        except StopIteration:
            return
        self.seq += 1
        heapq.heappush(self.queue, (when, self.seq, script, command))

    def run(self) -> None:
        while self.queue:
            when, _seq, script, command = heapq.heappop(self.queue)
            if when > END:
                continue
            if self.recording is not None and self.recording.defer(self, when, script, command):
                continue  # recorded later: back in the queue at the day the case worker gets to it
            self.today = max(self.today, when)
            if self.recording is not None:
                self.recording.stamp(self.today)
            if callable(command):  # a step decided when its day comes (IVO's report, #11)
                command = command()
            actor = self.lss_officer if _is_lss(command) else self.rng.choice(self.staff)
            reply: rc.Handled | rc.RuleViolation
            try:
                reply = self.cases.handle(command, actor=actor)
                self.warned.update(w.rule_id for w in reply.warnings)
            except rc.RuleViolation as err:
                self.rejected[err.rule_id] += 1
                reply = err
            self._next(script, reply)


def _is_lss(command: cmd.Command) -> bool:
    return isinstance(command, cmd.MakeDecision) and command.service is v.ServiceKind.LSS_DAILY_ACTIVITY


def _sol_basis(on: dt.date) -> v.LegalBasis:
    return v.LegalBases.SOL_ASSISTANCE_2025 if on >= NEW_SOL else v.LegalBases.SOL_ASSISTANCE_2001


def register_units(m: Municipality) -> Script:
    """The units, and the refocusing of Bredbyn with its LSS participants moved to Solrosen."""
    rehab = (v.PlacementKind.WORK_TRAINING, v.PlacementKind.INTERNSHIP, v.PlacementKind.WORK_ASSESSMENT)
    wide = (*rehab, v.PlacementKind.DAILY_ACTIVITY)
    for key, name, kind, cap, offers in (
        ("bjasta", "Återbruket Bjästa", v.UnitKind.WORK_REHABILITATION, 26, wide),
        ("bredbyn", "Återbruket Bredbyn", v.UnitKind.WORK_REHABILITATION, 20, wide),
        (
            "solrosen",
            "Solrosen daglig verksamhet",
            v.UnitKind.LSS_DAILY_ACTIVITY,
            14,
            (v.PlacementKind.DAILY_ACTIVITY,),
        ),
        ("lotsen", "Lotsen", v.UnitKind.OPEN_ACTIVITY, 20, (v.PlacementKind.OCCUPATION,)),
    ):
        yield (
            START - dt.timedelta(days=30),
            cmd.RegisterUnit(
                unit_id=m.units[key],
                registered_on=START - dt.timedelta(days=30),
                name=name,
                kind=kind,
                jurisdiction=v.Jurisdiction.SE,
                capacity=cap,
                offers=offers,
            ),
        )
    # "Nobody has to leave Återbruket until we can offer that person a new daily activity": new places first.
    yield (
        REFOCUS - dt.timedelta(days=14),
        cmd.ChangeUnitCapacity(
            unit_id=m.units["solrosen"], effective_on=REFOCUS - dt.timedelta(days=14), capacity=34
        ),
    )
    yield from refocus_dialogues(m)
    for case_id in list(m.people):
        try:
            state = m.cases.get(case_id)
        except rc.UnknownCase:  # referred later in the story
            continue
        for p in state.active_placements(REFOCUS):
            if p.unit_id == m.units["bredbyn"] and p.is_lss_daily_activity and p.basis.decision_id:
                reply = yield (
                    REFOCUS,
                    cmd.TransferToLssDailyActivity(
                        case_id=case_id,
                        from_placement_id=p.placement_id,
                        placement_id=_id(case_id, "dv-solrosen"),
                        to_unit_id=m.units["solrosen"],
                        lss_decision_id=p.basis.decision_id,
                        start_on=REFOCUS,
                        hours_per_week=p.hours_per_week,
                        reason=v.EndReason.UNIT_REFOCUS,
                    ),
                )
                if isinstance(reply, rc.Handled):
                    m.transferred.append(case_id)
    yield (
        REFOCUS,
        cmd.ChangeUnitPurpose(
            unit_id=m.units["bredbyn"],
            effective_on=REFOCUS,
            kind=v.UnitKind.WORK_REHABILITATION,
            offers=rehab,
        ),
    )


def refocus_dialogues(m: Municipality) -> Script:
    """#12: before Bredbyn refocuses, a dialogue with each LSS participant and an offer of a new one.

    Two weeks ahead, each participant (for some, their god man is informed) says what they want and is
    offered Solrosen. The first is first offered Bjästa and declines in their own words, so they stay at
    Bredbyn until the Solrosen offer starts; their decision is reconsidered after the dialogue (omprövning:
    it stands, so no ground is needed).
    """
    day = REFOCUS - 14 * DAY
    participants = []
    for case_id in list(m.people):
        try:
            state = m.cases.get(case_id)
        except rc.UnknownCase:  # referred later in the story
            continue
        for p in state.active_placements(day):
            if p.unit_id == m.units["bredbyn"] and p.is_lss_daily_activity and p.basis.decision_id:
                participants.append((case_id, p.basis.decision_id))
    for n, (case_id, decision_id) in enumerate(participants):
        informed = (v.DialogueParty.GOOD_MAN,) if n % 3 == 0 else ()
        yield (
            day,
            cmd.HoldDialogue(
                case_id=case_id,
                dialogue_id=_id(case_id, "refocus-dialogue"),
                held_on=day,
                took_part=(v.DialogueParty.PERSON, v.DialogueParty.CASE_WORKER, v.DialogueParty.UNIT_STAFF),
                informed=informed,
                citizen_words="Jag vill fortsätta med trä och vara med mina arbetskamrater",
            ),
        )
        if n == 0:
            yield day, _offer(m, case_id, decision_id, "bjasta", day)
            yield (
                day,
                cmd.DeclineOffer(
                    case_id=case_id,
                    offer_id=_id(case_id, "offer", "bjasta"),
                    declined_on=day,
                    citizen_words="Jag vill inte till Bjästa, mina arbetskamrater ska till Solrosen",
                ),
            )
            yield (
                day,
                cmd.ReconsiderDecision(
                    case_id=case_id,
                    decision_id=decision_id,
                    reconsidered_on=day,
                    outcome=v.DecisionOutcome.GRANT,
                    effective_from=day,
                    reasons="Omprövat efter samtalet om Bredbyns nya inriktning: beslutet står fast",
                    decided_by=_decider(m, v.ServiceKind.LSS_DAILY_ACTIVITY),
                ),
            )
        yield day, _offer(m, case_id, decision_id, "solrosen", day)


def _offer(
    m: Municipality, case_id: uuid.UUID, decision_id: uuid.UUID, unit: str, on: dt.date
) -> cmd.MakeOffer:
    return cmd.MakeOffer(
        case_id=case_id,
        offer_id=_id(case_id, "offer", unit),
        offered_on=on,
        unit_id=m.units[unit],
        kind=v.PlacementKind.DAILY_ACTIVITY,
        offered_from=REFOCUS,
        decision_id=decision_id,
    )


Reply = rc.Handled | rc.RuleViolation
Step = Generator[tuple[dt.date, cmd.Command], Reply, dt.date | None]
DAY = dt.timedelta(days=1)


def _place(
    m: Municipality,
    case_id: uuid.UUID,
    units: list[str],
    kind: v.PlacementKind,
    basis: v.Basis,
    start: dt.date,
    weeks: int | None,
) -> Step:
    """Ask the units in turn for a place; wait a fortnight and ask again while they are full."""
    day = start
    for _attempt in range(10):
        for key in units:
            reply = yield (
                day,
                cmd.StartPlacement(
                    case_id=case_id,
                    placement_id=_id(case_id, "placement", kind),
                    unit_id=m.units[key],
                    kind=kind,
                    basis=basis,
                    start_on=day,
                    hours_per_week=m.rng.choice((10, 15, 20, 30)),
                    planned_end_on=day + dt.timedelta(weeks=weeks) if weeks else None,
                ),
            )
            if isinstance(reply, rc.Handled):
                return day
        day += 14 * DAY
    return None


def _follow_ups(
    m: Municipality, case_id: uuid.UUID, goal: uuid.UUID, first: dt.date, until: dt.date, every: int
) -> Step:
    """Follow up every ``every`` days while the case has a placement."""
    day, n = first, 0
    while day < until:
        n += 1
        state = m.cases.get(case_id)
        if not state.open_placements() or not state.is_open:
            return None
        result = m.rng.choice(
            (v.GoalResult.PARTLY_ACHIEVED, v.GoalResult.NOT_ACHIEVED, v.GoalResult.PARTLY_ACHIEVED)
        )
        results = (v.GoalOutcome(goal_id=goal, result=result),) if state.goals[goal].is_open else ()
        yield (
            day,
            cmd.RecordFollowUp(
                case_id=case_id,
                follow_up_id=_id(case_id, "follow-up", n),
                follow_up_on=day,
                goal_results=results,
                participation=v.Participation.FULL,
                status=v.FollowUpStatus.CONTINUE,
                next_follow_up_on=day + dt.timedelta(days=every),
            ),
        )
        day += dt.timedelta(days=every)
    return None


def _intake(
    m: Municipality, n: int, opened: dt.date, source: v.ReferralSource, service: v.ServiceKind
) -> Generator[tuple[dt.date, cmd.Command], Reply, tuple[uuid.UUID, uuid.UUID, dt.date]]:
    """Open, referral, assessment and the citizen's own goal: the same start for everyone."""
    case_id = _id("case", n)
    m.people.append(case_id)
    yield (
        opened,
        cmd.OpenCase(
            case_id=case_id,
            subject_id=_id("subject", n),
            opened_on=opened,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=source,
        ),
    )
    yield (
        opened,
        cmd.ReceiveReferral(
            case_id=case_id,
            referral_id=_id(case_id, "referral"),
            received_on=opened,
            source=source,
            requested_service=service,
        ),
    )
    day = opened + m.rng.randint(7, 21) * DAY
    lss = service is v.ServiceKind.LSS_DAILY_ACTIVITY
    if lss:  # an LSS insats is decided on the person's request (LSS 8 §, #12)
        yield (
            opened,
            cmd.ReceiveApplication(
                case_id=case_id,
                application_id=_id(case_id, "application"),
                received_on=opened,
                applicant=v.Applicant.PERSON,
                requested_service=service,
                form=v.ApplicationForm.WRITTEN,
            ),
        )
    yield (
        day,
        cmd.AssessNeeds(
            case_id=case_id,
            assessment_id=_id(case_id, "assessment"),
            assessed_on=day,
            method=v.AssessmentMethod.IBIC,
            life_areas=(v.LifeArea.WORK_AND_EDUCATION, m.rng.choice(list(v.LifeArea))),
            participation=v.Participation.FULL,
            personkrets=m.rng.choice((v.Personkrets.GROUP_1, v.Personkrets.GROUP_1, v.Personkrets.GROUP_2))
            if lss
            else None,
        ),
    )
    goal = _id(case_id, "goal")
    by = m.rng.choices(
        (v.FormulatedBy.CITIZEN, v.FormulatedBy.JOINTLY, v.FormulatedBy.PROFESSIONAL), (6, 3, 1)
    )[0]
    yield (
        day,
        cmd.SetGoal(
            case_id=case_id,
            goal_id=goal,
            set_on=day,
            life_area=v.LifeArea.WORK_AND_EDUCATION,
            citizen_words=m.rng.choice(GOALS),
            formulated_by=by,
            goal_type=v.GoalType.DEVELOP,
            proxy_reason="Personen bad handläggaren formulera målet"
            if by is v.FormulatedBy.PROFESSIONAL
            else None,
        ),
    )
    return case_id, goal, day


def _decide(
    m: Municipality,
    case_id: uuid.UUID,
    key: str,
    on: dt.date,
    basis: v.LegalBasis,
    service: v.ServiceKind,
    valid_to: dt.date | None = None,
    personkrets: v.Personkrets | None = None,
) -> Generator[tuple[dt.date, cmd.Command], Reply, uuid.UUID]:
    decision = _id(case_id, "decision", key)
    yield (
        on,
        cmd.MakeDecision(
            case_id=case_id,
            decision_id=decision,
            decided_on=on,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=basis,
            service=service,
            valid_from=on,
            valid_to=valid_to,
            personkrets=personkrets,
            alternatives_considered=("Arbetsförmedlingens insatser", "Öppen verksamhet"),
            least_intrusive_rationale="Insatsen ges nära hemmet och på deltid",
            communicated_on=on,
            reasons="Du behöver insatsen för att nå ditt mål, och behovet tillgodoses inte på annat sätt",
            decided_by=_decider(m, service),
            appeal_info_given=True,
            application_id=_id(case_id, "application")
            if service is v.ServiceKind.LSS_DAILY_ACTIVITY
            else None,
        ),
    )
    return decision


_ON_REQUEST = (v.ServiceKind.LSS_DAILY_ACTIVITY,)


def _decider(m: Municipality, service: v.ServiceKind) -> v.Official:
    """Who decides (FL 31 §): the LSS officer for LSS, else the first case worker, by delegation."""
    if service is v.ServiceKind.LSS_DAILY_ACTIVITY:
        return v.Official(id=m.lss_officer.id, role=v.Role.LSS_OFFICER, delegation="LSS 3.2")
    return v.Official(id=m.staff[0].id, role=v.Role.CASE_WORKER, delegation="SoL 2.1")


def _plan(m: Municipality, case_id: uuid.UUID, goal: uuid.UUID, on: dt.date, kind: v.PlanKind) -> Step:
    yield (
        on,
        cmd.EstablishPlan(
            case_id=case_id,
            plan_id=_id(case_id, "plan"),
            established_on=on,
            plan_kind=kind,
            goal_ids=(goal,),
            participation=v.Participation.FULL,
            next_follow_up_on=on + 90 * DAY,
        ),
    )
    return None


def work_rehabilitation(m: Municipality, n: int, opened: dt.date) -> Script:
    """Income support → time-limited work training at Återbruket → work, studies or back to square one."""
    case_id, goal, day = yield from _intake(
        m, n, opened, v.ReferralSource.INCOME_SUPPORT, v.ServiceKind.WORK_REHABILITATION
    )
    basis = v.Basis.required_activity()
    if m.rng.random() < 0.5:
        decision = yield from _decide(
            m, case_id, "sol", day, _sol_basis(day), v.ServiceKind.WORK_REHABILITATION, day + 200 * DAY
        )
        basis = v.Basis.sol(decision)
    yield from _plan(m, case_id, goal, day, v.PlanKind.IMPLEMENTATION_PLAN)
    weeks = m.rng.choice((12, 13, 16, 20, 26))
    started = yield from _place(
        m,
        case_id,
        m.rng.sample(["bjasta", "bredbyn"], 2),
        v.PlacementKind.WORK_TRAINING,
        basis,
        day + 7 * DAY,
        weeks,
    )
    if started is None:
        yield (
            day + 150 * DAY,
            cmd.CloseCase(case_id=case_id, closed_on=day + 150 * DAY, reason=v.CloseReason.OTHER),
        )
        return
    end = started + dt.timedelta(weeks=weeks)
    yield from _follow_ups(m, case_id, goal, started + 90 * DAY, end, 90)
    if m.rng.random() < 0.3:
        on = end - 14 * DAY
        decision = yield from _decide(
            m, case_id, "extension", on, _sol_basis(on), v.ServiceKind.WORK_REHABILITATION, end + 120 * DAY
        )
        yield (
            on,
            cmd.ExtendPlacement(
                case_id=case_id,
                placement_id=_id(case_id, "placement", v.PlacementKind.WORK_TRAINING),
                extended_on=on,
                new_planned_end_on=end + 8 * 7 * DAY,
                authorising_decision_id=decision,
            ),
        )
        end += 8 * 7 * DAY
    yield from _leave(m, case_id, end, work=0.35, studies=0.2)


def _leave(m: Municipality, case_id: uuid.UUID, on: dt.date, work: float, studies: float) -> Script:
    roll = m.rng.random()
    if roll < work:
        form = m.rng.choice((v.EmploymentForm.OPEN, v.EmploymentForm.SUBSIDISED, v.EmploymentForm.SHELTERED))
        subsidy = {
            v.EmploymentForm.SUBSIDISED: m.rng.choice(
                (v.SubsidyType.NYSTARTSJOBB, v.SubsidyType.LONEBIDRAG_ANSTALLNING)
            ),
            v.EmploymentForm.SHELTERED: v.SubsidyType.SAMHALL,
        }.get(form)
        yield (
            on,
            cmd.ExitToWork(
                case_id=case_id,
                exit_on=on,
                employment_form=form,
                employer_sector=m.rng.choice(list(v.EmployerSector)),
                extent_pct=m.rng.choice((50, 75, 100)),
                subsidy=subsidy,
                term=v.EmploymentTerm.PERMANENT,  # #18: so Kolada's "work lasting a month" can be read
            ),
        )
        reason = v.CloseReason.EXITED
    elif roll < work + studies:
        yield (
            on,
            cmd.ExitToStudies(
                case_id=case_id,
                exit_on=on,
                study_kind=m.rng.choice((v.StudyKind.KOMVUX, v.StudyKind.FOLKHOGSKOLA)),
                extent_pct=m.rng.choice((50, 100)),
            ),
        )
        reason = v.CloseReason.EXITED
    else:
        for p in m.cases.get(case_id).open_placements():
            yield (
                on,
                cmd.EndPlacement(
                    case_id=case_id, placement_id=p.placement_id, end_on=on, reason=v.EndReason.COMPLETED
                ),
            )
        reason = v.CloseReason.GOAL_REACHED
    yield on + 30 * DAY, cmd.CloseCase(case_id=case_id, closed_on=on + 30 * DAY, reason=reason)


def lss_daily_activity(m: Municipality, n: int, opened: dt.date) -> Script:
    """An LSS decision for daily activity, executed at Återbruket or Solrosen, followed up twice a year."""
    case_id, goal, day = yield from _intake(
        m, n, opened, v.ReferralSource.LSS_OFFICER, v.ServiceKind.LSS_DAILY_ACTIVITY
    )
    group = m.cases.get(case_id).assessments[-1].personkrets
    decision = yield from _decide(
        m,
        case_id,
        "lss",
        day,
        v.LegalBases.LSS_DAILY_ACTIVITY,
        v.ServiceKind.LSS_DAILY_ACTIVITY,
        personkrets=group,
    )
    yield from _plan(m, case_id, goal, day, v.PlanKind.LSS_INDIVIDUAL_PLAN)
    units = ["bredbyn", "bjasta", "solrosen"] if day < REFOCUS - 60 * DAY else ["solrosen", "bjasta"]
    started = yield from _place(
        m, case_id, units, v.PlacementKind.DAILY_ACTIVITY, v.Basis.lss(decision), day + 14 * DAY, None
    )
    if started is None:
        return
    if m.rng.random() < 0.15:
        pause = started + m.rng.randint(60, 200) * DAY
        placement = _id(case_id, "placement", v.PlacementKind.DAILY_ACTIVITY)
        back = pause + m.rng.randint(30, 120) * DAY
        yield (
            pause,
            cmd.InterruptPlacement(
                case_id=case_id,
                placement_id=placement,
                interrupted_on=pause,
                reason=v.InterruptionReason.ILLNESS,
            ),
        )
        yield back, cmd.ResumePlacement(case_id=case_id, placement_id=placement, resumed_on=back)
    if m.rng.random() < 0.1:
        yield from _follow_ups(m, case_id, goal, started + 180 * DAY, started + 400 * DAY, 180)
        yield from _leave(m, case_id, started + 420 * DAY, work=1.0, studies=0.0)
    else:
        yield from _follow_ups(m, case_id, goal, started + 180 * DAY, END, 180)


def social_psychiatry(m: Municipality, n: int, opened: dt.date) -> Script:
    """Day activity at Lotsen, on a SoL decision or as open activity; some move on to studies."""
    case_id, goal, day = yield from _intake(
        m, n, opened, v.ReferralSource.PSYCHIATRY, v.ServiceKind.SOL_OCCUPATION
    )
    basis = v.Basis.voluntary()
    if m.rng.random() < 0.5:
        decision = yield from _decide(m, case_id, "sol", day, _sol_basis(day), v.ServiceKind.SOL_OCCUPATION)
        basis = v.Basis.sol(decision)
    yield from _plan(m, case_id, goal, day, v.PlanKind.IMPLEMENTATION_PLAN)
    started = yield from _place(
        m, case_id, ["lotsen"], v.PlacementKind.OCCUPATION, basis, day + 7 * DAY, None
    )
    if started is None:
        return
    stay = started + m.rng.randint(180, 480) * DAY
    yield from _follow_ups(m, case_id, goal, started + 120 * DAY, stay, 120)
    if m.rng.random() < 0.6:
        yield from _leave(m, case_id, stay, work=0.1, studies=0.4)


def build(
    store: rc.EventStore,
    seed: int = 2284,
    people: int = 200,
    recording: RecordingTimes | None = None,
    vault: Any = None,
) -> Municipality:
    """Record the whole synthetic municipality into ``store``; with ``recording`` (the clock ``store`` was
    opened with), each entry at a simulated recording time, one quarter's IVO report marked sent; through the
    identity ``vault`` when given."""
    m = Municipality(store, seed, sealer=vault)
    if vault is not None:
        enrol(vault, people)
    if recording is not None:
        m.recording = recording
        m.add(ivo_quarter_sent(m, IVO_SENT_QUARTER, IVO_SENT_ON))
    kinds: tuple[Callable[[Municipality, int, dt.date], Script], ...] = (
        work_rehabilitation,
        lss_daily_activity,
        social_psychiatry,
    )
    for n in range(people):
        opened = START + m.rng.randint(0, 600) * DAY
        m.add(m.rng.choices(kinds, weights=(6, 2, 2))[0](m, n, opened))
    m.add(register_units(m))
    m.run()
    return m


# --- what the demo prints -----------------------------------------------------------------------------------


def summary(m: Municipality, on: dt.date = END) -> Iterator[str]:
    """People by status, exits by destination, occupancy per unit, rules in action."""
    states = [m.cases.get(case_id) for case_id in m.people]
    people = ngettext("{n} person", "{n} people", len(states))
    events = m.cases.store.head_position()
    yield ngettext(
        "{people}, {n} event recorded, situation on {on}",
        "{people}, {n} events recorded, situation on {on}",
        events,
        people=people,
        on=on,
    )
    yield ""
    yield _("People by status")
    by_status = [
        (_word(status), count)
        for status, count in collections.Counter(s.status for s in states).most_common()
    ]
    yield from _column(by_status, 12)
    yield ""
    yield _("Exits by destination")
    exits: collections.Counter[str] = collections.Counter()
    for s in states:
        for e in s.exits:
            exits[_destination(e)] += 1
    yield from _column(sorted(exits.items()), 42)
    yield ""
    yield from _occupancy(m, on)
    yield ""
    yield _(
        "Rules in action: commands rejected {rejected}; warnings {warned}",
        rejected=_counts(m.rejected),
        warned=_counts(m.warned),
    )
    lss_moved = [c for c in m.transferred if _continuous(m.cases.get(c))]
    yield ngettext(
        "Refocus of Bredbyn {on}: {n} LSS participant moved to Solrosen, {unbroken} of them with no day "
        "without daily activity",
        "Refocus of Bredbyn {on}: {n} LSS participants moved to Solrosen, {unbroken} of them with no day "
        "without daily activity",
        len(m.transferred),
        on=REFOCUS,
        unbroken=len(lss_moved),
    )
    yield from _offers_line(m, states)


def _word(member: Any) -> str:
    """An enum member (or a stored value) by its word in the language the demo speaks (the value itself if
    it has none)."""
    from rehabcore.audit.labels import MissingLabel, member_label
    from rehabcore.cli.stats_words import word
    from rehabcore.i18n import current_language

    if not isinstance(member, enum.Enum):
        return word(member)
    try:
        return member_label(member, current_language())
    except MissingLabel:
        return str(member.value)


def _column(rows: list[tuple[str, int]], width: int) -> Iterator[str]:
    """Words and counts, the counts lined up right of the longest word."""
    width = max([width, *(len(what) for what, _n in rows)])
    for what, count in rows:
        yield f"  {what:<{width}} {number(count):>4}"


def _occupancy(m: Municipality, on: dt.date) -> Iterator[str]:
    """Places, occupied and free per unit, the header's words right-aligned over the rows' numbers."""
    title, columns = _("Occupancy on {on}", on=on), (_("places"), _("occupied"), _("free"))
    rows = []
    for key, unit_id in m.units.items():
        u = m.cases.unit(unit_id)
        rows.append((u.name or key, (u.capacity_on(on), u.occupied_on(on), u.free_on(on))))
    name = max([len(title) - 2, *(len(n) for n, _c in rows)])
    widths = [max(len(c), 4) for c in columns]
    yield f"{title:<{name + 2}} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
    for unit, counts in rows:
        yield f"  {unit:<{name}} " + " ".join(f"{n:>{w}}" for n, w in zip(counts, widths, strict=True))


def _offers_line(m: Municipality, states: list[CaseState]) -> Iterator[str]:
    """#12: the refocus worklist, the offers made and declined, the decisions reconsidered."""
    from rehabcore.projections.refocus import refocus_worklist

    stages = collections.Counter(r.stage.value for r in refocus_worklist(m.cases.store, END))
    offers = [o for s in states for o in s.offers.values()]
    reconsidered = sum(1 for _ in m.cases.store.read_all(types=["rehab.DecisionReconsidered"]))
    yield _(
        "Refocus worklist: {stages}; offers made {made}, declined {declined}; decisions reconsidered "
        "{reconsidered}",
        stages=_counts(collections.Counter({_stage(k): n for k, n in stages.items()})),
        made=len(offers),
        declined=sum(o.is_declined for o in offers),
        reconsidered=reconsidered,
    )


def _stage(stage: str) -> str:
    from rehabcore.projections.refocus import Stage

    try:
        return _word(Stage(stage))
    except ValueError:
        return stage


def _destination(e: ev.ExitedToWork | ev.ExitedToStudies | ev.ExitedElsewhere) -> str:
    if isinstance(e, ev.ExitedElsewhere):  # #18
        return _word(e.destination)
    if isinstance(e, ev.ExitedToWork):
        form = _word(e.employment_form) + (f" ({_word(e.subsidy)})" if e.subsidy else "")
        return _("work, {form}", form=form)
    return _("studies, {kind}", kind=_word(e.study_kind))


def _counts(counter: collections.Counter[str]) -> str:
    return ", ".join(f"{rule}×{n}" for rule, n in sorted(counter.items())) or _("none")


def _continuous(state: CaseState) -> bool:
    eve, day = REFOCUS - DAY, REFOCUS
    return any(p.is_lss_daily_activity for p in state.active_placements(eve)) and any(
        p.is_lss_daily_activity for p in state.active_placements(day)
    )


def history(m: Municipality, case_id: uuid.UUID) -> Iterator[str]:
    """One case, step by step, and proof that folding its stored events again gives the same state."""
    from rehabcore.audit.labels import event_label
    from rehabcore.i18n import current_language

    recorded = m.cases.history(case_id)
    yield ngettext(
        "History of case {case} ({n} event)",
        "History of case {case} ({n} events)",
        len(recorded),
        case=case_id,
    )
    lang = current_language()
    what = [event_label(type(r.event), lang) for r in recorded]
    roles = [_word(v.Role(r.metadata["actor"]["role"])) for r in recorded]
    width, role_width = max([30, *map(len, what)]), max([12, *map(len, roles)])
    for r, name, role in zip(recorded, what, roles, strict=True):
        who = f"{role:<{role_width}} {r.metadata['actor']['id']:<8}"
        yield f"  v{r.version:<3} {r.event.occurred_on}  {name:<{width}} {who} {_detail(r.event)}".rstrip()
    from rehabcore.domain import fold_case

    replayed = fold_case(r.event for r in recorded)  # type: ignore[misc]
    same = replayed == m.cases.get(case_id)
    yield _(
        "Replayed from the store: status {status}, version {version}, identical to the live state: {same}",
        status=_word(replayed.status),
        version=replayed.version,
        same=_("yes") if same else _("no"),
    )


def _detail(e: ev.Event) -> str:
    match e:
        case ev.DecisionMade():
            return _(
                "{outcome} {service} under {basis}",
                outcome=_word(e.outcome),
                service=_word(e.service),
                basis=e.legal_basis,
            )
        case ev.PlacementStarted():
            return _("{kind} on {basis}", kind=_word(e.kind), basis=_word(e.basis.kind))
        case ev.TransferredToLssDailyActivity():
            return _("to Solrosen, no gap")
        case ev.PlacementEnded():
            return _word(e.reason)
        case ev.ExitedToWork() | ev.ExitedToStudies():
            return _destination(e)
        case ev.GoalSet():
            return _("{area}, formulated by {by}", area=_word(e.life_area), by=_word(e.formulated_by))
    return ""


# --- recording times and IVO's quarterly report (#11) -----------------------------------------------------

IVO_SENT_QUARTER = v.Quarter(2026, 1)
IVO_SENT_ON = dt.date(2026, 4, 8)
_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")


class RecordingTimes:
    """The store's clock in the demo: each entry recorded the day a case worker gets to it, in office hours.

    Most entries are recorded on their business day; about one in six a few days later, one in forty
    two to six weeks later (a follow-up written up after the holidays). A deferred entry waits in the queue,
    so recording times only grow with the store's positions, as they do in a real store.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed + 11)
        self.moment = dt.datetime.combine(START, dt.time(7, 30), tzinfo=_ZONE).astimezone(dt.UTC)
        # By command id, never id(command): a collected command's id() is reused by a later one, which was
        # then never deferred, so the demo recorded a different history from run to run.
        self._deferred: set[uuid.UUID] = set()
        self.late = 0

    def __call__(self) -> dt.datetime:
        return self.moment

    def defer(self, m: Municipality, when: dt.date, script: Script, command: cmd.Command) -> bool:
        """Put ``command`` back in the queue at a later day, once, for some entries; True if it was."""
        if callable(command) or command.command_id in self._deferred:
            return False
        roll = self.rng.random()
        days = self.rng.randint(14, 42) if roll < 0.025 else self.rng.randint(1, 5) if roll < 0.17 else 0
        if days == 0:
            return False
        self._deferred.add(command.command_id)
        self.late += days >= 14
        m.seq += 1
        heapq.heappush(m.queue, (when + days * DAY, m.seq, script, command))
        return True

    def stamp(self, today: dt.date) -> None:
        """The moment the next entry is recorded: on ``today``, in office hours, after the previous one."""
        opening = dt.datetime.combine(today, dt.time(8, 0), tzinfo=_ZONE).astimezone(dt.UTC)
        at = opening + dt.timedelta(minutes=self.rng.randint(0, 8 * 60))
        self.moment = max(at, self.moment + dt.timedelta(seconds=self.rng.randint(20, 240)))


def ivo_quarter_sent(m: Municipality, quarter: v.Quarter, on: dt.date) -> Script:
    """On ``on``, the quarter's report to IVO, as the read models have it then, is marked sent."""
    from rehabcore.projections import ReadModels, Runner

    def report() -> cmd.Command:
        runner = Runner(m.cases.store)
        runner.catch_up()
        try:
            return ReadModels(runner.target).ivo_report(quarter, "2284").submission(on)
        finally:
            runner.target.close()

    yield on, report  # type: ignore[misc]


def ivo_summary(m: Municipality) -> Iterator[str]:
    """What the demo says of IVO's report: the quarter sent and the next one's lines."""
    from rehabcore.projections import ReadModels, Runner

    runner = Runner(m.cases.store)
    runner.catch_up()
    try:
        models = ReadModels(runner.target)
        sent = models.ivo_report(IVO_SENT_QUARTER, "2284")
        after = models.ivo_report(IVO_SENT_QUARTER.next(), "2284")
    finally:
        runner.target.close()
    late = m.recording.late if m.recording else 0
    yield ""
    yield ngettext(
        "IVO: {quarter} report marked sent on {on} ({n} decision);",
        "IVO: {quarter} report marked sent on {on} ({n} decisions);",
        len(sent.rows),
        quarter=IVO_SENT_QUARTER,
        on=sent.submitted_on,
    )
    changes = collections.Counter(_word(r.change) for r in after.rows)
    yield "  " + ngettext(
        "{quarter}: {n} decision, since the last report: {changes}",
        "{quarter}: {n} decisions, since the last report: {changes}",
        len(after.rows),
        quarter=after.quarter,
        changes=_counts(changes),
    )
    yield "  " + ngettext(
        "{n} entry recorded two to six weeks after the day it happened",
        "{n} entries recorded two to six weeks after the day they happened",
        late,
    )
    command = f"rehabcore ivo-report --quarter {after.quarter}"
    yield "  " + _("see: {command}", command=command)


def main(argv: list[str] | None = None) -> int:
    """Record the municipality into a store, print the summary and one case's history."""
    parser = argparse.ArgumentParser(
        prog="rehabcore demo", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--store", default="sqlite:///rehabcore-demo.sqlite", help="store URL (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=2284)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument(
        "--lang",
        choices=("sv", "en", "da"),
        default=None,
        help="sv, en or da (default: the locale's (LANG), else the municipality's: sv)",
    )
    args = parser.parse_args(argv)
    # One rule for every command: --lang, else the locale, else the jurisdiction (the demo's is Swedish).
    with using(default_language(args.lang, jurisdiction=v.Jurisdiction.SE.value)):
        return _record(args)


def _record(args: argparse.Namespace) -> int:
    recording = RecordingTimes(args.seed)
    store = rc.open_store(args.store, clock=recording)
    if store.head_position():
        print(
            _("{store} already holds events; remove it or pass another --store", store=args.store),
            file=sys.stderr,
        )
        store.close()
        return 2
    vault = open_demo_vault(args.store)
    try:
        m = build(store, args.seed, args.people, recording, vault)
        for line in summary(m):
            print(line)
        for line in ivo_summary(m):
            print(line)
        from rehabcore import demo_access  # a contracted provider, its staff, two disclosures (#16)

        for line in demo_access.record(store, END):
            print(line)
        for line in demo_outcomes.record(m, END):  # #18: follow-ups after the exit, attendance
            print(line)
        from rehabcore import demo_open  # an open activity: visits counted, never a case (#18)

        print("\n".join(demo_open.record(store, END)))
        from rehabcore import demo_plans  # plans, reviews, the person's view; IBIC and VUM 2.0 (#18)

        print(*demo_plans.record(store), sep="\n")
        print()
        shown = m.transferred[0] if m.transferred else m.people[0]
        for line in history(m, shown):
            print(line)
        if vault is not None:
            print()
            for line in privacy(m, vault, _years_on(END, 10)):
                print(line)
    finally:
        if vault is not None:
            vault.close()
        store.close()
    return 0


# --- #13 privacy: the people through the identity vault, and a retention plan ---------------------------


def open_demo_vault(store_url: str) -> Any:
    """The identity vault in the demo store's own database; None without the privacy extra or a SQL store."""
    if not store_url.startswith(("sqlite", "postgresql")):
        return None
    try:
        from rehabcore.identity import open_vault
    except ImportError:
        return None
    return open_vault(store_url)


def _personnummer(subject_id: uuid.UUID) -> str:
    """A synthetic, valid personnummer drawn from the subject id (not from the demo's random sequence)."""
    n = subject_id.int
    born = dt.date(1960, 1, 1) + dt.timedelta(days=n % (40 * 365))
    nine = f"{born:%y%m%d}{(n >> 20) % 999 + 1:03d}"
    doubled = [(d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(map(int, nine))]
    return f"{born.year}{nine[2:6]}-{nine[6:]}{(10 - sum(doubled) % 10) % 10}"


def enrol(vault: Any, people: int) -> None:
    """Every person of the demo in the identity vault, with a synthetic personnummer."""
    for n in range(people):
        vault.enrol(_id("subject", n), _personnummer(_id("subject", n)), v.Jurisdiction.SE)


def _years_on(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def privacy(m: Municipality, vault: Any, on: dt.date) -> Iterator[str]:
    """What the vault holds, how much text is sealed, and the retention plan for ``on`` (a dry run)."""
    from rehabcore import retention, sealing

    store = m.cases.store
    rows = list(store.read_all())
    sealed = sum(1 for s in rows if sealing.sealed_in(s.data))
    yield ngettext(
        "Identity vault: {n} person enrolled (numbers only there); personal text sealed with a key per case "
        "(personakt) in {sealed} of {events} events",
        "Identity vault: {n} people enrolled (numbers only there); personal text sealed with a key per case "
        "(personakt) in {sealed} of {events} events",
        len(vault.people()),
        sealed=sealed,
        events=len(rows),
    )
    plan = retention.plan(store, vault, on)
    A = retention.Action
    count = {a: sum(len(i.cases) for i in plan.of(a)) for a in A}
    yield _(
        "Retention plan on {on} (dry run): erase {erase} records, archive {archive} (research sample), kept "
        "{kept} (LSS), not yet due {not_yet}, held {held}",
        on=on,
        erase=count[A.ERASE],
        archive=count[A.ARCHIVE],
        kept=count[A.KEPT],
        not_yet=count[A.NOT_YET],
        held=count[A.HELD],
    )
    for item in plan.of(A.ERASE)[:3]:
        yield "  " + _(
            "erase subject {subject}: {regime}, last entry {last}, due {due} under {policy}",
            subject=item.subject_id,
            regime=_word(item.regime),
            last=item.last_entry_on,
            due=item.due_on,
            policy=item.policy,
        )
    listing = f"`rehabcore retention plan --on {on}`"
    yield "  " + _("… {plan} lists them all; {run} erases them", plan=listing, run="`retention run`")


if __name__ == "__main__":
    raise SystemExit(main())
