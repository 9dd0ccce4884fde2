"""Words for people: the labels of timelines and replay reports in Swedish, English and Danish.

Four tables, each keyed by what it names, so a word for one thing cannot stand in for another:

* :data:`HEADINGS` — the page's own words and the replay sentences (format strings);
* :data:`EVENTS` — each event class;
* :data:`FIELDS` — each event field by name, and the few details the timeline adds (``unit``, ``goals``);
* :data:`MEMBERS` — each member of each enum, by enum class and member.

``tests/audit/test_labels.py`` iterates every event type, every event field and every member of every enum
of the vocabulary and requires words in all three languages. A key with no words raises
:class:`MissingLabel` naming it: there is no fallback that would show a stored code to a citizen.
"""

from __future__ import annotations

import enum

from rehabcore.domain import events as ev
from rehabcore.domain import vocabulary as v
from rehabcore.domain.ivo import Change, DelayReason
from rehabcore.domain.state import CaseStatus


class YesNo(enum.StrEnum):
    """A yes-or-no field as words (the timeline reads a ``bool`` field as one)."""

    YES = "yes"
    NO = "no"


LANGUAGES = ("sv", "en", "da")

#: (sv, en, da)
Words = tuple[str, str, str]


class MissingLabel(LookupError):
    """A word asked for that ``labels.py`` does not have; add it in Swedish, English and Danish."""


HEADINGS: dict[str, Words] = {
    "timeline": ("Tidslinje för ärende", "Timeline of case", "Tidslinje for sag"),
    "citizen_view": (
        "Din akt, som du begärt att få ta del av",
        "Your file, as you asked to see it",
        "Din sag, som du har bedt om aktindsigt i",
    ),
    "staff_view": (
        "Handläggarvy: allt som registrerats",
        "Case-worker view: everything recorded",
        "Sagsbehandlervisning: alt registreret",
    ),
    "as_known_at": ("Som akten såg ut", "As the record stood at", "Som sagen så ud"),
    "now": ("nu", "now", "nu"),
    "situation_on": ("Läget den", "Situation on", "Situationen den"),
    "occurred_on": ("Datum", "Date", "Dato"),
    "recorded_at": ("Registrerat", "Recorded", "Registreret"),
    "entry": ("Händelse", "Entry", "Hændelse"),
    "details": ("Uppgifter", "Details", "Oplysninger"),
    "recorded_by": ("Registrerat av", "Recorded by", "Registreret af"),
    "status": ("Status", "Status", "Status"),
    "corrected": ("Rättad", "Corrected", "Rettet"),
    "corrected_on": ("rättad den", "corrected on", "rettet den"),
    "retracted": ("Struken", "Retracted", "Slettet"),
    "retracted_on": ("struken den", "retracted on", "slettet den"),
    "originally": ("Ursprungligen", "Originally", "Oprindeligt"),
    "reason": ("Skäl", "Reason", "Begrundelse"),
    "correction_of": ("Rättelse av", "Correction of", "Rettelse af"),
    "retraction_of": ("Strykning av", "Retraction of", "Sletning af"),
    "decisions_in_force": ("Beslut som gäller", "Decisions in force", "Gældende afgørelser"),
    "active_placements": ("Pågående insatser", "Active placements", "Igangværende tilbud"),
    "interrupted_placements": (
        "Insatser med avbrott i verkställigheten",
        "Interrupted placements",
        "Tilbud med afbrudt iværksættelse",
    ),
    "open_goals": ("Mål att arbeta mot", "Open goals", "Åbne mål"),
    "none": ("inga", "none", "ingen"),
    # the citizen's file (#12)
    "withheld": ("Undantagen uppgift", "Withheld", "Undtaget oplysning"),
    "extract": (
        "Utdrag ur akten från {municipality} (kommunkod {code}), gjort {at}",
        "Extract of the file from {municipality} (municipality code {code}), made {at}",
        "Udskrift af sagen fra {municipality} (kommunenummer {code}), lavet {at}",
    ),
    "unknown_municipality": ("kommunen", "the municipality", "kommunen"),
    "glossary": ("Ord i din akt", "Words in your file", "Ord i din sag"),
    "term.personkrets": (
        "Personkrets: de grupper som lagen om stöd och service (LSS) gäller för. Grupp 1 och 2 kan få daglig "
        "verksamhet.",
        "Personkrets (LSS group): the groups of people the Swedish disability support act (LSS) is for. "
        "Groups 1 and 2 can get daily activity.",
        "Personkreds: de grupper, som den svenske lov om støtte og service (LSS) gælder for. Gruppe 1 og 2 "
        "kan få dagtilbud.",
    ),
    "term.ibic": (
        "IBIC (Individens behov i centrum): ett sätt att utreda och beskriva dina behov, mål och resurser "
        "tillsammans med dig.",
        "IBIC (Individual needs in focus): a way of assessing and describing your needs, goals and resources "
        "together with you.",
        "IBIC (Individens behov i centrum): en måde at udrede og beskrive dine behov, mål og ressourcer "
        "sammen med dig.",
    ),
    "term.communicated": (
        "Kommunicerat: du fick ta del av det som beslutet bygger på och kunde säga vad du tyckte innan "
        "beslutet fattades.",
        "Communicated (kommunicerat): you were shown what the decision rests on and could give your view "
        "before it was made.",
        "Partshørt: du fik indsigt i det, afgørelsen bygger på, og kunne udtale dig, før den blev truffet.",
    ),
    "term.withheld": (
        "Sekretess gäller i regel inte mot dig själv. Uppgifter undantas bara efter en särskild prövning "
        "(offentlighets- och sekretesslagen 26 kap. 5 §); du kan begära ett överklagbart beslut om det.",
        "Secrecy does not as a rule apply against you. Details are withheld only after a case-by-case "
        "assessment (Swedish Public Access and Secrecy Act, ch. 26 s. 5); you may ask for a decision you "
        "can appeal.",
        "Tavshedspligt gælder som regel ikke over for dig. Oplysninger undtages kun efter en konkret "
        "vurdering (forvaltningsloven § 15 b); du kan bede om en afgørelse, du kan klage over.",
    ),
    "provenance": ("Ursprung", "Provenance", "Oprindelse"),
    "no_entries": ("Inga händelser", "No entries", "Ingen hændelser"),
    # replay (format strings; verify speaks through the gettext catalogs, rehabcore.i18n)
    "replay.title": (
        "Genomgång av ärende {case}{known}, varje steg prövat på nytt ({steps} steg; regelverk: {rulesets})",
        "Replay of case {case}{known} ({steps} steps; rulesets given: {rulesets})",
        "Gennemgang af sag {case}{known}, hvert trin afgjort igen ({steps} trin; regelsæt: {rulesets})",
    ),
    "replay.known": (" som det var känt {at}", " as known at {at}", " som kendt {at}"),
    "replay.recorded": (
        "registrerat {at} av {who} för {tenant} enligt {ruleset}",
        "recorded {at} by {who} for {tenant} under {ruleset}",
        "registreret {at} af {who} for {tenant} efter {ruleset}",
    ),
    "replay.before": ("före:", "before:", "før:"),
    "replay.after": ("efter:", "after:", "efter:"),
    "replay.events": ("händelser:", "events:", "hændelser:"),
    "replay.legal_basis": ("lagrum:", "legal basis:", "hjemmel:"),
    "replay.warning": ("varning", "warning", "advarsel"),
    "replay.redecided": ("avgjort igen:", "decided again:", "afgjort igen:"),
    "replay.divergence": ("AVVIKELSE", "DIVERGENCE", "AFVIGELSE"),
    "replay.none": (
        "0 avvikelser; varje kommando avgörs likadant igen",
        "0 divergences; every command decides the same again",
        "0 afvigelser; hver kommando afgøres ens igen",
    ),
    "replay.state": (
        "{status}, v{version}, {decisions} beslut gäller, {placements} pågående insatser, {goals} öppna mål",
        "{status}, v{version}, {decisions} decisions in force, {placements} active placements, "
        "{goals} open goals",
        "{status}, v{version}, {decisions} gældende afgørelser, {placements} igangværende tilbud, "
        "{goals} åbne mål",
    ),
}

