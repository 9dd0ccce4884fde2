"""Disclosure of a person's information to others: on consent in force, or on a provision of law (B21, #16).

Secrecy holds between the boards of one municipality and towards Arbetsförmedlingen, Försäkringskassan, the
region, housing support and providers (OSL 8 kap., 26 kap. 1 §; in Denmark forvaltningsloven § 28). A
disclosure is recorded with what it stands on: a consent the person gave, in force on the day and covering
the recipient, or the provision that allows it without one. Without either it is refused, and nothing is
written. The person's file lists every disclosure (recipients, categories: GDPR art. 15).

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

from rehabcore.domain import commands as cmd
from rehabcore.domain import events as ev
from rehabcore.domain import rules as r
from rehabcore.domain.checks import fresh, when
from rehabcore.domain.context import Context
from rehabcore.domain.recording import record
from rehabcore.domain.state import CaseState
from rehabcore.errors import RuleViolation


class DisclosureWithoutBasis(RuleViolation):
    """B21: information leaves the board only on a consent in force and in scope, or a cited provision."""

    rule_id = "B21"


def record_disclosure(c: cmd.RecordDisclosure, s: CaseState, ctx: Context) -> list[ev.CaseEvent]:
    """RecordDisclosure: a fresh id, categories named once, and a basis: consent in force, or a provision."""
    when(s, c.disclosed_on, ctx, "disclosed_on")
    fresh(s.disclosures, c.disclosure_id, "disclosure")
    if not c.categories:
        raise r.InvalidState("a disclosure names at least one category of information (categories)")
    if len(set(c.categories)) != len(c.categories):
        raise r.DuplicateId("a category is named twice in categories")
    if c.consent_id is not None:
        consent = s.consents.get(c.consent_id)
        if consent is None:
            raise r.UnknownReference("consent {consent_id} is not in this case", consent_id=c.consent_id)
        if consent.scope is not c.recipient:
            raise DisclosureWithoutBasis(
                "consent {consent_id} covers {scope}, not {recipient}; record the person's consent to "
                "this recipient or cite the provision that allows the disclosure",
                consent_id=c.consent_id,
                scope=consent.scope,
                recipient=c.recipient,
            )
        if not consent.active(c.disclosed_on):
            raise DisclosureWithoutBasis(
                "consent {consent_id} is not in force on {disclosed_on} (withdrawn, expired or not "
                "yet valid); ask the person again or cite the provision that allows the disclosure",
                consent_id=c.consent_id,
                disclosed_on=c.disclosed_on,
            )
    elif c.provision is None:
        raise DisclosureWithoutBasis(
            "disclosing to {recipient} needs the person's consent in force (consent_id) or a cited "
            "provision of law that allows it (provision): secrecy applies (OSL 8 kap., 26 kap. 1 §)",
            recipient=c.recipient,
        )
    if (
        c.provision is not None
        and s.jurisdiction is not None
        and c.provision.jurisdiction is not s.jurisdiction
    ):
        raise r.LegalBasisMismatch(
            "{provision} is {law_of} law; the case is {jurisdiction}",
            provision=c.provision,
            law_of=c.provision.jurisdiction,
            jurisdiction=s.jurisdiction,
        )
    return [record(c)]
