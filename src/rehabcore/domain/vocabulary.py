"""The controlled vocabulary of a case record: enums and small value types.

Enum values are stable strings: they are what is stored. English identifiers, with the Swedish or Danish term
in a comment where it helps a municipal reader. Legal references are data (:class:`LegalBasis`), never enum
names, because laws are replaced (SoL 2001:453 by SoL 2025:400 on 2025-07-01).

Pure: imports only the standard library, attrs and rehabcore.errors.
"""

import datetime as dt
import enum
import uuid

import attrs

from rehabcore.domain.validation import validated
from rehabcore.errors import InvalidInput


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
    #: Arbetsförmedlingen, a state agency. Danish cases recorded before #18 stored the jobcenter here too;
    #: those rows still decode as this member (the stored value is unchanged).
    EMPLOYMENT_SERVICE = "employment_service"  # Arbetsförmedlingen
    SOCIAL_INSURANCE = "social_insurance"  # Försäkringskassan
    PSYCHIATRY = "psychiatry"  # psykiatrin
    SELF = "self"  # egen ansökan
    # --- #18 Danish practice
    #: The Danish jobcenter: a municipal body (lov om en aktiv beskæftigelsesindsats), not a state agency.
    JOBCENTER = "jobcenter"  # jobcentret


class ServiceKind(enum.StrEnum):
    """The service (insats) a referral asks for or a decision is about."""

    WORK_REHABILITATION = "work_rehabilitation"  # arbetslivsinriktad rehabilitering
    REQUIRED_ACTIVITY = "required_activity"  # anvisad praktik, SoL 4 kap 4 §
    LSS_DAILY_ACTIVITY = "lss_daily_activity"  # daglig verksamhet, LSS 9 § 10
    SOL_OCCUPATION = "sol_occupation"  # sysselsättning enligt SoL
    DK_PROTECTED_EMPLOYMENT = "dk_protected_employment"  # beskyttet beskæftigelse, SEL § 103
    DK_ACTIVITY = "dk_activity"  # aktivitets- og samværstilbud, SEL § 104
    HOUSING_SUPPORT = "housing_support"  # boendestöd enligt SoL (#16)
    # --- #18 Danish practice
    #: Help, care, support, training and development of skills (the Kraftcenter's training, seed 004).
    DK_DAILY_LIFE_SUPPORT = "dk_daily_life_support"  # socialpædagogisk bistand, SEL § 85


class ConsentScope(enum.StrEnum):
    """Who information may be shared with (samtycke)."""

    EMPLOYMENT_SERVICE = "employment_service"
    SOCIAL_INSURANCE = "social_insurance"
    REGION = "region"
    OTHER_BOARD = "other_board"  # annan nämnd i kommunen (OSL 8 kap)
    SUS = "sus"
    # --- issue #16: the recipients of a disclosure (B21)
    HOUSING_SUPPORT = "housing_support"  # boendestöd
    HEALTH_CARE = "health_care"  # hälso- och sjukvården
    PROVIDER = "provider"  # en utförare (kontrakterad eller egen regi)


class DataCategory(enum.StrEnum):
    """What kind of information is disclosed (B21; the person's file lists it, GDPR art. 15)."""

    IDENTITY = "identity"  # vem personen är
    DECISIONS = "decisions"  # beslut
    PLAN = "plan"  # genomförandeplan och mål
    ATTENDANCE = "attendance"  # närvaro
    FOLLOW_UP = "follow_up"  # uppföljning
    HEALTH = "health"  # hälsa (känsliga personuppgifter)


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
    # --- #18 assessment: IBIC's health, body functions (ICF b1–b8) and environmental factors (ICF e1–e5).
    # Added after rows were stored: the values above never change, so old assessments and goals still decode.
    HEALTH = "health"  # hälsa (hälsotillstånd, as the person experiences it)
    MENTAL_FUNCTIONS = "mental_functions"  # b1 psykiska funktioner
    SENSORY_FUNCTIONS_AND_PAIN = "sensory_functions_and_pain"  # b2 sinnesfunktioner och smärta
    VOICE_AND_SPEECH = "voice_and_speech"  # b3 röst- och talfunktioner
    CARDIOVASCULAR_AND_RESPIRATORY = "cardiovascular_and_respiratory"  # b4 hjärt-kärl, blod, immun, andning
    DIGESTIVE_AND_METABOLIC = "digestive_and_metabolic"  # b5 matsmältning, ämnesomsättning, endokrina
    GENITOURINARY = "genitourinary"  # b6 funktioner i urin- och könsorganen och reproduktiva funktioner
    MOVEMENT_FUNCTIONS = "movement_functions"  # b7 neuromuskuloskeletala och rörelserelaterade funktioner
    SKIN = "skin"  # b8 funktioner i huden och därmed förknippade strukturer
    PRODUCTS_AND_TECHNOLOGY = "products_and_technology"  # e1 produkter och teknik
    NATURAL_ENVIRONMENT = "natural_environment"  # e2 naturlig miljö och mänskligt orsakade förändringar
    SUPPORT_AND_RELATIONSHIPS = "support_and_relationships"  # e3 stöd och relationer
    ATTITUDES = "attitudes"  # e4 attityder
    SERVICES_SYSTEMS_AND_POLICIES = "services_systems_and_policies"  # e5 service, tjänster, system och policy


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
    HOUSING_SUPPORT = "housing_support"  # boendestöd i hemmet (#16)

    @property
    def is_work_rehabilitation(self) -> bool:
        """Time-limited work rehabilitation (S1: "arbetsträna i en begränsad tid")."""
        return self in _WORK_REHAB


