"""The controlled vocabulary of a case record: enums and small value types.

Enum values are stable strings: they are what is stored. English identifiers, with the Swedish or Danish term
in a comment where it helps a municipal reader. Legal references are data (:class:`LegalBasis`), never enum
names, because laws are replaced (SoL 2001:453 by SoL 2025:400 on 2025-07-01).

Pure: imports only the standard library and attrs.
"""

import enum
import uuid

import attrs

from rehabcore.domain.validation import validated


class Jurisdiction(enum.StrEnum):
    """Which country's law a case or unit runs under."""

    SE = "SE"
    DK = "DK"


class Role(enum.StrEnum):
    """The role an actor acts in."""

    CASE_WORKER = "case_worker"  # handläggare / sagsbehandler
    LSS_OFFICER = "lss_officer"  # LSS-handläggare
    UNIT_STAFF = "unit_staff"  # personal på enheten
    MANAGER = "manager"  # enhetschef
    AUDITOR = "auditor"
    SYSTEM = "system"


class ReferralSource(enum.StrEnum):
    """Where a case came from (aktualisering)."""

    INCOME_SUPPORT = "income_support"  # försörjningsstöd
    LSS_OFFICER = "lss_officer"  # LSS-handläggare
    EMPLOYMENT_SERVICE = "employment_service"  # Arbetsförmedlingen / jobcenter
    SOCIAL_INSURANCE = "social_insurance"  # Försäkringskassan
    PSYCHIATRY = "psychiatry"  # psykiatrin
    SELF = "self"  # egen ansökan


class ServiceKind(enum.StrEnum):
    """The service (insats) a referral asks for or a decision is about."""

    WORK_REHABILITATION = "work_rehabilitation"  # arbetslivsinriktad rehabilitering
    REQUIRED_ACTIVITY = "required_activity"  # anvisad praktik, SoL 4 kap 4 §
    LSS_DAILY_ACTIVITY = "lss_daily_activity"  # daglig verksamhet, LSS 9 § 10
    SOL_OCCUPATION = "sol_occupation"  # sysselsättning enligt SoL
    DK_PROTECTED_EMPLOYMENT = "dk_protected_employment"  # beskyttet beskæftigelse, SEL § 103
    DK_ACTIVITY = "dk_activity"  # aktivitets- og samværstilbud, SEL § 104


class ConsentScope(enum.StrEnum):
    """Who information may be shared with (samtycke)."""

    EMPLOYMENT_SERVICE = "employment_service"
    SOCIAL_INSURANCE = "social_insurance"
    REGION = "region"
    OTHER_BOARD = "other_board"  # annan nämnd i kommunen (OSL 8 kap)
    SUS = "sus"


class AssessmentMethod(enum.StrEnum):
    """How needs were assessed (utredning / udredning)."""

    IBIC = "ibic"
    VUM2 = "vum2"
    OTHER = "other"


class LifeArea(enum.StrEnum):
    """Life areas (livsområden), the ICF activity and participation chapters used by IBIC."""

    LEARNING = "learning"  # lärande och att tillämpa kunskap
    GENERAL_TASKS = "general_tasks"  # allmänna uppgifter och krav
    COMMUNICATION = "communication"  # kommunikation
    MOBILITY = "mobility"  # förflyttning
    SELF_CARE = "self_care"  # personlig vård
    DOMESTIC_LIFE = "domestic_life"  # hemliv
    RELATIONSHIPS = "relationships"  # mellanmänskliga interaktioner och relationer
    WORK_AND_EDUCATION = "work_and_education"  # utbildning, arbete, sysselsättning och ekonomiskt liv
    COMMUNITY_LIFE = "community_life"  # samhällsgemenskap, socialt och medborgerligt liv
    SAFETY = "safety"  # känsla av trygghet
    SUPPORT_FROM_RELATIVES = "support_from_relatives"  # personligt stöd från närstående


