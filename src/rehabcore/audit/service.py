"""``Audit``: one object for an auditor's questions about a store, under the rulesets it may name."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence

from rehabcore.access import AccessLog, Reader, log_read
from rehabcore.audit.digest import HeadDigest
from rehabcore.audit.history import CaseRecord, Situation, load_case
from rehabcore.audit.impact import ImpactReport, impact
from rehabcore.audit.replay import DEFAULT_RULESETS, ReplayReport, replay
from rehabcore.audit.timeline import Timeline, View, timeline
from rehabcore.audit.verify import VerifyReport, verify, verify_streams
from rehabcore.cases import case_stream
from rehabcore.domain.events import CaseOpened
from rehabcore.domain.rules import Ruleset
from rehabcore.domain.state import CaseState
from rehabcore.store import EventStore


class Audit:
    """Read a store the way an auditor does: at any recorded moment, on any business date, step by step.

    ``as_known_at`` (recording time) keeps only what was recorded up to then; ``on`` (business date) asks
    what was in force, active and open that day. ``rulesets`` are those a replay may find named in the
    metadata (by ``Ruleset.ref``); the defaults are the shipped Swedish and Danish ones.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        rulesets: Sequence[Ruleset] = DEFAULT_RULESETS,
        access_log: AccessLog | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.store = store
        self.rulesets = tuple(rulesets)
        #: Every case read by this Audit is recorded in ``access_log`` as read by ``reader`` (#13).
        self.access_log = access_log
        self.reader = reader

    def record(self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None) -> CaseRecord:
        """Every entry of a case with its envelope and corrections, now or as known at a moment."""
        found = load_case(self.store, case_id, as_known_at=as_known_at)
        if self.reader is not None:
            subject = next(
                (e.event.subject_id for e in found.entries if isinstance(e.event, CaseOpened)), None
            )
            log_read(self.access_log, self.reader, case_id=case_id, subject_id=subject, via="audit")
        return found

    def state(self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None) -> CaseState:
        """The case folded from its effective history, now or as known at a moment."""
        return self.record(case_id, as_known_at=as_known_at).state

    def situation(
        self, case_id: uuid.UUID, on: dt.date, *, as_known_at: dt.datetime | None = None
    ) -> Situation:
        """Decisions in force, placements active or interrupted, goals open and consents active on ``on``."""
        return self.record(case_id, as_known_at=as_known_at).situation(on)

    def replay(
        self, case_id: uuid.UUID, *, as_known_at: dt.datetime | None = None, under: Ruleset | None = None
    ) -> ReplayReport:
        """Every step of the case, each command decided again under the ruleset it names — or, with
        ``under``, under that ruleset: what a new version would have said of the same commands."""
        return replay(self.record(case_id, as_known_at=as_known_at), self.rulesets, under=under)

    def impact(self, ruleset: Ruleset) -> ImpactReport:
        """Every recorded command ``ruleset`` would reject or decide differently (see ``audit/impact.py``)."""
        return impact(self.store, ruleset, rulesets=self.rulesets)

    def timeline(
        self,
        case_id: uuid.UUID,
        *,
        view: View = View.STAFF,
        as_known_at: dt.datetime | None = None,
        on: dt.date | None = None,
        municipality_names: dict[str, str] | None = None,
        now: dt.datetime | None = None,
    ) -> Timeline:
        """The case's timeline for staff or for the citizen (see ``rehabcore.audit.timeline.timeline``)."""
        record = self.record(case_id, as_known_at=as_known_at)
        return timeline(self.store, record, view, on=on, municipality_names=municipality_names, now=now)

    def verify(
        self,
        *,
        against: HeadDigest | None = None,
        progress: Callable[[int], None] | None = None,
        as_known_at: dt.datetime | None = None,
    ) -> VerifyReport:
        """Walk every stream's hash chain (see :func:`rehabcore.audit.verify.verify`)."""
        return verify(self.store, against=against, progress=progress, as_known_at=as_known_at)

    def check(self, case_id: uuid.UUID) -> VerifyReport:
        """The hash chain of one case's stream: what a timeline or a replay of it must check first."""
        return verify_streams(self.store, [case_stream(case_id)])
