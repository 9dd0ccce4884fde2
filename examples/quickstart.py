"""Quick start: open a case, place a person in time-limited work training, and see the rules at work.

Run it with ``python examples/quickstart.py`` (it uses an in-memory store; pass a URL such as
``sqlite:///cases.sqlite`` to keep the record).
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v


def main(url: str = "memory://") -> rc.CaseState:
    store = rc.open_store(url)
    cases = rc.Cases(store, ruleset=rc.rulesets.SWEDEN_DEFAULT, today=lambda: dt.date(2026, 4, 1))
    actor = rc.Actor(id="hand-042", role=v.Role.CASE_WORKER, unit="AME Örnsköldsvik")

    aterbruket = uuid.uuid4()
    cases.handle(
        cmd.RegisterUnit(
            unit_id=aterbruket,
            registered_on=dt.date(2026, 1, 1),
            name="Återbruket Bjästa",
            kind=v.UnitKind.WORK_REHABILITATION,
            jurisdiction=v.Jurisdiction.SE,
            capacity=12,
            offers=(v.PlacementKind.WORK_TRAINING, v.PlacementKind.INTERNSHIP),
        ),
        actor=actor,
    )

    case_id = rc.new_case_id()  # a random UUID, never a personal identity number
    subject = uuid.uuid4()  # the person's pseudonym; identities live in a vault outside the record
    cases.handle(
        cmd.OpenCase(
            case_id=case_id,
            subject_id=subject,
            opened_on=dt.date(2026, 3, 2),
            jurisdiction=v.Jurisdiction.SE,
            municipality_code="2284",
            source=v.ReferralSource.INCOME_SUPPORT,
        ),
        actor=actor,
    )
    placement = uuid.uuid4()
    cases.handle(
        cmd.StartPlacement(
            case_id=case_id,
            placement_id=placement,
            unit_id=aterbruket,
            kind=v.PlacementKind.WORK_TRAINING,
            basis=v.Basis.required_activity(),
            start_on=dt.date(2026, 3, 16),
            planned_end_on=dt.date(2026, 6, 12),
            hours_per_week=20,
        ),
        actor=actor,
    )

    state = cases.get(case_id)
    print(state.status.value, [p.kind.value for p in state.active_placements(on=dt.date(2026, 4, 1))])
    print("free places at Återbruket:", cases.unit(aterbruket).free_on(dt.date(2026, 4, 1)))

    try:
        cases.handle(
            cmd.ExtendPlacement(
                case_id=case_id,
                placement_id=placement,
                extended_on=dt.date(2026, 4, 1),
                new_planned_end_on=dt.date(2026, 9, 1),
            ),
            actor=actor,
        )
    except rc.RuleViolation as err:
        print(err.rule_id, err)  # B6: extending work training needs a decision
    store.close()
    return state


if __name__ == "__main__":
    main(*sys.argv[1:])
