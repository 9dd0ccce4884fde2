"""A replay report as text for an auditor to read, in Swedish, English or Danish (#19).

Titles and labels come from ``rehabcore.audit.labels``; divergences, warnings and the words of the outcome
from the gettext catalogs, a rejection in the rule's own words of the language, event names as the timeline
names them, times in the zone given with the zone named. The JSON of a report (``render.replay_json``) keeps
the stored codes and the English details.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import attrs

from rehabcore.audit.labels import MissingLabel, label, member_label, say
from rehabcore.audit.replay import Divergence, DivergenceKind, EventNames, ReplayReport
from rehabcore.domain.rules import RuleWarning
from rehabcore.i18n import _, ngettext, using
from rehabcore.messages import moment, render


def replay_text(
    report: ReplayReport, lang: str = "en", *, zone: str | zoneinfo.ZoneInfo | None = None
) -> str:
    """A replay report for an auditor to read in ``lang``, its times in ``zone`` (named; UTC when none is
    given): the divergences, warnings and events in words of that language too."""
    with using(lang):
        return _replay_text(report, lang, zone)


def _replay_text(report: ReplayReport, lang: str, zone: str | zoneinfo.ZoneInfo | None) -> str:
    def at(iso: str) -> str:
        return moment(dt.datetime.fromisoformat(iso), zone)

    known = say("replay.known", lang, at=at(report.as_known_at)) if report.as_known_at else ""
    title = say(
        "replay.title",
        lang,
        case=report.case_id,
        known=known,
        steps=len(report.steps),
        rulesets=", ".join(report.rulesets),
    )
    lines = [title, ""]
    pad = " " * 9
    for step in report.steps:
        versions = ",".join(f"v{v}" for v in step.versions)
        role = step.actor["role"] and role_word(str(step.actor["role"]), lang)
        actor = " ".join(str(x) for x in (step.actor["id"], role, step.actor["unit"]) if x)
        lines.append(f"{versions:<8} {step.on}  {step.command_type or _('(no command)')}")
        recorded = say(
            "replay.recorded",
            lang,
            at=at(step.recorded_at),
            who=actor or "?",
            tenant=step.tenant or "-",
            ruleset=step.ruleset or "?",
        )
        lines.append(pad + recorded)
        lines.append(f"{pad}{label('replay.before', lang)} {_state(step.state_before, lang)}")
        events = ", ".join(_event_word(e["type"], lang) for e in step.events)
        lines.append(f"{pad}{label('replay.events', lang)} {events}")
        if step.legal_basis:
            lines.append(f"{pad}{label('replay.legal_basis', lang)} {'; '.join(step.legal_basis)}")
        warned = step.warned or ()
        for w in warned if len(warned) == len(step.warnings) else step.warnings:
            rule_id, text = (
                (w.rule_id, render(w, lang, zone=zone))
                if isinstance(w, RuleWarning)
                else (w["rule_id"], w["message"])
            )
            lines.append(f"{pad}{label('replay.warning', lang)} [{rule_id}] {text}")
        lines.append(f"{pad}{label('replay.after', lang)} {_state(step.state_after, lang)}")
        lines.append(f"{pad}{label('replay.redecided', lang)} {_redecided(step.redecided)}")
        for d in step.divergences:
            lines.append(f"{pad}{label('replay.divergence', lang)} {divergence_text(d, lang, zone=zone)}")
    found = report.divergences
    counted = ngettext("{n} divergence:", "{n} divergences:", len(found))
    lines += ["", counted if found else label("replay.none", lang)]
    lines += [f"  {divergence_text(d, lang, zone=zone)}" for d in found]
    return "\n".join(lines) + "\n"


def divergence_text(d: Divergence, lang: str, *, zone: str | zoneinfo.ZoneInfo | None = None) -> str:
    """A divergence in ``lang``: its version, its kind and what does not add up, a rule's rejection in the
    rule's own words of that language, event names as the timeline names them."""
    with using(lang):
        return f"v{d.version} {_divergence_kind(d.kind)}: {divergence_detail(d, lang, zone=zone)}"


def divergence_detail(d: Divergence, lang: str, *, zone: str | zoneinfo.ZoneInfo | None = None) -> str:
    """What does not add up in a divergence, in ``lang`` (its ``detail`` is the English)."""
    values = {
        name: _event_names(value, lang) if isinstance(value, EventNames) else value
        for name, value in d.values.items()
    }
    said = attrs.evolve(d, values=values) if d.template is not None else d
    return render(said, lang, zone=zone)


def _divergence_kind(kind: DivergenceKind) -> str:
    """A divergence's kind as words of the current language (its code stays in the JSON)."""
    return {
        DivergenceKind.NO_COMMAND: _("no command"),
        DivergenceKind.UNREADABLE_COMMAND: _("unreadable command"),
        DivergenceKind.UNKNOWN_RULESET: _("unknown ruleset"),
        DivergenceKind.REJECTED_NOW: _("rejected now"),
        DivergenceKind.DECIDED_DIFFERENTLY: _("decided differently"),
        DivergenceKind.WARNED_DIFFERENTLY: _("warned differently"),
    }.get(kind, kind.value)


def _redecided(outcome: str) -> str:
    """What deciding a step again gave, as words of the current language (its code stays in the JSON)."""
    return {
        "same": _("same"),
        "different": _("different"),
        "rejected": _("rejected"),
        "not_decided": _("not decided"),
        "imported": _("imported"),
        "erased": _("erased"),
    }.get(outcome, outcome)


def role_word(role: str, lang: str) -> str:
    """A stored role (``case_worker``) as a word of ``lang`` (handläggare), the code itself if unknown."""
    from rehabcore.domain.vocabulary import Role

    try:
        return member_label(Role(role), lang)
    except (ValueError, MissingLabel):
        return role


def _event_word(name: str, lang: str) -> str:
    """An event class name as the timeline names it, the name itself when it has no words."""
    try:
        return label(name, lang)
    except MissingLabel:
        return name


def _event_names(names: EventNames, lang: str) -> str:
    return "[" + ", ".join(_event_word(n, lang) for n in names.names) + "]"


def _state(s: dict[str, Any], lang: str) -> str:
    return say(
        "replay.state",
        lang,
        status=s["status"],
        version=s["version"],
        decisions=len(s["decisions_in_force"]),
        placements=len(s["active_placements"]),
        goals=len(s["open_goals"]),
    )
