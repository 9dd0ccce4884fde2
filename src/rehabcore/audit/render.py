"""Timelines and replay reports as text, JSON and a self-contained HTML page, in Swedish, English or Danish
(the replay as text in ``render_replay``).

The HTML page has its style inline and loads nothing from anywhere (it is handed to people and archived);
every value is HTML-escaped. JSON uses the same labels as keys' companions, so it is readable without this
library, and is deterministic: the same record gives the same bytes.
"""

from __future__ import annotations

import html
import json
import zoneinfo
from collections.abc import Iterator
from typing import Any

from rehabcore.audit.history import Provenance, Situation
from rehabcore.audit.labels import label, member_label, say
from rehabcore.audit.render_replay import divergence_text as divergence_text  # re-exported
from rehabcore.audit.render_replay import replay_text as replay_text  # re-exported
from rehabcore.audit.render_replay import role_word
from rehabcore.audit.replay import ReplayReport
from rehabcore.audit.timeline import Fact, Item, Note, Timeline, View
from rehabcore.domain.validation import neutralise
from rehabcore.messages import moment
from rehabcore.sealing import ERASED
from rehabcore.streams import ZONES


def _value(fact: Fact, lang: str) -> str:
    if not fact.word or fact.of is None:
        # Stored text is shown, never acted on: a control character in an old or imported row is neutralised.
        return _erased(neutralise(fact.value), lang)
    return ", ".join(member_label(fact.of(part), lang) for part in fact.value.split(", "))


def _erased(text: str, lang: str) -> str:
    """Erased text (its key destroyed) in the reader's language."""
    return text.replace(ERASED, label("erased", lang)) if ERASED in text else text


def _facts(facts: tuple[Fact, ...], lang: str) -> str:
    return "; ".join(f"{label(f.key, lang)}: {_value(f, lang)}" for f in facts if not f.is_id)


def _ids(facts: tuple[Fact, ...], lang: str) -> str:
    """The ids among the facts, or "" when there are none."""
    ids = [f"{label(f.key, lang).lower()} {f.value}" for f in facts if f.is_id]
    return f"{label('ids', lang)}: {'; '.join(ids)}" if ids else ""


def _who(item: Item | Note, lang: str | None = None) -> str:
    return recorder(item.provenance, lang)


def recorder(p: Provenance, lang: str | None = None) -> str:
    """Who recorded an entry: id, role (a word of ``lang`` when given; the stored code without) and unit."""
    role = role_word(p.role, lang) if lang is not None and p.role else p.role
    return " ".join(x for x in (p.actor_id, role, p.unit and f"({p.unit})") if x)


def _note_text(n: Note, lang: str, view: View) -> str:
    if view is View.CITIZEN:  # when, not who or why
        return f"{label(n.kind, lang)} {n.on.isoformat()}"
    reason = _erased(neutralise(n.reason), lang)
    return f"{label(n.kind + '_on', lang)} {n.on.isoformat()} (v{n.version}, {_who(n, lang)}): {reason}"


def _zone(t: Timeline) -> zoneinfo.ZoneInfo | None:
    return ZONES[t.jurisdiction] if t.jurisdiction is not None else None


def _heading(t: Timeline, lang: str) -> list[str]:
    known = moment(t.as_known_at, _zone(t)) if t.as_known_at else label("now", lang)
    if t.view is View.CITIZEN:  # no internal id: who the file is from, and when it was extracted
        return [label("citizen_view", lang), _extract(t, lang), f"{label('as_known_at', lang)}: {known}"]
    return [
        f"{label('timeline', lang)} {t.case_id}",
        label("staff_view", lang),
        f"{label('as_known_at', lang)}: {known}",
    ]


def _extract(t: Timeline, lang: str) -> str:
    at = t.extracted_at.strftime("%Y-%m-%d %H:%M %Z") if t.extracted_at else ""
    municipality = t.municipality_name or label("unknown_municipality", lang)
    return say("extract", lang, municipality=municipality, code=t.municipality_code or "?", at=at)


#: Words a citizen will not know, explained at the end of their file.
GLOSSARY = ("term.personkrets", "term.ibic", "term.communicated", "term.withheld")


# --- text ---------------------------------------------------------------------------------------------------