EVENTS: dict[type[ev.Event], Words] = {
    ev.CaseOpened: ("Ärende aktualiserat", "Case opened", "Sag oprettet"),
    ev.ReferralReceived: ("Remiss mottagen", "Referral received", "Henvisning modtaget"),
    ev.ConsentGiven: ("Samtycke lämnat", "Consent given", "Samtykke givet"),
    ev.ConsentWithdrawn: ("Samtycke återkallat", "Consent withdrawn", "Samtykke trukket tilbage"),
    ev.NeedsAssessed: ("Behov utrett", "Needs assessed", "Behov udredt"),
    ev.DecisionMade: ("Beslut fattat", "Decision made", "Afgørelse truffet"),
    ev.GoalSet: ("Mål satt", "Goal set", "Mål sat"),
    ev.PlanEstablished: ("Plan upprättad (genomförandeplan)", "Plan established", "Plan udarbejdet"),
    ev.PlacementStarted: ("Verkställighet påbörjad", "Placement started", "Tilbud påbegyndt"),
    ev.PlacementExtended: ("Insats förlängd", "Placement extended", "Tilbud forlænget"),
    ev.PlacementInterrupted: ("Avbrott i verkställigheten", "Placement interrupted", "Tilbud afbrudt"),
    ev.PlacementResumed: ("Verkställigheten återupptagen", "Placement resumed", "Tilbud genoptaget"),
    ev.PlacementEnded: ("Insats avslutad", "Placement ended", "Tilbud afsluttet"),
    ev.FollowUpRecorded: ("Uppföljning", "Follow-up", "Opfølgning"),
    ev.TransferredToLssDailyActivity: (
        "Flytt till daglig verksamhet (LSS)",
        "Moved to daily activity (LSS)",
        "Flyttet til dagtilbud (LSS)",
    ),
    ev.ExitedToWork: ("Gått till arbete", "Left for work", "Gået i arbejde"),
    ev.ExitedToStudies: ("Gått till studier", "Left for studies", "Startet uddannelse"),
    ev.CaseClosed: ("Ärende avslutat", "Case closed", "Sag afsluttet"),
    ev.CaseReopened: ("Ärende återöppnat", "Case reopened", "Sag genåbnet"),
    ev.EntryCorrected: ("Rättelse", "Correction", "Rettelse"),
    ev.EntryRetracted: ("Strykning", "Retraction", "Sletning"),
    # --- issue #12
    ev.OfferMade: ("Erbjudande lämnat", "Offer made", "Tilbud givet"),
    ev.OfferDeclined: ("Erbjudande avböjt", "Offer declined", "Tilbud afslået"),
    ev.DialogueHeld: ("Samtal om din dagliga verksamhet", "Dialogue held", "Samtale om dit dagtilbud"),
    ev.ApplicationReceived: ("Ansökan mottagen", "Application received", "Ansøgning modtaget"),
    ev.DecisionReconsidered: ("Beslut omprövat", "Decision reconsidered", "Afgørelse genvurderet"),
    ev.DecisionAppealed: ("Beslut överklagat", "Decision appealed", "Afgørelse påklaget"),
    ev.AppealResolved: ("Överklagande avgjort", "Appeal decided", "Klage afgjort"),
    ev.AccessRestricted: (
        "Uppgifter undantagna efter sekretessprövning",
        "Information withheld after a secrecy assessment",
        "Oplysninger undtaget efter en konkret vurdering",
    ),
    ev.UnitRegistered: ("Enhet registrerad", "Unit registered", "Enhed registreret"),
    ev.UnitCapacityChanged: ("Antal platser ändrat", "Capacity changed", "Antal pladser ændret"),
    ev.UnitPurposeChanged: ("Enhetens inriktning ändrad", "Unit refocused", "Enhedens formål ændret"),
    ev.PlaceTaken: ("Plats tagen", "Place taken", "Plads taget"),
    ev.PlaceReleased: ("Plats lämnad", "Place released", "Plads frigivet"),
    ev.PlaceWithdrawn: (
        "Plats återtagen efter rättelse",
        "Place withdrawn by a correction",
        "Plads tilbagekaldt ved rettelse",
    ),
}

FIELDS: dict[str, Words] = {
    "occurred_on": ("Datum", "Date", "Dato"),
    "case_id": ("Ärende", "Case", "Sag"),
    "subject_id": ("Person (pseudonym)", "Person (pseudonym)", "Person (pseudonym)"),
    "jurisdiction": ("Land", "Country", "Land"),
    "municipality_code": ("Kommun", "Municipality", "Kommune"),
    "source": ("Källa", "Source", "Kilde"),
    "referral_id": ("Remiss", "Referral", "Henvisning"),
    "requested_service": ("Efterfrågad insats", "Requested service", "Ønsket indsats"),
    "consent_id": ("Samtycke", "Consent", "Samtykke"),
    "scope": ("Omfattning", "Scope", "Omfang"),
    "valid_until": ("Gäller till", "Valid until", "Gyldig til"),
    "assessment_id": ("Utredning", "Assessment", "Udredning"),
    "method": ("Metod", "Method", "Metode"),
    "life_areas": ("Livsområden", "Life areas", "Livsområder"),
    "participation": ("Delaktighet", "Participation", "Medvirken"),
    "personkrets": ("Personkrets", "Personkrets (LSS group)", "Personkreds"),
    "decision_id": ("Beslut", "Decision", "Afgørelse"),
    "outcome": ("Utfall", "Outcome", "Udfald"),
    "legal_basis": ("Lagrum", "Legal basis", "Hjemmel"),
    "service": ("Insats", "Service", "Indsats"),
    "valid_from": ("Gäller från", "Valid from", "Gyldig fra"),
    "valid_to": ("Gäller till", "Valid to", "Gyldig til"),
    "terminates_decision_id": ("Upphäver beslut", "Terminates decision", "Ophæver afgørelse"),
    "alternatives_considered": ("Övervägda alternativ", "Alternatives considered", "Overvejede alternativer"),
    "least_intrusive_rationale": (
        "Varför minst ingripande",
        "Why the least intrusive",
        "Hvorfor mindst indgribende",
    ),
    "communicated_on": ("Kommunicerat", "Communicated on", "Partshørt"),
    "goal_id": ("Mål", "Goal", "Mål"),
    "life_area": ("Livsområde", "Life area", "Livsområde"),
    "citizen_words": ("Med egna ord", "In own words", "Med egne ord"),
    "formulated_by": ("Formulerat av", "Formulated by", "Formuleret af"),
    "goal_type": ("Måltyp", "Goal type", "Måltype"),
    "target_on": ("Måldatum", "Target date", "Måldato"),
    "proxy_reason": ("Skäl till ombud", "Why not in own words", "Begrundelse for stedfortræder"),
    "plan_id": ("Plan", "Plan", "Plan"),
    "plan_kind": ("Plan", "Plan", "Plan"),
    "goal_ids": ("Mål", "Goals", "Mål"),
    "next_follow_up_on": ("Nästa uppföljning", "Next follow-up", "Næste opfølgning"),
    "placement_id": ("Insats", "Placement", "Tilbud"),
    "unit_id": ("Enhet", "Unit", "Enhed"),
    "kind": ("Slag", "Kind", "Type"),
    "basis": ("Grund", "Basis", "Grundlag"),
    "planned_end_on": ("Planerat slut", "Planned end", "Planlagt slut"),
    "hours_per_week": ("Timmar per vecka", "Hours per week", "Timer om ugen"),
    "over_capacity_reason": (
        "Skäl till plats utöver antalet",
        "Why over capacity",
        "Begrundelse for plads ud over kapacitet",
    ),
    "new_planned_end_on": ("Nytt planerat slut", "New planned end", "Ny planlagt slutdato"),
    "authorising_decision_id": ("Beslut om förlängning", "Authorising decision", "Afgørelse om forlængelse"),
    "reason": ("Skäl", "Reason", "Begrundelse"),
    "follow_up_id": ("Uppföljning", "Follow-up", "Opfølgning"),
    "goal_results": ("Måluppfyllelse", "Goal results", "Målopfyldelse"),
    "status": ("Status", "Status", "Status"),
    "from_placement_id": ("Från insats", "From placement", "Fra tilbud"),
    "to_unit_id": ("Till enhet", "To unit", "Til enhed"),
    "lss_decision_id": ("Beslut enligt LSS", "LSS decision", "LSS-afgørelse"),
    "employment_form": ("Anställningsform", "Employment form", "Ansættelsesform"),
    "extent_pct": ("Omfattning (%)", "Extent (%)", "Omfang (%)"),
    "employer_sector": ("Arbetsgivare", "Employer sector", "Arbejdsgiver"),
    "subsidy": ("Stöd", "Subsidy", "Tilskud"),
    "study_kind": ("Studier", "Studies", "Uddannelse"),
    "corrected_event_id": ("Rättad händelse", "Corrected entry", "Rettet hændelse"),
    "replacement": ("Ny lydelse", "Reads now", "Ny ordlyd"),
    "retracted_event_id": ("Struken händelse", "Retracted entry", "Slettet hændelse"),
    "name": ("Namn", "Name", "Navn"),
    "capacity": ("Antal platser", "Places", "Antal pladser"),
    "offers": ("Tar emot", "Takes", "Modtager"),
    "unit": ("Enhet", "Unit", "Enhed"),
    "goals": ("Mål", "Goals", "Mål"),
    "basis_decision_id": ("Beslut", "Decision", "Afgørelse"),
    "ids": ("Id", "Ids", "Id"),
    # --- issue #12
    "offer_id": ("Erbjudande", "Offer", "Tilbud"),
    "offered_from": ("Från och med", "From", "Fra og med"),
    "dialogue_id": ("Samtal", "Dialogue", "Samtale"),
    "took_part": ("Deltog", "Took part", "Deltog"),
    "informed": ("Informerade", "Informed", "Informeret"),
    "ground": ("Grund", "Ground", "Grundlag"),
    "reasons": ("Skäl för beslutet", "Reasons for the decision", "Begrundelse for afgørelsen"),
    "decided_by": ("Beslutsfattare", "Decided by", "Truffet af"),
    "appeal_info_given": (
        "Information om hur man överklagar lämnad",
        "Told how to appeal",
        "Klagevejledning givet",
    ),
    "application_id": ("Ansökan", "Application", "Ansøgning"),
    "applicant": ("Sökande", "Applicant", "Ansøger"),
    "form": ("Form", "Form", "Form"),
    "effective_from": ("Gäller från", "Applies from", "Gælder fra"),
    "appeal_id": ("Överklagande", "Appeal", "Klage"),
    "instance": ("Instans", "Instance", "Instans"),
    "result": ("Resultat", "Result", "Resultat"),
    "decided_by_role": ("Beslutsfattarens roll", "Decided as", "Beslutningstagerens rolle"),
    "restriction_id": ("Sekretessprövning", "Secrecy assessment", "Vurdering"),
    "restricted_event_id": ("Undantagen händelse", "Withheld entry", "Undtaget hændelse"),
    "fields": ("Uppgifter", "Details", "Oplysninger"),
    "assessment": ("Prövning", "Assessment", "Vurdering"),
    "withheld_on": (
        "Uppgifter i denna händelse har undantagits efter sekretessprövning den",
        "Details of this entry were withheld after a secrecy assessment on",
        "Oplysninger i denne hændelse er undtaget efter en konkret vurdering den",
    ),
    "from_unit": ("Från enhet", "From unit", "Fra enhed"),
    "delegation": ("Delegation", "Delegation", "Delegation"),
}

