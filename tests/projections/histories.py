"""Lifelike case histories for the projection properties.

``rehabcore.testing.strategies.case_scripts`` draws any command at any date, which tests the rules well but
gets most placements rejected. The read models need histories that get far: decisions, placements on them,
pauses, extensions, follow-ups, transfers, exits, closing and reopening. Here dates move forward step by
step and commands refer to ids drawn earlier, so most are accepted (and some still break a rule).

Corrections and retractions need the stored id of an entry that was accepted, which only the store knows: a
script holds an :class:`Amend` for them, and :func:`aim` turns it into a ``CorrectEntry`` or ``RetractEntry``
against the case as recorded so far, just before it is handled.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

import attrs
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore import codec
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.corrections import effective
from rehabcore.testing.strategies import BASE_DATE, Pools

_KINDS = (v.PlacementKind.WORK_TRAINING, v.PlacementKind.INTERNSHIP, v.PlacementKind.OCCUPATION)
MOVES = (
    "lss_decision",
    "sol_decision",
    "rehab_placement",
    "lss_placement",
    "sol_placement",
    "interrupt",
    "resume",
    "extend",
    "follow_up",
    "plan",
    "end",
    "transfer",
    "exit_work",
    "exit_studies",
    "close",
    "reopen",
    "terminate",
    # The moves the read models look at closely come up more often.
    "lss_decision",
    "lss_placement",
    "transfer",
    "transfer",
    "interrupt",
    "resume",
    "extend",
    # Corrections and retractions of entries already recorded (see Amend).
    "retract",
    "retract_placement",
    "retract_placement",
    "retract_exit",
    "retract_exit",
    "move",
    "move",
    "shift",
    "alter",
    "alter",
)
AMENDS = ("retract", "retract_placement", "retract_exit", "move", "shift", "alter")


#: The employment forms the histories leave for: those before #18. The municipal form reads as any other in
#: these read models, and keeping the draw as it was keeps the counts ``test_the_histories_really_correct_and_
#: retract_entries`` checks (derandomized) what they were.
FORMS = [f for f in v.EmploymentForm if f is not v.EmploymentForm.MUNICIPAL]


@attrs.frozen
class Amend:
    """A correction or retraction to aim, when the history is recorded, at one of the case's entries as they
    count then: ``retract`` it (``retract_placement``: a placement's start; ``retract_exit``: an exit or a
    closing), ``move`` a placement to ``unit``, ``shift`` its date by ``days``, or ``alter`` a value the read
    models show. ``back`` picks the entry among those that fit, counting back from the latest."""

    case_id: uuid.UUID
    on: dt.date
    action: str
    back: int
    days: int
    unit: uuid.UUID


#: What a script holds: commands, and corrections still to aim.
Step = cmd.Command | Amend


def aim(amend: Amend, store: rc.EventStore) -> cmd.Command | None:
    """The ``CorrectEntry`` or ``RetractEntry`` that ``amend`` asks for; None if no entry of the case fits."""
    stored = store.read_stream(rc.case_stream(amend.case_id))
    entries = [(s.event_id, codec.decode_event(s.type, s.schema_version, s.data)) for s in stored]
    now = effective(entries)  # type: ignore[arg-type]
    changes = [(i, new) for i, e in now if (new := _changed(amend, e)) is not None]
    if not changes:
        return None
    event_id, replacement = changes[-1 - amend.back % len(changes)]
    reason = f"test: {amend.action}"
    if isinstance(replacement, bool):
        return cmd.RetractEntry(
            case_id=amend.case_id, event_id=event_id, retracted_on=amend.on, reason=reason
        )
    return cmd.CorrectEntry(
        case_id=amend.case_id,
        event_id=event_id,
        corrected_on=amend.on,
        replacement=replacement,
        reason=reason,
    )


def _changed(amend: Amend, e: ev.CorrectableEvent) -> ev.CorrectableEvent | bool | None:
    """The entry as ``amend`` would have it (True: retract it), or None when it does not apply to ``e``."""
    if isinstance(e, ev.CaseOpened):
        return None  # the opening is never retracted, and its date is where every other date starts
    match amend.action:
        case "retract":
            return True
        case "retract_placement" if isinstance(e, ev.PlacementStarted | ev.TransferredToLssDailyActivity):
            return True
        case "retract_exit" if isinstance(e, ev.ExitedToWork | ev.ExitedToStudies | ev.CaseClosed):
            return True
        case "shift":
            return attrs.evolve(e, occurred_on=e.occurred_on + dt.timedelta(days=amend.days))
        case "move" if isinstance(e, ev.PlacementStarted) and e.unit_id != amend.unit:
            return attrs.evolve(e, unit_id=amend.unit)
        case "move" if isinstance(e, ev.TransferredToLssDailyActivity) and e.to_unit_id != amend.unit:
            return attrs.evolve(e, to_unit_id=amend.unit)
    return _altered(e, amend.days) if amend.action == "alter" else None


def _altered(e: ev.CorrectableEvent, days: int) -> ev.CorrectableEvent | None:
    """Another value in a field the read models show."""
    later = dt.timedelta(days=abs(days) + 1)
    match e:
        case ev.ExitedToWork():
            form = v.EmploymentForm.OPEN if e.employment_form.needs_subsidy else v.EmploymentForm.SUBSIDISED
            subsidy = v.SubsidyType.NYSTARTSJOBB if form.needs_subsidy else None
            return attrs.evolve(e, employment_form=form, subsidy=subsidy)
        case ev.ExitedToStudies():
            kind = v.StudyKind.KOMVUX if e.study_kind is not v.StudyKind.KOMVUX else v.StudyKind.SFI
            return attrs.evolve(e, study_kind=kind)
        case ev.CaseClosed():
            reason = v.CloseReason.MOVED if e.reason is not v.CloseReason.MOVED else v.CloseReason.OTHER
            return attrs.evolve(e, reason=reason)
        case ev.PlacementEnded():
            own = v.EndReason.OWN_CHOICE
            return attrs.evolve(e, reason=own if e.reason is not own else v.EndReason.COMPLETED)
        case ev.PlacementStarted() if e.planned_end_on is not None:
            return attrs.evolve(e, planned_end_on=e.planned_end_on + later)
        case ev.PlacementExtended():
            return attrs.evolve(e, new_planned_end_on=e.new_planned_end_on + later)
        case ev.DecisionMade():  # only what does not alter the decision may be corrected (D3, #12)
            return attrs.evolve(e, communicated_on=e.occurred_on - later)
        case ev.PlanEstablished():
            return attrs.evolve(e, next_follow_up_on=e.next_follow_up_on + later)
        case ev.FollowUpRecorded():
            return attrs.evolve(e, next_follow_up_on=e.occurred_on + later)
    return None


def register_units(units: tuple[uuid.UUID, ...]) -> list[cmd.Command]:
    """Small units, so that capacity (B15) bites now and then; each offers every kind."""
    return [
        cmd.RegisterUnit(
            unit_id=unit_id,
            registered_on=BASE_DATE,
            name=f"Enhet {n}",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=2 + n,
            offers=tuple(v.PlacementKind),
        )
        for n, unit_id in enumerate(units)
    ]


@st.composite
def lifelike(draw: st.DrawFn, pools: Pools, max_moves: int = 20) -> list[Step]:
    """One case from opening on: moves drawn one after another, each a few days or weeks after the last."""
    case_id = pools.case_id
    day = BASE_DATE + dt.timedelta(days=draw(st.integers(0, 40)))
    ids = iter(uuid.UUID(int=case_id.int * 1000 + n) for n in range(10_000))
    out: list[Step] = [
        cmd.OpenCase(
            case_id=case_id,
            subject_id=uuid.UUID(int=case_id.int + 77),
            opened_on=day,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=draw(st.sampled_from(list(v.ReferralSource))),
        ),
        cmd.AssessNeeds(
            case_id=case_id,
            assessment_id=next(ids),
            assessed_on=day,
            method=v.AssessmentMethod.IBIC,
            life_areas=(v.LifeArea.WORK_AND_EDUCATION,),
            participation=v.Participation.FULL,
            personkrets=draw(st.sampled_from([v.Personkrets.GROUP_1, v.Personkrets.GROUP_2, None])),
        ),
    ]
    lss: list[uuid.UUID] = []
    sol: list[uuid.UUID] = []
    placements: list[uuid.UUID] = []
    for _ in range(draw(st.integers(2, max_moves))):
        day += dt.timedelta(days=draw(st.integers(0, 75)))
        move = draw(st.sampled_from(MOVES))
        base: dict[str, Any] = {"case_id": case_id}
        pick_placement = st.sampled_from(placements) if placements else st.just(next(ids))
        if move in AMENDS:
            days = draw(st.integers(-20, 20).filter(bool))
            unit = draw(st.sampled_from(pools.units))
            # Mostly the latest entries that fit: later entries stand on older ones, which are refused more.
            back = draw(st.sampled_from([0, 0, 0, 1, 1, 2, 4]))
            out.append(Amend(case_id, day, move, back, days, unit))
        elif move in ("lss_decision", "sol_decision"):
            new = next(ids)
            (lss if move == "lss_decision" else sol).append(new)
            if move == "lss_decision":  # an LSS insats is decided on request (LSS 8 §, #12)
                out.append(
                    cmd.ReceiveApplication(
                        **base,
                        application_id=uuid.UUID(int=new.int + 5000),
                        received_on=day,
                        applicant=v.Applicant.PERSON,
                        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                        form=v.ApplicationForm.ORAL,
                    )
                )
            out.append(_decision(draw, base, new, day, move == "lss_decision"))
        elif move.endswith("placement"):
            new = next(ids)
            placements.append(new)
            out.append(_placement(draw, base, new, day, move, pools, lss, sol))
        elif move == "interrupt":
            reason = draw(st.sampled_from(list(v.InterruptionReason)))
            out.append(
                cmd.InterruptPlacement(
                    **base, placement_id=draw(pick_placement), interrupted_on=day, reason=reason
                )
            )
        elif move == "resume":
            out.append(cmd.ResumePlacement(**base, placement_id=draw(pick_placement), resumed_on=day))
        elif move == "extend":
            out.append(
                cmd.ExtendPlacement(
                    **base,
                    placement_id=draw(pick_placement),
                    extended_on=day,
                    new_planned_end_on=day + dt.timedelta(days=draw(st.integers(30, 120))),
                    authorising_decision_id=draw(st.sampled_from(sol)) if sol else None,
                )
            )
        elif move in ("follow_up", "plan"):
            out.append(_follow_up(draw, base, next(ids), day, move == "plan"))
        elif move == "end":
            why = draw(st.sampled_from(list(v.EndReason)))
            out.append(
                cmd.EndPlacement(
                    **base, placement_id=draw(pick_placement), end_on=day, reason=why, **_ground(draw)
                )
            )
        elif move == "transfer" and lss:
            new = next(ids)
            placements.append(new)
            out.append(
                cmd.TransferToLssDailyActivity(
                    **base,
                    from_placement_id=draw(pick_placement),
                    placement_id=new,
                    to_unit_id=draw(st.sampled_from(pools.units)),
                    lss_decision_id=draw(st.sampled_from(lss)),
                    start_on=day,
                    hours_per_week=20,
                )
            )
        elif move == "exit_work":
            form = draw(st.sampled_from(FORMS))
            subsidy = v.SubsidyType.NYSTARTSJOBB if form.needs_subsidy else None
            out.append(
                cmd.ExitToWork(
                    **base,
                    exit_on=day,
                    employment_form=form,
                    employer_sector=v.EmployerSector.PRIVATE,
                    extent_pct=100,
                    subsidy=subsidy,
                )
            )
        elif move == "exit_studies":
            kind = draw(st.sampled_from(list(v.StudyKind)))
            out.append(cmd.ExitToStudies(**base, exit_on=day, study_kind=kind, extent_pct=50))
        elif move == "close":
            out.append(
                cmd.CloseCase(**base, closed_on=day, reason=draw(st.sampled_from(list(v.CloseReason))))
            )
        elif move == "reopen":
            out.append(cmd.ReopenCase(**base, reopened_on=day))
        elif move == "terminate" and (lss or sol):
            ended = draw(st.sampled_from(lss + sol))
            out.append(_terminate(base, next(ids), ended, day, ended in lss))
    return out


def _ground(draw: st.DrawFn) -> dict[str, Any]:
    """Often a B9 ground (#12), so that LSS participants can leave daily activity in these histories too."""
    ground = draw(st.none() | st.sampled_from(list(v.ContinuityGround)))
    words = "vill sluta" if ground is v.ContinuityGround.OWN_WISH or draw(st.booleans()) else None
    return {"ground": ground, "citizen_words": words}


def _decision(
    draw: st.DrawFn, base: dict[str, Any], new: uuid.UUID, day: dt.date, is_lss: bool
) -> cmd.Command:
    valid_to = draw(st.none() | st.integers(20, 300).map(lambda n: day + dt.timedelta(days=n)))
    outcome = draw(st.sampled_from([v.DecisionOutcome.GRANT] * 3 + [v.DecisionOutcome.REJECT]))
    return cmd.MakeDecision(
        **base,
        decision_id=new,
        decided_on=day,
        outcome=outcome,
        reasons=None if outcome is v.DecisionOutcome.GRANT else "behovet tillgodoses på annat sätt",
        application_id=uuid.UUID(int=new.int + 5000) if is_lss else None,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY if is_lss else v.LegalBases.sol_assistance(day),
        service=v.ServiceKind.LSS_DAILY_ACTIVITY if is_lss else v.ServiceKind.WORK_REHABILITATION,
        valid_from=day + dt.timedelta(days=draw(st.integers(0, 10))),
        valid_to=valid_to,
        personkrets=v.Personkrets.GROUP_1 if is_lss else None,
    )


def _terminate(
    base: dict[str, Any], new: uuid.UUID, ended: uuid.UUID, day: dt.date, is_lss: bool
) -> cmd.Command:
    return cmd.MakeDecision(
        **base,
        decision_id=new,
        decided_on=day,
        outcome=v.DecisionOutcome.TERMINATE,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY if is_lss else v.LegalBases.sol_assistance(day),
        service=v.ServiceKind.LSS_DAILY_ACTIVITY if is_lss else v.ServiceKind.WORK_REHABILITATION,
        valid_from=day,
        personkrets=v.Personkrets.GROUP_1 if is_lss else None,
        terminates_decision_id=ended,
        communicated_on=day,
        reasons="behovet finns inte längre",
    )


def _placement(
    draw: st.DrawFn,
    base: dict[str, Any],
    new: uuid.UUID,
    day: dt.date,
    move: str,
    pools: Pools,
    lss: list[uuid.UUID],
    sol: list[uuid.UUID],
) -> cmd.Command:
    if move == "lss_placement" and lss:
        kind, basis = v.PlacementKind.DAILY_ACTIVITY, v.Basis.lss(draw(st.sampled_from(lss)))
    elif move == "sol_placement" and sol:
        # The SoL decisions here are for work rehabilitation: the placements that execute them (B19, #12).
        kind = draw(st.sampled_from([k for k in _KINDS if k.is_work_rehabilitation]))
        basis = v.Basis.sol(draw(st.sampled_from(sol)))
    else:
        kind = draw(st.sampled_from(_KINDS))
        basis = draw(st.sampled_from([v.Basis.required_activity(), v.Basis.voluntary()]))
    weeks = draw(st.integers(4, 26)) if kind.is_work_rehabilitation else draw(st.none() | st.integers(4, 40))
    return cmd.StartPlacement(
        **base,
        placement_id=new,
        unit_id=draw(st.sampled_from(pools.units)),
        kind=kind,
        basis=basis,
        start_on=day,
        hours_per_week=20,
        planned_end_on=None if weeks is None else day + dt.timedelta(weeks=weeks),
        over_capacity_reason=draw(st.sampled_from([None, None, None, "akut behov"])),
    )


def _follow_up(
    draw: st.DrawFn, base: dict[str, Any], new: uuid.UUID, day: dt.date, plan: bool
) -> cmd.Command:
    later = day + dt.timedelta(days=draw(st.integers(20, 200)))
    if plan:
        return cmd.EstablishPlan(
            **base,
            plan_id=new,
            established_on=day,
            plan_kind=v.PlanKind.IMPLEMENTATION_PLAN,
            goal_ids=(),
            participation=v.Participation.FULL,
            next_follow_up_on=later,
        )
    return cmd.RecordFollowUp(
        **base,
        follow_up_id=new,
        follow_up_on=day,
        goal_results=(),
        participation=v.Participation.FULL,
        status=v.FollowUpStatus.CONTINUE,
        next_follow_up_on=draw(st.none() | st.just(later)),
    )


def amendments(store: rc.EventStore) -> Counter[str]:
    """What the corrections and retractions in ``store`` did: ``EntryCorrected``/``EntryRetracted``, and
    ``retracted <entry type>``, ``corrected <entry type>``, ``moved <entry type>`` (to another unit)."""
    seen: Counter[str] = Counter()
    for stream in sorted({s.stream_id for s in store.read_all()}):
        if not stream.startswith("case-"):
            continue
        stored = store.read_stream(stream)
        entries = {s.event_id: codec.decode_event(s.type, s.schema_version, s.data) for s in stored}
        for e in entries.values():
            if isinstance(e, ev.EntryRetracted):
                seen["EntryRetracted"] += 1
                seen[f"retracted {type(entries[e.retracted_event_id]).__name__}"] += 1
            elif isinstance(e, ev.EntryCorrected):
                seen["EntryCorrected"] += 1
                seen[f"corrected {type(e.replacement).__name__}"] += 1
                if _unit(e.replacement) != _unit(entries[e.corrected_event_id]):
                    seen[f"moved {type(e.replacement).__name__}"] += 1
    return seen


def _unit(e: ev.Event) -> uuid.UUID | None:
    if isinstance(e, ev.PlacementStarted):
        return e.unit_id
    return e.to_unit_id if isinstance(e, ev.TransferredToLssDailyActivity) else None
