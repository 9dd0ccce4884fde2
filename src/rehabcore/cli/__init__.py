"""The ``rehabcore`` command line: ``rehabcore <command> --store URL …``.

Every command reads a store given by ``--store`` (default: the demo's SQLite file). Exit codes are part of
the interface so that scripts can trust them: 0 all is well, 1 the command found a problem in the record
(tampering, a divergence), 2 the command was used wrongly (unknown case, malformed date, missing store).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rehabcore.cli import audit, demo, stats, whatif
from rehabcore.cli.common import EXIT_USAGE, UsageError
from rehabcore.errors import RehabcoreError

# Each module adds its sub-commands with ``register(subparsers)``; the parser calls ``args.run(args)``.
_COMMAND_MODULES = (demo, audit, stats, whatif)  # whatif after audit: it adds to replay


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rehabcore", description="Replay, verify, render and count the case record kept by rehabcore."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (``rehabcore stats | head``): stop quietly, as Unix tools do, and keep the
        # interpreter from complaining about the closed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str]) -> int:
    if argv[:1] == ["demo"]:  # the demo parses its own options
        from rehabcore import demo as demo_job

        return demo_job.main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors and 0 on --help
        return int(exit_.code or 0)
    try:
        return int(args.run(args))
    except (UsageError, RehabcoreError) as error:
        # Typed errors carry no personal data by construction, so they can be shown as they are.
        print(f"rehabcore {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
