"""The demo's plans (#18): an LSS 10 § individual plan offered, drawn up and reviewed; a genomförandeplan at
the daily-activity unit with its activities; follow-ups with the person's own view and disagreement; an IBIC
assessment with levels; and (:func:`danish`, in a store of its own) a Danish case assessed in the VUM 2.0
themes and offered a § 141 handleplan.

Recorded after the synthetic municipality (``rehabcore.demo``), in the same store, with its own ids. The
review deliberately comes late, so the B14 warning shows; a VUM theme on the Swedish case is refused (V1).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import rehabcore as rc
from rehabcore.domain import commands as cmd
from rehabcore.domain import vocabulary as v
from rehabcore.domain.rules import DENMARK_DEFAULT, SWEDEN_DEFAULT
from rehabcore.i18n import _
from rehabcore.messages import render

NS = uuid.UUID("6f1d2c3b-4a5e-4f70-9b8c-1d2e3f4a0018")
OFFICER = rc.Actor(id="lss-2284", role=v.Role.LSS_OFFICER, unit="LSS-handläggning")
STAFF = rc.Actor(id="dv-ljuset-01", role=v.Role.UNIT_STAFF, unit="Ljuset")
SAGSBEHANDLER = rc.Actor(id="esbjerg-sb-7", role=v.Role.CASE_WORKER, unit="Voksenhandicap")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(NS, name)


CASE, DK_CASE, UNIT = _id("case/plans"), _id("case/handleplan"), _id("unit/ljuset")
PLACEMENT, GOAL = _id("placement/ljuset"), _id("goal/cafe")
LSS_PLAN, UNIT_PLAN = _id("plan/lss-10"), _id("plan/ljuset")


def _cases(store: rc.EventStore, today: dt.date, ruleset: rc.Ruleset = SWEDEN_DEFAULT) -> rc.Cases:
    return rc.Cases(store, ruleset=ruleset, today=lambda: today)


def record(store: rc.EventStore) -> Iterator[str]:
    """Record the Swedish vignette into ``store``; yield what happened, a line each.

    The Danish one (:func:`danish`) is kept out of the demo's store: that store is one municipality's, and
    its IVO report is of that municipality.
    """
    yield from _swedish(store)


def _swedish(store: rc.EventStore) -> Iterator[str]:
    cases = _cases(store, dt.date(2026, 3, 2))
    cases.handle(
        cmd.RegisterUnit(
            unit_id=UNIT,
            registered_on=dt.date(2026, 1, 2),
            name="Ljuset daglig verksamhet",
            kind=v.UnitKind.LSS_DAILY_ACTIVITY,
            jurisdiction=v.Jurisdiction.SE,
            capacity=10,
            offers=(v.PlacementKind.DAILY_ACTIVITY,),
        ),
        actor=OFFICER,
    )
    for command in _intake():
        cases.handle(command, actor=OFFICER)
    swedish_vum = cmd.AssessNeeds(
        case_id=CASE,
        assessment_id=_id("assessment/vum"),
        assessed_on=dt.date(2026, 1, 20),
        method=v.AssessmentMethod.VUM2,
        life_areas=(),
        participation=v.Participation.FULL,
        vum_themes=(v.ThemeLevel(theme=v.VumTheme.SOCIAL_LIFE, level=2),),
    )
    try:
        cases.handle(swedish_vum, actor=OFFICER)
    except rc.RuleViolation as refused:
        yield _("A VUM 2.0 theme on a Swedish case: refused [{rule_id}]", rule_id=refused.rule_id)
    cases.handle(
        cmd.OfferPlan(
            case_id=CASE,
            plan_id=LSS_PLAN,
            offered_on=dt.date(2026, 2, 3),
            plan_kind=v.PlanKind.LSS_INDIVIDUAL_PLAN,
            answer=v.PlanAnswer.ACCEPTED,
            citizen_words="Ja, jag vill att min gode man är med",
        ),
        actor=OFFICER,
    )
    for command in _plans():
        cases.handle(command, actor=STAFF if command.plan_id == UNIT_PLAN else OFFICER)
    yield _("An individual plan (LSS 10 §) offered and drawn up; a plan with three activities at Ljuset")
    # The unit's follow-up was due on 1 May: on 4 May, with nothing recorded since, it is late (B14).
    may = _cases(store, dt.date(2026, 5, 4))
    talk = cmd.HoldDialogue(
        case_id=CASE,
        dialogue_id=_id("dialogue/may"),
        held_on=dt.date(2026, 5, 4),
        took_part=(v.DialogueParty.PERSON, v.DialogueParty.UNIT_STAFF),
    )
    for warning in may.handle(talk, actor=STAFF).warnings:
        if warning.rule_id == "B14":
            yield _("Three days after the plan's follow-up day: {warning}", warning=render(warning))
    may.handle(_follow_up(dt.date(2026, 5, 4)), actor=STAFF)
    yield _("The person's own view and where they disagree are recorded with the follow-up, in their words")
    # A year and a day after the individual plan, not yet reviewed: LSS 10 § asks for a yearly review.
    a_year_on = _cases(store, dt.date(2027, 2, 17))
    checked = a_year_on.handle(_follow_up(dt.date(2027, 2, 17), n=2), actor=STAFF)
    for warning in checked.warnings:
        if warning.code == "individual_plan_not_reviewed":
            yield _("A year on: {warning}", warning=render(warning))
    a_year_on.handle(
        cmd.ReviewPlan(
            case_id=CASE,
            review_id=_id("review/lss-10/2027"),
            plan_id=LSS_PLAN,
            reviewed_on=dt.date(2027, 2, 17),
            participation=v.Participation.FULL,
            next_follow_up_on=dt.date(2028, 2, 1),
            took_part=(v.DialogueParty.PERSON, v.DialogueParty.GOOD_MAN, v.DialogueParty.UNIT_STAFF),
            own_view="Planen stämmer, men jag vill prova kassan",
        ),
        actor=OFFICER,
    )
    yield _("The individual plan reviewed with the person and their good man")


def _intake() -> Iterator[cmd.CaseCommand]:
    yield cmd.OpenCase(
        case_id=CASE,
        subject_id=_id("subject/plans"),
        opened_on=dt.date(2026, 1, 12),
        jurisdiction=v.Jurisdiction.SE,
        municipality_code="2284",
        source=v.ReferralSource.LSS_OFFICER,
    )
    yield cmd.AssessNeeds(
        case_id=CASE,
        assessment_id=_id("assessment/ibic"),
        assessed_on=dt.date(2026, 1, 20),
        method=v.AssessmentMethod.IBIC,
        life_areas=(v.LifeArea.WORK_AND_EDUCATION,),
        participation=v.Participation.FULL,
        personkrets=v.Personkrets.GROUP_1,
        findings=(
            v.AreaLevel(area=v.LifeArea.WORK_AND_EDUCATION, level=3),
            v.AreaLevel(area=v.LifeArea.MENTAL_FUNCTIONS, level=2),
            v.AreaLevel(area=v.LifeArea.SUPPORT_AND_RELATIONSHIPS, level=1),
        ),
    )
    yield cmd.ReceiveApplication(
        case_id=CASE,
        application_id=_id("application/lss"),
        received_on=dt.date(2026, 1, 20),
        applicant=v.Applicant.PERSON,
        requested_service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        form=v.ApplicationForm.WRITTEN,
    )
    yield cmd.MakeDecision(
        case_id=CASE,
        decision_id=_id("decision/lss"),
        decided_on=dt.date(2026, 2, 2),
        outcome=v.DecisionOutcome.GRANT,
        legal_basis=v.LegalBases.LSS_DAILY_ACTIVITY,
        service=v.ServiceKind.LSS_DAILY_ACTIVITY,
        valid_from=dt.date(2026, 2, 2),
        personkrets=v.Personkrets.GROUP_1,
        alternatives_considered=("sysselsättning enligt SoL",),
        least_intrusive_rationale="Daglig verksamhet ger den struktur personen själv önskar",
        decided_by=v.Official(id="lss-2284", role=v.Role.LSS_OFFICER, delegation="LSS 3.2"),
        appeal_info_given=True,
        application_id=_id("application/lss"),
    )
    yield cmd.SetGoal(
        case_id=CASE,
        goal_id=GOAL,
        set_on=dt.date(2026, 2, 2),
        life_area=v.LifeArea.WORK_AND_EDUCATION,
        citizen_words="Jag vill jobba i caféet",
        formulated_by=v.FormulatedBy.CITIZEN,
        goal_type=v.GoalType.DEVELOP,
    )
    yield cmd.StartPlacement(
        case_id=CASE,
        placement_id=PLACEMENT,
        unit_id=UNIT,
        kind=v.PlacementKind.DAILY_ACTIVITY,
        basis=v.Basis.lss(_id("decision/lss")),
        start_on=dt.date(2026, 2, 16),
        hours_per_week=20,
    )


def _plans() -> Iterator[cmd.EstablishPlan]:
    yield cmd.EstablishPlan(
        case_id=CASE,
        plan_id=LSS_PLAN,
        established_on=dt.date(2026, 2, 16),
        plan_kind=v.PlanKind.LSS_INDIVIDUAL_PLAN,
        goal_ids=(GOAL,),
        participation=v.Participation.FULL,
        next_follow_up_on=dt.date(2026, 8, 17),
        took_part=(v.DialogueParty.PERSON, v.DialogueParty.GOOD_MAN),
        own_view="Jag vill ha samma handledare hela tiden",
    )
    yield cmd.EstablishPlan(
        case_id=CASE,
        plan_id=UNIT_PLAN,
        established_on=dt.date(2026, 3, 2),
        plan_kind=v.PlanKind.IMPLEMENTATION_PLAN,
        goal_ids=(GOAL,),
        participation=v.Participation.FULL,
        next_follow_up_on=dt.date(2026, 5, 1),
        placement_id=PLACEMENT,
        unit_id=UNIT,
        activities=(
            v.PlanActivity(
                what="Arbete i caféets kök",
                who=v.DialogueParty.UNIT_STAFF,
                when="Måndag till torsdag 9–12",
                follow_up="Handledaren och personen stämmer av varje fredag",
            ),
            v.PlanActivity(
                what="Bussresan till Ljuset på egen hand",
                who=v.DialogueParty.PERSON,
                when="Från april, först med följeslagare",
                follow_up="Vid uppföljningen i maj",
            ),
            v.PlanActivity(
                what="Boendestödet påminner om tiderna",
                who=v.DialogueParty.HOUSING_SUPPORT,
                when="Kvällen före varje arbetsdag",
                follow_up="Boendestödet rapporterar vid uppföljningen",
            ),
        ),
        took_part=(v.DialogueParty.PERSON, v.DialogueParty.UNIT_STAFF, v.DialogueParty.HOUSING_SUPPORT),
        own_view="Jag vill börja i köket och sedan prova kassan",
    )


def _follow_up(on: dt.date, n: int = 1) -> cmd.RecordFollowUp:
    return cmd.RecordFollowUp(
        case_id=CASE,
        follow_up_id=_id(f"follow-up/ljuset/{n}"),
        follow_up_on=on,
        goal_results=(v.GoalOutcome(GOAL, v.GoalResult.PARTLY_ACHIEVED),),
        participation=v.Participation.FULL,
        status=v.FollowUpStatus.CONTINUE,
        next_follow_up_on=on + dt.timedelta(days=91),
        took_part=(v.DialogueParty.PERSON, v.DialogueParty.UNIT_STAFF),
        plan_id=UNIT_PLAN,
        own_view="Köket går bra, jag trivs med gruppen",
        disagreement="Jag håller inte med om att jag inte är redo för kassan",
    )


def danish(store: rc.EventStore) -> Iterator[str]:
    """Record a Danish case assessed in the VUM 2.0 themes and offered a § 141 handleplan (Esbjerg)."""
    cases = _cases(store, dt.date(2026, 4, 1), DENMARK_DEFAULT)
    cases.handle(
        cmd.OpenCase(
            case_id=DK_CASE,
            subject_id=_id("subject/handleplan"),
            opened_on=dt.date(2026, 3, 2),
            jurisdiction=v.Jurisdiction.DK,
            municipality_code="561",
            source=v.ReferralSource.SELF,
        ),
        actor=SAGSBEHANDLER,
    )
    cases.handle(
        cmd.AssessNeeds(
            case_id=DK_CASE,
            assessment_id=_id("assessment/vum"),
            assessed_on=dt.date(2026, 3, 16),
            method=v.AssessmentMethod.VUM2,
            life_areas=(),
            participation=v.Participation.FULL,
            vum_themes=(
                v.ThemeLevel(theme=v.VumTheme.COMMUNITY_LIFE, level=3),
                v.ThemeLevel(theme=v.VumTheme.SOCIAL_LIFE, level=2),
                v.ThemeLevel(theme=v.VumTheme.MENTAL_FUNCTIONS, level=2),
            ),
        ),
        actor=SAGSBEHANDLER,
    )
    cases.handle(
        cmd.OfferPlan(
            case_id=DK_CASE,
            plan_id=_id("plan/handleplan"),
            offered_on=dt.date(2026, 3, 16),
            plan_kind=v.PlanKind.DK_ACTION_PLAN,
            answer=v.PlanAnswer.UNDECIDED,
            citizen_words="Jeg vil tænke over det til næste møde",
        ),
        actor=SAGSBEHANDLER,
    )
    yield _("A Danish case assessed in three VUM 2.0 themes and offered a § 141 handleplan")
