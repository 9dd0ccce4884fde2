"""Open activities' visits (#18): anonymous counts per unit and day, and the visit statistics per month.

An open meeting place (seed 001: Trivselhuset) runs without decisions and keeps no personal case per visitor
(GDPR art. 5(1)(c)): staff record how many came on a day and in which form (``VisitsCounted``). The ``visits``
projection keeps one row per unit, day and form; it is keyed by unit *and month*, so a batch touching a
unit loads that month's rows only, however many years of counts the unit has. The monthly statistics are
sums of those rows: nothing in them, or in the rows, names or counts a person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from rehabcore import codec
from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import VisitForm
from rehabcore.projections.base import Table
from rehabcore.projections.unit_summary import unit_id_of
from rehabcore.streams import Recorded

__all__ = ["VisitDayRow", "VisitMonth", "VisitMonthHead", "VisitMonthRow", "VisitProjection", "visit_months"]


@attrs.frozen
class VisitDayRow:
    """Visits to one unit on one day in one form (``rehabcore_rm_unit_visits``); counts of a day add up."""

    unit_month: str
    day: dt.date
    form: str
    visits: int
    unit_id: uuid.UUID | None = None


@attrs.frozen
class VisitMonthHead:
    """One unit's month (``rehabcore_rm_unit_visit_month``): visits in all and days it met anyone."""

    unit_month: str
    unit_id: uuid.UUID | None = None
    month: str = ""  # YYYY-MM
    visits: int = 0
    days_open: int = 0


@attrs.frozen
class VisitMonth:
    """One unit's month: its totals and its day rows, oldest day first."""

    head: VisitMonthHead
    days: tuple[VisitDayRow, ...] = ()

    @property
    def key(self) -> str:
        """``unit-<id>/YYYY-MM``."""
        return self.head.unit_month


@attrs.frozen(order=True, kw_only=True)
class VisitMonthRow:
    """A unit's visits in one month: in all, per form, and on how many days it met anyone."""

    unit: str
    month: str  # YYYY-MM
    unit_id: uuid.UUID
    visits: int
    days_open: int
    on_site: int = 0
    phone: int = 0
    walk: int = 0
    small_group: int = 0


def month_key(stream_id: str, on: dt.date) -> str:
    """The key of a unit's month: ``unit-<id>/YYYY-MM``."""
    return f"{stream_id}/{on:%Y-%m}"


class VisitProjection:
    """Per unit and month, the visits counted on each day in each form."""

    name: str = "visits"
    version: int = 1
    types: frozenset[str] | None = frozenset(
        n for n, (c, _) in codec.EVENT_TYPES.items() if c is ev.VisitsCounted
    )
    tables: tuple[Table, ...] = (
        Table("rehabcore_rm_unit_visit_month", VisitMonthHead, "unit_month", ("unit_month",)),
        Table("rehabcore_rm_unit_visits", VisitDayRow, "unit_month", ("unit_month", "day", "form")),
    )

    def key(self, recorded: Recorded) -> str | None:
        """The unit's month."""
        e = recorded.event
        return month_key(recorded.stream_id, e.occurred_on) if isinstance(e, ev.VisitsCounted) else None

    def initial(self, key: str) -> VisitMonth:
        """A month with no visits counted."""
        return VisitMonth(VisitMonthHead(key))

    def evolve(self, value: VisitMonth, recorded: Recorded) -> VisitMonth:
        """The month after one more count: a second count of the same day and form adds to the first."""
        e = recorded.event
        if not isinstance(e, ev.VisitsCounted):
            return value
        days = list(value.days)
        for i, row in enumerate(days):
            if row.day == e.occurred_on and row.form == e.form.value:
                days[i] = attrs.evolve(row, visits=row.visits + e.count)
                break
        else:
            unit_id = unit_id_of(recorded.stream_id)
            days.append(VisitDayRow(value.key, e.occurred_on, e.form.value, e.count, unit_id))
        head = VisitMonthHead(
            value.key,
            unit_id_of(recorded.stream_id),
            f"{e.occurred_on:%Y-%m}",
            value.head.visits + e.count,
            len({d.day for d in days}),
        )
        return VisitMonth(head, tuple(sorted(days, key=lambda r: (r.day, r.form))))

    def to_rows(self, value: VisitMonth) -> tuple[tuple[Any, ...], ...]:
        """The month's totals and day rows (none before a count)."""
        return (((value.head,) if value.days else ()), value.days)

    def from_rows(self, key: str, rows: Sequence[Sequence[Any]]) -> VisitMonth:
        """The month back from its rows."""
        head, days = rows
        return VisitMonth(
            head[0] if head else VisitMonthHead(key), tuple(sorted(days, key=lambda r: (r.day, r.form)))
        )


_FORMS = tuple(f.value for f in VisitForm)


def visit_months(
    months: Iterable[VisitMonth],
    names: Mapping[uuid.UUID, str],
    *,
    unit_id: uuid.UUID | None = None,
    year: int | None = None,
) -> list[VisitMonthRow]:
    """The visit statistics per unit and month (of ``unit_id`` and ``year`` where given), sorted."""
    totals: dict[tuple[uuid.UUID, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(_FORMS, 0))
    days: dict[tuple[uuid.UUID, str], set[dt.date]] = defaultdict(set)
    for m in months:
        for row in m.days:
            if row.unit_id is None or (unit_id is not None and row.unit_id != unit_id):
                continue
            if year is not None and row.day.year != year:
                continue
            key = (row.unit_id, f"{row.day:%Y-%m}")
            totals[key][row.form] += row.visits
            days[key].add(row.day)
    return sorted(
        VisitMonthRow(
            unit=names.get(uid, str(uid)),
            month=month,
            unit_id=uid,
            visits=sum(per_form.values()),
            days_open=len(days[(uid, month)]),
            **per_form,
        )
        for (uid, month), per_form in totals.items()
    )