class Participation(enum.StrEnum):
    """How the citizen took part (delaktighet): recorded on assessments, plans and follow-ups."""

    FULL = "full"
    PARTLY = "partly"
    NOT_ABLE = "not_able"
    DECLINED = "declined"


class Personkrets(enum.StrEnum):
    """LSS 1 § group. Only groups 1 and 2 are entitled to daily activity (LSS 9 § 10)."""

    GROUP_1 = "1"
    GROUP_2 = "2"
    GROUP_3 = "3"
    NONE = "none"


class DecisionOutcome(enum.StrEnum):
    """What a decision (beslut / afgørelse) says."""

    GRANT = "grant"
    PARTIAL = "partial"
    REJECT = "reject"
    TERMINATE = "terminate"


class FormulatedBy(enum.StrEnum):
    """Whose words a goal is in (S4: the citizen is an equal party)."""

    CITIZEN = "citizen"
    JOINTLY = "jointly"
    PROXY = "proxy"  # ställföreträdare / legal representative
    PROFESSIONAL = "professional"


class GoalType(enum.StrEnum):
    """KL FFB Måltype."""

    DEVELOP = "develop"  # udvikle funktionsevne
    MAINTAIN = "maintain"  # fastholde
    LIMIT_LOSS = "limit_loss"  # begrænse tab


class GoalResult(enum.StrEnum):
    """Result of a goal at follow-up (uppnått / delvis / ej uppnått)."""

    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    DROPPED = "dropped"


@attrs.frozen(field_transformer=validated)
class GoalOutcome:
    """The result of one goal at a follow-up."""

    goal_id: uuid.UUID
    result: GoalResult


class FollowUpStatus(enum.StrEnum):
    """What a follow-up concluded (FFB Status på indsats)."""

    CONTINUE = "continue"
    CHANGE = "change"
    END = "end"


class PlanKind(enum.StrEnum):
    """The plan a case works by."""

    IMPLEMENTATION_PLAN = "implementation_plan"  # genomförandeplan
    LSS_INDIVIDUAL_PLAN = "lss_individual_plan"  # individuell plan, LSS 10 §
    DK_ACTION_PLAN = "dk_action_plan"  # handleplan, SEL § 141


class PlacementKind(enum.StrEnum):
    """What a person does at a unit."""

    WORK_TRAINING = "work_training"  # arbetsträning
    INTERNSHIP = "internship"  # praktik
    WORK_ASSESSMENT = "work_assessment"  # arbetsprövning
    DAILY_ACTIVITY = "daily_activity"  # daglig verksamhet enligt LSS
    OCCUPATION = "occupation"  # sysselsättning enligt SoL
    DK_PROTECTED_EMPLOYMENT = "dk_protected_employment"  # SEL § 103
    DK_ACTIVITY = "dk_activity"  # SEL § 104

    @property
    def is_work_rehabilitation(self) -> bool:
        """Time-limited work rehabilitation (S1: "arbetsträna i en begränsad tid")."""
        return self in _WORK_REHAB


_WORK_REHAB = frozenset(
    {PlacementKind.WORK_TRAINING, PlacementKind.INTERNSHIP, PlacementKind.WORK_ASSESSMENT}
)


class BasisKind(enum.StrEnum):
    """The one legal footing a placement stands on (B19)."""

    LSS_DECISION = "lss_decision"
    SOL_DECISION = "sol_decision"  # bistånd
    REQUIRED_ACTIVITY = "required_activity"  # SoL 4 kap 4 § requirement tied to income support
    EMPLOYMENT_SERVICE_PROGRAMME = "employment_service_programme"
    DK_DECISION = "dk_decision"  # SEL § 103 / § 104
    VOLUNTARY = "voluntary"  # open, non-assessed activity (Lotsen, Trivselhuset)

    @property
    def needs_decision(self) -> bool:
        """Whether this basis must point at a decision of the case."""
        return self in _DECIDED


_DECIDED = frozenset({BasisKind.LSS_DECISION, BasisKind.SOL_DECISION, BasisKind.DK_DECISION})


