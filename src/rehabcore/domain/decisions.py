"""Decisions that cannot be rewritten: applications, reasons, reconsideration and appeal (D1–D4, #12).

A decision says who decided and why (FL 31–32 §§; forvaltningsloven §§ 22–24): one that goes against the
person in whole or part carries its reasons (D1). An LSS insats is decided on the person's request, so the
decision names the application it answers (D2, LSS 8 §). A correction may fix only what does not alter what
was decided — the wording of the reasons and of the case workers' reasoning, the day it was communicated,
whether appeal information was given — anything else is a new decision (D3, FL 36 §). A decision changes
through reconsideration (omprövning, FL 37–39 §§), which needs a recorded ground when it is to the person's
disadvantage (D4), or through an appeal the court decides.

A change — reconsidered, or changed on appeal — applies from a day: from then on the decision reads the new
outcome and validity. :func:`revised` says what that does to a decision's outcome, validity and end, for the
case state and the case-summary read model alike, so the state, the execution watch and the timeline agree.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import attrs

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import CaseState, Decision
from rehabcore.domain.vocabulary import (
    AppealResult,
    DecisionOutcome,
    Jurisdiction,
    LegalBases,
    OtherLegislationFinding,
    ServiceKind,
    law_version,
)

_DAY = dt.timedelta(days=1)
GRANTED = (DecisionOutcome.GRANT, DecisionOutcome.PARTIAL)
#: Outcomes that go against the person in whole or part.
UNFAVOURABLE = (DecisionOutcome.REJECT, DecisionOutcome.PARTIAL, DecisionOutcome.TERMINATE)
#: Fields of a decision a correction may change: none of them alters what was decided (FL 36 §).
CORRECTABLE_FIELDS = frozenset(
    {
        "reasons",
        "communicated_on",
        "alternatives_considered",
        "least_intrusive_rationale",
        "appeal_info_given",
    }
)
#: Services decided only on request (LSS 8 §).
ON_REQUEST = frozenset({ServiceKind.LSS_DAILY_ACTIVITY})


def check_decision_content(c: cmd.MakeDecision, s: CaseState) -> None:
    """D1, D2: reasons for what goes against the person; the application an LSS insats answers."""
    if c.outcome in UNFAVOURABLE and c.reasons is None:
        raise r.DecisionNeedsReasons(
            "a decision with outcome {outcome} goes against the person in whole or part: give its "
            "reasons (reasons), in words the person can follow",
            outcome=c.outcome,
        )
    if c.application_id is not None:
        application = s.applications.get(c.application_id)
        if application is None:
            raise r.UnknownReference(
                "application {application_id} is not in this case; record ReceiveApplication first",
                application_id=c.application_id,
            )
        if application.occurred_on > c.decided_on:
            raise r.DatesOutOfOrder(
                "the application came in on {occurred_on}, after the decision",
                occurred_on=application.occurred_on,
            )
        if application.requested_service is not c.service:
            raise r.LssDecisionNeedsApplication(
                "application {application_id} asks for {requested_service}, not {service}",
                application_id=c.application_id,
                requested_service=application.requested_service,
                service=c.service,
            )
    elif c.service in ON_REQUEST and c.outcome is not DecisionOutcome.TERMINATE:
        raise r.LssDecisionNeedsApplication(
            "{service} is decided on the person's request: record ReceiveApplication and pass its "
            "application_id",
            service=c.service,
        )


def check_correction(current: ev.DecisionMade | ev.DecisionReconsidered, replacement: object) -> None:
    """D3: a correction of a decision changes only fields that do not alter what was decided."""
    changed = sorted(
        f.name
        for f in attrs.fields(type(current))
        if getattr(current, f.name) != getattr(replacement, f.name)
    )
    altered = [name for name in changed if name not in CORRECTABLE_FIELDS]
    if altered:
        raise r.DecisionCannotBeRewritten(
            "a correction may fix the wording of the reasons or the communicated date, not what was "
            "decided ({value}): record a new decision (MakeDecision) or reconsider it "
            "(ReconsiderDecision)",
            value=", ".join(altered),
        )


def check_retraction() -> None:
    """D3: a decision is never retracted. Retracting would erase what was decided — from the execution watch,
    the IVO report and the person's file — which no correction may do (FL 36 §: only obvious errors)."""
    raise r.DecisionCannotBeRewritten(
        "a decision is not retracted: it stays in the record as made; change it with ReconsiderDecision, "
        "or end it with a new decision (MakeDecision, outcome terminate) — also when it was recorded on the "
        "wrong case"
    )


