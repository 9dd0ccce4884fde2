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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from rehabcore.audit.labels import LANGUAGES, label, say
from rehabcore.cli import integrity
from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    Progress,
    UsageError,
    add_store_option,
    open_existing_store,
    parse_date,
    parse_moment,
    read_file,
    write_file,
)
from rehabcore.cli.retention import add_reader_options, open_audit


def register(commands: Any) -> None:
    verify = commands.add_parser("verify", help="check every stream's hash chain; exit 1 on tampering")
    add_store_option(verify)
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument(
        "--as-known-at", metavar="TIME", help="check only what was recorded by then (and its digest then)"
    )
    verify.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="words of the text output (default: en)"
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
    _case_options(replay, "en")
    replay.add_argument("--format", choices=("text", "json"), default="text")
    replay.set_defaults(run=_unreadable_is_found(_replay))

    timeline = commands.add_parser(
        "timeline", help="a case's timeline as text, JSON or a self-contained HTML page"
    )
    _case_options(timeline, "sv")
    timeline.add_argument("--format", choices=("text", "json", "html"), default="text")
    timeline.add_argument(
        "--view",
        choices=("staff", "citizen"),
        default="staff",
        help="staff: everything, who and corrections; citizen: what the person receives (default: staff)",
    )
    timeline.set_defaults(run=_unreadable_is_found(_timeline))


def _unreadable_is_found(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A row of the record that does not decode is a problem in the record (exit 1), not a usage error."""

    def guarded(args: argparse.Namespace) -> int:
        from rehabcore.errors import DecodeError

        try:
            return run(args)
        except _Broken as broken:
            print("\n".join(integrity.lines(broken.report)))
            print(f"rehabcore {args.command}: rows of this case cannot be read", file=sys.stderr)
            return EXIT_FOUND
        except DecodeError as error:
            checked = getattr(args, "integrity", None)
            if checked is not None and not checked.intact:
                print("\n".join(integrity.lines(checked)))
            print(f"rehabcore {args.command}: {error}", file=sys.stderr)
            return EXIT_FOUND

    return guarded


def _case_options(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("case", metavar="CASE", help="the case id (a UUID)")
    add_store_option(parser)
    parser.add_argument(
        "--as-known-at", metavar="TIME", help="the record as it stood then (ISO 8601; UTC if no offset)"
    )
    parser.add_argument("--on", metavar="DATE", help="also the situation on this business date (YYYY-MM-DD)")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=lang, help=f"labels in sv, en or da (default: {lang})"
    )
    add_reader_options(parser)  # the vault, and who reads and why (#13)


def _case_query(args: argparse.Namespace) -> tuple[uuid.UUID, dt.datetime | None, dt.date | None]:
    try:
        case_id = uuid.UUID(args.case)
    except ValueError:
        raise UsageError("CASE expects a case id such as 0b7c6a2e-5d1f-4c38-9a61-2f0e8d4b7c10") from None
    known = parse_moment(args.as_known_at, "--as-known-at") if args.as_known_at else None
    on = parse_date(args.on, "--on") if args.on else None
    return case_id, known, on


def _replay(args: argparse.Namespace) -> int:
    from rehabcore.audit import replay_json, replay_text
    from rehabcore.audit.render import situation_text

    case_id, known, on = _case_query(args)
    store = open_existing_store(args.store)
    audit, close = open_audit(store, args)
    try:
        checked = args.integrity = _checked(store, case_id)
        report = audit.replay(case_id, as_known_at=known)
        then = audit.timeline(case_id, as_known_at=known, on=on) if on is not None else None
        if args.format == "json":
            text = integrity.into_json(replay_json(report, then, args.lang), checked)
        else:
            text = replay_text(report, args.lang)
            if then is not None:
                text += "\n" + situation_text(then, args.lang)
            text = integrity.into_text(text, checked)
    finally:
        close()
        store.close()
    _print(text)
    return EXIT_FOUND if report.divergences or not checked.intact else EXIT_OK


def _timeline(args: argparse.Namespace) -> int:
    from rehabcore.audit import View, timeline_html, timeline_json, timeline_text

    case_id, known, on = _case_query(args)
    store = open_existing_store(args.store)
    audit, close = open_audit(store, args)
    try:
        checked = args.integrity = _checked(store, case_id)
        t = audit.timeline(case_id, view=View(args.view), as_known_at=known, on=on)
    finally:
        close()
        store.close()
    if args.format == "json":
        _print(integrity.into_json(timeline_json(t, args.lang), checked))
    elif args.format == "html":
        _print(integrity.into_html(timeline_html(t, args.lang), checked))
    else:
        _print(integrity.into_text(timeline_text(t, args.lang), checked))
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

    against = None
    if args.verify_key and not args.check_digest:
        raise UsageError("--verify-key checks the signature of --check-digest FILE; give both")
    if args.sign_key and not args.export_digest:
        raise UsageError("--sign-key signs the digest of --export-digest FILE; give both")
    if args.check_digest:
        against = HeadDigest.from_json(read_file(args.check_digest, "--check-digest"))
        if args.verify_key:
            against.check_signature(read_file(args.verify_key, "--verify-key"))
    sign_key = read_file(args.sign_key, "--sign-key") if args.sign_key else None
    if args.export_digest and Path(args.export_digest).is_dir():
        raise UsageError(f"--export-digest: {args.export_digest} is a directory; give a file name")
    known = parse_moment(args.as_known_at, "--as-known-at") if args.as_known_at else None
    store = open_existing_store(args.store)
    try:
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
                {"kind": f.kind.value, "stream": f.stream_id, "version": f.version, "detail": f.detail}
                for f in report.findings
            ],
        }
        print(json.dumps(body, indent=1, ensure_ascii=False))
    else:
        lang = args.lang
        print(
            say(
                "verify.counts", lang, events=report.events, streams=report.streams, head=report.head_position
            )
        )
        if report.checked_digest is not None:
            print(say("verify.checked", lang, token=report.checked_digest.token))
        for batch in report.imports:
            print(
                f"  imported: {batch.events:,} entries in batch {batch.batch_id} "
                f"(source {batch.source}, actor {batch.actor})"
            )
        for finding in report.findings:
            print(f"  {finding}")
        found = say("verify.tampering", lang, n=len(report.findings))
        print(label("verify.intact", lang) if report.intact else found)
        if report.intact:  # a digest of a tampered store is nothing to keep or compare against
            print(say("verify.digest", lang, token=report.digest.token))
        if args.export_digest:
            print(say("verify.written", lang, path=args.export_digest))
    return EXIT_OK if report.intact else EXIT_FOUND


def _print(text: str) -> None:
    sys.stdout.write(text)
