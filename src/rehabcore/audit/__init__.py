"""Audit: the record as known at any moment, the situation on any date, every step explained, tamper evidence.

* :class:`Audit` answers an auditor's questions on a store: :meth:`~Audit.record` and :meth:`~Audit.state`
  as known at a moment, :meth:`~Audit.situation` on a business date, :meth:`~Audit.replay` step by step with
  every command decided again, :meth:`~Audit.timeline` for staff or the citizen.
* :func:`verify` walks every stream's hash chain and names what was edited, inserted, deleted or reordered;
  :class:`HeadDigest` pins the streams' heads so that a truncated tail is caught later.
* Corrections are recorded with ``CorrectEntry`` / ``RetractEntry`` through :class:`rehabcore.Cases`; the
  effective history is derived at read time (:mod:`rehabcore.domain.corrections`).

Reads stores through the :class:`~rehabcore.store.EventStore` port only; never imports a driver.
"""

from rehabcore.audit.classify import Finding, FindingKind
from rehabcore.audit.digest import HeadDigest, StreamHead
from rehabcore.audit.history import CaseRecord, Entry, Provenance, Situation, UnreadableEntry, load_case
from rehabcore.audit.render import (
    replay_json,
    replay_text,
    timeline_html,
    timeline_json,
    timeline_text,
)
from rehabcore.audit.replay import DEFAULT_RULESETS, Divergence, DivergenceKind, ReplayReport, Step, replay
from rehabcore.audit.service import Audit
from rehabcore.audit.timeline import Timeline, View, timeline
from rehabcore.audit.verify import VerifyReport, verify

__all__ = [
    "DEFAULT_RULESETS",
    "Audit",
    "CaseRecord",
    "Divergence",
    "DivergenceKind",
    "Entry",
    "Finding",
    "FindingKind",
    "HeadDigest",
    "Provenance",
    "ReplayReport",
    "Situation",
    "Step",
    "StreamHead",
    "Timeline",
    "UnreadableEntry",
    "VerifyReport",
    "View",
    "load_case",
    "replay",
    "replay_json",
    "replay_text",
    "timeline",
    "timeline_html",
    "timeline_json",
    "timeline_text",
    "verify",
]