def _check_validity(decision: Decision, effective_from: dt.date | None, valid_to: dt.date | None) -> None:
    """B4: a changed validity ends neither before the day the change applies nor before the decision's own
    first day (the rule machine found a reconsideration that left a decision valid to before it began)."""
    if valid_to is None:
        return
    if effective_from is not None and valid_to < effective_from:
        raise r.DatesOutOfOrder(
            "valid_to ({valid_to}) is before effective_from ({effective_from})",
            valid_to=valid_to,
            effective_from=effective_from,
        )
    if valid_to < decision.made.valid_from:
        raise r.DatesOutOfOrder(
            "valid_to ({valid_to}) is before the decision's valid_from ({valid_from})",
            valid_to=valid_to,
            valid_from=decision.made.valid_from,
        )


def receive_application(c: cmd.ReceiveApplication, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ReceiveApplication: dated and fresh."""
    when(s, c.received_on, ctx, "received_on")
    fresh(s.applications, c.application_id, "application")
    return [record(c)]


def reconsider(c: cmd.ReconsiderDecision, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ReconsiderDecision: a decision of the case, changed from a day on; to the disadvantage on a ground."""
    decision = _decision(s, c.decision_id)
    when(s, c.reconsidered_on, ctx, "reconsidered_on")
    if c.reconsidered_on < decision.made.occurred_on:
        raise r.DatesOutOfOrder(
            "reconsidered_on is before the decision was made ({occurred_on})",
            occurred_on=decision.made.occurred_on,
        )
    _check_validity(decision, c.effective_from, c.valid_to)
    if to_disadvantage(decision, c.outcome, c.effective_from, c.valid_to):
        if c.ground is None:
            raise r.ReconsiderationNeedsGround(
                "this change is to the person's disadvantage (less granted, or for a shorter time): it "
                "needs a ground (ground=reservation, safety, misleading_information or changed_circumstances)"
            )
        if c.effective_from < c.reconsidered_on:
            raise r.ReconsiderationNeedsGround(
                "a change to the person's disadvantage applies from the day it is decided or later, "
                "not {effective_from}",
                effective_from=c.effective_from,
            )
    return [record(c)]


def to_disadvantage(
    d: Decision, outcome: DecisionOutcome, effective_from: dt.date, valid_to: dt.date | None
) -> bool:
    """Whether the change leaves the person with less: less granted, or granted for a shorter time."""
    if not d.is_granted:
        return False
    if outcome not in GRANTED:
        return True
    if d.made.outcome is DecisionOutcome.GRANT and outcome is DecisionOutcome.PARTIAL:
        return True
    last = d.last_day
    return valid_to is not None and (last is None or valid_to < last)


def appeal(c: cmd.AppealDecision, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """AppealDecision: a decision of the case, appealed on or after it was made."""
    decision = _decision(s, c.decision_id)
    when(s, c.appealed_on, ctx, "appealed_on")
    fresh(s.appeals, c.appeal_id, "appeal")
    if c.appealed_on < decision.made.occurred_on:
        raise r.DatesOutOfOrder(
            "appealed_on is before the decision was made ({occurred_on})",
            occurred_on=decision.made.occurred_on,
        )
    return [record(c)]


def resolve_appeal(c: cmd.ResolveAppeal, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """ResolveAppeal: an open appeal; a changed decision says its new outcome and from when."""
    pending = s.appeals.get(c.appeal_id)
    if pending is None:
        raise r.UnknownReference(
            "appeal {appeal_id} is not in this case; record AppealDecision first", appeal_id=c.appeal_id
        )
    if pending.result is not None:
        raise r.InvalidState(
            "appeal {appeal_id} was already resolved ({result})", appeal_id=c.appeal_id, result=pending.result
        )
    if pending.decision_id != c.decision_id:
        raise r.UnknownReference(
            "appeal {appeal_id} is of decision {decision_id}, not {decision_id2}",
            appeal_id=c.appeal_id,
            decision_id=pending.decision_id,
            decision_id2=c.decision_id,
        )
    when(s, c.resolved_on, ctx, "resolved_on")
    if c.resolved_on < pending.appealed_on:
        raise r.DatesOutOfOrder(
            "resolved_on is before the appeal ({appealed_on})", appealed_on=pending.appealed_on
        )
    changes = (c.outcome, c.effective_from)
    if c.result is AppealResult.CHANGED and None in changes:
        raise r.InvalidState(
            "a changed decision gives its new outcome and the day it applies (effective_from)"
        )
    if c.result is not AppealResult.CHANGED and (changes != (None, None) or c.valid_to is not None):
        raise r.InvalidState(
            "an appeal {result} changes nothing: give no outcome, effective_from or valid_to", result=c.result
        )
    _check_validity(_decision(s, c.decision_id), c.effective_from, c.valid_to)
    return [record(c)]


def _decision(s: CaseState, decision_id: uuid.UUID) -> Decision:
    d = s.decisions.get(decision_id)
    if d is None:
        raise r.UnknownReference("decision {decision_id} is not in this case", decision_id=decision_id)
    return d


def revised(
    granted_before: bool,
    valid_from: dt.date,
    valid_to: dt.date | None,
    ended_on: dt.date | None,
    outcome: DecisionOutcome,
    effective_from: dt.date,
    new_valid_to: dt.date | None,
) -> tuple[DecisionOutcome | None, dt.date, dt.date | None, dt.date | None]:
    """A decision changed from ``effective_from``: (outcome or None to keep, valid_from, valid_to, ended_on).

    Granted from then on: the new outcome and validity, from ``effective_from`` if it was not granted before.
    Not granted from then on: the decision ends the day before, and keeps what it said for the days before.
    """
    if outcome in GRANTED:
        start = valid_from if granted_before else max(valid_from, effective_from)
        return outcome, start, new_valid_to, None
    last = effective_from - _DAY
    return None, valid_from, valid_to, last if ended_on is None else min(ended_on, last)


#: The provisions that let part of a file be withheld from the person themself, per country.
_WITHHOLDING = {
    Jurisdiction.SE: LegalBases.OSL_WITHHELD_FROM_PERSON,
    Jurisdiction.DK: LegalBases.DK_WITHHELD_FROM_PARTY,
}


def restrict_access(c: cmd.RestrictAccess, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """RestrictAccess: only on the provision that allows it, naming fields once; the entry is checked on the
    case's history by the decider (``check_restricted_entry``)."""
    when(s, c.assessed_on, ctx, "assessed_on")
    fresh(s.restrictions, c.restriction_id, "restriction")
    provision = _WITHHOLDING.get(s.jurisdiction) if s.jurisdiction else None
    if provision is None or not c.legal_basis.cites(provision):
        raise r.InvalidState(
            "information is withheld from the person's own file only under {provision} after a case-"
            "by-case assessment; secrecy does not otherwise apply against the person (OSL 12 kap. 1 "
            "§)",
            provision=provision,
        )
    if len(set(c.fields)) != len(c.fields):
        raise r.DuplicateId("a field is named twice in fields")
    return [record(c)]


def check_restricted_entry(c: cmd.RestrictAccess, entries: Sequence[tuple[uuid.UUID, ev.CaseEvent]]) -> None:
    """The entry to withhold is one of the case's, and the fields named are its fields."""
    target = dict(entries).get(c.event_id)
    if target is None:
        raise r.UnknownReference("entry {event_id} is not in this case", event_id=c.event_id)
    known = {f.name for f in attrs.fields(type(target))}
    unknown = [name for name in c.fields if name not in known]
    if unknown:
        raise r.UnknownReference(
            "{entry} has no field {fields}", entry=type(target).__name__, fields=", ".join(unknown)
        )


# --- #18 legal versions (B16) and the § 103 "other legislation first" assessment (B25) ---------------------


def check_law_version(c: cmd.MakeDecision) -> None:
    """B16: a decision cites the version of its law in force on the decision day.

    A decision is made under the law of its day: from 2025-07-01 SoL bistånd is decided under SFS 2025:400,
    not SFS 2001:453 (and nothing is decided under SFS 2025:400 before it came into force). Versions the
    vocabulary does not date (``LAW_VERSIONS``) are not checked.
    """
    known = law_version(c.legal_basis)
    if known is None or known.in_force(c.decided_on):
        return
    if known.until is not None and c.decided_on > known.until:
        raise r.LawVersionNotInForce(
            "{version} was not in force on {decided_on}: it applied to {until}; cite {replaced_by}, the "
            "version in force on the decision day",
            version=known.version,
            decided_on=c.decided_on,
            until=known.until,
            replaced_by=known.replaced_by or "the version then in force",
        )
    raise r.LawVersionNotInForce(
        "{version} was not yet in force on {decided_on}: it applies from {since}; cite the version in force "
        "on the decision day",
        version=known.version,
        decided_on=c.decided_on,
        since=known.since,
    )


def _last_other_legislation(s: CaseState, on: dt.date) -> ev.OtherLegislationAssessed | None:
    """The latest § 103 assessment recorded on or before ``on`` (recorded order breaks ties)."""
    found = [a for a in s.other_legislation if a.occurred_on <= on]
    return max(reversed(found), key=lambda a: a.occurred_on, default=None)


def _grants_protected_employment(c: cmd.MakeDecision) -> bool:
    return c.service is ServiceKind.DK_PROTECTED_EMPLOYMENT and c.outcome in GRANTED


def check_other_legislation(c: cmd.MakeDecision, s: CaseState) -> None:
    """B25 (hard part): § 103 is not granted against the case's own finding that an offer under other
    legislation fits. Recording a new assessment first is the way on."""
    if not _grants_protected_employment(c):
        return
    last = _last_other_legislation(s, c.decided_on)
    if last is not None and last.finding is OtherLegislationFinding.USABLE:
        raise r.OtherLegislationNotExhausted(
            "the assessment of {assessed_on} found an offer under other legislation the person can use; "
            "§ 103 is for those who cannot (serviceloven § 103, stk. 1): record a new assessment "
            "(AssessOtherLegislation) if that has changed",
            assessed_on=last.occurred_on,
        )


def other_legislation_unassessed(c: cmd.CaseCommand, after: CaseState) -> list[RuleWarning]:
    """B25 (warning): a § 103 grant with no "other legislation first" assessment recorded by its day.

    A warning, not a refusal: the law makes the condition part of the entitlement, but not a record of its
    own; the assessment may sit in the udredning (VUM), and histories recorded before #18 have none.
    """
    if not isinstance(c, cmd.MakeDecision) or not _grants_protected_employment(c):
        return []
    if _last_other_legislation(after, c.decided_on) is not None:
        return []
    return [
        RuleWarning.of(
            rule_id="B25",
            code="other_legislation_not_assessed",
            template=(
                "§ 103 is for those who cannot use offers under other legislation: record that assessment "
                "(AssessOtherLegislation) before or with the decision"
            ),
            refers_to=c.decision_id,
        )
    ]


def assess_other_legislation(c: cmd.AssessOtherLegislation, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """AssessOtherLegislation: a Danish case, dated, fresh, naming what was weighed."""
    when(s, c.assessed_on, ctx, "assessed_on")
    fresh([a.assessment_id for a in s.other_legislation], c.assessment_id, "assessment")
    if s.jurisdiction is not Jurisdiction.DK:
        raise r.LegalBasisMismatch(
            "the assessment before serviceloven § 103 is Danish; the case is in {jurisdiction}",
            jurisdiction=s.jurisdiction,
        )
    if not c.considered:
        raise r.InvalidState("name at least one offer under other legislation that was weighed (considered)")
    if len(set(c.considered)) != len(c.considered):
        raise r.DuplicateId("an offer is named twice in considered")
    return [record(c)]
