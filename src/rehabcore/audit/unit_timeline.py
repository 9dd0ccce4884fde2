"""A unit's own timeline (#18): what happened to the unit and when, who recorded it and on whose decision.

A case timeline shows one person's record; a unit's history — registered, refocused, places changed, visits
counted, moved, passed to another organisation, closed, and the places taken and given back — is on the
unit's own stream (``unit-<id>``). This module reads that stream and shows every entry with the same labels
as the case timeline (``audit/labels.py``), in Swedish, English or Danish, as text or JSON. It is a staff
view: places show the placement and case ids, never a person (a unit stream holds no name or subject).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import attrs

from rehabcore.audit.history import Provenance, decode
from rehabcore.audit.labels import label, member_label
from rehabcore.audit.render import recorder
from rehabcore.audit.timeline import Fact, facts
from rehabcore.domain import events as ev
from rehabcore.domain.validation import neutralise
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.errors import UnknownUnit
from rehabcore.messages import moment
from rehabcore.store import EventStore
from rehabcore.streams import ZONES, unit_stream

__all__ = ["UnitItem", "UnitTimeline", "unit_timeline", "unit_timeline_json", "unit_timeline_text"]


@attrs.frozen
class UnitItem:
    """One entry of a unit's stream, as shown."""

    occurred_on: dt.date
    recorded_at: dt.datetime
    version: int
    #: The event class name: its label in ``labels.EVENTS``.
    kind: str
    facts: tuple[Fact, ...]
    provenance: Provenance


@attrs.frozen
class UnitTimeline:
    """A unit's entries, oldest first."""

    unit_id: uuid.UUID
    name: str | None
    jurisdiction: Jurisdiction | None
    items: tuple[UnitItem, ...]


def unit_timeline(store: EventStore, unit_id: uuid.UUID) -> UnitTimeline:
    """Every entry of the unit's stream; :class:`UnknownUnit` when it has none."""
    items: list[UnitItem] = []
    name: str | None = None
    jurisdiction: Jurisdiction | None = None
    for stored in store.read_stream(unit_stream(unit_id)):
        e = decode(stored)
        if isinstance(e, ev.UnitRegistered):
            name, jurisdiction = e.name, e.jurisdiction
        shown = list(facts(e, {}))  # type: ignore[arg-type]  # a unit event reads as a case entry does
        if isinstance(
            e, ev.PlaceTaken
        ):  # the case a place is held for: the page is the unit's, not the case's
            shown.append(Fact("case_id", str(e.case_id), staff=True))
        items.append(
            UnitItem(
                occurred_on=e.occurred_on,
                recorded_at=stored.recorded_at,
                version=stored.version,
                kind=type(e).__name__,
                facts=tuple(shown),
                provenance=Provenance.from_metadata(stored.metadata),
            )
        )
    if not items:
        raise UnknownUnit(unit_id)
    return UnitTimeline(unit_id, name, jurisdiction, tuple(items))


def _value(fact: Fact, lang: str) -> str:
    if not fact.word or fact.of is None:
        return neutralise(fact.value)  # stored text is shown, never acted on
    return ", ".join(member_label(fact.of(part), lang) for part in fact.value.split(", "))


def _details(item: UnitItem, lang: str) -> dict[str, str]:
    details = {label(f.key, lang): _value(f, lang) for f in item.facts if not f.is_id}
    if item.kind == ev.UnitMoved.__name__ and not any(f.key == "premises" for f in item.facts):
        details[label("premises", lang)] = label("premises_given_up", lang)
    return details


def unit_timeline_text(t: UnitTimeline, lang: str = "sv") -> str:
    """A unit's timeline as plain text: one entry a line, who recorded it and the ids indented below."""
    zone = ZONES[t.jurisdiction] if t.jurisdiction is not None else None
    heading = f"{label('unit_timeline', lang)} {t.name} ({t.unit_id})" if t.name else str(t.unit_id)
    lines = [heading, label("staff_view", lang), ""]
    for item in t.items:
        details = "; ".join(f"{k}: {v}" for k, v in _details(item, lang).items())
        lines.append(f"{item.occurred_on}  {label(item.kind, lang)}" + (f" — {details}" if details else ""))
        recorded = f"{label('recorded_at', lang).lower()} {moment(item.recorded_at, zone)}"
        lines.append(f"            v{item.version} {recorded} · {recorder(item.provenance, lang)}")
        ids = [f"{label(f.key, lang).lower()} {f.value}" for f in item.facts if f.is_id]
        if ids:
            lines.append(f"            {label('ids', lang)}: {'; '.join(ids)}")
    return "\n".join(lines) + "\n"


def unit_timeline_json(t: UnitTimeline, lang: str = "sv") -> str:
    """A unit's timeline as JSON, labels in ``lang``: the same record gives the same bytes."""
    body: dict[str, Any] = {
        "unit_id": str(t.unit_id),
        "name": t.name,
        "lang": lang,
        "entries": [
            {
                "occurred_on": item.occurred_on.isoformat(),
                "entry": label(item.kind, lang),
                "details": _details(item, lang),
                "ids": {f.key: f.value for f in item.facts if f.is_id},
                "version": item.version,
                "recorded_at": item.recorded_at.isoformat(),
                "recorded_by": {
                    "id": item.provenance.actor_id,
                    "role": item.provenance.role,
                    "unit": item.provenance.unit,
                },
            }
            for item in t.items
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"
