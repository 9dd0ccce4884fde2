"""Lifelike case histories for the projection properties.

``rehabcore.testing.strategies.case_scripts`` draws any command at any date, which tests the rules well but
gets most placements rejected. The read models need histories that get far: decisions, placements on them,
pauses, extensions, follow-ups, transfers, exits, closing and reopening. Here dates move forward step by
step and commands refer to ids drawn earlier, so most are accepted (and some still break a rule).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import strategies as st

from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
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
)


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
def lifelike(draw: st.DrawFn, pools: Pools, max_moves: int = 20) -> list[cmd.Command]:
    """One case from opening on: moves drawn one after another, each a few days or weeks after the last."""
    case_id = pools.case_id
    day = BASE_DATE + dt.timedelta(days=draw(st.integers(0, 40)))
    ids = iter(uuid.UUID(int=case_id.int * 1000 + n) for n in range(10_000))
    out: list[cmd.Command] = [
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
        if move in ("lss_decision", "sol_decision"):
            new = next(ids)
            (lss if move == "lss_decision" else sol).append(new)
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
            reason = draw(st.sampled_from(list(v.EndReason)))
            out.append(cmd.EndPlacement(**base, placement_id=draw(pick_placement), end_on=day, reason=reason))
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
            form = draw(st.sampled_from(list(v.EmploymentForm)))
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


def _decision(
    draw: st.DrawFn, base: dict[str, Any], new: uuid.UUID, day: dt.date, is_lss: bool
) -> cmd.Command:
    valid_to = draw(st.none() | st.integers(20, 300).map(lambda n: day + dt.timedelta(days=n)))
    return cmd.MakeDecision(
        **base,
        decision_id=new,
        decided_on=day,
        outcome=draw(st.sampled_from([v.DecisionOutcome.GRANT] * 3 + [v.DecisionOutcome.REJECT])),
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY if is_lss else v.LegalBases.SOL_ASSISTANCE_2001,
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
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY if is_lss else v.LegalBases.SOL_ASSISTANCE_2001,
        service=v.ServiceKind.LSS_DAILY_ACTIVITY if is_lss else v.ServiceKind.WORK_REHABILITATION,
        valid_from=day,
        personkrets=v.Personkrets.GROUP_1 if is_lss else None,
        terminates_decision_id=ended,
        communicated_on=day,
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
        kind, basis = draw(st.sampled_from(_KINDS)), v.Basis.sol(draw(st.sampled_from(sol)))
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