def timeline_text(t: Timeline, lang: str = "sv") -> str:
    """A timeline as plain text, one entry a line (staff details indented below it)."""
    lines = [*_heading(t, lang), ""]
    for item in t.items:
        struck = f" [{label('retracted', lang)}]" if item.retracted else ""
        lines.append(f"{item.occurred_on}  {label(item.kind, lang)}{struck} — {_facts(item.facts, lang)}")
        if t.view is View.STAFF:
            recorded = f"{label('recorded_at', lang).lower()} {moment(item.recorded_at, _zone(t))}"
            lines.append(
                f"            v{item.version} {recorded} · {_who(item, lang)} · {item.provenance.ruleset}"
            )
            if ids := _ids(item.facts, lang):
                lines.append(f"            {ids}")
            if item.original is not None:
                lines.append(f"            {label('originally', lang)}: {_facts(item.original, lang)}")
            if item.concerns is not None:
                lines.append(f"            → v{item.concerns}")
        for n in item.notes:
            lines.append(f"            {_note_text(n, lang, t.view)}")
    if not t.items:
        lines.append(label("no_entries", lang))
    if t.situation is not None:
        lines += ["", *_situation_lines(t, t.situation, lang)]
    if t.view is View.CITIZEN:
        lines += ["", label("glossary", lang), *(f"  {label(term, lang)}" for term in GLOSSARY)]
    return "\n".join(lines) + "\n"


def situation_text(t: Timeline, lang: str = "sv") -> str:
    """The situation on the timeline's date as text ("" when it has none)."""
    return "\n".join(_situation_lines(t, t.situation, lang)) + "\n" if t.situation is not None else ""


def _situation_lines(t: Timeline, s: Situation, lang: str) -> Iterator[str]:
    yield f"{label('situation_on', lang)} {s.on}"
    for key, values in _situation(t, s, lang):
        yield f"  {label(key, lang)}: {', '.join(values) or label('none', lang)}"


def _situation(t: Timeline, s: Situation, lang: str) -> list[tuple[str, list[str]]]:
    return [
        (
            "decisions_in_force",
            [f"{member_label(d.made.service, lang)} ({d.made.legal_basis})" for d in s.decisions_in_force],
        ),
        (
            "active_placements",
            [
                f"{member_label(p.kind, lang)}, {t.units.get(p.unit_id, str(p.unit_id))}"
                for p in s.active_placements
            ],
        ),
        (
            "interrupted_placements",
            [
                f"{member_label(p.kind, lang)}, {t.units.get(p.unit_id, str(p.unit_id))}"
                for p in s.interrupted_placements
            ],
        ),
        ("open_goals", [g.set.citizen_words for g in s.open_goals]),
    ]


# --- JSON ---------------------------------------------------------------------------------------------------


def timeline_json(t: Timeline, lang: str = "sv") -> str:
    """A timeline as JSON; the citizen view carries no envelope and no staff identity."""
    body: dict[str, Any] = {
        "case_id": str(t.case_id),
        "view": t.view.value,
        "lang": lang,
        "as_known_at": t.as_known_at.isoformat() if t.as_known_at else None,
        "entries": [_item_json(i, lang, t.view) for i in t.items],
    }
    if t.view is View.CITIZEN:  # no internal id; who the file is from and when; the words explained
        del body["case_id"]
        body["municipality"] = {"code": t.municipality_code, "name": t.municipality_name}
        body["extracted_at"] = t.extracted_at.isoformat() if t.extracted_at else None
        body["extract"] = _extract(t, lang)
        body["glossary"] = [label(term, lang) for term in GLOSSARY]
    if t.situation is not None:
        body["situation"] = _situation_json(t, t.situation, lang)
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def _situation_json(t: Timeline, s: Situation, lang: str) -> dict[str, Any]:
    return {"on": s.on.isoformat()} | {key: values for key, values in _situation(t, s, lang)}