MEMBERS: dict[type[enum.Enum], dict[enum.Enum, Words]] = {
    YesNo: {YesNo.YES: ("ja", "yes", "ja"), YesNo.NO: ("nej", "no", "nej")},
    v.Jurisdiction: {
        v.Jurisdiction.SE: ("Sverige", "Sweden", "Sverige"),
        v.Jurisdiction.DK: ("Danmark", "Denmark", "Danmark"),
    },
    v.Role: {
        v.Role.CASE_WORKER: ("handläggare", "case worker", "sagsbehandler"),
        v.Role.LSS_OFFICER: ("LSS-handläggare", "LSS officer", "LSS-sagsbehandler"),
        v.Role.UNIT_STAFF: ("personal på enheten", "unit staff", "personale på enheden"),
        v.Role.MANAGER: ("chef", "manager", "leder"),
        v.Role.AUDITOR: ("granskare", "auditor", "revisor"),
        v.Role.SYSTEM: ("systemet", "the system", "systemet"),
    },
    v.ReferralSource: {
        v.ReferralSource.INCOME_SUPPORT: ("försörjningsstöd", "income support", "kontanthjælp"),
        v.ReferralSource.LSS_OFFICER: ("LSS-handläggare", "LSS officer", "LSS-sagsbehandler"),
        v.ReferralSource.EMPLOYMENT_SERVICE: ("Arbetsförmedlingen", "employment service", "jobcenter"),
        v.ReferralSource.SOCIAL_INSURANCE: ("Försäkringskassan", "social insurance", "socialforsikring"),
        v.ReferralSource.PSYCHIATRY: ("psykiatrin", "psychiatry", "psykiatrien"),
        v.ReferralSource.SELF: ("egen ansökan", "own application", "egen ansøgning"),
    },
    v.ServiceKind: {
        v.ServiceKind.WORK_REHABILITATION: (
            "arbetslivsinriktad rehabilitering",
            "work rehabilitation",
            "arbejdsrettet rehabilitering",
        ),
        v.ServiceKind.REQUIRED_ACTIVITY: (
            "anvisad praktik (SoL)",
            "required activity (SoL)",
            "anvist aktivitet",
        ),
        v.ServiceKind.LSS_DAILY_ACTIVITY: (
            "daglig verksamhet (LSS)",
            "daily activity (LSS)",
            "dagtilbud (LSS)",
        ),
        v.ServiceKind.SOL_OCCUPATION: ("sysselsättning (SoL)", "occupation (SoL)", "beskæftigelse (SoL)"),
        v.ServiceKind.DK_PROTECTED_EMPLOYMENT: (
            "skyddad sysselsättning (§ 103)",
            "protected employment (§ 103)",
            "beskyttet beskæftigelse (§ 103)",
        ),
        v.ServiceKind.DK_ACTIVITY: (
            "aktivitets- och samvarotilbud (§ 104)",
            "activity and contact offer (§ 104)",
            "aktivitets- og samværstilbud (§ 104)",
        ),
    },
    v.ConsentScope: {
        v.ConsentScope.EMPLOYMENT_SERVICE: ("Arbetsförmedlingen", "employment service", "jobcenter"),
        v.ConsentScope.SOCIAL_INSURANCE: ("Försäkringskassan", "social insurance", "socialforsikring"),
        v.ConsentScope.REGION: ("regionen", "the region", "regionen"),
        v.ConsentScope.OTHER_BOARD: (
            "annan nämnd i kommunen",
            "another board of the municipality",
            "et andet udvalg i kommunen",
        ),
        v.ConsentScope.SUS: ("SUS (samordnad statistik)", "SUS (joint statistics)", "SUS (fælles statistik)"),
    },
    v.AssessmentMethod: {
        v.AssessmentMethod.IBIC: ("IBIC", "IBIC", "IBIC"),
        v.AssessmentMethod.VUM2: ("VUM 2.0", "VUM 2.0", "VUM 2.0"),
        v.AssessmentMethod.OTHER: ("annat", "other", "andet"),
    },
    v.LifeArea: {
        v.LifeArea.LEARNING: ("lärande", "learning", "læring"),
        v.LifeArea.GENERAL_TASKS: ("allmänna uppgifter", "general tasks", "almindelige opgaver"),
        v.LifeArea.COMMUNICATION: ("kommunikation", "communication", "kommunikation"),
        v.LifeArea.MOBILITY: ("förflyttning", "mobility", "mobilitet"),
        v.LifeArea.SELF_CARE: ("personlig vård", "self-care", "egenomsorg"),
        v.LifeArea.DOMESTIC_LIFE: ("hemliv", "domestic life", "praktiske opgaver i hjemmet"),
        v.LifeArea.RELATIONSHIPS: ("relationer", "relationships", "relationer"),
        v.LifeArea.WORK_AND_EDUCATION: (
            "arbete, utbildning och sysselsättning",
            "work and education",
            "arbejde og uddannelse",
        ),
        v.LifeArea.COMMUNITY_LIFE: ("samhällsgemenskap", "community life", "samfundsliv"),
        v.LifeArea.SAFETY: ("känsla av trygghet", "feeling safe", "tryghed"),
        v.LifeArea.SUPPORT_FROM_RELATIVES: (
            "stöd från närstående",
            "support from relatives",
            "støtte fra pårørende",
        ),
    },
    v.Participation: {
        v.Participation.FULL: ("full", "full", "fuld"),
        v.Participation.PARTLY: ("delvis", "partly", "delvist"),
        v.Participation.NOT_ABLE: ("kunde inte delta", "not able", "kunne ikke deltage"),
        v.Participation.DECLINED: ("avböjde", "declined", "afslog"),
    },
    v.Personkrets: {
        v.Personkrets.GROUP_1: ("1", "1", "1"),
        v.Personkrets.GROUP_2: ("2", "2", "2"),
        v.Personkrets.GROUP_3: ("3", "3", "3"),
        v.Personkrets.NONE: ("inga", "none", "ingen"),
    },
    v.DecisionOutcome: {
        v.DecisionOutcome.GRANT: ("bifall", "granted", "bevilget"),
        v.DecisionOutcome.PARTIAL: ("delvis bifall", "partly granted", "delvist bevilget"),
        v.DecisionOutcome.REJECT: ("avslag", "rejected", "afslag"),
        v.DecisionOutcome.TERMINATE: ("upphör", "terminated", "ophørt"),
    },
    v.FormulatedBy: {
        v.FormulatedBy.CITIZEN: ("den enskilde", "the citizen", "borgeren"),
        v.FormulatedBy.JOINTLY: ("tillsammans", "jointly", "i fællesskab"),
        v.FormulatedBy.PROXY: ("ombud", "proxy", "stedfortræder"),
        v.FormulatedBy.PROFESSIONAL: ("personal", "professional", "fagperson"),
    },
    v.GoalType: {
        v.GoalType.DEVELOP: ("utveckla förmåga", "develop abilities", "udvikle funktionsevne"),
        v.GoalType.MAINTAIN: ("bibehålla förmåga", "maintain abilities", "fastholde funktionsevne"),
        v.GoalType.LIMIT_LOSS: ("begränsa förlust", "limit loss", "begrænse tab"),
    },
    v.GoalResult: {
        v.GoalResult.ACHIEVED: ("uppnått", "achieved", "opnået"),
        v.GoalResult.PARTLY_ACHIEVED: ("delvis uppnått", "partly achieved", "delvist opnået"),
        v.GoalResult.NOT_ACHIEVED: ("ej uppnått", "not achieved", "ikke opnået"),
        v.GoalResult.DROPPED: ("avbrutet", "dropped", "opgivet"),
    },
    v.FollowUpStatus: {
        v.FollowUpStatus.CONTINUE: ("fortsätter", "continues", "fortsættes"),
        v.FollowUpStatus.CHANGE: ("ändras", "changes", "ændres"),
        v.FollowUpStatus.END: ("avslutas", "ends", "afsluttes"),
    },
    v.PlanKind: {
        v.PlanKind.IMPLEMENTATION_PLAN: ("genomförandeplan", "implementation plan", "indsatsplan"),
        v.PlanKind.LSS_INDIVIDUAL_PLAN: (
            "individuell plan (LSS)",
            "individual plan (LSS)",
            "individuel plan (LSS)",
        ),
        v.PlanKind.DK_ACTION_PLAN: ("handlingsplan (§ 141)", "action plan (§ 141)", "handleplan (§ 141)"),
    },
    v.PlacementKind: {
        v.PlacementKind.WORK_TRAINING: ("arbetsträning", "work training", "arbejdstræning"),
        v.PlacementKind.INTERNSHIP: ("praktik", "internship", "praktik"),
        v.PlacementKind.WORK_ASSESSMENT: ("arbetsprövning", "work assessment", "arbejdsprøvning"),
        v.PlacementKind.DAILY_ACTIVITY: ("daglig verksamhet", "daily activity", "dagtilbud"),
        v.PlacementKind.OCCUPATION: ("sysselsättning", "occupation", "beskæftigelse"),
        v.PlacementKind.DK_PROTECTED_EMPLOYMENT: (
            "skyddad sysselsättning (§ 103)",
            "protected employment (§ 103)",
            "beskyttet beskæftigelse (§ 103)",
        ),
        v.PlacementKind.DK_ACTIVITY: (
            "aktivitets- och samvarotilbud (§ 104)",
            "activity and contact offer (§ 104)",
            "aktivitets- og samværstilbud (§ 104)",
        ),
    },
    v.BasisKind: {
        v.BasisKind.LSS_DECISION: ("beslut enligt LSS", "LSS decision", "LSS-afgørelse"),
        v.BasisKind.SOL_DECISION: ("biståndsbeslut (SoL)", "SoL decision", "SoL-afgørelse"),
        v.BasisKind.REQUIRED_ACTIVITY: (
            "anvisad praktik (SoL)",
            "required activity (SoL)",
            "anvist aktivitet",
        ),
        v.BasisKind.EMPLOYMENT_SERVICE_PROGRAMME: (
            "program hos Arbetsförmedlingen",
            "employment service programme",
            "jobcenterforløb",
        ),
        v.BasisKind.DK_DECISION: (
            "afgørelse (serviceloven)",
            "decision (serviceloven)",
            "afgørelse (serviceloven)",
        ),
        v.BasisKind.VOLUNTARY: (
            "frivillig, öppen verksamhet",
            "voluntary, open activity",
            "frivilligt, åbent tilbud",
        ),
    },
    v.UnitKind: {
        v.UnitKind.WORK_REHABILITATION: (
            "arbetslivsinriktad rehabilitering",
            "work rehabilitation",
            "arbejdsrettet rehabilitering",
        ),
        v.UnitKind.LSS_DAILY_ACTIVITY: ("daglig verksamhet (LSS)", "daily activity (LSS)", "dagtilbud (LSS)"),
        v.UnitKind.SOL_OCCUPATION: ("sysselsättning (SoL)", "occupation (SoL)", "beskæftigelse (SoL)"),
        v.UnitKind.OPEN_ACTIVITY: ("öppen verksamhet", "open activity", "åbent tilbud"),
        v.UnitKind.DK_PROTECTED_EMPLOYMENT: (
            "skyddad sysselsättning (§ 103)",
            "protected employment (§ 103)",
            "beskyttet beskæftigelse (§ 103)",
        ),
        v.UnitKind.DK_ACTIVITY: (
            "aktivitets- och samvarotilbud (§ 104)",
            "activity and contact offer (§ 104)",
            "aktivitets- og samværstilbud (§ 104)",
        ),
    },
    v.InterruptionReason: {
        v.InterruptionReason.ILLNESS: ("sjukdom", "illness", "sygdom"),
        v.InterruptionReason.UNIT_CLOSED: ("enheten stängd", "the unit closed", "enheden lukket"),
        v.InterruptionReason.AWAITING_NEW_UNIT: (
            "väntar på ny enhet",
            "awaiting a new unit",
            "venter på ny enhed",
        ),
        v.InterruptionReason.OWN_REQUEST: ("egen begäran", "own request", "eget ønske"),
        v.InterruptionReason.OTHER: ("annat", "other", "andet"),
    },
    v.EndReason: {
        v.EndReason.COMPLETED: ("genomförd", "completed", "gennemført"),
        v.EndReason.EXIT_WORK: ("till arbete", "left for work", "i arbejde"),
        v.EndReason.EXIT_STUDIES: ("till studier", "left for studies", "i uddannelse"),
        v.EndReason.TRANSFERRED: ("flyttad", "transferred", "flyttet"),
        v.EndReason.OWN_CHOICE: ("eget val", "own choice", "eget valg"),
        v.EndReason.ILL_HEALTH: ("ohälsa", "ill health", "sygdom"),
        v.EndReason.DECISION_CEASED: ("beslutet upphörde", "decision ceased", "afgørelsen ophørte"),
        v.EndReason.UNIT_REFOCUS: (
            "enheten ändrade inriktning",
            "the unit refocused",
            "enheden skiftede fokus",
        ),
        v.EndReason.PLACE_FREED: ("platsen behövdes", "place freed", "pladsen blev frigjort"),
        v.EndReason.MOVED: ("flyttat", "moved", "fraflyttet"),
        v.EndReason.DECEASED: ("avliden", "deceased", "afgået ved døden"),
        v.EndReason.CASE_CLOSED: ("ärendet avslutat", "case closed", "sagen afsluttet"),
    },
    v.ContinuityGround: {
        v.ContinuityGround.OWN_WISH: ("din egen önskan", "the person's own wish", "dit eget ønske"),
        v.ContinuityGround.DECEASED: ("avliden", "deceased", "afdød"),
        v.ContinuityGround.MOVED_AWAY: (
            "flyttat från kommunen",
            "moved out of the municipality",
            "fraflyttet kommunen",
        ),
        v.ContinuityGround.EMPLOYMENT: ("fått arbete", "took up work", "fået arbejde"),
        v.ContinuityGround.DECISION_ENDED: (
            "beslutet upphörde genom nytt beslut",
            "the decision was ended by a new decision",
            "afgørelsen ophørte ved en ny afgørelse",
        ),
    },
    v.Applicant: {
        v.Applicant.PERSON: ("du själv", "the person", "dig selv"),
        v.Applicant.GOOD_MAN: ("god man", "trustee (god man)", "god man (værge)"),
        v.Applicant.ADMINISTRATOR: ("förvaltare", "administrator (förvaltare)", "forvalter (værge)"),
        v.Applicant.GUARDIAN: ("vårdnadshavare", "guardian", "forældremyndighedsindehaver"),
        v.Applicant.OTHER_REPRESENTATIVE: ("ombud", "representative", "partsrepræsentant"),
    },
    v.ApplicationForm: {
        v.ApplicationForm.WRITTEN: ("skriftlig", "written", "skriftlig"),
        v.ApplicationForm.ORAL: ("muntlig", "oral", "mundtlig"),
    },
    v.ReconsiderationGround: {
        v.ReconsiderationGround.RESERVATION: (
            "förbehåll i beslutet",
            "a reservation in the decision",
            "forbehold i afgørelsen",
        ),
        v.ReconsiderationGround.SAFETY: (
            "tvingande säkerhetsskäl",
            "compelling safety reasons",
            "tvingende sikkerhedshensyn",
        ),
        v.ReconsiderationGround.MISLEADING_INFORMATION: (
            "beslutet byggde på vilseledande uppgifter",
            "the decision rested on misleading information",
            "afgørelsen byggede på vildledende oplysninger",
        ),
        v.ReconsiderationGround.CHANGED_CIRCUMSTANCES: (
            "väsentligt ändrade förhållanden",
            "materially changed circumstances",
            "væsentligt ændrede forhold",
        ),
    },
    v.AppealInstance: {
        v.AppealInstance.ADMINISTRATIVE_COURT: (
            "förvaltningsrätten",
            "administrative court",
            "forvaltningsretten",
        ),
        v.AppealInstance.ADMINISTRATIVE_COURT_OF_APPEAL: (
            "kammarrätten",
            "administrative court of appeal",
            "kammarretten",
        ),
        v.AppealInstance.SUPREME_ADMINISTRATIVE_COURT: (
            "Högsta förvaltningsdomstolen",
            "Supreme Administrative Court",
            "Den Øverste Forvaltningsdomstol",
        ),
        v.AppealInstance.DK_APPEALS_BOARD: (
            "Ankestyrelsen",
            "the Appeals Board (Ankestyrelsen)",
            "Ankestyrelsen",
        ),
    },
    v.AppealResult: {
        v.AppealResult.UPHELD: ("beslutet står fast", "upheld", "stadfæstet"),
        v.AppealResult.CHANGED: ("beslutet ändrat", "changed", "ændret"),
        v.AppealResult.RETURNED: (
            "återförvisat för nytt beslut",
            "returned for a new decision",
            "hjemvist til ny behandling",
        ),
    },
    v.DialogueParty: {
        v.DialogueParty.PERSON: ("du själv", "the person", "dig selv"),
        v.DialogueParty.RELATIVE: ("närstående", "relative", "pårørende"),
        v.DialogueParty.GOOD_MAN: ("god man", "trustee (god man)", "god man (værge)"),
        v.DialogueParty.ADMINISTRATOR: ("förvaltare", "administrator (förvaltare)", "forvalter (værge)"),
        v.DialogueParty.LEGAL_GUARDIAN: ("annan ställföreträdare", "other legal representative", "værge"),
        v.DialogueParty.CASE_WORKER: ("handläggare", "case worker", "sagsbehandler"),
        v.DialogueParty.UNIT_STAFF: ("personal på enheten", "unit staff", "personale på enheden"),
        v.DialogueParty.OTHER: ("annan", "other", "anden"),
    },
    v.EmploymentForm: {
        v.EmploymentForm.OPEN: (
            "osubventionerad anställning",
            "unsubsidised employment",
            "ustøttet ansættelse",
        ),
        v.EmploymentForm.SUBSIDISED: (
            "subventionerad anställning",
            "subsidised employment",
            "støttet ansættelse",
        ),
        v.EmploymentForm.SHELTERED: ("skyddat arbete", "sheltered employment", "beskyttet beskæftigelse"),
        v.EmploymentForm.OWN_BUSINESS: ("eget företag", "own business", "egen virksomhed"),
        v.EmploymentForm.OTHER: ("annat", "other", "andet"),
    },
    v.SubsidyType: {
        v.SubsidyType.NYSTARTSJOBB: ("nystartsjobb", "new start job (nystartsjobb)", "nystartsjob"),
        v.SubsidyType.INTRODUKTIONSJOBB: (
            "introduktionsjobb",
            "introduction job (introduktionsjobb)",
            "introduktionsjob",
        ),
        v.SubsidyType.LONEBIDRAG_ANSTALLNING: (
            "lönebidrag för anställning",
            "wage subsidy for employment",
            "løntilskud til ansættelse",
        ),
        v.SubsidyType.LONEBIDRAG_UTVECKLING: (
            "lönebidrag för utveckling i anställning",
            "wage subsidy for development",
            "løntilskud til udvikling",
        ),
        v.SubsidyType.LONEBIDRAG_TRYGGHET: (
            "lönebidrag för trygghet i anställning",
            "wage subsidy for security",
            "løntilskud til tryghed",
        ),
        v.SubsidyType.SAMHALL: ("Samhall", "Samhall", "Samhall"),
        v.SubsidyType.OSA: (
            "offentligt skyddat arbete (OSA)",
            "public sheltered work (OSA)",
            "offentligt beskyttet arbejde",
        ),
        v.SubsidyType.EXTRATJANST: ("extratjänst", "extra job (extratjänst)", "ekstrajob"),
        v.SubsidyType.DK_FLEKSJOB: ("fleksjobb", "flexjob", "fleksjob"),
        v.SubsidyType.DK_LONTILSKUD: ("lönetillskott (DK)", "wage subsidy (DK)", "løntilskud"),
    },
    v.EmployerSector: {
        v.EmployerSector.PRIVATE: ("privat", "private", "privat"),
        v.EmployerSector.PUBLIC: ("offentlig", "public", "offentlig"),
        v.EmployerSector.NON_PROFIT: ("ideell", "non-profit", "almennyttig"),
    },
    v.StudyKind: {
        v.StudyKind.KOMVUX: ("komvux", "adult education (komvux)", "voksenuddannelse (komvux)"),
        v.StudyKind.FOLKHOGSKOLA: ("folkhögskola", "folk high school", "højskole"),
        v.StudyKind.GYMNASIUM: ("gymnasium", "upper secondary school", "gymnasium"),
        v.StudyKind.UNIVERSITY: ("högskola", "university", "videregående uddannelse"),
        v.StudyKind.VOCATIONAL: ("yrkeshögskola", "vocational college", "erhvervsuddannelse"),
        v.StudyKind.SFI: ("sfi", "Swedish for immigrants (sfi)", "svensk for indvandrere (sfi)"),
        v.StudyKind.LABOUR_MARKET_TRAINING: (
            "arbetsmarknadsutbildning",
            "labour market training",
            "arbejdsmarkedsuddannelse",
        ),
        v.StudyKind.OTHER: ("annat", "other", "andet"),
    },
    v.CloseReason: {
        v.CloseReason.GOAL_REACHED: ("målet uppnått", "goal reached", "målet nået"),
        v.CloseReason.EXITED: ("avslutad med utfall", "exited", "afsluttet med udfald"),
        v.CloseReason.TRANSFERRED: ("flyttad", "transferred", "flyttet"),
        v.CloseReason.OWN_CHOICE: ("eget val", "own choice", "eget valg"),
        v.CloseReason.NO_NEED: ("inget behov", "no need", "intet behov"),
        v.CloseReason.MOVED: ("flyttat", "moved", "fraflyttet"),
        v.CloseReason.DECEASED: ("avliden", "deceased", "afgået ved døden"),
        v.CloseReason.OTHER: ("annat", "other", "andet"),
    },
    CaseStatus: {
        CaseStatus.NOT_OPENED: ("inte aktualiserat", "not opened", "ikke oprettet"),
        CaseStatus.REFERRED: ("aktualiserad", "referred", "henvist"),
        CaseStatus.ASSESSING: ("under utredning", "assessing", "under udredning"),
        CaseStatus.ACTIVE: ("pågående insats", "active", "i tilbud"),
        CaseStatus.TRANSFERRED: ("flyttad", "transferred", "flyttet"),
        CaseStatus.EXITED: ("avslutad med utfall", "exited", "afsluttet med udfald"),
        CaseStatus.CLOSED: ("avslutat", "closed", "afsluttet"),
    },
}

