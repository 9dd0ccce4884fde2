"""The state of a case and of a unit, folded from events, with date queries.

States are frozen values. ``evolve.py`` builds the next one from an event; nothing here
validates or raises on a recorded event. Dates are business dates (``occurred_on``); an interval
``[start, end]`` includes both ends.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import attrs

from rehabcore.domain import events as ev  # #18
from rehabcore.domain.events import (
    AccessRestricted,
    ApplicationReceived,
    DecisionMade,
    DialogueHeld,
    DisclosureRecorded,
    ExitedElsewhere,
    ExitedToStudies,
    ExitedToWork,
    FollowUpRecorded,
    GoalSet,
    NeedsAssessed,
    OfferMade,
    OutcomeStatusRecorded,
    PlanEstablished,
    PlanOffered,
    PlanReviewed,
)
from rehabcore.domain.execution import ExecutionRecord
from rehabcore.domain.vocabulary import (
    AppealResult,
    Basis,
    BasisKind,
    ConsentScope,
    ContinuityGround,
    DecisionOutcome,
    EndReason,
    GoalResult,
    Jurisdiction,
    LegalBases,
    PlacementKind,
    ReferralSource,
    UnitKind,
)


class CaseStatus(enum.StrEnum):
    """Where a case stands."""

    NOT_OPENED = "not_opened"
    REFERRED = "referred"  # aktualiserad
    ASSESSING = "assessing"  # under utredning, or between placements
    ACTIVE = "active"  # at least one open placement
    #: No longer given (#12): a person moved to a daily activity is ``ACTIVE`` there. Kept so that read-model
    #: rows and saved reports that hold the word still read.
    TRANSFERRED = "transferred"
    EXITED = "exited"  # left for work or studies
    CLOSED = "closed"


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Decision:
    """A decision as recorded, with the day a later decision ended it, if one did."""

    made: DecisionMade
    ended_on: dt.date | None = None

    @property
    def decision_id(self) -> uuid.UUID:
        """The decision's id."""
        return self.made.decision_id

    @property
    def is_granted(self) -> bool:
        """Granted in whole or in part."""
        return self.made.outcome in (DecisionOutcome.GRANT, DecisionOutcome.PARTIAL)

    @property
    def is_lss_daily_activity(self) -> bool:
        """An LSS 9 § 10 (daglig verksamhet) decision."""
        return self.made.legal_basis.cites(LegalBases.LSS_DAILY_ACTIVITY)

    @property
    def last_day(self) -> dt.date | None:
        """The last day in force, or None while in force until further notice (tills vidare)."""
        ends = [d for d in (self.made.valid_to, self.ended_on) if d is not None]
        return min(ends) if ends else None

    def in_force(self, on: dt.date) -> bool:
        """Granted and valid on ``on``."""
        last = self.last_day
        return self.is_granted and self.made.valid_from <= on and (last is None or on <= last)


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Placement:
    """A person's placement at a unit."""

    placement_id: uuid.UUID
    unit_id: uuid.UUID
    kind: PlacementKind
    basis: Basis
    start_on: dt.date
    planned_end_on: dt.date | None
    hours_per_week: int
    end_on: dt.date | None = None
    end_reason: EndReason | None = None
    #: B9: the ground recorded (or implied by the end reason) for leaving daily activity without a new one.
    end_ground: ContinuityGround | None = None
    #: (first day interrupted, day resumed or None while still interrupted)
    interruptions: tuple[tuple[dt.date, dt.date | None], ...] = ()
    extensions: int = 0
    #: Why the unit took it with every place taken, as recorded at its start (B15).
    over_capacity_reason: str | None = None

    @property
    def is_open(self) -> bool:
        """Not ended (it may start in the future)."""
        return self.end_on is None

    @property
    def is_interrupted(self) -> bool:
        """Paused now, the place held."""
        return bool(self.interruptions) and self.interruptions[-1][1] is None

    @property
    def is_lss_daily_activity(self) -> bool:
        """Daily activity on an LSS decision."""
        return self.kind is PlacementKind.DAILY_ACTIVITY and self.basis.kind is BasisKind.LSS_DECISION

    def is_active(self, on: dt.date) -> bool:
        """Running on ``on`` (started, not ended; an interrupted placement is still held)."""
        return self.start_on <= on and (self.end_on is None or on <= self.end_on)

    def is_interrupted_on(self, on: dt.date) -> bool:
        """Paused on ``on``."""
        return any(start <= on and (end is None or on < end) for start, end in self.interruptions)


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Appeal:
    """A decision appealed, and what the appeal came to."""

    decision_id: uuid.UUID
    appealed_on: dt.date
    result: AppealResult | None = None
    resolved_on: dt.date | None = None


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Offer:
    """A place offered to the person, and whether they declined it (in their own words)."""

    made: OfferMade
    declined_on: dt.date | None = None
    citizen_words: str | None = None

    @property
    def offer_id(self) -> uuid.UUID:
        """The offer's id."""
        return self.made.offer_id

    @property
    def is_declined(self) -> bool:
        """The person said no to it."""
        return self.declined_on is not None


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Goal:
    """A goal and the results recorded for it."""

    set: GoalSet
    results: tuple[tuple[dt.date, GoalResult], ...] = ()

    @property
    def is_open(self) -> bool:
        """Still worked on: not achieved and not dropped."""
        return not self.results or self.results[-1][1] not in (GoalResult.ACHIEVED, GoalResult.DROPPED)


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Consent:
    """A consent and when it was withdrawn."""

    scope: ConsentScope
    given_on: dt.date
    valid_until: dt.date | None
    withdrawn_on: dt.date | None = None
    #: The first day it applies, when later than the day given (#16).
    valid_from: dt.date | None = None

    def active(self, on: dt.date) -> bool:
        """In effect on ``on``."""
        return (
            (self.valid_from or self.given_on) <= on
            and (self.valid_until is None or on <= self.valid_until)
            and (self.withdrawn_on is None or on < self.withdrawn_on)
        )


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class CaseState:
    """One person's case, as folded from its stream."""

    status: CaseStatus = CaseStatus.NOT_OPENED
    version: int = 0
    case_id: uuid.UUID | None = None
    subject_id: uuid.UUID | None = None
    jurisdiction: Jurisdiction | None = None
    municipality_code: str | None = None
    source: ReferralSource | None = None
    #: The board responsible for the case (#16), as named when it was opened.
    board_id: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    last_occurred_on: dt.date | None = None
    referrals: tuple[uuid.UUID, ...] = ()
    consents: dict[uuid.UUID, Consent] = attrs.field(factory=dict)
    assessments: tuple[NeedsAssessed, ...] = ()
    decisions: dict[uuid.UUID, Decision] = attrs.field(factory=dict)
    goals: dict[uuid.UUID, Goal] = attrs.field(factory=dict)
    plans: tuple[PlanEstablished, ...] = ()
    placements: dict[uuid.UUID, Placement] = attrs.field(factory=dict)
    follow_ups: tuple[FollowUpRecorded, ...] = ()
    exits: tuple[ExitedToWork | ExitedToStudies | ExitedElsewhere, ...] = ()
    #: What the duty to execute its decisions is read from (IVO's report, B10): one fold for the case and the
    #: read model (``rehabcore.domain.execution``).
    execution: ExecutionRecord = attrs.field(factory=ExecutionRecord)
    #: Places offered to the person (B9), by offer id; a declined offer changes no placement.
    offers: dict[uuid.UUID, Offer] = attrs.field(factory=dict)
    dialogues: tuple[DialogueHeld, ...] = ()
    #: Applications by id (LSS 8 §), and appeals of decisions by appeal id (#12).
    applications: dict[uuid.UUID, ApplicationReceived] = attrs.field(factory=dict)
    appeals: dict[uuid.UUID, Appeal] = attrs.field(factory=dict)
    #: What is withheld from the person's own file after a secrecy assessment, by restriction id.
    restrictions: dict[uuid.UUID, AccessRestricted] = attrs.field(factory=dict)
    #: Disclosures of the case's information to others, by disclosure id (B21, #16).
    disclosures: dict[uuid.UUID, DisclosureRecorded] = attrs.field(factory=dict)
    #: Corrections and retractions folded one by one, not yet applied: the case must be read again through
    #: ``rehabcore.domain.corrections.fold_effective`` (``Cases`` does this), which leaves this at 0.
    pending_corrections: int = 0
    #: Retention (#13): legal holds not yet released, the day the record was archived for research, and the
    #: day its key was destroyed (after which nothing more is recorded, B24).
    holds: tuple[uuid.UUID, ...] = ()
    archived_on: dt.date | None = None
    erased_on: dt.date | None = None
    # --- #18 outcomes and attendance
    #: How it went after the exits, oldest first; the weeks of attendance recorded, by placement and Monday.
    outcome_statuses: tuple[OutcomeStatusRecorded, ...] = ()
    attendance: frozenset[tuple[uuid.UUID, dt.date]] = frozenset()
    # --- #18 plans: plans offered (by plan id), reviews of plans oldest first (``domain.plans``).
    plan_offers: dict[uuid.UUID, PlanOffered] = attrs.field(factory=dict)
    plan_reviews: tuple[PlanReviewed, ...] = ()
    # --- #18 Danish practice
    #: The § 103 "other legislation first" assessments, in the order recorded (B25).
    other_legislation: tuple[ev.OtherLegislationAssessed, ...] = ()

    @property
    def is_open(self) -> bool:
        """Opened and not closed."""
        return self.status not in (CaseStatus.NOT_OPENED, CaseStatus.CLOSED)

    def active_placements(self, on: dt.date) -> list[Placement]:
        """Placements running on ``on``."""
        return [p for p in self.placements.values() if p.is_active(on)]

    def open_placements(self) -> list[Placement]:
        """Placements not ended, whatever their start date."""
        return [p for p in self.placements.values() if p.is_open]

    def decisions_in_force(self, on: dt.date) -> list[Decision]:
        """Granted decisions valid on ``on``."""
        return [d for d in self.decisions.values() if d.in_force(on)]

    def lss_decision_in_force(self, on: dt.date) -> Decision | None:
        """An LSS 9 § 10 decision in force on ``on``, if any."""
        return next((d for d in self.decisions_in_force(on) if d.is_lss_daily_activity), None)

    def open_goals(self) -> list[Goal]:
        """Goals still worked on."""
        return [g for g in self.goals.values() if g.is_open]

    def consent_active(self, scope: ConsentScope, on: dt.date) -> bool:
        """Whether sharing with ``scope`` is consented to on ``on``."""
        return any(c.scope is scope and c.active(on) for c in self.consents.values())

    @property
    def last_follow_up_on(self) -> dt.date | None:
        """The latest follow-up date, if any."""
        return max((f.occurred_on for f in self.follow_ups), default=None)

    @property
    def next_follow_up_on(self) -> dt.date | None:
        """When the latest plan or follow-up said to follow up next."""
        dated = [(p.occurred_on, p.next_follow_up_on) for p in self.plans]
        dated += [(f.occurred_on, f.next_follow_up_on) for f in self.follow_ups if f.next_follow_up_on]
        return max(dated, key=lambda pair: pair[0])[1] if dated else None


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class Place:
    """One placement's hold on a unit's place, from ``taken_on`` to ``released_on`` (inclusive)."""

    case_id: uuid.UUID
    taken_on: dt.date
    released_on: dt.date | None = None
    over_capacity_reason: str | None = None
    #: The kind of placement holding it, where the place recorded it (#12).
    kind: PlacementKind | None = None

    def held(self, on: dt.date) -> bool:
        """Whether the place is held on ``on``."""
        return self.taken_on <= on and (self.released_on is None or on <= self.released_on)


