"""Outcomes as municipalities report them (#18): Kolada's result at the end of the municipal labour-market
programme, exits by destination for the people *ended* in a period, and how they were doing one, six and
twelve months after.

The unit counted is the ending (avslut): a case ended twice in a year (reopened in between) counts twice, as
each participation does in SUS. A case closed with no exit recorded ends on its closing day, as ``other``
(``exits_of``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import attrs

from rehabcore.domain.vocabulary import EmploymentForm, EmploymentTerm, OutcomePoint
from rehabcore.projections.case_rows import DAY, CaseSummary, ExitRow, OutcomeStatusRow
from rehabcore.projections.caseload import NONE
from rehabcore.projections.outcomes import add_months, exits_of

#: The destination an exit names for people reported as not followed up at a point that has passed.
NOT_FOLLOWED_UP = "not_followed_up"


@attrs.frozen
class KoladaResult:
    """Kolada's "Resultat vid avslut i kommunens arbetsmarknadsverksamhet" for a year: of the participants
    ended in it, the share who went to work lasting at least a month (not a municipal labour-market
    employment) or to studies that give the right to student aid.

    ``work_length_unknown`` counts exits to work (other than municipal employment) whose length was not
    recorded: they do not count as work lasting a month, and a high number says the figure is too low.
    """

    year: int
    ended: int
    to_work: int
    to_studies: int
    work_length_unknown: int

    @property
    def share(self) -> float | None:
        """The measure, 0–1, or None with nobody ended."""
        return (self.to_work + self.to_studies) / self.ended if self.ended else None


@attrs.frozen(order=True)
class EndedRow:
    """Exits in a period by destination and detail (employment form, study kind, close reason), with their
    mean extent (per cent of full time) where it was recorded."""

    destination: str
    detail: str
    exits: int
    mean_extent_pct: float | None


@attrs.frozen(order=True)
class StatusRow:
    """Of the people ended in a period, how many were doing ``activity`` at ``point`` after their exit;
    ``not_followed_up`` for those whose point has passed with no status recorded."""

    point: str
    activity: str
    people: int


def work_lasting_a_month(e: ExitRow) -> bool | None:
    """Whether an exit to work is to work lasting at least a month: permanent, or fixed-term to at least the
    day before the same date a month on; None when its length was not recorded."""
    if e.employment_term == EmploymentTerm.PERMANENT.value:
        return True
    if e.employment_term == EmploymentTerm.FIXED_TERM.value and e.employment_ends_on is not None:
        return e.employment_ends_on >= add_months(e.exit_on, 1) - DAY
    return None


def kolada_result(cases: Iterable[CaseSummary], year: int) -> KoladaResult:
    """Kolada's measure for the participants ended in ``year``."""
    ended = to_work = to_studies = unknown = 0
    for s in cases:
        for e in exits_of(s):
            if e.exit_on.year != year:
                continue
            ended += 1
            if e.destination == "work" and e.employment_form != EmploymentForm.MUNICIPAL.value:
                lasting = work_lasting_a_month(e)
                to_work += lasting is True
                unknown += lasting is None
            elif e.destination == "studies" and e.student_aid:
                to_studies += 1
    return KoladaResult(year, ended, to_work, to_studies, unknown)


def _detail(e: ExitRow, s: CaseSummary) -> str:
    if e.destination == "work":
        return e.employment_form or NONE
    if e.destination == "studies":
        return e.study_kind or NONE
    if e.destination == "other":
        return s.case.close_reason or NONE
    return NONE


def _ended_in(
    cases: Iterable[CaseSummary], start: dt.date, end: dt.date
) -> list[tuple[CaseSummary, ExitRow]]:
    return [(s, e) for s in cases for e in exits_of(s) if start <= e.exit_on <= end]


def ended(cases: Iterable[CaseSummary], start: dt.date, end: dt.date) -> list[EndedRow]:
    """Exits from ``start`` to ``end`` (inclusive) by destination and detail, with their mean extent."""
    counts: Counter[tuple[str, str]] = Counter()
    extents: dict[tuple[str, str], list[int]] = {}
    for s, e in _ended_in(cases, start, end):
        key = (e.destination, _detail(e, s))
        counts[key] += 1
        if e.extent_pct is not None:
            extents.setdefault(key, []).append(e.extent_pct)
    return sorted(
        EndedRow(where, detail, n, _mean(extents.get((where, detail), [])))
        for (where, detail), n in counts.items()
    )


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def status_after_exit(
    cases: Iterable[CaseSummary], start: dt.date, end: dt.date, on: dt.date
) -> list[StatusRow]:
    """For the people ended from ``start`` to ``end``: what they did one, six and twelve months after, as
    recorded by ``on``; a point passed by ``on`` with nothing recorded counts as ``not_followed_up``."""
    counts: Counter[tuple[str, str]] = Counter()
    for s, e in _ended_in(cases, start, end):
        after = _statuses_after(s, e)
        for point in OutcomePoint:
            found = next((o for o in after if o.point == point.value and o.followed_up_on <= on), None)
            if found is not None:
                counts[(point.value, found.activity)] += 1
            elif add_months(e.exit_on, point.months) <= on:
                counts[(point.value, NOT_FOLLOWED_UP)] += 1
    order = {p.value: n for n, p in enumerate(OutcomePoint)}
    rows = [StatusRow(point, activity, n) for (point, activity), n in counts.items()]
    return sorted(rows, key=lambda r: (order[r.point], r.activity))


def _statuses_after(s: CaseSummary, e: ExitRow) -> list[OutcomeStatusRow]:
    """The statuses recorded after exit ``e`` and before the case's next exit."""
    later = [x.exit_on for x in exits_of(s) if x.exit_on > e.exit_on]
    until = min(later, default=dt.date.max)
    return [o for o in s.outcome_statuses if e.exit_on <= o.followed_up_on < until]