# --- the execution duty and IVO's report (#11) ------------------------------------------------------------

EVENTS.update(
    {
        ev.ExecutionDutyEnded: (
            "Skyldigheten att verkställa upphörde",
            "Duty to execute ended",
            "Pligten til at iværksætte ophørte",
        ),
        ev.InterimSupportGiven: (
            "Stöd i väntan på verkställighet",
            "Interim support given",
            "Støtte i ventetiden",
        ),
        ev.IvoReportSubmitted: (
            "Rapport om ej verkställda beslut skickad till IVO",
            "Report of decisions not executed sent to IVO",
            "Indberetning om ikke iværksatte afgørelser sendt til IVO",
        ),
    }
)
FIELDS.update(
    {
        "extent": ("Omfattning", "Extent", "Omfang"),
        "days_per_week": ("Dagar per vecka", "Days per week", "Dage om ugen"),
        "quarter": ("Kvartal", "Quarter", "Kvartal"),
        "decisions": ("Beslut", "Decisions", "Afgørelser"),
    }
)
MEMBERS.update(
    {
        v.ExtentUnit: {
            v.ExtentUnit.HOURS_PER_WEEK: ("timmar per vecka", "hours a week", "timer om ugen"),
            v.ExtentUnit.DAYS_PER_WEEK: ("dagar per vecka", "days a week", "dage om ugen"),
        },
        v.DutyEndReason: {
            v.DutyEndReason.DECLINED_AND_WITHDREW: (
                "tackade nej till insatsen och återtog ansökan",
                "declined the insats and withdrew the application",
                "takkede nej til indsatsen og trak ansøgningen tilbage",
            ),
            v.DutyEndReason.DIED: ("avliden", "died", "afgået ved døden"),
            v.DutyEndReason.MOVED_OUT: (
                "flyttat från kommunen",
                "moved out of the municipality",
                "fraflyttet kommunen",
            ),
            v.DutyEndReason.APPLICATION_WITHDRAWN: (
                "drog tillbaka sin ansökan",
                "withdrew the application",
                "trak ansøgningen tilbage",
            ),
            v.DutyEndReason.NEED_NO_LONGER_REMAINS: (
                "behovet kvarstår inte längre",
                "the need no longer remains",
                "behovet er ikke længere til stede",
            ),
            v.DutyEndReason.DECISION_ENDED: ("beslutet upphörde", "the decision ended", "afgørelsen ophørte"),
        },
        v.InterimSupportKind: {
            v.InterimSupportKind.OTHER_LSS_INSATS: (
                "annan insats enligt LSS",
                "another LSS insats",
                "anden LSS-indsats",
            ),
            v.InterimSupportKind.SOL_ASSISTANCE: (
                "bistånd enligt SoL",
                "SoL assistance",
                "bistand efter SoL",
            ),
            v.InterimSupportKind.OPEN_ACTIVITY: ("öppen verksamhet", "open activity", "åbent tilbud"),
            v.InterimSupportKind.OTHER: ("annat stöd", "other support", "anden støtte"),
        },
        v.ReportedState: {
            v.ReportedState.NOT_EXECUTED: ("ej verkställt", "not executed", "ikke iværksat"),
            v.ReportedState.INTERRUPTED: ("avbrott i verkställigheten", "interrupted", "afbrudt"),
            v.ReportedState.PARTLY_EXECUTED: ("delvis verkställt", "partly executed", "delvist iværksat"),
            v.ReportedState.EXECUTED: ("verkställt", "executed", "iværksat"),
            v.ReportedState.ENDED: (
                "avslutat utan verkställighet",
                "ended without execution",
                "afsluttet uden iværksættelse",
            ),
        },
    }
)

