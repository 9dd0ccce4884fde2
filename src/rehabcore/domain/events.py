"""Events: what happened in a case or at a unit, past tense, frozen.

Every event carries ``occurred_on``, the business date it happened (the second clock, beside the store's
``recorded_at``). Events hold no personal identity numbers or names: the person is ``subject_id``, a random
pseudonym. Free text appears only where the record needs it (a goal in the citizen's own words).

Events are keyword-only and are checked where they are made: ``decide`` builds them from the validated command
through the recording table (``recording.py``), which checks each field against its annotation, and the codec
checks stored bytes. ``evolve`` trusts them.

Pure: imports only the standard library, attrs and the vocabulary.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid

import attrs

from rehabcore.domain.vocabulary import (
    AssessmentMethod,
    Basis,
    CloseReason,
    ConsentScope,
    DecisionOutcome,
    EmployerSector,
    EmploymentForm,
    EndReason,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalType,
    HoldReason,
    InterruptionReason,
    Jurisdiction,
    LegalBasis,
    LifeArea,
    Participation,
    Personkrets,
    PlacementKind,
    PlanKind,
    ReferralSource,
    RetentionRegime,
    ServiceKind,
    StudyKind,
    SubsidyType,
    UnitKind,
)

#: Field metadata: the codec leaves the field out of the stored JSON while it is None. For a field added to an
#: event after rows were stored, so that the rows of events without it stay byte for byte as they were.
OMIT_IF_NONE = "rehabcore.omit_if_none"
#: Field metadata for the views people read (``rehabcore.audit.timeline`` derives every other detail from the
#: field's type): the case workers' own reasoning in free text, shown in the staff view only ...
STAFF = "rehabcore.staff"
#: ... a field said elsewhere on the page (the entry a correction concerns is its ``→ vN``) ...
NOT_SHOWN = "rehabcore.not_shown"
#: ... and the id of something with a name, also shown by its name under the given key.
NAMED = "rehabcore.named"
#: Field metadata (#13): personal free text about the person, stored sealed with the person's key when a
#: sealer is configured (``rehabcore.sealing``), so that destroying the key erases it (gallring).
PERSONAL = "rehabcore.personal"

# --- case events ------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CaseOpened:
    """A case was opened (aktualisering): one case stream is one person's record (B2)."""

    occurred_on: dt.date
    case_id: uuid.UUID
    subject_id: uuid.UUID
    jurisdiction: Jurisdiction
    municipality_code: str
    source: ReferralSource


@attrs.frozen(kw_only=True)
class ReferralReceived:
    """A referral (remiss / anvisning) or application arrived."""

    occurred_on: dt.date
    referral_id: uuid.UUID
    source: ReferralSource
    requested_service: ServiceKind


@attrs.frozen(kw_only=True)
class ConsentGiven:
    """The person consented to sharing with someone (samtycke)."""

    occurred_on: dt.date
    consent_id: uuid.UUID
    scope: ConsentScope
    valid_until: dt.date | None = None


@attrs.frozen(kw_only=True)
class ConsentWithdrawn:
    """The person withdrew a consent."""

    occurred_on: dt.date
    consent_id: uuid.UUID


@attrs.frozen(kw_only=True)
class NeedsAssessed:
    """Needs were assessed (utredning / VUM-udredning) with the citizen."""

    occurred_on: dt.date
    assessment_id: uuid.UUID
    method: AssessmentMethod
    life_areas: tuple[LifeArea, ...]
    participation: Participation
    personkrets: Personkrets | None = None


@attrs.frozen(kw_only=True)
class DecisionMade:
    """A decision (beslut / afgørelse) with its legal basis as data."""

    occurred_on: dt.date
    decision_id: uuid.UUID
    outcome: DecisionOutcome
    legal_basis: LegalBasis
    service: ServiceKind
    valid_from: dt.date
    valid_to: dt.date | None = None
    personkrets: Personkrets | None = None
    terminates_decision_id: uuid.UUID | None = None
    alternatives_considered: tuple[str, ...] = attrs.field(default=(), metadata={STAFF: True, PERSONAL: True})
    least_intrusive_rationale: str | None = attrs.field(default=None, metadata={STAFF: True, PERSONAL: True})
    communicated_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class GoalSet:
    """A goal in the citizen's own words (S4)."""

    occurred_on: dt.date
    goal_id: uuid.UUID
    life_area: LifeArea
    citizen_words: str = attrs.field(metadata={PERSONAL: True})
    formulated_by: FormulatedBy
    goal_type: GoalType
    target_on: dt.date | None = None
    proxy_reason: str | None = attrs.field(default=None, metadata={STAFF: True, PERSONAL: True})