_WORK_REHAB = frozenset(
    {PlacementKind.WORK_TRAINING, PlacementKind.INTERNSHIP, PlacementKind.WORK_ASSESSMENT}
)


def services_for(kind: PlacementKind) -> frozenset["ServiceKind"]:
    """The decided services a placement of ``kind`` executes, and whose decisions may extend it (B6, B19)."""
    return _SERVICES_FOR[kind]


_SERVICES_FOR: dict[PlacementKind, frozenset[ServiceKind]] = {
    **{k: frozenset({ServiceKind.WORK_REHABILITATION, ServiceKind.REQUIRED_ACTIVITY}) for k in _WORK_REHAB},
    PlacementKind.DAILY_ACTIVITY: frozenset({ServiceKind.LSS_DAILY_ACTIVITY}),
    PlacementKind.OCCUPATION: frozenset({ServiceKind.SOL_OCCUPATION}),
    PlacementKind.DK_PROTECTED_EMPLOYMENT: frozenset({ServiceKind.DK_PROTECTED_EMPLOYMENT}),
    PlacementKind.DK_ACTIVITY: frozenset({ServiceKind.DK_ACTIVITY}),
    PlacementKind.HOUSING_SUPPORT: frozenset({ServiceKind.HOUSING_SUPPORT}),
}
#: Placement kinds of serviceloven: each stands on a Danish decision of its own section (B19).
DANISH_KINDS = frozenset({PlacementKind.DK_PROTECTED_EMPLOYMENT, PlacementKind.DK_ACTIVITY})


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
#: The bases of one country's law (B19); the others (a programme, open activity) exist in both.
BASES_OF: dict["Jurisdiction", frozenset[BasisKind]] = {}


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


BASES_OF.update(
    {
        Jurisdiction.SE: frozenset(
            {BasisKind.LSS_DECISION, BasisKind.SOL_DECISION, BasisKind.REQUIRED_ACTIVITY}
        ),
        Jurisdiction.DK: frozenset({BasisKind.DK_DECISION}),
    }
)


class UnitKind(enum.StrEnum):
    """What a unit is for."""

    WORK_REHABILITATION = "work_rehabilitation"  # arbetsmarknadsenhet, e.g. Återbruket
    LSS_DAILY_ACTIVITY = "lss_daily_activity"
    SOL_OCCUPATION = "sol_occupation"
    OPEN_ACTIVITY = "open_activity"  # e.g. Lotsen
    DK_PROTECTED_EMPLOYMENT = "dk_protected_employment"
    DK_ACTIVITY = "dk_activity"
    HOUSING_SUPPORT = "housing_support"  # boendestöd (#16)


class ContinuityGround(enum.StrEnum):
    """A recorded ground on which an LSS participant may be left without daily activity (B9).

    Without one, a daily activity under an LSS decision in force ends only when a new one starts the next day.
    """

    OWN_WISH = "own_wish"  # the person's own wish, in their own words (LSS 6 §, 8 §: insats on request)
    DECEASED = "deceased"
    MOVED_AWAY = "moved_away"  # moved out of the municipality (LSS 16 §: the new one is responsible)
    EMPLOYMENT = "employment"  # took up work (LSS 9 § 10: for those without gainful employment)
    DECISION_ENDED = "decision_ended"  # the decision was ended by a new decision


class InterruptionReason(enum.StrEnum):
    """Why a placement paused (avbrott)."""

    ILLNESS = "illness"
    UNIT_CLOSED = "unit_closed"
    AWAITING_NEW_UNIT = "awaiting_new_unit"
    OWN_REQUEST = "own_request"
    OTHER = "other"

    @property
    def needs_continuity(self) -> bool:
        """The municipality's reason: an LSS participant waits for no new unit without a ground (B9)."""
        return self is InterruptionReason.AWAITING_NEW_UNIT


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
    def implied_ground(self) -> "ContinuityGround | None":
        """The B9 ground this reason is itself (own choice, death, moving away, work, decision ended)."""
        return _IMPLIED_GROUNDS.get(self)