# --- #13 privacy: begin ----------------------------------------------------------------------------------
HEADINGS.update(
    {
        "erased": ("[gallrad]", "[erased]", "[slettet]"),
    }
)
EVENTS.update(
    {
        ev.RetentionHoldPlaced: ("Gallringsstopp", "Retention hold placed", "Kassationsstop"),
        ev.RetentionHoldReleased: (
            "Gallringsstopp hävt",
            "Retention hold released",
            "Kassationsstop ophævet",
        ),
        ev.ArchivedForResearch: (
            "Bevarad för forskning",
            "Archived for research",
            "Bevaret til forskning",
        ),
        ev.SubjectErased: ("Gallrad", "Erased", "Kasseret"),
    }
)
FIELDS.update(
    {
        "hold_id": ("Gallringsstopp", "Hold", "Kassationsstop"),
        "regime": ("Gallringsregel", "Retention rules", "Kassationsregel"),
        "policy": ("Gallringsbeslut (version)", "Retention policy (version)", "Kassationsregel (version)"),
        "key_destroyed_at": ("Nyckeln förstörd", "Key destroyed", "Nøglen destrueret"),
    }
)
MEMBERS.update(
    {
        v.RetentionRegime: {
            v.RetentionRegime.SOL: ("socialtjänstlagen", "Social Services Act (SoL)", "den svenske SoL"),
            v.RetentionRegime.LSS_BOARD: ("LSS, nämnden", "LSS, the board", "LSS, nævnet"),
            v.RetentionRegime.LSS_PRIVATE: (
                "LSS, enskild verksamhet",
                "LSS, private provider",
                "LSS, privat leverandør",
            ),
            v.RetentionRegime.DK: ("dansk lag", "Danish law", "dansk ret"),
        },
        v.HoldReason: {
            v.HoldReason.APPEAL: ("överklagande", "appeal", "klage"),
            v.HoldReason.SUPERVISORY_INQUIRY: ("tillsyn", "supervisory inquiry", "tilsynssag"),
            v.HoldReason.ACCESS_REQUEST: ("begäran om utlämnande", "request for access", "aktindsigt"),
            v.HoldReason.OTHER: ("annat", "other", "andet"),
        },
    }
)
# --- #13 privacy: end ------------------------------------------------------------------------------------

