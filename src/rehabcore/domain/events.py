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

from rehabcore.domain import vocabulary as v  # #18: the Danish names, qualified
from rehabcore.domain.vocabulary import (
    Absence,
    AppealInstance,
    AppealResult,
    Applicant,
    ApplicationForm,
    AreaLevel,
    AssessmentMethod,
    Basis,
    CloseReason,
    ConsentScope,
    ContinuityGround,
    DataCategory,
    DecisionOutcome,
    DialogueParty,
    DutyEndReason,
    EmployerSector,
    EmploymentForm,
    EmploymentTerm,
    EndReason,
    ExitDestination,
    Extent,
    FollowUpStatus,
    FormulatedBy,
    GoalOutcome,
    GoalType,
    HoldReason,
    IncomeSource,
    InterimSupportKind,
    InterruptionReason,
    Jurisdiction,
    LegalBasis,
    LifeArea,
    Official,
    OutcomeActivity,
    OutcomePoint,
    Participation,
    Personkrets,
    PlacementKind,
    PlanActivity,
    PlanAnswer,
    PlanKind,
    Quarter,
    ReconsiderationGround,
    ReferralSource,
    ReportedDecision,
    RetentionRegime,
    ServiceKind,
    StudyKind,
    SubsidyType,
    ThemeLevel,
    UnitKind,
    VisitForm,
    Weekday,
)

#: Field metadata: the codec leaves the field out of the stored JSON while it is None. For a field added to an
#: event after rows were stored, so that the rows of events without it stay byte for byte as they were.
OMIT_IF_NONE = "rehabcore.omit_if_none"
#: Field metadata for the views people read (``rehabcore.audit.timeline`` derives every other detail from the
#: field's type): text for staff only — the secrecy assessment behind withholding part of a file. (Everything
#: else about the person is theirs to read, OSL 12 kap. 1 §; ids are left out of their view by type.) ...
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
    #: The board (nämnd) responsible for the case, when the ruleset has an organisation (#16).
    board_id: str | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


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
    valid_from: dt.date | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})  # #16


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
    # --- #18 assessment: written only when given, so assessments recorded before keep their bytes.
    #: Life areas with IBIC's 0–4 level (Sweden: ICF activities, health, body functions, environment).
    findings: tuple[AreaLevel, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: VUM 2.0 themes with their 0–4 level (Denmark: its own list, never the ICF life areas, rule V1).
    vum_themes: tuple[ThemeLevel, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


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
    # The reasoning is part of the decision the person has a right to see (FL 32 §, OSL 12 kap. 1 §, #12).
    alternatives_considered: tuple[str, ...] = attrs.field(default=(), metadata={PERSONAL: True})
    least_intrusive_rationale: str | None = attrs.field(default=None, metadata={PERSONAL: True})
    communicated_on: dt.date | None = None
    #: Hours or days a week granted (omfattning), against which partial execution is measured (#11).
    #: Written only when given, so the rows of decisions recorded without it read as before.
    extent: Extent | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    # Issue #12 (FL 31–33 §§, LSS 8 §): written only when given, so older rows keep their bytes.
    #: Why, in words the person can follow; required when the decision goes against them in whole or part.
    reasons: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})
    #: Who decided (not necessarily who recorded it).
    decided_by: Official | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: Whether the person was told how to appeal (FL 33 §).
    appeal_info_given: bool | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: The application the decision answers (an LSS insats is granted only on request, LSS 8 §).
    application_id: uuid.UUID | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


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
    proxy_reason: str | None = attrs.field(default=None, metadata={PERSONAL: True})


