"""B9 as a property (issue #12): in every generated history, a person with an LSS daily-activity decision in
force has a daily activity on every day from the first one on, unless a recorded ground applies; and once a
move is recorded, at one daily activity a day.

The histories are an LSS participant's: decided, placed, then any of moves (start first, transfer), ends for
every reason with or without a ground, interruptions, closing and reopening, exits, declined offers, a
terminating decision, and corrections and retractions of the starts. The check walks every day; it does not
ask ``rehabcore.domain.continuity``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.corrections import effective
from rehabcore.domain.state import CaseState
from rehabcore.streams import entries

DAY = dt.timedelta(days=1)


def _problems(case: CaseState) -> list[str]:
    dv = [p for p in case.placements.values() if p.is_lss_daily_activity]
    if not dv or case.last_occurred_on is None:
        return []
    found = []
    day = min(p.start_on for p in dv)
    until = case.closed_on or case.last_occurred_on + 60 * DAY
    while day <= until:
        active = [p for p in dv if p.is_active(day)]
        if case.lss_decision_in_force(day) is not None and not active:
            before = [p for p in dv if p.end_on is not None and p.end_on < day]
            last = max(before, key=lambda p: (p.end_on, p.start_on))
            assert last.end_on is not None
            grounded = last.end_ground is not None
            ran_out = case.lss_decision_in_force(last.end_on + DAY) is None
            if not grounded and not ran_out:
                found.append(f"{day}: no daily activity since {last.end_on} ({last.end_reason}), no ground")
        if len(active) > 1 and any(p.end_on is not None for p in active):
            found.append(f"{day}: at {len(active)} daily activities")
        day += DAY
    return found


CASE, DECISION = uuid.UUID(int=1), uuid.UUID(int=2)
UNITS = (uuid.UUID(int=10), uuid.UUID(int=11))
OPENED = dt.date(2025, 1, 6)
ACTOR = rc.Actor(id="lss-1", role=v.Role.LSS_OFFICER)
_WORDS = st.sampled_from([None, "Jag vill sluta", "Jag vill sluta"])
_GROUNDS = st.sampled_from([None, *v.ContinuityGround, v.ContinuityGround.OWN_WISH])


def _opening() -> list[Any]:
    units = [
        cmd.RegisterUnit(
            unit_id=u,
            registered_on=OPENED,
            name=f"DV {n}",
            kind=v.UnitKind.LSS_DAILY_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=50,
            offers=(v.PlacementKind.DAILY_ACTIVITY,),
        )
        for n, u in enumerate(UNITS)
    ]
    return [
        *units,
        cmd.OpenCase(
            case_id=CASE,
            subject_id=uuid.UUID(int=3),
            opened_on=OPENED,
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.LSS_OFFICER,
        ),
    ]


@st.composite
def _participant(draw: st.DrawFn) -> list[Any]:
    """An LSS participant's history: decided, placed, then moved, paused, ended, closed or corrected."""
    day = OPENED
    valid_to = draw(st.none() | st.integers(30, 400).map(lambda n: OPENED + n * DAY))
    steps: list[Any] = [
        cmd.ReceiveApplication(
            case_id=CASE,
            application_id=uuid.UUID(int=4),
            received_on=day,
            applicant=v.Applicant.PERSON,
            requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            form=v.ApplicationForm.WRITTEN,
        ),
        cmd.MakeDecision(
            case_id=CASE,
            decision_id=DECISION,
            application_id=uuid.UUID(int=4),
            decided_on=day,
            outcome=v.DecisionOutcome.GRANT,
            legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
            service=v.ServiceKind.LSS_DAILY_ACTIVITY,
            valid_from=day,
            valid_to=valid_to,
            personkrets=v.Personkrets.GROUP_1,
        ),
    ]
    placements = [uuid.UUID(int=100)]
    steps.append(_start(placements[0], UNITS[0], day + 7 * DAY))
    for n in range(draw(st.integers(1, 12))):
        day += draw(st.integers(1, 40)) * DAY
        pick = st.sampled_from(placements)
        move = draw(
            st.sampled_from(
                [
                    "end",
                    "end",
                    "start",
                    "transfer",
                    "interrupt",
                    "resume",
                    "close",
                    "exit",
                    "offer",
                    "terminate",
                    "shift",
                    "retract",
                    "reopen",
                ]
            )
        )
        new = uuid.UUID(int=101 + n)
        if move == "end":
            reason = draw(st.sampled_from(list(v.EndReason)))
            steps.append(
                cmd.EndPlacement(
                    case_id=CASE,
                    placement_id=draw(pick),
                    end_on=day + draw(st.integers(-2, 1)) * DAY,
                    reason=reason,
                    ground=draw(_GROUNDS),
                    citizen_words=draw(_WORDS),
                )
            )
        elif move == "start":
            placements.append(new)
            steps.append(_start(new, draw(st.sampled_from(UNITS)), day))
        elif move == "transfer":
            placements.append(new)
            steps.append(
                cmd.TransferToLssDailyActivity(
                    case_id=CASE,
                    from_placement_id=draw(pick),
                    placement_id=new,
                    to_unit_id=draw(st.sampled_from(UNITS)),
                    lss_decision_id=DECISION,
                    start_on=day,
                    hours_per_week=20,
                )
            )
        elif move == "interrupt":
            steps.append(
                cmd.InterruptPlacement(
                    case_id=CASE,
                    placement_id=draw(pick),
                    interrupted_on=day,
                    reason=draw(st.sampled_from(list(v.InterruptionReason))),
                    ground=draw(_GROUNDS),
                    citizen_words=draw(_WORDS),
                )
            )
        elif move == "resume":
            steps.append(cmd.ResumePlacement(case_id=CASE, placement_id=draw(pick), resumed_on=day))
        elif move == "close":
            steps.append(
                cmd.CloseCase(
                    case_id=CASE,
                    closed_on=day,
                    reason=draw(st.sampled_from(list(v.CloseReason))),
                    ground=draw(_GROUNDS),
                    citizen_words=draw(_WORDS),
                )
            )
        elif move == "reopen":
            steps.append(cmd.ReopenCase(case_id=CASE, reopened_on=day))
        elif move == "exit":
            steps.append(
                draw(
                    st.sampled_from(
                        [
                            cmd.ExitToWork(
                                case_id=CASE,
                                exit_on=day,
                                employment_form=v.EmploymentForm.OPEN,
                                employer_sector=v.EmployerSector.PUBLIC,
                                extent_pct=50,
                            ),
                            cmd.ExitToStudies(
                                case_id=CASE, exit_on=day, study_kind=v.StudyKind.KOMVUX, extent_pct=50
                            ),
                        ]
                    )
                )
            )
        elif move == "offer":
            steps.append(
                cmd.MakeOffer(
                    case_id=CASE,
                    offer_id=new,
                    offered_on=day,
                    unit_id=UNITS[1],
                    kind=v.PlacementKind.DAILY_ACTIVITY,
                    offered_from=day + DAY,
                    decision_id=DECISION,
                )
            )
            steps.append(
                cmd.DeclineOffer(case_id=CASE, offer_id=new, declined_on=day, citizen_words="Nej tack")
            )
        elif move == "terminate":
            steps.append(
                cmd.MakeDecision(
                    case_id=CASE,
                    decision_id=new,
                    decided_on=day,
                    outcome=v.DecisionOutcome.TERMINATE,
                    legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
                    service=v.ServiceKind.LSS_DAILY_ACTIVITY,
                    valid_from=day + draw(st.integers(0, 20)) * DAY,
                    terminates_decision_id=DECISION,
                    reasons="Behovet tillgodoses på annat sätt",
                )
            )
        else:
            steps.append((move, draw(st.integers(-10, 10)), draw(st.integers(0, 5))))
    return steps