# --- issue #16: organisations and disclosure (B21) --------------------------------------------------------

EVENTS.update(
    {
        ev.DisclosureRecorded: (
            "Uppgifter lämnade ut",
            "Information disclosed",
            "Oplysninger videregivet",
        ),
    }
)
FIELDS.update(
    {
        "board_id": ("Ansvarig nämnd", "Responsible board", "Ansvarligt udvalg"),
        "disclosure_id": ("Utlämnande", "Disclosure", "Videregivelse"),
        "recipient": ("Mottagare", "Recipient", "Modtager"),
        "categories": ("Slags uppgifter", "Kinds of information", "Slags oplysninger"),
        "provision": ("Lagrum som medger utlämnandet", "Provision allowing it", "Hjemmel til videregivelsen"),
    }
)
MEMBERS[v.ConsentScope].update(
    {
        v.ConsentScope.HOUSING_SUPPORT: ("boendestödet", "housing support", "bostøtten"),
        v.ConsentScope.HEALTH_CARE: ("hälso- och sjukvården", "health care", "sundhedsvæsenet"),
        v.ConsentScope.PROVIDER: ("utföraren", "the provider", "leverandøren"),
    }
)
MEMBERS[v.ServiceKind][v.ServiceKind.HOUSING_SUPPORT] = ("boendestöd", "housing support", "bostøtte")
MEMBERS[v.PlacementKind][v.PlacementKind.HOUSING_SUPPORT] = ("boendestöd", "housing support", "bostøtte")
MEMBERS[v.UnitKind][v.UnitKind.HOUSING_SUPPORT] = ("boendestöd", "housing support", "bostøtte")
MEMBERS[v.DialogueParty][v.DialogueParty.HOUSING_SUPPORT] = ("boendestödet", "housing support", "bostøtten")
MEMBERS.update(
    {
        v.DataCategory: {
            v.DataCategory.IDENTITY: ("vem du är", "who you are", "hvem du er"),
            v.DataCategory.DECISIONS: ("beslut", "decisions", "afgørelser"),
            v.DataCategory.PLAN: ("plan och mål", "plan and goals", "plan og mål"),
            v.DataCategory.ATTENDANCE: ("närvaro", "attendance", "fremmøde"),
            v.DataCategory.FOLLOW_UP: ("uppföljning", "follow-up", "opfølgning"),
            v.DataCategory.HEALTH: ("hälsa", "health", "helbred"),
        },
    }
)

# --- #18 plans and assessment ------------------------------------------------------------------------------

EVENTS.update(
    {
        ev.PlanOffered: ("Plan erbjuden", "Plan offered", "Plan tilbudt"),
        ev.PlanReviewed: ("Plan omprövad", "Plan reviewed", "Plan revurderet"),
    }
)
FIELDS.update(
    {
        "findings": ("Bedömda livsområden", "Areas assessed", "Vurderede livsområder"),
        "levels": ("Nivå (0–4)", "Level (0–4)", "Niveau (0–4)"),
        "vum_themes": ("Bedömda teman (VUM 2.0)", "Themes assessed (VUM 2.0)", "Vurderede temaer (VUM 2.0)"),
        "activities": ("Aktiviteter", "Activities", "Aktiviteter"),
        "what": ("Vad", "What", "Hvad"),
        "who": ("Vem gör det", "Who does it", "Hvem gør det"),
        "when": ("När", "When", "Hvornår"),
        "follow_up": ("Hur det följs upp", "How it is followed up", "Hvordan det følges op"),
        "own_view": ("Din egen syn", "Your own view", "Dit eget syn"),
        "disagreement": ("Där du inte håller med", "Where you disagree", "Hvor du er uenig"),
        "answer": ("Svar", "Answer", "Svar"),
        "review_id": ("Omprövning", "Review", "Revurdering"),
    }
)
MEMBERS[v.LifeArea].update(
    {
        v.LifeArea.HEALTH: ("hälsa", "health", "helbred"),
        v.LifeArea.MENTAL_FUNCTIONS: ("psykiska funktioner", "mental functions", "mentale funktioner"),
        v.LifeArea.SENSORY_FUNCTIONS_AND_PAIN: (
            "sinnesfunktioner och smärta",
            "sensory functions and pain",
            "sansefunktioner og smerte",
        ),
        v.LifeArea.VOICE_AND_SPEECH: ("röst och tal", "voice and speech", "stemme og tale"),
        v.LifeArea.CARDIOVASCULAR_AND_RESPIRATORY: (
            "hjärta, blod, immunförsvar och andning",
            "heart, blood, immunity and breathing",
            "hjerte, blod, immunforsvar og vejrtrækning",
        ),
        v.LifeArea.DIGESTIVE_AND_METABOLIC: (
            "matsmältning och ämnesomsättning",
            "digestion and metabolism",
            "fordøjelse og stofskifte",
        ),
        v.LifeArea.GENITOURINARY: (
            "urin- och könsorgan",
            "urinary and reproductive functions",
            "urinveje og kønsorganer",
        ),
        v.LifeArea.MOVEMENT_FUNCTIONS: ("rörelsefunktioner", "movement functions", "bevægelsesfunktioner"),
        v.LifeArea.SKIN: ("hud", "skin", "hud"),
        v.LifeArea.PRODUCTS_AND_TECHNOLOGY: (
            "produkter och teknik",
            "products and technology",
            "produkter og teknologi",
        ),
        v.LifeArea.NATURAL_ENVIRONMENT: ("naturlig miljö", "natural environment", "naturligt miljø"),
        v.LifeArea.SUPPORT_AND_RELATIONSHIPS: (
            "stöd och relationer",
            "support and relationships",
            "støtte og relationer",
        ),
        v.LifeArea.ATTITUDES: ("attityder", "attitudes", "holdninger"),
        v.LifeArea.SERVICES_SYSTEMS_AND_POLICIES: (
            "service, system och policy",
            "services, systems and policies",
            "service, systemer og politikker",
        ),
    }
)
MEMBERS.update(
    {
        v.VumTheme: {
            v.VumTheme.SELF_CARE: ("egenvård", "self-care", "egenomsorg"),
            v.VumTheme.PRACTICAL_TASKS: (
                "praktiska uppgifter i hemmet",
                "practical tasks at home",
                "praktiske opgaver i hjemmet",
            ),
            v.VumTheme.MOBILITY: ("förflyttning", "mobility", "mobilitet"),
            v.VumTheme.COMMUNICATION: ("kommunikation", "communication", "kommunikation"),
            v.VumTheme.COMMUNITY_LIFE: ("samhällsliv", "community life", "samfundsliv"),
            v.VumTheme.SOCIAL_LIFE: ("socialt liv", "social life", "socialt liv"),
            v.VumTheme.HEALTH: ("hälsa", "health", "sundhed"),
            v.VumTheme.MENTAL_FUNCTIONS: ("psykiska funktioner", "mental functions", "mentale funktioner"),
            v.VumTheme.PHYSICAL_FUNCTIONS: ("fysiska funktioner", "physical functions", "fysiske funktioner"),
            v.VumTheme.ENVIRONMENTAL_FACTORS: (
                "omgivningsfaktorer",
                "environmental factors",
                "omgivelsesfaktorer",
            ),
        },
        v.PlanAnswer: {
            v.PlanAnswer.ACCEPTED: ("vill ha en plan", "wants a plan", "ønsker en plan"),
            v.PlanAnswer.DECLINED: ("tackade nej", "declined", "takkede nej"),
            v.PlanAnswer.UNDECIDED: ("tänker på saken", "undecided", "overvejer det"),
        },
    }
)