@attrs.frozen(kw_only=True)
class PlanEstablished:
    """A plan was drawn up with the person (genomförandeplan, individuell plan, handleplan)."""

    occurred_on: dt.date
    plan_id: uuid.UUID
    plan_kind: PlanKind
    goal_ids: tuple[uuid.UUID, ...]
    participation: Participation
    next_follow_up_on: dt.date
    # --- #18 plans: written only when given, so plans recorded before keep their bytes.
    #: The placement and unit the plan is carried out at (a genomförandeplan is the executing unit's).
    placement_id: uuid.UUID | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    unit_id: uuid.UUID | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True, NAMED: "unit"})
    #: What is done, who does it, when, and how it is followed up.
    activities: tuple[PlanActivity, ...] | None = attrs.field(
        default=None, metadata={OMIT_IF_NONE: True, PERSONAL: True}
    )
    #: Who else took part in drawing it up.
    took_part: tuple[DialogueParty, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: The person's own view of the plan, in their words (how their views were taken into account).
    own_view: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


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
    over_capacity_reason: str | None = attrs.field(
        default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True, STAFF: True}
    )
    #: Days a week placed, when the decision grants days rather than hours (#11); written only when given.
    days_per_week: int | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class PlacementExtended:
    """A placement's planned end moved later."""

    occurred_on: dt.date
    placement_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    new_planned_end_on: dt.date
    authorising_decision_id: uuid.UUID | None = None


@attrs.frozen(kw_only=True)
class PlacementInterrupted:
    """A placement paused; the place is held (avbrott)."""

    occurred_on: dt.date
    placement_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    reason: InterruptionReason
    #: B9 (#12): the recorded ground, and the person's own words with ``own_wish``; written only when given.
    ground: ContinuityGround | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    citizen_words: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class PlacementResumed:
    """An interrupted placement went on."""

    occurred_on: dt.date
    placement_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})