@attrs.frozen(field_transformer=validated)
class Basis:
    """A placement's basis: its kind and, for decided kinds, the decision it executes."""

    kind: BasisKind
    decision_id: uuid.UUID | None = None

    @classmethod
    def lss(cls, decision_id: uuid.UUID) -> "Basis":
        """Executes an LSS 9 § 10 decision."""
        return cls(BasisKind.LSS_DECISION, decision_id)

    @classmethod
    def sol(cls, decision_id: uuid.UUID) -> "Basis":
        """Executes a SoL bistånd decision."""
        return cls(BasisKind.SOL_DECISION, decision_id)

    @classmethod
    def dk(cls, decision_id: uuid.UUID) -> "Basis":
        """Executes a serviceloven § 103/104 decision."""
        return cls(BasisKind.DK_DECISION, decision_id)

    @classmethod
    def required_activity(cls) -> "Basis":
        """A SoL 4 kap 4 § requirement attached to income support."""
        return cls(BasisKind.REQUIRED_ACTIVITY)

    @classmethod
    def voluntary(cls) -> "Basis":
        """Open activity, no decision."""
        return cls(BasisKind.VOLUNTARY)


@attrs.frozen(field_transformer=validated)
class LegalBasis:
    """A legal reference as data: which law, which section, which version of the law."""

    jurisdiction: Jurisdiction
    law: str
    section: str
    version: str

    def cites(self, other: "LegalBasis") -> bool:
        """The same provision, whatever the version."""
        return (self.jurisdiction, self.law, self.section) == (other.jurisdiction, other.law, other.section)

    def __str__(self) -> str:
        return f"{self.law} {self.section} ({self.version})"


class UnitKind(enum.StrEnum):
    """What a unit is for."""

    WORK_REHABILITATION = "work_rehabilitation"  # arbetsmarknadsenhet, e.g. Återbruket
    LSS_DAILY_ACTIVITY = "lss_daily_activity"
    SOL_OCCUPATION = "sol_occupation"
    OPEN_ACTIVITY = "open_activity"  # e.g. Lotsen
    DK_PROTECTED_EMPLOYMENT = "dk_protected_employment"
    DK_ACTIVITY = "dk_activity"


class InterruptionReason(enum.StrEnum):
    """Why a placement paused (avbrott)."""

    ILLNESS = "illness"
    UNIT_CLOSED = "unit_closed"
    AWAITING_NEW_UNIT = "awaiting_new_unit"
    OWN_REQUEST = "own_request"
    OTHER = "other"


class EndReason(enum.StrEnum):
    """Why a placement ended."""

    COMPLETED = "completed"
    EXIT_WORK = "exit_work"
    EXIT_STUDIES = "exit_studies"
    TRANSFERRED = "transferred"
    OWN_CHOICE = "own_choice"
    ILL_HEALTH = "ill_health"
    DECISION_CEASED = "decision_ceased"
    UNIT_REFOCUS = "unit_refocus"  # the unit changes purpose (S1)
    PLACE_FREED = "place_freed"  # "frigöra platser" (S1)
    MOVED = "moved"
    DECEASED = "deceased"
    CASE_CLOSED = "case_closed"

    @property
    def needs_continuity(self) -> bool:
        """Reasons the municipality chose: an LSS participant must have a new daily activity first (B9)."""
        return self in (EndReason.UNIT_REFOCUS, EndReason.PLACE_FREED)


class EmploymentForm(enum.StrEnum):
    """How a person who left for work is employed (§ 4 exit taxonomy)."""

    OPEN = "open"  # osubventionerad anställning på öppna arbetsmarknaden
    SUBSIDISED = "subsidised"  # subventionerad anställning: needs a SubsidyType
    SHELTERED = "sheltered"  # skyddat arbete: needs a SubsidyType (Samhall, OSA)
    OWN_BUSINESS = "own_business"
    OTHER = "other"

    @property
    def needs_subsidy(self) -> bool:
        """Subsidised and sheltered work must name the subsidy (B20)."""
        return self in (EmploymentForm.SUBSIDISED, EmploymentForm.SHELTERED)