@attrs.frozen(slots=False, kw_only=True)  # copied per event by rehabcore.domain.replace: see there
class UnitState:
    """A unit, its places and its purpose over time."""

    version: int = 0
    unit_id: uuid.UUID | None = None
    name: str | None = None
    jurisdiction: Jurisdiction | None = None
    registered_on: dt.date | None = None
    #: (effective from, capacity), oldest first
    capacities: tuple[tuple[dt.date, int], ...] = ()
    #: (effective from, kind, offers), oldest first
    purposes: tuple[tuple[dt.date, UnitKind, tuple[PlacementKind, ...]], ...] = ()
    places: dict[uuid.UUID, Place] = attrs.field(factory=dict)
    # --- #18 open activities and unit changes
    #: The first day the unit is closed, if it closed.
    closed_on: dt.date | None = None
    #: (from, premises or None when given up), oldest first
    premises: tuple[tuple[dt.date, str | None], ...] = ()
    #: (from, owning organisation), oldest first
    owners: tuple[tuple[dt.date, str], ...] = ()

    def is_closed(self, on: dt.date) -> bool:
        """Whether the unit is closed on ``on`` (U3)."""
        return self.closed_on is not None and self.closed_on <= on

    # ---

    @property
    def is_registered(self) -> bool:
        """Whether the unit exists."""
        return self.unit_id is not None

    def capacity_on(self, on: dt.date) -> int:
        """Places on ``on`` (0 before registration)."""
        return next((c for start, c in reversed(self.capacities) if start <= on), 0)

    def kind_on(self, on: dt.date) -> UnitKind | None:
        """What the unit is for on ``on``."""
        return next((k for start, k, _ in reversed(self.purposes) if start <= on), None)

    def offers_on(self, on: dt.date) -> tuple[PlacementKind, ...]:
        """Placement kinds taken on ``on``."""
        return next((o for start, _, o in reversed(self.purposes) if start <= on), ())

    def occupied_on(self, on: dt.date) -> int:
        """Places held on ``on``."""
        return sum(1 for p in self.places.values() if p.held(on))

    def free_on(self, on: dt.date) -> int:
        """Places free on ``on`` (never negative)."""
        return max(self.capacity_on(on) - self.occupied_on(on), 0)