@attrs.frozen(kw_only=True)
class PlanEstablished:
    """A plan was drawn up with the person (genomförandeplan, individuell plan, handleplan)."""

    occurred_on: dt.date
    plan_id: uuid.UUID
    plan_kind: PlanKind
    goal_ids: tuple[uuid.UUID, ...]
    participation: Participation
    next_follow_up_on: dt.date


@attrs.frozen(kw_only=True)
class PlacementStarted:
    """A person started at a unit on a basis."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    unit_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    kind: PlacementKind
    basis: Basis
    planned_end_on: dt.date | None
    hours_per_week: int
    #: Why the unit took the placement with every place taken (B15); a correction re-taking the place keeps
    #: it. Written only when given, so the rows of every placement within capacity read as before.
    over_capacity_reason: str | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True, STAFF: True})


@attrs.frozen(kw_only=True)
class PlacementExtended:
    """A placement's planned end moved later."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    new_planned_end_on: dt.date
    authorising_decision_id: uuid.UUID | None = None


@attrs.frozen(kw_only=True)
class PlacementInterrupted:
    """A placement paused; the place is held (avbrott)."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    reason: InterruptionReason


@attrs.frozen(kw_only=True)
class PlacementResumed:
    """An interrupted placement went on."""

    occurred_on: dt.date
    placement_id: uuid.UUID


@attrs.frozen(kw_only=True)
class PlacementEnded:
    """A placement ended; ``occurred_on`` is the last day at the unit's disposal."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    reason: EndReason


@attrs.frozen(kw_only=True)
class FollowUpRecorded:
    """A follow-up (uppföljning / opfølgning)."""

    occurred_on: dt.date
    follow_up_id: uuid.UUID
    goal_results: tuple[GoalOutcome, ...]
    participation: Participation
    status: FollowUpStatus
    next_follow_up_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class TransferredToLssDailyActivity:
    """A person moved from a placement to LSS daily activity under a decision in force, without a gap."""

    occurred_on: dt.date
    from_placement_id: uuid.UUID
    placement_id: uuid.UUID
    to_unit_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    lss_decision_id: uuid.UUID
    hours_per_week: int


@attrs.frozen(kw_only=True)
class ExitedToWork:
    """The person left for work (§ 4 taxonomy)."""

    occurred_on: dt.date
    employment_form: EmploymentForm
    extent_pct: int
    employer_sector: EmployerSector
    subsidy: SubsidyType | None = None


@attrs.frozen(kw_only=True)
class ExitedToStudies:
    """The person left for studies."""

    occurred_on: dt.date
    study_kind: StudyKind
    extent_pct: int


@attrs.frozen(kw_only=True)
class CaseClosed:
    """The case was closed (avslut)."""

    occurred_on: dt.date
    reason: CloseReason


@attrs.frozen(kw_only=True)
class CaseReopened:
    """A closed case was opened again."""

    occurred_on: dt.date


#: The entries a correction can replace or a retraction withdraw: every case event but corrections themselves.
CorrectableEvent = (
    CaseOpened
    | ReferralReceived
    | ConsentGiven
    | ConsentWithdrawn
    | NeedsAssessed
    | DecisionMade
    | GoalSet
    | PlanEstablished
    | PlacementStarted
    | PlacementExtended
    | PlacementInterrupted
    | PlacementResumed
    | PlacementEnded
    | FollowUpRecorded
    | TransferredToLssDailyActivity
    | ExitedToWork
    | ExitedToStudies
    | CaseClosed
    | CaseReopened
)