class DialogueParty(enum.StrEnum):
    """Who took part in, or was informed of, a dialogue about a person's daily activity (S1, LSS 6 §)."""

    PERSON = "person"  # the person themself
    RELATIVE = "relative"  # närstående / pårørende
    GOOD_MAN = "good_man"  # god man (FB 11 kap. 4 §)
    ADMINISTRATOR = "administrator"  # förvaltare (FB 11 kap. 7 §)
    LEGAL_GUARDIAN = "legal_guardian"  # værge (DK) or another legal representative
    CASE_WORKER = "case_worker"  # handläggare
    UNIT_STAFF = "unit_staff"  # personal på enheten
    OTHER = "other"
    HOUSING_SUPPORT = "housing_support"  # boendestödet (#16)


_IMPLIED_GROUNDS = {
    EndReason.OWN_CHOICE: ContinuityGround.OWN_WISH,
    EndReason.DECISION_CEASED: ContinuityGround.DECISION_ENDED,
    EndReason.DECEASED: ContinuityGround.DECEASED,
    EndReason.MOVED: ContinuityGround.MOVED_AWAY,
    EndReason.EXIT_WORK: ContinuityGround.EMPLOYMENT,
}


class EmploymentForm(enum.StrEnum):
    """How a person who left for work is employed (§ 4 exit taxonomy)."""

    OPEN = "open"  # osubventionerad anställning på öppna arbetsmarknaden
    SUBSIDISED = "subsidised"  # subventionerad anställning: needs a SubsidyType
    SHELTERED = "sheltered"  # skyddat arbete: needs a SubsidyType (Samhall, OSA)
    OWN_BUSINESS = "own_business"
    OTHER = "other"
    #: #18: a municipal labour-market employment (kommunal arbetsmarknadsanställning): made to soften
    #: unemployment and reserved for some job seekers, so Kolada does not count it as work.
    MUNICIPAL = "municipal"

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

    @property
    def student_aid_by_default(self) -> bool:
        """#18: whether studies of this kind give the right to student aid (studiemedelsberättigade, CSN)
        unless the exit says otherwise. Labour-market training is paid by Arbetsförmedlingen (aktivitetsstöd),
        not by student aid; upper secondary school, sfi and other studies depend on the person, so the exit
        must say so (``student_aid``) for them to count."""
        return self in _STUDENT_AID_KINDS


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

    @property
    def implied_ground(self) -> ContinuityGround | None:
        """The B9 ground this reason is itself (own choice, death, a move away), if it is one."""
        return _CLOSE_GROUNDS.get(self)


_CLOSE_GROUNDS = {
    CloseReason.OWN_CHOICE: ContinuityGround.OWN_WISH,
    CloseReason.DECEASED: ContinuityGround.DECEASED,
    CloseReason.MOVED: ContinuityGround.MOVED_AWAY,
}


class LegalBases:
    """Common legal references. Versions are data: pass your own LegalBasis for another version."""

    LSS_DAILY_ACTIVITY = LegalBasis(Jurisdiction.SE, "LSS", "9 § 10", "SFS 1993:387")
    SOL_ASSISTANCE_2001 = LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 1 §", "SFS 2001:453")
    SOL_REQUIRED_ACTIVITY_2001 = LegalBasis(Jurisdiction.SE, "SoL", "4 kap. 4 §", "SFS 2001:453")
    #: The paragraph is from a municipality's summary of the bill, not read in SFS 2025:400 itself: unverified
    #: (docs/rules.md, "Legal versions"). The version is what B16 checks against the decision date.
    SOL_ASSISTANCE_2025 = LegalBasis(Jurisdiction.SE, "SoL", "11 kap. 1 §", "SFS 2025:400")
    #: "LBK 2024" names no consolidated act by number and date: kept so stored decisions read the same; the
    #: act's number and date are unverified (docs/rules.md). Pass your own version, e.g. "LBK nr N af DATO".
    DK_PROTECTED_EMPLOYMENT = LegalBasis(Jurisdiction.DK, "Serviceloven", "§ 103", "LBK 2024")
    DK_ACTIVITY = LegalBasis(Jurisdiction.DK, "Serviceloven", "§ 104", "LBK 2024")
    # --- #18 Danish practice
    DK_DAILY_LIFE_SUPPORT = LegalBasis(Jurisdiction.DK, "Serviceloven", "§ 85", "LBK 2024")
    #: Secrecy towards the person themself after a case-by-case assessment (#12).
    OSL_WITHHELD_FROM_PERSON = LegalBasis(Jurisdiction.SE, "OSL", "26 kap. 5 §", "SFS 2009:400")
    DK_WITHHELD_FROM_PARTY = LegalBasis(Jurisdiction.DK, "Forvaltningsloven", "§ 15 b", "LBK 2014")

    @staticmethod
    def sol_assistance(on: dt.date) -> LegalBasis:
        """SoL bistånd in the version in force on ``on``: SFS 2001:453 to 2025-06-30, SFS 2025:400 from
        2025-07-01 (B16 refuses a decision citing the other)."""
        return LegalBases.SOL_ASSISTANCE_2025 if on >= NEW_SOL_IN_FORCE else LegalBases.SOL_ASSISTANCE_2001