@attrs.frozen(kw_only=True)
class PlacementEnded:
    """A placement ended; ``occurred_on`` is the last day at the unit's disposal."""

    occurred_on: dt.date
    placement_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    reason: EndReason
    #: B9 (#12): the recorded ground, and the person's own words with ``own_wish``; written only when given.
    ground: ContinuityGround | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    citizen_words: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class FollowUpRecorded:
    """A follow-up (uppföljning / opfølgning)."""

    occurred_on: dt.date
    follow_up_id: uuid.UUID
    goal_results: tuple[GoalOutcome, ...]
    participation: Participation
    status: FollowUpStatus
    next_follow_up_on: dt.date | None = None
    #: Who took part (the person, the unit, housing support, relatives …): coordination across services (#16).
    took_part: tuple[DialogueParty, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    # --- #18 plans: written only when given (seed 003: the citizen an equal party).
    #: The plan followed up, if the follow-up is of one.
    plan_id: uuid.UUID | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: The person's own view of how it went, in their words.
    own_view: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})
    #: Where the person disagrees with the conclusion, in their words: recorded, not overruled.
    disagreement: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class TransferredToLssDailyActivity:
    """A person moved from a placement to LSS daily activity under a decision in force, without a gap."""

    occurred_on: dt.date
    from_placement_id: uuid.UUID = attrs.field(metadata={NAMED: "from_unit"})
    placement_id: uuid.UUID
    to_unit_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    lss_decision_id: uuid.UUID
    hours_per_week: int
    #: Days a week placed, when the decision grants days (#11); written only when given.
    days_per_week: int | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: Why the person moved (e.g. the unit refocused); written only when given (#12).
    reason: EndReason | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class ExitedToWork:
    """The person left for work (§ 4 taxonomy)."""

    occurred_on: dt.date
    employment_form: EmploymentForm
    extent_pct: int
    employer_sector: EmployerSector
    subsidy: SubsidyType | None = None
    # --- #18 outcomes: written only when given, so older rows keep their bytes
    #: Permanent, or fixed-term until ``employment_ends_on`` (its last day): decides "work lasting at least
    #: a month" (Kolada).
    term: EmploymentTerm | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    employment_ends_on: dt.date | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    #: What the person lived on just before the programme (SUS: within a week before it) and after it.
    income_before: tuple[IncomeSource, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    income_after: tuple[IncomeSource, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class ExitedToStudies:
    """The person left for studies."""

    occurred_on: dt.date
    study_kind: StudyKind
    extent_pct: int
    # --- #18 outcomes: written only when given, so older rows keep their bytes
    #: Whether the studies give the right to student aid (studiemedelsberättigade); when not given, as the
    #: kind has it (``StudyKind.student_aid_by_default``).
    student_aid: bool | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    income_before: tuple[IncomeSource, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    income_after: tuple[IncomeSource, ...] | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class CaseClosed:
    """The case was closed (avslut)."""

    occurred_on: dt.date
    reason: CloseReason
    #: B9 (#12): the recorded ground, and the person's own words with ``own_wish``; written only when given.
    ground: ContinuityGround | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})
    citizen_words: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class CaseReopened:
    """A closed case was opened again."""

    occurred_on: dt.date


# --- offers and dialogue (issue #12: B9 continuity) ------------------------------------------------------


@attrs.frozen(kw_only=True)
class OfferMade:
    """The person was offered a place of ``kind`` at a unit from ``offered_from`` (S1: "erbjuda")."""

    occurred_on: dt.date
    offer_id: uuid.UUID
    unit_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    kind: PlacementKind
    offered_from: dt.date
    #: The decision the offer would execute (an LSS 9 § 10 decision for daily activity), if any.
    decision_id: uuid.UUID | None = None


@attrs.frozen(kw_only=True)
class OfferDeclined:
    """The person said no to an offer, in their own words; whatever they attend now goes on (B9)."""

    occurred_on: dt.date
    offer_id: uuid.UUID
    citizen_words: str = attrs.field(metadata={PERSONAL: True})


@attrs.frozen(kw_only=True)
class DialogueHeld:
    """A dialogue with the person about their daily activity: who took part, who was informed, their wishes.

    ``informed`` names relatives or legal representatives (god man, förvaltare) told of it who did not take
    part; ``citizen_words`` are the person's wishes in their own words (LSS 6 §: inflytande, medbestämmande).
    """

    occurred_on: dt.date
    dialogue_id: uuid.UUID
    took_part: tuple[DialogueParty, ...]
    informed: tuple[DialogueParty, ...] = ()
    citizen_words: str | None = attrs.field(default=None, metadata={PERSONAL: True})


# --- #18 outcomes and attendance ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ExitedElsewhere:
    """The person left the programme for neither work nor studies: Arbetsförmedlingen, sick leave, a move …"""

    occurred_on: dt.date
    destination: ExitDestination
    income_before: tuple[IncomeSource, ...] | None = None
    income_after: tuple[IncomeSource, ...] | None = None


@attrs.frozen(kw_only=True)
class OutcomeStatusRecorded:
    """How it went for the person ``point`` after their exit (one, six or twelve months): what they do, and
    live on. Recorded also on a closed case: following up after the exit is part of the record."""

    occurred_on: dt.date
    point: OutcomePoint
    activity: OutcomeActivity
    employment_form: EmploymentForm | None = None
    income: tuple[IncomeSource, ...] = ()


@attrs.frozen(kw_only=True)
class AttendanceRecorded:
    """A week at a placement (``occurred_on`` is its Monday): the days attended, and the days away and why."""

    occurred_on: dt.date
    placement_id: uuid.UUID = attrs.field(metadata={NAMED: "unit"})
    attended: tuple[Weekday, ...]
    absences: tuple[Absence, ...] = ()


# --- the execution duty (#11) ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ExecutionDutyEnded:
    """A favourable decision will not be executed, for a reason IVO accepts: it is no longer reported.

    Recorded also on a closed case: the duty to execute (and to report) outlives the case (LSS 28 f §).
    """

    occurred_on: dt.date
    decision_id: uuid.UUID
    reason: DutyEndReason


@attrs.frozen(kw_only=True)
class InterimSupportGiven:
    """Support given while a decision waits to be executed (IVO asks whether any was)."""

    occurred_on: dt.date
    decision_id: uuid.UUID
    kind: InterimSupportKind


# --- applications, reconsideration and appeal (issue #12) ---------------------------------------------------


@attrs.frozen(kw_only=True)
class ApplicationReceived:
    """An application (ansökan) for a service, oral or written, by the person or their representative."""

    occurred_on: dt.date
    application_id: uuid.UUID
    applicant: Applicant
    requested_service: ServiceKind
    form: ApplicationForm


@attrs.frozen(kw_only=True)
class DecisionReconsidered:
    """A decision reconsidered (omprövning, FL 37–39 §§): from ``effective_from`` it reads ``outcome`` and is
    valid to ``valid_to``. A change to the person's disadvantage names its ``ground`` (FL 39 §)."""

    occurred_on: dt.date
    decision_id: uuid.UUID
    outcome: DecisionOutcome
    effective_from: dt.date
    reasons: str = attrs.field(metadata={PERSONAL: True})
    valid_to: dt.date | None = None
    decided_by: Official | None = None
    ground: ReconsiderationGround | None = None


@attrs.frozen(kw_only=True)
class DecisionAppealed:
    """The person appealed a decision (överklagande, FL 40–45 §§)."""

    occurred_on: dt.date
    appeal_id: uuid.UUID
    decision_id: uuid.UUID
    instance: AppealInstance


@attrs.frozen(kw_only=True)
class AppealResolved:
    """An appeal was decided: the decision upheld, changed (``outcome`` from ``effective_from``), returned."""

    occurred_on: dt.date
    appeal_id: uuid.UUID
    #: The decision appealed (as the appeal names it): read models fold it without the appeal.
    decision_id: uuid.UUID
    result: AppealResult
    outcome: DecisionOutcome | None = None
    effective_from: dt.date | None = None
    valid_to: dt.date | None = None


@attrs.frozen(kw_only=True)
class AccessRestricted:
    """Part of an entry is withheld from the person's own file after a case-by-case secrecy assessment
    (OSL 26 kap. 5 §; forvaltningsloven § 15 b). ``fields`` empty: the whole entry. The file says that
    something was withheld and when; the assessment itself is for staff."""

    occurred_on: dt.date
    restriction_id: uuid.UUID
    restricted_event_id: uuid.UUID = attrs.field(metadata={NOT_SHOWN: True})
    fields: tuple[str, ...]
    legal_basis: LegalBasis
    assessment: str = attrs.field(metadata={PERSONAL: True, STAFF: True})


# --- issue #16: disclosure (B21) ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DisclosureRecorded:
    """Information from the case was disclosed to a recipient, on a consent or a provision of law (B21)."""

    occurred_on: dt.date
    disclosure_id: uuid.UUID
    recipient: ConsentScope
    categories: tuple[DataCategory, ...]
    consent_id: uuid.UUID | None = None
    provision: LegalBasis | None = None


# --- #18 plans ---------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlanOffered:
    """The person was offered a plan and answered: an individual plan (LSS 10 §) once an LSS insats is
    granted, a handleplan (SEL § 141) in Denmark. Declining is their right; the offer is what is owed."""

    occurred_on: dt.date
    plan_id: uuid.UUID
    plan_kind: PlanKind
    answer: PlanAnswer
    citizen_words: str | None = attrs.field(default=None, metadata={PERSONAL: True})


@attrs.frozen(kw_only=True)
class PlanReviewed:
    """A plan was reviewed with the person (LSS 10 §: at least once a year), with their own view and any
    disagreement, and the day of the next review (B14). ``activities`` replaces the plan's when given."""

    occurred_on: dt.date
    review_id: uuid.UUID
    plan_id: uuid.UUID
    participation: Participation
    next_follow_up_on: dt.date
    took_part: tuple[DialogueParty, ...] = ()
    activities: tuple[PlanActivity, ...] | None = attrs.field(default=None, metadata={PERSONAL: True})
    own_view: str | None = attrs.field(default=None, metadata={PERSONAL: True})
    disagreement: str | None = attrs.field(default=None, metadata={PERSONAL: True})


# --- #18 Danish practice ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OtherLegislationAssessed:
    """Whether the person can use offers under other legislation, weighed before serviceloven § 103: the
    section is only for those who cannot (stk. 1). ``considered`` names the offers weighed; ``reasons`` is the
    case worker's reasoning."""

    occurred_on: dt.date
    assessment_id: uuid.UUID
    considered: tuple[v.OtherLegislationOffer, ...]
    finding: v.OtherLegislationFinding
    reasons: str | None = attrs.field(default=None, metadata={PERSONAL: True, OMIT_IF_NONE: True})


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
    | OfferMade
    | OfferDeclined
    | DialogueHeld
    | ExecutionDutyEnded
    | InterimSupportGiven
    | ApplicationReceived
    | DecisionReconsidered
    | DecisionAppealed
    | AppealResolved
    | AccessRestricted
    # --- issue #16
    | DisclosureRecorded
    # --- #18 outcomes and attendance
    | ExitedElsewhere
    | OutcomeStatusRecorded
    | AttendanceRecorded
    # --- #18 plans
    | PlanOffered
    | PlanReviewed
    # --- #18 Danish practice
    | OtherLegislationAssessed
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
    #: The nämnd decision behind the change (#18), e.g. "Socialnämnden 2021-10-26 § 112"; written only when
    #: given, so older rows keep their bytes.
    decision_ref: str | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class UnitPurposeChanged:
    """The unit refocused (S1: Återbruket narrows to work rehabilitation)."""

    occurred_on: dt.date
    kind: UnitKind
    offers: tuple[PlacementKind, ...]
    #: The nämnd decision behind the refocus (#18); written only when given, so older rows keep their bytes.
    decision_ref: str | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


@attrs.frozen(kw_only=True)
class PlaceTaken:
    """A placement took one of the unit's places from ``occurred_on``."""

    occurred_on: dt.date
    placement_id: uuid.UUID
    case_id: uuid.UUID
    over_capacity_reason: str | None = None
    #: The kind of placement holding it (#12: a refocus counts its daily-activity participants); written only
    #: when known, so older rows keep their bytes.
    kind: PlacementKind | None = attrs.field(default=None, metadata={OMIT_IF_NONE: True})


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


# --- #18 open activities and unit changes ---


@attrs.frozen(kw_only=True)
class VisitsCounted:
    """An open activity met ``count`` visitors on ``occurred_on`` in one ``form``: a count, never a person.

    No case, no subject, no name (GDPR art. 5(1)(c), data minimisation): an open meeting place runs without
    decisions (seed 001, Trivselhuset), so it records how many came, not who.
    """

    occurred_on: dt.date
    count: int
    form: VisitForm


@attrs.frozen(kw_only=True)
class UnitClosed:
    """The unit closed from ``occurred_on`` on (its first day closed): it takes nothing more."""

    occurred_on: dt.date
    decision_ref: str | None = None


@attrs.frozen(kw_only=True)
class UnitMoved:
    """The unit moved to ``premises`` from ``occurred_on``; None: it gave its premises up (seed 001)."""

    occurred_on: dt.date
    premises: str | None = None
    decision_ref: str | None = None


@attrs.frozen(kw_only=True)
class UnitOwnerChanged:
    """Another organisation runs the unit from ``occurred_on`` (seed 001: from IFO to "förebyggande och
    öppen verksamhet")."""

    occurred_on: dt.date
    owner: str
    decision_ref: str | None = None


# ---

UnitEvent = (
    UnitRegistered
    | UnitCapacityChanged
    | UnitPurposeChanged
    | PlaceTaken
    | PlaceReleased
    | PlaceWithdrawn
    # --- #18 open activities and unit changes
    | VisitsCounted
    | UnitClosed
    | UnitMoved
    | UnitOwnerChanged
)

# --- the municipality's IVO stream (#11) -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IvoReportSubmitted:
    """A quarter's report of decisions not executed was sent to IVO: what it said, frozen.

    Kept on the municipality's own stream (``ivo-<municipality code>``): the next quarter's report shows
    what changed for each decision listed here.
    """

    occurred_on: dt.date
    municipality_code: str
    quarter: Quarter
    decisions: tuple[ReportedDecision, ...]


IvoEvent = IvoReportSubmitted

Event = CaseEvent | UnitEvent | IvoEvent

#: The classes of each union, read off it: a class added to its union is in these, and in the codec's table.
CASE_EVENT_TYPES: tuple[type[CaseEvent], ...] = typing.get_args(CaseEvent)
UNIT_EVENT_TYPES: tuple[type[UnitEvent], ...] = typing.get_args(UnitEvent)
IVO_EVENT_TYPES: tuple[type[IvoEvent], ...] = (IvoReportSubmitted,)