@attrs.frozen(kw_only=True)
class EntryCorrected:
    """An earlier entry was wrong (a date, a unit …) and reads as ``replacement`` from now on (rättelse, B1).

    The original stays in the stream and in the audit view; the effective history is derived at read time.
    ``occurred_on`` is the day the correction was made; ``reason`` is the case worker's note of why.
    """

    occurred_on: dt.date
    corrected_event_id: uuid.UUID = attrs.field(metadata={NOT_SHOWN: True})
    replacement: CorrectableEvent
    reason: str = attrs.field(metadata={PERSONAL: True})


@attrs.frozen(kw_only=True)
class EntryRetracted:
    """An earlier entry should never have been made (e.g. recorded on the wrong case) and no longer counts."""

    occurred_on: dt.date
    retracted_event_id: uuid.UUID = attrs.field(metadata={NOT_SHOWN: True})
    reason: str = attrs.field(metadata={PERSONAL: True})


# --- #13 privacy: retention and erasure (B24) -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class RetentionHoldPlaced:
    """The record must not be erased until the hold is released: an appeal, an inquiry, a request pending."""

    occurred_on: dt.date
    hold_id: uuid.UUID
    reason: HoldReason


@attrs.frozen(kw_only=True)
class RetentionHoldReleased:
    """A legal hold no longer applies."""

    occurred_on: dt.date
    hold_id: uuid.UUID


@attrs.frozen(kw_only=True)
class ArchivedForResearch:
    """Due for erasure but kept for research: the person is in the sample (born on day 5, 15 or 25)."""

    occurred_on: dt.date
    regime: RetentionRegime
    policy: str


@attrs.frozen(kw_only=True)
class SubjectErased:
    """The record's key was destroyed (gallring): its personal text reads as erased from then on.

    The proof: when the key was destroyed, under which policy version, and (in the envelope) by whom.
    After it nothing more is recorded in the case (B24).
    """

    occurred_on: dt.date
    subject_id: uuid.UUID
    regime: RetentionRegime
    policy: str
    key_destroyed_at: dt.datetime


RetentionEvent = RetentionHoldPlaced | RetentionHoldReleased | ArchivedForResearch | SubjectErased

CaseEvent = CorrectableEvent | EntryCorrected | EntryRetracted | RetentionEvent
#: The entries of a case's effective history: what corrections leave, and the retention bookkeeping.
EffectiveEvent = CorrectableEvent | RetentionEvent

# --- unit events ------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UnitRegistered:
    """A unit that takes placements; ``offers`` are the placement kinds it takes."""

    occurred_on: dt.date
    unit_id: uuid.UUID
    name: str
    kind: UnitKind
    jurisdiction: Jurisdiction
    capacity: int
    offers: tuple[PlacementKind, ...]


@attrs.frozen(kw_only=True)
class UnitCapacityChanged:
    """The number of places changed from ``occurred_on``."""

    occurred_on: dt.date
    capacity: int


@attrs.frozen(kw_only=True)
class UnitPurposeChanged:
    """The unit refocused (S1: Återbruket narrows to work rehabilitation)."""

    occurred_on: dt.date
    kind: UnitKind
    offers: tuple[PlacementKind, ...]


@attrs.frozen(kw_only=True)
class PlaceTaken:
    """A placement took one of the unit's places from ``occurred_on``."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    case_id: uuid.UUID
    over_capacity_reason: str | None = None


@attrs.frozen(kw_only=True)
class PlaceReleased:
    """A placement gave its place back after ``occurred_on`` (its last day)."""

    occurred_on: dt.date
    placement_id: uuid.UUID


@attrs.frozen(kw_only=True)
class PlaceWithdrawn:
    """A place was taken by an entry that a correction changed or retracted: it was never held as recorded."""

    occurred_on: dt.date
    placement_id: uuid.UUID


UnitEvent = (
    UnitRegistered | UnitCapacityChanged | UnitPurposeChanged | PlaceTaken | PlaceReleased | PlaceWithdrawn
)

Event = CaseEvent | UnitEvent

#: The classes of each union, read off it: a class added to its union is in these, and in the codec's table.
CASE_EVENT_TYPES: tuple[type[CaseEvent], ...] = typing.get_args(CaseEvent)
UNIT_EVENT_TYPES: tuple[type[UnitEvent], ...] = typing.get_args(UnitEvent)