# --- #18 Danish practice: the § 103 "other legislation first" assessment ------------------------------------


class OtherLegislationOffer(enum.StrEnum):
    """An offer under other legislation weighed before serviceloven § 103 (tilbud efter anden lovgivning)."""

    FLEXJOB = "flexjob"  # fleksjob (lov om en aktiv beskæftigelsesindsats)
    RESOURCE_PROGRAMME = "resource_programme"  # ressourceforløb
    JOB_CLARIFICATION = "job_clarification"  # jobafklaringsforløb
    WAGE_SUBSIDY = "wage_subsidy"  # løntilskud / virksomhedspraktik
    EDUCATION = "education"  # uddannelse, e.g. STU
    OTHER = "other"


class OtherLegislationFinding(enum.StrEnum):
    """What the assessment found: can the person use an offer under other legislation?"""

    NONE_USABLE = "none_usable"  # kan ikke benytte tilbud efter anden lovgivning: § 103 may be granted
    USABLE = "usable"  # an offer under other legislation fits: it comes first


# --- #18 legal versions: when each version of a law was in force (B16) --------------------------------------

#: The day SFS 2025:400 replaced SFS 2001:453 (prop. 2024/25:89; the old act's own transitional rules aside).
NEW_SOL_IN_FORCE = dt.date(2025, 7, 1)


@attrs.frozen(kw_only=True)
class LawVersion:
    """One version of a law and the days it was in force: ``until`` is its last day, None while in force."""

    jurisdiction: Jurisdiction
    law: str
    version: str
    since: dt.date
    until: dt.date | None = None
    #: The version that took its place, named in the refusal so the case worker knows what to cite.
    replaced_by: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """Whether this version applied on ``on``."""
        return self.since <= on and (self.until is None or on <= self.until)


#: The versions B16 knows. A version not listed (a municipality's own, a Danish LBK) is not checked: versions
#: are data, and only dates read in the acts themselves are written here.
LAW_VERSIONS: tuple[LawVersion, ...] = (
    LawVersion(
        jurisdiction=Jurisdiction.SE,
        law="SoL",
        version="SFS 2001:453",
        since=dt.date(2002, 1, 1),
        until=NEW_SOL_IN_FORCE - dt.timedelta(days=1),
        replaced_by="SFS 2025:400",
    ),
    LawVersion(jurisdiction=Jurisdiction.SE, law="SoL", version="SFS 2025:400", since=NEW_SOL_IN_FORCE),
    LawVersion(jurisdiction=Jurisdiction.SE, law="LSS", version="SFS 1993:387", since=dt.date(1994, 1, 1)),
)


def law_version(basis: LegalBasis) -> LawVersion | None:
    """The known version ``basis`` cites, or None when its version is not in :data:`LAW_VERSIONS`.

    Matched on the version alone: an SFS number names one act whatever the law is called ("SoL",
    "Socialtjänstlagen").
    """
    for known in LAW_VERSIONS:
        if (known.jurisdiction, known.version) == (basis.jurisdiction, basis.version.strip()):
            return known
    return None


# --- the execution duty and IVO's quarterly report (#11) ---------------------------------------------------


class ExtentUnit(enum.StrEnum):
    """What an extent counts (omfattning)."""

    HOURS_PER_WEEK = "hours_per_week"  # timmar per vecka
    DAYS_PER_WEEK = "days_per_week"  # dagar per vecka


_EXTENT_MAX = {ExtentUnit.HOURS_PER_WEEK: 168, ExtentUnit.DAYS_PER_WEEK: 7}


def _extent_amount(inst: "Extent", _attr: object, value: int) -> None:
    high = _EXTENT_MAX.get(inst.unit, 168)
    if isinstance(value, int) and not 1 <= value <= high:  # not an int: the type check says so
        raise InvalidInput("Extent.amount", f"must be between 1 and {high} {inst.unit} (a week)")


