"""Where a case stands after an event: the case status machine, in one place.

The case's own fold (``evolve.py``) and the case-summary projection both ask :func:`status_after`, so the
record and the read model cannot drift apart on what "active" or "assessing" means.

Pure: imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Callable

from rehabcore.domain import events as ev
from rehabcore.domain.state import CaseStatus

#: Events that put the case in one status, whatever it was.
_TO: dict[type[ev.CaseEvent], CaseStatus] = {
    ev.CaseOpened: CaseStatus.REFERRED,
    ev.PlacementStarted: CaseStatus.ACTIVE,
    # A move to (another) daily activity leaves the person at one: active, not gone (#12).
    ev.TransferredToLssDailyActivity: CaseStatus.ACTIVE,
    ev.ExitedToWork: CaseStatus.EXITED,
    ev.ExitedToStudies: CaseStatus.EXITED,
    ev.ExitedElsewhere: CaseStatus.EXITED,  # #18
    ev.CaseClosed: CaseStatus.CLOSED,
    ev.CaseReopened: CaseStatus.REFERRED,
}
#: Events of the assessment: a case only referred is being assessed from then on.
_ASSESSMENT = frozenset({ev.NeedsAssessed, ev.DecisionMade, ev.GoalSet, ev.PlanEstablished})
#: Statuses a case leaves for "assessing" when its last open placement ends.
_PLACED = (CaseStatus.ACTIVE, CaseStatus.TRANSFERRED)
#: Every event that can change the status: a fold may skip :func:`status_after` for any other.
MOVES_STATUS = frozenset({*_TO, *_ASSESSMENT, ev.PlacementEnded})


def status_after(status: CaseStatus, event: ev.CaseEvent, any_open: Callable[[], object]) -> CaseStatus:
    """The status after ``event``; ``any_open()`` says (truthy) whether a placement is still open after it."""
    kind = type(event)
    to = _TO.get(kind)
    if to is not None:
        return to
    if kind in _ASSESSMENT:
        return CaseStatus.ASSESSING if status is CaseStatus.REFERRED else status
    if kind is ev.PlacementEnded and status in _PLACED and not any_open():
        return CaseStatus.ASSESSING
    return status
