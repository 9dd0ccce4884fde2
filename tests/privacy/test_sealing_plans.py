"""A plan's activities and the person's own view are personal text (#18): sealed with the person's key when
stored, read back as text, shown on the timeline, and gone when the key is destroyed."""

from __future__ import annotations

import datetime as dt
import uuid

import rehabcore as rc
from rehabcore import sealing
from rehabcore.audit import Audit
from rehabcore.audit.render import timeline_text
from rehabcore.domain import commands as cmd
from rehabcore.domain.vocabulary import (
    DialogueParty,
    FollowUpStatus,
    Jurisdiction,
    Participation,
    PlanActivity,
    PlanKind,
    ReferralSource,
    Role,
)
from rehabcore.identity import Vault

TODAY = dt.date(2026, 3, 2)
STAFF = rc.Actor(id="hand-042", role=Role.CASE_WORKER)
WHAT = "Arbetsträning i växthuset"
WHEN = "Tisdagar och torsdagar förmiddag"
HOW = "Handledaren stämmer av varje fredag"
VIEW = "Jag vill börja med två dagar"
DISAGREE = "Jag tycker inte att jag behöver mer tid"


def _record(cases: rc.Cases, case: uuid.UUID, subject: uuid.UUID) -> uuid.UUID:
    cases.handle(
        cmd.OpenCase(
            case_id=case,
            subject_id=subject,
            opened_on=TODAY,
            jurisdiction=Jurisdiction.SE,
            municipality_code="2284",
            source=ReferralSource.SELF,
        ),
        actor=STAFF,
    )
    plan = uuid.uuid4()
    activity = PlanActivity(what=WHAT, who=DialogueParty.UNIT_STAFF, when=WHEN, follow_up=HOW)
    cases.handle(
        cmd.EstablishPlan(
            case_id=case,
            plan_id=plan,
            established_on=TODAY,
            plan_kind=PlanKind.IMPLEMENTATION_PLAN,
            goal_ids=(),
            participation=Participation.FULL,
            next_follow_up_on=TODAY + dt.timedelta(days=30),
            activities=(activity,),
            own_view=VIEW,
        ),
        actor=STAFF,
    )
    cases.handle(
        cmd.RecordFollowUp(
            case_id=case,
            follow_up_id=uuid.uuid4(),
            follow_up_on=TODAY + dt.timedelta(days=30),
            goal_results=(),
            participation=Participation.FULL,
            status=FollowUpStatus.CONTINUE,
            plan_id=plan,
            disagreement=DISAGREE,
        ),
        actor=STAFF,
    )
    return plan


def test_a_plans_activities_are_sealed_read_back_and_erased_with_the_key(vault: Vault) -> None:
    store = rc.InMemoryStore()
    cases = rc.Cases(store, today=lambda: TODAY + dt.timedelta(days=30), sealer=vault)
    case, subject = uuid.uuid4(), uuid.uuid4()
    _record(cases, case, subject)
    raw = b"".join(s.data + s.metadata for s in store.read_all())
    for text in (WHAT, WHEN, HOW, VIEW, DISAGREE):
        assert text.encode() not in raw and text.encode("unicode_escape") not in raw
    assert sealing.sealed_in(raw)
    (plan,) = rc.Cases(store, today=lambda: TODAY).get(case).plans
    assert plan.activities is not None and plan.activities[0].what == WHAT and plan.own_view == VIEW
    shown = timeline_text(Audit(store).timeline(case), "sv")
    for text in (WHAT, WHEN, HOW, VIEW, DISAGREE):
        assert text in shown
    assert "Vem gör det" in shown and "personal på enheten" in shown.lower()
    vault.destroy_keys(subject, [case], policy="test@1")
    shown = timeline_text(Audit(store).timeline(case), "en")
    assert all(text not in shown for text in (WHAT, WHEN, HOW, VIEW, DISAGREE))
    assert "[erased]" in shown