@attrs.frozen(field_transformer=validated)
class Extent:
    """How much a decision grants a week: hours or days (omfattning). Partial execution is measured by it."""

    unit: ExtentUnit
    amount: int = attrs.field(validator=_extent_amount)

    @classmethod
    def hours(cls, amount: int) -> "Extent":
        """``amount`` hours a week."""
        return cls(ExtentUnit.HOURS_PER_WEEK, amount)

    @classmethod
    def days(cls, amount: int) -> "Extent":
        """``amount`` days a week."""
        return cls(ExtentUnit.DAYS_PER_WEEK, amount)

    def __str__(self) -> str:
        return f"{self.amount} {'h' if self.unit is ExtentUnit.HOURS_PER_WEEK else 'd'}/week"


class DutyEndReason(enum.StrEnum):
    """Why the duty to execute a favourable decision ended without execution, as IVO asks it to be reported.

    Only these end it: an offer declined does not (the person may still want the insats).
    """

    DECLINED_AND_WITHDREW = "declined_and_withdrew"  # tackat nej till insatsen och återtagit ansökan
    DIED = "died"  # avliden
    MOVED_OUT = "moved_out"  # flyttat från kommunen
    #: IVO's FAQ ("Individen har tackat nej till insatsen …"): a case also ends "av annan anledning" when the
    #: person withdraws the application, or the need no longer remains.
    APPLICATION_WITHDRAWN = "application_withdrawn"  # drog tillbaka sin ansökan
    NEED_NO_LONGER_REMAINS = "need_no_longer_remains"  # behovet kvarstår inte längre
    #: Not recorded by hand: the decision itself ended (terminated by a new decision, or its time ran out).
    DECISION_ENDED = "decision_ended"  # beslutet har upphört


class InterimSupportKind(enum.StrEnum):
    """Support given while a decision waits to be executed (IVO asks whether any was)."""

    OTHER_LSS_INSATS = "other_lss_insats"  # annan insats enligt LSS
    SOL_ASSISTANCE = "sol_assistance"  # bistånd enligt SoL i väntan
    OPEN_ACTIVITY = "open_activity"  # öppen verksamhet utan biståndsbeslut
    OTHER = "other"


class ReportedState(enum.StrEnum):
    """Where a reportable decision stands at the end of a quarter, as the IVO report says it."""

    NOT_EXECUTED = "not_executed"  # ej verkställt
    INTERRUPTED = "interrupted"  # avbrott i verkställigheten
    PARTLY_EXECUTED = "partly_executed"  # delvis verkställt (counts as an interruption)
    EXECUTED = "executed"  # verkställt
    ENDED = "ended"  # avslutat utan verkställighet


def _quarter_number(_inst: object, _attr: object, value: int) -> None:
    if isinstance(value, int) and not 1 <= value <= 4:
        raise InvalidInput("Quarter.number", "must be 1, 2, 3 or 4 (as in 2026Q2)")


def _quarter_year(_inst: object, _attr: object, value: int) -> None:
    if isinstance(value, int) and not 1994 <= value <= 9998:
        raise InvalidInput("Quarter.year", "must be a year from 1994 (LSS) on, as in 2026Q2")


@attrs.frozen(order=True, field_transformer=validated)
class Quarter:
    """A calendar quarter (``2026Q2``): IVO's reports are quarterly."""

    year: int = attrs.field(validator=_quarter_year)
    number: int = attrs.field(validator=_quarter_number)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """``"2026Q2"`` → Quarter(2026, 2); anything else raises InvalidInput naming ``quarter``."""
        cleaned = text.strip().upper() if isinstance(text, str) else ""
        year, sep, number = cleaned.partition("Q")
        if not (sep and len(year) == 4 and year.isdigit() and len(number) == 1 and number.isdigit()):
            raise InvalidInput("quarter", "write a quarter as YYYYQn, e.g. 2026Q2")
        return cls(int(year), int(number))

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        """The quarter's first day."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """The quarter's last day."""
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> "Quarter":
        """The quarter after."""
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> "Quarter":
        """The quarter before."""
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@attrs.frozen(kw_only=True, field_transformer=validated)
class ReportedDecision:
    """One decision as a submitted IVO report listed it (frozen in ``IvoReportSubmitted``)."""

    case_id: uuid.UUID
    decision_id: uuid.UUID
    state: ReportedState
    #: The first day of the stretch not executed (the decision day when never executed).
    since: dt.date
    #: The day three calendar months from ``since`` were reached.
    reached_on: dt.date
    #: Executed on, or the duty ended on (state ``executed`` / ``ended``).
    settled_on: dt.date | None = None
    end_reason: DutyEndReason | None = None


