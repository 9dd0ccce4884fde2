"""The demo's open activity (#18): seed 001's Trivselhuset in Lomma, its visits counted and never a case.

Recorded after the synthetic municipality (``rehabcore.demo``), in the same store: an open meeting place for
people with mental ill-health, run without decisions. During the pandemic it met its visitors by phone, on
walks and in small groups; on 2021-10-26 the activity moved from IFO to "förebyggande och öppen verksamhet"
and gave up its premises [LOM1][LOM2] (the date of the move out of the premises here is illustrative). Every
day's visitors are a count per form — no personal case, no name (GDPR art. 5(1)(c)). The monthly statistics
are read from the read models, as ``ReadModels.visits`` gives them to anyone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.i18n import _, ngettext

NS = uuid.UUID("7a1c2e4b-3d5f-4a6b-8c9d-0e1f2a3b1262")
TRIVSELHUSET = uuid.uuid5(NS, "unit/trivselhuset")
MANAGER = rc.Actor(id="lomma-oppen-1", role=v.Role.MANAGER, unit="Förebyggande och öppen verksamhet")
STAFF = rc.Actor(id="lomma-trivsel-2", role=v.Role.UNIT_STAFF, unit="Trivselhuset")
MOVED_TO = "Förebyggande och öppen verksamhet"
DECISION = "Lomma kommun, beslut 2021-10-26"
#: Visitors per weekday (Monday first) and form: a pandemic week, and an ordinary week on site.
PANDEMIC_WEEK = ((v.VisitForm.PHONE, (5, 4, 6, 3, 4)), (v.VisitForm.WALK, (2, 0, 3, 0, 2)))
PANDEMIC_GROUPS = (v.VisitForm.SMALL_GROUP, (0, 4, 0, 4, 0))
ORDINARY_WEEK = ((v.VisitForm.ON_SITE, (9, 7, 8, 6, 10)),)


def _weeks(
    start: dt.date, weeks: int, plan: tuple[tuple[v.VisitForm, tuple[int, ...]], ...]
) -> Iterator[cmd.Command]:
    for week in range(weeks):
        monday = start + dt.timedelta(weeks=week)
        for form, per_day in plan:
            for day, count in enumerate(per_day):
                if count:
                    yield cmd.CountVisits(
                        unit_id=TRIVSELHUSET,
                        counted_on=monday + dt.timedelta(days=day),
                        count=count,
                        form=form,
                    )


def record(store: rc.EventStore, today: dt.date) -> Iterator[str]:
    """Record Trivselhuset's story into ``store``; yield what the read models show, a line each."""
    lomma = rc.Cases(store, today=lambda: today)
    lomma.handle(
        cmd.RegisterUnit(
            unit_id=TRIVSELHUSET,
            registered_on=dt.date(2020, 1, 7),
            name="Trivselhuset",
            kind=v.UnitKind.OPEN_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=0,
            offers=(),  # nobody is placed: visitors come as they are
        ),
        actor=MANAGER,
    )
    for command in _weeks(dt.date(2021, 2, 1), 4, (*PANDEMIC_WEEK, PANDEMIC_GROUPS)):
        lomma.handle(command, actor=STAFF)
    lomma.handle(
        cmd.ChangeUnitOwner(
            unit_id=TRIVSELHUSET, changed_on=dt.date(2021, 11, 1), owner=MOVED_TO, decision_ref=DECISION
        ),
        actor=MANAGER,
    )
    lomma.handle(
        cmd.MoveUnit(unit_id=TRIVSELHUSET, moved_on=dt.date(2022, 1, 1), decision_ref=DECISION), actor=MANAGER
    )
    for command in _weeks(dt.date(2026, 3, 2), 2, ORDINARY_WEEK):
        lomma.handle(command, actor=STAFF)
    yield from _statistics(store)


def _statistics(store: rc.EventStore) -> Iterator[str]:
    from rehabcore.projections import UNITS, MemoryProjectionStore, ReadModels, Runner
    from rehabcore.projections.runner import VISITS

    target = MemoryProjectionStore()
    Runner(store, target, [UNITS, VISITS]).catch_up()
    models = ReadModels(target)
    months = models.visits(TRIVSELHUSET)
    total = sum(m.visits for m in months)
    yield ngettext(
        "Open activity Trivselhuset (Lomma): {n} visit counted, no personal case",
        "Open activity Trivselhuset (Lomma): {n} visits counted, no personal case",
        total,
    )
    for m in months:
        yield _(
            "  {month}: {visits} visits on {days} days — on site {on_site}, by phone {phone}, walks {walk}, "
            "small groups {small_group}",
            month=m.month,
            visits=m.visits,
            days=m.days_open,
            on_site=m.on_site,
            phone=m.phone,
            walk=m.walk,
            small_group=m.small_group,
        )
    (unit,) = (u for u in models.units() if u.unit.unit_id == TRIVSELHUSET)
    moved = unit.premises_on(dt.date(2022, 1, 1))
    yield _(
        "  run by {owner} since {on} ({decision}); premises given up {moved_on}",
        owner=unit.owner_on(dt.date(2021, 11, 1)),
        on="2021-11-01",
        decision=DECISION,
        moved_on=moved.effective_from if moved else "-",
    )
    yield _("  see: rehabcore timeline --unit {unit_id}", unit_id=TRIVSELHUSET)
