"""``rehabcore verify``, ``rehabcore replay CASE`` and ``rehabcore timeline CASE``: the auditor's commands.

Output goes to stdout (text, JSON or HTML); usage errors to stderr with exit code 2; exit code 1 when the
record shows tampering (verify), a divergence (replay) or a row that cannot be read (replay, timeline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import orjson

from rehabcore.cli import integrity
from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    Progress,
    UsageError,
    add_lang_option,
    add_store_option,
    add_tenant_option,
    as_tenant,
    open_existing_store,
    parse_date,
    parse_moment,
    read_file,
    settle_language,
    store_jurisdiction,
    write_file,
    zone_of,
)
from rehabcore.cli.retention import add_reader_options, open_audit
from rehabcore.domain.vocabulary import Jurisdiction
from rehabcore.i18n import _, ngettext, number


def register(commands: Any) -> None:
    verify = commands.add_parser("verify", help="check every stream's hash chain; exit 1 on tampering")
    add_store_option(verify)
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument(
        "--as-known-at",
        metavar="TIME",
        help="check only what was recorded by then (and its digest then); "
        "in the jurisdiction's zone if no offset is given",
    )
    verify.add_argument(
        "--export-digest", metavar="FILE", help="write the head digest to FILE (keep it elsewhere)"
    )
    verify.add_argument(
        "--check-digest", metavar="FILE", help="also check the store against a digest exported earlier"
    )
    verify.add_argument(
        "--sign-key", metavar="PEM", help="sign the exported digest with this Ed25519 private key (PEM)"
    )
    verify.add_argument(
        "--verify-key",
        metavar="PEM",
        help="require the checked digest to be signed by the holder of this Ed25519 public key (PEM)",
    )
    verify.add_argument(
        "--progress", action="store_true", help="draw the progress bar even when not on a terminal"
    )
    verify.set_defaults(run=_verify)

    replay = commands.add_parser(
        "replay", help="every step of a case, each command decided again; exit 1 on divergence"
    )
    _case_options(replay)
    replay.add_argument("--format", choices=("text", "json"), default="text")
    replay.set_defaults(run=_unreadable_is_found(_replay))

    timeline = commands.add_parser(
        "timeline", help="a case's timeline as text, JSON or a self-contained HTML page"
    )
    _case_options(timeline, optional=True)
    timeline.add_argument(
        "--unit", metavar="UNIT", help="a unit's own timeline instead of a case's (the unit id, a UUID)"
    )  # #18
    timeline.add_argument("--format", choices=("text", "json", "html"), default="text")
    timeline.add_argument(
        "--view",
        choices=("staff", "citizen"),
        default="staff",
        help="staff: everything, who and corrections; citizen: what the person receives (default: staff)",
    )
    add_tenant_option(timeline)
    timeline.set_defaults(run=_unreadable_is_found(_timeline))


def _unreadable_is_found(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A row of the record that does not decode is a problem in the record (exit 1), not a usage error."""

    def guarded(args: argparse.Namespace) -> int:
        from rehabcore.errors import DecodeError

        try:
            return run(args)
        except _Broken as broken:
            print("\n".join(integrity.lines(broken.report, getattr(args, "zone", None))))
            print(
                _("rehabcore {command}: rows of this case cannot be read", command=args.command),
                file=sys.stderr,
            )
            return EXIT_FOUND
        except DecodeError as error:
            checked = getattr(args, "integrity", None)
            if checked is not None and not checked.intact:
                print("\n".join(integrity.lines(checked, getattr(args, "zone", None))))
            print(f"rehabcore {args.command}: {error}", file=sys.stderr)
            return EXIT_FOUND

    return guarded