# --- decisions: applications, deciders, reconsideration and appeal (issue #12) --------------------------


@attrs.frozen(field_transformer=validated)
class Official:
    """Who made a decision (FL 31 §, forvaltningsloven § 22): a staff id, the role, the delegation used."""

    id: str
    role: Role
    #: The point of the delegation order the decision was made under (delegationsordning), if recorded.
    delegation: str | None = None


class Applicant(enum.StrEnum):
    """Who applied (LSS 8 §: an insats is granted on the person's request, or their representative's)."""

    PERSON = "person"
    GOOD_MAN = "good_man"  # god man
    ADMINISTRATOR = "administrator"  # förvaltare
    GUARDIAN = "guardian"  # vårdnadshavare (a child) / værge
    OTHER_REPRESENTATIVE = "other_representative"  # ombud with power of attorney


class ApplicationForm(enum.StrEnum):
    """How an application came in: LSS and SoL applications may be oral."""

    WRITTEN = "written"
    ORAL = "oral"


class ReconsiderationGround(enum.StrEnum):
    """Why a decision may change to the person's disadvantage (FL 39 §; JO on LSS: changed circumstances)."""

    RESERVATION = "reservation"  # the decision itself reserved a change (förbehåll), FL 39 § 1
    SAFETY = "safety"  # compelling safety reasons (tvingande säkerhetsskäl), FL 39 § 2
    MISLEADING_INFORMATION = "misleading_information"  # obtained by the person's false information, FL 39 § 3
    CHANGED_CIRCUMSTANCES = "changed_circumstances"  # väsentligt ändrade förhållanden (JO 2016/17 s. 589)


class AppealInstance(enum.StrEnum):
    """Where a decision was appealed (överklagat / påklaget)."""

    ADMINISTRATIVE_COURT = "administrative_court"  # förvaltningsrätt
    ADMINISTRATIVE_COURT_OF_APPEAL = "administrative_court_of_appeal"  # kammarrätt
    SUPREME_ADMINISTRATIVE_COURT = "supreme_administrative_court"  # Högsta förvaltningsdomstolen
    DK_APPEALS_BOARD = "dk_appeals_board"  # Ankestyrelsen


class AppealResult(enum.StrEnum):
    """What the appeal came to."""

    UPHELD = "upheld"  # fastställt: the decision stands
    CHANGED = "changed"  # ändrat: the court decided otherwise
    RETURNED = "returned"  # återförvisat: sent back for a new decision


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


# --- #18 outcomes: exit destinations, employment length, income sources, follow-ups after exit -----------

_STUDENT_AID_KINDS = frozenset(
    {StudyKind.KOMVUX, StudyKind.FOLKHOGSKOLA, StudyKind.UNIVERSITY, StudyKind.VOCATIONAL}
)


class ExitDestination(enum.StrEnum):
    """Where a person went who left for neither work nor studies (domain.md § 4; SUS: sysselsättning)."""

    JOB_SEEKER_AF = "job_seeker_af"  # inskriven som arbetssökande på Arbetsförmedlingen
    AF_PROGRAMME = "af_programme"  # i Arbetsförmedlingens program (arbetspraktik, kartläggning …)
    SICK_LEAVE = "sick_leave"  # sjukskriven
    SICKNESS_COMPENSATION = "sickness_compensation"  # sjukersättning
    ACTIVITY_COMPENSATION = "activity_compensation"  # aktivitetsersättning
    PARENTAL_LEAVE = "parental_leave"  # föräldraledig
    MOVED = "moved"  # flyttat från kommunen
    DECEASED = "deceased"  # avliden
    OWN_CHOICE = "own_choice"  # avbrutet på egen begäran
    CONSENT_WITHDRAWN = "consent_withdrawn"  # samtycket återkallat
    UNKNOWN = "unknown"  # okänt
    OTHER = "other"

    @property
    def end_reason(self) -> "EndReason":
        """Why the placements still running end with this exit (a ground of B9 where it is one)."""
        return _DESTINATION_END.get(self, EndReason.COMPLETED)


_DESTINATION_END = {
    ExitDestination.MOVED: EndReason.MOVED,
    ExitDestination.DECEASED: EndReason.DECEASED,
    ExitDestination.OWN_CHOICE: EndReason.OWN_CHOICE,
    ExitDestination.CONSENT_WITHDRAWN: EndReason.OWN_CHOICE,
    ExitDestination.SICK_LEAVE: EndReason.ILL_HEALTH,
    ExitDestination.SICKNESS_COMPENSATION: EndReason.ILL_HEALTH,
    ExitDestination.ACTIVITY_COMPENSATION: EndReason.ILL_HEALTH,
}