class SubsidyType(enum.StrEnum):
    """Subsidies and sheltered forms (förordning 2017:462 and others; DK forms unverified, kept as data)."""

    NYSTARTSJOBB = "nystartsjobb"
    INTRODUKTIONSJOBB = "introduktionsjobb"
    LONEBIDRAG_ANSTALLNING = "lonebidrag_anstallning"
    LONEBIDRAG_UTVECKLING = "lonebidrag_utveckling"
    LONEBIDRAG_TRYGGHET = "lonebidrag_trygghet"
    SAMHALL = "samhall"
    OSA = "osa"  # offentligt skyddat arbete
    EXTRATJANST = "extratjanst"
    DK_FLEKSJOB = "dk_fleksjob"
    DK_LONTILSKUD = "dk_lontilskud"


class EmployerSector(enum.StrEnum):
    """Who employs a person who left for work."""

    PRIVATE = "private"
    PUBLIC = "public"
    NON_PROFIT = "non_profit"


class StudyKind(enum.StrEnum):
    """Where a person who left for studies studies."""

    KOMVUX = "komvux"
    FOLKHOGSKOLA = "folkhogskola"
    GYMNASIUM = "gymnasium"
    UNIVERSITY = "university"  # högskola
    VOCATIONAL = "vocational"  # yrkeshögskola
    SFI = "sfi"
    LABOUR_MARKET_TRAINING = "labour_market_training"  # arbetsmarknadsutbildning (counts as studies in SUS)
    OTHER = "other"


class CloseReason(enum.StrEnum):
    """Why a case was closed (avslut)."""

    GOAL_REACHED = "goal_reached"
    EXITED = "exited"
    TRANSFERRED = "transferred"
    OWN_CHOICE = "own_choice"
    NO_NEED = "no_need"
    MOVED = "moved"
    DECEASED = "deceased"
    OTHER = "other"


class LegalBases:
    """Common legal references. Versions are data: pass your own LegalBasis for another version."""

    LSS_DAILY_ACTIVITY = LegalBasis(Jurisdiction.SE, "LSS", "9 § 10", "SFS 1993:387")
    SOL_ASSISTANCE_2001 = LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 1 §", "SFS 2001:453")
    SOL_REQUIRED_ACTIVITY_2001 = LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 4 §", "SFS 2001:453")
    SOL_ASSISTANCE_2025 = LegalBasis(Jurisdiction.SE, "SoL", "11 kap. 1 §", "SFS 2025:400")
    DK_PROTECTED_EMPLOYMENT = LegalBasis(Jurisdiction.DK, "Serviceloven", "§ 103", "LBK 2024")
    DK_ACTIVITY = LegalBasis(Jurisdiction.DK, "Serviceloven", "§ 104", "LBK 2024")


# --- #13 privacy: retention -------------------------------------------------------------------------------


class RetentionRegime(enum.StrEnum):
    """The retention rules a record falls under, chosen by the legal basis of its entries."""

    SOL = "sol"  # socialtjänstlagen: the personakt is erased (gallras) five years after its last entry
    LSS_BOARD = "lss_board"  # the nämnd's LSS records: kept (bevaras)
    LSS_PRIVATE = "lss_private"  # a private LSS provider (enskild verksamhet): erased two years after
    DK = "dk"  # Denmark: Rigsarkivet's rules, counted from the year the case closed


class HoldReason(enum.StrEnum):
    """Why a record must not be erased yet (a legal hold)."""

    APPEAL = "appeal"  # an appeal is pending (överklagande)
    SUPERVISORY_INQUIRY = "supervisory_inquiry"  # IVO, JO or Ankestyrelsen is looking at the case
    ACCESS_REQUEST = "access_request"  # a request for the documents is pending (begäran om utlämnande)
    OTHER = "other"
