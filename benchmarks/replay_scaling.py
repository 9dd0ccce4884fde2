"""Replay time against case length (#14): one case of N entries replayed, N = 1,000 and 4,000 by default.

``python -m benchmarks.replay_scaling [extensions|follow-ups] [N …]`` records a case on an in-memory store
through ``Cases`` (opened, an LSS decision, a goal, daily activity, then placement extensions or follow-ups
until N entries) and prints the replay time of each length and the ratio between the last and the first.
Linear replay gives a ratio near the ratio of the lengths (4 for 1,000 → 4,000); quadratic its square (16).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid

import rehabcore as rc
from rehabcore.audit import Audit
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from tests.audit.story import CASE, CASE_WORKER, DAILY, GOAL, told


def a_case(entries: int, workload: str = "extensions") -> rc.EventStore:
    """A case of exactly ``entries`` entries: the told story, then placement extensions (each a month
    further) or follow-ups (``workload``)."""
    cases, _ = told()
    store = cases.store
    day = dt.date(2026, 3, 1)  # every follow-up that day: the rules keep dates near the recording day
    n = 0
    while len(store.read_stream(rc.case_stream(CASE))) < entries:
        n += 1
        if workload == "extensions":
            cases.handle(
                cmd.ExtendPlacement(
                    case_id=CASE,
                    placement_id=DAILY,
                    extended_on=day,
                    new_planned_end_on=dt.date(2027, 1, 1) + dt.timedelta(days=n),
                ),
                actor=CASE_WORKER,
            )
            continue
        cases.handle(
            cmd.RecordFollowUp(
                case_id=CASE,
                follow_up_id=uuid.uuid4(),
                follow_up_on=day,
                goal_results=(v.GoalOutcome(GOAL, v.GoalResult.PARTLY_ACHIEVED),),
                participation=v.Participation.FULL,
                status=v.FollowUpStatus.CONTINUE,
            ),
            actor=CASE_WORKER,
        )
    return store


def replay_seconds(store: rc.EventStore, reps: int = 3) -> float:
    """The best of ``reps`` replays of the case, in seconds."""
    best = float("inf")
    for _ in range(reps):
        started = time.perf_counter()
        report = Audit(store).replay(CASE)
        best = min(best, time.perf_counter() - started)
        assert not report.divergences, report.divergences[:3]
    return best


def main(argv: list[str]) -> None:
    workload = "extensions"
    if argv[:1] and not argv[0].isdigit():
        workload, argv = argv[0], argv[1:]
    lengths = [int(a) for a in argv] or [1000, 4000]
    times = []
    print(f"workload: {workload}")
    for n in lengths:
        store = a_case(n, workload)
        seconds = replay_seconds(store)
        times.append(seconds)
        print(f"replay of {n:>6,} entries: {seconds:7.3f} s ({n / seconds:,.0f} entries/s)")
    print(f"ratio {lengths[-1]:,} / {lengths[0]:,} entries: {times[-1] / times[0]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