class EmploymentTerm(enum.StrEnum):
    """How long the job a person left for lasts (anställningens varaktighet)."""

    PERMANENT = "permanent"  # tillsvidareanställning
    FIXED_TERM = "fixed_term"  # visstidsanställning: its last day is recorded


class IncomeSource(enum.StrEnum):
    """What a person lives on (SUS försörjningskällor), before the programme and after it."""

    SALARY = "salary"  # lön
    OWN_BUSINESS = "own_business"  # inkomst av eget företag
    ECONOMIC_ASSISTANCE = "economic_assistance"  # ekonomiskt bistånd / kontanthjælp
    ACTIVITY_SUPPORT = "activity_support"  # aktivitetsstöd, utvecklings- eller etableringsersättning
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"  # a-kassa / dagpenge
    SICKNESS_BENEFIT = "sickness_benefit"  # sjukpenning / sygedagpenge
    SICKNESS_COMPENSATION = "sickness_compensation"  # sjukersättning / førtidspension
    ACTIVITY_COMPENSATION = "activity_compensation"  # aktivitetsersättning
    STUDENT_AID = "student_aid"  # studiemedel
    PARENTAL_BENEFIT = "parental_benefit"  # föräldrapenning
    PENSION = "pension"  # ålderspension
    NONE = "none"  # ingen egen försörjning (e.g. supported by family)
    OTHER = "other"
    UNKNOWN = "unknown"


class OutcomePoint(enum.StrEnum):
    """When after the exit a person's situation is followed up (uppföljning efter avslut)."""

    ONE_MONTH = "one_month"
    SIX_MONTHS = "six_months"
    TWELVE_MONTHS = "twelve_months"

    @property
    def months(self) -> int:
        """Months after the exit."""
        return _POINT_MONTHS[self]


_POINT_MONTHS = {OutcomePoint.ONE_MONTH: 1, OutcomePoint.SIX_MONTHS: 6, OutcomePoint.TWELVE_MONTHS: 12}


class OutcomeActivity(enum.StrEnum):
    """What a person does at a follow-up after the exit."""

    WORK = "work"  # arbetar (the employment form says how)
    STUDIES = "studies"  # studerar
    JOB_SEEKER_AF = "job_seeker_af"
    AF_PROGRAMME = "af_programme"
    SICK_LEAVE = "sick_leave"
    SICKNESS_COMPENSATION = "sickness_compensation"
    ACTIVITY_COMPENSATION = "activity_compensation"
    PARENTAL_LEAVE = "parental_leave"
    BACK_IN_PROGRAMME = "back_in_programme"  # åter i kommunens arbetsmarknadsverksamhet
    MOVED = "moved"
    DECEASED = "deceased"
    OTHER = "other"
    NOT_REACHED = "not_reached"  # gick inte att nå: the situation is unknown


# --- #18 attendance ---------------------------------------------------------------------------------------


