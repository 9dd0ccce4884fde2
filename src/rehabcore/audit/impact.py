"""What if: which recorded commands a new ruleset would reject, or decide differently — over every case.

    report = impact(store, NEW_RULES, rulesets=[OLD_RULES])
    print(impact_text(report))

Each case is replayed twice: under the rulesets its commands name (what was decided, as audit replay does)
and under ``ruleset`` (``replay(record, under=ruleset)``). A command the recorded ruleset accepts and the
new one rejects, or decides into other events, is an :class:`ImpactFinding`, with the rule and its message;
one that already diverged under its own ruleset is not the new ruleset's doing and is left out. The history
is not re-decided as a whole: every command is judged on the case as it was recorded before it, which is
the question a board asks before it adopts a rule ("whom would this have stopped, and where?").

A local rule that raises on a case is reported as a finding of that case (``rule_failed``), not a crash.
"""

from __future__ import annotations

import collections
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from rehabcore.audit.history import CaseRecord, load_case
from rehabcore.audit.replay import DEFAULT_RULESETS, Divergence, ReplayReport, replay
from rehabcore.domain.local_rules import LocalRuleFailed
from rehabcore.domain.rules import Ruleset
from rehabcore.store import EventStore

_RULE = re.compile(r"\[([A-Za-z][A-Za-z0-9_.-]*)\]")
_CASE_STREAM = re.compile(r"case-([0-9a-f-]{36})$")


@attrs.frozen
class ImpactFinding:
    """One recorded command the new ruleset would treat otherwise."""

    case_id: str
    version: int
    on: str
    command_type: str | None
    #: ``rejected_now``, ``decided_differently`` or ``rule_failed``.
    kind: str
    rule_id: str | None
    detail: str
    recorded_under: str | None
    #: The replay's divergence behind the finding (its template and values), so that a reader sees it in
    #: their language; ``detail`` is its English text. Not part of the JSON.
    divergence: Divergence | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class ImpactReport:
    """Every finding over every case, and how much was looked at."""

    ruleset: str
    cases: int
    commands: int
    findings: tuple[ImpactFinding, ...]

    def by_rule(self) -> dict[str, int]:
        """How many commands each rule would now reject (``decided_differently`` under ``"-"``)."""
        counts = collections.Counter(f.rule_id or "-" for f in self.findings)
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "ruleset": self.ruleset,
            "cases": self.cases,
            "commands": self.commands,
            "by_rule": self.by_rule(),
            "findings": [attrs.asdict(f, filter=lambda a, _: a.name != "divergence") for f in self.findings],
        }


def case_ids(store: EventStore) -> list[uuid.UUID]:
    """Every case in the store, in the order its first event was written."""
    seen: dict[uuid.UUID, None] = {}
    for stored in store.read_all():
        found = _CASE_STREAM.match(stored.stream_id)
        if found:
            seen.setdefault(uuid.UUID(found.group(1)), None)
    return list(seen)


def impact(
    store: EventStore,
    ruleset: Ruleset,
    *,
    rulesets: Sequence[Ruleset] = DEFAULT_RULESETS,
    read: Callable[[uuid.UUID], CaseRecord] | None = None,
) -> ImpactReport:
    """Replay every case under ``ruleset`` and under the ``rulesets`` its commands name; keep what differs.

    ``read`` reads a case (default: straight from the store); pass ``Audit(...).record`` so that a named
    reader's reads go to the access log, as every other reading of a case does (#13)."""
    load = read if read is not None else (lambda case_id: load_case(store, case_id))
    findings: list[ImpactFinding] = []
    cases = commands = 0
    for case_id in case_ids(store):
        cases += 1
        record = load(case_id)
        recorded = replay(record, rulesets)
        try:
            new = replay(record, rulesets, under=ruleset)
        except LocalRuleFailed as failed:
            findings.append(
                ImpactFinding(
                    str(case_id), 0, "", failed.command_type, "rule_failed", failed.rule_id, str(failed), None
                )
            )
            continue
        commands += sum(1 for s in new.steps if s.command_type is not None)
        findings += _differences(recorded, new)
    return ImpactReport(ruleset.ref, cases, commands, tuple(findings))


def _differences(recorded: ReplayReport, new: ReplayReport) -> list[ImpactFinding]:
    out = []
    for before, after in zip(recorded.steps, new.steps, strict=True):
        if after.redecided not in ("rejected", "different") or before.redecided in ("rejected", "different"):
            continue
        for d in after.divergences:
            rule = _RULE.search(d.detail)
            out.append(
                ImpactFinding(
                    case_id=recorded.case_id,
                    version=d.version,
                    on=after.on,
                    command_type=after.command_type,
                    kind=d.kind.value,
                    rule_id=rule.group(1) if rule and d.kind.value == "rejected_now" else None,
                    detail=d.detail,
                    recorded_under=before.ruleset,
                    divergence=d,
                )
            )
    return out


def impact_text(report: ImpactReport, limit: int = 20, lang: str | None = None) -> str:
    """The report for a reader in ``lang`` (default: the current language): the counts by rule, then the
    first ``limit`` findings, one line each."""
    from rehabcore.audit.render_replay import divergence_detail
    from rehabcore.i18n import _, current_language, ngettext, using

    lang = lang or current_language()
    with using(lang):
        commands = ngettext(
            "{n} recorded command in {cases}",
            "{n} recorded commands in {cases}",
            report.commands,
            cases=ngettext("{n} case", "{n} cases", report.cases),
        )
        lines = [
            _(
                "under {ruleset}: {found} of {commands} would be treated otherwise",
                ruleset=report.ruleset,
                found=len(report.findings),
                commands=commands,
            )
        ]
        for rule_id, n in report.by_rule().items():
            what = _("decided differently") if rule_id == "-" else _("rejected by {rule}", rule=rule_id)
            lines.append(f"  {what}: {n}")
        for f in report.findings[:limit]:
            what = (f.command_type or "-").rsplit(".", 1)[-1]
            where = _(
                "case {case} v{version} {on} {what}",
                case=f.case_id[:8],
                version=f.version,
                on=f.on,
                what=what,
            )
            detail = divergence_detail(f.divergence, lang) if f.divergence is not None else f.detail
            recorded = _("recorded under {ruleset}", ruleset=f.recorded_under)
            lines.append(f"  {where} ({recorded}): {detail}")
        if len(report.findings) > limit:
            lines.append(
                "  " + _("… {n} more (--format json lists them all)", n=len(report.findings) - limit)
            )
    return "\n".join(lines) + "\n"