def _item_json(item: Item, lang: str, view: View) -> dict[str, Any]:
    out: dict[str, Any] = {
        "occurred_on": item.occurred_on.isoformat(),
        "entry": label(item.kind, lang),
        "details": {label(f.key, lang): _value(f, lang) for f in item.facts if not f.is_id},
    }
    if view is View.CITIZEN:
        out["corrected_on"] = [n.on.isoformat() for n in item.notes]
        return out
    p = item.provenance
    out |= {
        "version": item.version,
        "event_id": str(item.event_id),
        "type": item.kind,
        "recorded_at": item.recorded_at.isoformat(),
        "actor": {"id": p.actor_id, "role": p.role, "unit": p.unit},
        "tenant": p.tenant,
        "command_id": p.command_id,
        "correlation_id": p.correlation_id,
        "causation_id": p.causation_id,
        "ruleset": p.ruleset,
        "ids": {f.key: f.value for f in item.facts if f.is_id},
        "retracted": item.retracted,
        "concerns_version": item.concerns,
        "original": {label(f.key, lang): _value(f, lang) for f in item.original} if item.original else None,
        "notes": [
            {"kind": n.kind, "on": n.on.isoformat(), "version": n.version, "reason": n.reason, "by": _who(n)}
            for n in item.notes
        ],
    }
    return out


# --- HTML ---------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:72rem}
h1{font-size:1.4rem}p.meta{color:#555}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;
border-bottom:1px solid #ddd}th{background:#f3f3f3}td.date{white-space:nowrap}
.retracted td{text-decoration:line-through;color:#888}.note{color:#7a4b00;font-size:.9em}
.orig{color:#666;font-size:.9em}.who{color:#555;font-size:.85em}
"""


def timeline_html(t: Timeline, lang: str = "sv") -> str:
    """A self-contained HTML page: inline style, no scripts, no external resources, every value escaped."""
    e = html.escape
    head = _heading(t, lang)
    rows = []
    for item in t.items:
        cells = [
            f'<td class="date">{e(item.occurred_on.isoformat())}</td>',
            f"<td>{e(label(item.kind, lang))}</td>",
            f"<td>{_facts_html(item, lang, t.view)}</td>",
        ]
        if t.view is View.STAFF:
            who = (
                f"v{item.version} · {_who(item, lang)} · {item.provenance.ruleset} · "
                f"{moment(item.recorded_at, _zone(t))}"
            )
            cells.append(f'<td class="who">{e(who)}</td>')
        css = ' class="retracted"' if item.retracted else ""
        # The entry's id ties the staff page to the audit trail; the citizen's file carries no internal id.
        ref = f' data-event-id="{e(str(item.event_id))}"' if t.view is View.STAFF else ""
        rows.append(f"<tr{css}{ref}>{''.join(cells)}</tr>")
    header = [label("occurred_on", lang), label("entry", lang), label("details", lang)]
    if t.view is View.STAFF:
        header.append(label("provenance", lang))
    situation = ""
    if t.situation is not None:
        items = "".join(
            f"<li>{e(label(key, lang))}: {e(', '.join(values) or label('none', lang))}</li>"
            for key, values in _situation(t, t.situation, lang)
        )
        situation = (
            f"<h2>{e(label('situation_on', lang))} {e(t.situation.on.isoformat())}</h2><ul>{items}</ul>"
        )
    if t.view is View.CITIZEN:
        terms = "".join(f"<li>{e(label(term, lang))}</li>" for term in GLOSSARY)
        situation += f'\n<h2>{e(label("glossary", lang))}</h2><ul class="glossary">{terms}</ul>'
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(head[0])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>{e(head[0])}</h1>\n<p class="meta">{e(head[1])}<br>{e(head[2])}</p>\n'
        f"<table>\n<thead><tr>{''.join(f'<th>{e(h)}</th>' for h in header)}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + f"\n</tbody>\n</table>\n{situation}\n</body>\n</html>\n"
    )


def _facts_html(item: Item, lang: str, view: View) -> str:
    e = html.escape
    parts = [e(_facts(item.facts, lang))]
    if item.original is not None:
        parts.append(
            f'<div class="orig">{e(label("originally", lang))}: {e(_facts(item.original, lang))}</div>'
        )
    if item.concerns is not None:
        parts.append(f'<div class="note">→ v{item.concerns}</div>')
    if ids := _ids(item.facts, lang):
        parts.append(f'<div class="who">{e(ids)}</div>')
    parts += [f'<div class="note">{e(_note_text(n, lang, view))}</div>' for n in item.notes]
    return "".join(parts)


# --- replay -------------------------------------------------------------------------------------------------


def replay_json(report: ReplayReport, situation: Timeline | None = None, lang: str = "en") -> str:
    """A replay report as JSON; with a timeline asked ``on`` a date, also the situation on that date."""
    body = report.to_dict()
    if situation is not None and situation.situation is not None:
        body["situation"] = _situation_json(situation, situation.situation, lang)
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
