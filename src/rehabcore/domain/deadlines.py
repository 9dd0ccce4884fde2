"""Processing deadlines per area: from an application to its decision (B26, #18).

Retssikkerhedsloven § 3, stk. 2: the municipality sets, for each area, how long may pass from an application
to the decision, publishes the deadlines, and tells the applicant in writing when a deadline cannot be kept.
The deadlines are therefore the municipality's data (``RuleParameters.processing_deadlines``, one per
service), none by default; a Swedish ruleset may set its own too.

An application is answered by a decision that names it (``application_id``) or, as most decisions are
recorded without one, by a decision on the service it asks for made on or after the day it came in.

Pure: imports only the standard library, attrs and the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rehabcore.domain.context import Context
from rehabcore.domain.events import ApplicationReceived
from rehabcore.domain.rules import RuleWarning
from rehabcore.domain.state import CaseState


def overdue(s: CaseState, ctx: Context) -> list[RuleWarning]:
    """B26: the applications of the case past the ruleset's deadline for their service with no decision."""
    return list(_overdue(s, ctx))


def _overdue(s: CaseState, ctx: Context) -> Iterator[RuleWarning]:
    days = {d.service: d.days for d in ctx.ruleset.parameters.processing_deadlines}
    if not days:
        return
    for application in s.applications.values():
        limit = days.get(application.requested_service)
        if limit is None or _answered(s, application):
            continue
        due = application.occurred_on + dt.timedelta(days=limit)
        if ctx.today > due:
            yield RuleWarning.of(
                rule_id="B26",
                code="processing_deadline_passed",
                template=(
                    "the application of {received_on} for {service} was to be decided by {due} ({days} days, "
                    "the municipality's deadline): decide it, or tell the applicant in writing when to "
                    "expect a decision"
                ),
                refers_to=application.application_id,
                received_on=application.occurred_on,
                service=application.requested_service,
                due=due,
                days=limit,
            )


def _answered(s: CaseState, application: ApplicationReceived) -> bool:
    for d in s.decisions.values():
        made = d.made
        if made.application_id == application.application_id:
            return True
        if made.service is application.requested_service and made.occurred_on >= application.occurred_on:
            return True
    return False
