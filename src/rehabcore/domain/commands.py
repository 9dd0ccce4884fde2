"""Commands: what someone asks the record to do, imperative, frozen, checked on construction.

Every field is checked against its annotation when the command is built (see ``validation.validated``): a
wrong type, a naive datetime, an unknown enum value, an empty text or an identity number where a pseudonymous
id belongs raises :class:`~rehabcore.errors.InvalidInput` before anything reaches a store. The rules that need
the case's state (dates in order, decisions in force, capacity) are checked by ``decide``.

``command_id`` makes a command idempotent: handling the same command twice writes nothing new. Create it once,
with the command, and reuse the command object when retrying.

Pure: imports only the standard library, attrs and the domain.
"""

import datetime as dt
import typing
import uuid
from typing import Any

import attrs

from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v  # #18: the Danish names, qualified
from rehabcore.domain.validation import between, municipality_code, validated
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
    Role,
    ServiceKind,
    StudyKind,
    SubsidyType,
    ThemeLevel,
    UnitKind,
    VisitForm,
    Weekday,
)
from rehabcore.errors import InvalidInput


def _command_id() -> uuid.UUID:
    return uuid.uuid4()


def _days_a_week(_inst: Any, attr: "attrs.Attribute[Any]", value: Any) -> None:
    if isinstance(value, int) and not 1 <= value <= 7:
        raise InvalidInput(attr.name, "must be between 1 and 7 days a week")


@attrs.frozen(kw_only=True, field_transformer=validated)
class Actor:
    """Who acts: a staff id (never a personal identity number), the role, and the unit acted for."""

    id: str
    role: Role
    unit: str | None = None


