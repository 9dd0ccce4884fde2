"""Retention (gallring) as versioned data: which rules a record falls under, and when it is due (B24).

A :class:`RetentionPolicy` is one jurisdiction's rule for one :class:`RetentionRegime`, with a version that
every erasure records. The regime of a record is chosen by the legal basis of its entries: a decision's
``legal_basis``, a placement's basis, a move to LSS daily activity; a record with no basis yet falls under
its jurisdiction's default (SoL in Sweden). A record under several regimes is kept until every one of them
lets it go. The clock of a regime runs per person: the last entry in any of their records under it.

The shipped :data:`DEFAULT_SCHEDULE` (domain.md § 2.2, sources there):

* **SoL** (socialtjänstlagen, old 12 kap 1 §): erased five years after the last entry, at the latest by the
  end of the following calendar year. Erasure runs for the calendar year: a record whose five years end in
  2025 is due from 1 January 2026 and must be gone by 31 December 2026. People born on day 5, 15 or 25 (for
  a samordningsnummer the real day) are the research sample (socialtjänstförordningen 7 kap): archived,
  not erased.
* **LSS, the nämnd's records**: no gallring rule; kept (bevaras).
* **LSS, a private provider** (enskild verksamhet, LSS 21 c §): erased two years after the last entry.
* **Denmark**: Rigsarkivet's rules, counted from the year the case closed; the period for § 103/104 cases is
  not verified, so the shipped policy keeps them until a municipality enters its own version.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from rehabcore.domain import events as ev
from rehabcore.domain.vocabulary import BasisKind, Jurisdiction, LegalBasis, RetentionRegime


class ClockStart(enum.StrEnum):
    """What starts a regime's clock."""

    LAST_ENTRY = "last_entry"
    CASE_CLOSED = "case_closed"


class Keeper(enum.StrEnum):
    """Who keeps the LSS records this store holds: the deciding nämnd, or a private provider."""

    BOARD = "board"
    PRIVATE_PROVIDER = "private_provider"


@attrs.frozen(kw_only=True)
class RetentionPolicy:
    """One rule of retention, versioned: erasures record :attr:`ref`."""

    jurisdiction: Jurisdiction
    regime: RetentionRegime
    version: str
    #: Years kept after the clock starts; None: kept for good (bevaras).
    keep_years: int | None
    counted_from: ClockStart = ClockStart.LAST_ENTRY
    #: Erasure runs per calendar year: due from 1 January of the year after the years end.
    by_calendar_year: bool = False
    #: Birth days of the research sample, archived instead of erased (real day for a samordningsnummer).
    research_sample_days: tuple[int, ...] = ()
    source: str = ""

    @property
    def ref(self) -> str:
        """``SE-sol@2025.1``: what an erasure records as the policy it followed."""
        return f"{self.jurisdiction.value}-{self.regime.value}@{self.version}"

    def due_on(self, clock: dt.date) -> dt.date | None:
        """The first day a record whose clock started on ``clock`` may be erased; None when it is kept."""
        if self.keep_years is None:
            return None
        if self.counted_from is ClockStart.CASE_CLOSED:
            clock = dt.date(clock.year, 12, 31)  # counted in whole years from the year it closed
        ends = _add_years(clock, self.keep_years)
        return dt.date(ends.year + 1, 1, 1) if self.by_calendar_year else ends

    def deadline(self, clock: dt.date) -> dt.date | None:
        """The last day by which the erasure must be done, for a calendar-year rule."""
        due = self.due_on(clock)
        return dt.date(due.year, 12, 31) if due is not None and self.by_calendar_year else due


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@attrs.frozen(kw_only=True)
class RetentionSchedule:
    """The policies a municipality follows, and who keeps its LSS records."""

    policies: tuple[RetentionPolicy, ...]
    keeper: Keeper = Keeper.BOARD

    def policy(self, regime: RetentionRegime) -> RetentionPolicy:
        """The policy of a regime."""
        for p in self.policies:
            if p.regime is regime:
                return p
        raise LookupError(f"no retention policy for {regime.value}; add one to the schedule")

    def regime_of(self, basis: LegalBasis | BasisKind, jurisdiction: Jurisdiction) -> RetentionRegime:
        """The regime an entry with this legal basis (or placement basis) falls under."""
        if jurisdiction is Jurisdiction.DK or basis in (BasisKind.DK_DECISION,):
            return RetentionRegime.DK
        lss = basis is BasisKind.LSS_DECISION or (isinstance(basis, LegalBasis) and basis.law == "LSS")
        if lss:
            return (
                RetentionRegime.LSS_PRIVATE
                if self.keeper is Keeper.PRIVATE_PROVIDER
                else RetentionRegime.LSS_BOARD
            )
        return RetentionRegime.SOL

    def default_regime(self, jurisdiction: Jurisdiction) -> RetentionRegime:
        """The regime of a record with no legal basis yet."""
        return RetentionRegime.DK if jurisdiction is Jurisdiction.DK else RetentionRegime.SOL

    def regimes(
        self, jurisdiction: Jurisdiction, events: Iterable[ev.CaseEvent]
    ) -> frozenset[RetentionRegime]:
        """The regimes of a record, from the legal bases of its entries."""
        found: set[RetentionRegime] = set()
        for e in events:
            if isinstance(e, ev.EntryCorrected):
                e = e.replacement
            match e:
                case ev.DecisionMade():
                    found.add(self.regime_of(e.legal_basis, jurisdiction))
                case ev.PlacementStarted():
                    found.add(self.regime_of(e.basis.kind, jurisdiction))
                case ev.TransferredToLssDailyActivity():
                    found.add(self.regime_of(BasisKind.LSS_DECISION, jurisdiction))
        return frozenset(found) or frozenset({self.default_regime(jurisdiction)})


#: The shipped schedule, version 2025.1 (see the module docstring for the rules and their sources).
DEFAULT_SCHEDULE = RetentionSchedule(
    policies=(
        RetentionPolicy(
            jurisdiction=Jurisdiction.SE,
            regime=RetentionRegime.SOL,
            version="2025.1",
            keep_years=5,
            by_calendar_year=True,
            research_sample_days=(5, 15, 25),
            source="SoL (2001:453) 12 kap. 1-2 §§; socialtjänstförordningen (2001:937) 7 kap.",
        ),
        RetentionPolicy(
            jurisdiction=Jurisdiction.SE,
            regime=RetentionRegime.LSS_BOARD,
            version="2025.1",
            keep_years=None,
            source="LSS has no gallring rule for the nämnd's records: kept (bevaras)",
        ),
        RetentionPolicy(
            jurisdiction=Jurisdiction.SE,
            regime=RetentionRegime.LSS_PRIVATE,
            version="2025.1",
            keep_years=2,
            source="LSS (1993:387) 21 c §: a private provider's personakt, two years after the last entry",
        ),
        RetentionPolicy(
            jurisdiction=Jurisdiction.DK,
            regime=RetentionRegime.DK,
            version="2025.1",
            keep_years=None,
            counted_from=ClockStart.CASE_CLOSED,
            source="arkivbekendtgørelsen § 5: no kassation without Rigsarkivet's rules; enter your period",
        ),
    )
)

#: Events that are retention bookkeeping, not entries of the record: they never move its clock.
BOOKKEEPING: tuple[type, ...] = (
    ev.RetentionHoldPlaced,
    ev.RetentionHoldReleased,
    ev.ArchivedForResearch,
    ev.SubjectErased,
)
