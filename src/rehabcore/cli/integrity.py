"""What every reading command says about the chains of the streams it shows (#14).

``timeline``, ``replay``, ``stats`` and the citizen file read entries to show them; a changed, deleted or
unreadable entry must not be shown as if it were the record. Each checks the hash chains of what it shows
first (``verify`` on those streams) and, when one is broken, says so plainly: a banner at the top of the
HTML page, a line in the text, an ``integrity`` field in JSON, and exit code 1. The lines speak the
command's language and show a moment in the zone given (the jurisdiction's, named; UTC when none is).
"""

from __future__ import annotations

import html
import zoneinfo
from collections.abc import Iterable
from typing import Any

import orjson

from rehabcore.audit.classify import Finding
from rehabcore.audit.verify import VerifyReport, verify
from rehabcore.i18n import _, ngettext
from rehabcore.messages import render
from rehabcore.store import EventStore


def check(store: EventStore, streams: Iterable[str] | None = None) -> VerifyReport:
    """The chains of ``streams`` (every stream when None) checked now."""
    return verify(store, streams=None if streams is None else list(streams))


def summary(report: VerifyReport) -> str:
    """One plain line, in the command's language: intact, or broken with how many findings and what to run."""
    if report.intact:
        return ngettext(
            "integrity: the hash chain of the {n} stream shown verifies",
            "integrity: the hash chains of the {n} streams shown verify",
            report.streams,
        )
    found = ngettext("{n} finding", "{n} findings", len(report.findings))
    return ngettext(
        "INTEGRITY BROKEN: {found} in the {n} stream shown; what is shown here is not the record as it was "
        "written. Run `rehabcore verify` for all of them",
        "INTEGRITY BROKEN: {found} in the {n} streams shown; what is shown here is not the record as it was "
        "written. Run `rehabcore verify` for all of them",
        report.streams,
        found=found,
    )


Zone = zoneinfo.ZoneInfo | None


def finding_line(f: Finding, zone: Zone = None) -> str:
    """A finding in the command's language, its moments in ``zone``: its kind, where, and what happened."""
    where = f.stream_id if f.version is None else f"{f.stream_id} v{f.version}"
    return f"{kind_word(f.kind.value):<9} {where}: {render(f, zone=zone)}"


def kind_word(kind: str) -> str:
    """A finding's kind as a word of the command's language (its stored code stays in JSON output)."""
    return {
        "edited": _("edited"),
        "inserted": _("inserted"),
        "deleted": _("deleted"),
        "reordered": _("reordered"),
        "wrong_type": _("wrong type"),
        "unreadable": _("unreadable"),
        "log_changed": _("log changed"),
    }.get(kind, kind)


def lines(report: VerifyReport, zone: Zone = None) -> list[str]:
    """The summary and, when broken, each finding (moments in ``zone``)."""
    return [summary(report), *(f"  {finding_line(f, zone)}" for f in report.findings)]


def as_json(report: VerifyReport) -> dict[str, Any]:
    """The ``integrity`` field of a JSON output."""
    return {
        "intact": report.intact,
        "streams_checked": report.streams,
        "events_checked": report.events,
        "findings": [
            {"kind": f.kind.value, "stream": f.stream_id, "version": f.version, "detail": f.detail}
            for f in report.findings
        ],
    }


def into_text(text: str, report: VerifyReport, zone: Zone = None) -> str:
    """A text output with the integrity line first when a chain is broken (intact text is unchanged)."""
    if report.intact:
        return text
    return "\n".join(lines(report, zone)) + "\n\n" + text


def into_json(text: str, report: VerifyReport) -> str:
    """A JSON object output with an ``integrity`` field added first."""
    body = orjson.loads(text)
    body = {"integrity": as_json(report), **body} if isinstance(body, dict) else body
    return orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n"


_BANNER = (
    '<div role="alert" style="border:3px solid #b00020;background:#fdecea;color:#5f0010;padding:1em;'
    'margin:0 0 1em 0;font-weight:bold">{title}<ul style="font-weight:normal">{items}</ul></div>\n'
)


def into_html(page: str, report: VerifyReport, zone: Zone = None) -> str:
    """An HTML page with a banner at the top of the body when a chain is broken."""
    if report.intact:
        return page
    items = "".join(f"<li>{html.escape(finding_line(f, zone))}</li>" for f in report.findings)
    banner = _BANNER.format(title=html.escape(summary(report)), items=items)
    at = page.find("<body>")
    if at < 0:
        return banner + page
    at += len("<body>") + (1 if page[at + len("<body>") : at + len("<body>") + 1] == "\n" else 0)
    return page[:at] + banner + page[at:]