class Weekday(enum.StrEnum):
    """A day of a recorded week (ISO order, Monday first)."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def offset(self) -> int:
        """Days after Monday."""
        return list(Weekday).index(self)


class AbsenceReason(enum.StrEnum):
    """Why a person was away from a placement on a day they were expected (frånvaroorsak)."""

    ILLNESS = "illness"  # sjuk
    CARE_OF_CHILD = "care_of_child"  # vård av barn
    APPOINTMENT = "appointment"  # besök i vården, hos en myndighet eller en arbetsgivare
    AGREED_LEAVE = "agreed_leave"  # ledighet efter överenskommelse
    UNIT_CLOSED = "unit_closed"  # the unit was closed that day
    UNEXCUSED = "unexcused"  # utan giltigt skäl
    OTHER = "other"

    @property
    def valid(self) -> bool:
        """Whether the absence has a valid reason (giltigt skäl): only ``unexcused`` has none. What counts
        as valid for income support is the case worker's assessment (SoL 4 kap. 5 §); this is the unit's
        report of it."""
        return self is not AbsenceReason.UNEXCUSED


@attrs.frozen(field_transformer=validated)
class Absence:
    """A day away from a placement, and why."""

    day: Weekday
    reason: AbsenceReason


# --- #18 open activities and unit changes ---------------------------------------------------------------


class VisitForm(enum.StrEnum):
    """How an open activity met its visitors on a day (seed 001: Trivselhuset during the pandemic)."""

    ON_SITE = "on_site"  # på plats, in the meeting place
    PHONE = "phone"  # per telefon
    WALK = "walk"  # promenad
    SMALL_GROUP = "small_group"  # i mindre grupper


# --- #18 assessment: IBIC levels and the Danish VUM 2.0 themes ---------------------------------------------

#: The ICF body-function chapters (b1–b8) among the life areas, with health (IBIC's hälsa).
BODY_FUNCTIONS = frozenset(
    {
        LifeArea.HEALTH,
        LifeArea.MENTAL_FUNCTIONS,
        LifeArea.SENSORY_FUNCTIONS_AND_PAIN,
        LifeArea.VOICE_AND_SPEECH,
        LifeArea.CARDIOVASCULAR_AND_RESPIRATORY,
        LifeArea.DIGESTIVE_AND_METABOLIC,
        LifeArea.GENITOURINARY,
        LifeArea.MOVEMENT_FUNCTIONS,
        LifeArea.SKIN,
    }
)
#: The ICF environmental-factor chapters (e1–e5) among the life areas: a level there is how much the factor
#: hinders (ICF's barrier qualifier), not the person's difficulty.
ENVIRONMENTAL_FACTORS = frozenset(
    {
        LifeArea.PRODUCTS_AND_TECHNOLOGY,
        LifeArea.NATURAL_ENVIRONMENT,
        LifeArea.SUPPORT_AND_RELATIONSHIPS,
        LifeArea.ATTITUDES,
        LifeArea.SERVICES_SYSTEMS_AND_POLICIES,
    }
)


class VumTheme(enum.StrEnum):
    """The themes of the Danish adult assessment method VUM 2.0 (voksenudredningsmetoden): Danish cases are
    assessed in these, not in the Swedish ICF/IBIC life areas (their own list, never mixed: rule V1)."""

    SELF_CARE = "self_care"  # egenomsorg
    PRACTICAL_TASKS = "practical_tasks"  # praktiske opgaver i hjemmet
    MOBILITY = "mobility"  # mobilitet
    COMMUNICATION = "communication"  # kommunikation
    COMMUNITY_LIFE = "community_life"  # samfundsliv (uddannelse, beskæftigelse, økonomi)
    SOCIAL_LIFE = "social_life"  # socialt liv / relationer
    HEALTH = "health"  # sundhed
    MENTAL_FUNCTIONS = "mental_functions"  # mentale funktioner
    PHYSICAL_FUNCTIONS = "physical_functions"  # fysiske funktioner
    ENVIRONMENTAL_FACTORS = "environmental_factors"  # omgivelsesfaktorer


def _zero_to_four(_inst: object, attr: "attrs.Attribute[int]", value: int) -> None:
    if isinstance(value, int) and not 0 <= value <= 4:  # not an int: the type check says so
        raise InvalidInput(attr.name, "must be a level from 0 (no difficulty) to 4 (complete difficulty)")


@attrs.frozen(kw_only=True, field_transformer=validated)
class AreaLevel:
    """One life area assessed on IBIC's (ICF's) scale: 0 no, 1 mild, 2 moderate, 3 severe, 4 complete
    difficulty — for an environmental factor, how much it hinders."""

    area: LifeArea
    level: int = attrs.field(validator=_zero_to_four)


@attrs.frozen(kw_only=True, field_transformer=validated)
class ThemeLevel:
    """One VUM 2.0 theme assessed on its 0–4 scale (funktionsevneniveau: 0 ingen, 1 lette, 2 moderate,
    3 svære, 4 totale begrænsninger)."""

    theme: VumTheme
    level: int = attrs.field(validator=_zero_to_four)


# --- #18 plans ---------------------------------------------------------------------------------------------


class PlanAnswer(enum.StrEnum):
    """What the person answered when offered a plan (LSS 10 §: on their request; SEL § 141: offered)."""

    ACCEPTED = "accepted"  # wants the plan drawn up
    DECLINED = "declined"  # does not want one now (may ask later)
    UNDECIDED = "undecided"  # will think about it


#: The metadata key of ``rehabcore.domain.events.PERSONAL`` (events imports this module, not the other way):
#: the fields of a plan activity are the person's own matters, sealed with their key like any personal text.
_PERSONAL = "rehabcore.personal"


@attrs.frozen(kw_only=True)
class PlanActivity:
    """One part of a plan: what is done, who does it, when, and how it is followed up (SOSFS 2014:5 6 kap.:
    genomförandeplan; LSS 10 §; SEL § 141).

    Its texts are checked where a plan is decided (``rehabcore.domain.plans``), not on construction: stored,
    they are sealed tokens, which no text check would pass.
    """

    what: str = attrs.field(metadata={_PERSONAL: True})
    who: DialogueParty
    when: str = attrs.field(metadata={_PERSONAL: True})
    #: How it is followed up (uppföljning: by whom, in what way).
    follow_up: str = attrs.field(metadata={_PERSONAL: True})
