"""``rehabcore verify``, ``rehabcore replay CASE`` and ``rehabcore timeline CASE``: the auditor's commands.

Output goes to stdout (text, JSON or HTML); errors to stderr with exit code 2; exit code 1 when the record
shows tampering (verify) or divergence (replay).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rehabcore.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    Progress,
    UsageError,
    add_store_option,
    open_existing_store,
)


def register(commands: Any) -> None:
    verify = commands.add_parser("verify", help="check every stream's hash chain; exit 1 on tampering")
    add_store_option(verify)
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument(
        "--export-digest", metavar="FILE", help="write the head digest to FILE (keep it elsewhere)"
    )
    verify.add_argument(
        "--check-digest", metavar="FILE", help="also check the store against a digest exported earlier"
    )
    verify.add_argument(
        "--progress", action="store_true", help="draw the progress bar even when not on a terminal"
    )
    verify.set_defaults(run=_verify)


def _verify(args: argparse.Namespace) -> int:
    from rehabcore.audit import HeadDigest, verify

    against = None
    if args.check_digest:
        path = Path(args.check_digest)
        if not path.is_file():
            raise UsageError(f"--check-digest: no file {path}")
        against = HeadDigest.from_json(path.read_text(encoding="utf-8"))
    store = open_existing_store(args.store)
    try:
        bar = Progress("verify", store.head_position(), force=args.progress)
        report = verify(store, against=against, progress=bar.advance)
        bar.finish()
    finally:
        store.close()
    if args.export_digest:
        Path(args.export_digest).write_text(report.digest.to_json(), encoding="utf-8")
    if args.format == "json":
        body = {
            "intact": report.intact,
            "events": report.events,
            "streams": report.streams,
            "head_position": report.head_position,
            "digest": report.digest.token,
            "checked_digest": report.checked_digest.token if report.checked_digest else None,
            "findings": [
                {"kind": f.kind.value, "stream": f.stream_id, "version": f.version, "detail": f.detail}
                for f in report.findings
            ],
        }
        print(json.dumps(body, indent=1, ensure_ascii=False))
    else:
        print(f"{report.events} events in {report.streams} streams, head position {report.head_position}")
        if report.checked_digest is not None:
            print(f"checked against {report.checked_digest.token}")
        for finding in report.findings:
            print(f"  {finding}")
        print(
            "intact: every hash chain verifies"
            if report.intact
            else f"TAMPERING: {len(report.findings)} findings"
        )
        print(f"head digest now: {report.digest.token}")
        if args.export_digest:
            print(f"digest written to {args.export_digest}")
    return EXIT_OK if report.intact else EXIT_FOUND


def _print(text: str) -> None:
    sys.stdout.write(text)