def _start(placement_id: uuid.UUID, unit_id: uuid.UUID, on: dt.date) -> cmd.StartPlacement:
    return cmd.StartPlacement(
        case_id=CASE,
        placement_id=placement_id,
        unit_id=unit_id,
        kind=v.PlacementKind.DAILY_ACTIVITY,
        basis=v.Basis.lss(DECISION),
        start_on=on,
        hours_per_week=20,
    )


def _amend(cases: rc.Cases, how: tuple[str, int, int], on: dt.date) -> Any:
    """Shift the date of, or retract, one of the recorded starts (counting back), as a case worker might."""
    move, days, back = how
    stored = entries(cases.store.read_stream(rc.case_stream(CASE)))
    starts = [(i, e) for i, e in effective(stored) if isinstance(e, ev.PlacementStarted)]
    if not starts:
        return None
    event_id, target = starts[-1 - back % len(starts)]
    if move == "retract":
        return cmd.RetractEntry(case_id=CASE, event_id=event_id, retracted_on=on, reason="fel ärende")
    replacement = attrs.evolve(target, occurred_on=target.occurred_on + days * DAY)
    return cmd.CorrectEntry(
        case_id=CASE, event_id=event_id, corrected_on=on, replacement=replacement, reason="fel datum"
    )


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_b9_every_day_for_a_participant_moved_paused_ended_closed_and_corrected(
    backend: str, tmp_path: Path
) -> None:
    seen: Counter[str] = Counter()

    @given(_participant())
    def check(steps: list[Any]) -> None:
        url = "memory://" if backend == "memory" else f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite"
        store = rc.open_store(url)
        today = OPENED
        cases = rc.Cases(store, today=lambda: today)
        for step in [*_opening(), *steps]:
            on = next(
                (
                    getattr(step, f)
                    for f in (
                        "end_on",
                        "start_on",
                        "closed_on",
                        "exit_on",
                        "decided_on",
                        "interrupted_on",
                        "resumed_on",
                        "reopened_on",
                        "offered_on",
                    )
                    if hasattr(step, f)
                ),
                today,
            )
            today = max(today, on)
            command = _amend(cases, step, today) if isinstance(step, tuple) else step
            if command is None:
                continue
            try:
                cases.handle(command, actor=ACTOR)
                seen[type(command).__name__] += 1
            except rc.RuleViolation as err:
                seen[f"refused {err.rule_id}"] += 1
        case = cases.get(CASE)
        assert not _problems(case), _problems(case)
        seen["left on a ground"] += any(p.end_ground for p in case.placements.values())
        seen["moved"] += sum(
            p.end_reason is not None
            and p.end_on is not None
            and any(q.start_on == p.end_on + DAY for q in case.placements.values())
            for p in case.placements.values()
        )
        store.close()

    check()
    # Not vacuous: people were moved, left on a ground, and the rule refused the rest.
    assert seen["moved"] >= 3 and seen["left on a ground"] >= 3 and seen["refused B9"] >= 3, seen
    assert seen["CorrectEntry"] >= 1 and seen["EndPlacement"] >= 3, sorted(seen.items())