# --- case commands ----------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class OpenCase:
    """Open a case for one person (aktualisering)."""

    case_id: uuid.UUID
    subject_id: uuid.UUID
    opened_on: dt.date
    jurisdiction: Jurisdiction
    municipality_code: str = attrs.field(validator=municipality_code)
    source: ReferralSource
    #: The board (nämnd) responsible for the case, when the ruleset has an organisation (#16).
    board_id: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReceiveReferral:
    """Record a referral or application asking for a service."""

    case_id: uuid.UUID
    referral_id: uuid.UUID
    received_on: dt.date
    source: ReferralSource
    requested_service: ServiceKind
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class GiveConsent:
    """Record the person's consent to share with someone."""

    case_id: uuid.UUID
    consent_id: uuid.UUID
    given_on: dt.date
    scope: ConsentScope
    valid_until: dt.date | None = None
    #: The first day it applies, when later than the day it was given (#16).
    valid_from: dt.date | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class WithdrawConsent:
    """Record that a consent was withdrawn."""

    case_id: uuid.UUID
    consent_id: uuid.UUID
    withdrawn_on: dt.date
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class AssessNeeds:
    """Record a needs assessment made with the person."""

    case_id: uuid.UUID
    assessment_id: uuid.UUID
    assessed_on: dt.date
    method: AssessmentMethod
    life_areas: tuple[LifeArea, ...]
    participation: Participation
    personkrets: Personkrets | None = None
    #: #18: life areas with IBIC's 0–4 level (Sweden), or VUM 2.0 themes with theirs (Denmark), rule V1.
    findings: tuple[AreaLevel, ...] | None = None
    vum_themes: tuple[ThemeLevel, ...] | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class MakeDecision:
    """Record a decision with its legal basis, validity and reasons."""

    case_id: uuid.UUID
    decision_id: uuid.UUID
    decided_on: dt.date
    outcome: DecisionOutcome
    legal_basis: LegalBasis
    service: ServiceKind
    valid_from: dt.date
    valid_to: dt.date | None = None
    personkrets: Personkrets | None = None
    terminates_decision_id: uuid.UUID | None = None
    alternatives_considered: tuple[str, ...] = ()
    least_intrusive_rationale: str | None = None
    communicated_on: dt.date | None = None
    #: Hours or days a week granted (#11): a placement below it for three months is partial execution.
    extent: Extent | None = None
    #: Why (required when unfavourable in whole or part), who decided, appeal information, the application.
    reasons: str | None = None
    decided_by: Official | None = None
    appeal_info_given: bool | None = None
    application_id: uuid.UUID | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class SetGoal:
    """Record a goal in the citizen's own words."""

    case_id: uuid.UUID
    goal_id: uuid.UUID
    set_on: dt.date
    life_area: LifeArea
    citizen_words: str
    formulated_by: FormulatedBy
    goal_type: GoalType
    target_on: dt.date | None = None
    proxy_reason: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class EstablishPlan:
    """Record a plan drawn up with the person, with its next follow-up."""

    case_id: uuid.UUID
    plan_id: uuid.UUID
    established_on: dt.date
    plan_kind: PlanKind
    goal_ids: tuple[uuid.UUID, ...]
    participation: Participation
    next_follow_up_on: dt.date
    # --- #18 plans: the placement and unit it is carried out at, its activities, who took part, the
    # person's own view (see ``rehabcore.domain.plans``).
    placement_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    activities: tuple[PlanActivity, ...] | None = None
    took_part: tuple[DialogueParty, ...] | None = None
    own_view: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class StartPlacement:
    """Start a placement at a unit; takes one of the unit's places."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    unit_id: uuid.UUID
    kind: PlacementKind
    basis: Basis
    start_on: dt.date
    hours_per_week: int = attrs.field(validator=between(1, 60))
    planned_end_on: dt.date | None = None
    over_capacity_reason: str | None = None
    #: Days a week placed, for a decision that grants days (#11).
    days_per_week: int | None = attrs.field(default=None, validator=_days_a_week)
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ExtendPlacement:
    """Move a placement's planned end later."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    extended_on: dt.date
    new_planned_end_on: dt.date
    authorising_decision_id: uuid.UUID | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class InterruptPlacement:
    """Pause a placement; the place stays held."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    interrupted_on: dt.date
    reason: InterruptionReason
    #: B9: the ground on which an LSS participant is left without daily activity, if one applies.
    ground: ContinuityGround | None = None
    #: The person's own words, required with the ground ``own_wish``.
    citizen_words: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ResumePlacement:
    """Go on with an interrupted placement."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    resumed_on: dt.date
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class EndPlacement:
    """End a placement; ``end_on`` is its last day."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    end_on: dt.date
    reason: EndReason
    #: B9: the ground on which an LSS participant is left without daily activity, if one applies.
    ground: ContinuityGround | None = None
    #: The person's own words, required with the ground ``own_wish``.
    citizen_words: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class RecordFollowUp:
    """Record a follow-up with the results of the goals followed up."""

    case_id: uuid.UUID
    follow_up_id: uuid.UUID
    follow_up_on: dt.date
    goal_results: tuple[GoalOutcome, ...]
    participation: Participation
    status: FollowUpStatus
    next_follow_up_on: dt.date | None = None
    #: Who took part (the person, the unit, housing support, relatives …) (#16).
    took_part: tuple[DialogueParty, ...] | None = None
    # --- #18 plans: the plan followed up; the person's own view and disagreement, in their words.
    plan_id: uuid.UUID | None = None
    own_view: str | None = None
    disagreement: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class TransferToLssDailyActivity:
    """Move a person from a placement to LSS daily activity, starting ``start_on`` with no gap."""

    case_id: uuid.UUID
    from_placement_id: uuid.UUID
    placement_id: uuid.UUID
    to_unit_id: uuid.UUID
    lss_decision_id: uuid.UUID
    start_on: dt.date
    hours_per_week: int = attrs.field(validator=between(1, 60))
    #: Days a week placed, for a decision that grants days (#11).
    days_per_week: int | None = attrs.field(default=None, validator=_days_a_week)
    #: Why the person moves (shown in their file with where from and where to).
    reason: EndReason | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ExitToWork:
    """Record that the person left for work; ends the placements still active."""

    case_id: uuid.UUID
    exit_on: dt.date
    employment_form: EmploymentForm
    employer_sector: EmployerSector
    extent_pct: int = attrs.field(validator=between(1, 100))
    subsidy: SubsidyType | None = None
    #: #18: permanent, or fixed-term with its last day; what the person lived on before and lives on after.
    term: EmploymentTerm | None = None
    employment_ends_on: dt.date | None = None
    income_before: tuple[IncomeSource, ...] | None = None
    income_after: tuple[IncomeSource, ...] | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ExitToStudies:
    """Record that the person left for studies; ends the placements still active."""

    case_id: uuid.UUID
    exit_on: dt.date
    study_kind: StudyKind
    extent_pct: int = attrs.field(validator=between(1, 100))
    #: #18: whether the studies give the right to student aid, when the kind alone does not say.
    student_aid: bool | None = None
    income_before: tuple[IncomeSource, ...] | None = None
    income_after: tuple[IncomeSource, ...] | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class CloseCase:
    """Close the case (avslut)."""

    case_id: uuid.UUID
    closed_on: dt.date
    reason: CloseReason
    #: B9: the ground on which an LSS participant is left without daily activity, if one applies.
    ground: ContinuityGround | None = None
    #: The person's own words, required with the ground ``own_wish``.
    citizen_words: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReopenCase:
    """Open a closed case again."""

    case_id: uuid.UUID
    reopened_on: dt.date
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- offers and dialogue (issue #12: B9 continuity) ------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class MakeOffer:
    """Record that the person was offered a place of ``kind`` at a unit from ``offered_from``."""

    case_id: uuid.UUID
    offer_id: uuid.UUID
    offered_on: dt.date
    unit_id: uuid.UUID
    kind: PlacementKind
    offered_from: dt.date
    decision_id: uuid.UUID | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class DeclineOffer:
    """Record that the person declined an offer, in their own words; their current placement goes on."""

    case_id: uuid.UUID
    offer_id: uuid.UUID
    declined_on: dt.date
    citizen_words: str
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class HoldDialogue:
    """Record a dialogue with the person: who took part, who was informed, the person's wishes."""

    case_id: uuid.UUID
    dialogue_id: uuid.UUID
    held_on: dt.date
    took_part: tuple[DialogueParty, ...]
    informed: tuple[DialogueParty, ...] = ()
    citizen_words: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- #18 outcomes and attendance ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class ExitElsewhere:
    """Record that the person left for neither work nor studies (Arbetsförmedlingen, sick leave, a move …);
    ends the placements still active."""

    case_id: uuid.UUID
    exit_on: dt.date
    destination: ExitDestination
    income_before: tuple[IncomeSource, ...] | None = None
    income_after: tuple[IncomeSource, ...] | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class RecordOutcomeStatus:
    """Record how it went for the person one, six or twelve months after their exit (closed cases too)."""

    case_id: uuid.UUID
    followed_up_on: dt.date
    point: OutcomePoint
    activity: OutcomeActivity
    #: How the person is employed, with ``activity=work`` only.
    employment_form: EmploymentForm | None = None
    income: tuple[IncomeSource, ...] = ()
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class RecordAttendance:
    """Record a week at a placement: ``week_of`` is its Monday; the days attended, the days away and why."""

    case_id: uuid.UUID
    placement_id: uuid.UUID
    week_of: dt.date
    attended: tuple[Weekday, ...]
    absences: tuple[Absence, ...] = ()
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- the execution duty (#11) ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class EndExecutionDuty:
    """Record that a favourable decision will not be executed, for a reason IVO accepts (accepted on a closed
    case too: the duty outlives the case). A declined offer is not such a reason."""

    case_id: uuid.UUID
    decision_id: uuid.UUID
    ended_on: dt.date
    reason: DutyEndReason
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- applications, reconsideration and appeal (issue #12) ---------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReceiveApplication:
    """Record an application for a service, oral or written, and who made it."""

    case_id: uuid.UUID
    application_id: uuid.UUID
    received_on: dt.date
    applicant: Applicant
    requested_service: ServiceKind
    form: ApplicationForm
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class GiveInterimSupport:
    """Record support given while a decision waits to be executed."""

    case_id: uuid.UUID
    decision_id: uuid.UUID
    given_on: dt.date
    kind: InterimSupportKind
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReconsiderDecision:
    """Reconsider a decision (omprövning): from ``effective_from`` on it reads ``outcome`` to ``valid_to``.

    A change to the person's disadvantage (less granted, or shorter) needs ``ground`` (FL 39 §).
    """

    case_id: uuid.UUID
    decision_id: uuid.UUID
    reconsidered_on: dt.date
    outcome: DecisionOutcome
    effective_from: dt.date
    reasons: str
    valid_to: dt.date | None = None
    decided_by: Official | None = None
    ground: ReconsiderationGround | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class AppealDecision:
    """Record that the person appealed a decision."""

    case_id: uuid.UUID
    appeal_id: uuid.UUID
    decision_id: uuid.UUID
    appealed_on: dt.date
    instance: AppealInstance
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ResolveAppeal:
    """Record what an appeal came to; a changed decision gives its new outcome and the day it applies."""

    case_id: uuid.UUID
    appeal_id: uuid.UUID
    decision_id: uuid.UUID
    resolved_on: dt.date
    result: AppealResult
    outcome: DecisionOutcome | None = None
    effective_from: dt.date | None = None
    valid_to: dt.date | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- issue #16: disclosure (B21) ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class RecordDisclosure:
    """Record that information from the case was disclosed to a recipient outside the board (B21).

    It stands on a consent in force and in scope on the day (``consent_id``) or on a provision of law that
    allows it without one (``provision``, e.g. OSL 10 kap. 2 §); without either it is refused.
    """

    case_id: uuid.UUID
    disclosure_id: uuid.UUID
    disclosed_on: dt.date
    recipient: ConsentScope
    categories: tuple[DataCategory, ...]
    consent_id: uuid.UUID | None = None
    provision: LegalBasis | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- #18 Danish practice ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class AssessOtherLegislation:
    """Record whether the person can use offers under other legislation before § 103 (serviceloven § 103,
    stk. 1: protected employment is for those who cannot). A Danish case only."""

    case_id: uuid.UUID
    assessment_id: uuid.UUID
    assessed_on: dt.date
    considered: tuple[v.OtherLegislationOffer, ...]
    finding: v.OtherLegislationFinding
    reasons: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class RestrictAccess:
    """Withhold an entry, or some of its fields, from the person's own file after a secrecy assessment.

    ``event_id`` is the stored id of the entry; ``fields`` names its fields (none: the whole entry);
    ``assessment`` is the case-by-case assessment the law asks for (OSL 26 kap. 5 §).
    """

    case_id: uuid.UUID
    restriction_id: uuid.UUID
    event_id: uuid.UUID
    assessed_on: dt.date
    fields: tuple[str, ...]
    legal_basis: LegalBasis
    assessment: str
    command_id: uuid.UUID = attrs.field(factory=_command_id)


def _correction_fields(cls: type, fields: "list[attrs.Attribute[Any]]") -> "list[attrs.Attribute[Any]]":
    """``validated`` for every field but the replacement entry, which is checked for its kind instead."""
    checked = {f.name: f for f in validated(cls, [f for f in fields if f.name != "replacement"])}
    return [checked.get(f.name) or f.evolve(validator=_correctable) for f in fields]


def _correctable(_inst: Any, _attr: Any, value: Any) -> None:
    if not isinstance(value, typing.get_args(ev.CorrectableEvent)):
        raise InvalidInput(
            "CorrectEntry.replacement",
            f"expected the entry as a case event such as PlacementStarted, got {type(value).__name__}",
        )


@attrs.frozen(kw_only=True, field_transformer=_correction_fields)
class CorrectEntry:
    """Correct an earlier entry of the case (rättelse): from now on it reads as ``replacement``.

    ``event_id`` is the stored id of the entry (see the audit view). The replacement is the same kind of entry
    with the right values; the correction is refused with the rule it would break if the case, read with it,
    would break one. The original stays visible in the audit view.
    """

    case_id: uuid.UUID
    event_id: uuid.UUID
    corrected_on: dt.date
    replacement: ev.CorrectableEvent
    reason: str
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class RetractEntry:
    """Withdraw an earlier entry that should not have been made, e.g. one recorded on the wrong case."""

    case_id: uuid.UUID
    event_id: uuid.UUID
    retracted_on: dt.date
    reason: str
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- #13 privacy: retention and erasure (B24) -----------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class PlaceRetentionHold:
    """Keep the record from erasure until released (an appeal, an inquiry, a pending request)."""

    case_id: uuid.UUID
    hold_id: uuid.UUID
    placed_on: dt.date
    reason: HoldReason
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReleaseRetentionHold:
    """Release a legal hold."""

    case_id: uuid.UUID
    hold_id: uuid.UUID
    released_on: dt.date
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ArchiveForResearch:
    """Record that a record due for erasure is kept for research instead (``rehabcore retention run``)."""

    case_id: uuid.UUID
    archived_on: dt.date
    regime: RetentionRegime
    policy: str
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class EraseSubject:
    """Record that the record's key was destroyed under a policy (``rehabcore retention run`` does both)."""

    case_id: uuid.UUID
    erased_on: dt.date
    subject_id: uuid.UUID
    regime: RetentionRegime
    policy: str
    key_destroyed_at: dt.datetime
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- #18 plans ---------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class OfferPlan:
    """Record that the person was offered a plan (LSS 10 § individual plan, SEL § 141 handleplan) and what
    they answered."""

    case_id: uuid.UUID
    plan_id: uuid.UUID
    offered_on: dt.date
    plan_kind: PlanKind
    answer: PlanAnswer
    citizen_words: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReviewPlan:
    """Record a review of a plan with the person: their view, any disagreement, the next review (B14)."""

    case_id: uuid.UUID
    review_id: uuid.UUID
    plan_id: uuid.UUID
    reviewed_on: dt.date
    participation: Participation
    next_follow_up_on: dt.date
    took_part: tuple[DialogueParty, ...] = ()
    #: The plan's activities from now on, when the review changed them.
    activities: tuple[PlanActivity, ...] | None = None
    own_view: str | None = None
    disagreement: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


RetentionCommand = PlaceRetentionHold | ReleaseRetentionHold | ArchiveForResearch | EraseSubject

CaseCommand = (
    OpenCase
    | ReceiveReferral
    | GiveConsent
    | WithdrawConsent
    | AssessNeeds
    | MakeDecision
    | SetGoal
    | EstablishPlan
    | StartPlacement
    | ExtendPlacement
    | InterruptPlacement
    | ResumePlacement
    | EndPlacement
    | RecordFollowUp
    | TransferToLssDailyActivity
    | ExitToWork
    | ExitToStudies
    | CloseCase
    | ReopenCase
    | CorrectEntry
    | RetractEntry
    | MakeOffer
    | DeclineOffer
    | HoldDialogue
    | EndExecutionDuty
    | GiveInterimSupport
    | ReceiveApplication
    | ReconsiderDecision
    | AppealDecision
    | ResolveAppeal
    | RestrictAccess
    | RetentionCommand
    # --- issue #16
    | RecordDisclosure
    # --- #18 outcomes and attendance
    | ExitElsewhere
    | RecordOutcomeStatus
    | RecordAttendance
    # --- #18 plans
    | OfferPlan
    | ReviewPlan
    # --- #18 Danish practice
    | AssessOtherLegislation
)

# --- unit commands ----------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class RegisterUnit:
    """Register a unit that takes placements."""

    unit_id: uuid.UUID
    registered_on: dt.date
    name: str
    kind: UnitKind
    jurisdiction: Jurisdiction
    capacity: int = attrs.field(validator=between(0, 10_000))
    offers: tuple[PlacementKind, ...]
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ChangeUnitCapacity:
    """Change the number of places from a date."""

    unit_id: uuid.UUID
    effective_on: dt.date
    capacity: int = attrs.field(validator=between(0, 10_000))
    #: The nämnd decision behind the change (#18), e.g. "Socialnämnden 2021-10-26 § 112".
    decision_ref: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ChangeUnitPurpose:
    """Refocus a unit: what kind of unit it is and which placement kinds it takes from now on."""

    unit_id: uuid.UUID
    effective_on: dt.date
    kind: UnitKind
    offers: tuple[PlacementKind, ...]
    #: The nämnd decision behind the refocus (#18).
    decision_ref: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# --- #18 open activities and unit changes ---


@attrs.frozen(kw_only=True, field_transformer=validated)
class CountVisits:
    """Record how many came to an open activity on a day, in one form: a number, never who (GDPR 5(1)(c))."""

    unit_id: uuid.UUID
    counted_on: dt.date
    count: int = attrs.field(validator=between(1, 10_000))
    form: VisitForm = VisitForm.ON_SITE
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class CloseUnit:
    """Close a unit from ``closed_on`` (its first day closed); nobody may hold a place there by then."""

    unit_id: uuid.UUID
    closed_on: dt.date
    decision_ref: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class MoveUnit:
    """The unit moves to other premises from ``moved_on``; no ``premises``: it gives its premises up."""

    unit_id: uuid.UUID
    moved_on: dt.date
    premises: str | None = None
    decision_ref: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ChangeUnitOwner:
    """Another organisation runs the unit from ``changed_on`` (the owning förvaltning or verksamhet)."""

    unit_id: uuid.UUID
    changed_on: dt.date
    owner: str
    decision_ref: str | None = None
    command_id: uuid.UUID = attrs.field(factory=_command_id)


# ---

UnitCommand = (
    RegisterUnit
    | ChangeUnitCapacity
    | ChangeUnitPurpose
    # --- #18 open activities and unit changes
    | CountVisits
    | CloseUnit
    | MoveUnit
    | ChangeUnitOwner
)

# --- the municipality's IVO stream (#11) -----------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=validated)
class MarkIvoReportSubmitted:
    """Record that a quarter's report was sent to IVO, with the decisions it listed, as sent.

    Build it with ``ReadModels.ivo_report(quarter).submission(submitted_on)`` rather than by hand.
    """

    municipality_code: str = attrs.field(validator=municipality_code)
    quarter: Quarter
    submitted_on: dt.date
    decisions: tuple[ReportedDecision, ...]
    command_id: uuid.UUID = attrs.field(factory=_command_id)


IvoCommand = MarkIvoReportSubmitted
Command = CaseCommand | UnitCommand | IvoCommand

#: The classes of each union, read off it: a class added to its union is in these, and in the codec's table.
CASE_COMMAND_TYPES: tuple[type[CaseCommand], ...] = typing.get_args(CaseCommand)
UNIT_COMMAND_TYPES: tuple[type[UnitCommand], ...] = typing.get_args(UnitCommand)
IVO_COMMAND_TYPES: tuple[type[IvoCommand], ...] = (MarkIvoReportSubmitted,)