# --- #18 Danish practice -----------------------------------------------------------------------------------

EVENTS[ev.OtherLegislationAssessed] = (
    "Prövning av insatser enligt annan lagstiftning (§ 103)",
    "Other legislation assessed (§ 103)",
    "Vurdering af tilbud efter anden lovgivning (§ 103)",
)
FIELDS.update(
    {
        "considered": ("Prövade insatser", "Offers weighed", "Vurderede tilbud"),
        "finding": ("Bedömning", "Finding", "Vurdering"),
    }
)
MEMBERS[v.ServiceKind][v.ServiceKind.DK_DAILY_LIFE_SUPPORT] = (
    "socialpedagogiskt stöd (SEL § 85)",
    "support in daily life (SEL § 85)",
    "socialpædagogisk bistand (SEL § 85)",
)
MEMBERS[v.ReferralSource][v.ReferralSource.JOBCENTER] = ("jobcentret", "jobcenter", "jobcentret")
# Arbetsförmedlingen is a Swedish state agency; the Danish jobcenter has its own source from #18.
MEMBERS[v.ReferralSource][v.ReferralSource.EMPLOYMENT_SERVICE] = (
    "Arbetsförmedlingen",
    "employment service",
    "Arbetsförmedlingen",
)
MEMBERS.update(
    {
        v.OtherLegislationOffer: {
            v.OtherLegislationOffer.FLEXJOB: ("flexjobb", "flexjob", "fleksjob"),
            v.OtherLegislationOffer.RESOURCE_PROGRAMME: (
                "resursförlopp",
                "resource programme",
                "ressourceforløb",
            ),
            v.OtherLegislationOffer.JOB_CLARIFICATION: (
                "arbetsklarläggning",
                "job clarification programme",
                "jobafklaringsforløb",
            ),
            v.OtherLegislationOffer.WAGE_SUBSIDY: ("lönebidrag", "wage subsidy", "løntilskud"),
            v.OtherLegislationOffer.EDUCATION: ("utbildning", "education", "uddannelse"),
            v.OtherLegislationOffer.OTHER: ("annat", "other", "andet"),
        },
        v.OtherLegislationFinding: {
            v.OtherLegislationFinding.NONE_USABLE: (
                "kan inte ta del av insatser enligt annan lagstiftning",
                "cannot use offers under other legislation",
                "kan ikke benytte tilbud efter anden lovgivning",
            ),
            v.OtherLegislationFinding.USABLE: (
                "kan ta del av insats enligt annan lagstiftning",
                "can use an offer under other legislation",
                "kan benytte tilbud efter anden lovgivning",
            ),
        },
    }
)

# --- the IVO report's own words (#11, #19) ------------------------------------------------------------------
MEMBERS.update(
    {
        DelayReason: {
            DelayReason.NO_PLACE_OFFERED: ("ingen plats erbjuden", "no place offered", "ingen plads tilbudt"),
            DelayReason.OFFER_MADE: (
                "erbjudande lämnat, ej påbörjat",
                "offer made, not begun",
                "tilbud givet, ikke påbegyndt",
            ),
            DelayReason.OFFER_DECLINED: (
                "den enskilde tackade nej till erbjudandet",
                "the person declined the offer",
                "borgeren takkede nej til tilbuddet",
            ),
            DelayReason.INTERRUPTED: (
                "verkställigheten avbröts",
                "interrupted",
                "iværksættelsen blev afbrudt",
            ),
            DelayReason.BELOW_EXTENT: (
                "verkställt i lägre omfattning än beslutet",
                "executed below the decided extent",
                "iværksat i mindre omfang end afgørelsen",
            ),
        },
        Change: {
            Change.NEW: ("ny", "new", "ny"),
            Change.UNCHANGED: ("oförändrad", "unchanged", "uændret"),
            Change.EXECUTED: ("verkställd sedan dess", "executed since", "iværksat siden"),
            Change.ENDED: ("avslutad sedan dess", "ended since", "afsluttet siden"),
            Change.STATE_CHANGED: ("läget ändrat", "state changed", "status ændret"),
        },
    }
)

# --- #18 open activities and unit changes -------------------------------------------------------------------
EVENTS.update(
    {
        ev.VisitsCounted: ("Besök räknade", "Visits counted", "Besøg talt"),
        ev.UnitClosed: ("Enheten stängd", "Unit closed", "Enheden lukket"),
        ev.UnitMoved: ("Enheten flyttad", "Unit moved", "Enheden flyttet"),
        ev.UnitOwnerChanged: (
            "Enheten har fått ny huvudman",
            "Unit's owning organisation changed",
            "Enheden har fået ny ejer",
        ),
    }
)
FIELDS.update(
    {
        "count": ("Antal", "Number", "Antal"),
        "premises": ("Lokal", "Premises", "Lokale"),
        "owner": (
            "Organisation som driver enheten",
            "Owning organisation",
            "Organisation, der driver enheden",
        ),
        "decision_ref": ("Nämndbeslut", "Committee decision", "Udvalgsbeslutning"),
    }
)
MEMBERS[v.VisitForm] = {
    v.VisitForm.ON_SITE: ("på plats", "on site", "på stedet"),
    v.VisitForm.PHONE: ("per telefon", "by phone", "pr. telefon"),
    v.VisitForm.WALK: ("promenad", "walk", "gåtur"),
    v.VisitForm.SMALL_GROUP: ("i mindre grupp", "small group", "i mindre grupper"),
}
HEADINGS.update(
    {
        "unit_timeline": ("Tidslinje för enhet", "Timeline of unit", "Tidslinje for enhed"),
        "premises_given_up": ("lokalen lämnad", "premises given up", "lokalet opgivet"),
        "visits_in_month": ("Besök per månad", "Visits per month", "Besøg pr. måned"),
    }
)


# --- #18 outcomes and attendance ----------------------------------------------------------------------------