def _case_options(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    parser.add_argument("case", metavar="CASE", help="the case id (a UUID)", nargs="?" if optional else None)
    add_store_option(parser)
    parser.add_argument(
        "--as-known-at",
        metavar="TIME",
        help="the record as it stood then (ISO 8601; in the case's jurisdiction's zone if no offset)",
    )
    parser.add_argument("--on", metavar="DATE", help="also the situation on this business date (YYYY-MM-DD)")
    add_lang_option(parser)
    add_reader_options(parser)  # the vault, and who reads and why (#13)


_EXAMPLE_CASE = "0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10"


def _case_id(args: argparse.Namespace) -> uuid.UUID:
    """The case asked for; the dates asked for are checked here too, before any store is opened."""
    try:
        case_id = uuid.UUID(args.case)
    except ValueError:
        raise UsageError(_("CASE expects a case id such as {example}", example=_EXAMPLE_CASE)) from None
    if args.as_known_at:
        parse_moment(args.as_known_at, "--as-known-at")
    if args.on:
        parse_date(args.on, "--on")
    return case_id


def _case_query(
    args: argparse.Namespace, store: Any, case_id: uuid.UUID
) -> tuple[dt.datetime | None, dt.date | None, zoneinfo.ZoneInfo]:
    """The case's language and zone settled by its jurisdiction; the moment and date asked for."""
    jurisdiction = _case_jurisdiction(store, case_id)
    settle_language(args, jurisdiction)
    zone = args.zone = zone_of(jurisdiction)  # also for the integrity lines, should the chain be broken
    known = parse_moment(args.as_known_at, "--as-known-at", zone) if args.as_known_at else None
    on = parse_date(args.on, "--on") if args.on else None
    return known, on, zone


def _case_jurisdiction(store: Any, case_id: uuid.UUID) -> Jurisdiction | None:
    """The jurisdiction the case was opened in, from its first entry (None if that cannot be read)."""
    from rehabcore.cases import case_stream

    for e in store.read_stream(case_stream(case_id), up_to_version=1):
        try:
            return Jurisdiction(orjson.loads(e.data)["jurisdiction"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
    return None


def _replay(args: argparse.Namespace) -> int:
    from rehabcore.audit import replay_json, replay_text
    from rehabcore.audit.render import situation_text

    case_id = _case_id(args)
    store = open_existing_store(args.store)
    audit, close = open_audit(store, args)
    try:
        known, on, zone = _case_query(args, store, case_id)
        checked = args.integrity = _checked(store, case_id)
        report = audit.replay(case_id, as_known_at=known)
        then = audit.timeline(case_id, as_known_at=known, on=on) if on is not None else None
        if args.format == "json":
            text = integrity.into_json(replay_json(report, then, args.lang), checked)
        else:
            text = replay_text(report, args.lang, zone=zone)
            if then is not None:
                text += "\n" + situation_text(then, args.lang)
            text = integrity.into_text(text, checked, zone)
    finally:
        close()
        store.close()
    _print(text)
    return EXIT_FOUND if report.divergences or not checked.intact else EXIT_OK


def _timeline(args: argparse.Namespace) -> int:
    from rehabcore.audit import View, timeline_html, timeline_json, timeline_text

    if args.unit is not None or args.case is None:  # #18: a unit's own timeline
        from rehabcore.cli.unit_timeline import run

        return run(args)
    case_id = _case_id(args)
    store = open_existing_store(args.store)
    audit, close = open_audit(as_tenant(store, args.tenant), args)  # a tenant sees only its cases (#16)
    try:
        known, on, zone = _case_query(args, store, case_id)  # the timeline shows times in its case's zone
        checked = args.integrity = _checked(store, case_id)
        t = audit.timeline(case_id, view=View(args.view), as_known_at=known, on=on)
    finally:
        close()
        store.close()
    if args.format == "json":
        _print(integrity.into_json(timeline_json(t, args.lang), checked))
    elif args.format == "html":
        _print(integrity.into_html(timeline_html(t, args.lang), checked, zone))
    else:
        _print(integrity.into_text(timeline_text(t, args.lang), checked, zone))
    return EXIT_OK if checked.intact else EXIT_FOUND


def _checked(store: Any, case_id: uuid.UUID) -> Any:
    """The case stream's chain, checked before anything of it is shown. When a row cannot even be read,
    the findings are printed and the command ends with exit 1 (:class:`_Broken`)."""
    from rehabcore.cases import case_stream

    report = integrity.check(store, [case_stream(case_id)])
    if not report.intact and any(f.kind.value == "unreadable" for f in report.findings):
        raise _Broken(report)
    return report


class _Broken(Exception):
    """The record shown has rows that cannot be read: the findings are all there is to show."""

    def __init__(self, report: Any) -> None:
        self.report = report


def _verify(args: argparse.Namespace) -> int:
    from rehabcore.audit import HeadDigest, verify
    from rehabcore.messages import render

    against = None
    if args.verify_key and not args.check_digest:
        raise UsageError(_("--verify-key checks the signature of --check-digest FILE; give both"))
    if args.sign_key and not args.export_digest:
        raise UsageError(_("--sign-key signs the digest of --export-digest FILE; give both"))
    if args.check_digest:
        against = HeadDigest.from_json(read_file(args.check_digest, "--check-digest"))
        if args.verify_key:
            against.check_signature(read_file(args.verify_key, "--verify-key"))
    sign_key = read_file(args.sign_key, "--sign-key") if args.sign_key else None
    if args.export_digest and Path(args.export_digest).is_dir():
        raise UsageError(
            _("--export-digest: {path} is a directory; give a file name", path=args.export_digest)
        )
    if args.as_known_at:
        parse_moment(args.as_known_at, "--as-known-at")  # refused before the store is opened
    store = open_existing_store(args.store)
    try:
        jurisdiction = store_jurisdiction(store)
        settle_language(args, jurisdiction)
        zone = zone_of(jurisdiction)
        known = parse_moment(args.as_known_at, "--as-known-at", zone) if args.as_known_at else None
        bar = Progress("verify", store.head_position(), force=args.progress)
        report = verify(store, against=against, progress=bar.advance, as_known_at=known)
        bar.finish()
    finally:
        store.close()
    digest = report.digest.signed(sign_key) if sign_key is not None else report.digest
    if args.export_digest:
        write_file(args.export_digest, digest.to_json(), "--export-digest")
    if args.format == "json":
        body = {
            "intact": report.intact,
            "events": report.events,
            "streams": report.streams,
            "head_position": report.head_position,
            "digest": report.digest.token,
            "recorded_until": (
                report.digest.recorded_until.isoformat() if report.digest.recorded_until else None
            ),
            "checked_digest": report.checked_digest.token if report.checked_digest else None,
            "checked_signature": bool(args.verify_key),
            "imports": [attrs.asdict(batch) for batch in report.imports],
            "findings": [
                {
                    "kind": f.kind.value,
                    "stream": f.stream_id,
                    "version": f.version,
                    "detail": f.detail,
                    "text": render(f, args.lang, zone=zone),
                }
                for f in report.findings
            ],
        }
        print(json.dumps(body, indent=1, ensure_ascii=False))
    else:
        for line in _verify_lines(report, zone, args.export_digest):
            print(line)
    return EXIT_OK if report.intact else EXIT_FOUND


def _verify_lines(report: Any, zone: zoneinfo.ZoneInfo, exported: str | None) -> list[str]:
    """What verify says, in the language settled for the command, its findings rendered in it."""
    from rehabcore.messages import render

    events = ngettext("{count} event", "{count} events", report.events, count=number(report.events))
    streams = ngettext("{count} stream", "{count} streams", report.streams, count=number(report.streams))
    lines = [
        _(
            "{events} in {streams}, head position {head}",
            events=events,
            streams=streams,
            head=report.head_position,
        )
    ]
    if report.checked_digest is not None:
        lines.append(_("checked against {token}", token=report.checked_digest.token))
    for batch in report.imports:
        lines.append(
            "  "
            + ngettext(
                "imported: {count} entry in batch {batch} (source {source}, actor {actor})",
                "imported: {count} entries in batch {batch} (source {source}, actor {actor})",
                batch.events,
                count=number(batch.events),
                batch=batch.batch_id,
                source=batch.source,
                actor=batch.actor,
            )
        )
    for finding in report.findings:
        where = finding.stream_id if finding.version is None else f"{finding.stream_id} v{finding.version}"
        lines.append(f"  {integrity.kind_word(finding.kind.value):<10} {where}: {render(finding, zone=zone)}")
    if report.intact:  # a digest of a tampered store is nothing to keep or compare against
        lines.append(_("intact: every hash chain verifies"))
        lines.append(_("head digest now: {token}", token=report.digest.token))
    else:
        n = len(report.findings)
        lines.append(ngettext("TAMPERING: {n} finding", "TAMPERING: {n} findings", n))
    if exported:
        lines.append(_("digest written to {path}", path=exported))
    return lines


def _print(text: str) -> None:
    sys.stdout.write(text)