EVENTS.update(
    {
        ev.ExitedElsewhere: ("Avslutad till annat", "Left for something else", "Afsluttet til andet"),
        ev.OutcomeStatusRecorded: (
            "Uppföljning efter avslut",
            "Follow-up after the exit",
            "Opfølgning efter afslutning",
        ),
        ev.AttendanceRecorded: ("Närvaro under veckan", "Attendance in the week", "Fremmøde i ugen"),
    }
)
FIELDS.update(
    {
        "term": ("Anställningens längd", "Length of employment", "Ansættelsens varighed"),
        "employment_ends_on": ("Anställningen slutar", "Employment ends", "Ansættelsen ophører"),
        "income_before": ("Försörjning före", "Income before", "Forsørgelse før"),
        "income_after": ("Försörjning efter", "Income after", "Forsørgelse efter"),
        "student_aid": ("Studiemedelsberättigande", "Eligible for student aid", "Berettiger til SU"),
        "destination": ("Vart", "Where to", "Hvorhen"),
        "point": ("Tidpunkt efter avslut", "Time after the exit", "Tidspunkt efter afslutning"),
        "activity": ("Sysselsättning", "Activity", "Beskæftigelse"),
        "income": ("Försörjning", "Income", "Forsørgelse"),
        "attended": ("Närvarande", "Attended", "Mødt"),
        "absences": ("Frånvaro", "Absences", "Fravær"),
        "day": ("Dag", "Day", "Dag"),
    }
)
MEMBERS[v.EmploymentForm][v.EmploymentForm.MUNICIPAL] = (
    "kommunal arbetsmarknadsanställning",
    "municipal labour-market employment",
    "kommunal beskæftigelsesansættelse",
)
MEMBERS.update(
    {
        v.ExitDestination: {
            v.ExitDestination.JOB_SEEKER_AF: (
                "arbetssökande på Arbetsförmedlingen",
                "job seeker at Arbetsförmedlingen",
                "jobsøgende hos Arbetsförmedlingen",
            ),
            v.ExitDestination.AF_PROGRAMME: (
                "program hos Arbetsförmedlingen",
                "Arbetsförmedlingen programme",
                "program hos Arbetsförmedlingen",
            ),
            v.ExitDestination.SICK_LEAVE: ("sjukskriven", "sick leave", "sygemeldt"),
            v.ExitDestination.SICKNESS_COMPENSATION: (
                "sjukersättning",
                "sickness compensation",
                "førtidspension",
            ),
            v.ExitDestination.ACTIVITY_COMPENSATION: (
                "aktivitetsersättning",
                "activity compensation",
                "aktivitetserstatning",
            ),
            v.ExitDestination.PARENTAL_LEAVE: ("föräldraledig", "parental leave", "forældreorlov"),
            v.ExitDestination.MOVED: ("flyttat", "moved", "fraflyttet"),
            v.ExitDestination.DECEASED: ("avliden", "deceased", "afgået ved døden"),
            v.ExitDestination.OWN_CHOICE: ("avbrutet på egen begäran", "own choice", "eget valg"),
            v.ExitDestination.CONSENT_WITHDRAWN: (
                "samtycket återkallat",
                "consent withdrawn",
                "samtykke trukket tilbage",
            ),
            v.ExitDestination.UNKNOWN: ("okänt", "unknown", "ukendt"),
            v.ExitDestination.OTHER: ("annat", "other", "andet"),
        },
        v.EmploymentTerm: {
            v.EmploymentTerm.PERMANENT: ("tillsvidare", "permanent", "fastansættelse"),
            v.EmploymentTerm.FIXED_TERM: ("visstid", "fixed term", "tidsbegrænset"),
        },
        v.IncomeSource: {
            v.IncomeSource.SALARY: ("lön", "salary", "løn"),
            v.IncomeSource.OWN_BUSINESS: ("eget företag", "own business", "egen virksomhed"),
            v.IncomeSource.ECONOMIC_ASSISTANCE: ("ekonomiskt bistånd", "economic assistance", "kontanthjælp"),
            v.IncomeSource.ACTIVITY_SUPPORT: ("aktivitetsstöd", "activity support", "aktivitetsstøtte"),
            v.IncomeSource.UNEMPLOYMENT_BENEFIT: (
                "arbetslöshetsersättning",
                "unemployment benefit",
                "dagpenge",
            ),
            v.IncomeSource.SICKNESS_BENEFIT: ("sjukpenning", "sickness benefit", "sygedagpenge"),
            v.IncomeSource.SICKNESS_COMPENSATION: (
                "sjukersättning",
                "sickness compensation",
                "førtidspension",
            ),
            v.IncomeSource.ACTIVITY_COMPENSATION: (
                "aktivitetsersättning",
                "activity compensation",
                "aktivitetserstatning",
            ),
            v.IncomeSource.STUDENT_AID: ("studiemedel", "student aid", "SU"),
            v.IncomeSource.PARENTAL_BENEFIT: ("föräldrapenning", "parental benefit", "barselsdagpenge"),
            v.IncomeSource.PENSION: ("pension", "pension", "pension"),
            v.IncomeSource.NONE: (
                "ingen egen försörjning",
                "no income of their own",
                "ingen egen forsørgelse",
            ),
            v.IncomeSource.OTHER: ("annat", "other", "andet"),
            v.IncomeSource.UNKNOWN: ("okänt", "unknown", "ukendt"),
        },
        v.OutcomePoint: {
            v.OutcomePoint.ONE_MONTH: ("efter en månad", "after one month", "efter en måned"),
            v.OutcomePoint.SIX_MONTHS: ("efter sex månader", "after six months", "efter seks måneder"),
            v.OutcomePoint.TWELVE_MONTHS: ("efter tolv månader", "after twelve months", "efter tolv måneder"),
        },
        v.OutcomeActivity: {
            v.OutcomeActivity.WORK: ("arbetar", "working", "i arbejde"),
            v.OutcomeActivity.STUDIES: ("studerar", "studying", "under uddannelse"),
            v.OutcomeActivity.JOB_SEEKER_AF: (
                "arbetssökande på Arbetsförmedlingen",
                "job seeker at Arbetsförmedlingen",
                "jobsøgende hos Arbetsförmedlingen",
            ),
            v.OutcomeActivity.AF_PROGRAMME: (
                "program hos Arbetsförmedlingen",
                "Arbetsförmedlingen programme",
                "program hos Arbetsförmedlingen",
            ),
            v.OutcomeActivity.SICK_LEAVE: ("sjukskriven", "sick leave", "sygemeldt"),
            v.OutcomeActivity.SICKNESS_COMPENSATION: (
                "sjukersättning",
                "sickness compensation",
                "førtidspension",
            ),
            v.OutcomeActivity.ACTIVITY_COMPENSATION: (
                "aktivitetsersättning",
                "activity compensation",
                "aktivitetserstatning",
            ),
            v.OutcomeActivity.PARENTAL_LEAVE: ("föräldraledig", "parental leave", "forældreorlov"),
            v.OutcomeActivity.BACK_IN_PROGRAMME: (
                "åter i kommunens arbetsmarknadsverksamhet",
                "back in the municipal programme",
                "tilbage i kommunens indsats",
            ),
            v.OutcomeActivity.MOVED: ("flyttat", "moved", "fraflyttet"),
            v.OutcomeActivity.DECEASED: ("avliden", "deceased", "afgået ved døden"),
            v.OutcomeActivity.OTHER: ("annat", "other", "andet"),
            v.OutcomeActivity.NOT_REACHED: ("gick inte att nå", "not reached", "kunne ikke kontaktes"),
        },
        v.Weekday: {
            v.Weekday.MONDAY: ("måndag", "Monday", "mandag"),
            v.Weekday.TUESDAY: ("tisdag", "Tuesday", "tirsdag"),
            v.Weekday.WEDNESDAY: ("onsdag", "Wednesday", "onsdag"),
            v.Weekday.THURSDAY: ("torsdag", "Thursday", "torsdag"),
            v.Weekday.FRIDAY: ("fredag", "Friday", "fredag"),
            v.Weekday.SATURDAY: ("lördag", "Saturday", "lørdag"),
            v.Weekday.SUNDAY: ("söndag", "Sunday", "søndag"),
        },
        v.AbsenceReason: {
            v.AbsenceReason.ILLNESS: ("sjuk", "ill", "syg"),
            v.AbsenceReason.CARE_OF_CHILD: ("vård av barn", "caring for a child", "barns sygdom"),
            v.AbsenceReason.APPOINTMENT: ("besök hos vård eller myndighet", "appointment", "aftale"),
            v.AbsenceReason.AGREED_LEAVE: ("överenskommen ledighet", "agreed leave", "aftalt fri"),
            v.AbsenceReason.UNIT_CLOSED: ("enheten stängd", "unit closed", "enheden lukket"),
            v.AbsenceReason.UNEXCUSED: ("utan giltigt skäl", "without a valid reason", "ulovligt fravær"),
            v.AbsenceReason.OTHER: ("annat", "other", "andet"),
        },
    }
)

_EVENT_BY_NAME = {cls.__name__: words for cls, words in EVENTS.items()}
#: Every stored enum value, for :func:`has_label` (callers that hold only the value, not the member).
_VALUES = frozenset(str(m.value) for members in MEMBERS.values() for m in members)


def _pick(words: Words, lang: str) -> str:
    return words[LANGUAGES.index(lang)] if lang in LANGUAGES else words[1]


def label(key: str, lang: str) -> str:
    """The word for a heading, a field or an event class name in ``lang``; English for an unknown language."""
    words = HEADINGS.get(key) or FIELDS.get(key) or _EVENT_BY_NAME.get(key)
    if words is None:
        raise MissingLabel(f"no words for {key!r}: add them to labels.py in sv, en and da")
    return _pick(words, lang)


def member_label(member: enum.Enum, lang: str) -> str:
    """The word for an enum member (``PlacementKind.DAILY_ACTIVITY``) in ``lang``."""
    words = MEMBERS.get(type(member), {}).get(member)
    if words is None:
        raise MissingLabel(f"no words for {type(member).__name__}.{member.name}: add them to labels.py")
    return _pick(words, lang)


def event_label(cls: type[ev.Event], lang: str) -> str:
    """The name of an event class for people, in ``lang``."""
    words = EVENTS.get(cls)
    if words is None:
        raise MissingLabel(f"no words for event {cls.__name__}: add them to labels.py")
    return _pick(words, lang)


def say(key: str, lang: str, **values: object) -> str:
    """A sentence with values put in: ``say("verify.counts", "sv", events=3, streams=1, head=3)``."""
    return label(key, lang).format(**values)


def has_label(key: str) -> bool:
    """Whether ``key`` has words: a heading, a field, an event class name or a stored enum value."""
    return key in HEADINGS or key in FIELDS or key in _EVENT_BY_NAME or key in _VALUES


def vocabulary() -> tuple[type[enum.Enum], ...]:
    """The enums whose members people read: every enum of the vocabulary, and the case status."""
    found = [
        obj
        for obj in vars(v).values()
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == v.__name__
    ]
    return (*found, CaseStatus, YesNo)
